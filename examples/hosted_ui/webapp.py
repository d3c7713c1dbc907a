"""A small web application that signs its users in through Cognito's hosted UI.

The browser is sent to the pool domain's ``/oauth2/authorize`` (authorization code with PKCE);
Cognito sends it back to ``/callback`` with a code, which the app exchanges at the domain's
``/oauth2/token`` and whose ID token it verifies against the pool's JWKS. The one setting that
points the browser elsewhere is ``COGNITO_DOMAIN_URL``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from flask import Flask, redirect, request, session


@dataclass(frozen=True)
class CognitoSettings:
    #: Where the browser reaches the pool's domain, e.g. https://my-app.auth.us-east-1.amazoncognito.com
    domain_url: str
    region: str
    user_pool_id: str
    client_id: str
    client_secret: str
    redirect_uri: str
    signed_out_uri: str

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"


def create_app(settings: CognitoSettings) -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(16)
    jwks = jwt.PyJWKClient(f"{settings.issuer}/.well-known/jwks.json")

    @app.get("/")
    def home() -> str:
        if "username" in session:
            return f'<p id="greeting">Hello {session["username"]}</p><a href="/logout">Sign out</a>'
        return '<a id="sign-in" href="/login">Sign in</a>'

    @app.get("/login")
    def login():  # type: ignore[no-untyped-def]
        verifier = secrets.token_urlsafe(48)
        session["verifier"], session["state"] = verifier, secrets.token_urlsafe(16)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        query = urlencode(
            {
                "response_type": "code",
                "client_id": settings.client_id,
                "redirect_uri": settings.redirect_uri,
                "scope": "openid email",
                "state": session["state"],
                "code_challenge": challenge.decode().rstrip("="),
                "code_challenge_method": "S256",
            }
        )
        return redirect(f"{settings.domain_url}/oauth2/authorize?{query}")

    @app.get("/callback")
    def callback():  # type: ignore[no-untyped-def]
        if request.args.get("state") != session.pop("state", None):
            return "state mismatch", 400
        answer = requests.post(
            f"{settings.domain_url}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": request.args["code"],
                "redirect_uri": settings.redirect_uri,
                "code_verifier": session.pop("verifier"),
            },
            auth=(settings.client_id, settings.client_secret),
            timeout=10,
        )
        if answer.status_code != 200:
            return f"sign-in failed: {answer.json()['error']}", 400
        id_token = answer.json()["id_token"]
        claims = jwt.decode(
            id_token,
            jwks.get_signing_key_from_jwt(id_token).key,
            algorithms=["RS256"],
            audience=settings.client_id,
            issuer=settings.issuer,
        )
        session["username"] = claims["cognito:username"]
        return redirect("/")

    @app.get("/logout")
    def logout():  # type: ignore[no-untyped-def]
        session.clear()
        query = urlencode({"client_id": settings.client_id, "logout_uri": settings.signed_out_uri})
        return redirect(f"{settings.domain_url}/logout?{query}")

    return app
