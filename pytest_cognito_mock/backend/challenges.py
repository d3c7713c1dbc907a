"""RespondToAuthChallenge and AdminRespondToAuthChallenge: the answer to a pending challenge.

The ``Session`` names the challenge being answered; the answer must name the same challenge and
the same user. Each challenge has its handler in :data:`CHALLENGES`. A refused answer (a missing
parameter, a password the policy refuses, a wrong code) leaves the session usable, so the caller
may answer again; an answer that was evaluated (a custom challenge checked by the triggers, a
failed sign-in, a trigger that failed) spends it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from . import (
    CognitoBackend,
    auth_events,
    clock,
    flow_custom,
    flow_device,
    flow_user_auth,
    mfa,
    sign_in,
)
from .attributes import attribute_changes
from .auth import (
    ATTRIBUTE_PREFIX,
    INCORRECT_CREDENTIALS,
    AuthOutcome,
    AuthRequest,
    check_auth_secret_hash,
    missing_required_attributes,
    required_parameter,
)
from .errors import (
    AliasExistsException,
    CodeMismatchException,
    ExpiredCodeException,
    InvalidParameterException,
    InvalidPasswordException,
    NotAuthorizedException,
    ServiceError,
    SoftwareTokenMFANotFoundException,
    UserNotFoundException,
)
from .models import AppClient, User, UserPool
from .passwords import SET_PASSWORD_PREFIX, check_password
from .sessions import AuthSession, take_session
from .user_data_history import before_user_change
from .users import find_user, update_user_attributes

INVALID_SESSION = "Invalid session for the user."
#: Challenges answered with a one-time code: answering another challenge's session with one of
#: these names is a code that does not fit the sign-in's state.
_CODE_CHALLENGES = frozenset(
    {mfa.SMS_MFA, mfa.SOFTWARE_TOKEN_MFA, mfa.EMAIL_OTP, flow_user_auth.SMS_OTP}
)
#: SELECT_MFA_TYPE answers and code names the model's documentation also uses for email MFA.
_EMAIL_MFA_ALIASES = {"EMAIL_MFA": mfa.EMAIL_OTP}
#: Errors that refuse an answer without spending its session.
_REFUSALS: tuple[type[Exception], ...] = (
    InvalidParameterException,
    InvalidPasswordException,
    CodeMismatchException,
    ExpiredCodeException,  # a TOTP code already used: another code may follow
    SoftwareTokenMFANotFoundException,
    AliasExistsException,
)


@dataclass
class ChallengeAnswer:
    """One answer, with the challenge it answers (already taken from the pending sessions)."""

    backend: CognitoBackend
    pool: UserPool
    client: AppClient
    session: AuthSession
    #: The user signing in; None only in a CUSTOM_AUTH sign-in of a user that does not exist
    #: (PreventUserExistenceErrors lets it run so callers cannot tell).
    user: User | None
    responses: Mapping[str, str]
    client_metadata: dict[str, str] | None
    admin: bool
    #: Set when the answer comes from the hosted pages: the tokens' scopes and nonce.
    grant: sign_in.OAuthGrant | None = None

    def request(self) -> AuthRequest:
        """The answer as an AuthRequest (its ``flow`` names the challenge answered)."""
        return AuthRequest(
            self.backend,
            self.pool,
            self.client,
            flow=self.session.challenge_name,
            parameters=self.responses,
            admin=self.admin,
            client_metadata=self.client_metadata,
            grant=self.grant,
        )

    def signed_in_user(self) -> User:
        if self.user is None:  # pragma: no cover - only CUSTOM_CHALLENGE sessions lack a user
            raise NotAuthorizedException(INCORRECT_CREDENTIALS)
        return self.user


ChallengeHandler = Callable[[ChallengeAnswer], AuthOutcome]
#: Finds and consumes the pending challenge an answer refers to.
SessionFinder = Callable[[CognitoBackend, AppClient, "str | None", Mapping[str, str]], AuthSession]


@dataclass(frozen=True)
class ChallengeSpec:
    handler: ChallengeHandler
    #: The handler checks USERNAME and SECRET_HASH itself (the SRP proof does).
    checks_own_answer: bool = False
    #: How the pending challenge is found, when not by its Session alone.
    find_session: SessionFinder | None = None
    #: Other challenges whose sessions this name may answer (PASSWORD answers SELECT_CHALLENGE).
    also_answers: frozenset[str] = frozenset()


def respond(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    challenge_name: str,
    session: str | None,
    responses: Mapping[str, str],
    client_metadata: Mapping[str, str] | None,
    admin: bool,
    grant: sign_in.OAuthGrant | None = None,
    context: auth_events.EventContext | None = None,
) -> AuthOutcome:
    """Answer the challenge pending in ``session`` for ``client``; tokens or the next challenge.
    ``grant`` is set for answers given on the hosted pages (no SECRET_HASH there; the tokens
    carry the authorize request's scopes)."""
    spec = CHALLENGES.get(challenge_name)
    if spec is not None and spec.find_session is not None:
        record = spec.find_session(backend, client, session, responses)
    else:
        if not session:
            raise InvalidParameterException("Missing required parameter Session")
        record = take_session(backend, session, client)
    try:
        also = spec.also_answers if spec is not None else frozenset()
        # Every challenge the mock issues has a handler: an unknown name answers nothing.
        if spec is None or (
            record.challenge_name != challenge_name and record.challenge_name not in also
        ):
            raise _mismatch(challenge_name)
        user = _answering_user(pool, client, record, responses, spec, hosted=grant is not None)
    except ServiceError:
        _keep(backend, session, record)  # not an answer to this challenge: it stays pending
        raise
    answer = ChallengeAnswer(
        backend,
        pool,
        client,
        record,
        user,
        responses,
        dict(client_metadata) if client_metadata is not None else None,
        admin,
        grant,
    )
    try:
        # Threat protection records the sign-in the answer continues (see auth_events.py).
        return auth_events.answering(
            backend, pool, client, record, user, context, responses, lambda: spec.handler(answer)
        )
    except _REFUSALS:
        _keep(backend, session, record)
        raise


def _keep(backend: CognitoBackend, session: str | None, record: AuthSession) -> None:
    """Put a refused answer's session back (a session found by its secret block has no key to
    go back under, and SRP proofs are single use anyway), unless its attempts ran out."""
    if session and not record.data.get("spent"):
        backend.sessions[session] = record


def _mismatch(challenge_name: str) -> ServiceError:
    if challenge_name in _CODE_CHALLENGES:
        return CodeMismatchException(mfa.MFA_CODE_MISMATCH)
    return NotAuthorizedException(INVALID_SESSION)


def _answering_user(
    pool: UserPool,
    client: AppClient,
    record: AuthSession,
    responses: Mapping[str, str],
    spec: ChallengeSpec,
    *,
    hosted: bool = False,
) -> User | None:
    """The session's user, once USERNAME (and SECRET_HASH) in the answer agree with it."""
    session_user = pool.users.get(pool.user_key(record.username))
    if spec.checks_own_answer:
        return session_user
    username = required_parameter(responses, "USERNAME")
    if not hosted:  # the browser never holds the client secret
        check_auth_secret_hash(client, username, responses)
    if session_user is None:
        if flow_custom.for_unknown_user(record) and pool.user_key(username) == pool.user_key(
            record.username
        ):
            return None
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    named = find_user(pool, username)
    if named is None:
        if client.settings.prevent_user_existence_errors == "ENABLED":
            raise NotAuthorizedException(INCORRECT_CREDENTIALS)
        raise UserNotFoundException("User does not exist.")
    if named is not session_user:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    if not session_user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return session_user


# -- handlers ----------------------------------------------------------------------------------


def _new_password_required(answer: ChallengeAnswer) -> AuthOutcome:
    """NEW_PASSWORD_REQUIRED: a permanent password (and any required attributes missing)."""
    user = answer.signed_in_user()
    pool = answer.pool
    new_password = required_parameter(answer.responses, "NEW_PASSWORD")
    check_password(pool.password_policy, new_password, SET_PASSWORD_PREFIX)
    given = [
        (name[len(ATTRIBUTE_PREFIX) :], value)
        for name, value in answer.responses.items()
        if name.startswith(ATTRIBUTE_PREFIX)
    ]
    to_set, to_delete = attribute_changes(pool, user.attributes, given)
    after = {k: v for k, v in {**user.attributes, **to_set}.items() if k not in to_delete}
    missing = missing_required_attributes(pool, after)
    if missing:
        raise InvalidParameterException(
            f"Invalid attributes given, {' and '.join(missing)} is missing"
        )
    if given:
        update_user_attributes(
            pool,
            user.username,
            given,
            backend=answer.backend,
            client_id=answer.client.client_id,
            client_metadata=answer.client_metadata,
        )
    before_user_change(pool, user)
    user.password = new_password
    user.status = "CONFIRMED"
    user.temporary_password_expires = None
    user.modified = clock.now()
    challenge = flow_device.challenge_after_password(
        answer.backend, pool, answer.client, user, answer.responses.get("DEVICE_KEY")
    )
    if challenge is not None:
        return _challenge_outcome(challenge)
    return _tokens(answer, user, source="TokenGeneration_NewPasswordChallenge")


def _password_verifier(answer: ChallengeAnswer) -> AuthOutcome:
    """PASSWORD_VERIFIER: the SRP proof of USER_SRP_AUTH, or of CUSTOM_AUTH's SRP step."""
    from . import flow_srp  # the SRP flow imports this package's auth helpers too

    if flow_custom.is_custom_session(answer.session):
        return flow_custom.answer_password_verifier(answer)
    return flow_srp.answer_password_verifier(
        answer.backend, answer.pool, answer.client, answer.session, answer.responses
    )


def _find_password_verifier(
    backend: CognitoBackend, client: AppClient, session: str | None, responses: Mapping[str, str]
) -> AuthSession:
    from . import flow_srp

    return flow_srp.password_verifier_session(backend, client, session, responses)


def _custom_challenge(answer: ChallengeAnswer) -> AuthOutcome:
    return flow_custom.answer_custom_challenge(answer)


def _mfa_code(answer: ChallengeAnswer) -> AuthOutcome:
    """SMS_MFA / EMAIL_OTP / SOFTWARE_TOKEN_MFA: the code, then tokens."""
    user = answer.signed_in_user()
    name = answer.session.challenge_name
    responses = answer.responses
    if name == mfa.EMAIL_OTP and "EMAIL_OTP_CODE" not in responses:
        code = required_parameter(responses, "EMAIL_MFA_CODE")  # the model's older name
    else:
        code = required_parameter(responses, f"{name}_CODE")
    mfa.check_factor_code(answer.pool, user, answer.session, code)
    # A code received by SMS or email proves the phone number / the address.
    if name == mfa.SMS_MFA:
        flow_user_auth.mark_contact_verified(answer.pool, user, "phone_number")
    elif name == mfa.EMAIL_OTP:
        flow_user_auth.mark_contact_verified(answer.pool, user, "email")
    if flow_custom.is_custom_session(answer.session):  # DefineAuthChallenge asked for it
        return flow_custom.answer_factor(answer)
    return _tokens(answer, user)


def _email_otp(answer: ChallengeAnswer) -> AuthOutcome:
    """EMAIL_OTP: a passwordless first factor, or email MFA after a password."""
    if answer.session.data.get("first_factor"):
        return _first_factor_code(answer)
    return _mfa_code(answer)


def _first_factor_code(answer: ChallengeAnswer) -> AuthOutcome:
    return flow_user_auth.answer_code(answer.request(), answer.session, answer.signed_in_user())


def _passkey(answer: ChallengeAnswer) -> AuthOutcome:
    return flow_user_auth.answer_passkey(answer.request(), answer.session, answer.signed_in_user())


def _select_challenge(answer: ChallengeAnswer) -> AuthOutcome:
    return flow_user_auth.answer_select_challenge(
        answer.request(), answer.session, answer.signed_in_user()
    )


def _chosen_directly(answer: ChallengeAnswer) -> AuthOutcome:
    """ChallengeName PASSWORD / PASSWORD_SRP answering a SELECT_CHALLENGE session: the same as
    choosing it with ANSWER."""
    chosen = flow_user_auth.PASSWORD_SRP if "SRP_A" in answer.responses else "PASSWORD"
    request = replace(answer.request(), parameters={**answer.responses, "ANSWER": chosen})
    return flow_user_auth.answer_select_challenge(request, answer.session, answer.signed_in_user())


def _admin_no_srp(answer: ChallengeAnswer) -> AuthOutcome:
    """ADMIN_NO_SRP_AUTH: only DefineAuthChallenge asks for it, inside CUSTOM_AUTH."""
    return flow_custom.answer_password(answer)


def _device_srp(answer: ChallengeAnswer) -> AuthOutcome:
    """DEVICE_SRP_AUTH: the remembered device starts its SRP proof."""
    if flow_custom.is_custom_session(answer.session):
        return flow_custom.answer_device_srp(answer)
    return flow_device.answer_device_srp(
        answer.backend,
        answer.pool,
        answer.client,
        answer.session,
        answer.signed_in_user(),
        answer.responses,
    )


def _device_password_verifier(answer: ChallengeAnswer) -> AuthOutcome:
    """DEVICE_PASSWORD_VERIFIER: the device's proof, then tokens on that device."""
    if flow_custom.is_custom_session(answer.session):
        return flow_custom.answer_device_password_verifier(answer)
    return flow_device.answer_device_password_verifier(
        answer.backend,
        answer.pool,
        answer.client,
        answer.session,
        answer.signed_in_user(),
        answer.responses,
        client_metadata=answer.client_metadata,
        grant=answer.grant,
    )


def _select_mfa_type(answer: ChallengeAnswer) -> AuthOutcome:
    """SELECT_MFA_TYPE: ANSWER names the factor to continue with."""
    user = answer.signed_in_user()
    choice = required_parameter(answer.responses, "ANSWER")
    choice = _EMAIL_MFA_ALIASES.get(choice, choice)
    offered = [f for f in mfa.user_factors(user) if f in mfa.pool_factors(answer.pool)]
    if choice not in offered:
        raise InvalidParameterException(f"Invalid MFA type {choice} selected for the user.")
    challenge = mfa.factor_challenge(
        answer.backend, answer.pool, answer.client, user, choice, _carried_device(answer)
    )
    return _challenge_outcome(challenge)


def _mfa_setup(answer: ChallengeAnswer) -> AuthOutcome:
    """MFA_SETUP: answered once VerifySoftwareToken verified an authenticator with the session
    (which turned TOTP on for the user)."""
    user = answer.signed_in_user()
    token = user.software_token
    if not answer.session.data.get("verified") or token is None or not token.verified:
        raise SoftwareTokenMFANotFoundException(mfa.TOKEN_NOT_FOUND)
    return _tokens(answer, user)


def _tokens(
    answer: ChallengeAnswer, user: User, source: str = "TokenGeneration_Authentication"
) -> AuthOutcome:
    if answer.grant is not None and source == "TokenGeneration_Authentication":
        source = "TokenGeneration_HostedAuth"
    return AuthOutcome(
        tokens=sign_in.issue_tokens(
            answer.backend,
            answer.pool,
            answer.client,
            user,
            device_key=answer.responses.get("DEVICE_KEY")
            or answer.session.data.get(flow_device.DEVICE_KEY_DATA),
            source=source,
            client_metadata=answer.client_metadata,
            grant=answer.grant,
        )
    )


def _carried_device(answer: ChallengeAnswer) -> dict[str, str] | None:
    """The sign-in's device key, from the answered challenge's session to the next one."""
    key = answer.responses.get("DEVICE_KEY") or answer.session.data.get(flow_device.DEVICE_KEY_DATA)
    return {flow_device.DEVICE_KEY_DATA: key} if key else None


def _challenge_outcome(challenge: mfa.MfaChallenge) -> AuthOutcome:
    return AuthOutcome(
        challenge_name=challenge.name,
        session=challenge.session,
        challenge_parameters=challenge.parameters,
    )


_SELECT = frozenset({flow_user_auth.SELECT_CHALLENGE})

#: Challenge name -> how an answer to it is handled.
CHALLENGES: dict[str, ChallengeSpec] = {
    "NEW_PASSWORD_REQUIRED": ChallengeSpec(_new_password_required),
    "PASSWORD_VERIFIER": ChallengeSpec(
        _password_verifier, checks_own_answer=True, find_session=_find_password_verifier
    ),
    flow_custom.CUSTOM_CHALLENGE: ChallengeSpec(_custom_challenge),
    mfa.SMS_MFA: ChallengeSpec(_mfa_code),
    mfa.SOFTWARE_TOKEN_MFA: ChallengeSpec(_mfa_code),
    mfa.SELECT_MFA_TYPE: ChallengeSpec(_select_mfa_type),
    mfa.MFA_SETUP: ChallengeSpec(_mfa_setup),
    flow_custom.ADMIN_NO_SRP_AUTH: ChallengeSpec(_admin_no_srp),
    flow_device.DEVICE_SRP_AUTH: ChallengeSpec(
        _device_srp, find_session=flow_device.find_device_srp_session
    ),
    flow_device.DEVICE_PASSWORD_VERIFIER: ChallengeSpec(
        _device_password_verifier, find_session=flow_device.find_device_verifier_session
    ),
    mfa.EMAIL_OTP: ChallengeSpec(_email_otp),
    flow_user_auth.SMS_OTP: ChallengeSpec(_first_factor_code),
    flow_user_auth.WEB_AUTHN: ChallengeSpec(_passkey),
    flow_user_auth.SELECT_CHALLENGE: ChallengeSpec(_select_challenge),
    flow_user_auth.PASSWORD: ChallengeSpec(_chosen_directly, also_answers=_SELECT),
    flow_user_auth.PASSWORD_SRP: ChallengeSpec(_chosen_directly, also_answers=_SELECT),
}
