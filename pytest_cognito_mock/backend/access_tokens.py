"""Access tokens presented back to Cognito (GetUser, ChangePassword, GlobalSignOut, ...).

The token must be one this mock signed for a pool of the caller's region, not expired, and not
revoked: by GlobalSignOut / AdminUserGlobalSignOut (every token issued before the sign-out) or by
RevokeToken (every token of that refresh token's family, which shares its ``origin_jti``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import CognitoBackend, clock, tokens
from .errors import NotAuthorizedException
from .keys import PoolKeys
from .models import User, UserPool

INVALID = "Invalid Access Token"
EXPIRED = "Access Token has expired"
REVOKED = "Access Token has been revoked"


@dataclass(frozen=True)
class AccessTokenOwner:
    pool: UserPool
    user: User
    claims: dict[str, Any]


def owner_of(backend: CognitoBackend, region: str, token: str) -> AccessTokenOwner:
    """The pool and user an access token speaks for, or AWS's NotAuthorizedException."""

    def lookup(pool_id: str) -> PoolKeys | None:
        pool = backend.pools.get(pool_id)
        return pool.keys if pool is not None and pool.serves(region) else None

    claims = tokens.decode_access_token(token, lookup)
    if claims is None:
        raise NotAuthorizedException(INVALID)
    pool = backend.pools[claims["iss"].rsplit("/", 1)[-1]]
    user_key = pool.users_by_sub.get(claims.get("sub", ""))
    user = pool.users.get(user_key) if user_key is not None else None
    if user is None:
        raise NotAuthorizedException(INVALID)
    if clock.now() >= claims["exp"]:
        raise NotAuthorizedException(EXPIRED)
    if is_revoked(backend, user, claims):
        raise NotAuthorizedException(REVOKED)
    return AccessTokenOwner(pool, user, claims)


def is_revoked(backend: CognitoBackend, user: User, claims: dict[str, Any]) -> bool:
    signed_out = backend.global_sign_outs.get(user.sub)
    if signed_out is not None and claims["iat"] <= signed_out:
        return True
    return claims.get("origin_jti") in backend.revoked_origin_jtis
