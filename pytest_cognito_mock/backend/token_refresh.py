"""GetTokensFromRefreshToken, and refresh-token rotation.

Without rotation, a refresh token buys new ID and access tokens and stays valid until it
expires. A client with ``RefreshTokenRotation.Feature`` ``ENABLED`` also gets a new refresh
token on every exchange, of the same family as the submitted one (same ``origin_jti``: revoked
together) and expiring when the original does. The submitted token keeps working for the
client's ``RetryGracePeriodSeconds`` (default 0) after its first exchange, so an app may retry a
request whose answer it lost; after that it is refused with ``RefreshTokenReuseException``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import CognitoBackend, clock, sign_in
from .auth_flows import rotates_refresh_tokens
from .client_secrets import check_client_secret
from .errors import NotAuthorizedException, UserNotFoundException
from .models import AppClient, User, UserPool


@dataclass(frozen=True)
class RefreshRequest:
    refresh_token: str
    client_id: str
    #: The client's secret itself (not a SECRET_HASH): the request names no user to hash.
    client_secret: str | None = None
    device_key: str | None = None
    client_metadata: Mapping[str, str] | None = None


def get_tokens_from_refresh_token(
    backend: CognitoBackend, region: str, request: RefreshRequest
) -> sign_in.IssuedTokens:
    """The client authenticates first (its secret needs no user), then the token is judged as
    REFRESH_TOKEN_AUTH judges it. The client's ExplicitAuthFlows are not consulted: this
    operation is how a rotating client refreshes, and such a client may omit the refresh flow.
    """
    pool, client = backend.client(region, request.client_id)
    check_client_secret(client, request.client_secret, NotAuthorizedException)
    record = sign_in.refresh_record(
        backend, pool, client, request.refresh_token, device_key=request.device_key
    )
    user = pool.users.get(pool.users_by_sub.get(record.sub, ""))
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return exchange(backend, pool, client, user, record, client_metadata=request.client_metadata)


def exchange(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    record: sign_in.RefreshRecord,
    *,
    client_metadata: Mapping[str, str] | None = None,
) -> sign_in.IssuedTokens:
    """The tokens a live refresh token buys from ``client``: rotated when the client rotates.

    Shared by GetTokensFromRefreshToken and the token endpoint's refresh_token grant.
    """
    if not rotates_refresh_tokens(client):
        return sign_in.refreshed_tokens(
            pool, client, user, record, backend=backend, client_metadata=client_metadata
        )
    issued = sign_in.rotated_tokens(
        backend, pool, client, user, record, client_metadata=client_metadata
    )
    # Only a completed exchange rotates the token out, and only the first one starts the grace
    # period: a retry inside it gets fresh tokens without extending it.
    if record.rotated_out_at is None:
        record.rotated_out_at = clock.now() + grace_period_seconds(client)
    return issued


def grace_period_seconds(client: AppClient) -> int:
    rotation = client.settings.refresh_token_rotation or {}
    grace = rotation.get("RetryGracePeriodSeconds")
    return grace if isinstance(grace, int) else 0
