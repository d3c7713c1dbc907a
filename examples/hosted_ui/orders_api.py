"""A machine-to-machine API: callers present an access token from the client_credentials grant
with the ``orders.read`` scope; ``fetch_orders`` is such a caller."""

from __future__ import annotations

import jwt
import requests
from flask import Flask, request

RESOURCE = "https://orders.example.com"
READ_SCOPE = f"{RESOURCE}/orders.read"


def create_api(region: str, user_pool_id: str) -> Flask:
    api = Flask(__name__)
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
    jwks = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")

    @api.get("/orders")
    def orders():  # type: ignore[no-untyped-def]
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            return {"message": "missing token"}, 401
        try:
            claims = jwt.decode(
                token, jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"], issuer=issuer
            )
        except jwt.PyJWTError as invalid:
            return {"message": str(invalid)}, 401
        if claims.get("token_use") != "access" or READ_SCOPE not in claims.get("scope", "").split():
            return {"message": "insufficient scope"}, 403
        return {"orders": [{"id": 1, "for": claims["client_id"]}]}

    return api


def machine_token(token_url: str, client_id: str, client_secret: str) -> str:
    answer = requests.post(
        token_url,
        data={"grant_type": "client_credentials", "scope": READ_SCOPE},
        auth=(client_id, client_secret),
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])
