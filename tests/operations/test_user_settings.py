"""AdminSetUserSettings and SetUserSettings: the legacy MFAOptions, which turn a user's SMS MFA
on (one SMS option to phone_number) or off (none), the same state SetUserMFAPreference sets."""

from __future__ import annotations

import boto3
import pytest
import requests
from support.errors import refused
from support.mfa import PASSWORD, SMS_CONFIGURATION, make_client, sign_in
from support.model import requires_operation
from support.users import make_user

SMS_OPTION = {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}
PHONE = "+15555550100"
ONLY_PHONE = "Only phone_number attribute is currently supported as a MFA option."
ONLY_SMS = "Only SMS delivery medium is currently supported as a MFA option."


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    return pool_id


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)


def mfa_view(cognito_idp, pool_id, username="ada") -> dict:
    """What a second client sees of the user's MFA through AdminGetUser."""
    other = boto3.client("cognito-idp", region_name="us-east-1")
    user = other.admin_get_user(UserPoolId=pool_id, Username=username)
    return {
        k: user[k] for k in ("MFAOptions", "UserMFASettingList", "PreferredMfaSetting") if k in user
    }


def test_admin_set_user_settings_turns_sms_mfa_on(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    answer = cognito_idp.admin_set_user_settings(
        UserPoolId=pool_id, Username="ada", MFAOptions=[SMS_OPTION]
    )
    assert set(answer) == {"ResponseMetadata"}
    assert mfa_view(cognito_idp, pool_id) == {
        "MFAOptions": [SMS_OPTION],
        "UserMFASettingList": ["SMS_MFA"],
    }
    # The next sign-in asks for an SMS code.
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"


def test_an_empty_list_turns_sms_mfa_off(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert mfa_view(cognito_idp, pool_id) == {
        "MFAOptions": [SMS_OPTION],
        "UserMFASettingList": ["SMS_MFA"],
        "PreferredMfaSetting": "SMS_MFA",
    }
    cognito_idp.admin_set_user_settings(UserPoolId=pool_id, Username="ada", MFAOptions=[])
    assert mfa_view(cognito_idp, pool_id) == {}
    assert "AuthenticationResult" in sign_in(cognito_idp, client_id)


@requires_operation("AdminGetUserAuthFactors")
def test_the_legacy_settings_and_the_mfa_preference_are_one_state(cognito_idp, pool_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    cognito_idp.admin_set_user_settings(UserPoolId=pool_id, Username="ada", MFAOptions=[SMS_OPTION])
    factors = cognito_idp.admin_get_user_auth_factors(UserPoolId=pool_id, Username="ada")
    assert factors["UserMFASettingList"] == ["SMS_MFA"]
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": False}
    )
    assert mfa_view(cognito_idp, pool_id) == {}
    listed = cognito_idp.list_users(UserPoolId=pool_id)["Users"][0]
    assert "MFAOptions" not in listed
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True}
    )
    listed = cognito_idp.list_users(UserPoolId=pool_id)["Users"][0]
    assert listed["MFAOptions"] == [SMS_OPTION]


def test_turning_sms_off_keeps_the_other_factors(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE, email="ada@example.com")
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="ada",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    cognito_idp.admin_set_user_settings(UserPoolId=pool_id, Username="ada", MFAOptions=[SMS_OPTION])
    # Turning SMS on again the legacy way keeps the preference.
    assert mfa_view(cognito_idp, pool_id)["PreferredMfaSetting"] == "SMS_MFA"
    cognito_idp.admin_set_user_settings(UserPoolId=pool_id, Username="ada", MFAOptions=[])
    assert mfa_view(cognito_idp, pool_id) == {}


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"DeliveryMedium": "EMAIL", "AttributeName": "email"}, ONLY_PHONE),
        ({"DeliveryMedium": "SMS", "AttributeName": "email"}, ONLY_PHONE),
        ({"DeliveryMedium": "SMS"}, ONLY_PHONE),
        ({"DeliveryMedium": "EMAIL", "AttributeName": "phone_number"}, ONLY_SMS),
        ({"AttributeName": "phone_number"}, ONLY_SMS),
    ],
)
def test_only_sms_to_the_phone_number_is_an_option(cognito_idp, pool_id, option, message):
    make_user(cognito_idp, pool_id, phone_number=PHONE, email="ada@example.com")
    refused(
        cognito_idp.admin_set_user_settings,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        Username="ada",
        MFAOptions=[SMS_OPTION, option],
    )
    assert mfa_view(cognito_idp, pool_id) == {}


def test_sms_needs_a_phone_number(cognito_idp, pool_id):
    make_user(cognito_idp, pool_id, email="ada@example.com")
    refused(
        cognito_idp.admin_set_user_settings,
        "InvalidParameterException",
        "User does not have delivery config set to turn on SMS_MFA",
        UserPoolId=pool_id,
        Username="ada",
        MFAOptions=[SMS_OPTION],
    )
    assert mfa_view(cognito_idp, pool_id) == {}


def test_an_unknown_user_or_pool_is_refused(cognito_idp, pool_id):
    refused(
        cognito_idp.admin_set_user_settings,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pool_id,
        Username="nobody",
        MFAOptions=[SMS_OPTION],
    )
    refused(
        cognito_idp.admin_set_user_settings,
        "ResourceNotFoundException",
        "User pool us-east-1_nothing does not exist.",
        UserPoolId="us-east-1_nothing",
        Username="ada",
        MFAOptions=[SMS_OPTION],
    )


# -- SetUserSettings: the signed-in user, by access token -----------------------------------------


def test_set_user_settings_turns_the_callers_sms_on_and_off(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    cognito_idp.set_user_settings(AccessToken=token, MFAOptions=[SMS_OPTION])
    got = cognito_idp.get_user(AccessToken=token)
    assert (got["MFAOptions"], got["UserMFASettingList"]) == ([SMS_OPTION], ["SMS_MFA"])
    assert mfa_view(cognito_idp, pool_id)["MFAOptions"] == [SMS_OPTION]
    cognito_idp.set_user_settings(AccessToken=token, MFAOptions=[])
    got = cognito_idp.get_user(AccessToken=token)
    assert not {"MFAOptions", "UserMFASettingList"} & set(got)


def test_set_user_settings_validates_the_options(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    refused(
        cognito_idp.set_user_settings,
        "InvalidParameterException",
        ONLY_SMS,
        AccessToken=token,
        MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "phone_number"}],
    )
    assert mfa_view(cognito_idp, pool_id) == {}


def test_set_user_settings_refuses_a_bad_or_signed_out_token(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    refused(
        cognito_idp.set_user_settings,
        "NotAuthorizedException",
        "Invalid Access Token",
        AccessToken="not.a.token",
        MFAOptions=[SMS_OPTION],
    )
    cognito_idp.global_sign_out(AccessToken=token)
    refused(
        cognito_idp.set_user_settings,
        "NotAuthorizedException",
        "Access Token has been revoked",
        AccessToken=token,
        MFAOptions=[SMS_OPTION],
    )
    assert mfa_view(cognito_idp, pool_id) == {}


def test_set_user_settings_needs_the_user_pools_api_scope(cognito_idp, cognito_mock, pool_id):
    make_user(cognito_idp, pool_id, phone_number=PHONE)
    # A hosted sign-in for openid alone: its access token lacks aws.cognito.signin.user.admin.
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="legacy-settings")
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="hosted",
        AllowedOAuthFlows=["code"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid"],
        CallbackURLs=["https://app.example.com/cb"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]["ClientId"]
    code = cognito_mock.authorization_code(client_id, "ada", PASSWORD, scopes=["openid"])
    answer = requests.post(
        "https://legacy-settings.auth.us-east-1.amazoncognito.com/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "redirect_uri": "https://app.example.com/cb",
        },
    )
    tokens = answer.json()
    assert tokens["access_token"]
    refused(
        cognito_idp.set_user_settings,
        "NotAuthorizedException",
        "Access Token does not have required scopes",
        AccessToken=tokens["access_token"],
        MFAOptions=[SMS_OPTION],
    )
    assert mfa_view(cognito_idp, pool_id) == {}
