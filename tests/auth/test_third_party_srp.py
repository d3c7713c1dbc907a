"""Real SRP client libraries, unmodified, signing in against the mock: pycognito's
``Cognito.authenticate`` (which builds its own boto3 client from the pool id's region) and
warrant-lite's ``WarrantLite.authenticate_user``."""

from __future__ import annotations

import contextlib
import json
import locale

import pytest
import warrant_lite
from pycognito import Cognito
from support.users import make_user

PASSWORD = "Corr3ct-horse!"


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]


@pytest.fixture
def jwks_in_environment(monkeypatch, cognito_mock, pool_id) -> None:
    """pycognito verifies tokens against COGNITO_JWKS when it is set (instead of fetching
    ``/.well-known/jwks.json`` over requests, which the mock's HTTP tests cover)."""
    monkeypatch.setenv("COGNITO_JWKS", json.dumps(cognito_mock.jwks(pool_id)))


@pytest.fixture
def english_locale_or_c(monkeypatch) -> None:
    """warrant-lite switches to ``en_US.UTF-8`` to write English month and day names. Where that
    locale is not installed the switch raises; the C locale writes the same names, so stay in it
    (the library's SRP code runs unchanged)."""
    try:
        previous = locale.setlocale(locale.LC_ALL)
        locale.setlocale(locale.LC_ALL, ("en_US", "UTF-8"))
        locale.setlocale(locale.LC_ALL, previous)
    except locale.Error:
        monkeypatch.setattr(warrant_lite, "temp_locale", lambda _: contextlib.nullcontext())


@pytest.mark.usefixtures("jwks_in_environment")
def test_pycognito_authenticates_over_srp_and_renews(cognito_idp, cognito_mock, pool_id, client_id):
    make_user(cognito_idp, pool_id, email="ada@example.com")
    user = Cognito(pool_id, client_id, username="ada")
    user.authenticate(password=PASSWORD)
    assert user.id_claims["cognito:username"] == "ada"
    assert user.id_claims["email"] == "ada@example.com"
    assert user.access_claims["client_id"] == client_id
    assert user.token_type == "Bearer"
    first_access_token = user.access_token
    srp_calls = [call.operation for call in cognito_mock.calls[-2:]]
    assert srp_calls == ["InitiateAuth", "RespondToAuthChallenge"]

    user.renew_access_token()
    assert user.access_token != first_access_token
    assert user.access_claims["username"] == "ada"
    assert cognito_idp.get_user(AccessToken=user.access_token)["Username"] == "ada"


def test_pycognito_with_a_client_secret_and_an_email_alias(cognito_idp, cognito_mock, monkeypatch):
    # pycognito answers with the internal username from the challenge and hashes that name.
    pool_id = cognito_idp.create_user_pool(PoolName="app", AliasAttributes=["email"])["UserPool"][
        "Id"
    ]
    monkeypatch.setenv("COGNITO_JWKS", json.dumps(cognito_mock.jwks(pool_id)))
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="server", GenerateSecret=True
    )["UserPoolClient"]
    make_user(cognito_idp, pool_id, email="ada@example.com", email_verified="true")
    user = Cognito(
        pool_id,
        client["ClientId"],
        username="ada@example.com",
        client_secret=client["ClientSecret"],
    )
    user.authenticate(password=PASSWORD)
    assert user.access_claims["username"] == "ada"
    assert user.id_claims["email"] == "ada@example.com"


def test_pycognito_wrong_password(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    user = Cognito(pool_id, client_id, username="ada")
    with pytest.raises(user.client.exceptions.NotAuthorizedException) as raised:
        user.authenticate(password="Wr0ng-horse!")
    assert raised.value.response["Error"]["Message"] == "Incorrect username or password."
    assert user.access_token is None


@pytest.mark.usefixtures("english_locale_or_c")
def test_warrant_lite_authenticates_over_srp(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    tokens = warrant_lite.WarrantLite(
        "ada", PASSWORD, pool_id, client_id, client=cognito_idp
    ).authenticate_user()
    result = tokens["AuthenticationResult"]
    assert cognito_idp.get_user(AccessToken=result["AccessToken"])["Username"] == "ada"


@pytest.mark.usefixtures("english_locale_or_c")
def test_warrant_lite_signs_in_by_alias_with_a_secret(cognito_idp):
    # warrant-lite answers with the name typed at sign-in and hashes that name.
    pool_id = cognito_idp.create_user_pool(PoolName="app", UsernameAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="server", GenerateSecret=True
    )["UserPoolClient"]
    make_user(cognito_idp, pool_id, username="ada@example.com", email="ada@example.com")
    tokens = warrant_lite.WarrantLite(
        "ada@example.com",
        PASSWORD,
        pool_id,
        client["ClientId"],
        client=cognito_idp,
        client_secret=client["ClientSecret"],
    ).authenticate_user()
    access_token = tokens["AuthenticationResult"]["AccessToken"]
    attributes = cognito_idp.get_user(AccessToken=access_token)["UserAttributes"]
    assert {"Name": "email", "Value": "ada@example.com"} in attributes


@pytest.mark.usefixtures("english_locale_or_c")
def test_warrant_lite_wrong_password(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    srp_client = warrant_lite.WarrantLite(
        "ada", "Wr0ng-horse!", pool_id, client_id, client=cognito_idp
    )
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        srp_client.authenticate_user()
    assert raised.value.response["Error"]["Message"] == "Incorrect username or password."
