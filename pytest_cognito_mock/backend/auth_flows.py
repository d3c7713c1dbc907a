"""Which authentication flows an app client permits, from its ``ExplicitAuthFlows``.

Three regimes exist (see docs/fidelity.md):

* not set (or empty): SRP, custom and refresh;
* ``ALLOW_*`` values: exactly the flows named;
* legacy values (``ADMIN_NO_SRP_AUTH``, ``USER_PASSWORD_AUTH``, ``CUSTOM_AUTH_FLOW_ONLY``): the
  legacy values opt password flows in while SRP, custom and refresh stay available, except that
  ``CUSTOM_AUTH_FLOW_ONLY`` narrows the client to custom authentication and refresh.

Whatever the list, a client with refresh-token rotation refreshes only through
GetTokensFromRefreshToken: AWS documents rotation as incompatible with ``REFRESH_TOKEN_AUTH``.
"""

from __future__ import annotations

from .models import AppClient

REFRESH_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"})
ADMIN_PASSWORD_FLOWS = frozenset({"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})
LEGACY_VALUES = frozenset({"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"})

#: The ExplicitAuthFlows value GetClientToken needs; it must be the client's only flow.
CLIENT_TOKEN_FLOW = "ALLOW_CLIENT_TOKEN_AUTH"

#: GetDerivedToken's flows (RFC 8693 token exchange): with an ActorToken (delegation, the issued
#: token names the actor in ``act``) and without one (impersonation).
TOKEN_EXCHANGE_DELEGATION = "ALLOW_TOKEN_EXCHANGE_DELEGATION"
TOKEN_EXCHANGE_IMPERSONATION = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
TOKEN_EXCHANGE_FLOWS = frozenset({TOKEN_EXCHANGE_DELEGATION, TOKEN_EXCHANGE_IMPERSONATION})

DEFAULT_FLOWS = frozenset({"USER_SRP_AUTH", "CUSTOM_AUTH"}) | REFRESH_FLOWS

#: What each ALLOW_* value of ExplicitAuthFlows opens, as AuthFlow names.
ALLOW_VALUE_FLOWS: dict[str, frozenset[str]] = {
    "ALLOW_USER_SRP_AUTH": frozenset({"USER_SRP_AUTH"}),
    "ALLOW_USER_PASSWORD_AUTH": frozenset({"USER_PASSWORD_AUTH"}),
    # "formerly known as ADMIN_NO_SRP_AUTH": the legacy AuthFlow name is accepted too.
    "ALLOW_ADMIN_USER_PASSWORD_AUTH": ADMIN_PASSWORD_FLOWS,
    "ALLOW_CUSTOM_AUTH": frozenset({"CUSTOM_AUTH"}),
    "ALLOW_REFRESH_TOKEN_AUTH": REFRESH_FLOWS,
    "ALLOW_USER_AUTH": frozenset({"USER_AUTH"}),
    # GetClientToken's machine-to-machine flow: no user signs in through (Admin)InitiateAuth.
    CLIENT_TOKEN_FLOW: frozenset(),
    # Token exchange is GetDerivedToken's, not a sign-in: no AuthFlow opens with these.
    TOKEN_EXCHANGE_DELEGATION: frozenset(),
    TOKEN_EXCHANGE_IMPERSONATION: frozenset(),
}

#: What each legacy value opens on top of DEFAULT_FLOWS.
LEGACY_VALUE_FLOWS: dict[str, frozenset[str]] = {
    "ADMIN_NO_SRP_AUTH": ADMIN_PASSWORD_FLOWS,
    "USER_PASSWORD_AUTH": frozenset({"USER_PASSWORD_AUTH"}),
}

CUSTOM_ONLY_FLOWS = frozenset({"CUSTOM_AUTH"}) | REFRESH_FLOWS


def uses_allow_values(values: list[str]) -> bool:
    return any(v.startswith("ALLOW_") for v in values)


def allows_client_token(client: AppClient) -> bool:
    """Whether ``client`` may call GetClientToken (``ALLOW_CLIENT_TOKEN_AUTH``)."""
    return CLIENT_TOKEN_FLOW in (client.explicit_auth_flows or ())


def allows_token_exchange(client: AppClient, flow: str) -> bool:
    """Whether ``client`` lists ``flow``, one of :data:`TOKEN_EXCHANGE_FLOWS`."""
    return flow in (client.explicit_auth_flows or ())


def rotates_refresh_tokens(client: AppClient) -> bool:
    """Whether ``client`` has refresh-token rotation (``RefreshTokenRotation.Feature``)."""
    rotation = client.settings.refresh_token_rotation
    return rotation is not None and rotation.get("Feature") == "ENABLED"


def permitted_flows(client: AppClient) -> frozenset[str]:
    """The AuthFlow names ``client`` lets (Admin)InitiateAuth run."""
    listed = _listed_flows(client.explicit_auth_flows)
    return listed - REFRESH_FLOWS if rotates_refresh_tokens(client) else listed


def _listed_flows(values: list[str] | None) -> frozenset[str]:
    if not values:
        return DEFAULT_FLOWS
    if uses_allow_values(values):
        return frozenset().union(*(ALLOW_VALUE_FLOWS[v] for v in values))
    if "CUSTOM_AUTH_FLOW_ONLY" in values:
        return CUSTOM_ONLY_FLOWS
    return DEFAULT_FLOWS.union(*(LEGACY_VALUE_FLOWS[v] for v in values))


def refusal_message(client: AppClient, flow: str) -> str | None:
    """None when ``client`` permits ``flow``; otherwise the InvalidParameterException text."""
    if flow in permitted_flows(client):
        return None
    if flow in REFRESH_FLOWS and rotates_refresh_tokens(client):
        # One text for both names of the flow: rotation turns the refresh flow off as a whole.
        return "REFRESH_TOKEN_AUTH flow not enabled for this client"
    values = client.explicit_auth_flows or []
    if "CUSTOM_AUTH_FLOW_ONLY" in values:
        return "Only custom auth (lambda driven) is enabled for this client."
    if flow in ADMIN_PASSWORD_FLOWS:
        return "Auth flow not enabled for this client"
    return f"{flow} flow not enabled for this client"
