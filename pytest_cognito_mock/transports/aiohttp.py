"""aiohttp client sessions: the only module that touches aiohttp's internals.

``TCPConnector._create_connection`` is patched: for a Cognito host it returns aiohttp's own
``ResponseHandler`` protocol connected to an in-memory transport instead of a socket. aiohttp
writes the request as HTTP/1.1 bytes to that transport, which hands the whole request to the
router and feeds the answer back as bytes for aiohttp's parser. So everything above the socket
is aiohttp's own (forms, JSON, cookies, redirects, streaming, ``raise_for_status``), no DNS
lookup or socket is made, and every other host connects as usual. The answer says
``Connection: close``, so no fake connection is kept in the connector's pool.

``aioresponses``, started after the mock, answers every request before it reaches a connector
(Cognito's too, unless passed through); started before, it passes nothing to us either. See
docs/transports.md.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from aiohttp import client_exceptions as aiohttp_exceptions
from aiohttp.client_proto import ResponseHandler
from aiohttp.connector import TCPConnector

from .. import _active
from ..http.messages import HttpResponse, NoSuchHostError
from ..http.raw import RequestAssembler, encode_response
from ..http.router import is_cognito_host
from ._patch import ClassPatch


class _RouterTransport(asyncio.Transport):
    """A connection to a Cognito host that is the router, not a socket."""

    def __init__(self, protocol: ResponseHandler, scheme: str, host: str) -> None:
        super().__init__()
        self._protocol = protocol
        self._requests = RequestAssembler(scheme, host)
        self._closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._closing:
            return
        for request in self._requests.feed(bytes(data)):
            self._answer(request)

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def _answer(self, request: Any) -> None:
        loop = asyncio.get_running_loop()
        service = _active.current()
        try:
            if service is None:
                raise ConnectionResetError("the Cognito mock stopped while this request was sent")
            response: HttpResponse = service.router.handle(request)
        except NoSuchHostError as missing:
            loop.call_soon(self._protocol.connection_lost, OSError(str(missing)))
            self._closing = True
            return
        except BaseException as raised:  # UnsupportedOperationError, a stopped mock
            loop.call_soon(self._fail, raised)
            return
        loop.call_soon(self._protocol.data_received, encode_response(response))

    def _fail(self, raised: BaseException) -> None:
        # aiohttp surfaces the exception given to the protocol from the awaited response.
        self._protocol.set_exception(raised)

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            asyncio.get_running_loop().call_soon(self._protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def can_write_eof(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def is_reading(self) -> bool:
        return not self._closing

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass


async def _create_connection(self: Any, req: Any, traces: Any, timeout: Any) -> Any:
    url = req.url
    host = (url.host or "").lower()
    service = _active.current() if _active.any_active() and is_cognito_host(host) else None
    if service is None:
        return await _PATCH.original(self, req, traces, timeout)
    if not service.router.serves_host(host):
        # Fail as the DNS lookup of a name that does not exist would, before anything is sent.
        raise _dns_error(req, NoSuchHostError(host))
    protocol = ResponseHandler(asyncio.get_running_loop())
    port = f":{url.port}" if url.port not in (None, 80, 443) else ""
    protocol.connection_made(_RouterTransport(protocol, url.scheme, f"{url.host}{port}"))
    return protocol


def _dns_error(req: Any, missing: NoSuchHostError) -> Exception:
    error = getattr(aiohttp_exceptions, "ClientConnectorDNSError", None)  # aiohttp 3.11+
    kind = error if error is not None else aiohttp_exceptions.ClientConnectorError
    cause = socket.gaierror(socket.EAI_NONAME, str(missing))
    return kind(req.connection_key, cause)


_PATCH = ClassPatch(TCPConnector, "_create_connection", _create_connection)


def install() -> None:
    _PATCH.install()


def uninstall() -> None:
    _PATCH.uninstall()
