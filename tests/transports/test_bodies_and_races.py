"""Request bodies every way a library sends them (bytes, files, generators, chunked), and the
race where the last mock stops between "this URL is Cognito's" and "who answers it"."""

from __future__ import annotations

import asyncio
import io
import json
import urllib.request

import aiohttp
import boto3
import httpx
import pytest
import requests
from botocore.config import Config
from support.http_drivers import API, DRIVERS, Driver, api_headers

from pytest_cognito_mock import _active

BODY = json.dumps({"MaxResults": 3}).encode()


def test_requests_sends_files_and_generators(cognito_mock):
    headers = api_headers("ListUserPools")
    from_file = requests.post(API, data=io.BytesIO(BODY), headers=headers)
    chunked = requests.post(API, data=iter([BODY[:5], BODY[5:]]), headers=headers)
    assert from_file.json() == chunked.json() == {"UserPools": []}


def test_urllib_sends_a_file(cognito_mock):
    request = urllib.request.Request(
        API,
        data=io.BytesIO(BODY),
        headers={**api_headers("ListUserPools"), "Content-Length": str(len(BODY))},
    )
    with urllib.request.urlopen(request) as answer:
        assert json.load(answer) == {"UserPools": []}


def test_httpx_streams_a_generator(cognito_mock):
    answer = httpx.post(
        API, content=iter([BODY[:4], BODY[4:]]), headers=api_headers("ListUserPools")
    )
    assert answer.json() == {"UserPools": []}


def test_aiohttp_sends_chunked_bodies_and_forms(cognito_mock):
    async def pieces():
        yield BODY[:6]
        yield BODY[6:]

    async def send() -> tuple[object, int]:
        async with aiohttp.ClientSession() as session:
            async with session.post(API, data=pieces(), headers=api_headers("ListUserPools")) as a:
                chunked = await a.json(content_type=None)
            async with session.post(
                API, data={"not": "json"}, headers=api_headers("ListUserPools")
            ) as b:
                form = b.status
        return chunked, form

    chunked, form_status = asyncio.run(send())
    assert chunked == {"UserPools": []}
    assert form_status == 400  # a form is no JSON body: SerializationException


@pytest.mark.parametrize("driver", DRIVERS, ids=str)
def test_a_mock_gone_between_the_check_and_the_answer_lets_the_request_go(
    driver: Driver, cognito_mock, monkeypatch
):
    # Between "a mock is active" and "which one answers", the last mock stopped: the request
    # goes where it would have gone without a mock (here the suite's guard refuses it).
    monkeypatch.setattr(_active, "current", lambda: None)
    with pytest.raises(Exception) as raised:
        driver.send("POST", API, api_headers("ListUserPools"), BODY)
    assert "cognito-idp.us-east-1.amazonaws.com" in repr(raised.value) + str(raised.getrepr())


def test_botocore_and_aiobotocore_go_to_the_network_when_the_mock_is_gone(
    cognito_mock, monkeypatch
):
    get_session = pytest.importorskip(
        "aiobotocore.session", reason="aiobotocore is not installed"
    ).get_session

    monkeypatch.setattr(_active, "current", lambda: None)
    # One attempt: the failed connection is the proof; botocore's retries only add backoff.
    once = Config(retries={"max_attempts": 0})
    with pytest.raises(Exception, match=r"cognito-idp\.us-east-1\.amazonaws\.com"):
        boto3.client("cognito-idp", region_name="us-east-1", config=once).list_user_pools(
            MaxResults=1
        )

    async def call() -> None:
        async with get_session().create_client(
            "cognito-idp", region_name="us-east-1", config=once
        ) as idp:
            await idp.list_user_pools(MaxResults=1)

    with pytest.raises(Exception, match=r"cognito-idp\.us-east-1\.amazonaws\.com"):
        asyncio.run(call())
