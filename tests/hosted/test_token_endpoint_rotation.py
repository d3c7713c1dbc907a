"""The token endpoint with the two rotations: a client authenticates with either of its two
secrets (HTTP Basic or the body), and the refresh_token grant of a rotating client returns a new
refresh token, the submitted one then refused as GetTokensFromRefreshToken refuses it."""

from __future__ import annotations

import pytest
import requests
from support.hosted import API, CALLBACK, PASSWORD, TOKEN_URL
from support.model import requires_operation


def client_credentials(client_id: str, secret: str, *, in_body: bool = False) -> requests.Response:
    if in_body:
        data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        return requests.post(TOKEN_URL, data=data)
    return requests.post(
        TOKEN_URL, data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )


@requires_operation("AddUserPoolClientSecret")
@requires_operation("DeleteUserPoolClientSecret")
@pytest.mark.parametrize("in_body", [False, True], ids=["basic", "body"])
def test_either_secret_authenticates_a_machine(cognito_idp, hosted, in_body):
    machine = hosted.machine
    second = cognito_idp.add_user_pool_client_secret(
        UserPoolId=hosted.pool_id, ClientId=machine.client_id
    )["ClientSecretDescriptor"]
    for secret in (machine.secret, second["ClientSecretValue"]):
        assert client_credentials(machine.client_id, secret, in_body=in_body).status_code == 200

    first_id = cognito_idp.list_user_pool_client_secrets(
        UserPoolId=hosted.pool_id, ClientId=machine.client_id
    )["ClientSecrets"][0]["ClientSecretId"]
    cognito_idp.delete_user_pool_client_secret(
        UserPoolId=hosted.pool_id, ClientId=machine.client_id, ClientSecretId=first_id
    )

    retired = client_credentials(machine.client_id, machine.secret, in_body=in_body)
    assert (retired.status_code, retired.json()) == (400, {"error": "invalid_client"})
    current = client_credentials(machine.client_id, second["ClientSecretValue"], in_body=in_body)
    assert current.status_code == 200


def test_the_refresh_grant_of_a_rotating_client_rotates(cognito_idp, cognito_mock, hosted):
    client = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName="rotating",
        GenerateSecret=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", f"{API}/read"],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["COGNITO"],
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
        RefreshTokenRotation={"Feature": "ENABLED"},
    )["UserPoolClient"]
    auth = (client["ClientId"], client["ClientSecret"])
    code = cognito_mock.authorization_code(client["ClientId"], "ada", PASSWORD)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    signed_in = requests.post(TOKEN_URL, data=data, auth=auth).json()

    def refresh(token: str) -> requests.Response:
        data = {"grant_type": "refresh_token", "refresh_token": token}
        return requests.post(TOKEN_URL, data=data, auth=auth)

    rotated = refresh(signed_in["refresh_token"]).json()
    assert list(rotated) == [
        "access_token",
        "id_token",
        "refresh_token",
        "token_type",
        "expires_in",
    ]
    assert rotated["refresh_token"] != signed_in["refresh_token"]
    reused = refresh(signed_in["refresh_token"])
    assert (reused.status_code, reused.json()) == (400, {"error": "invalid_grant"})
    assert "refresh_token" in refresh(rotated["refresh_token"]).json()
