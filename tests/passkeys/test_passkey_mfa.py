"""Passkey MFA (WebAuthnMfaSettings): allowed only where the pool's FactorConfiguration is
MULTI_FACTOR_WITH_USER_VERIFICATION and beside another factor; a passkey sign-in then needs user
verification."""

from __future__ import annotations

import json

import pytest
from support.errors import error_of
from support.mfa import totp
from support.model import requires_member, requires_shape_member
from support.passkeys import RP_ID, make_user, passkey_pool, register, sign_in

pytestmark = [
    requires_shape_member("WebAuthnConfigurationType", "FactorConfiguration"),
    requires_member("SetUserMFAPreference", "WebAuthnMfaSettings"),
]

FLOWS = ["ALLOW_USER_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
NOT_CONFIGURED = (
    "Passkey MFA requires the user pool's WebAuthnConfiguration FactorConfiguration "
    "MULTI_FACTOR_WITH_USER_VERIFICATION."
)
ALONE = (
    "Passkey MFA requires at least one other MFA method (SMS, email or TOTP) turned on for "
    "the user."
)


def make_setup(cognito_idp, cognito_mock, factor_configuration: str):
    pool_id = passkey_pool(cognito_idp)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
        WebAuthnConfiguration={
            "RelyingPartyId": RP_ID,
            "FactorConfiguration": factor_configuration,
        },
    )
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    make_user(cognito_idp, pool_id)
    access = sign_in(cognito_idp, pool_id, client_id)
    authenticator = cognito_mock.passkey()
    register(cognito_idp, access, authenticator)
    secret = cognito_idp.associate_software_token(AccessToken=access)["SecretCode"]
    cognito_idp.verify_software_token(AccessToken=access, UserCode=totp(secret))
    return pool_id, client_id, access, authenticator


def mfa_list(cognito_idp, pool_id) -> list[str]:
    return cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada").get(
        "UserMFASettingList", []
    )


def test_the_pool_must_allow_passkey_mfa(cognito_idp, cognito_mock):
    pool_id, _, access, _ = make_setup(cognito_idp, cognito_mock, "SINGLE_FACTOR")
    before = mfa_list(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.set_user_mfa_preference(
            AccessToken=access,
            SoftwareTokenMfaSettings={"Enabled": False},
            WebAuthnMfaSettings={"Enabled": True},
        )
    assert error_of(raised) == ("InvalidParameterException", NOT_CONFIGURED)
    assert mfa_list(cognito_idp, pool_id) == before  # nothing of the request was applied


def test_passkey_mfa_needs_another_factor(cognito_idp, cognito_mock):
    pool_id, _, _, _ = make_setup(cognito_idp, cognito_mock, "MULTI_FACTOR_WITH_USER_VERIFICATION")
    # VerifySoftwareToken turned TOTP on; without it, passkey MFA would stand alone.
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SoftwareTokenMfaSettings={"Enabled": False}
    )
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_set_user_mfa_preference(
            UserPoolId=pool_id, Username="ada", WebAuthnMfaSettings={"Enabled": True}
        )
    assert error_of(raised) == ("InvalidParameterException", ALONE)
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="ada",
        SoftwareTokenMfaSettings={"Enabled": True},
        WebAuthnMfaSettings={"Enabled": True},
    )
    # The last other factor cannot go while passkey MFA stays on.
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_set_user_mfa_preference(
            UserPoolId=pool_id, Username="ada", SoftwareTokenMfaSettings={"Enabled": False}
        )
    assert error_of(raised) == ("InvalidParameterException", ALONE)
    assert mfa_list(cognito_idp, pool_id) == ["SOFTWARE_TOKEN_MFA"]
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="ada",
        SoftwareTokenMfaSettings={"Enabled": False},
        WebAuthnMfaSettings={"Enabled": False},
    )
    assert mfa_list(cognito_idp, pool_id) == []


def test_under_passkey_mfa_the_sign_in_needs_user_verification(cognito_idp, cognito_mock):
    _, client_id, access, authenticator = make_setup(
        cognito_idp, cognito_mock, "MULTI_FACTOR_WITH_USER_VERIFICATION"
    )

    def challenge():
        started = cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
        )
        return started, started["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]

    def answer(started, credential):
        return cognito_idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="WEB_AUTHN",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "ada", "CREDENTIAL": credential},
        )

    # Before passkey MFA: the pool's "preferred" applies, and a passkey without UV signs in.
    authenticator.user_verified = False
    started, options = challenge()
    assert json.loads(options)["userVerification"] == "preferred"
    assert "AccessToken" in answer(started, authenticator.get(options))["AuthenticationResult"]

    cognito_idp.set_user_mfa_preference(
        AccessToken=access,
        SoftwareTokenMfaSettings={"Enabled": True},
        WebAuthnMfaSettings={"Enabled": True},
    )
    started, options = challenge()
    assert json.loads(options)["userVerification"] == "required"
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(started, authenticator.get(options))
    assert error_of(raised) == ("NotAuthorizedException", "Invalid passkey credential.")
    authenticator.user_verified = True
    started, options = challenge()
    assert "AccessToken" in answer(started, authenticator.get(options))["AuthenticationResult"]
