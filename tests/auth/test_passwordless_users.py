"""Users without a password: SignUp without Password and AdminCreateUser without
TemporaryPassword, allowed only where users may sign in with an emailed or texted code."""

from __future__ import annotations

import pytest
from support.errors import error_of

FLOWS = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
EMAIL = [{"Name": "email", "Value": "ada@example.com"}]


def make_pool(cognito_idp, factors=("PASSWORD", "EMAIL_OTP")) -> tuple[str, str]:
    pool_id = cognito_idp.create_user_pool(
        PoolName="passwordless",
        AutoVerifiedAttributes=["email"],
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": list(factors)}},
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def sign_in_with_email_code(cognito_idp, cognito_mock, pool_id, client_id) -> dict:
    challenge = cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=challenge["Session"],
        ChallengeResponses={
            "USERNAME": "ada",
            "EMAIL_OTP_CODE": cognito_mock.last_code(pool_id, "ada", channel="EMAIL"),
        },
    )["AuthenticationResult"]


def test_sign_up_without_a_password(cognito_idp, cognito_mock):
    pool_id, client_id = make_pool(cognito_idp)
    signed_up = cognito_idp.sign_up(ClientId=client_id, Username="ada", UserAttributes=EMAIL)
    assert signed_up["UserConfirmed"] is False
    cognito_idp.confirm_sign_up(
        ClientId=client_id, Username="ada", ConfirmationCode=cognito_mock.last_code(pool_id, "ada")
    )
    # No password to offer: the email code is the only way in.
    offered = cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"}
    )
    assert offered["ChallengeName"] == "SELECT_CHALLENGE"
    assert offered["AvailableChallenges"] == ["EMAIL_OTP"]
    tokens = sign_in_with_email_code(cognito_idp, cognito_mock, pool_id, client_id)
    factors = cognito_idp.get_user_auth_factors(AccessToken=tokens["AccessToken"])
    assert factors["ConfiguredUserAuthFactors"] == ["EMAIL_OTP"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ada", "PASSWORD": "Any-passw0rd!"},
        )
    assert error_of(raised) == ("NotAuthorizedException", "Incorrect username or password.")


def test_a_password_is_needed_where_codes_cannot_sign_in(cognito_idp):
    _, client_id = make_pool(cognito_idp, factors=("PASSWORD", "WEB_AUTHN"))
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="ada", UserAttributes=EMAIL)
    assert error_of(raised) == ("InvalidParameterException", "Password cannot be empty")


def test_admin_create_user_without_a_temporary_password(cognito_idp, cognito_mock):
    pool_id, client_id = make_pool(cognito_idp)
    created = cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[*EMAIL, {"Name": "email_verified", "Value": "true"}],
        MessageAction="SUPPRESS",
    )["User"]
    assert created["UserStatus"] == "CONFIRMED"
    tokens = sign_in_with_email_code(cognito_idp, cognito_mock, pool_id, client_id)
    assert "AccessToken" in tokens
    # With a temporary password, as ever: the user must choose a password at first sign-in.
    with_password = cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="bob", TemporaryPassword="Temp-passw0rd!", UserAttributes=EMAIL
    )["User"]
    assert with_password["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_outside_passwordless_pools_a_temporary_password_is_made_up(cognito_idp):
    pool_id, _ = make_pool(cognito_idp, factors=("PASSWORD",))
    created = cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="ada", UserAttributes=EMAIL, MessageAction="SUPPRESS"
    )["User"]
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
