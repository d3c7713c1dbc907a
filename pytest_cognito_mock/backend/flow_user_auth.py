"""USER_AUTH: choice-based sign-in.

The user names itself; Cognito offers the first factors that the pool allows
(``SignInPolicy.AllowedFirstAuthFactors``) and the user has (a password, a verified email or
phone number, a passkey) as ``SELECT_CHALLENGE``'s ``AvailableChallenges``, or goes straight to
the ``PREFERRED_CHALLENGE`` when that is among them. Each first factor then runs its step:

* ``PASSWORD``: the password in the same request, then what a correct password leads to (MFA
  included);
* ``PASSWORD_SRP``: ``SRP_A``, then the ``PASSWORD_VERIFIER`` challenge of USER_SRP_AUTH;
* ``EMAIL_OTP`` / ``SMS_OTP``: an 8-digit code is sent, answered with ``EMAIL_OTP_CODE`` /
  ``SMS_OTP_CODE``; no MFA follows, and the code proves the email / phone number;
* ``WEB_AUTHN``: a passkey assertion (``CREDENTIAL``) for the ``CREDENTIAL_REQUEST_OPTIONS``
  Cognito sends; no MFA follows.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from . import CognitoBackend, clock, feature_plans, ids, messages, mfa, passkeys, sessions, sign_in
from .auth import (
    INCORRECT_CREDENTIALS,
    AuthOutcome,
    AuthRequest,
    after_password,
    check_auth_secret_hash,
    pre_authentication,
    required_parameter,
    signing_in_user,
)
from .errors import (
    CodeMismatchException,
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
)
from .models import AppClient, User, UserPool
from .sessions import AuthSession
from .sign_in_settings import SignInSettings
from .users import update_user_attributes

SELECT_CHALLENGE = "SELECT_CHALLENGE"
PASSWORD = "PASSWORD"
PASSWORD_SRP = "PASSWORD_SRP"
EMAIL_OTP = "EMAIL_OTP"
SMS_OTP = "SMS_OTP"
WEB_AUTHN = "WEB_AUTHN"
#: The challenges a first factor can start with, in the order AWS lists factors.
FIRST_FACTOR_CHALLENGES = (PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN)
#: AllowedFirstAuthFactors value -> the challenges it offers.
_FACTOR_CHALLENGES = {
    PASSWORD: (PASSWORD, PASSWORD_SRP),
    EMAIL_OTP: (EMAIL_OTP,),
    SMS_OTP: (SMS_OTP,),
    WEB_AUTHN: (WEB_AUTHN,),
}
#: Passwordless codes: the channel and the attribute they go to.
_CODE_CHANNELS = {EMAIL_OTP: ("EMAIL", "email"), SMS_OTP: ("SMS", "phone_number")}
CODE_DIGITS = 8
#: The kind of session ConfirmSignUp hands out (never a challenge anyone answers).
_CONFIRMED_SIGN_UP = "CONFIRMED_SIGN_UP"

NOT_AVAILABLE = "The challenge answer is not an available challenge."
EXPIRED = "Invalid session for the user, session is expired."
UNKNOWN_PREFERRED = "Invalid PREFERRED_CHALLENGE {value}: expected one of " + ", ".join(
    FIRST_FACTOR_CHALLENGES
)


def user_first_factors(pool: UserPool, user: User, settings: SignInSettings) -> list[str]:
    """The AllowedFirstAuthFactors values ``user`` can sign in with (their order)."""
    return [f for f in pool.allowed_first_auth_factors if _user_has(user, f, settings)]


def _user_has(user: User, factor: str, settings: SignInSettings) -> bool:
    if factor == PASSWORD:
        return user.password is not None or user.status == "RESET_REQUIRED"
    if factor in _CODE_CHANNELS:
        attribute = _CODE_CHANNELS[factor][1]
        if not user.attributes.get(attribute):
            return False
        verified = user.attributes.get(f"{attribute}_verified") == "true"
        return verified or not settings.codes_need_verified_contact
    if factor == WEB_AUTHN:
        return bool(user.passkeys)
    return False


def available_challenges(request: AuthRequest, user: User) -> list[str]:
    factors = user_first_factors(request.pool, user, request.backend.sign_in_settings)
    return [challenge for factor in factors for challenge in _FACTOR_CHALLENGES[factor]]


def configured_factors(pool: UserPool, user: User, settings: SignInSettings) -> list[str]:
    """GetUserAuthFactors' ``ConfiguredUserAuthFactors``: what the user can sign in with in
    this pool, as a first factor or as MFA."""
    first = set(user_first_factors(pool, user, settings))
    mfa_on = set(mfa.user_factors(user)) & set(mfa.pool_factors(pool))
    configured = {
        PASSWORD: user.password is not None,
        EMAIL_OTP: EMAIL_OTP in first or mfa.EMAIL_OTP in mfa_on,
        SMS_OTP: SMS_OTP in first or mfa.SMS_MFA in mfa_on,
        WEB_AUTHN: WEB_AUTHN in first,
        "SOFTWARE_TOKEN": mfa.SOFTWARE_TOKEN_MFA in mfa_on,
    }
    return [factor for factor, present in configured.items() if present]


def confirmed_sign_up_session(
    backend: CognitoBackend, pool: UserPool, client: AppClient, user: User
) -> str:
    """The ``Session`` ConfirmSignUp returns: good for one USER_AUTH sign-in of ``user``
    through ``client`` within the client's auth session validity."""
    return sessions.open_session(backend, pool, client, user, _CONFIRMED_SIGN_UP)


def start(request: AuthRequest) -> AuthOutcome:
    """InitiateAuth / AdminInitiateAuth with ``AuthFlow=USER_AUTH``."""
    feature_plans.require_for_pool(request.pool, feature_plans.CHOICE_BASED_SIGN_IN)
    username = required_parameter(request.parameters, "USERNAME")
    if request.session is not None:
        return _after_sign_up(request, username)
    preferred = request.parameters.get("PREFERRED_CHALLENGE")
    if preferred is not None and preferred not in FIRST_FACTOR_CHALLENGES:
        raise InvalidParameterException(UNKNOWN_PREFERRED.format(value=preferred))
    check_auth_secret_hash(request.client, username, request.parameters)
    user = signing_in_user(request, username)
    pre_authentication(request, user)
    available = available_challenges(request, user)
    if not available:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    if preferred in available:
        return begin(request, user, preferred)
    session = sessions.open_session(
        request.backend,
        request.pool,
        request.client,
        user,
        SELECT_CHALLENGE,
        {"available": available, "device_key": request.parameters.get("DEVICE_KEY")},
    )
    return AuthOutcome(
        challenge_name=SELECT_CHALLENGE,
        session=session,
        challenge_parameters={"USERNAME": user.username},
        available_challenges=available,
    )


def _after_sign_up(request: AuthRequest, username: str) -> AuthOutcome:
    check_auth_secret_hash(request.client, username, request.parameters)
    record = sessions.take_session(request.backend, request.session, request.client)
    user = signing_in_user(request, username)
    if record.challenge_name != _CONFIRMED_SIGN_UP or request.pool.user_key(
        record.username
    ) != request.pool.user_key(user.username):
        raise NotAuthorizedException(sessions.INVALID_SESSION)
    pre_authentication(request, user)
    return _signed_in(request, user)


def answer_select_challenge(request: AuthRequest, session: AuthSession, user: User) -> AuthOutcome:
    """RespondToAuthChallenge with ``ChallengeName=SELECT_CHALLENGE``: ``ANSWER`` names one of
    the available challenges, with its own parameters (``PASSWORD``, ``SRP_A``, ``CREDENTIAL``)."""
    choice = required_parameter(request.parameters, "ANSWER")
    if choice not in session.data.get("available", ()):
        raise InvalidParameterException(NOT_AVAILABLE)
    device_key = request.parameters.get("DEVICE_KEY") or session.data.get("device_key")
    parameters = {**request.parameters, **({"DEVICE_KEY": device_key} if device_key else {})}
    return begin(replace(request, parameters=parameters), user, choice)


def begin(request: AuthRequest, user: User, challenge: str) -> AuthOutcome:
    """The first step of ``challenge``, with the parameters of the request that chose it."""
    return _STARTS[challenge](request, user)


def _password(request: AuthRequest, user: User) -> AuthOutcome:
    password = required_parameter(request.parameters, "PASSWORD")
    if user.status == "RESET_REQUIRED":
        raise PasswordResetRequiredException("Password reset required for the user")
    if user.password is None or not hmac.compare_digest(user.password, password):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    return after_password(request, user)


def _password_srp(request: AuthRequest, user: User) -> AuthOutcome:
    from . import flow_srp  # the SRP flow imports this package's auth helpers too

    srp_a = required_parameter(request.parameters, "SRP_A")
    if user.status == "RESET_REQUIRED":
        raise PasswordResetRequiredException("Password reset required for the user")
    parameters, data = flow_srp.begin_srp(request, user, srp_a)
    session = sessions.open_session(
        request.backend, request.pool, request.client, user, flow_srp.CHALLENGE_NAME, data
    )
    # Unlike USER_SRP_AUTH, the choice-based flow hands the Session out with the challenge.
    return AuthOutcome(
        challenge_name=flow_srp.CHALLENGE_NAME, session=session, challenge_parameters=parameters
    )


def _send_code(request: AuthRequest, user: User, challenge: str) -> AuthOutcome:
    channel, attribute = _CODE_CHANNELS[challenge]
    destination = user.attributes[attribute]
    code = ids.digit_code(CODE_DIGITS)
    messages.send_code(
        request.backend,
        request.pool,
        user,
        channel,
        destination,
        code,
        messages.AUTHENTICATION,
        client_id=request.client.client_id,
    )
    settings = request.backend.sign_in_settings
    session = sessions.open_session(
        request.backend,
        request.pool,
        request.client,
        user,
        challenge,
        {
            "code": code,
            "code_expires": clock.now() + settings.code_lifetime_seconds,
            "attempts_left": settings.code_attempts,
            "first_factor": True,
            "device_key": request.parameters.get("DEVICE_KEY"),
        },
    )
    return AuthOutcome(
        challenge_name=challenge,
        session=session,
        challenge_parameters={
            "CODE_DELIVERY_DELIVERY_MEDIUM": channel,
            "CODE_DELIVERY_DESTINATION": messages.mask(channel, destination),
            "USER_ID_FOR_SRP": user.username,
        },
    )


def _web_authn(request: AuthRequest, user: User) -> AuthOutcome:

    credential = request.parameters.get("CREDENTIAL")
    options, state = passkeys.assertion_options(request.pool, user)
    if credential:  # answered within SELECT_CHALLENGE (or InitiateAuth) itself
        _verify_passkey(request, user, credential, state)
        return _signed_in(request, user)
    session = sessions.open_session(
        request.backend,
        request.pool,
        request.client,
        user,
        WEB_AUTHN,
        {"passkey": state, "device_key": request.parameters.get("DEVICE_KEY")},
    )
    return AuthOutcome(
        challenge_name=WEB_AUTHN,
        session=session,
        challenge_parameters={"CREDENTIAL_REQUEST_OPTIONS": options},
    )


_STARTS: dict[str, Callable[[AuthRequest, User], AuthOutcome]] = {
    PASSWORD: _password,
    PASSWORD_SRP: _password_srp,
    EMAIL_OTP: lambda request, user: _send_code(request, user, EMAIL_OTP),
    SMS_OTP: lambda request, user: _send_code(request, user, SMS_OTP),
    WEB_AUTHN: _web_authn,
}


# -- answers -----------------------------------------------------------------------------------


def check_code(session: AuthSession, code: str) -> None:
    """Check a passwordless sign-in code against ``session``'s.

    A wrong code uses up one attempt (the last one spends the session: ``session.data`` then
    says so); an expired one spends the session at once.
    """
    data = session.data
    if clock.now() >= float(data["code_expires"]):
        raise NotAuthorizedException(EXPIRED)
    if not hmac.compare_digest(str(data["code"]), code):
        data["attempts_left"] = int(data["attempts_left"]) - 1
        if data["attempts_left"] <= 0:
            data["spent"] = True
        raise CodeMismatchException("Invalid code or auth state for the user.")


def answer_code(request: AuthRequest, session: AuthSession, user: User) -> AuthOutcome:
    """EMAIL_OTP / SMS_OTP as a first factor: the code signs the user in (no MFA after it) and
    proves the address it went to."""
    challenge = session.challenge_name
    code = request.parameters.get(f"{challenge}_CODE") or required_parameter(
        request.parameters, f"{challenge}_CODE"
    )
    check_code(session, code)
    mark_contact_verified(request.pool, user, _CODE_CHANNELS[challenge][1])
    return _signed_in(request, user, session.data.get("device_key"))


def answer_passkey(request: AuthRequest, session: AuthSession, user: User) -> AuthOutcome:

    credential = required_parameter(request.parameters, "CREDENTIAL")
    _verify_passkey(request, user, credential, session.data["passkey"])
    return _signed_in(request, user, session.data.get("device_key"))


def _verify_passkey(
    request: AuthRequest, user: User, credential: str, state: Mapping[str, Any]
) -> None:
    passkeys.verify_assertion(
        request.pool, user, credential, state, extra_origins=request.backend.passkey_origins
    )


def mark_contact_verified(pool: UserPool, user: User, attribute: str) -> None:
    """A code received at an address proves it (AWS marks it verified)."""
    if user.attributes.get(f"{attribute}_verified") != "true":
        update_user_attributes(pool, user.username, [(f"{attribute}_verified", "true")])


def _signed_in(request: AuthRequest, user: User, device_key: str | None = None) -> AuthOutcome:
    # InitiateAuth's ClientMetadata reaches only pre authentication and user migration; an
    # answer's reaches post authentication and pre token generation.
    answering = request.flow != "USER_AUTH"
    return AuthOutcome(
        tokens=sign_in.issue_tokens(
            request.backend,
            request.pool,
            request.client,
            user,
            device_key=request.parameters.get("DEVICE_KEY") or device_key,
            client_metadata=request.client_metadata if answering else None,
        )
    )
