"""A pool's ``/.well-known/jwks.json`` and ``/.well-known/openid-configuration`` documents.

Code under test verifies Cognito tokens against
``https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json``; the router serves
these documents there (in process, through every transport) and on the loopback endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .backend import client_registration, keys, tokens
from .backend.models import UserPool

JWKS = "jwks.json"
OPENID_CONFIGURATION = "openid-configuration"


def _jwks(pool: UserPool, base: str, domain: str | None, issuer: str) -> dict[str, Any]:
    # One key set for the pool in every region it serves: a replica's tokens verify against
    # its own region's JWKS and the primary's alike.
    return keys.jwks(keys.pool_keys(pool))


def _openid_configuration(
    pool: UserPool, base: str, domain: str | None, issuer: str
) -> dict[str, Any]:
    # With a domain, the OAuth endpoints are the domain's. Without one, Cognito still lists
    # them, under the issuer, where nothing answers until a domain is added. Members in
    # alphabetical order, as Cognito writes them.
    oauth = f"{domain}/oauth2" if domain is not None else base
    document: dict[str, Any] = {
        "authorization_endpoint": f"{oauth}/authorize",
        "end_session_endpoint": f"{domain or base}/logout",
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": issuer,
        "jwks_uri": f"{base}/.well-known/{JWKS}",
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": f"{oauth}/revoke",
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": f"{oauth}/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": f"{oauth}/userInfo",
    }
    if domain is not None and client_registration.offered(pool):
        # Only where registration answers: a pool with a domain and registration Enabled.
        document["registration_endpoint"] = f"{oauth}/register"
        document = dict(sorted(document.items()))
    return document


#: Document name (the last path segment) -> builder(pool, base URL of the pool's issuer
#: documents, base URL of its domain or None, the issuer of the region asked).
DOCUMENTS: dict[str, Callable[[UserPool, str, str | None, str], dict[str, Any]]] = {
    JWKS: _jwks,
    OPENID_CONFIGURATION: _openid_configuration,
}


def document(
    pool: UserPool,
    name: str,
    base_url: str | None = None,
    domain_url: str | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """The document ``name`` of ``pool`` as ``region`` serves it (default: the pool's own; a
    replica's region names its own issuer). Its own URLs sit under ``<base_url>/<pool id>`` when
    ``base_url`` is given (the loopback endpoint), else under the issuer; the OAuth endpoints
    under ``domain_url`` (where the pool's domain is reached) when it has one. The issuer is
    always the ``iss`` of the tokens that region issues."""
    issuer = tokens.issuer(region or pool.region, pool.id)
    base = f"{base_url.rstrip('/')}/{pool.id}" if base_url else issuer
    return DOCUMENTS[name](pool, base, domain_url, issuer)
