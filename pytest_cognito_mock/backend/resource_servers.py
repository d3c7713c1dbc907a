"""Resource servers: the APIs a pool issues OAuth 2.0 access tokens for, and their scopes.

A custom scope is ``<resource server identifier>/<scope name>``. App clients may only be given
scopes that exist; a scope later deleted from its server stays on the clients but is inactive
(left out of tokens) until it exists again, as AWS documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException
from .models import UserPool

#: AWS's default quota of resource servers per user pool.
MAX_RESOURCE_SERVERS = 25
#: Scopes every pool has without a resource server.
STANDARD_SCOPES = frozenset(
    {"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"}
)
#: The system-managed scope of an initial access token for dynamic client registration: every
#: pool has it without a resource server (it is a custom scope, so machine clients may hold it).
REGISTER_SCOPE = "aws.cognito/dcr/register"
_BUILT_IN_SCOPES = STANDARD_SCOPES | {REGISTER_SCOPE}


@dataclass
class ResourceServer:
    identifier: str
    name: str
    #: (ScopeName, ScopeDescription) in the order given.
    scopes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def scope_strings(self) -> list[str]:
        return [f"{self.identifier}/{name}" for name, _ in self.scopes]


def create_resource_server(
    pool: UserPool, identifier: str, name: str, scopes: list[tuple[str, str]]
) -> ResourceServer:
    if identifier in pool.resource_servers:
        raise InvalidParameterException(f"{identifier} already exists in user pool {pool.id}.")
    if len(pool.resource_servers) >= MAX_RESOURCE_SERVERS:
        raise LimitExceededException(
            f"The user pool has reached its quota of {MAX_RESOURCE_SERVERS} resource servers."
        )
    server = ResourceServer(identifier, name, _checked_scopes(scopes))
    pool.resource_servers[identifier] = server
    return server


def describe_resource_server(pool: UserPool, identifier: str) -> ResourceServer:
    server = pool.resource_servers.get(identifier)
    if server is None:
        raise ResourceNotFoundException(f"Resource server {identifier} does not exist.")
    return server


def update_resource_server(
    pool: UserPool, identifier: str, name: str, scopes: list[tuple[str, str]]
) -> ResourceServer:
    """Replace the name and the scopes (omitted scopes: none), as AWS does."""
    server = describe_resource_server(pool, identifier)
    server.scopes = _checked_scopes(scopes)
    server.name = name
    return server


def delete_resource_server(pool: UserPool, identifier: str) -> None:
    describe_resource_server(pool, identifier)
    del pool.resource_servers[identifier]


def custom_scopes(pool: UserPool) -> set[str]:
    """Every ``<identifier>/<name>`` scope the pool's resource servers define now."""
    return {scope for server in pool.resource_servers.values() for scope in server.scope_strings}


def unknown_scopes(pool: UserPool, scopes: Iterable[str]) -> list[str]:
    """The scopes, in order, that are neither built in nor defined by a resource server."""
    defined = custom_scopes(pool)
    return [s for s in scopes if s not in _BUILT_IN_SCOPES and s not in defined]


def active_scopes(pool: UserPool, scopes: Iterable[str]) -> list[str]:
    """``scopes`` without the custom ones whose server or scope was deleted since."""
    defined = custom_scopes(pool)
    return [s for s in scopes if s in _BUILT_IN_SCOPES or s in defined]


def _checked_scopes(scopes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    for name, _ in scopes:
        if name in seen:
            raise InvalidParameterException(f"Duplicate scope name {name} in the request.")
        seen.add(name)
    return list(scopes)
