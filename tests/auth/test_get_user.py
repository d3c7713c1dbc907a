"""GetUser with an access token, and every way the token can be refused."""

from __future__ import annotations

import base64
import json

import pytest
from freezegun import freeze_time

from pytest_cognito_mock.backend import clock
from pytest_cognito_mock.operations import OPERATIONS

PASSWORD = "Corr3ct-horse!"
PASSWORD_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=PASSWORD_FLOWS,
        AccessTokenValidity=5,
        TokenValidityUnits={"AccessToken": "minutes"},
    )["UserPoolClient"]["ClientId"]


def make_user(cognito_idp, pool_id: str, username: str = "ada") -> None:
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


def sign_in(cognito_idp, pool_id: str, client_id: str, username: str = "ada") -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


def get_user_error(client, token: str) -> tuple[str, str]:
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.get_user(AccessToken=token)
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_get_user_returns_the_token_owner(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, "bob")
    token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    response = cognito_idp.get_user(AccessToken=token)
    admin_view = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert response["Username"] == "ada"
    assert response["UserAttributes"] == admin_view["UserAttributes"]
    assert {a["Name"]: a["Value"] for a in response["UserAttributes"]}["email"] == (
        "ada@example.com"
    )
    # No MFA configured: the MFA members are omitted, as are the admin-only ones.
    assert set(response) - {"ResponseMetadata"} == {"Username", "UserAttributes"}


def test_get_user_answers_any_client_of_the_region(cognito_mock, cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    # GetUser is unsigned: a fresh client of the same region sees the same user.
    assert cognito_mock.client().get_user(AccessToken=token)["Username"] == "ada"


def test_an_expired_access_token_is_refused(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    with freeze_time("2031-05-01 10:00:00"):
        token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    with freeze_time("2031-05-01 10:04:59"):
        assert cognito_idp.get_user(AccessToken=token)["Username"] == "ada"
    with freeze_time("2031-05-01 10:05:00"):
        assert get_user_error(cognito_idp, token) == (
            "NotAuthorizedException",
            "Access Token has expired",
        )


def test_a_token_issued_before_a_global_sign_out_is_revoked(
    cognito_mock, cognito_idp, pool_id, client_id
):
    make_user(cognito_idp, pool_id)
    with freeze_time("2031-05-01 10:00:00"):
        token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    with freeze_time("2031-05-01 10:01:00"):
        if "GlobalSignOut" in OPERATIONS:
            cognito_idp.global_sign_out(AccessToken=token)
        else:  # what GlobalSignOut records, until that operation is registered
            cognito_mock._service.backend.global_sign_outs[payload(token)["sub"]] = clock.now()
        assert get_user_error(cognito_idp, token) == (
            "NotAuthorizedException",
            "Access Token has been revoked",
        )
    with freeze_time("2031-05-01 10:02:00"):
        fresh = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
        assert cognito_idp.get_user(AccessToken=fresh)["Username"] == "ada"
        assert get_user_error(cognito_idp, token)[1] == "Access Token has been revoked"


def test_a_tampered_access_token_is_invalid(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, "bob")
    token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    header, body, signature = token.split(".")
    bob_sub = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="bob")["UserAttributes"]
    impersonation = {**payload(token), "sub": {a["Name"]: a["Value"] for a in bob_sub}["sub"]}
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    for forged in (
        f"{header}.{b64(impersonation)}.{signature}",
        f"{header}.{body}.{flipped}",
        f"{header}.{body}.",
        "not-a-token",
    ):
        assert get_user_error(cognito_idp, forged) == (
            "NotAuthorizedException",
            "Invalid Access Token",
        )


def test_an_id_token_is_not_an_access_token(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    id_token = sign_in(cognito_idp, pool_id, client_id)["IdToken"]
    assert get_user_error(cognito_idp, id_token) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )


def test_a_token_is_only_good_in_its_pools_region(cognito_mock, cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    assert get_user_error(cognito_mock.client("eu-west-1"), token) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )


def test_a_disabled_user_is_refused(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="ada")
    code, message = get_user_error(cognito_idp, token)
    assert code == "NotAuthorizedException"
    # AWS documents that disabling revokes the user's access tokens; either way it is refused.
    assert message in ("User is disabled.", "Access Token has been revoked")


def test_get_user_shows_mfa_settings_when_set(cognito_mock, cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    with cognito_mock._service.lock:
        user = cognito_mock._service.backend.pools[pool_id].users["ada"]
        user.preferred_mfa = "SOFTWARE_TOKEN_MFA"
        user.mfa_methods = ["SOFTWARE_TOKEN_MFA"]
    response = cognito_idp.get_user(AccessToken=token)
    assert response["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert response["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert "MFAOptions" not in response
