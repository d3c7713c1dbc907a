"""Suite-wide guards: no test may reach beyond loopback, and every test starts without an
active Cognito mock and with every library a transport adapter patches unpatched."""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from botocore.endpoint import Endpoint
from botocore.signers import RequestSigner

from pytest_cognito_mock import _active

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_ORIGINAL_DO_GET_RESPONSE = Endpoint.__dict__["_do_get_response"]
_ORIGINAL_SIGN = RequestSigner.__dict__["sign"]
_ORIGINAL_HTTPS_OPEN = urllib.request.HTTPSHandler.__dict__["https_open"]
_ORIGINAL_HTTP_OPEN = urllib.request.HTTPHandler.__dict__["http_open"]
_ORIGINAL_GET_ADAPTER = requests.Session.__dict__["get_adapter"]


def _unpatched() -> list[str]:
    """Names of the library methods a Cognito mock patches that are not their originals now."""
    checks = {
        "Endpoint._do_get_response": Endpoint.__dict__["_do_get_response"]
        is _ORIGINAL_DO_GET_RESPONSE,
        "RequestSigner.sign": RequestSigner.__dict__["sign"] is _ORIGINAL_SIGN,
        "HTTPSHandler.https_open": urllib.request.HTTPSHandler.__dict__["https_open"]
        is _ORIGINAL_HTTPS_OPEN,
        "HTTPHandler.http_open": urllib.request.HTTPHandler.__dict__["http_open"]
        is _ORIGINAL_HTTP_OPEN,
        "requests.Session.get_adapter": requests.Session.__dict__["get_adapter"]
        is _ORIGINAL_GET_ADAPTER,
    }
    return [name for name, original in checks.items() if not original]


class NetworkAccessRefused(OSError):
    """A test tried to reach an address outside loopback."""


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def _only_loopback() -> Iterator[None]:
    original_connect = socket.socket.connect
    original_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise NetworkAccessRefused(f"test tried to connect to {address!r}")
        return original_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            raise NetworkAccessRefused(f"test tried to resolve {host!r}")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    yield
    socket.socket.connect = original_connect  # type: ignore[method-assign]
    socket.getaddrinfo = original_getaddrinfo


@pytest.fixture(autouse=True)
def _libraries_restored_after_each_test() -> Iterator[None]:
    assert _unpatched() == []
    yield
    assert not _active.any_active(), "a Cognito mock was left active"
    assert _unpatched() == [], "left patched after the test"
