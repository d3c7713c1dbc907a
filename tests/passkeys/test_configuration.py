"""The pool's passkey settings: WebAuthnConfiguration in SetUserPoolMfaConfig and
GetUserPoolMfaConfig, and WEB_AUTHN in the sign-in policy."""

from __future__ import annotations

import pytest
from support.errors import error_of
from support.model import requires_shape_member
from support.passkeys import SIGN_IN_POLICY


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(PoolName="app", Policies=SIGN_IN_POLICY)["UserPool"]["Id"]


def test_a_new_pool_prefers_user_verification(cognito_idp, pool_id):
    read = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert read["WebAuthnConfiguration"] == {"UserVerification": "preferred"}


def test_the_configuration_round_trips(cognito_idp, pool_id):
    answer = cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OFF",
        WebAuthnConfiguration={
            "RelyingPartyId": "auth.example.com",
            "UserVerification": "required",
        },
    )
    read = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    for response in (answer, read):
        assert response["MfaConfiguration"] == "OFF"
        assert response["WebAuthnConfiguration"] == {
            "RelyingPartyId": "auth.example.com",
            "UserVerification": "required",
        }
    # Given again, it is replaced whole: what it leaves out returns to the default.
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": "login.example.com"}
    )
    assert cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)["WebAuthnConfiguration"] == {
        "RelyingPartyId": "login.example.com",
        "UserVerification": "preferred",
    }


def test_mfa_settings_leaving_it_out_keep_it(cognito_idp, pool_id):
    webauthn = {"RelyingPartyId": "auth.example.com", "UserVerification": "required"}
    cognito_idp.set_user_pool_mfa_config(UserPoolId=pool_id, WebAuthnConfiguration=webauthn)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON"
    )
    read = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert read["MfaConfiguration"] == "ON"
    assert read["WebAuthnConfiguration"] == webauthn


def test_passkeys_are_not_an_mfa_factor(cognito_idp, pool_id):
    """MFA OPTIONAL with passkeys alone is refused (no second factor), and the refused call
    changes nothing, passkeys included."""
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration="OPTIONAL",
            WebAuthnConfiguration={"RelyingPartyId": "auth.example.com"},
        )
    assert error_of(raised) == (
        "InvalidParameterException",
        "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be "
        "enabled.",
    )
    read = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert read["WebAuthnConfiguration"] == {"UserVerification": "preferred"}


def test_the_relying_party_id_is_at_most_127_characters(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": "a" * 128}
        )
    assert "Member must have length less than or equal to 127" in error_of(raised)[1]


@requires_shape_member("WebAuthnConfigurationType", "FactorConfiguration")
def test_the_factor_configuration_is_echoed(cognito_idp, pool_id):
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        WebAuthnConfiguration={
            "RelyingPartyId": "auth.example.com",
            "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION",
        },
    )
    read = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)["WebAuthnConfiguration"]
    assert read["FactorConfiguration"] == "MULTI_FACTOR_WITH_USER_VERIFICATION"


def test_the_sign_in_policy_is_kept_on_the_pool(cognito_idp, cognito_mock, pool_id):
    described = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["Policies"]["SignInPolicy"] == SIGN_IN_POLICY["SignInPolicy"]
    with cognito_mock._service.transaction() as backend:
        assert backend.pools[pool_id].allowed_first_auth_factors == ("PASSWORD", "WEB_AUTHN")
    cognito_idp.update_user_pool(
        UserPoolId=pool_id, Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}}
    )
    with cognito_mock._service.transaction() as backend:
        assert backend.pools[pool_id].allowed_first_auth_factors == ("PASSWORD",)


def test_a_pool_without_a_sign_in_policy_allows_passwords_only(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    with cognito_mock._service.transaction() as backend:
        assert backend.pools[pool_id].allowed_first_auth_factors == ("PASSWORD",)
