"""HTTP requests and responses as plain values, the currency between transports and routers.

Every transport (the in-process adapters of :mod:`pytest_cognito_mock.transports` and the
loopback server) turns its library's request into an :class:`HttpRequest`, asks an
:class:`Endpoint` for the :class:`HttpResponse`, and turns that back into its library's
response. Nothing here knows what is being served.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol
from urllib.parse import SplitResult, urlsplit


@dataclass(frozen=True)
class HttpRequest:
    """One request: ``url`` is absolute (``scheme://host[:port]/path?query``); header names
    are lower case; ``body`` is the whole body (empty when the request has none, or while only
    the head has been read)."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @staticmethod
    def of(
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
        body: bytes | str | None = b"",
    ) -> HttpRequest:
        """A request from a library's parts: any header case, repeated headers joined."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        joined: dict[str, str] = {}
        for name, value in pairs:
            key = str(name).lower()
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            joined[key] = f"{joined[key]},{text}" if key in joined else text
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        return HttpRequest(method.upper(), url, joined, bytes(body))

    @cached_property
    def parts(self) -> SplitResult:
        return urlsplit(self.url)

    @property
    def host(self) -> str:
        """The host name, lower case, without port."""
        return (self.parts.hostname or "").lower()

    @property
    def path(self) -> str:
        return self.parts.path or "/"


@dataclass(frozen=True)
class HttpResponse:
    """One answer. ``close`` asks a server to close the connection after sending it."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    close: bool = False

    @property
    def reason(self) -> str:
        return http.client.responses.get(self.status, "")


class NoSuchHostError(LookupError):
    """The request names a host that does not exist (for AWS: a DNS name that does not
    resolve). Transports raise their library's own connection error for it."""

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(f"{host} does not exist (no DNS record); nothing was sent")


class Endpoint(Protocol):
    """What a server (or an in-process transport) needs from whatever it serves."""

    def preflight(self, head: HttpRequest) -> HttpResponse | None:
        """An answer decided from the head alone (before any body is read or ``100 Continue``
        is sent), or None to read the body and call :meth:`handle`."""
        ...

    def handle(self, request: HttpRequest) -> HttpResponse:
        """The answer to a whole request."""
        ...

    def malformed(self, head: HttpRequest | None, problem: str) -> HttpResponse:
        """The answer when a request cannot be read: ``problem`` is ``"request"`` (a bad
        request line or headers), ``"incomplete-body"`` (the client hung up before sending the
        body it announced), ``"body-timeout"`` (it stalled) or ``"internal"`` (the endpoint
        itself raised)."""
        ...
