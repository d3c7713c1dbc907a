"""App clients: the seed's Create/Describe/UpdateUserPoolClient, plus List and Delete.

The checks here are the semantic ones AWS makes after the model constraints (enums, lengths,
ranges) have passed: flow lists, token validity after units, attribute permissions against the
pool's schema, OAuth combinations and the client secret.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from . import (
    CognitoBackend,
    client_secrets,
    clock,
    feature_plans,
    identity_providers,
    ids,
    managed_login_branding,
    published_secrets,
    resource_servers,
    terms,
    user_sessions,
)
from .auth_flows import CLIENT_TOKEN_FLOW, LEGACY_VALUES, TOKEN_EXCHANGE_FLOWS, uses_allow_values
from .errors import (
    InvalidOAuthFlowException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
    ScopeDoesNotExistException,
)
from .models import AppClient, ClientSettings, UserPool
from .resource_servers import REGISTER_SCOPE
from .schema import NEVER_WRITABLE

#: ClientType: made by CreateUserPoolClient, or registered by an application itself.
REGULAR, DCR = "REGULAR", "DCR"
#: UpdateUserPoolClient giving a registered client the registration scope (the mock's wording).
REGISTER_SCOPE_ON_DCR_CLIENT = (
    f"An app client created through dynamic client registration cannot hold the "
    f"{REGISTER_SCOPE} scope."
)
#: AWS's default quota of app clients per user pool.
MAX_CLIENTS_PER_POOL = 1000
#: ALLOW_CLIENT_TOKEN_AUTH beside any other flow (AWS's wording is not established; see
#: docs/fidelity.md).
CLIENT_TOKEN_FLOW_NOT_ALONE = (
    "ALLOW_CLIENT_TOKEN_AUTH can not be selected along with other authentication flows."
)

_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_DEFAULT_UNITS = {"RefreshToken": "days", "AccessToken": "hours", "IdToken": "hours"}
_MINUTE, _DAY = 60, 86400
#: Allowed lifetime of each token, in seconds, once its unit is applied.
_VALIDITY_RANGES = {
    "RefreshToken": (60 * _MINUTE, 3650 * _DAY),
    "AccessToken": (5 * _MINUTE, _DAY),
    "IdToken": (5 * _MINUTE, _DAY),
}


def create_user_pool_client(
    backend: CognitoBackend,
    pool: UserPool,
    name: str,
    settings: ClientSettings,
    *,
    generate_secret: bool = False,
    client_secret: str | None = None,
    publish_secret: bool = False,
    client_type: str = REGULAR,
) -> AppClient:
    """A new app client, REGULAR unless dynamic client registration makes it (``DCR``).
    ``publish_secret`` (PublishSecretsInAWSSecretsManager) applies only to a generated secret:
    a given ClientSecret, or none, ignores it."""
    if generate_secret and client_secret is not None:
        raise InvalidParameterException(
            "You cannot specify both GenerateSecret as true and a ClientSecret value."
        )
    if len(pool.clients) >= MAX_CLIENTS_PER_POOL:
        raise LimitExceededException(
            f"The user pool has reached its quota of {MAX_CLIENTS_PER_POOL} app clients."
        )
    secret = ids.client_secret() if generate_secret else client_secret
    settings = _checked(pool, settings, has_secret=secret is not None, action="creating")
    now = clock.now()
    client_id = ids.client_id()
    while client_id in backend.clients:  # pragma: no cover - 36**26 ids
        client_id = ids.client_id()
    client = AppClient(
        client_id=client_id,
        user_pool_id=pool.id,
        name=name,
        created=now,
        modified=now,
        settings=settings,
        client_type=client_type,
    )
    if secret is not None:
        client.secrets = [client_secrets.new_secret(client, secret)]
    if publish_secret and generate_secret:
        published_secrets.publish(backend, client)  # before the client is stored
    pool.clients[client_id] = client
    backend.clients[client_id] = client
    return client


def describe_user_pool_client(pool: UserPool, client_id: str) -> AppClient:
    client = pool.clients.get(client_id)
    if client is None:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return client


def update_user_pool_client(
    pool: UserPool, client_id: str, name: str | None, settings: ClientSettings
) -> AppClient:
    """Replace the whole configuration: AWS resets every member the request omits.

    Kept: the id, the secret, the creation date, and the name when none is given.
    """
    client = describe_user_pool_client(pool, client_id)
    if client.client_type == DCR and REGISTER_SCOPE in (settings.allowed_oauth_scopes or ()):
        raise InvalidParameterException(REGISTER_SCOPE_ON_DCR_CLIENT)
    client.settings = _checked(
        pool, settings, has_secret=client.secret is not None, action="updating"
    )
    if name is not None:
        client.name = name
    client.modified = clock.now()
    return client


def delete_user_pool_client(backend: CognitoBackend, pool: UserPool, client_id: str) -> None:
    client = describe_user_pool_client(pool, client_id)
    published_secrets.unpublish(backend, client)
    del pool.clients[client_id]
    backend.clients.pop(client_id, None)
    # What belongs to the client alone goes with it.
    managed_login_branding.forget_client(pool, client_id)
    terms.forget_client(pool, client_id)
    user_sessions.forget_client(pool, client_id)


def token_lifetime_seconds(client: AppClient, token: str) -> int:
    """Lifetime of ``token`` ("RefreshToken", "AccessToken" or "IdToken") in seconds."""
    settings = client.settings
    value = {
        "RefreshToken": settings.refresh_token_validity,
        "AccessToken": settings.access_token_validity,
        "IdToken": settings.id_token_validity,
    }[token]
    if value is None:
        return 3600  # access and ID tokens: one hour unless configured
    return value * _SECONDS[_unit(settings, token)]


def _unit(settings: ClientSettings, token: str) -> str:
    units = settings.token_validity_units or {}
    return units.get(token) or _DEFAULT_UNITS[token]


def _checked(
    pool: UserPool, settings: ClientSettings, *, has_secret: bool, action: str
) -> ClientSettings:
    """Validate ``settings`` and normalise what AWS normalises; raise before anything changes."""
    _check_auth_flows(settings)
    _check_feature_plan(pool, settings)
    _normalise_refresh_validity(settings)
    _check_token_validity(settings)
    _check_attributes(pool, settings, action)
    _check_oauth(pool, settings, has_secret)
    if settings.enable_propagate_additional_user_context_data and not has_secret:
        raise InvalidParameterException(
            "EnablePropagateAdditionalUserContextData can only be enabled for a client "
            "with a secret."
        )
    return settings


def _check_auth_flows(settings: ClientSettings) -> None:
    flows = settings.explicit_auth_flows
    if not flows:
        settings.explicit_auth_flows = None  # an empty list reads back as "not set"
        return
    if not uses_allow_values(flows):
        return
    if any(value in LEGACY_VALUES for value in flows):
        raise InvalidParameterException(
            "ExplicitAuthFlows values beginning with ALLOW_ cannot be combined with the legacy "
            "values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH."
        )
    if CLIENT_TOKEN_FLOW in flows:
        # "mutually exclusive with user authentication flows": the machine client's only flow,
        # refresh included (it has no user, so no refresh token).
        if len(set(flows)) > 1:
            raise InvalidParameterException(CLIENT_TOKEN_FLOW_NOT_ALONE)
        return
    rotation = settings.refresh_token_rotation or {}
    if "ALLOW_REFRESH_TOKEN_AUTH" not in flows and rotation.get("Feature") != "ENABLED":
        raise InvalidParameterException("REFRESH_TOKEN_AUTH should always be allowed.")


def _check_feature_plan(pool: UserPool, settings: ClientSettings) -> None:
    used = []
    if "ALLOW_USER_AUTH" in (settings.explicit_auth_flows or ()):
        used.append(feature_plans.CHOICE_BASED_SIGN_IN)
    if TOKEN_EXCHANGE_FLOWS.intersection(settings.explicit_auth_flows or ()):
        used.append(feature_plans.TOKEN_EXCHANGE)
    if (settings.refresh_token_rotation or {}).get("Feature") == "ENABLED":
        used.append(feature_plans.REFRESH_TOKEN_ROTATION)
    feature_plans.require_for_pool(pool, *used)


def _normalise_refresh_validity(settings: ClientSettings) -> None:
    # "If you specify 0, Amazon Cognito overrides the value with the default value of 30 days",
    # expressed in the refresh token's unit so the two stay consistent.
    if settings.refresh_token_validity == 0:
        unit = _unit(settings, "RefreshToken")
        settings.refresh_token_validity = 30 * _DAY // _SECONDS[unit]


def _check_token_validity(settings: ClientSettings) -> None:
    given = {
        "RefreshToken": settings.refresh_token_validity,
        "AccessToken": settings.access_token_validity,
        "IdToken": settings.id_token_validity,
    }
    for token, value in given.items():
        if value is None:
            continue
        low, high = _VALIDITY_RANGES[token]
        if not low <= value * _SECONDS[_unit(settings, token)] <= high:
            raise InvalidParameterException("Invalid range for token validity")


def _check_attributes(pool: UserPool, settings: ClientSettings, action: str) -> None:
    known = {definition.name for definition in pool.schema}
    if settings.read_attributes is not None and not set(settings.read_attributes) <= known:
        raise InvalidParameterException(
            f"Invalid read attributes specified while {action} a client"
        )
    if settings.write_attributes is not None:
        writable = set(settings.write_attributes)
        required = {d.name for d in pool.schema if d.required and d.name not in NEVER_WRITABLE}
        if not writable <= known or writable & NEVER_WRITABLE or not required <= writable:
            raise InvalidParameterException(
                f"Invalid write attributes specified while {action} a client"
            )


def _check_oauth(pool: UserPool, settings: ClientSettings, has_secret: bool) -> None:
    flows = settings.allowed_oauth_flows or []
    scopes = settings.allowed_oauth_scopes or []
    if "client_credentials" in flows:
        if len(flows) > 1:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected along with code flow or implicit flow."
            )
        if not has_secret:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected if client does not have a "
                "client secret."
            )
    unknown = resource_servers.unknown_scopes(pool, scopes)
    if unknown:
        raise ScopeDoesNotExistException(f"Invalid scope requested: {unknown[0]}")
    if "client_credentials" in flows:
        for scope in scopes:
            if scope in resource_servers.STANDARD_SCOPES:
                # Machine tokens carry custom scopes only: no user, so no OpenID scopes.
                raise InvalidOAuthFlowException(
                    f"{scope} is not supported with client_credentials flow"
                )
    if settings.allowed_oauth_flows_user_pool_client and not flows:
        raise InvalidOAuthFlowException(
            "AllowedOAuthFlows is required when AllowedOAuthFlowsUserPoolClient is true."
        )
    if {"code", "implicit"} & set(flows) and not settings.callback_urls:
        raise InvalidOAuthFlowException(
            "CallbackUrls can not be empty when code flow or implicit flow is selected"
        )
    for url in settings.callback_urls or []:
        check_redirect_url(url, "CallbackURL")
    for url in settings.logout_urls or []:
        check_redirect_url(url, "LogoutURL")
    uri = settings.default_redirect_uri
    if uri is not None and uri not in (settings.callback_urls or []):
        raise InvalidParameterException("DefaultRedirectURI must be one of the CallbackURLs.")
    unknown_providers = identity_providers.unknown_providers(
        pool, settings.supported_identity_providers or []
    )
    if unknown_providers:
        raise InvalidParameterException(
            f"The provider {unknown_providers[0]} does not exist for User Pool {pool.id}"
        )


#: Hosts a redirect may reach over plain http: the user's own machine.
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def check_redirect_url(url: str, member: str) -> None:
    """AWS's rules for callback and sign-out URLs: absolute, no fragment, and HTTPS unless the
    URL points at this machine (a custom scheme, ``myapp://``, is fine)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an unbalanced [ in the host
        parts, host = urlsplit(""), None
    web = parts.scheme in ("http", "https")
    if (
        not parts.scheme
        or "#" in url
        or (web and not host)
        or (parts.scheme == "http" and host not in _LOOPBACK_HOSTS)
    ):
        raise InvalidParameterException(
            f"{url} is not a valid {member}: a {member} must be an absolute URI without a "
            "fragment, using HTTPS unless its host is localhost, 127.0.0.1 or [::1]."
        )
