"""What a successful sign-in produces: tokens, and the refresh token's record.

A sign-in mints an ID token, an access token and a refresh token; refreshing mints a new ID and
access token from the refresh token's record, keeping the original ``auth_time`` and
``origin_jti``, and no new refresh token.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from . import CognitoBackend, clock, keys, tokens
from .app_clients import token_lifetime_seconds
from .errors import InvalidParameterException, NotAuthorizedException
from .groups import groups_for_token
from .models import AppClient, User, UserPool


@dataclass
class RefreshRecord:
    """The mock's memory of one refresh token (the token itself only carries the record id)."""

    record_id: str
    pool_id: str
    client_id: str
    sub: str
    auth_time: int
    origin_jti: str
    expires: float
    revoked: bool = False


@dataclass(frozen=True)
class IssuedTokens:
    id_token: str
    access_token: str
    expires_in: int
    refresh_token: str | None = None


def issue_tokens(
    backend: CognitoBackend, pool: UserPool, client: AppClient, user: User
) -> IssuedTokens:
    """A fresh sign-in of ``user`` through ``client``: all three tokens."""
    now = clock.now()
    record = RefreshRecord(
        record_id=uuid.uuid4().hex,
        pool_id=pool.id,
        client_id=client.client_id,
        sub=user.sub,
        auth_time=int(now),
        origin_jti=tokens.new_jti(),
        expires=now + token_lifetime_seconds(client, "RefreshToken"),
    )
    backend.refresh_tokens[record.record_id] = record
    issued = _mint(pool, client, user, record)
    return IssuedTokens(
        issued.id_token,
        issued.access_token,
        issued.expires_in,
        tokens.mint_refresh_token(record.record_id),
    )


def refresh_record(
    backend: CognitoBackend, pool: UserPool, client: AppClient, token: str | None
) -> RefreshRecord:
    """The live record of ``token`` for ``client``, or the NotAuthorizedException AWS answers."""
    if not token:
        raise InvalidParameterException("Missing required parameter REFRESH_TOKEN")
    record_id = tokens.refresh_token_id(token)
    record = backend.refresh_tokens.get(record_id) if record_id is not None else None
    if record is None or record.pool_id != pool.id:
        raise NotAuthorizedException("Invalid Refresh Token.")
    if record.client_id != client.client_id:
        raise NotAuthorizedException("Refresh Token has different Client")
    if record.revoked:
        raise NotAuthorizedException("Refresh Token has been revoked")
    if clock.now() >= record.expires:
        raise NotAuthorizedException("Refresh Token has expired")
    return record


def refreshed_tokens(
    pool: UserPool, client: AppClient, user: User, record: RefreshRecord
) -> IssuedTokens:
    """New ID and access tokens from a refresh token's record (no new refresh token)."""
    return _mint(pool, client, user, record)


def _mint(pool: UserPool, client: AppClient, user: User, record: RefreshRecord) -> IssuedTokens:
    issuance = tokens.Issuance(
        region=pool.region,
        pool_id=pool.id,
        client_id=client.client_id,
        sub=user.sub,
        username=user.username,
        auth_time=record.auth_time,
        origin_jti=record.origin_jti,
        event_id=str(uuid.uuid4()),
        groups=tuple(groups_for_token(pool, user)),
    )
    access_lifetime = token_lifetime_seconds(client, "AccessToken")
    pair = tokens.mint_token_pair(
        keys.pool_keys(pool),
        issuance,
        attributes=readable_attributes(client, user),
        id_lifetime=token_lifetime_seconds(client, "IdToken"),
        access_lifetime=access_lifetime,
    )
    return IssuedTokens(pair.id_token, pair.access_token, access_lifetime)


def readable_attributes(client: AppClient, user: User) -> dict[str, str]:
    """The user attributes ``client`` may read: its ReadAttributes, or (unset) all but
    developer-only ones (see docs/fidelity.md)."""
    allowed = client.settings.read_attributes
    if allowed is None:
        return {k: v for k, v in user.attributes.items() if not k.startswith("dev:")}
    permitted = set(allowed)
    return {k: v for k, v in user.attributes.items() if k in permitted}
