"""httpx (sync and async): the only module that touches httpx's internals.

``Client._transport_for_url`` and ``AsyncClient._transport_for_url`` are patched: for a Cognito
URL they return a transport of ours that answers from the router, so the client's own machinery
(auth, redirects, cookies, event hooks, ``raise_for_status``) runs as for a network answer.
Choosing the transport, rather than patching ``HTTPTransport.handle_request``, keeps the answer
ours whatever else patches the transports (``pytest_httpx``, ``respx``), while every other host
still reaches them.
"""

from __future__ import annotations

from typing import Any

import httpx

from ..http.messages import HttpResponse, NoSuchHostError
from . import _router
from ._patch import ClassPatch


def _response(request: httpx.Request, answer: HttpResponse) -> httpx.Response:
    return httpx.Response(
        answer.status,
        headers=[*answer.headers, ("Content-Length", str(len(answer.body)))],
        content=answer.body,
        request=request,
    )


def _answer(request: httpx.Request, body: bytes) -> HttpResponse | None:
    try:
        return _router.answer(request.method, str(request.url), request.headers.multi_items(), body)
    except NoSuchHostError as missing:
        raise httpx.ConnectError(str(missing), request=request) from None


class _CognitoTransport(httpx.BaseTransport):
    def __init__(self, fallback: httpx.BaseTransport) -> None:
        self._fallback = fallback

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = _answer(request, request.read())
        if answer is None:  # the mock stopped meanwhile
            return self._fallback.handle_request(request)
        return _response(request, answer)


class _AsyncCognitoTransport(httpx.AsyncBaseTransport):
    def __init__(self, fallback: httpx.AsyncBaseTransport) -> None:
        self._fallback = fallback

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = _answer(request, await request.aread())
        if answer is None:
            return await self._fallback.handle_async_request(request)
        return _response(request, answer)


def _transport_for_url(self: Any, url: httpx.URL) -> Any:
    transport = _SYNC_PATCH.original(self, url)
    return _CognitoTransport(transport) if _router.intercepts(str(url)) else transport


def _async_transport_for_url(self: Any, url: httpx.URL) -> Any:
    transport = _ASYNC_PATCH.original(self, url)
    return _AsyncCognitoTransport(transport) if _router.intercepts(str(url)) else transport


_SYNC_PATCH = ClassPatch(httpx.Client, "_transport_for_url", _transport_for_url)
_ASYNC_PATCH = ClassPatch(httpx.AsyncClient, "_transport_for_url", _async_transport_for_url)


def install() -> None:
    _SYNC_PATCH.install()
    _ASYNC_PATCH.install()


def uninstall() -> None:
    _SYNC_PATCH.uninstall()
    _ASYNC_PATCH.uninstall()
