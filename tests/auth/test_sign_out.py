"""GlobalSignOut, AdminUserGlobalSignOut and RevokeToken: which tokens die, which live on."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from support.errors import error_of

from pytest_cognito_mock.backend.secret_hash import compute_secret_hash

PASSWORD = "Corr3ct-horse!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def make_client(cognito_idp, pool_id: str, **kwargs) -> dict:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS, **kwargs
    )["UserPoolClient"]


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="sign-out")["UserPool"]["Id"]
    for name in ("ada", "grace"):
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
        cognito_idp.admin_set_user_password(
            UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True
        )
    return pool_id


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)["ClientId"]


def sign_in(cognito_idp, pool_id: str, client_id: str, username: str = "ada", **extra) -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD, **extra},
    )["AuthenticationResult"]


def refresh(cognito_idp, client_id: str, refresh_token: str, **extra) -> dict:
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token, **extra},
    )["AuthenticationResult"]


def assert_refresh_revoked(cognito_idp, client_id: str, refresh_token: str) -> None:
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        refresh(cognito_idp, client_id, refresh_token)
    assert error_of(raised) == ("NotAuthorizedException", "Refresh Token has been revoked")


def assert_access_revoked(cognito_idp, access_token: str) -> None:
    # Any call authorized by an access token checks revocation; ChangePassword is one.
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.change_password(
            AccessToken=access_token, PreviousPassword=PASSWORD, ProposedPassword=PASSWORD
        )
    assert error_of(raised) == ("NotAuthorizedException", "Access Token has been revoked")


def access_works(cognito_idp, access_token: str) -> bool:
    return cognito_idp.list_devices(AccessToken=access_token)["Devices"] == []


def test_global_sign_out_revokes_every_token_of_the_user(cognito_idp, pool_id, client_id):
    other_client = make_client(cognito_idp, pool_id)["ClientId"]
    with freeze_time("2024-01-01 12:00:00.250"):  # every call in the same instant
        first = sign_in(cognito_idp, pool_id, client_id)
        second = sign_in(cognito_idp, pool_id, other_client)
        grace = sign_in(cognito_idp, pool_id, client_id, username="grace")
        cognito_idp.global_sign_out(AccessToken=first["AccessToken"])
        for client, result in ((client_id, first), (other_client, second)):
            assert_refresh_revoked(cognito_idp, client, result["RefreshToken"])
            assert_access_revoked(cognito_idp, result["AccessToken"])
        # Another user's session goes on.
        assert access_works(cognito_idp, grace["AccessToken"])
        refresh(cognito_idp, client_id, grace["RefreshToken"])
        # Signing in again afterwards, even within the same second, gives working tokens.
        fresh = sign_in(cognito_idp, pool_id, client_id)
        assert access_works(cognito_idp, fresh["AccessToken"])
        refreshed = refresh(cognito_idp, client_id, fresh["RefreshToken"])
        assert access_works(cognito_idp, refreshed["AccessToken"])


def test_global_sign_out_needs_a_live_access_token(cognito_idp, pool_id, client_id):
    result = sign_in(cognito_idp, pool_id, client_id)
    cognito_idp.global_sign_out(AccessToken=result["AccessToken"])
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.global_sign_out(AccessToken=result["AccessToken"])
    assert error_of(raised)[1] == "Access Token has been revoked"


def test_admin_user_global_sign_out(cognito_idp, pool_id, client_id):
    result = sign_in(cognito_idp, pool_id, client_id)
    cognito_idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="ada")
    assert_refresh_revoked(cognito_idp, client_id, result["RefreshToken"])
    assert_access_revoked(cognito_idp, result["AccessToken"])
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="nobody")
    assert error_of(raised)[1] == "User does not exist."


def test_revoke_token_kills_only_that_family(cognito_idp, pool_id, client_id):
    revoked = sign_in(cognito_idp, pool_id, client_id)
    kept = sign_in(cognito_idp, pool_id, client_id)
    from_revoked = refresh(cognito_idp, client_id, revoked["RefreshToken"])
    cognito_idp.revoke_token(Token=revoked["RefreshToken"], ClientId=client_id)
    assert_refresh_revoked(cognito_idp, client_id, revoked["RefreshToken"])
    assert_access_revoked(cognito_idp, revoked["AccessToken"])
    assert_access_revoked(cognito_idp, from_revoked["AccessToken"])
    assert access_works(cognito_idp, kept["AccessToken"])
    refresh(cognito_idp, client_id, kept["RefreshToken"])
    # Revoking again, or a string that is no refresh token of the pool, changes nothing.
    cognito_idp.revoke_token(Token=revoked["RefreshToken"], ClientId=client_id)
    cognito_idp.revoke_token(Token="eyJub3QiOiJhIHRva2VuIn0", ClientId=client_id)
    assert access_works(cognito_idp, kept["AccessToken"])


def test_revoke_token_must_come_from_the_issuing_client(cognito_idp, pool_id, client_id):
    other_client = make_client(cognito_idp, pool_id)["ClientId"]
    result = sign_in(cognito_idp, pool_id, client_id)
    with pytest.raises(cognito_idp.exceptions.UnauthorizedException) as raised:
        cognito_idp.revoke_token(Token=result["RefreshToken"], ClientId=other_client)
    assert error_of(raised) == ("UnauthorizedException", "Refresh Token has different Client")
    assert access_works(cognito_idp, result["AccessToken"])
    refresh(cognito_idp, client_id, result["RefreshToken"])


def test_revoke_token_authenticates_a_client_with_a_secret(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    client_id, secret = client["ClientId"], client["ClientSecret"]
    result = sign_in(
        cognito_idp, pool_id, client_id, SECRET_HASH=compute_secret_hash(secret, "ada", client_id)
    )
    with pytest.raises(cognito_idp.exceptions.UnauthorizedException) as raised:
        cognito_idp.revoke_token(Token=result["RefreshToken"], ClientId=client_id)
    assert error_of(raised)[1] == (
        f"Client {client_id} is configured for secret but secret was not received"
    )
    with pytest.raises(cognito_idp.exceptions.UnauthorizedException):
        cognito_idp.revoke_token(
            Token=result["RefreshToken"], ClientId=client_id, ClientSecret="x" * 51
        )
    cognito_idp.revoke_token(Token=result["RefreshToken"], ClientId=client_id, ClientSecret=secret)
    assert_access_revoked(cognito_idp, result["AccessToken"])


def test_revoke_token_needs_revocation_enabled(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, EnableTokenRevocation=False)["ClientId"]
    result = sign_in(cognito_idp, pool_id, client_id)
    with pytest.raises(cognito_idp.exceptions.UnsupportedOperationException) as raised:
        cognito_idp.revoke_token(Token=result["RefreshToken"], ClientId=client_id)
    assert error_of(raised) == (
        "UnsupportedOperationException",
        "Token revocation is not enabled for this app client.",
    )
    refresh(cognito_idp, client_id, result["RefreshToken"])


def test_revoke_token_refuses_access_tokens(cognito_idp, pool_id, client_id):
    result = sign_in(cognito_idp, pool_id, client_id)
    with pytest.raises(cognito_idp.exceptions.UnsupportedTokenTypeException):
        cognito_idp.revoke_token(Token=result["AccessToken"], ClientId=client_id)
    assert access_works(cognito_idp, result["AccessToken"])


def test_revoke_token_for_an_unknown_client(cognito_idp, pool_id, client_id):
    result = sign_in(cognito_idp, pool_id, client_id)
    with pytest.raises(cognito_idp.exceptions.UnauthorizedException) as raised:
        cognito_idp.revoke_token(Token=result["RefreshToken"], ClientId="nosuchclient")
    assert error_of(raised)[1] == "User pool client nosuchclient does not exist."
