"""Multi-factor authentication: the pool's MFA configuration, users' MFA preferences, and TOTP
authenticators (AssociateSoftwareToken / VerifySoftwareToken, with an access token or with the
Session of an MFA_SETUP challenge)."""

from __future__ import annotations

from typing import Any

from ..backend import access_tokens, flow_user_auth, mfa, passkeys
from ..backend.errors import InvalidParameterException
from ..backend.models import User, UserPool
from ..backend.users import get_user
from ._registry import Params, RequestContext, Response, operation
from ._shapes import without_none
from .self_service import signed_in_caller

#: Preference members of (Admin)SetUserMFAPreference -> the factor they set.
_PREFERENCE_MEMBERS = {
    "SMSMfaSettings": mfa.SMS_MFA,
    "EmailMfaSettings": mfa.EMAIL_OTP,
    "SoftwareTokenMfaSettings": mfa.SOFTWARE_TOKEN_MFA,
}


@operation("AssociateSoftwareToken")
def associate_software_token(ctx: RequestContext, params: Params) -> Response:
    if "AccessToken" in params:
        owner = access_tokens.owner_of(ctx.backend, ctx.region, params["AccessToken"])
        return {"SecretCode": mfa.associate_software_token(owner.pool, owner.user)}
    secret, session = mfa.associate_in_setup(ctx.backend, ctx.region, _session(params))
    return {"SecretCode": secret, "Session": session}


@operation("VerifySoftwareToken")
def verify_software_token(ctx: RequestContext, params: Params) -> Response:
    code = params["UserCode"]
    name = params.get("FriendlyDeviceName")
    if "AccessToken" in params:
        owner = access_tokens.owner_of(ctx.backend, ctx.region, params["AccessToken"])
        mfa.verify_software_token(owner.pool, owner.user, code, name)
        return {"Status": "SUCCESS"}
    session = mfa.verify_in_setup(ctx.backend, ctx.region, _session(params), code, name)
    return {"Status": "SUCCESS", "Session": session}


@operation("SetUserMFAPreference")
def set_user_mfa_preference(ctx: RequestContext, params: Params) -> Response:
    owner = access_tokens.owner_of(ctx.backend, ctx.region, params["AccessToken"])
    mfa.set_user_mfa_preference(owner.pool, owner.user, *_preferences(params))
    return {}


@operation("AdminSetUserMFAPreference")
def admin_set_user_mfa_preference(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    mfa.set_user_mfa_preference(pool, get_user(pool, params["Username"]), *_preferences(params))
    return {}


def _auth_factors(ctx: RequestContext, pool: UserPool, user: User) -> Response:
    factors = flow_user_auth.configured_factors(pool, user, ctx.backend.sign_in_settings)
    return without_none(
        {
            "Username": user.username,
            "PreferredMfaSetting": user.preferred_mfa,
            "UserMFASettingList": list(user.mfa_methods) or None,
            "ConfiguredUserAuthFactors": factors,
        }
    )


@operation("GetUserAuthFactors")
def get_user_auth_factors(ctx: RequestContext, params: Params) -> Response:
    owner = access_tokens.owner_of(ctx.backend, ctx.region, params["AccessToken"])
    return _auth_factors(ctx, owner.pool, owner.user)


@operation("AdminGetUserAuthFactors")
def admin_get_user_auth_factors(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    return _auth_factors(ctx, pool, get_user(pool, params["Username"]))


@operation("SetUserPoolMfaConfig")
def set_user_pool_mfa_config(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    token = params.get("SoftwareTokenMfaConfiguration")
    config = mfa.PoolMfaConfig(
        mfa_configuration=params.get("MfaConfiguration"),
        sms=params.get("SmsMfaConfiguration"),
        software_token_enabled=token.get("Enabled", False) if token is not None else None,
        email=params.get("EmailMfaConfiguration"),
        webauthn_given=params.get("WebAuthnConfiguration") is not None,
    )
    mfa.set_pool_mfa_config(
        pool, config, email_needs_ses=ctx.backend.sign_in_settings.email_mfa_needs_ses
    )
    _set_webauthn_configuration(pool, params.get("WebAuthnConfiguration"))
    return _config_shape(pool)


@operation("GetUserPoolMfaConfig")
def get_user_pool_mfa_config(ctx: RequestContext, params: Params) -> Response:
    return _config_shape(ctx.pool(params))


def _session(params: Params) -> str:
    session = params.get("Session")
    if not session:
        raise InvalidParameterException("Missing required parameter AccessToken")
    return str(session)


def _preferences(params: Params) -> tuple[dict[str, mfa.FactorPreference | None], bool | None]:
    """The code factors' settings, and WebAuthnMfaSettings' ``Enabled`` (None: left out)."""
    preferences: dict[str, mfa.FactorPreference | None] = {}
    for member, factor in _PREFERENCE_MEMBERS.items():
        given = params.get(member)
        preferences[factor] = (
            mfa.FactorPreference(given.get("Enabled"), given.get("PreferredMfa"))
            if given is not None
            else None
        )
    passkey = params.get("WebAuthnMfaSettings")
    return preferences, passkey.get("Enabled") if passkey is not None else None


def _config_shape(pool: UserPool) -> Response:
    shape: dict[str, Any] = {"MfaConfiguration": pool.mfa_configuration}
    if mfa.SMS_MFA in mfa.pool_factors(pool):
        shape["SmsMfaConfiguration"] = without_none(
            {
                "SmsAuthenticationMessage": pool.echoed_settings.get("SmsAuthenticationMessage"),
                "SmsConfiguration": pool.echoed_settings.get("SmsConfiguration"),
            }
        )
    if pool.email_mfa is not None:
        shape["EmailMfaConfiguration"] = dict(pool.email_mfa)
    shape["SoftwareTokenMfaConfiguration"] = {"Enabled": pool.software_token_mfa_enabled}
    shape["WebAuthnConfiguration"] = _webauthn_shape(pool)
    return shape


# -- passkeys: WebAuthnConfiguration, independent of the MFA settings --------------------------


def _set_webauthn_configuration(pool: UserPool, given: Params | None) -> None:
    # Left out, the pool's passkey settings stay as they were (they are not an MFA factor).
    if given is not None:
        config = passkeys.WebAuthnConfiguration(
            relying_party_id=given.get("RelyingPartyId"),
            user_verification=given.get("UserVerification") or passkeys.PREFERRED,
            factor_configuration=given.get("FactorConfiguration"),
        )
        passkeys.set_configuration(pool, config)


def _webauthn_shape(pool: UserPool) -> Response:
    config = passkeys.configuration(pool)
    return without_none(
        {
            "RelyingPartyId": config.relying_party_id,
            "UserVerification": config.user_verification,
            "FactorConfiguration": config.factor_configuration,
        }
    )


# -- the legacy MFAOptions, and an administrator's reset of TOTP -------------------------------


@operation("SetUserSettings")
def set_user_settings(ctx: RequestContext, params: Params) -> Response:
    # A self-service call: the token's scope and the user's state are checked as GetUser's.
    owner = signed_in_caller(ctx, params)
    mfa.set_user_settings(owner.pool, owner.user, params["MFAOptions"])
    return {}


@operation("AdminSetUserSettings")
def admin_set_user_settings(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    mfa.set_user_settings(pool, get_user(pool, params["Username"]), params["MFAOptions"])
    return {}


@operation("AdminDeleteSoftwareToken")
def admin_delete_software_token(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    mfa.delete_software_token(pool, get_user(pool, params["Username"]))
    return {}
