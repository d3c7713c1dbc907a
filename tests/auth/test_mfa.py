"""MFA: the pool's configuration, TOTP authenticators (codes computed here with RFC 6238), SMS
codes read with ``cognito_mock.last_code``, and the MFA challenges of a sign-in."""

from __future__ import annotations

import base64
import time

import pytest
from freezegun import freeze_time
from support.errors import error_of
from support.mfa import (
    NOW,
    SMS_CONFIGURATION,
    answer_totp,
    enrol_totp,
    make_client,
    next_totp,
    sign_in,
    totp,
    totp_pool,
)
from support.users import make_user

from pytest_cognito_mock.backend import mfa


@pytest.mark.parametrize(
    ("at", "code"), [(59, "287082"), (1111111109, "081804"), (2000000000, "279037")]
)
def test_totp_matches_the_rfc_6238_vectors(at, code):
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert mfa.totp_code(secret, at) == code
    assert totp(secret, at) == code


def test_the_pool_mfa_configuration_round_trips(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    fresh = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert fresh["MfaConfiguration"] == "OFF"
    assert fresh["SoftwareTokenMfaConfiguration"] == {"Enabled": False}
    assert "SmsMfaConfiguration" not in fresh
    answer = cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={
            "SmsAuthenticationMessage": "Your code is {####}",
            "SmsConfiguration": SMS_CONFIGURATION,
        },
        MfaConfiguration="OPTIONAL",
    )
    read = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    for response in (answer, read):
        assert response["MfaConfiguration"] == "OPTIONAL"
        assert response["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
        assert response["SmsMfaConfiguration"] == {
            "SmsAuthenticationMessage": "Your code is {####}",
            "SmsConfiguration": SMS_CONFIGURATION,
        }
    pool = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["SmsAuthenticationMessage"] == "Your code is {####}"
    # The call replaces the whole configuration: what it leaves out is off.
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON"
    )
    read = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert read["MfaConfiguration"] == "ON"
    assert "SmsMfaConfiguration" not in read


@pytest.mark.parametrize(
    ("request_members", "message"),
    [
        (
            {"MfaConfiguration": "ON"},
            "Invalid MFA configuration given, can't disable all MFAs with a required or "
            "optional configuration.",
        ),
        (
            {"MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": False}},
            "Invalid MFA configuration given, can't disable all MFAs with a required or "
            "optional configuration.",
        ),
        ({"SoftwareTokenMfaConfiguration": {"Enabled": True}}, mfa.MFA_ON_AND_OFF),
        (
            {
                "MfaConfiguration": "OFF",
                "SmsMfaConfiguration": {"SmsConfiguration": SMS_CONFIGURATION},
            },
            mfa.MFA_ON_AND_OFF,
        ),
    ],
)
def test_an_mfa_configuration_that_contradicts_itself(cognito_idp, request_members, message):
    pool_id = totp_pool(cognito_idp)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.set_user_pool_mfa_config(UserPoolId=pool_id, **request_members)
    assert error_of(raised)[1] == message
    assert cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == (
        "OPTIONAL"
    )


@freeze_time(NOW)
def test_totp_sign_in_after_enrolment(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    secret = enrol_totp(cognito_idp, client_id)
    assert len(secret) == 52
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"] == {
        "FRIENDLY_DEVICE_NAME": "phone",
        "USER_ID_FOR_SRP": "ada",
    }
    wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException) as raised:
        answer_totp(cognito_idp, client_id, challenge, wrong)
    assert error_of(raised)[1] == "Invalid code or auth state for the user."
    # A wrong code leaves the challenge pending.
    response = answer_totp(cognito_idp, client_id, challenge, next_totp(secret))
    assert "AccessToken" in response["AuthenticationResult"]


@freeze_time(NOW)
def test_a_code_from_the_previous_step_is_still_accepted(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    secret = enrol_totp(cognito_idp, client_id)
    challenge = sign_in(cognito_idp, client_id)
    late = totp(secret, time.time() - 30)
    response = cognito_idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": late},
    )
    assert "IdToken" in response["AuthenticationResult"]


@freeze_time(NOW)
def test_verifying_an_authenticator_with_a_wrong_code(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    access_token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    secret = cognito_idp.associate_software_token(AccessToken=access_token)["SecretCode"]
    wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"
    with pytest.raises(cognito_idp.exceptions.EnableSoftwareTokenMFAException) as raised:
        cognito_idp.verify_software_token(AccessToken=access_token, UserCode=wrong)
    assert error_of(raised)[1] == "Code mismatch and fail enable Software Token MFA"
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.set_user_mfa_preference(
            AccessToken=access_token, SoftwareTokenMfaSettings={"Enabled": True}
        )
    assert error_of(raised)[1] == (
        "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
    )


def test_authenticators_need_totp_enabled_in_the_pool(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    access_token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    with pytest.raises(cognito_idp.exceptions.SoftwareTokenMFANotFoundException) as raised:
        cognito_idp.associate_software_token(AccessToken=access_token)
    assert error_of(raised)[1] == "Software Token MFA has not been enabled by the userPool."


@freeze_time(NOW)
def test_a_new_authenticator_turns_totp_off_until_it_is_verified_and_turned_on(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    secret = enrol_totp(cognito_idp, client_id)
    challenge = sign_in(cognito_idp, client_id)
    tokens = answer_totp(cognito_idp, client_id, challenge, next_totp(secret))[
        "AuthenticationResult"
    ]
    new = cognito_idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    assert new != secret
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert "UserMFASettingList" not in user
    assert "AccessToken" in sign_in(cognito_idp, client_id)["AuthenticationResult"]
    cognito_idp.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=totp(new))
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SoftwareTokenMfaSettings={"Enabled": True}
    )
    assert sign_in(cognito_idp, client_id)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


@freeze_time(NOW)
def test_turning_totp_off_signs_in_without_a_code(cognito_idp):
    pool_id = totp_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    enrol_totp(cognito_idp, client_id)
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SoftwareTokenMfaSettings={"Enabled": False}
    )
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert "UserMFASettingList" not in user
    assert "PreferredMfaSetting" not in user
    assert "AccessToken" in sign_in(cognito_idp, client_id)["AuthenticationResult"]
