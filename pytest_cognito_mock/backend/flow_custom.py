"""The CUSTOM_AUTH flow: DefineAuthChallenge -> CreateAuthChallenge -> (answer)
VerifyAuthChallengeResponse -> DefineAuthChallenge ..., driven by the pool's Lambda triggers.

The sign-in's history (the ``session`` array the triggers see) travels in the opaque
``Session``: each challenge opens a new one holding the history, the private challenge
parameters and the challenge metadata, which are never returned to the caller. Started with
``CHALLENGE_NAME=SRP_A``, the flow may verify the password with SRP (PASSWORD_VERIFIER) before or
between custom challenges.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import clock, mfa, sessions, sign_in, triggers
from .attributes import sign_in_aliases
from .auth import (
    INCORRECT_CREDENTIALS,
    AuthOutcome,
    AuthRequest,
    check_auth_secret_hash,
    pre_authentication,
    required_parameter,
)
from .errors import (
    InvalidLambdaResponseException,
    InvalidParameterException,
    MFAMethodNotFoundException,
    NotAuthorizedException,
    UserNotConfirmedException,
    UserNotFoundException,
)
from .models import User, UserPool
from .sessions import AuthSession
from .users import find_user

if TYPE_CHECKING:
    from .challenges import ChallengeAnswer

CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE"
PASSWORD_VERIFIER = "PASSWORD_VERIFIER"
#: Key of this flow's state inside ``AuthSession.data``.
SESSION_KEY = "custom_auth"
NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
UNRECOGNIZABLE = "Unrecognizable lambda output"
DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"
DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"
#: DefineAuthChallenge's name for "ask for the password in plain" (no SRP).
ADMIN_NO_SRP_AUTH = "ADMIN_NO_SRP_AUTH"
#: DefineAuthChallenge naming an MFA factor the user does not have.
NO_MFA_METHOD = "No MFA method is set up for the user."


@dataclass
class _SignIn:
    """Where one CUSTOM_AUTH sign-in stands."""

    request: AuthRequest
    #: The name the sign-in gave (the internal username once the user is known).
    username: str
    user: User | None
    history: list[dict[str, Any]] = field(default_factory=list)
    #: ClientMetadata of the answer being processed (InitiateAuth's never reaches the triggers).
    client_metadata: dict[str, str] | None = None
    srp_a: str | None = None
    device_key: str | None = None
    #: The SRP_A of a DEVICE_SRP_AUTH answer, for the DEVICE_PASSWORD_VERIFIER that follows.
    device_srp_a: str | None = None

    @property
    def user_not_found(self) -> bool:
        return self.user is None

    def common_request(self) -> dict[str, Any]:
        event: dict[str, Any] = {
            "userAttributes": trigger_user_attributes(self.request.pool, self.user),
        }
        if self.client_metadata is not None:
            event["clientMetadata"] = dict(self.client_metadata)
        event["userNotFound"] = self.user_not_found
        return event

    def invoke(self, trigger: str, request: dict[str, Any]) -> dict[str, Any]:
        return triggers.invoke(
            self.request.backend,
            self.request.pool,
            trigger,
            f"{trigger}_Authentication",
            user_name=self.username,
            client_id=self.request.client.client_id,
            request=request,
        )


def start(request: AuthRequest) -> AuthOutcome:
    """InitiateAuth / AdminInitiateAuth with ``AuthFlow=CUSTOM_AUTH``."""
    username = required_parameter(request.parameters, "USERNAME")
    check_auth_secret_hash(request.client, username, request.parameters)
    if not triggers.is_configured(request.pool, "DefineAuthChallenge"):
        raise InvalidParameterException(NOT_CONFIGURED)
    user = find_user(request.pool, username)
    if user is None and request.client.settings.prevent_user_existence_errors != "ENABLED":
        raise UserNotFoundException("User does not exist.")
    if user is not None:
        if not user.enabled:
            raise NotAuthorizedException("User is disabled.")
        pre_authentication(request, user)
    sign_in_state = _SignIn(
        request=request,
        username=user.username if user is not None else username,
        user=user,
        device_key=request.parameters.get("DEVICE_KEY"),
    )
    if request.parameters.get("CHALLENGE_NAME") == "SRP_A":
        # The client starts with SRP: Define sees the SRP_A step as already passed.
        sign_in_state.srp_a = required_parameter(request.parameters, "SRP_A")
        sign_in_state.history.append(_result("SRP_A", True))
    return _define(sign_in_state)


def _define(state: _SignIn) -> AuthOutcome:
    """Ask DefineAuthChallenge what comes next: tokens, failure, or another challenge."""
    request = state.common_request()
    request["session"] = [dict(entry) for entry in state.history]
    response = state.invoke("DefineAuthChallenge", request)
    if response.get("failAuthentication") is True:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    if response.get("issueTokens") is True:
        return _issue_tokens(state)
    next_challenge = response.get("challengeName")
    if not isinstance(next_challenge, str):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    if next_challenge == CUSTOM_CHALLENGE:
        return _create(state)
    if next_challenge == PASSWORD_VERIFIER:
        return _password_verifier_challenge(state)
    if next_challenge in (mfa.SMS_MFA, mfa.SOFTWARE_TOKEN_MFA):
        return _factor_challenge(state, next_challenge)
    if next_challenge in (DEVICE_SRP_AUTH, ADMIN_NO_SRP_AUTH):
        # The answer brings what the step needs (the device's SRP_A, or the password).
        return AuthOutcome(
            challenge_name=next_challenge,
            session=_open(state, next_challenge, {}),
            challenge_parameters={"USERNAME": state.username},
        )
    if next_challenge == DEVICE_PASSWORD_VERIFIER:
        return _device_verifier_challenge(state)
    raise InvalidLambdaResponseException(UNRECOGNIZABLE)


def _issue_tokens(state: _SignIn) -> AuthOutcome:
    if state.user is None:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    if state.user.status == "UNCONFIRMED":
        raise UserNotConfirmedException("User is not confirmed.")
    request = state.request
    return AuthOutcome(
        tokens=sign_in.issue_tokens(
            request.backend,
            request.pool,
            request.client,
            state.user,
            device_key=state.device_key,
            client_metadata=state.client_metadata,
        )
    )


def _create(state: _SignIn) -> AuthOutcome:
    """CreateAuthChallenge builds the challenge; only its public parameters go back."""
    if not triggers.is_configured(state.request.pool, "CreateAuthChallenge"):
        raise InvalidParameterException(NOT_CONFIGURED)
    request = state.common_request()
    request["challengeName"] = CUSTOM_CHALLENGE
    request["session"] = [dict(entry) for entry in state.history]
    response = state.invoke("CreateAuthChallenge", request)
    public = response.get("publicChallengeParameters") or {}
    private = response.get("privateChallengeParameters") or {}
    metadata = response.get("challengeMetadata")
    if not _string_map(public) or not isinstance(private, dict):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    if metadata is not None and not isinstance(metadata, str):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    session = _open(state, CUSTOM_CHALLENGE, {"private": private, "metadata": metadata})
    return AuthOutcome(
        challenge_name=CUSTOM_CHALLENGE,
        session=session,
        # Cognito names the user by the internal username (the sub in email/phone pools).
        challenge_parameters={**public, "USERNAME": state.username},
    )


def _password_verifier_challenge(state: _SignIn) -> AuthOutcome:
    """DefineAuthChallenge asked for the password: the SRP PASSWORD_VERIFIER step."""
    from . import flow_srp  # the SRP flow imports the auth helpers this module uses

    if state.srp_a is None:
        raise InvalidParameterException("Missing required parameter SRP_A")
    if state.user is None:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    srp_request = replace(state.request, flow="CUSTOM_AUTH")
    parameters, srp_data = flow_srp.begin_srp(srp_request, state.user, state.srp_a)
    session = _open(state, PASSWORD_VERIFIER, {}, extra=srp_data)
    return AuthOutcome(
        challenge_name=PASSWORD_VERIFIER, session=session, challenge_parameters=parameters
    )


def _factor_challenge(state: _SignIn, factor: str) -> AuthOutcome:
    """DefineAuthChallenge asked for an MFA code: SMS_MFA (a code is "sent") or
    SOFTWARE_TOKEN_MFA, answered as in any sign-in; the result joins the history."""
    user = state.user
    if user is None:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    token = user.software_token
    has_factor = (
        bool(user.attributes.get("phone_number"))
        if factor == mfa.SMS_MFA
        else token is not None and token.verified
    )
    if not has_factor:
        raise MFAMethodNotFoundException(NO_MFA_METHOD)
    request = state.request
    challenge = mfa.factor_challenge(
        request.backend,
        request.pool,
        request.client,
        user,
        factor,
        data={SESSION_KEY: _saved(state, {})},
    )
    return AuthOutcome(
        challenge_name=factor,
        session=challenge.session,
        challenge_parameters=challenge.parameters,
    )


def _device_verifier_challenge(state: _SignIn) -> AuthOutcome:
    """DefineAuthChallenge asked for the device's proof, after a DEVICE_SRP_AUTH answer."""
    from . import flow_device  # the device flow imports the auth helpers this module uses

    if state.device_srp_a is None:
        raise InvalidParameterException("Missing required parameter SRP_A")
    if state.user is None:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    device = flow_device.device_of(state.user, {"DEVICE_KEY": state.device_key or ""})
    parameters, proof = flow_device.begin_proof(device, state.device_srp_a)
    session = _open(state, DEVICE_PASSWORD_VERIFIER, {}, extra={flow_device.SESSION_KEY: proof})
    return AuthOutcome(
        challenge_name=DEVICE_PASSWORD_VERIFIER,
        session=session,
        challenge_parameters={**parameters, "USERNAME": state.username},
    )


def answer_factor(answer: ChallengeAnswer) -> AuthOutcome:
    """An MFA code DefineAuthChallenge asked for, already checked: it joins the history and
    DefineAuthChallenge decides again."""
    state, _ = _resume(answer)
    state.history.append(_result(answer.session.challenge_name, True))
    return _define(state)


def answer_password(answer: ChallengeAnswer) -> AuthOutcome:
    """ADMIN_NO_SRP_AUTH inside CUSTOM_AUTH: the password, in plain; a correct one joins the
    history (a wrong one fails the sign-in, as in the SRP step)."""
    password = required_parameter(answer.responses, "PASSWORD")
    user = answer.signed_in_user()
    if user.password is None or not hmac.compare_digest(user.password, password):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    state, _ = _resume(answer)
    state.history.append(_result(ADMIN_NO_SRP_AUTH, True))
    return _define(state)


def answer_device_srp(answer: ChallengeAnswer) -> AuthOutcome:
    """DEVICE_SRP_AUTH inside CUSTOM_AUTH: the device and its SRP_A are noted, the step joins
    the history, and DefineAuthChallenge decides (DEVICE_PASSWORD_VERIFIER, usually)."""
    from . import flow_device

    device = flow_device.device_of(answer.signed_in_user(), answer.responses)
    state, _ = _resume(answer)
    state.device_key = device.key
    state.device_srp_a = required_parameter(answer.responses, "SRP_A")
    state.history.append(_result(DEVICE_SRP_AUTH, True))
    return _define(state)


def answer_device_password_verifier(answer: ChallengeAnswer) -> AuthOutcome:
    """DEVICE_PASSWORD_VERIFIER inside CUSTOM_AUTH: a proven device joins the history (a wrong
    proof fails the sign-in, as a wrong password does)."""
    from . import flow_device

    proof = answer.session.data.get(flow_device.SESSION_KEY, {})
    device = flow_device.check_proof(answer.signed_in_user(), proof, answer.responses)
    state, _ = _resume(answer)
    state.device_key = device.key
    state.history.append(_result(DEVICE_PASSWORD_VERIFIER, True))
    return _define(state)


def answer_custom_challenge(answer: ChallengeAnswer) -> AuthOutcome:
    """RespondToAuthChallenge with ``ChallengeName=CUSTOM_CHALLENGE``.

    VerifyAuthChallengeResponse judges ANSWER; the result joins the history and
    DefineAuthChallenge decides again. A wrong answer is not an error by itself.
    """
    challenge_answer = required_parameter(answer.responses, "ANSWER")
    if not triggers.is_configured(answer.pool, "VerifyAuthChallengeResponse"):
        raise InvalidParameterException(NOT_CONFIGURED)
    state, saved = _resume(answer)
    request = state.common_request()
    request["privateChallengeParameters"] = saved.get("private", {})
    request["challengeAnswer"] = challenge_answer
    response = state.invoke("VerifyAuthChallengeResponse", request)
    correct = response.get("answerCorrect")
    if correct is not None and not isinstance(correct, bool):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    state.history.append(_result(CUSTOM_CHALLENGE, correct is True, saved.get("metadata")))
    return _define(state)


def answer_password_verifier(answer: ChallengeAnswer) -> AuthOutcome:
    """The SRP step of CUSTOM_AUTH answered: a proven password joins the history and
    DefineAuthChallenge decides again (a wrong one fails the sign-in)."""
    from . import flow_srp

    flow_srp.verify_password_claim(answer.pool, answer.client, answer.session, answer.responses)
    state, _ = _resume(answer)
    state.history.append(_result(PASSWORD_VERIFIER, True))
    return _define(state)


def is_custom_session(session: AuthSession) -> bool:
    """Whether ``session`` is a step of a CUSTOM_AUTH sign-in."""
    return isinstance(session.data.get(SESSION_KEY), dict)


def for_unknown_user(session: AuthSession) -> bool:
    """Whether ``session`` belongs to a CUSTOM_AUTH sign-in of a user that does not exist."""
    saved = session.data.get(SESSION_KEY)
    return isinstance(saved, dict) and bool(saved.get("user_not_found"))


def _resume(answer: ChallengeAnswer) -> tuple[_SignIn, dict[str, Any]]:
    saved: dict[str, Any] = dict(answer.session.data[SESSION_KEY])
    request = AuthRequest(
        answer.backend,
        answer.pool,
        answer.client,
        flow="CUSTOM_AUTH",
        parameters=answer.responses,
        admin=bool(saved.get("admin", answer.admin)),
    )
    state = _SignIn(
        request=request,
        username=answer.session.username,
        user=answer.user,
        history=[dict(entry) for entry in saved.get("history", [])],
        client_metadata=answer.client_metadata,
        srp_a=saved.get("srp_a"),
        device_key=answer.responses.get("DEVICE_KEY") or saved.get("device_key"),
        device_srp_a=saved.get("device_srp_a"),
    )
    return state, saved


def _saved(state: _SignIn, data: dict[str, Any]) -> dict[str, Any]:
    """What a step's session keeps of the sign-in (under :data:`SESSION_KEY`)."""
    return {
        "history": [dict(entry) for entry in state.history],
        "user_not_found": state.user_not_found,
        "admin": state.request.admin,
        "srp_a": state.srp_a,
        "device_key": state.device_key,
        "device_srp_a": state.device_srp_a,
        **data,
    }


def _open(
    state: _SignIn, challenge: str, data: dict[str, Any], extra: dict[str, Any] | None = None
) -> str:
    request = state.request
    # Sessions are opened for a user; an unknown one gets a stand-in that is never stored.
    user = state.user or User(
        username=state.username, sub="", created=clock.now(), modified=clock.now()
    )
    return sessions.open_session(
        request.backend,
        request.pool,
        request.client,
        user,
        challenge,
        {**(extra or {}), SESSION_KEY: _saved(state, data)},
    )


def _result(name: str, passed: bool, metadata: str | None = None) -> dict[str, Any]:
    return {"challengeName": name, "challengeResult": passed, "challengeMetadata": metadata}


def _string_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def trigger_user_attributes(pool: UserPool, user: User | None) -> dict[str, str]:
    """``request.userAttributes`` of the auth-challenge triggers: the user's attributes (with
    ``sub``), ``cognito:user_status``, and in alias pools which contact is an alias."""
    if user is None:
        return {}
    attributes = dict(user.attributes)
    attributes["cognito:user_status"] = user.status
    if pool.alias_attributes:
        for name, value in sign_in_aliases(pool, user.attributes).items():
            if name in ("email", "phone_number"):
                attributes[f"cognito:{name}_alias"] = value
    return attributes
