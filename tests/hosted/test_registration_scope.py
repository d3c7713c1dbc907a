"""The dynamic client registration pieces every botocore model has: the system-managed
``aws.cognito/dcr/register`` scope on ordinary app clients, and a registration endpoint that
does not exist for a pool without an Enabled DcrConfiguration."""

from __future__ import annotations

import jwt
import requests
from support.hosted import API, BASE, TOKEN_URL

REGISTER_SCOPE = "aws.cognito/dcr/register"


def test_any_app_client_may_hold_the_registration_scope(cognito_idp, hosted):
    # No resource server defines it, and a machine client may have it beside custom scopes.
    client = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName="registrar",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[REGISTER_SCOPE, f"{API}/read"],
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    assert client["AllowedOAuthScopes"] == [REGISTER_SCOPE, f"{API}/read"]
    listed = cognito_idp.list_resource_servers(UserPoolId=hosted.pool_id, MaxResults=50)
    assert [server["Identifier"] for server in listed["ResourceServers"]] == [API]
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials", "scope": REGISTER_SCOPE},
        auth=(client["ClientId"], client["ClientSecret"]),
    )
    assert answer.status_code == 200
    claims = jwt.decode(answer.json()["access_token"], options={"verify_signature": False})
    assert claims["scope"] == REGISTER_SCOPE


def test_without_registration_configured_the_endpoint_does_not_exist(hosted):
    answer = requests.post(f"{BASE}/oauth2/register", json={"redirect_uris": []})
    assert (answer.status_code, answer.json()) == (404, {"error": "not_found"})
    discovery = requests.get(
        f"https://cognito-idp.us-east-1.amazonaws.com/{hosted.pool_id}"
        "/.well-known/openid-configuration"
    ).json()
    assert "registration_endpoint" not in discovery
