"""The domain endpoints through every HTTP client the mock answers in process: requests,
urllib3, httpx (sync and async), aiohttp and urllib, each sending the request its own way."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from support.hosted import API, PASSWORD, TOKEN_URL, USERINFO_URL
from support.http_drivers import DRIVERS

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


@pytest.mark.parametrize("driver", DRIVERS, ids=str)
def test_a_machine_token_through_each_client(hosted, driver):
    status, headers, body = driver.send(
        "POST",
        TOKEN_URL,
        {**FORM, **basic(hosted.machine.client_id, hosted.machine.secret)},
        b"grant_type=client_credentials",
    )
    assert status == 200
    assert headers["cache-control"] == "no-store"
    token = json.loads(body)["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["scope"] == (
        f"{API}/read {API}/write"
    )


@pytest.mark.parametrize("driver", DRIVERS, ids=str)
def test_user_info_and_token_errors_through_each_client(cognito_mock, hosted, driver):
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD, scopes=["openid"])
    status, _, body = driver.send(
        "POST",
        TOKEN_URL,
        {**FORM, **basic(hosted.web.client_id, hosted.web.secret)},
        f"grant_type=authorization_code&code={code}&redirect_uri={hosted.callback}".encode(),
    )
    assert status == 200
    access = json.loads(body)["access_token"]
    status, _, body = driver.send("GET", USERINFO_URL, {"Authorization": f"Bearer {access}"}, None)
    assert (status, json.loads(body)["username"]) == (200, "ada")
    status, _, body = driver.send(
        "POST",
        TOKEN_URL,
        {**FORM, **basic(hosted.web.client_id, "wrong")},
        b"grant_type=client_credentials",
    )
    assert (status, json.loads(body)) == (400, {"error": "invalid_client"})


@pytest.mark.parametrize("driver", DRIVERS, ids=str)
def test_a_deleted_domain_is_a_connection_error(cognito_idp, hosted, driver):
    cognito_idp.delete_user_pool_domain(UserPoolId=hosted.pool_id, Domain="my-app")
    with pytest.raises(driver.connection_error):
        driver.send("POST", TOKEN_URL, FORM, b"grant_type=client_credentials")
