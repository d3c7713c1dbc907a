"""The OAuth 2.0 side of a user pool: scopes granted, authorization codes, the token
endpoint's grants, userInfo and revocation, as pure domain (no HTTP).

Failures raise :class:`OAuthError` carrying the RFC 6749 error code Cognito answers with
(``invalid_client``, ``invalid_grant``, ...) and the HTTP status the endpoint uses; the
``hosted`` layer turns them into responses.

Tokens for a hosted sign-in are minted when the sign-in completes (the pre token generation
trigger runs then, with ``TokenGeneration_HostedAuth``); an authorization code holds them
until the app exchanges it, once, within five minutes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import (
    CognitoBackend,
    clock,
    ids,
    keys,
    resource_servers,
    sign_in,
    token_refresh,
    tokens,
    trigger_events,
)
from . import triggers as lambda_triggers
from .access_tokens import is_revoked
from .app_clients import token_lifetime_seconds
from .client_secrets import is_client_secret
from .errors import ServiceError
from .models import AppClient, User, UserPool
from .trigger_events import EventInput

#: How long an authorization code may wait for its exchange.
CODE_LIFETIME_SECONDS = 300
#: Scopes that only mean something together with ``openid``.
_OPENID_DEPENDENT = frozenset({"email", "phone", "profile"})


class OAuthError(Exception):
    """An OAuth 2.0 error response: ``error`` is the RFC 6749 code."""

    def __init__(self, error: str, description: str | None = None, *, status: int = 400) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        self.status = status


@dataclass
class AuthorizationCode:
    """An issued ``code``: who signed in, for which client and redirect, with what proof."""

    pool_id: str
    client_id: str
    redirect_uri: str
    expires: float
    issued: sign_in.IssuedTokens
    code_challenge: str | None = None


# --- clients and scopes -----------------------------------------------------------------------


def authenticate_client(pool: UserPool, client_id: str | None, secret: str | None) -> AppClient:
    """The app client a token-endpoint request speaks for (``invalid_client`` otherwise).

    A client with a secret must present it (HTTP Basic or the body); a public client must not
    send one.
    """
    client = pool.clients.get(client_id or "")
    if client is None:
        raise OAuthError("invalid_client")
    if not client.secrets:
        if secret:
            raise OAuthError("invalid_client")
        return client
    # While a secret is being rotated, either of the client's two secrets authenticates it.
    if secret is None or not is_client_secret(client, secret):
        raise OAuthError("invalid_client")
    return client


def allows_flow(client: AppClient, flow: str) -> bool:
    """Whether ``client`` is an OAuth client with ``flow`` (code, implicit, client_credentials)."""
    settings = client.settings
    return settings.allowed_oauth_flows_user_pool_client and flow in (
        settings.allowed_oauth_flows or []
    )


def granted_scopes(pool: UserPool, client: AppClient, requested: str | None) -> tuple[str, ...]:
    """The scopes a request gets: ``requested`` (space-separated) narrowed to what the client
    has and what still exists; all of the client's when nothing is requested.

    A scope the pool does not know at all is ``invalid_scope``; one the pool knows but the
    client lacks is dropped, as Cognito documents (see docs/fidelity.md). ``email``, ``phone``
    and ``profile`` need ``openid``.
    """
    allowed = resource_servers.active_scopes(pool, client.settings.allowed_oauth_scopes or [])
    if requested is None or not requested.strip():
        wanted = allowed
    else:
        asked = list(dict.fromkeys(requested.split()))
        if resource_servers.unknown_scopes(pool, asked):
            raise OAuthError("invalid_scope")
        wanted = [scope for scope in asked if scope in allowed]
    if "openid" not in wanted:
        wanted = [scope for scope in wanted if scope not in _OPENID_DEPENDENT]
    if not wanted:
        raise OAuthError("invalid_scope")
    return tuple(wanted)


# --- authorization codes ----------------------------------------------------------------------


def issue_code(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    redirect_uri: str,
    issued: sign_in.IssuedTokens,
    code_challenge: str | None = None,
) -> str:
    """A one-time code standing for ``issued`` (the tokens of a completed hosted sign-in)."""
    code = ids.uuid4()
    backend.authorization_codes[code] = AuthorizationCode(
        pool_id=pool.id,
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        expires=clock.now() + CODE_LIFETIME_SECONDS,
        issued=issued,
        code_challenge=code_challenge,
    )
    return code


def exchange_code(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    code: str | None,
    redirect_uri: str | None,
    code_verifier: str | None,
) -> sign_in.IssuedTokens:
    """The tokens behind ``code``; the code is spent even when the exchange fails."""
    if not allows_flow(client, "code"):
        raise OAuthError("unauthorized_client")
    if not code or not redirect_uri:
        raise OAuthError("invalid_request")
    record = backend.authorization_codes.pop(code, None)
    if record is None or record.pool_id != pool.id or record.client_id != client.client_id:
        raise OAuthError("invalid_grant")
    if clock.now() >= record.expires or record.redirect_uri != redirect_uri:
        raise OAuthError("invalid_grant")
    if record.code_challenge is not None and (
        not code_verifier or pkce_challenge(code_verifier) != record.code_challenge
    ):
        raise OAuthError("invalid_grant")
    return record.issued


def pkce_challenge(verifier: str) -> str:
    """RFC 7636's S256 transform of a code verifier."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


# --- the other grants -------------------------------------------------------------------------


def refresh(
    backend: CognitoBackend, pool: UserPool, client: AppClient, refresh_token: str | None
) -> sign_in.IssuedTokens:
    """The refresh_token grant: new ID and access tokens, and a new refresh token only when
    the client rotates refresh tokens (as GetTokensFromRefreshToken does)."""
    if not refresh_token:
        raise OAuthError("invalid_request")
    try:
        record = sign_in.refresh_record(backend, pool, client, refresh_token)
    except ServiceError:
        raise OAuthError("invalid_grant") from None
    user = pool.users.get(pool.users_by_sub.get(record.sub, ""))
    if user is None or not user.enabled:
        raise OAuthError("invalid_grant")
    return token_refresh.exchange(backend, pool, client, user, record)


@dataclass(frozen=True)
class ClientToken:
    access_token: str
    expires_in: int


def client_credentials(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    requested: str | None,
    client_metadata: Mapping[str, str] | None = None,
) -> ClientToken:
    """The client_credentials grant: an access token for the client itself, with custom
    scopes; a version 3 pre token generation trigger may change it (versions 1 and 2 are not
    called for machines)."""
    if not allows_flow(client, "client_credentials"):
        raise OAuthError("unauthorized_client")
    scopes = granted_scopes(pool, client, requested)
    return machine_token(backend, pool, client, scopes, client_metadata)


def machine_token(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    granted: Sequence[str],
    client_metadata: Mapping[str, str] | None = None,
) -> ClientToken:
    """The access token of a machine-to-machine grant (the token endpoint's client_credentials
    grant and GetClientToken alike) for the ``granted`` scopes, after a version 3 pre token
    generation trigger, if the pool has one, changed it."""
    scopes = list(granted)
    overrides = None
    spec = trigger_events.pre_token_generation(pool)
    if spec is trigger_events.PRE_TOKEN_GENERATION_V3 and lambda_triggers.is_configured(
        pool, spec.trigger
    ):
        customization = trigger_events.run(
            backend,
            pool,
            spec,
            "TokenGeneration_ClientCredentials",
            user_name=client.client_id,
            client_id=client.client_id,
            given=EventInput(scopes=tuple(scopes), client_metadata=client_metadata),
        )
        if customization is not None:
            overrides = customization.access_token
            scopes = customization.scopes(scopes)
    lifetime = token_lifetime_seconds(client, "AccessToken")
    token = tokens.mint_client_token(
        keys.pool_keys(pool),
        region=pool.region,
        pool_id=pool.id,
        client_id=client.client_id,
        scopes=scopes,
        lifetime=lifetime,
        overrides=overrides,
    )
    return ClientToken(token, lifetime)


# --- userInfo and revocation ------------------------------------------------------------------


def user_info(backend: CognitoBackend, pool: UserPool, access_token: str | None) -> dict[str, str]:
    """What ``/oauth2/userInfo`` answers for a live access token with the ``openid`` scope:
    the attributes its scopes release, with ``username``."""
    if not access_token:
        raise OAuthError("invalid_request", "Bad OAuth2 request at UserInfo Endpoint")
    claims = tokens.decode_access_token(access_token, lambda pool_id: _keys_of(pool, pool_id))
    user = _token_user(pool, claims)
    scopes = tuple(str(claims.get("scope", "")).split()) if claims else ()
    if (
        claims is None
        or user is None
        or not user.enabled
        or "openid" not in scopes
        or clock.now() >= claims["exp"]
        or is_revoked(backend, user, claims)
    ):
        raise OAuthError(
            "invalid_token",
            "Access token is expired, disabled, or deleted, or the user has globally signed out.",
            status=401,
        )
    client = pool.clients.get(str(claims.get("client_id")))
    attributes = (
        sign_in.readable_attributes(client, user, scopes)
        if client is not None
        else dict(user.attributes)
    )
    return {"sub": user.sub, **_without_sub(attributes), "username": user.username}


def revoke(backend: CognitoBackend, pool: UserPool, client: AppClient, token: str | None) -> None:
    """``/oauth2/revoke``: the refresh token and every token issued from it stop working. A
    token that is unknown or already revoked is not an error."""
    if not token:
        raise OAuthError("invalid_request")
    if not client.settings.enable_token_revocation:
        raise OAuthError("invalid_request")
    if token.count(".") == 2:  # a JWT: an ID or access token, not a refresh token
        raise OAuthError("unsupported_token_type")
    record_id = tokens.refresh_token_id(token)
    record = backend.refresh_tokens.get(record_id) if record_id is not None else None
    if record is None or record.pool_id != pool.id or record.client_id != client.client_id:
        return
    record.revoked = True
    backend.revoked_origin_jtis.add(record.origin_jti)


def _keys_of(pool: UserPool, pool_id: str) -> keys.PoolKeys | None:
    # Only this domain's pool: a token of another pool is not this endpoint's to honour.
    return pool.keys if pool_id == pool.id else None


def _token_user(pool: UserPool, claims: dict[str, Any] | None) -> User | None:
    if claims is None:
        return None
    key = pool.users_by_sub.get(str(claims.get("sub")))
    return pool.users.get(key) if key is not None else None


def _without_sub(attributes: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in attributes.items() if name != "sub"}
