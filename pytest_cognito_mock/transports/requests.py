"""requests: the only module that touches requests' internals.

``Session.get_adapter`` is patched: for a Cognito URL it returns the mounted adapter wrapped so
that the request is answered by the router, the answer built by the adapter's own
``build_response`` around a urllib3 response (hooks, cookies, ``stream=True`` and
``raise_for_status`` behave as for a network answer). Patching the adapter lookup rather than
``HTTPAdapter.send`` keeps the answer ours even when ``responses`` (a test's own, or moto's
``mock_aws``, which has a JWKS of its own) patches ``HTTPAdapter.send`` after this mock started;
every other host still reaches ``responses``.
"""

from __future__ import annotations

from typing import Any

import requests.sessions
from requests.exceptions import ConnectionError as RequestsConnectionError

from ..http.messages import NoSuchHostError
from . import _router
from ._patch import ClassPatch
from .urllib3 import http_response


def _get_adapter(self: Any, url: str) -> Any:
    adapter = _PATCH.original(self, url)
    if _router.intercepts(url):
        return _CognitoAdapter(adapter)
    return adapter


class _CognitoAdapter:
    """The adapter mounted for a Cognito URL, answering from the mock."""

    def __init__(self, adapter: Any) -> None:
        self._adapter = adapter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._adapter, name)

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            body = body.read() if hasattr(body, "read") else b"".join(body)
        try:
            answer = _router.answer(request.method or "GET", request.url, request.headers, body)
        except NoSuchHostError as missing:
            raise RequestsConnectionError(str(missing), request=request) from None
        if answer is None:  # the mock stopped meanwhile
            return self._adapter.send(request, *args, **kwargs)
        raw = http_response(
            answer,
            method=request.method or "GET",
            url=request.url,
            preload_content=False,
            decode_content=False,
        )
        return self._adapter.build_response(request, raw)


_PATCH = ClassPatch(requests.sessions.Session, "get_adapter", _get_adapter)


def install() -> None:
    _PATCH.install()


def uninstall() -> None:
    _PATCH.uninstall()
