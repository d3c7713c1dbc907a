"""The pool the hosted-endpoint tests share: names, URLs and the clients of each flow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DOMAIN = "my-app"
HOST = f"{DOMAIN}.auth.us-east-1.amazoncognito.com"
BASE = f"https://{HOST}"
TOKEN_URL = f"{BASE}/oauth2/token"
AUTHORIZE_URL = f"{BASE}/oauth2/authorize"
USERINFO_URL = f"{BASE}/oauth2/userInfo"
REVOKE_URL = f"{BASE}/oauth2/revoke"
CALLBACK = "https://app.example.com/callback"
SIGNED_OUT = "https://app.example.com/signed-out"
API = "https://api.example.com"
PASSWORD = "Correct-horse-1"


@dataclass(frozen=True)
class Client:
    client_id: str
    secret: str | None


@dataclass(frozen=True)
class HostedPool:
    pool_id: str
    #: client_credentials, with a secret and the API's two scopes.
    machine: Client
    #: code + implicit, with a secret.
    web: Client
    #: code, public (no secret): a single-page or native app.
    spa: Client
    username: str = "ada"
    callback: str = CALLBACK


def add_resource_server(
    cognito_idp: Any,
    pool_id: str,
    identifier: str = API,
    scopes: tuple[str, ...] = ("read", "write"),
) -> None:
    """A resource server of ``pool_id`` defining ``<identifier>/<scope>`` for each of ``scopes``."""
    cognito_idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier=identifier,
        Name="Things",
        Scopes=[{"ScopeName": name, "ScopeDescription": name.title()} for name in scopes],
    )


def machine_client(
    cognito_idp: Any, pool_id: str, scopes: list[str], name: str = "machine"
) -> Client:
    """An app client of the client_credentials flow with a generated secret and ``scopes``."""
    created = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=name,
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=scopes,
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    return Client(created["ClientId"], created["ClientSecret"])
