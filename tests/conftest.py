"""Suite-wide guards: no test may reach beyond loopback, and every test starts without an
active Cognito mock and with every library a transport adapter patches unpatched."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from support.patch_points import unpatched as _unpatched

from pytest_cognito_mock import _active, transports

# The transport adapters import their libraries once, now: pytester's in-process sessions unload
# modules first imported inside them, which would leave the adapters patching stale classes.
transports.available()

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


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


@pytest.fixture
def pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    """Inner sessions with the suite's own pytest-asyncio setting (they read no pyproject)."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


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
