"""urllib.request: the only module that touches urllib's handlers.

``HTTPSHandler.https_open`` and ``HTTPHandler.http_open`` are looked up on the handler at call
time by every opener, so openers built before the mock started (PyJWT's ``PyJWKClient`` uses
``urllib.request.urlopen``) are caught too. A request to a Cognito host is answered by the
router; urllib's own error processor then raises ``HTTPError`` for a 4xx, as for a network
answer. Every other request goes to the original method untouched.
"""

from __future__ import annotations

import http.client
import io
import socket
import urllib.error
import urllib.request
import urllib.response
from typing import Any

from ..http.messages import HttpResponse, NoSuchHostError
from . import _router
from ._patch import ClassPatch


def _answer(request: urllib.request.Request) -> HttpResponse | None:
    url = request.full_url
    if not _router.intercepts(url):
        return None
    data: Any = request.data
    if data is not None and not isinstance(data, (bytes, bytearray, str)):
        data = data.read() if hasattr(data, "read") else b"".join(data)
    try:
        return _router.answer(request.get_method(), url, request.header_items(), data)
    except NoSuchHostError as missing:
        raise urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, str(missing))) from None


def _response(request: urllib.request.Request, answer: HttpResponse) -> urllib.response.addinfourl:
    headers = http.client.HTTPMessage()
    for name, value in answer.headers:
        headers[name] = value
    headers["Content-Length"] = str(len(answer.body))
    response = urllib.response.addinfourl(
        io.BytesIO(answer.body), headers, request.full_url, answer.status
    )
    # urllib.request sets ``msg`` to the reason phrase on the responses it returns.
    response.msg = answer.reason  # type: ignore[attr-defined]
    response.reason = answer.reason  # type: ignore[attr-defined]
    return response


def _https_open(self: Any, request: urllib.request.Request) -> Any:
    answer = _answer(request)
    if answer is None:
        return _HTTPS_PATCH.original(self, request)
    return _response(request, answer)


def _http_open(self: Any, request: urllib.request.Request) -> Any:
    answer = _answer(request)
    if answer is None:
        return _HTTP_PATCH.original(self, request)
    return _response(request, answer)


_HTTPS_PATCH = ClassPatch(urllib.request.HTTPSHandler, "https_open", _https_open)
_HTTP_PATCH = ClassPatch(urllib.request.HTTPHandler, "http_open", _http_open)


def install() -> None:
    _HTTPS_PATCH.install()
    _HTTP_PATCH.install()


def uninstall() -> None:
    _HTTPS_PATCH.uninstall()
    _HTTP_PATCH.uninstall()
