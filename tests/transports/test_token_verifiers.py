"""Token verifiers that fetch the pool's JWKS themselves, unmodified: cognitojwt's async
``decode_async`` (aiohttp) and its sync ``decode`` (requests), at the real AWS issuer."""

from __future__ import annotations

import asyncio

import cognitojwt
import pytest

PASSWORD = "Passw0rd!"


@pytest.fixture
def signed_in(cognito_idp) -> tuple[str, str, dict]:
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="api",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    tokens = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return pool_id, client_id, tokens


def test_cognitojwt_async_fetches_the_jwks_with_aiohttp(signed_in):
    pool_id, client_id, tokens = signed_in
    claims = asyncio.run(
        cognitojwt.decode_async(tokens["IdToken"], "us-east-1", pool_id, app_client_id=client_id)
    )
    assert (claims["cognito:username"], claims["token_use"]) == ("ada", "id")
    assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"


def test_cognitojwt_sync_and_a_token_of_another_pool(signed_in, cognito_idp):
    pool_id, client_id, tokens = signed_in
    claims = cognitojwt.decode(tokens["AccessToken"], "us-east-1", pool_id)
    assert (claims["username"], claims["client_id"]) == ("ada", client_id)
    other = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    with pytest.raises(cognitojwt.CognitoJWTException):
        cognitojwt.decode(tokens["AccessToken"], "us-east-1", other)
