"""The pool the hosted-endpoint tests share: names, URLs and the clients of each flow."""

from __future__ import annotations

from dataclasses import dataclass

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
