"""Sign-in faults real clients hit, each pinned as AWS behaves: TOTP enrolment by
VerifySoftwareToken, a TOTP code taken once, AdminDisableUser revoking tokens for good, and
trigger answers a Lambda runtime could not return."""

from __future__ import annotations

import datetime
import decimal

import pytest
import time_machine
from support import custom_auth
from support.custom_auth import OneTimeCode
from support.errors import error_of
from support.mfa import (
    answer_totp,
    make_client,
    respond,
    sign_in,
    totp,
    totp_pool,
)
from support.users import make_user

START = datetime.datetime(2026, 3, 1, 12, 0, 5, tzinfo=datetime.timezone.utc)


def _enrol_with_access_token(cognito_idp, client_id) -> tuple[str, str]:
    """AssociateSoftwareToken + VerifySoftwareToken with an access token, and nothing else."""
    access_token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    secret = cognito_idp.associate_software_token(AccessToken=access_token)["SecretCode"]
    verified = cognito_idp.verify_software_token(
        AccessToken=access_token, UserCode=totp(secret), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS"
    return secret, access_token


def test_verifying_with_an_access_token_turns_totp_on(cognito_idp):
    pool_id = totp_pool(cognito_idp, mode="OPTIONAL")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with time_machine.travel(START, tick=False) as traveller:
        secret, access_token = _enrol_with_access_token(cognito_idp, client_id)
        user = cognito_idp.get_user(AccessToken=access_token)
        assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
        assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
        traveller.shift(30)
        challenge = sign_in(cognito_idp, client_id)
        assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        assert challenge["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "phone"
        tokens = answer_totp(cognito_idp, client_id, challenge, totp(secret))
        assert "AccessToken" in tokens["AuthenticationResult"]


def test_a_required_mfa_pool_asks_for_the_code_not_for_setup_after_enrolment(cognito_idp):
    """AWS's MFA scenario: MFA_SETUP, associate and verify with the session, then every later
    sign-in asks SOFTWARE_TOKEN_MFA (it used to ask MFA_SETUP forever)."""
    pool_id = totp_pool(cognito_idp, mode="ON")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with time_machine.travel(START, tick=False) as traveller:
        setup = sign_in(cognito_idp, client_id)
        assert setup["ChallengeName"] == "MFA_SETUP"
        associated = cognito_idp.associate_software_token(Session=setup["Session"])
        secret = associated["SecretCode"]
        verified = cognito_idp.verify_software_token(
            Session=associated["Session"], UserCode=totp(secret)
        )
        respond(cognito_idp, client_id, verified, "MFA_SETUP")
        for _ in range(2):
            traveller.shift(30)
            challenge = sign_in(cognito_idp, client_id)
            assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
            answer_totp(cognito_idp, client_id, challenge, totp(secret))


def test_the_access_token_path_in_a_required_pool_also_ends_setup(cognito_idp):
    pool_id = totp_pool(cognito_idp, mode="ON")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with time_machine.travel(START, tick=False) as traveller:
        setup = sign_in(cognito_idp, client_id)
        associated = cognito_idp.associate_software_token(Session=setup["Session"])
        secret = associated["SecretCode"]
        verified = cognito_idp.verify_software_token(
            Session=associated["Session"], UserCode=totp(secret)
        )
        access_token = respond(cognito_idp, client_id, verified, "MFA_SETUP")[
            "AuthenticationResult"
        ]["AccessToken"]
        assert cognito_idp.get_user(AccessToken=access_token)["UserMFASettingList"] == [
            "SOFTWARE_TOKEN_MFA"
        ]
        # Turning TOTP off again is the user's choice: then setup is asked for again.
        cognito_idp.set_user_mfa_preference(
            AccessToken=access_token, SoftwareTokenMfaSettings={"Enabled": False}
        )
        traveller.shift(30)
        assert sign_in(cognito_idp, client_id)["ChallengeName"] == "MFA_SETUP"


def test_a_code_used_by_verify_is_refused_at_sign_in(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with time_machine.travel(START, tick=False) as traveller:
        secret, _ = _enrol_with_access_token(cognito_idp, client_id)
        challenge = sign_in(cognito_idp, client_id)
        with pytest.raises(cognito_idp.exceptions.ExpiredCodeException) as raised:
            answer_totp(cognito_idp, client_id, challenge, totp(secret))
        assert error_of(raised) == (
            "ExpiredCodeException",
            "Your software token has already been used once.",
        )
        # The challenge is still open: the next step's code signs in.
        traveller.shift(30)
        tokens = answer_totp(cognito_idp, client_id, challenge, totp(secret))
        assert "IdToken" in tokens["AuthenticationResult"]


def test_a_code_signs_in_once(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with time_machine.travel(START, tick=False) as traveller:
        secret, _ = _enrol_with_access_token(cognito_idp, client_id)
        traveller.shift(30)
        code = totp(secret)
        answer_totp(cognito_idp, client_id, sign_in(cognito_idp, client_id), code)
        # Still inside the drift window, the same code is refused; the previous step's too.
        traveller.shift(10)
        again = sign_in(cognito_idp, client_id)
        for used in (code, totp(secret, START.timestamp())):
            with pytest.raises(cognito_idp.exceptions.ExpiredCodeException):
                answer_totp(cognito_idp, client_id, again, used)


def test_verify_refuses_a_code_already_used(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with time_machine.travel(START, tick=False):
        secret, access_token = _enrol_with_access_token(cognito_idp, client_id)
        with pytest.raises(cognito_idp.exceptions.ExpiredCodeException) as raised:
            cognito_idp.verify_software_token(AccessToken=access_token, UserCode=totp(secret))
        assert error_of(raised)[1] == "Your software token has already been used once."


# -- AdminDisableUser --------------------------------------------------------------------------


def _signed_in(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    return pool_id, client_id, sign_in(cognito_idp, client_id)["AuthenticationResult"]


def test_disabling_revokes_access_tokens_for_good(cognito_idp):
    pool_id, client_id, tokens = _signed_in(cognito_idp)
    cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(raised)[1] == "Access Token has been revoked"
    cognito_idp.admin_enable_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.get_user(AccessToken=tokens["AccessToken"])
    assert error_of(raised)[1] == "Access Token has been revoked"
    # A new sign-in after enabling works everywhere.
    fresh = sign_in(cognito_idp, client_id)["AuthenticationResult"]
    assert cognito_idp.get_user(AccessToken=fresh["AccessToken"])["Username"] == "ada"


def test_a_refresh_of_a_disabled_user_is_refused_and_stays_revoked(cognito_idp):
    pool_id, client_id, tokens = _signed_in(cognito_idp)
    refresh = {"REFRESH_TOKEN": tokens["RefreshToken"]}
    cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
        )
    assert error_of(raised)[1] == "User is disabled."
    cognito_idp.admin_enable_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
        )
    assert error_of(raised)[1] == "Refresh Token has been revoked"


def test_a_disabled_user_cannot_sign_in_and_is_still_listed(cognito_idp):
    pool_id, client_id, _ = _signed_in(cognito_idp)
    cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        sign_in(cognito_idp, client_id)
    assert error_of(raised)[1] == "User is disabled."
    listed = cognito_idp.list_users(UserPoolId=pool_id)["Users"]
    assert [(u["Username"], u["Enabled"]) for u in listed] == [("ada", False)]


# -- email aliases and case --------------------------------------------------------------------


def _alias_pool(cognito_idp, **kwargs) -> tuple[str, str]:
    pool_id = cognito_idp.create_user_pool(PoolName="app", AliasAttributes=["email"], **kwargs)[
        "UserPool"
    ]["Id"]
    return pool_id, make_client(cognito_idp, pool_id)


def _user_with_email(cognito_idp, pool_id, username, email):
    make_user(cognito_idp, pool_id, username, email=email, email_verified="true")


def _signs_in_as(cognito_idp, client_id, name) -> str:
    tokens = sign_in(cognito_idp, client_id, username=name)["AuthenticationResult"]
    return cognito_idp.get_user(AccessToken=tokens["AccessToken"])["Username"]


def test_without_username_configuration_email_aliases_are_case_sensitive(cognito_idp):
    """CaseSensitive is the API's default, and it covers the email alias too: two users may
    hold the same address in different case, and each address signs in its own user."""
    pool_id, client_id = _alias_pool(cognito_idp)
    _user_with_email(cognito_idp, pool_id, "ada", "ada@example.com")
    _user_with_email(cognito_idp, pool_id, "grace", "ADA@example.com")
    assert _signs_in_as(cognito_idp, client_id, "ada@example.com") == "ada"
    assert _signs_in_as(cognito_idp, client_id, "ADA@example.com") == "grace"
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        sign_in(cognito_idp, client_id, username="Ada@Example.com")


def test_with_case_insensitive_names_an_email_alias_matches_in_any_case(cognito_idp):
    pool_id, client_id = _alias_pool(cognito_idp, UsernameConfiguration={"CaseSensitive": False})
    _user_with_email(cognito_idp, pool_id, "ada", "ada@example.com")
    assert _signs_in_as(cognito_idp, client_id, "Ada@Example.COM") == "ada"
    # The same address in another case is the same alias, already taken.
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException) as raised:
        _user_with_email(cognito_idp, pool_id, "grace", "ADA@example.com")
    assert error_of(raised)[1] == "An account with the given email already exists."
    assert _signs_in_as(cognito_idp, client_id, "ADA@example.com") == "ada"


# -- trigger answers a Lambda could not return -------------------------------------------------

TOKEN_TRIGGER = "arn:aws:lambda:us-east-1:123456789012:function:pre-token"


@pytest.mark.parametrize(
    ("value", "type_name"),
    [(decimal.Decimal("7"), "Decimal"), (datetime.datetime(2026, 1, 1), "datetime")],
)
def test_a_claim_json_cannot_carry_fails_the_trigger(cognito_idp, cognito_mock, value, type_name):
    pool_id = cognito_idp.create_user_pool(
        PoolName="app", LambdaConfig={"PreTokenGeneration": TOKEN_TRIGGER}
    )["UserPool"]["Id"]

    def add_claim(event, context):
        event["response"] = {"claimsOverrideDetails": {"claimsToAddOrOverride": {"n": value}}}
        return event

    cognito_mock.register_lambda(TOKEN_TRIGGER, add_claim)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        sign_in(cognito_idp, client_id)
    assert error_of(raised)[1] == (
        "PreTokenGeneration failed with error Unable to marshal response: "
        f"Object of type {type_name} is not JSON serializable."
    )


class _ChallengeNamedBy(OneTimeCode):
    def __init__(self, name: object) -> None:
        super().__init__()
        self.name = name

    def define(self, event, context):
        event["response"] = {"challengeName": self.name, "issueTokens": False}
        return event


@pytest.mark.parametrize("name", [["CUSTOM_CHALLENGE"], {"name": "CUSTOM_CHALLENGE"}, 7])
def test_a_challenge_name_that_is_no_string_is_unrecognizable(cognito_idp, cognito_mock, name):
    pool_id = custom_auth.make_pool(cognito_idp, cognito_mock, handlers=_ChallengeNamedBy(name))
    client_id = custom_auth.make_client(cognito_idp, pool_id)["ClientId"]
    custom_auth.make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidLambdaResponseException) as raised:
        custom_auth.start(cognito_idp, client_id)
    assert error_of(raised)[1] == "Unrecognizable lambda output"
