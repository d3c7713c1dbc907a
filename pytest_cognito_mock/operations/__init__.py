"""Operation handlers, one module per area; importing this package fills the registry."""

from __future__ import annotations

from . import (  # noqa: F401  (registration side effect)
    app_clients,
    auth,
    challenges,
    cimd,
    client_secrets,
    client_tokens,
    derived_tokens,
    devices,
    domains,
    groups,
    identity_providers,
    import_jobs,
    log_delivery,
    managed_login_branding,
    mfa,
    passkeys,
    point_in_time,
    provisioned_limits,
    recovery,
    replicas,
    resource_servers,
    self_service,
    sign_out,
    tags,
    terms,
    threat_protection,
    ui_customization,
    user_pools,
    user_sessions,
    users,
)
from ._registry import OPERATIONS, Handler, RequestContext, operation


def supported_operations() -> list[str]:
    """Names of every operation the mock implements, sorted."""
    return sorted(OPERATIONS)


__all__ = ["OPERATIONS", "Handler", "RequestContext", "operation", "supported_operations"]
