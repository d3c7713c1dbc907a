"""Suite-wide guards: no test may reach beyond loopback, and every test starts without an
active Cognito mock and with every library a transport adapter patches unpatched."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import warnings
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import pytest
import pytest_asyncio.plugin
from packaging.version import Version
from support import profile
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


# pytest-asyncio reads asyncio_default_fixture_loop_scope from 0.24 on; 0.23 has no such setting
# (its fixture loops are function-scoped anyway) and pytest calls the key unknown, an error here.
_ASYNCIO_HAS_LOOP_SCOPE = Version(version("pytest-asyncio")) >= Version("0.24")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        help="the full run CI makes: every hypothesis example and the tests marked slow",
    )
    if not _ASYNCIO_HAS_LOOP_SCOPE:
        parser.addini(
            "asyncio_default_fixture_loop_scope",
            f"read by pytest-asyncio 0.24 on; pytest-asyncio {version('pytest-asyncio')} has none",
        )


def pytest_configure(config: pytest.Config) -> None:
    profile.FULL = config.getoption("full")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``--full``, the slow tests (whole pytest sessions, benchmark runs in a subprocess)
    are deselected, not skipped: pytest's summary counts them, and no skip hides a gap."""
    if profile.FULL:
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def pytest_report_header(config: pytest.Config) -> str:
    if profile.FULL:
        return "suite profile: full (every hypothesis example, slow tests included)"
    return "suite profile: quick (a tenth of the hypothesis examples; `pytest --full` runs all)"


# pytest-asyncio before 1.0 ends its event_loop fixture by setting a fresh loop as the thread's
# current one (_provide_clean_event_loop) and never closes it: the next asyncio.run() or anyio
# runner replaces it and it is collected unclosed, a ResourceWarning (an error here). Closed after
# each test that had the fixture, and unset, as asyncio.run() leaves it.
_ASYNCIO_LEAVES_A_LOOP = hasattr(pytest_asyncio.plugin, "_provide_clean_event_loop")


@pytest.fixture(autouse=True)
def _no_loop_left_by_pytest_asyncio(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if _ASYNCIO_LEAVES_A_LOOP and "event_loop" in request.fixturenames:
        policy = asyncio.get_event_loop_policy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            left = policy.get_event_loop()
        left.close()
        policy.set_event_loop(None)


#: The operation tests of the UnsupportedOperationError path take out of the registry.
UNIMPLEMENTED = "DescribeTerms"


@pytest.fixture
def unimplemented_operation(monkeypatch: pytest.MonkeyPatch) -> str:
    """A model operation the mock lacks, as when botocore's model is newer than the mock: every
    operation of the installed model has a handler, so this test takes one out."""
    from pytest_cognito_mock.operations import OPERATIONS

    monkeypatch.delitem(OPERATIONS, UNIMPLEMENTED)
    return UNIMPLEMENTED


@pytest.fixture
def pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    """Inner sessions with the suite's own pytest-asyncio setting (they read no pyproject)."""
    if _ASYNCIO_HAS_LOOP_SCOPE:
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
