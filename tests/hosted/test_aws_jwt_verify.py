"""aws-jwt-verify, AWS's own verifier for Cognito tokens (node), accepts the access and ID
tokens of the API and of the token endpoint, and machine tokens with their scope; it refuses a
tampered token, a token for another client and a scope the token lacks; and it accepts the
token of the token-exchange grant as the exchanging client's."""

from __future__ import annotations

import json

import pytest
import requests
from support.hosted import API, PASSWORD, TOKEN_URL
from support.node import node_or_skip, run_script

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/{pool}"


@pytest.fixture
def verify(cognito_mock):
    node = node_or_skip()

    def run(pool_id: str, checks: list[dict]) -> dict:
        jwks_url = cognito_mock.loopback_url(f"{ISSUER.format(pool=pool_id)}/.well-known/jwks.json")
        request = json.dumps({"userPoolId": pool_id, "checks": checks})
        return run_script(node, cognito_mock.subprocess_env(), "jwt_verify.mjs", jwks_url, request)

    return run


def test_aws_jwt_verify_accepts_what_cognito_issues(cognito_idp, cognito_mock, hosted, verify):
    api_client = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName="api",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    api = cognito_idp.admin_initiate_auth(
        UserPoolId=hosted.pool_id,
        ClientId=api_client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)
    hosted_tokens = requests.post(
        TOKEN_URL,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": hosted.callback},
        auth=(hosted.web.client_id, hosted.web.secret),
    ).json()
    machine = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        auth=(hosted.machine.client_id, hosted.machine.secret),
    ).json()["access_token"]
    head, body, signature = hosted_tokens["access_token"].split(".")
    tampered = f"{head}.{body}.{signature[:-4]}AAAA"

    results = verify(
        hosted.pool_id,
        [
            {
                "name": "api_access",
                "token": api["AccessToken"],
                "tokenUse": "access",
                "clientId": api_client,
            },
            {"name": "api_id", "token": api["IdToken"], "tokenUse": "id", "clientId": api_client},
            {
                "name": "hosted_access",
                "token": hosted_tokens["access_token"],
                "tokenUse": "access",
                "clientId": hosted.web.client_id,
            },
            {
                "name": "hosted_id",
                "token": hosted_tokens["id_token"],
                "tokenUse": "id",
                "clientId": hosted.web.client_id,
            },
            {
                "name": "machine",
                "token": machine,
                "tokenUse": "access",
                "clientId": hosted.machine.client_id,
                "scope": f"{API}/read",
            },
            {
                "name": "tampered",
                "token": tampered,
                "tokenUse": "access",
                "clientId": hosted.web.client_id,
            },
            {
                "name": "other_client",
                "token": hosted_tokens["access_token"],
                "tokenUse": "access",
                "clientId": hosted.spa.client_id,
            },
            {
                "name": "missing_scope",
                "token": machine,
                "tokenUse": "access",
                "clientId": hosted.machine.client_id,
                "scope": f"{API}/admin",
            },
        ],
    )
    for name in ("api_access", "api_id", "hosted_access", "hosted_id", "machine"):
        assert results[name]["ok"], (name, results[name])
    assert results["machine"]["sub"] == hosted.machine.client_id
    assert results["tampered"]["ok"] is False
    assert results["tampered"]["error"].startswith("JwtInvalidSignatureError")
    assert results["other_client"]["error"].startswith("CognitoJwtInvalidClientIdError")
    assert results["missing_scope"]["error"].startswith("JwtInvalidScopeError")


def test_aws_jwt_verify_accepts_a_token_from_the_token_exchange_grant(
    cognito_idp, cognito_mock, hosted, verify
):
    # The exchanged token is the requesting service's, bound to the resource server's scope.
    service = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName="gateway",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthScopes=[f"{API}/read"],
    )["UserPoolClient"]
    code = cognito_mock.authorization_code(
        hosted.web.client_id, "ada", PASSWORD, scopes=["openid", f"{API}/read"]
    )
    subject = requests.post(
        TOKEN_URL,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": hosted.callback},
        auth=(hosted.web.client_id, hosted.web.secret),
    ).json()["access_token"]
    exchanged = requests.post(
        TOKEN_URL,
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token": subject,
            "subject_token_type": "urn:ietf:params:oauth:token-type:access_token",
        },
        auth=(service["ClientId"], service["ClientSecret"]),
    ).json()["access_token"]
    results = verify(
        hosted.pool_id,
        [
            {
                "name": "exchanged",
                "token": exchanged,
                "tokenUse": "access",
                "clientId": service["ClientId"],
                "scope": f"{API}/read",
            },
            {
                "name": "not_the_web_apps",
                "token": exchanged,
                "tokenUse": "access",
                "clientId": hosted.web.client_id,
            },
        ],
    )
    assert results["exchanged"]["ok"] is True
    assert results["not_the_web_apps"]["ok"] is False
    assert results["not_the_web_apps"]["error"].startswith("CognitoJwtInvalidClientIdError")
