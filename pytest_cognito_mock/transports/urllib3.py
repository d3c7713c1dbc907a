"""urllib3 (and what is built on it without requests' adapters): the only module that touches
urllib3's internals.

``HTTPConnectionPool.urlopen`` is patched: a pool for a Cognito host answers from the router
with a urllib3 ``HTTPResponse`` (preloaded or streamed, as the caller asked); every other pool,
botocore's connections to other services included, is untouched.
"""

from __future__ import annotations

import http.client
import inspect
import io
from typing import Any, cast

import urllib3
from urllib3._collections import HTTPHeaderDict
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import MaxRetryError, NewConnectionError

from ..http.messages import HttpResponse, NoSuchHostError
from . import _router
from ._patch import ClassPatch

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _url(pool: Any, url: str) -> str:
    if "://" in url:
        return url
    port = "" if pool.port in (None, _DEFAULT_PORTS.get(pool.scheme)) else f":{pool.port}"
    return f"{pool.scheme}://{pool.host}{port}{url}"


def _urlopen(
    self: Any, method: str, url: str, body: Any = None, headers: Any = None, *args: Any, **kw: Any
) -> Any:
    full_url = _url(self, url)
    if not _router.intercepts(full_url):
        return _PATCH.original(self, method, url, body, headers, *args, **kw)
    # urllib3 calls itself with every argument positional (on retries, redirects): read the
    # two that shape the answer as the original signature places them.
    options = _SIGNATURE.bind(self, method, url, body, headers, *args, **kw).arguments
    if body is not None and not isinstance(body, (bytes, str)):
        body = body.read() if hasattr(body, "read") else b"".join(body)
    try:
        answer = _router.answer(method, full_url, dict(headers or {}), body)
    except NoSuchHostError as missing:
        raise MaxRetryError(self, url, NewConnectionError(self, str(missing))) from None
    if answer is None:  # the mock stopped meanwhile
        return _PATCH.original(self, method, url, body, headers, *args, **kw)
    return http_response(
        answer,
        method=method,
        url=full_url,
        preload_content=options.get("preload_content", True),
        decode_content=options.get("decode_content", True),
    )


class _OriginalResponse:
    """What urllib3 keeps of the http.client response it wraps: requests reads the cookies of
    an answer from its ``msg`` (every ``Set-Cookie``, not just the last)."""

    def __init__(self, message: http.client.HTTPMessage) -> None:
        self.msg = message

    def close(self) -> None:
        pass

    def isclosed(self) -> bool:
        return True


def http_response(
    answer: HttpResponse, *, method: str, url: str, preload_content: bool, decode_content: bool
) -> urllib3.HTTPResponse:
    """The router's answer as urllib3's response, repeated headers (``Set-Cookie``) kept."""
    headers = HTTPHeaderDict()
    message = http.client.HTTPMessage()
    for name, value in (*answer.headers, ("Content-Length", str(len(answer.body)))):
        headers.add(name, value)
        message[name] = value
    return urllib3.HTTPResponse(
        body=io.BytesIO(answer.body),
        headers=headers,
        status=answer.status,
        reason=answer.reason,
        preload_content=preload_content,
        decode_content=decode_content,
        original_response=cast(Any, _OriginalResponse(message)),
        request_method=method,
        request_url=url,
    )


_SIGNATURE = inspect.signature(HTTPConnectionPool.urlopen)
_PATCH = ClassPatch(HTTPConnectionPool, "urlopen", _urlopen)


def install() -> None:
    _PATCH.install()


def uninstall() -> None:
    _PATCH.uninstall()
