"""The HTTP mocks a test may already use keep working beside this one: ``responses``, ``respx``,
``pytest_httpx`` and ``aioresponses`` answer their hosts, the Cognito mock answers Cognito's,
whichever started first."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp
import httpx
import pytest
import requests
import responses
import respx
from aioresponses import aioresponses
from support.http_drivers import jwks_url

from pytest_cognito_mock import CognitoMock

OTHER = "https://api.example.com/profile"


@contextlib.contextmanager
def both(other_mock, mock_first: bool):
    """The other library's mock and a Cognito mock, started in the given order."""
    cognito = CognitoMock()
    first, second = (cognito, other_mock) if mock_first else (other_mock, cognito)
    with first, second:
        yield cognito, (other_mock if mock_first else first)


def _aioresponses_works() -> bool:
    async def fetch() -> None:
        async with aiohttp.ClientSession() as session:
            await session.get(OTHER)

    with aioresponses() as stub:
        stub.get(OTHER)
        try:
            asyncio.run(fetch())
        except TypeError:  # it builds aiohttp responses by hand, for older aiohttp releases
            return False
    return True


needs_working_aioresponses = pytest.mark.skipif(
    not _aioresponses_works(),
    reason=f"the installed aioresponses cannot build responses for aiohttp {aiohttp.__version__}",
)

ORDERS = pytest.mark.parametrize("mock_first", [True, False], ids=["ours-first", "ours-second"])


def new_pool(cognito: CognitoMock) -> str:
    return cognito.client().create_user_pool(PoolName="app")["UserPool"]["Id"]


@ORDERS
def test_responses(mock_first):
    with both(responses.RequestsMock(), mock_first) as (cognito, stub):
        stub.add(responses.GET, OTHER, json={"name": "ada"})
        pool_id = new_pool(cognito)
        assert requests.get(OTHER).json() == {"name": "ada"}
        assert requests.get(jwks_url(pool_id)).json() == cognito.jwks(pool_id)


@ORDERS
def test_respx(mock_first):
    with both(respx.mock(assert_all_called=True), mock_first) as (cognito, router):
        router.get(OTHER).respond(200, json={"name": "ada"})
        pool_id = new_pool(cognito)
        assert httpx.get(OTHER).json() == {"name": "ada"}
        assert httpx.get(jwks_url(pool_id)).json() == cognito.jwks(pool_id)


def test_pytest_httpx(cognito_mock, httpx_mock):
    httpx_mock.add_response(url=OTHER, json={"name": "ada"})
    pool_id = cognito_mock.client().create_user_pool(PoolName="app")["UserPool"]["Id"]

    async def fetch() -> tuple[object, object]:
        async with httpx.AsyncClient() as client:
            other = (await client.get(OTHER)).json()
            keys = (await client.get(jwks_url(pool_id))).json()
        return other, keys

    assert asyncio.run(fetch()) == ({"name": "ada"}, cognito_mock.jwks(pool_id))


@needs_working_aioresponses
@ORDERS
def test_aioresponses_passing_cognito_through(mock_first):
    passthrough = aioresponses(passthrough=["https://cognito-idp.us-east-1.amazonaws.com"])
    with both(passthrough, mock_first) as (cognito, stub):
        stub.get(OTHER, payload={"name": "ada"})
        pool_id = new_pool(cognito)

        async def fetch() -> tuple[object, object]:
            async with aiohttp.ClientSession() as session:
                async with session.get(OTHER) as other:
                    other_body = await other.json()
                async with session.get(jwks_url(pool_id)) as keys:
                    return other_body, await keys.json()

        assert asyncio.run(fetch()) == ({"name": "ada"}, cognito.jwks(pool_id))


def test_aioresponses_answers_everything_it_is_not_told_to_pass_through(cognito_mock):
    # aioresponses sits above aiohttp's connectors: a request it does not pass through never
    # reaches any transport, ours included (and never the network either).
    pool_id = cognito_mock.client().create_user_pool(PoolName="app")["UserPool"]["Id"]

    async def fetch() -> None:
        async with aiohttp.ClientSession() as session:
            await session.get(jwks_url(pool_id))

    with aioresponses(), pytest.raises(aiohttp.ClientConnectionError, match="Connection refused"):
        asyncio.run(fetch())
