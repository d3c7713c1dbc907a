"""Signing out: GlobalSignOut / AdminUserGlobalSignOut, and RevokeToken.

A global sign-out ends every session of the user, through every app client: its refresh tokens
stop refreshing and the access tokens issued until then stop authorizing user-pool calls
(:mod:`.access_tokens` compares their ``iat`` with the sign-out time). RevokeToken ends one
session: one refresh token and every token issued from it (its ``origin_jti`` family); the
user's other sessions go on.
"""

from __future__ import annotations

import math

from . import CognitoBackend, clock, tokens, user_sessions
from .client_secrets import check_client_secret
from .errors import (
    UnauthorizedException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
)
from .keys import PoolKeys
from .models import AppClient, User, UserPool

#: RevokeToken with a ClientId no pool of the region has.
UNKNOWN_CLIENT = "User pool client {client_id} does not exist."
#: RevokeToken through a client whose EnableTokenRevocation is false.
REVOCATION_DISABLED = "Token revocation is not enabled for this app client."
#: RevokeToken given an access or ID token instead of a refresh token.
NOT_A_REFRESH_TOKEN = "Only refresh tokens can be revoked."
#: RevokeToken of a refresh token issued to another app client.
OTHER_CLIENTS_TOKEN = "Refresh Token has different Client"


def global_sign_out(backend: CognitoBackend, pool: UserPool, user: User) -> None:
    """Revoke every token issued to ``user`` so far, through every app client.

    Access tokens carry their issue time in whole seconds, so a time alone cannot tell a token
    issued earlier in this second from one issued later in it. The recorded time therefore ends
    with the previous second, and the tokens of this second die with their families: every
    token comes from a refresh token's record, and each record's ``origin_jti`` is revoked. A
    sign-in right after the sign-out, in the same second, gets tokens that work.
    """
    backend.global_sign_outs[user.sub] = float(math.floor(clock.now()) - 1)
    for record in backend.refresh_tokens.values():
        if record.pool_id == pool.id and record.sub == user.sub:
            record.revoked = True
            backend.revoked_origin_jtis.add(record.origin_jti)


def revoke_token(
    backend: CognitoBackend,
    region: str,
    token: str,
    client_id: str,
    client_secret: str | None,
    associated_sessions: str | None = None,
) -> None:
    """RevokeToken: revoke one refresh token and the access tokens of its family.

    The client must authenticate (its secret, when it has one) and allow revocation; the token
    must be one it was issued. A string that is no refresh token of the mock's is accepted and
    changes nothing, as OAuth token revocation answers tokens it does not know.
    ``associated_sessions`` LINKED also ends the SSO session the token's session came through
    (session management; no effect while the pool does not track sessions).
    """
    client = _authenticated_client(backend, region, client_id, client_secret)
    if not client.settings.enable_token_revocation:
        raise UnsupportedOperationException(REVOCATION_DISABLED)
    record_id = tokens.refresh_token_id(token)
    record = backend.refresh_tokens.get(record_id) if record_id is not None else None
    if record is None:
        if _is_access_or_id_token(backend, region, token):
            raise UnsupportedTokenTypeException(NOT_A_REFRESH_TOKEN)
        return
    if record.client_id != client.client_id:
        raise UnauthorizedException(OTHER_CLIENTS_TOKEN)
    record.revoked = True
    backend.revoked_origin_jtis.add(record.origin_jti)
    pool = backend.pools[client.user_pool_id]
    if pool.session_tracking is not None:
        user_sessions.revoke_token_session(backend, pool, record, associated_sessions)


def _authenticated_client(
    backend: CognitoBackend, region: str, client_id: str, client_secret: str | None
) -> AppClient:
    client = backend.clients.get(client_id)
    pool = backend.pools.get(client.user_pool_id) if client is not None else None
    if client is None or pool is None or not pool.serves(region):
        raise UnauthorizedException(UNKNOWN_CLIENT.format(client_id=client_id))
    check_client_secret(client, client_secret, UnauthorizedException)
    return client


def _is_access_or_id_token(backend: CognitoBackend, region: str, token: str) -> bool:
    def lookup(pool_id: str) -> PoolKeys | None:
        pool = backend.pools.get(pool_id)
        return pool.keys if pool is not None and pool.serves(region) else None

    return (
        tokens.decode_access_token(token, lookup) is not None
        or tokens.decode_id_token(token, lookup) is not None
    )
