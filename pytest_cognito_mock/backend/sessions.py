"""Authentication sessions: the opaque ``Session`` strings that tie a challenge to its answer.

A session lives for the app client's ``AuthSessionValidity`` minutes (read from the clock at
the time of the answer) and is consumed by the answer.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from . import CognitoBackend, clock, ids
from .errors import NotAuthorizedException
from .models import AppClient, User, UserPool

_PREFIX = "AYABe"  # the first characters of real Cognito session strings
INVALID_SESSION = "Invalid session for the user."


@dataclass
class AuthSession:
    pool_id: str
    client_id: str
    username: str
    challenge_name: str
    expires: float
    #: What the flow needs to check the answer (SRP numbers, custom-challenge history, ...).
    data: dict[str, Any] = field(default_factory=dict)


def open_session(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    challenge_name: str,
    data: dict[str, Any] | None = None,
) -> str:
    session = _PREFIX + base64.urlsafe_b64encode(ids.random_bytes(96)).decode().rstrip("=")
    backend.sessions[session] = AuthSession(
        pool_id=pool.id,
        client_id=client.client_id,
        username=user.username,
        challenge_name=challenge_name,
        expires=clock.now() + 60 * client.settings.auth_session_validity,
        data=dict(data or {}),
    )
    return session


def take_session(backend: CognitoBackend, session: str | None, client: AppClient) -> AuthSession:
    """Consume ``session`` (a session answers one challenge), or raise AWS's refusal."""
    record = backend.sessions.get(session) if session else None
    if session is None or record is None or record.client_id != client.client_id:
        # Another client's answer does not spend the session of the client it belongs to.
        raise NotAuthorizedException(INVALID_SESSION)
    del backend.sessions[session]
    if clock.now() >= record.expires:
        raise NotAuthorizedException("Invalid session for the user, session is expired.")
    return record
