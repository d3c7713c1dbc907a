"""The pytest plugin: fixtures ``cognito_mock``, ``cognito_idp``, ``cognito_endpoint`` and the
shared ``cognito_mock_module`` / ``cognito_mock_session``, the ``cognito_mock`` marker
and the ``cognito_mock_*`` ini options. The only module that imports pytest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ._options import OPTION_NAMES, make_options
from .mock import CognitoMock
from .transports import botocore as botocore_transport

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

#: option -> (ini name, converter from the ini's text)
_INI_OPTIONS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "region": ("cognito_mock_region", str),
    "account_id": ("cognito_mock_account_id", str),
    "import_rate": ("cognito_mock_import_rate", float),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "cognito_mock_region", "Default region of the cognito_mock fixtures.", default=None
    )
    parser.addini(
        "cognito_mock_account_id", "Default account id of the cognito_mock fixtures.", default=None
    )
    parser.addini(
        "cognito_mock_import_rate",
        "Users per second of mock time a started import job imports (default: all at once).",
        default=None,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cognito_mock(*, region='us-east-1', account_id='123456789012', fake_credentials=True, "
        "import_rate=None, import_stop_delay=0.0, import_job_expiry_hours=24.0, "
        "import_failure_threshold=0.5, sign_in_code_lifetime=180.0, sign_in_code_attempts=3, "
        "sign_in_codes_need_verified_contact=True, email_mfa_requires_ses=True, "
        "admin_create_user_requires_attributes=True): configure the "
        "cognito_mock / cognito_idp fixtures of this test.",
    )


def _options_for(request: pytest.FixtureRequest) -> dict[str, Any]:
    """ini defaults, overridden key by key by markers, the closest marker winning."""
    options: dict[str, Any] = {}
    for name, (ini_name, convert) in _INI_OPTIONS.items():
        value = request.config.getini(ini_name)
        if value:
            options[name] = convert(value)
    marker_options: dict[str, Any] = {}
    for marker in request.node.iter_markers("cognito_mock"):
        if marker.args:
            raise TypeError(
                "the cognito_mock marker takes keyword arguments only: " + ", ".join(OPTION_NAMES)
            )
        marker_options = {**marker.kwargs, **marker_options}
    options.update(marker_options)
    make_options(**options)  # a typo fails here, naming the valid keywords
    return options


@pytest.fixture
def cognito_mock(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CognitoMock]:
    """The controller of this test's Cognito mock (fresh state for every test): codes and
    messages the pools sent, triggers, import jobs, passkeys, and threat protection's simulated
    risk (``set_sign_in_risk``) and feedback tokens (``auth_event_feedback_token``); see
    docs/fixtures.md."""
    __tracebackhide__ = True
    shared = [name for name in _SHARED_MOCKS if name in request.fixturenames]
    if shared:
        # A fresh mock started inside a shared one answers every call of the test instead.
        pytest.fail(
            f"this test uses both {shared[0]} (a shared mock) and cognito_mock or cognito_idp "
            "(a fresh mock, which would answer every call instead): take clients from the "
            f"shared one, {shared[0]}.client()",
            pytrace=False,
        )
    mock = CognitoMock(**_options_for(request))
    # Test credentials go through the test's own monkeypatch, so they unwind with it.
    mock._setenv = monkeypatch.setenv
    with mock:
        yield mock


#: The fixtures of mocks shared by several tests.
_SHARED_MOCKS = ("cognito_mock_module", "cognito_mock_session")


def _scoped_mock(request: pytest.FixtureRequest) -> Iterator[CognitoMock]:
    """A mock for every test of ``request``'s scope: options from the ini file and the markers
    of that scope's node (a module's ``pytestmark``; none for the session)."""
    __tracebackhide__ = True
    with CognitoMock(**_options_for(request)) as mock:
        yield mock


@pytest.fixture(scope="module")
def cognito_mock_module(request: pytest.FixtureRequest) -> Iterator[CognitoMock]:
    """One Cognito mock for every test of this module that asks for it: state made by one test
    (a pool, its users) is there for the next. See docs/fixtures.md, "Sharing a pool"."""
    yield from _scoped_mock(request)


@pytest.fixture(scope="session")
def cognito_mock_session(request: pytest.FixtureRequest) -> Iterator[CognitoMock]:
    """One Cognito mock for the whole run (per xdist worker). See docs/fixtures.md."""
    yield from _scoped_mock(request)


@pytest.fixture
def cognito_endpoint(cognito_mock: CognitoMock) -> str:
    """``http://127.0.0.1:<port>``: this test's mock on a real loopback HTTP endpoint, for
    other processes and languages (the aws CLI, node, a browser)."""
    return cognito_mock.endpoint_url


@pytest.fixture
def cognito_idp(cognito_mock: CognitoMock) -> Iterator[CognitoIdentityProviderClient]:
    """A boto3 ``cognito-idp`` client answered by this test's mock, in its region.

    Clients are reused between tests (creating one costs milliseconds) as long as no test has
    registered event handlers on them; see docs/fixtures.md.
    """
    region = cognito_mock.options.region
    client = _shared_clients.get(region)
    if client is None or not botocore_transport.events_untouched(client, _fingerprints[region]):
        client = cognito_mock.client(region)
        _shared_clients[region] = client
        _fingerprints[region] = botocore_transport.events_fingerprint(client)
    yield client
    if not botocore_transport.events_untouched(client, _fingerprints[region]):
        _shared_clients.pop(region, None)


_shared_clients: dict[str, Any] = {}
_fingerprints: dict[str, object] = {}
