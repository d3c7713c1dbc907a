"""Threat protection's user event history (AdminListUserAuthEvents) and its risk decisions.

While the pool's threat protection is on (AUDIT or ENFORCED, see risk_configuration.py), every
sign-in, sign-up, password change, forgotten-password step and resent code the mock handles is
an :class:`AuthEvent` of the user, newest last, at most :data:`MAX_EVENTS` of them; they live on
the user and go with it. With threat protection off nothing is recorded: the add-on is what
collects them (docs/fidelity.md).

Entry points, one call from each place that needs them:

* :func:`signing_in` wraps a sign-in's first step (InitiateAuth, the hosted sign-in form) and
  :func:`answering` an answer to a challenge: they turn the outcome into the event (Pass with
  tokens, InProgress while a second step is pending, Fail on a wrong password or code). The
  event's id rides in the pending session's data, so the answer updates the same event.
* :func:`adaptive_response`, called once the password is verified, acts on the assessed risk in
  ENFORCED mode: refuses a BLOCK, asks for MFA for MFA_IF_CONFIGURED / MFA_REQUIRED.
* :func:`recording` wraps the other operations (SignUp, ForgotPassword, ...).

There is no real risk engine: a sign-in has no risk unless a test set one for the user with
``CognitoMock.set_sign_in_risk`` (:func:`set_risk`). The risk assessed for the sign-in being
handled is kept on the backend for the length of the call (:attr:`CognitoBackend.sign_in_risk`)
because the flows that verify a password do not carry the request's context data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol, TypeVar

from . import CognitoBackend, clock, ids, mfa, pagination
from . import risk_configuration as risk
from .errors import (
    CodeMismatchException,
    NotAuthorizedException,
    ResourceNotFoundException,
    ServiceError,
)
from .models import AppClient, User, UserPool
from .users import find_user

if TYPE_CHECKING:
    from .sessions import AuthSession

#: Events kept per user; the oldest go first.
MAX_EVENTS = 500
#: AdminListUserAuthEvents' page when MaxResults is 0 or left out.
DEFAULT_PAGE = 60
SIGN_IN, SIGN_UP, FORGOT_PASSWORD = "SignIn", "SignUp", "ForgotPassword"
PASSWORD_CHANGE, RESEND_CODE = "PasswordChange", "ResendCode"
PASS, FAIL, IN_PROGRESS = "Pass", "Fail", "InProgress"
NO_RISK, ACCOUNT_TAKEOVER, BLOCK = "NoRisk", "AccountTakeover", "Block"
PASSWORD, MFA = "Password", "Mfa"
SUCCESS, FAILURE = "Success", "Failure"
#: Observed on AWS when adaptive authentication blocks a sign-in.
BLOCKED_SIGN_IN = "Unable to login because of security reasons."
#: Observed on AWS for a request from an address of the always-block list.
BLOCKED_REQUEST = "Request not allowed due to security reasons."
#: The mock's wordings (see docs/fidelity.md).
EVENT_NOT_FOUND = "Auth event {event_id} does not exist for the user."
WRONG_FEEDBACK_TOKEN = "The feedback token is not valid for this auth event."
#: Key, in a pending session's data, of the sign-in event the answer continues.
SESSION_EVENT = "auth_event"
#: Challenges that come after a verified first factor: a sign-in waiting on one is InProgress.
SECOND_STEPS = frozenset(
    {
        mfa.SMS_MFA,
        mfa.EMAIL_OTP,
        mfa.SOFTWARE_TOKEN_MFA,
        mfa.SELECT_MFA_TYPE,
        mfa.MFA_SETUP,
        "NEW_PASSWORD_REQUIRED",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
    }
)
_MFA_CODES = frozenset({mfa.SMS_MFA, mfa.EMAIL_OTP, mfa.SOFTWARE_TOKEN_MFA})
#: Challenge answers that are a password (or its SRP proof).
_PASSWORD_ANSWERS = frozenset({"PASSWORD_VERIFIER", "PASSWORD", "PASSWORD_SRP"})
_UNRECORDED_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH"})


@dataclass(frozen=True)
class EventContext:
    """EventContextDataType: what a request's UserContextData / ContextData told about the
    user's device. The mock does no geolocation: City, Country and Timezone stay unset."""

    ip_address: str | None = None
    device_name: str | None = None
    timezone: str | None = None
    city: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class EventFeedback:
    value: str
    provider: str
    date: float


@dataclass(frozen=True)
class SimulatedRisk:
    """The risk a test has Cognito assess for the user's sign-ins."""

    level: str | None
    compromised_credentials: bool = False


@dataclass
class AuthEvent:
    event_id: str
    event_type: str
    created: float
    response: str
    #: Orders events (and pages) even when two share a CreationDate.
    sequence: int
    risk_decision: str = NO_RISK
    risk_level: str | None = None
    compromised_credentials: bool = False
    #: (Password | Mfa, Success | Failure), in the order answered.
    challenges: list[tuple[str, str]] = field(default_factory=list)
    context: EventContext | None = None
    feedback: EventFeedback | None = None
    #: What AWS puts in the notification email's feedback links (UpdateAuthEventFeedback).
    feedback_token: str = ""


@dataclass
class AuthEventLog:
    """A user's events, oldest first, and the risk a test set for them."""

    events: list[AuthEvent] = field(default_factory=list)
    next_sequence: int = 0
    risk: SimulatedRisk | None = None


@dataclass(frozen=True)
class Assessment:
    """The risk assessed for one request, and what the pool does about it."""

    level: str | None
    compromised_credentials: bool
    decision: str
    #: BLOCK, MFA_IF_CONFIGURED, MFA_REQUIRED or NO_ACTION; only acted on in ENFORCED mode.
    action: str
    enforced: bool


class Outcome(Protocol):
    """What a sign-in step returns (auth.AuthOutcome): tokens, or the next challenge."""

    @property
    def tokens(self) -> object | None: ...
    @property
    def challenge_name(self) -> str | None: ...
    @property
    def session(self) -> str | None: ...


OutcomeT = TypeVar("OutcomeT", bound=Outcome)


# -- the history ---------------------------------------------------------------------------------


def records(pool: UserPool) -> bool:
    return risk.mode(pool) != risk.OFF


def _log(user: User) -> AuthEventLog:
    if user.auth_events is None:
        user.auth_events = AuthEventLog()
    return user.auth_events


def record(
    pool: UserPool,
    user: User,
    event_type: str,
    response: str,
    *,
    context: EventContext | None = None,
    assessment: Assessment | None = None,
    challenges: list[tuple[str, str]] | None = None,
) -> AuthEvent | None:
    """Add one event to the user's history (nothing while threat protection is off)."""
    if not records(pool):
        return None
    log = _log(user)
    event = AuthEvent(
        event_id=ids.uuid4(),
        event_type=event_type,
        created=clock.now(),
        response=response,
        sequence=log.next_sequence,
        challenges=list(challenges or ()),
        context=context,
        feedback_token=ids.random_bytes(24).hex(),
    )
    if assessment is not None:
        event.risk_decision = assessment.decision
        event.risk_level = assessment.level
        event.compromised_credentials = assessment.compromised_credentials
    log.next_sequence += 1
    log.events.append(event)
    del log.events[:-MAX_EVENTS]
    return event


def find_event(user: User, event_id: str) -> AuthEvent | None:
    log = user.auth_events
    if log is None:
        return None
    return next((e for e in reversed(log.events) if e.event_id == event_id), None)


def list_events(
    pool: UserPool, user: User, max_results: int | None, token: str | None
) -> tuple[list[AuthEvent], str | None]:
    """AdminListUserAuthEvents: newest first. The token names the sequence number to go on
    from, so events recorded between two pages shift nothing."""
    risk.require_add_on(pool)
    limit = max_results or DEFAULT_PAGE
    scope = f"auth-events:{pool.id}:{user.sub}"
    events = user.auth_events.events if user.auth_events is not None else []
    below = pagination.decode(scope, token) if token is not None else None
    newest_first = [e for e in reversed(events) if below is None or e.sequence < below]
    page = newest_first[:limit]
    more = len(newest_first) > limit
    return page, pagination.encode(scope, page[-1].sequence) if more else None


def give_feedback(
    pool: UserPool, user: User, event_id: str, value: str, *, token: str | None = None
) -> None:
    """(Admin)UpdateAuthEventFeedback. ``token`` is the user's FeedbackToken (None: admin)."""
    risk.require_add_on(pool)
    event = find_event(user, event_id)
    if event is None:
        raise ResourceNotFoundException(EVENT_NOT_FOUND.format(event_id=event_id))
    if token is not None and token != event.feedback_token:
        raise NotAuthorizedException(WRONG_FEEDBACK_TOKEN)
    provider = "User" if token is not None else "Admin"
    event.feedback = EventFeedback(value, provider, clock.now())


def set_risk(user: User, level: str | None, compromised_credentials: bool) -> None:
    """The risk every later sign-in of ``user`` is assessed at (None and False: none)."""
    if level is not None and level not in risk.RISK_LEVELS:
        raise ValueError(f"risk level must be one of {', '.join(risk.RISK_LEVELS)} or None")
    if level is None and not compromised_credentials:
        if user.auth_events is not None:
            user.auth_events.risk = None
        return
    _log(user).risk = SimulatedRisk(level, compromised_credentials)


# -- assessing a request -------------------------------------------------------------------------


def assess(
    pool: UserPool, client: AppClient, user: User, context: EventContext | None, event_type: str
) -> Assessment:
    """The risk of one request by ``user`` and the configured response to it."""
    enforced = risk.mode(pool) == risk.ENFORCED
    _, config = risk.effective(pool, client.client_id)
    ip = context.ip_address if context is not None else None
    simulated = user.auth_events.risk if user.auth_events is not None else None
    if simulated is None or risk.ip_listed(config, "SkippedIPRangeList", ip):
        return Assessment(None, False, NO_RISK, "NO_ACTION", enforced)
    compromised = simulated.compromised_credentials
    # Only sign-ins are ever refused (docs/fidelity.md): other events just report the finding.
    if compromised and event_type == SIGN_IN and risk.blocks_compromised(config, "SIGN_IN"):
        decision = BLOCK if enforced else NO_RISK
        return Assessment(simulated.level, compromised, decision, "BLOCK", enforced)
    if simulated.level is None or event_type != SIGN_IN:
        return Assessment(simulated.level, compromised, NO_RISK, "NO_ACTION", enforced)
    action, _notify = risk.level_action(config, simulated.level)
    decision = NO_RISK
    if enforced and action == "BLOCK":
        decision = BLOCK
    elif enforced and action != "NO_ACTION":
        decision = ACCOUNT_TAKEOVER
    return Assessment(simulated.level, compromised, decision, action, enforced)


@dataclass(frozen=True)
class _Attempt:
    """The sign-in being handled, while its flow runs."""

    assessment: Assessment


def adaptive_response(
    backend: CognitoBackend, pool: UserPool, client: AppClient, user: User
) -> mfa.MfaChallenge | None:
    """After a verified password: what ENFORCED threat protection does about the sign-in's
    risk. Raises for BLOCK (and MFA_REQUIRED when the user can get no code); for MFA returns
    the challenge to ask when the sign-in would otherwise ask none (else None: the usual MFA
    step, if any, goes on)."""
    attempt = backend.sign_in_risk
    if not isinstance(attempt, _Attempt) or not attempt.assessment.enforced:
        return None
    action = attempt.assessment.action
    if action == "BLOCK":
        raise NotAuthorizedException(BLOCKED_SIGN_IN)
    if action not in ("MFA_IF_CONFIGURED", "MFA_REQUIRED") or mfa.mfa_step(pool, user) is not None:
        return None
    possible = [factor for factor in mfa.pool_factors(pool) if _reaches(user, factor)]
    if not possible:
        if action == "MFA_REQUIRED":
            raise NotAuthorizedException(BLOCKED_SIGN_IN)
        return None
    return mfa.factor_challenge(backend, pool, client, user, possible[0])


def _reaches(user: User, factor: str) -> bool:
    """Whether a code of ``factor`` can reach the user without any set-up."""
    if factor == mfa.SMS_MFA:
        return bool(user.attributes.get("phone_number"))
    if factor == mfa.EMAIL_OTP:
        return bool(user.attributes.get("email"))
    token = user.software_token
    return token is not None and token.verified


# -- the sign-in hooks ---------------------------------------------------------------------------


def signing_in(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    username: str | None,
    context: EventContext | None,
    run: Callable[[], OutcomeT],
    *,
    flow: str,
    password_given: bool,
) -> OutcomeT:
    """Run a sign-in's first step (``run``, of AuthFlow ``flow``) and record what came of it.
    Refreshing tokens is no sign-in; CUSTOM_AUTH is left out (see docs/fidelity.md)."""
    if not records(pool) or not username or flow in _UNRECORDED_FLOWS:
        return run()
    user = find_user(pool, username)
    if user is not None:
        _refuse_blocked_address(pool, client, user, context)
    return _first_factor(backend, pool, client, user, username, context, run, password_given)


def answering(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    session: AuthSession,
    user: User | None,
    context: EventContext | None,
    responses: Mapping[str, str],
    run: Callable[[], OutcomeT],
) -> OutcomeT:
    """Run the answer to ``session``'s challenge (``run``) and record what came of it: the
    sign-in's event goes on, or (an answered first factor) begins."""
    from .flow_custom import is_custom_session  # the flows import this module's callers

    if not records(pool) or user is None or is_custom_session(session):
        return run()
    event = find_event(user, str(session.data.get(SESSION_EVENT, "")))
    answered = session.challenge_name
    if event is None:
        if answered in SECOND_STEPS and not session.data.get("first_factor"):
            return run()  # a second step of a sign-in that began before the add-on was on
        password = answered in _PASSWORD_ANSWERS or responses.get("ANSWER") in _PASSWORD_ANSWERS
        return _first_factor(backend, pool, client, user, user.username, context, run, password)
    try:
        outcome = run()
    except (CodeMismatchException, NotAuthorizedException):
        if answered in _MFA_CODES:
            _answer(event, MFA, FAILURE)
            event.response = FAIL
        raise
    if answered in _MFA_CODES:
        _answer(event, MFA, SUCCESS)
    _carry(backend, event, outcome)
    return outcome


def _first_factor(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    username: str,
    context: EventContext | None,
    run: Callable[[], OutcomeT],
    password_given: bool,
) -> OutcomeT:
    assessment = assess(pool, client, user, context, SIGN_IN) if user is not None else None
    attempt = _Attempt(assessment) if assessment is not None else None
    outer = backend.sign_in_risk
    backend.sign_in_risk = attempt
    try:
        outcome = run()
    except ServiceError as error:
        user = user or find_user(pool, username)
        blocked = isinstance(error, NotAuthorizedException) and error.message == BLOCKED_SIGN_IN
        if user is not None and (blocked or _wrong_credentials(error)):
            verdict = SUCCESS if blocked else FAILURE
            if blocked and assessment is not None:
                assessment = replace(assessment, decision=BLOCK)
            record(
                pool,
                user,
                SIGN_IN,
                FAIL,
                context=context,
                assessment=assessment,
                challenges=[(PASSWORD, verdict)] if password_given else [],
            )
        raise
    finally:
        backend.sign_in_risk = outer
    user = user or find_user(pool, username)  # a user migration may have brought them
    if user is None:
        return outcome
    if outcome.tokens is None and _pending_step(backend, outcome) is None:
        return outcome  # the first factor is still to come (SRP's proof, a choice, a code)
    event = record(
        pool,
        user,
        SIGN_IN,
        IN_PROGRESS,
        context=context,
        assessment=assessment,
        challenges=[(PASSWORD, SUCCESS)] if password_given else [],
    )
    if event is not None:
        _carry(backend, event, outcome)
    return outcome


def _wrong_credentials(error: ServiceError) -> bool:
    from .auth import INCORRECT_CREDENTIALS  # auth.py calls this module

    return isinstance(error, NotAuthorizedException) and error.message == INCORRECT_CREDENTIALS


def _pending_step(backend: CognitoBackend, outcome: Outcome) -> AuthSession | None:
    """The session of a second step the outcome asks for (None: tokens, or a first factor)."""
    if outcome.challenge_name not in SECOND_STEPS or outcome.session is None:
        return None
    session = backend.sessions.get(outcome.session)
    if session is None or session.data.get("first_factor"):
        return None
    return session


def _carry(backend: CognitoBackend, event: AuthEvent, outcome: Outcome) -> None:
    """Pass with tokens; else the event waits on the next challenge's answer."""
    if outcome.tokens is not None:
        event.response = PASS
        return
    event.response = IN_PROGRESS
    session = backend.sessions.get(outcome.session) if outcome.session else None
    if session is not None:
        session.data[SESSION_EVENT] = event.event_id


def _answer(event: AuthEvent, name: str, result: str) -> None:
    event.challenges = [c for c in event.challenges if c[0] != name] + [(name, result)]


def _refuse_blocked_address(
    pool: UserPool, client: AppClient, user: User, context: EventContext | None
) -> None:
    """ENFORCED threat protection refuses any request from the always-block list."""
    if risk.mode(pool) != risk.ENFORCED or context is None:
        return
    _, config = risk.effective(pool, client.client_id)
    if risk.ip_listed(config, "BlockedIPRangeList", context.ip_address):
        assessment = Assessment(None, False, BLOCK, "BLOCK", True)
        record(pool, user, SIGN_IN, FAIL, context=context, assessment=assessment)
        raise NotAuthorizedException(BLOCKED_REQUEST)


# -- the other operations ------------------------------------------------------------------------


@contextlib.contextmanager
def recording(
    pool: UserPool,
    client: AppClient | None,
    username: str,
    event_type: str,
    context: EventContext | None = None,
    *,
    failures: bool = False,
) -> Iterator[None]:
    """Record ``event_type`` for the user once the wrapped operation succeeded (Pass), or, with
    ``failures``, refused a user it found (Fail: a wrong code or previous password)."""
    if not records(pool):
        yield
        return
    try:
        yield
    except ServiceError:
        user = find_user(pool, username)
        if failures and user is not None:
            assessment = _of(pool, client, user, context, event_type)
            record(pool, user, event_type, FAIL, context=context, assessment=assessment)
        raise
    user = find_user(pool, username)
    if user is not None:
        assessment = _of(pool, client, user, context, event_type)
        record(pool, user, event_type, PASS, context=context, assessment=assessment)


def _of(
    pool: UserPool,
    client: AppClient | None,
    user: User,
    context: EventContext | None,
    event_type: str,
) -> Assessment | None:
    if client is None:
        return None
    return assess(pool, client, user, context, event_type)
