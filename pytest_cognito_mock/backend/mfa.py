"""Multi-factor authentication: the pool's MFA settings, users' second factors, TOTP, and the
MFA step that follows a verified password.

TOTP is RFC 6238 with Cognito's parameters (HMAC-SHA1, 30-second steps, 6 digits), computed
with :mod:`hmac` so any authenticator library produces codes the mock accepts. SMS codes are
never sent anywhere: the latest one is kept where ``cognito_mock.last_code`` finds it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import CognitoBackend, clock, feature_plans, ids, messages, passkeys, sessions
from .errors import (
    CodeMismatchException,
    EnableSoftwareTokenMFAException,
    ExpiredCodeException,
    InvalidParameterException,
    NotAuthorizedException,
    ResourceNotFoundException,
    ServiceError,
    SoftwareTokenMFANotFoundException,
    UserNotConfirmedException,
)
from .models import AppClient, User, UserPool
from .sessions import AuthSession
from .user_data_history import before_user_change

SMS_MFA = "SMS_MFA"
#: Email MFA: the challenge (and the factor's name in user settings) is EMAIL_OTP.
EMAIL_OTP = "EMAIL_OTP"
SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"
SELECT_MFA_TYPE = "SELECT_MFA_TYPE"
MFA_SETUP = "MFA_SETUP"

#: The order AWS lists a user's second factors in.
USER_FACTOR_ORDER = (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA)
#: Factors whose code is sent (by SMS or email) when they are asked for.
SENT_CODE_FACTORS = {SMS_MFA: "SMS", EMAIL_OTP: "EMAIL"}

TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
#: Codes of the previous and the next step are accepted too (clock drift), as authenticators
#: expect.
TOTP_DRIFT_STEPS = 1
_SECRET_BYTES = 32  # 52 base32 characters

MFA_ON_AND_OFF = (
    "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
)
#: ON/OPTIONAL with no factor on (AWS's answer to a request without WebAuthnConfiguration).
ALL_MFAS_DISABLED = (
    "Invalid MFA configuration given, can't disable all MFAs with a required or optional "
    "configuration."
)
#: The same refusal where the request carries WebAuthnConfiguration (passkeys are no factor).
NO_MFA_ENABLED = (
    "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled."
)
#: Email MFA sends through the pool's own SES identity (AWS's requirement; the wording is the
#: mock's, see docs/fidelity.md).
EMAIL_MFA_NEEDS_SES = "Email MFA requires EmailSendingAccount DEVELOPER."
TOKEN_NOT_ENABLED_FOR_POOL = "Software Token MFA has not been enabled by the userPool."
TOKEN_NOT_FOUND = "Software Token MFA does not exist for the user."
TOKEN_CODE_MISMATCH = "Code mismatch and fail enable Software Token MFA"
MFA_CODE_MISMATCH = "Invalid code or auth state for the user."
#: A TOTP code already accepted once (by VerifySoftwareToken or a sign-in).
TOKEN_ALREADY_USED = "Your software token has already been used once."
INVALID_SESSION = "Invalid session for the user."
# Passkey MFA (WebAuthnMfaSettings); AWS's wording is not established (docs/fidelity.md).
PASSKEY_MFA_NOT_CONFIGURED = (
    "Passkey MFA requires the user pool's WebAuthnConfiguration FactorConfiguration "
    "MULTI_FACTOR_WITH_USER_VERIFICATION."
)
PASSKEY_MFA_ALONE = (
    "Passkey MFA requires at least one other MFA method (SMS, email or TOTP) turned on for "
    "the user."
)


@dataclass
class SoftwareToken:
    """A user's TOTP authenticator: its secret, and whether a code from it was verified."""

    secret: str
    verified: bool = False
    friendly_name: str | None = None
    #: The 30-second steps whose code was already accepted (VerifySoftwareToken or sign-in):
    #: Cognito takes each code once. Only steps still inside the drift window are kept.
    used_steps: set[int] = field(default_factory=set)

    def accept(self, code: str, at: float) -> None:
        """Take ``code`` as this authenticator's code at ``at``, once.

        Raises :class:`CodeMismatchException` (the caller may translate it) when the code is
        not the authenticator's, and AWS's ExpiredCodeException when it was already used.
        """
        step = matching_step(self.secret, code, at)
        if step is None:
            raise CodeMismatchException(MFA_CODE_MISMATCH)
        if step in self.used_steps:
            raise ExpiredCodeException(TOKEN_ALREADY_USED)
        current = int(at // TOTP_STEP_SECONDS)
        self.used_steps = {s for s in self.used_steps if s >= current - TOTP_DRIFT_STEPS}
        self.used_steps.add(step)


# -- TOTP ---------------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh TOTP secret, base32 without padding (what AssociateSoftwareToken returns)."""
    return base64.b32encode(os.urandom(_SECRET_BYTES)).decode("ascii").rstrip("=")


def totp_code(secret: str, at: float) -> str:
    """The RFC 6238 code of ``secret`` (base32) at time ``at`` (seconds since the epoch)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(at // TOTP_STEP_SECONDS)
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**TOTP_DIGITS).zfill(TOTP_DIGITS)


def matching_step(secret: str, code: str, at: float) -> int | None:
    """The step whose code of ``secret`` is ``code``, near ``at`` (the allowed drift), or None."""
    for drift in range(-TOTP_DRIFT_STEPS, TOTP_DRIFT_STEPS + 1):
        moment = at + drift * TOTP_STEP_SECONDS
        if hmac.compare_digest(totp_code(secret, moment), code):
            return int(moment // TOTP_STEP_SECONDS)
    return None


# -- the pool's settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolMfaConfig:
    """SetUserPoolMfaConfig's request in domain terms (None: the member was left out)."""

    mfa_configuration: str | None = None
    sms: Mapping[str, Any] | None = None
    software_token_enabled: bool | None = None
    #: EmailMfaConfiguration (Message, Subject); None: email MFA off.
    email: Mapping[str, str] | None = None
    #: Whether the request carried WebAuthnConfiguration (it changes the refusal's wording).
    webauthn_given: bool = False


def set_pool_mfa_config(
    pool: UserPool, config: PoolMfaConfig, *, email_needs_ses: bool = True
) -> None:
    """SetUserPoolMfaConfig: replaces the whole MFA setup, as AWS does (an omitted
    ``MfaConfiguration`` is OFF, an omitted factor is off).

    Email MFA needs the ESSENTIALS plan and, unless ``email_needs_ses`` is off (a mock
    option), the pool's own SES sending (``EmailSendingAccount`` DEVELOPER)."""
    mode = config.mfa_configuration or "OFF"
    sms_on = config.sms is not None
    token_on = bool(config.software_token_enabled)
    email_on = config.email is not None
    if mode == "OFF" and (sms_on or token_on or email_on):
        raise InvalidParameterException(MFA_ON_AND_OFF)
    if mode != "OFF" and not (sms_on or token_on or email_on):
        # Two texts are seen: the older one for a request of MFA members only, the newer one
        # for a request that also configures passkeys.
        raise InvalidParameterException(
            NO_MFA_ENABLED if config.webauthn_given else ALL_MFAS_DISABLED
        )
    if email_on:
        feature_plans.require_for_pool(pool, feature_plans.EMAIL_MFA)
        sending = (pool.echoed_settings.get("EmailConfiguration") or {}).get("EmailSendingAccount")
        if email_needs_ses and sending != "DEVELOPER":
            raise InvalidParameterException(EMAIL_MFA_NEEDS_SES)
    pool.mfa_configuration = mode
    pool.sms_mfa_enabled = sms_on
    pool.software_token_mfa_enabled = token_on
    pool.email_mfa = dict(config.email) if config.email is not None else None
    if config.sms is not None:
        # The SMS settings are the pool's own (DescribeUserPool shows them too).
        for member in ("SmsAuthenticationMessage", "SmsConfiguration"):
            if member in config.sms:
                pool.echoed_settings[member] = config.sms[member]
    pool.modified = clock.now()


def pool_factors(pool: UserPool) -> list[str]:
    """The second factors sign-in may ask for, in AWS's listing order."""
    if pool.mfa_configuration == "OFF":
        return []
    enabled = {
        SMS_MFA: pool.sms_mfa_enabled,
        EMAIL_OTP: pool.email_mfa is not None,
        SOFTWARE_TOKEN_MFA: pool.software_token_mfa_enabled,
    }
    return [factor for factor, on in enabled.items() if on]


# -- users' settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorPreference:
    """One ``*MfaSettings`` member of (Admin)SetUserMFAPreference."""

    enabled: bool | None = None
    preferred: bool | None = None


def set_user_mfa_preference(
    pool: UserPool,
    user: User,
    preferences: Mapping[str, FactorPreference | None],
    passkey_mfa: bool | None = None,
) -> None:
    """(Admin)SetUserMFAPreference: turn the user's factors on or off and pick a preferred one.

    ``preferences`` maps a factor (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA) to its settings, or
    None when the request left it out. A factor is turned on only when it can reach the user:
    SMS needs a phone number, email an email address, TOTP a verified authenticator.
    ``passkey_mfa`` is WebAuthnMfaSettings' ``Enabled`` (None: left out): turning it on needs
    the pool's FactorConfiguration ``MULTI_FACTOR_WITH_USER_VERIFICATION``, and passkey MFA
    needs another factor on beside it so the user cannot be locked out. Everything is checked
    before anything changes.
    """
    for factor, preference in preferences.items():
        if preference is not None and preference.enabled and not _deliverable(user, factor):
            raise InvalidParameterException(
                f"User does not have delivery config set to turn on {factor}"
            )
    if passkey_mfa and passkeys.configuration(pool).factor_configuration != passkeys.MULTI_FACTOR:
        raise InvalidParameterException(PASSKEY_MFA_NOT_CONFIGURED)
    methods = list(user.mfa_methods)
    preferred = user.preferred_mfa
    for factor, preference in preferences.items():
        if preference is None:
            continue
        if preference.enabled is True and factor not in methods:
            methods.append(factor)
        elif preference.enabled is False and factor in methods:
            methods.remove(factor)
        if preference.preferred and factor in methods:
            preferred = factor
        elif preferred == factor and (preference.preferred is False or factor not in methods):
            preferred = None
    passkey_on = user.passkey_mfa if passkey_mfa is None else passkey_mfa
    if passkey_on and not methods:
        raise InvalidParameterException(PASSKEY_MFA_ALONE)
    before_user_change(pool, user)
    user.mfa_methods = _in_order(methods)
    user.preferred_mfa = preferred
    user.passkey_mfa = passkey_on
    user.modified = clock.now()


def _deliverable(user: User, factor: str) -> bool:
    if factor == SMS_MFA:
        return bool(user.attributes.get("phone_number"))
    if factor == EMAIL_OTP:
        return bool(user.attributes.get("email"))
    token = user.software_token
    return token is not None and token.verified


def _in_order(factors: Collection[str]) -> tuple[str, ...]:
    """``factors`` in AWS's listing order."""
    return tuple(f for f in USER_FACTOR_ORDER if f in factors)


def user_factors(user: User) -> list[str]:
    """The factors the user turned on and that can reach the user."""
    return [f for f in USER_FACTOR_ORDER if f in user.mfa_methods and _deliverable(user, f)]


# -- the legacy MFAOptions: (Admin)SetUserSettings ----------------------------------------------

#: The one MFAOptionType AWS takes: SMS to the phone number.
LEGACY_SMS_OPTION = {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}
#: AWS's answer to another AttributeName (observed, for email).
ONLY_PHONE_NUMBER_OPTION = "Only phone_number attribute is currently supported as a MFA option."
#: DeliveryMedium EMAIL (the model's enum has it); the wording is the mock's (docs/fidelity.md).
ONLY_SMS_OPTION = "Only SMS delivery medium is currently supported as a MFA option."


def legacy_mfa_options(user: User) -> list[dict[str, str]]:
    """The user's ``MFAOptions`` as (Admin)GetUser and ListUsers show them.

    The legacy settings and SetUserMFAPreference are two views of one state, SMS MFA being on:
    SMS turned on either way shows here and in ``UserMFASettingList`` alike.
    """
    return [dict(LEGACY_SMS_OPTION)] if SMS_MFA in user.mfa_methods else []


def set_user_settings(pool: UserPool, user: User, options: Sequence[Mapping[str, str]]) -> None:
    """(Admin)SetUserSettings: SMS MFA on for one SMS/phone_number option, off for none.

    Turning SMS on needs a phone number, as SetUserMFAPreference does; turning it off also
    drops it as the preferred factor. The other factors are left alone. Every option is
    checked before anything changes.
    """
    for option in options:
        # AttributeName is checked first: AWS answered an email/EMAIL option about the name.
        if option.get("AttributeName") != LEGACY_SMS_OPTION["AttributeName"]:
            raise InvalidParameterException(ONLY_PHONE_NUMBER_OPTION)
        if option.get("DeliveryMedium") != LEGACY_SMS_OPTION["DeliveryMedium"]:
            raise InvalidParameterException(ONLY_SMS_OPTION)
    sms_on = bool(options)
    if sms_on and not _deliverable(user, SMS_MFA):
        raise InvalidParameterException(
            f"User does not have delivery config set to turn on {SMS_MFA}"
        )
    before_user_change(pool, user)
    if sms_on:
        user.mfa_methods = _in_order({*user.mfa_methods, SMS_MFA})
    else:
        user.mfa_methods = tuple(m for m in user.mfa_methods if m != SMS_MFA)
        if user.preferred_mfa == SMS_MFA:
            user.preferred_mfa = None
    user.modified = clock.now()


# -- AdminDeleteSoftwareToken -------------------------------------------------------------------

#: A user with no authenticator; the modelled errors have no "not found" of their own (the
#: choice is the mock's, docs/fidelity.md).
NO_SOFTWARE_TOKEN = "User does not have a software token to delete."


def delete_software_token(pool: UserPool, user: User) -> None:
    """AdminDeleteSoftwareToken: forget the user's authenticator, verified or not, with TOTP
    as an active and as the preferred factor. The other factors stay as they are; the next
    sign-in asks for one of them or, in a pool where MFA is ON and none is left, MFA_SETUP."""
    if user.status == "UNCONFIRMED":
        raise UserNotConfirmedException("User is not confirmed.")
    if user.software_token is None:
        raise ResourceNotFoundException(NO_SOFTWARE_TOKEN)
    before_user_change(pool, user)
    user.software_token = None
    user.mfa_methods = tuple(m for m in user.mfa_methods if m != SOFTWARE_TOKEN_MFA)
    if user.preferred_mfa == SOFTWARE_TOKEN_MFA:
        user.preferred_mfa = None
    user.modified = clock.now()


def associate_software_token(pool: UserPool, user: User) -> str:
    """AssociateSoftwareToken: a new, unverified authenticator secret for ``user``.

    The new secret replaces any earlier authenticator, so TOTP is off for the user until a code
    from the new one is verified and TOTP is turned on again.
    """
    if not pool.software_token_mfa_enabled:
        raise SoftwareTokenMFANotFoundException(TOKEN_NOT_ENABLED_FOR_POOL)
    before_user_change(pool, user)
    user.software_token = SoftwareToken(secret=new_secret())
    user.mfa_methods = tuple(m for m in user.mfa_methods if m != SOFTWARE_TOKEN_MFA)
    if user.preferred_mfa == SOFTWARE_TOKEN_MFA:
        user.preferred_mfa = None
    user.modified = clock.now()
    return user.software_token.secret


def verify_software_token(pool: UserPool, user: User, code: str, friendly_name: str | None) -> None:
    """VerifySoftwareToken: check a code of the user's authenticator and mark it verified."""
    if not pool.software_token_mfa_enabled:
        raise SoftwareTokenMFANotFoundException(TOKEN_NOT_ENABLED_FOR_POOL)
    token = user.software_token
    if token is None:
        raise SoftwareTokenMFANotFoundException(TOKEN_NOT_FOUND)
    try:
        token.accept(code, clock.now())
    except CodeMismatchException:
        raise EnableSoftwareTokenMFAException(TOKEN_CODE_MISMATCH) from None
    before_user_change(pool, user)
    token.verified = True
    if friendly_name is not None:
        token.friendly_name = friendly_name
    # A verified authenticator is an active factor: the next sign-in asks for its code (AWS's
    # AssociateSoftwareToken reference), without a SetUserMFAPreference call in between.
    user.mfa_methods = _in_order({*user.mfa_methods, SOFTWARE_TOKEN_MFA})
    if user.preferred_mfa is None and user_factors(user) == [SOFTWARE_TOKEN_MFA]:
        user.preferred_mfa = SOFTWARE_TOKEN_MFA
    user.modified = clock.now()


# -- the MFA step of a sign-in ------------------------------------------------------------------


@dataclass(frozen=True)
class MfaChallenge:
    """The challenge a sign-in continues with: name, session, parameters."""

    name: str
    session: str
    parameters: dict[str, str]


def mfa_step(pool: UserPool, user: User) -> str | None:
    """The name of the MFA challenge a verified password leads to, without opening it: a
    factor, ``SELECT_MFA_TYPE``, ``MFA_SETUP``, or None when tokens follow directly.

    A user with factors turned on is asked for the preferred one (or the only one, or to choose
    with SELECT_MFA_TYPE). In a pool where MFA is ON, a user without factors gets an SMS code
    when the pool uses SMS and the user has a phone number, else MFA_SETUP.
    """
    offered = pool_factors(pool)
    if not offered:
        return None
    factors = [f for f in user_factors(user) if f in offered]
    if factors:
        if user.preferred_mfa in factors:
            return user.preferred_mfa
        return factors[0] if len(factors) == 1 else SELECT_MFA_TYPE
    if pool.mfa_configuration != "ON":
        return None
    for factor in SENT_CODE_FACTORS:
        if factor in offered and _deliverable(user, factor):
            return factor
    return MFA_SETUP


def challenge_after_password(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    data: Mapping[str, Any] | None = None,
) -> MfaChallenge | None:
    """The MFA challenge a verified password leads to (see :func:`mfa_step`), opened: a code
    is "sent" for SMS and email factors. None when tokens follow directly. ``data`` joins the
    session's data (the sign-in's device key, so the answer signs in on that device)."""
    step = mfa_step(pool, user)
    if step is None:
        return None
    if step == SELECT_MFA_TYPE:
        factors = [f for f in user_factors(user) if f in pool_factors(pool)]
        choose = {"MFAS_CAN_CHOOSE": _json(factors)}
        return _challenge(backend, pool, client, user, SELECT_MFA_TYPE, choose, dict(data or {}))
    if step == MFA_SETUP:
        setup = {"MFAS_CAN_SETUP": _json(pool_factors(pool))}
        return _challenge(backend, pool, client, user, MFA_SETUP, setup, dict(data or {}))
    return factor_challenge(backend, pool, client, user, step, data)


def factor_challenge(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    factor: str,
    data: Mapping[str, Any] | None = None,
) -> MfaChallenge:
    """An SMS_MFA or EMAIL_OTP challenge (a fresh code is "sent"), or SOFTWARE_TOKEN_MFA.

    ``data`` joins the session's data (CUSTOM_AUTH keeps its history there)."""
    channel = SENT_CODE_FACTORS.get(factor)
    if channel is not None:
        destination = user.attributes.get("phone_number" if channel == "SMS" else "email", "")
        code = ids.confirmation_code()
        messages.send_code(
            backend,
            pool,
            user,
            channel,
            destination,
            code,
            messages.AUTHENTICATION,
            client_id=client.client_id,
        )
        parameters = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": channel,
            "CODE_DELIVERY_DESTINATION": messages.mask(channel, destination),
        }
        return _challenge(
            backend, pool, client, user, factor, parameters, {**(data or {}), "code": code}
        )
    token = user.software_token
    parameters = {}
    if token is not None and token.friendly_name:
        parameters["FRIENDLY_DEVICE_NAME"] = token.friendly_name
    parameters["USER_ID_FOR_SRP"] = user.username
    return _challenge(backend, pool, client, user, SOFTWARE_TOKEN_MFA, parameters, dict(data or {}))


def check_factor_code(pool: UserPool, user: User, session: AuthSession, code: str) -> None:
    """Check the code answering an SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA challenge."""
    if session.challenge_name in SENT_CODE_FACTORS:
        expected = str(session.data.get("code", ""))
        if not (expected and hmac.compare_digest(expected, code)):
            raise CodeMismatchException(MFA_CODE_MISMATCH)
        return
    token = user.software_token
    if token is None or not token.verified:
        raise SoftwareTokenMFANotFoundException(TOKEN_NOT_FOUND)
    token.accept(code, clock.now())


def associate_in_setup(backend: CognitoBackend, region: str, session: str) -> tuple[str, str]:
    """AssociateSoftwareToken with the Session of an MFA_SETUP challenge: the secret, and the
    session VerifySoftwareToken continues with."""
    pool, user, taken = _setup_session(backend, region, session)
    try:
        secret = associate_software_token(pool, user)
    except ServiceError:
        backend.sessions[session] = taken  # refused: the challenge is still pending
        raise
    return secret, _next_setup_session(backend, pool, user, taken)


def verify_in_setup(
    backend: CognitoBackend, region: str, session: str, code: str, friendly_name: str | None
) -> str:
    """VerifySoftwareToken with the Session of an MFA_SETUP challenge: the session that answers
    the challenge (RespondToAuthChallenge with ``ChallengeName=MFA_SETUP``)."""
    pool, user, taken = _setup_session(backend, region, session)
    try:
        verify_software_token(pool, user, code, friendly_name)
    except ServiceError:
        backend.sessions[session] = taken
        raise
    return _next_setup_session(backend, pool, user, taken, verified=True)


def _setup_session(
    backend: CognitoBackend, region: str, session: str
) -> tuple[UserPool, User, AuthSession]:
    pending = backend.sessions.get(session)
    pool = backend.pools.get(pending.pool_id) if pending is not None else None
    if pending is None or pool is None or not pool.serves(region):
        raise NotAuthorizedException(INVALID_SESSION)
    client = pool.clients.get(pending.client_id)
    user = pool.users.get(pool.user_key(pending.username))
    if client is None or user is None or pending.challenge_name != MFA_SETUP:
        raise NotAuthorizedException(INVALID_SESSION)
    return pool, user, sessions.take_session(backend, session, client)


def _next_setup_session(
    backend: CognitoBackend, pool: UserPool, user: User, taken: AuthSession, **data: Any
) -> str:
    # Each step of the setup hands out a new session, as every challenge step does.
    client = pool.clients[taken.client_id]
    return sessions.open_session(backend, pool, client, user, MFA_SETUP, {**taken.data, **data})


def _challenge(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    name: str,
    parameters: dict[str, str],
    data: dict[str, Any] | None = None,
) -> MfaChallenge:
    session = sessions.open_session(backend, pool, client, user, name, data)
    return MfaChallenge(name, session, parameters)


def _json(values: list[str]) -> str:
    return json.dumps(values, separators=(",", ":"))
