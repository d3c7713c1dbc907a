"""Session management: the pool's session configuration, and the token and SSO sessions it
tracks (Get/SetUserPoolSessionConfiguration, Get/SetUserPoolClientSessionConfiguration,
ListUserSessions, AdminListUserSessions, RevokeUserSession, AdminRevokeUserSession).

Tracking is opt-in per pool. While it is off (the default) nothing is recorded, and the
sign-in paths pay one attribute read for it. While it is on:

- a **token session** is one authentication's refresh-token family (the RefreshRecords that
  share an ``origin_jti``): every successful sign-in opens one, refreshes and rotations move its
  LastActiveDate, and it ends when its refresh token expires or is revoked;
- an **SSO session** is a browser signed in on the pool's hosted pages (its ``cognito`` cookie,
  :class:`~.authorization.HostedSession`); token sessions issued through it name it as their
  origin, and each app client reuses it silently for its ``MaxValidityMinutes`` from the user's
  last fresh authentication.

Revoking a session revokes its tokens through the same ``revoked_origin_jtis`` that RevokeToken
uses (refresh tokens and access tokens then answer "has been revoked"), or closes the browser
session, and forgets the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import CognitoBackend, clock, feature_plans, ids
from .errors import (
    InvalidParameterException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from .models import AppClient, User, UserPool

if TYPE_CHECKING:
    from .sign_in import RefreshRecord  # sign_in opens token sessions: imported for types only

TOKEN, SSO = "TOKEN", "SSO"
ENABLED, DISABLED = "ENABLED", "DISABLED"
NONE, LINKED = "NONE", "LINKED"
DEFAULT_MAX_PER_USER = 20
DEFAULT_SSO_MINUTES = 60
#: The one page the list operations answer (SessionsListType's ceiling).
LIST_PAGE = 125
UNKNOWN_DEVICE = "unknown"

#: The mock's wording (AWS's was not found); see docs/fidelity.md.
NOT_TRACKING = "User session tracking is not enabled for user pool {pool_id}."
NO_SUCH_SESSION = "Session {session_id} does not exist."
OWN_SESSION = "The session of the access token in the request cannot be revoked."


@dataclass
class UserSession:
    """One tracked session, as the list operations describe it."""

    session_id: str
    kind: str  # TOKEN or SSO
    client_id: str
    sub: str
    created: float
    last_active: float
    device_type: str = UNKNOWN_DEVICE
    #: A token session's refresh-token family and the SSO session it came through, if any.
    origin_jti: str | None = None
    origin_session_id: str | None = None
    #: When a token session's refresh token expires (rotation never extends it).
    expires: float = float("inf")
    #: An SSO session's cookie value: its key in ``CognitoBackend.hosted_sessions``.
    cookie: str | None = None


@dataclass
class SessionTracking:
    """A pool's session configuration and, while tracking is on, its session records."""

    enabled: bool = False
    max_per_user: int = DEFAULT_MAX_PER_USER
    #: Client id -> SSOSession.MaxValidityMinutes; kept (dormant) while tracking is off.
    sso_minutes: dict[str, int] = field(default_factory=dict)
    sessions: dict[str, UserSession] = field(default_factory=dict)  # session id -> session
    #: sub -> that user's sessions by id, oldest first: a sign-in counts only its own user's.
    by_user: dict[str, dict[str, UserSession]] = field(default_factory=dict)
    #: origin_jti -> its token session: what a refresh, or an access token, finds it by.
    by_origin_jti: dict[str, UserSession] = field(default_factory=dict)

    def add(self, session: UserSession) -> None:
        self.sessions[session.session_id] = session
        self.by_user.setdefault(session.sub, {})[session.session_id] = session
        if session.origin_jti is not None:
            self.by_origin_jti[session.origin_jti] = session

    def remove(self, session: UserSession) -> None:
        self.sessions.pop(session.session_id, None)
        self.by_user.get(session.sub, {}).pop(session.session_id, None)
        if session.origin_jti is not None:
            self.by_origin_jti.pop(session.origin_jti, None)


def tracking_of(pool: UserPool) -> SessionTracking | None:
    """The pool's tracking while it is on, else None (the hot paths' one check)."""
    tracking = pool.session_tracking
    return tracking if tracking is not None and tracking.enabled else None


def session_id(kind: str) -> str:
    """``tkn`` or ``sso`` and 25 lowercase letters and digits (SessionIdType)."""
    return ("tkn" if kind == TOKEN else "sso") + ids.client_id()[:25]


# --- configuration ---------------------------------------------------------------------------


def configuration(pool: UserPool) -> SessionTracking:
    """GetUserPoolSessionConfiguration: the stored settings, or the defaults."""
    return pool.session_tracking or SessionTracking()


def configure(pool: UserPool, tracking: str, max_per_user: int) -> SessionTracking:
    """SetUserPoolSessionConfiguration: a full replacement. Turning tracking off forgets every
    session record (the tokens go on working); the app clients' settings are kept, dormant."""
    feature_plans.require_for_pool(pool, feature_plans.SESSION_MANAGEMENT)
    stored = pool.session_tracking
    if stored is None:
        stored = pool.session_tracking = SessionTracking()
    stored.enabled = tracking == ENABLED
    stored.max_per_user = max_per_user
    if not stored.enabled:
        stored.sessions, stored.by_user, stored.by_origin_jti = {}, {}, {}
    return stored


def client_sso_minutes(pool: UserPool, client_id: str) -> int:
    """GetUserPoolClientSessionConfiguration's MaxValidityMinutes (60 until set)."""
    _client(pool, client_id)
    return configuration(pool).sso_minutes.get(client_id, DEFAULT_SSO_MINUTES)


def configure_client(pool: UserPool, client_id: str, minutes: int) -> int:
    """SetUserPoolClientSessionConfiguration: needs the plan and tracking on."""
    _client(pool, client_id)
    feature_plans.require_for_pool(pool, feature_plans.SESSION_MANAGEMENT)
    tracking = _tracking_required(pool)
    tracking.sso_minutes[client_id] = minutes
    return minutes


def forget_client(pool: UserPool, client_id: str) -> None:
    """A deleted app client takes its session settings with it."""
    if pool.session_tracking is not None:
        pool.session_tracking.sso_minutes.pop(client_id, None)


# --- token sessions: the sign-in paths -------------------------------------------------------


def open_token_session(
    backend: CognitoBackend, tracking: SessionTracking, record: RefreshRecord
) -> None:
    """A successful authentication: first the user's least recently used token sessions are
    evicted (their tokens revoked) until one more fits under MaxPerUser, then the new one is
    recorded."""
    now = clock.now()
    live = [s for s in _users_sessions(backend, tracking, record.sub) if s.kind == TOKEN]
    live.sort(key=lambda s: s.last_active)  # stable: equal times go oldest first
    for evicted in live[: max(0, len(live) - tracking.max_per_user + 1)]:
        _end(backend, tracking, evicted)
    tracking.add(
        UserSession(
            session_id=session_id(TOKEN),
            kind=TOKEN,
            client_id=record.client_id,
            sub=record.sub,
            created=now,
            last_active=now,
            origin_jti=record.origin_jti,
            expires=record.expires,
        )
    )


def refreshed(tracking: SessionTracking, record: RefreshRecord, *, rotated: bool) -> None:
    """A refresh (or rotation) of ``record``'s family: its token session was active just now,
    and a rotation is activity of the SSO session it came through too."""
    session = tracking.by_origin_jti.get(record.origin_jti)
    if session is None:
        return  # issued before tracking was turned on
    now = clock.now()
    session.last_active = now
    if rotated and session.origin_session_id is not None:
        origin = tracking.sessions.get(session.origin_session_id)
        if origin is not None:
            origin.last_active = now


# --- SSO sessions: the hosted pages ----------------------------------------------------------


def browser_signed_in(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    cookie: str,
    refresh_token_id: str | None,
    *,
    user_agent: str | None,
    implicit: bool = False,
) -> None:
    """Tokens issued through the browser session ``cookie`` (a sign-in on the form, or its
    silent reuse): the SSO session is recorded on first sight and active now, and the token
    session of the sign-in comes from it. An implicit grant has no refresh token, so no token
    session."""
    tracking = tracking_of(pool)
    hosted = backend.hosted_sessions.get(cookie)
    if tracking is None or hosted is None:
        return
    now, device = clock.now(), device_type(user_agent)
    sso = tracking.sessions.get(hosted.sso_session_id or "")
    if sso is None:
        sso = UserSession(
            session_id(SSO), SSO, client.client_id, hosted.sub, now, now, cookie=cookie
        )
        hosted.sso_session_id = sso.session_id
        tracking.add(sso)
    sso.last_active, sso.device_type = now, device
    record = backend.refresh_tokens.get(refresh_token_id or "")
    token = tracking.by_origin_jti.get(record.origin_jti) if record is not None else None
    if token is None:
        return
    if implicit:
        tracking.remove(token)
    else:
        token.origin_session_id, token.device_type = sso.session_id, device


def sso_lifetime_seconds(pool: UserPool, default: int) -> int:
    """How long a browser session lasts from a fresh authentication: ``default`` (the hosted
    UI's hour) while tracking is off, else long enough for the app client that reuses it
    longest."""
    tracking = tracking_of(pool)
    if tracking is None:
        return default
    return 60 * max(DEFAULT_SSO_MINUTES, *tracking.sso_minutes.values(), 0)


def may_reuse(pool: UserPool, client: AppClient, authenticated: float) -> bool:
    """Whether ``client`` silently reuses a browser session whose user last authenticated at
    ``authenticated`` (always, while tracking is off: the session's own hour rules)."""
    tracking = tracking_of(pool)
    if tracking is None:
        return True
    minutes = tracking.sso_minutes.get(client.client_id, DEFAULT_SSO_MINUTES)
    return clock.now() < authenticated + 60 * minutes


_OS = (
    ("Windows", "Windows"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Mac OS X", "macOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_PRODUCT = re.compile(r"[^\s/]+/[^\s/]+")


def device_type(user_agent: str | None) -> str:
    """DeviceType from a User-Agent: ``<browser> on <OS>`` for a browser, else the first product
    token (``python-requests/2.32.3``), else ``unknown``."""
    if not user_agent:
        return UNKNOWN_DEVICE
    system = next((name for key, name in _OS if key in user_agent), None)
    browser = next((name for key, name in _BROWSERS if key in user_agent), None)
    if system is not None and browser is not None:
        return f"{browser} on {system}"
    product = _PRODUCT.search(user_agent)
    return (product.group(0) if product else user_agent)[:1024]


# --- listing and revoking --------------------------------------------------------------------


def list_sessions(backend: CognitoBackend, pool: UserPool, user: User) -> list[UserSession]:
    """The user's active sessions, oldest first; refused while tracking is off."""
    return _users_sessions(backend, _tracking_required(pool), user.sub)


def current_session_id(pool: UserPool, origin_jti: object) -> str | None:
    """The token session an access token's ``origin_jti`` belongs to, if it is tracked."""
    tracking = tracking_of(pool)
    session = tracking.by_origin_jti.get(str(origin_jti)) if tracking is not None else None
    return session.session_id if session is not None else None


def revoke(
    backend: CognitoBackend,
    pool: UserPool,
    user: User,
    target_id: str,
    associated: str | None,
    *,
    current_id: str | None = None,
) -> None:
    """Revoke the user's session ``target_id`` and, with LINKED, its linked sessions: a token
    session's parent SSO session, an SSO session's token sessions. ``current_id`` (the caller's
    own session, for RevokeUserSession) may not be the target."""
    tracking = _tracking_required(pool)
    live = {s.session_id: s for s in _users_sessions(backend, tracking, user.sub)}
    target = live.get(target_id)
    if target is None:
        raise ResourceNotFoundException(NO_SUCH_SESSION.format(session_id=target_id))
    if target_id == current_id:
        raise InvalidParameterException(OWN_SESSION)
    ending = [target]
    if associated == LINKED:
        ending += _linked(target, live)
    for session in ending:
        _end(backend, tracking, session)


def revoke_token_session(
    backend: CognitoBackend, pool: UserPool, record: RefreshRecord, associated: str | None
) -> None:
    """RevokeToken of ``record``'s family: its token session ends, and with LINKED the SSO
    session it came through (not that SSO session's other token sessions)."""
    tracking = tracking_of(pool)
    session = tracking.by_origin_jti.get(record.origin_jti) if tracking is not None else None
    if tracking is None or session is None:
        return
    tracking.remove(session)
    origin = tracking.sessions.get(session.origin_session_id or "")
    if associated == LINKED and origin is not None:
        _end(backend, tracking, origin)


def _linked(target: UserSession, live: dict[str, UserSession]) -> list[UserSession]:
    if target.kind == TOKEN:
        parent = live.get(target.origin_session_id or "")
        return [parent] if parent is not None else []
    return [s for s in live.values() if s.origin_session_id == target.session_id]


def _end(backend: CognitoBackend, tracking: SessionTracking, session: UserSession) -> None:
    """Revoke what the session stands for and forget it."""
    if session.origin_jti is not None:
        backend.revoked_origin_jtis.add(session.origin_jti)
    if session.cookie is not None:
        backend.hosted_sessions.pop(session.cookie, None)
    tracking.remove(session)


def _users_sessions(
    backend: CognitoBackend, tracking: SessionTracking, sub: str
) -> list[UserSession]:
    """The user's active sessions; records of ended ones (expired, revoked elsewhere, a
    browser signed out) are forgotten on the way."""
    active: list[UserSession] = []
    ended: list[UserSession] = []
    for session in tracking.by_user.get(sub, {}).values():
        (active if _is_active(backend, session) else ended).append(session)
    for session in ended:
        tracking.remove(session)
    return active


def _is_active(backend: CognitoBackend, session: UserSession) -> bool:
    if session.kind == TOKEN:
        return clock.now() < session.expires and (
            session.origin_jti not in backend.revoked_origin_jtis
        )
    hosted = backend.hosted_sessions.get(session.cookie or "")
    if hosted is None or clock.now() >= hosted.expires:
        return False
    signed_out = backend.global_sign_outs.get(session.sub)
    return signed_out is None or hosted.authenticated > signed_out


def _tracking_required(pool: UserPool) -> SessionTracking:
    tracking = tracking_of(pool)
    if tracking is None:
        raise OperationNotEnabledException(NOT_TRACKING.format(pool_id=pool.id))
    return tracking


def _client(pool: UserPool, client_id: str) -> None:
    if client_id not in pool.clients:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
