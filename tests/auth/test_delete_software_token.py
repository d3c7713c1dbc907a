"""AdminDeleteSoftwareToken: an administrator removes a user's TOTP authenticator (a lost
phone). TOTP stops being a factor and the preferred one; the next sign-in falls back to another
factor, or in a pool where MFA is ON and none is left, asks to set one up (MFA_SETUP)."""

from __future__ import annotations

import boto3
import pytest
from support.errors import refused
from support.mfa import (
    SMS_CONFIGURATION,
    answer_totp,
    enrol_totp,
    make_client,
    next_totp,
    sign_in,
    totp,
)
from support.model import requires_operation
from support.users import make_user

pytestmark = requires_operation("AdminDeleteSoftwareToken")

PHONE = "+15555550100"


def mfa_of(pool_id, username="ada") -> dict:
    """The user's MFA members as a second client sees them."""
    other = boto3.client("cognito-idp", region_name="us-east-1")
    user = other.admin_get_user(UserPoolId=pool_id, Username=username)
    return {
        k: user[k] for k in ("MFAOptions", "UserMFASettingList", "PreferredMfaSetting") if k in user
    }


def mfa_pool(cognito_idp, mode, sms=False) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    config = {"SmsMfaConfiguration": {"SmsConfiguration": SMS_CONFIGURATION}} if sms else {}
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration=mode,
        **config,
    )
    return pool_id


def test_the_token_is_gone_and_optional_mfa_signs_in_with_the_password(cognito_idp):
    pool_id = mfa_pool(cognito_idp, "OPTIONAL")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    enrol_totp(cognito_idp, client_id)
    assert mfa_of(pool_id) == {
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
    }
    assert sign_in(cognito_idp, client_id)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"

    answer = cognito_idp.admin_delete_software_token(UserPoolId=pool_id, Username="ada")

    assert set(answer) == {"ResponseMetadata"}
    assert mfa_of(pool_id) == {}
    assert "AuthenticationResult" in sign_in(cognito_idp, client_id)


def test_turning_totp_back_on_needs_a_new_authenticator(cognito_idp):
    pool_id = mfa_pool(cognito_idp, "OPTIONAL")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    old_secret = enrol_totp(cognito_idp, client_id)
    cognito_idp.admin_delete_software_token(UserPoolId=pool_id, Username="ada")
    refused(
        cognito_idp.admin_set_user_mfa_preference,
        "InvalidParameterException",
        "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
        UserPoolId=pool_id,
        Username="ada",
        SoftwareTokenMfaSettings={"Enabled": True},
    )
    # The user registers a new authenticator with AssociateSoftwareToken, as AWS documents.
    new_secret = enrol_totp(cognito_idp, client_id)
    assert new_secret != old_secret
    stale = sign_in(cognito_idp, client_id)
    refused(
        answer_totp,
        "CodeMismatchException",
        "Invalid code or auth state for the user.",
        cognito_idp=cognito_idp,
        client_id=client_id,
        challenge=stale,
        code=next_totp(old_secret),
    )
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    signed_in = answer_totp(cognito_idp, client_id, challenge, next_totp(new_secret))
    assert "AccessToken" in signed_in["AuthenticationResult"]


def test_a_pending_totp_challenge_finds_no_authenticator(cognito_idp):
    pool_id = mfa_pool(cognito_idp, "OPTIONAL", sms=True)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    secret = enrol_totp(cognito_idp, client_id)
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    # Deleted while a TOTP challenge is pending: its answer finds no authenticator.
    cognito_idp.admin_delete_software_token(UserPoolId=pool_id, Username="ada")
    refused(
        answer_totp,
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA does not exist for the user.",
        cognito_idp=cognito_idp,
        client_id=client_id,
        challenge=challenge,
        code=totp(secret),
    )


def test_required_mfa_without_another_factor_asks_for_mfa_setup(cognito_idp):
    pool_id = mfa_pool(cognito_idp, "ON")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    setup = sign_in(cognito_idp, client_id)
    assert setup["ChallengeName"] == "MFA_SETUP"
    secret = cognito_idp.associate_software_token(Session=setup["Session"])
    verified = cognito_idp.verify_software_token(
        Session=secret["Session"], UserCode=totp(secret["SecretCode"])
    )
    cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "ada"},
    )
    assert sign_in(cognito_idp, client_id)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"

    cognito_idp.admin_delete_software_token(UserPoolId=pool_id, Username="ada")

    again = sign_in(cognito_idp, client_id)
    assert again["ChallengeName"] == "MFA_SETUP"
    assert again["ChallengeParameters"]["MFAS_CAN_SETUP"] == '["SOFTWARE_TOKEN_MFA"]'


@pytest.fixture
def sms_and_totp_user(cognito_idp):
    """A user with SMS and TOTP on, TOTP preferred, in a pool that then requires MFA."""
    pool_id = mfa_pool(cognito_idp, "OPTIONAL", sms=True)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    enrol_totp(cognito_idp, client_id)
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True}
    )
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    return pool_id, client_id


def test_sign_in_falls_back_to_the_remaining_sms_factor(cognito_idp, sms_and_totp_user):
    pool_id, client_id = sms_and_totp_user
    assert mfa_of(pool_id) == {
        "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
        "UserMFASettingList": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"],
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
    }
    cognito_idp.admin_delete_software_token(UserPoolId=pool_id, Username="ada")
    # The other factors stay, the TOTP preference goes.
    assert mfa_of(pool_id) == {
        "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
        "UserMFASettingList": ["SMS_MFA"],
    }
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SMS_MFA"


def test_a_user_without_a_software_token_is_refused(cognito_idp):
    pool_id = mfa_pool(cognito_idp, "OPTIONAL")
    make_user(cognito_idp, pool_id)
    refused(
        cognito_idp.admin_delete_software_token,
        "ResourceNotFoundException",
        "User does not have a software token to delete.",
        UserPoolId=pool_id,
        Username="ada",
    )


def test_an_unverified_authenticator_is_deleted_too(cognito_idp):
    pool_id = mfa_pool(cognito_idp, "OPTIONAL")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    secret = cognito_idp.associate_software_token(AccessToken=token)["SecretCode"]
    cognito_idp.admin_delete_software_token(UserPoolId=pool_id, Username="ada")
    refused(
        cognito_idp.verify_software_token,
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA does not exist for the user.",
        AccessToken=token,
        UserCode=totp(secret),
    )
    refused(
        cognito_idp.admin_delete_software_token,
        "ResourceNotFoundException",
        "User does not have a software token to delete.",
        UserPoolId=pool_id,
        Username="ada",
    )


def test_unknown_users_pools_and_unconfirmed_users(cognito_idp):
    pool_id = mfa_pool(cognito_idp, "OPTIONAL")
    client_id = make_client(cognito_idp, pool_id)
    refused(
        cognito_idp.admin_delete_software_token,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pool_id,
        Username="nobody",
    )
    refused(
        cognito_idp.admin_delete_software_token,
        "ResourceNotFoundException",
        "User pool us-east-1_nothing does not exist.",
        UserPoolId="us-east-1_nothing",
        Username="ada",
    )
    cognito_idp.sign_up(ClientId=client_id, Username="bob", Password="Corr3ct-horse!")
    refused(
        cognito_idp.admin_delete_software_token,
        "UserNotConfirmedException",
        "User is not confirmed.",
        UserPoolId=pool_id,
        Username="bob",
    )
