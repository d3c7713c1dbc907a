"""Dynamic client registration (RFC 7591): what ``POST /oauth2/register`` on a pool's domain
does, as pure domain.

A registration makes a real app client of ClientType ``DCR``, within the pool's
``DcrConfiguration`` (see dcr.py). *Open* registration sends no token; *authenticated*
registration sends an initial access token: an access token of the pool carrying the
system-managed ``aws.cognito/dcr/register`` scope. Each kind permits its own grant types; a
registered client may hold the OIDC scopes and the configuration's AllowedScopes, never the
registration scope itself. ``implicit`` is never registered (AWS accepts it in the
configuration and ignores it).

Every check runs before the client is made, so a refused registration leaves nothing behind.
Refusals raise :class:`~.oauth.OAuthError` with RFC 7591's codes (``invalid_client_metadata``,
``invalid_redirect_uri``) or RFC 6750's for the token (``invalid_token``,
``insufficient_scope``). Where AWS does not document a detail, the choice is recorded in
docs/fidelity.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import CognitoBackend, app_clients, clock, dcr, keys, resource_servers, tokens
from .access_tokens import is_revoked
from .errors import InvalidParameterException, LimitExceededException, ServiceError
from .models import AppClient, ClientSettings, UserPool
from .oauth import OAuthError
from .resource_servers import REGISTER_SCOPE

#: Scopes a registered client may always ask for.
OIDC_SCOPES = ("openid", "email", "phone", "profile")
#: token_endpoint_auth_method values: ``none`` is a public client, the others get a secret.
PUBLIC_METHOD = "none"
SECRET_METHODS = ("client_secret_basic", "client_secret_post")
#: RFC 7591's default grant, response type and authentication method.
DEFAULT_GRANT_TYPES = ("authorization_code",)
DEFAULT_AUTH_METHOD = "client_secret_basic"
#: The app client name of a registration without client_name (the mock's choice).
DEFAULT_CLIENT_NAME = "dynamically registered client"
#: ClientNameType of the cognito-idp model: what an app client's name may be.
_CLIENT_NAME = re.compile(r"[\w\s+=,.@-]{1,128}")
#: Registration's grant type -> the app client's AllowedOAuthFlows value.
_FLOWS = {"authorization_code": "code", "client_credentials": "client_credentials"}

INVALID_METADATA = "invalid_client_metadata"
INVALID_REDIRECT = "invalid_redirect_uri"


@dataclass(frozen=True)
class Registration:
    """A registered client and the metadata the endpoint answers with."""

    client: AppClient
    auth_method: str
    grant_types: tuple[str, ...]
    response_types: tuple[str, ...]
    issued_at: int


def offered(pool: UserPool) -> bool:
    """Whether the pool's domain serves the registration endpoint: its DcrConfiguration is
    Enabled (what the discovery document's ``registration_endpoint`` follows too)."""
    return dcr.is_enabled(pool.echoed_settings.get("DcrConfiguration"))


def register(
    backend: CognitoBackend, pool: UserPool, metadata: object, initial_token: str | None
) -> Registration:
    """Register the client ``metadata`` (the request's JSON object; anything else, or None for
    a body that is not JSON, is refused) describes; ``initial_token`` is the bearer token of an
    authenticated registration (None: open registration)."""
    configuration: dict[str, Any] = pool.echoed_settings["DcrConfiguration"]
    if initial_token is not None:
        _check_initial_token(backend, pool, initial_token)
        permitted, kind = configuration["AuthenticatedGrantTypes"], "authenticated"
    elif configuration["OpenDcrEnabled"]:
        permitted, kind = configuration["OpenDcrGrantTypes"], "open"
    else:
        raise OAuthError(
            "invalid_token",
            "Open registration is not enabled: send an initial access token.",
            status=401,
        )
    if not isinstance(metadata, dict):
        raise OAuthError(INVALID_METADATA, "The body must be a JSON object (application/json).")
    flow, grant_types = _flow(metadata, permitted, kind)
    response_types = _response_types(metadata, flow)
    auth_method = _auth_method(metadata, flow)
    settings = ClientSettings(
        callback_urls=_redirect_uris(metadata, flow) or None,
        allowed_oauth_flows=[flow],
        allowed_oauth_scopes=_scopes(pool, metadata, configuration, flow),
        allowed_oauth_flows_user_pool_client=True,
        supported_identity_providers=["COGNITO"] if flow == "code" else None,
    )
    client = _create(backend, pool, _name(metadata), settings, auth_method != PUBLIC_METHOD)
    return Registration(client, auth_method, grant_types, response_types, int(clock.now()))


def _check_initial_token(backend: CognitoBackend, pool: UserPool, token: str) -> None:
    """An initial access token is a live access token of this pool with the registration
    scope, of an app client (and user, for a user's token) that still exists."""
    claims = tokens.decode_access_token(
        token, lambda pool_id: keys.pool_keys(pool) if pool_id == pool.id else None
    )
    if claims is None or clock.now() >= claims["exp"] or not _still_valid(backend, pool, claims):
        raise OAuthError(
            "invalid_token", "The initial access token is invalid or expired.", status=401
        )
    if REGISTER_SCOPE not in str(claims.get("scope", "")).split():
        raise OAuthError(
            "insufficient_scope",
            f"The initial access token does not have the {REGISTER_SCOPE} scope.",
            status=403,
        )


def _still_valid(backend: CognitoBackend, pool: UserPool, claims: Mapping[str, Any]) -> bool:
    if str(claims.get("client_id")) not in pool.clients:
        return False
    if claims.get("sub") == claims.get("client_id"):  # a machine token: no user behind it
        return True
    key = pool.users_by_sub.get(str(claims.get("sub")))
    user = pool.users.get(key) if key is not None else None
    return user is not None and user.enabled and not is_revoked(backend, user, dict(claims))


def _strings(metadata: Mapping[str, Any], member: str) -> list[str] | None:
    """A member that is an array of strings (None when absent)."""
    value = metadata.get(member)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        error = INVALID_REDIRECT if member == "redirect_uris" else INVALID_METADATA
        raise OAuthError(error, f"{member} must be an array of strings.")
    return value


def _string(metadata: Mapping[str, Any], member: str) -> str | None:
    value = metadata.get(member)
    if value is not None and not isinstance(value, str):
        raise OAuthError(INVALID_METADATA, f"{member} must be a string.")
    return value


def _flow(
    metadata: Mapping[str, Any], permitted: Sequence[str], kind: str
) -> tuple[str, tuple[str, ...]]:
    """The app client's one OAuth flow, and the grant types the answer lists for it."""
    asked = _strings(metadata, "grant_types")
    grants = list(dict.fromkeys(asked if asked else DEFAULT_GRANT_TYPES))
    for grant in grants:
        if grant not in (*_FLOWS, "refresh_token"):
            raise OAuthError(INVALID_METADATA, f"The grant type {grant} is not supported.")
    flows = {_FLOWS[grant] for grant in grants if grant in _FLOWS}
    if not flows:
        raise OAuthError(INVALID_METADATA, "refresh_token needs the authorization_code grant.")
    if len(flows) > 1:
        raise OAuthError(
            INVALID_METADATA,
            "client_credentials cannot be registered together with authorization_code.",
        )
    (flow,) = flows
    if flow not in permitted:
        grant = "authorization_code" if flow == "code" else flow
        raise OAuthError(
            INVALID_METADATA, f"The grant type {grant} is not permitted for {kind} registration."
        )
    if flow == "client_credentials":
        if "refresh_token" in grants:
            raise OAuthError(INVALID_METADATA, "refresh_token needs the authorization_code grant.")
        return flow, ("client_credentials",)
    # A code client gets refresh tokens from the token endpoint whether or not it asked.
    return flow, ("authorization_code", "refresh_token")


def _response_types(metadata: Mapping[str, Any], flow: str) -> tuple[str, ...]:
    expected = ("code",) if flow == "code" else ()
    asked = _strings(metadata, "response_types")
    if asked is not None and tuple(dict.fromkeys(asked)) != expected:
        raise OAuthError(
            INVALID_METADATA,
            'response_types must be ["code"] with authorization_code, and empty otherwise.',
        )
    return expected


def _auth_method(metadata: Mapping[str, Any], flow: str) -> str:
    method = _string(metadata, "token_endpoint_auth_method") or DEFAULT_AUTH_METHOD
    if method != PUBLIC_METHOD and method not in SECRET_METHODS:
        raise OAuthError(
            INVALID_METADATA, f"The token_endpoint_auth_method {method} is not supported."
        )
    if method == PUBLIC_METHOD and flow == "client_credentials":
        raise OAuthError(INVALID_METADATA, "client_credentials needs a client secret.")
    return method


def _redirect_uris(metadata: Mapping[str, Any], flow: str) -> list[str]:
    uris = list(dict.fromkeys(_strings(metadata, "redirect_uris") or ()))
    if flow == "code" and not uris:
        raise OAuthError(INVALID_REDIRECT, "redirect_uris is required for authorization_code.")
    if len(uris) > 100:
        raise OAuthError(INVALID_REDIRECT, "At most 100 redirect_uris can be registered.")
    for uri in uris:
        try:
            app_clients.check_redirect_url(uri, "redirect URI")
        except InvalidParameterException as refused:
            raise OAuthError(INVALID_REDIRECT, refused.message) from None
    return uris


def _scopes(
    pool: UserPool, metadata: Mapping[str, Any], configuration: Mapping[str, Any], flow: str
) -> list[str]:
    """The registered scopes: those asked (``scope``, space-separated), else every scope the
    registration permits for the flow. A machine client holds custom scopes only."""
    allowed = [s for s in configuration.get("AllowedScopes", ()) if s != REGISTER_SCOPE]
    if flow == "code":
        permitted = list(dict.fromkeys([*OIDC_SCOPES, *allowed]))
    else:
        permitted = [s for s in allowed if s not in resource_servers.STANDARD_SCOPES]
    asked = _string(metadata, "scope")
    if asked is None or not asked.split():
        scopes = resource_servers.active_scopes(pool, permitted)
        if not scopes:
            raise OAuthError(INVALID_METADATA, "No scope can be registered for this client.")
        return scopes
    scopes = list(dict.fromkeys(asked.split()))
    for scope in scopes:
        if scope == REGISTER_SCOPE:
            raise OAuthError(
                INVALID_METADATA, f"A registered client cannot hold the {REGISTER_SCOPE} scope."
            )
        if scope not in permitted:
            raise OAuthError(INVALID_METADATA, f"The scope {scope} cannot be registered.")
    unknown = resource_servers.unknown_scopes(pool, scopes)
    if unknown:
        raise OAuthError(INVALID_METADATA, f"The scope {unknown[0]} does not exist.")
    return scopes


def _name(metadata: Mapping[str, Any]) -> str:
    name = _string(metadata, "client_name")
    if name is None:
        return DEFAULT_CLIENT_NAME
    if not _CLIENT_NAME.fullmatch(name):
        raise OAuthError(
            INVALID_METADATA,
            "client_name must be 1 to 128 letters, digits, spaces or any of _+=,.@-",
        )
    return name


def _create(
    backend: CognitoBackend,
    pool: UserPool,
    name: str,
    settings: ClientSettings,
    with_secret: bool,
) -> AppClient:
    try:
        return app_clients.create_user_pool_client(
            backend,
            pool,
            name,
            settings,
            generate_secret=with_secret,
            client_type=app_clients.DCR,
        )
    except LimitExceededException as refused:
        raise OAuthError("invalid_request", refused.message) from None
    except ServiceError as refused:  # pragma: no cover - every rule is checked above
        raise OAuthError(INVALID_METADATA, refused.message) from None
