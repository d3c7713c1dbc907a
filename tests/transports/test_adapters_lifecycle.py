"""The adapters are installed with the first mock and removed with the last, restoring every
library exactly; libraries that are not installed are never imported; and while a mock is
active no request to a Cognito host opens a socket or looks a name up, whatever the client."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import boto3
import pytest
from support.http_drivers import API, DRIVERS, api_headers, jwks_url
from support.patch_points import ORIGINALS, PATCH_POINTS, current

from pytest_cognito_mock import CognitoMock, UnsupportedOperationError


def test_every_patch_point_is_patched_while_a_mock_is_active_and_restored_after():
    installed = [point for point in PATCH_POINTS if ORIGINALS[point] is not None]
    with CognitoMock():
        with CognitoMock():
            patched = [p for p in PATCH_POINTS if current(*p) is not ORIGINALS[p]]
        still_patched = [p for p in PATCH_POINTS if current(*p) is not ORIGINALS[p]]
    assert patched == installed
    assert still_patched == installed  # the outer mock is still active
    assert [p for p in PATCH_POINTS if current(*p) is not ORIGINALS[p]] == []


def _child(code: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_importing_the_package_imports_no_http_library():
    found = _child(
        """
        import json, sys
        import pytest_cognito_mock
        print(json.dumps({n: n in sys.modules for n in ("httpx", "aiohttp", "aiobotocore")}))
        """
    )
    assert found == {"httpx": False, "aiohttp": False, "aiobotocore": False}


def test_libraries_that_are_not_installed_are_never_imported():
    # sys.modules[name] = None is how Python spells "not installed" to find_spec.
    found = _child(
        """
        import json, sys
        for name in ("httpx", "aiohttp", "aiobotocore", "requests"):
            sys.modules[name] = None
        import urllib.request
        from pytest_cognito_mock import CognitoMock, transports
        with CognitoMock() as mock:
            pool_id = mock.client().create_user_pool(PoolName="p")["UserPool"]["Id"]
            url = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}/.well-known/jwks.json"
            with urllib.request.urlopen(url) as answer:
                served = json.load(answer) == mock.jwks(pool_id)
            adapters = sorted(m.__name__.rsplit(".", 1)[1] for m in transports.available())
        print(json.dumps({"served": served, "adapters": adapters,
                          "absent": [n for n in ("httpx", "aiohttp", "aiobotocore", "requests")
                                     if sys.modules[n] is None]}))
        """
    )
    assert found == {
        "served": True,
        "adapters": ["botocore", "urllib", "urllib3"],
        "absent": ["httpx", "aiohttp", "aiobotocore", "requests"],
    }


# -- the network guard ------------------------------------------------------------------------


@pytest.fixture
def outside_attempts(monkeypatch) -> Iterator[list[object]]:
    """Every connect or name lookup aimed outside loopback, from any thread, while the test
    runs (the suite's own guard would refuse them; this records that none was even tried)."""
    attempts: list[object] = []
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def watched_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in (
            "127.0.0.1",
            "::1",
        ):
            attempts.append(("connect", address))
        return connect(self, address)

    def watched_getaddrinfo(host, *args, **kwargs):
        if host not in (None, "127.0.0.1", "::1", "localhost"):
            attempts.append(("getaddrinfo", host))
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", watched_connect)
    monkeypatch.setattr(socket, "getaddrinfo", watched_getaddrinfo)
    yield attempts


COGNITO_URLS = (
    ("GET", None),  # the pool's JWKS
    ("POST", API),
    ("POST", "https://cognito-idp-fips.eu-west-1.amazonaws.com/"),
    ("GET", "https://nosuch.auth.us-east-1.amazoncognito.com/oauth2/authorize"),
    ("GET", "https://login.example-custom.amazoncognito.com/logout"),
)


def test_no_request_to_a_cognito_host_reaches_the_network(
    cognito_mock, cognito_idp, outside_attempts, unimplemented_operation
):
    pool_id = cognito_idp.create_user_pool(PoolName="guarded")["UserPool"]["Id"]
    outcomes = []
    for driver in DRIVERS:
        for method, url in COGNITO_URLS:
            target = url or jwks_url(pool_id)
            body = json.dumps({"MaxResults": 5}).encode() if method == "POST" else None
            try:
                status = driver.send(method, target, api_headers("ListUserPools"), body)[0]
            except driver.connection_error:
                status = "no such host"
            outcomes.append((driver.name, target.split("/")[2], status))
        with pytest.raises(UnsupportedOperationError):
            driver.send("POST", API, api_headers(unimplemented_operation), b"{}")
    boto3.client("cognito-idp", region_name="eu-north-1").list_user_pools(MaxResults=5)
    # aiobotocore is left out where the newest botocore is tested (its release pins an older
    # one: tox -e newest); everywhere else it is installed and checked here too.
    if importlib.util.find_spec("aiobotocore") is not None:
        from aiobotocore.session import get_session

        async def aiobotocore_call() -> None:
            async with get_session().create_client("cognito-idp", region_name="eu-north-1") as idp:
                await idp.list_user_pools(MaxResults=5)

        asyncio.run(aiobotocore_call())
    assert outside_attempts == []
    expected = [
        ("cognito-idp.us-east-1.amazonaws.com", 200),
        ("cognito-idp.us-east-1.amazonaws.com", 200),
        ("cognito-idp-fips.eu-west-1.amazonaws.com", 200),
        ("nosuch.auth.us-east-1.amazoncognito.com", "no such host"),
        ("login.example-custom.amazoncognito.com", "no such host"),
    ]
    assert outcomes == [(driver.name, *row) for driver in DRIVERS for row in expected]
