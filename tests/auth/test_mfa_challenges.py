"""The MFA challenges of a sign-in: SMS_MFA (codes read with ``cognito_mock.last_code``),
SOFTWARE_TOKEN_MFA, MFA_SETUP in a pool that requires MFA, and SELECT_MFA_TYPE."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time
from support.errors import error_of
from support.mfa import (
    NOW,
    PASSWORD,
    SMS_CONFIGURATION,
    answer_totp,
    enrol_totp,
    make_client,
    next_totp,
    respond,
    sign_in,
    totp,
    totp_pool,
)
from support.users import make_user

PHONE = "+15555550123"


def sms_pool(cognito_idp, **kwargs) -> str:
    return cognito_idp.create_user_pool(
        PoolName="app",
        MfaConfiguration="ON",
        SmsConfiguration=SMS_CONFIGURATION,
        AutoVerifiedAttributes=["phone_number"],
        **kwargs,
    )["UserPool"]["Id"]


def test_sms_mfa_with_the_code_from_last_code(cognito_idp, cognito_mock):
    pool_id = sms_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0123",
    }
    code = cognito_mock.last_code(pool_id, "ada")
    assert code is not None and len(code) == 6
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException) as raised:
        respond(cognito_idp, client_id, challenge, "SMS_MFA", SMS_MFA_CODE="not-it")
    assert error_of(raised)[1] == "Invalid code or auth state for the user."
    response = respond(cognito_idp, client_id, challenge, "SMS_MFA", SMS_MFA_CODE=code)
    assert "RefreshToken" in response["AuthenticationResult"]
    # The code came by SMS, so the phone number is verified now.
    attributes = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    assert {"Name": "phone_number_verified", "Value": "true"} in attributes


def test_an_mfa_code_for_the_other_factor_does_not_fit(cognito_idp, cognito_mock):
    pool_id = sms_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    challenge = sign_in(cognito_idp, client_id)
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException) as raised:
        answer_totp(cognito_idp, client_id, challenge, "123456")
    assert error_of(raised)[1] == "Invalid code or auth state for the user."
    code = cognito_mock.last_code(pool_id, "ada")
    response = respond(cognito_idp, client_id, challenge, "SMS_MFA", SMS_MFA_CODE=code)
    assert "IdToken" in response["AuthenticationResult"]


def test_a_new_password_is_followed_by_mfa(cognito_idp, cognito_mock):
    pool_id = sms_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        TemporaryPassword="Temp-0rary!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": PHONE}],
    )
    challenge = cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": "Temp-0rary!"},
    )
    mfa_challenge = respond(
        cognito_idp, client_id, challenge, "NEW_PASSWORD_REQUIRED", NEW_PASSWORD=PASSWORD
    )
    assert mfa_challenge["ChallengeName"] == "SMS_MFA"
    code = cognito_mock.last_code(pool_id, "ada")
    response = respond(cognito_idp, client_id, mfa_challenge, "SMS_MFA", SMS_MFA_CODE=code)
    assert "AccessToken" in response["AuthenticationResult"]


@freeze_time(NOW)
def test_required_mfa_sets_up_an_authenticator_during_sign_in(cognito_idp):
    pool_id = totp_pool(cognito_idp, mode="ON")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    setup = sign_in(cognito_idp, client_id)
    assert setup["ChallengeName"] == "MFA_SETUP"
    assert json.loads(setup["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    associated = cognito_idp.associate_software_token(Session=setup["Session"])
    secret = associated["SecretCode"]
    verified = cognito_idp.verify_software_token(
        Session=associated["Session"], UserCode=totp(secret)
    )
    assert verified["Status"] == "SUCCESS"
    response = respond(cognito_idp, client_id, verified, "MFA_SETUP")
    assert "AccessToken" in response["AuthenticationResult"]
    # From now on the authenticator is asked for.
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert (
        "IdToken"
        in answer_totp(cognito_idp, client_id, challenge, next_totp(secret))["AuthenticationResult"]
    )


def test_mfa_setup_cannot_be_answered_before_an_authenticator_is_verified(cognito_idp):
    pool_id = totp_pool(cognito_idp, mode="ON")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    setup = sign_in(cognito_idp, client_id)
    with pytest.raises(cognito_idp.exceptions.SoftwareTokenMFANotFoundException) as raised:
        respond(cognito_idp, client_id, setup, "MFA_SETUP")
    assert error_of(raised)[1] == "Software Token MFA does not exist for the user."
    assert "Session" in cognito_idp.associate_software_token(Session=setup["Session"])


@freeze_time(NOW)
def test_a_user_with_two_factors_and_no_preference_selects_one(cognito_idp, cognito_mock):
    pool_id = sms_pool(cognito_idp)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    secret = enrol_totp(cognito_idp, client_id, preferred=False)
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True}
    )
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserMFASettingList"] == [
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
    ]
    select = sign_in(cognito_idp, client_id)
    assert select["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(select["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == [
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
    ]
    challenge = respond(
        cognito_idp, client_id, select, "SELECT_MFA_TYPE", ANSWER="SOFTWARE_TOKEN_MFA"
    )
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    response = answer_totp(cognito_idp, client_id, challenge, next_totp(secret))
    assert "AccessToken" in response["AuthenticationResult"]


def test_sms_mfa_needs_a_phone_number(cognito_idp):
    pool_id = sms_pool(cognito_idp)
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_set_user_mfa_preference(
            UserPoolId=pool_id,
            Username="ada",
            SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
    assert error_of(raised)[1] == "User does not have delivery config set to turn on SMS_MFA"
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert "UserMFASettingList" not in user
    assert "PreferredMfaSetting" not in user
