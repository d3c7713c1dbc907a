"""Password sign-in and refresh through AdminInitiateAuth / InitiateAuth, with client gating."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from freezegun import freeze_time
from support.errors import error_of

PASSWORD = "Corr3ct-horse!"
PASSWORD_FLOWS = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


def make_client(cognito_idp, pool_id: str, **kwargs) -> dict:
    return cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **kwargs)[
        "UserPoolClient"
    ]


def make_user(cognito_idp, pool_id: str, username: str = "ada", permanent: bool = True) -> None:
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=permanent
    )


def admin_sign_in(cognito_idp, pool_id, client_id, username="ada", password=PASSWORD, **extra):
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password, **extra},
    )


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_admin_password_sign_in_returns_three_tokens(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    make_user(cognito_idp, pool_id)
    response = admin_sign_in(cognito_idp, pool_id, client_id)
    assert response["ChallengeParameters"] == {}
    result = response["AuthenticationResult"]
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    assert result["RefreshToken"].startswith(
        "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ."
    )
    id_claims = claims(result["IdToken"])
    assert id_claims["aud"] == client_id
    assert id_claims["cognito:username"] == "ada"
    assert id_claims["email"] == "ada@example.com"
    assert id_claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    access = claims(result["AccessToken"])
    assert access["client_id"] == client_id
    assert access["token_use"] == "access"
    assert access["exp"] - access["iat"] == 3600


def test_the_legacy_admin_flow_name_works_on_an_allow_client(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    make_user(cognito_idp, pool_id)
    response = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    assert "AccessToken" in response["AuthenticationResult"]


@pytest.mark.parametrize(
    ("operation", "flow"),
    [
        ("initiate_auth", "ADMIN_USER_PASSWORD_AUTH"),
        ("initiate_auth", "ADMIN_NO_SRP_AUTH"),
        ("admin_initiate_auth", "USER_PASSWORD_AUTH"),
    ],
)
def test_a_flow_of_the_other_operation_is_not_supported(cognito_idp, pool_id, operation, flow):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    kwargs = {
        "ClientId": client_id,
        "AuthFlow": flow,
        "AuthParameters": {"USERNAME": "a", "PASSWORD": "b"},
    }
    if operation == "admin_initiate_auth":
        kwargs["UserPoolId"] = pool_id
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        getattr(cognito_idp, operation)(**kwargs)
    assert error_of(raised)[1] == "Initiate Auth method not supported."


@pytest.mark.parametrize(
    ("flows", "operation", "flow", "message"),
    [
        (
            None,
            "initiate_auth",
            "USER_PASSWORD_AUTH",
            "USER_PASSWORD_AUTH flow not enabled for this client",
        ),
        (
            None,
            "admin_initiate_auth",
            "ADMIN_USER_PASSWORD_AUTH",
            "Auth flow not enabled for this client",
        ),
        (
            ["CUSTOM_AUTH_FLOW_ONLY"],
            "admin_initiate_auth",
            "ADMIN_NO_SRP_AUTH",
            "Only custom auth (lambda driven) is enabled for this client.",
        ),
        (
            ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH"],
            "initiate_auth",
            "REFRESH_TOKEN_AUTH",
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        ),
    ],
)
def test_a_flow_the_client_does_not_allow_is_refused_before_the_user_is_looked_up(
    cognito_idp, pool_id, flows, operation, flow, message
):
    kwargs = {"ExplicitAuthFlows": flows} if flows else {}
    if flows and "ALLOW_REFRESH_TOKEN_AUTH" not in flows and flows[0].startswith("ALLOW_"):
        kwargs["RefreshTokenRotation"] = {"Feature": "ENABLED"}
    client_id = make_client(cognito_idp, pool_id, **kwargs)["ClientId"]
    call = {
        "ClientId": client_id,
        "AuthFlow": flow,
        "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "x", "REFRESH_TOKEN": "x"},
    }
    if operation == "admin_initiate_auth":
        call["UserPoolId"] = pool_id
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        getattr(cognito_idp, operation)(**call)
    assert error_of(raised)[1] == message


def test_user_password_auth_on_an_allowing_client(cognito_idp, cognito_mock, pool_id):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    make_user(cognito_idp, pool_id)
    unsigned = cognito_mock.client()
    result = unsigned.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert claims(result["AccessToken"])["username"] == "ada"


@pytest.mark.parametrize(
    ("setup", "username", "password", "error", "message"),
    [
        ("none", "nobody", PASSWORD, "UserNotFoundException", "User does not exist."),
        (
            "none",
            "ada",
            "Wr0ng-password!",
            "NotAuthorizedException",
            "Incorrect username or password.",
        ),
        ("disabled", "ada", PASSWORD, "NotAuthorizedException", "User is disabled."),
    ],
)
def test_user_state_errors(cognito_idp, pool_id, setup, username, password, error, message):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    make_user(cognito_idp, pool_id)
    if setup == "disabled":
        cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(getattr(cognito_idp.exceptions, error)) as raised:
        admin_sign_in(cognito_idp, pool_id, client_id, username=username, password=password)
    assert error_of(raised) == (error, message)


def test_prevent_user_existence_errors_hides_unknown_users(cognito_idp, pool_id):
    client_id = make_client(
        cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS, PreventUserExistenceErrors="ENABLED"
    )["ClientId"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        admin_sign_in(cognito_idp, pool_id, client_id, username="nobody")
    assert error_of(raised)[1] == "Incorrect username or password."


def test_an_unconfirmed_user_cannot_sign_in(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    cognito_idp.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD)
    with pytest.raises(cognito_idp.exceptions.UserNotConfirmedException) as raised:
        admin_sign_in(cognito_idp, pool_id, client_id)
    assert error_of(raised)[1] == "User is not confirmed."


def test_a_temporary_password_leads_to_the_new_password_challenge(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    make_user(cognito_idp, pool_id, permanent=False)
    response = admin_sign_in(cognito_idp, pool_id, client_id)
    assert response["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert 20 <= len(response["Session"]) <= 2048
    assert response["ChallengeParameters"]["USER_ID_FOR_SRP"] == "ada"
    assert "AuthenticationResult" not in response


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_a_client_with_a_secret_requires_the_secret_hash(cognito_idp, pool_id):
    client = make_client(
        cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS, GenerateSecret=True
    )
    make_user(cognito_idp, pool_id)
    message = f"Unable to verify secret hash for client {client['ClientId']}"
    for extra in ({}, {"SECRET_HASH": "d3Jvbmc="}):
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            admin_sign_in(cognito_idp, pool_id, client["ClientId"], **extra)
        assert error_of(raised)[1] == message
    good = secret_hash(client["ClientSecret"], "ada", client["ClientId"])
    assert (
        "IdToken"
        in admin_sign_in(cognito_idp, pool_id, client["ClientId"], SECRET_HASH=good)[
            "AuthenticationResult"
        ]
    )


def test_refresh_returns_new_id_and_access_tokens_only(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    make_user(cognito_idp, pool_id)
    with freeze_time("2031-05-01 10:00:00"):
        first = admin_sign_in(cognito_idp, pool_id, client_id)["AuthenticationResult"]
    with freeze_time("2031-05-01 12:00:00"):
        refreshed = cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
        )
    assert refreshed["ChallengeParameters"] == {}
    assert set(refreshed["AuthenticationResult"]) == {
        "AccessToken",
        "ExpiresIn",
        "TokenType",
        "IdToken",
    }
    old, new = (
        claims(first["AccessToken"]),
        claims(refreshed["AuthenticationResult"]["AccessToken"]),
    )
    assert new["auth_time"] == old["auth_time"]
    assert new["origin_jti"] == old["origin_jti"]
    assert new["iat"] == old["iat"] + 7200
    assert new["jti"] != old["jti"]


def test_refresh_errors(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    other_id = make_client(cognito_idp, pool_id, ExplicitAuthFlows=PASSWORD_FLOWS)["ClientId"]
    make_user(cognito_idp, pool_id)
    with freeze_time("2031-05-01"):
        token = admin_sign_in(cognito_idp, pool_id, client_id)["AuthenticationResult"][
            "RefreshToken"
        ]

    def refresh(parameters, client=client_id):
        with pytest.raises(cognito_idp.exceptions.ClientError) as raised:
            cognito_idp.admin_initiate_auth(
                UserPoolId=pool_id,
                ClientId=client,
                AuthFlow="REFRESH_TOKEN",
                AuthParameters=parameters,
            )
        return error_of(raised)

    with freeze_time("2031-05-02"):
        assert refresh({}) == (
            "InvalidParameterException",
            "Missing required parameter REFRESH_TOKEN",
        )
        assert refresh({"REFRESH_TOKEN": "garbage"}) == (
            "NotAuthorizedException",
            "Invalid Refresh Token.",
        )
        assert refresh({"REFRESH_TOKEN": token}, other_id) == (
            "NotAuthorizedException",
            "Refresh Token has different Client",
        )
    with freeze_time("2031-05-31 00:00:01"):
        assert refresh({"REFRESH_TOKEN": token}) == (
            "NotAuthorizedException",
            "Refresh Token has expired",
        )


def test_token_lifetimes_follow_the_client(cognito_idp, pool_id):
    client_id = make_client(
        cognito_idp,
        pool_id,
        ExplicitAuthFlows=PASSWORD_FLOWS,
        AccessTokenValidity=5,
        IdTokenValidity=2,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours"},
    )["ClientId"]
    make_user(cognito_idp, pool_id)
    result = admin_sign_in(cognito_idp, pool_id, client_id)["AuthenticationResult"]
    assert result["ExpiresIn"] == 300
    id_claims = claims(result["IdToken"])
    assert id_claims["exp"] - id_claims["iat"] == 7200
