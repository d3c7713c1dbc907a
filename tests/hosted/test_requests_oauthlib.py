"""requests-oauthlib (on oauthlib) against the token endpoint: a backend application's
client_credentials grant and a web application's code exchange with PKCE."""

from __future__ import annotations

import hashlib
from base64 import urlsafe_b64encode

import jwt
from oauthlib.oauth2 import BackendApplicationClient, WebApplicationClient
from requests_oauthlib import OAuth2Session
from support.hosted import API, CALLBACK, PASSWORD, TOKEN_URL


def test_a_backend_application_gets_a_machine_token(hosted):
    session = OAuth2Session(client=BackendApplicationClient(client_id=hosted.machine.client_id))
    token = session.fetch_token(
        TOKEN_URL,
        client_id=hosted.machine.client_id,
        client_secret=hosted.machine.secret,
        scope=[f"{API}/write"],
    )
    claims = jwt.decode(token["access_token"], options={"verify_signature": False})
    assert claims["scope"] == f"{API}/write"
    assert token["expires_in"] == 3600


def test_a_public_client_exchanges_its_code_with_pkce(cognito_mock, hosted):
    verifier = "pkce-verifier-" + "0" * 40
    challenge = urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    code = cognito_mock.authorization_code(
        hosted.spa.client_id,
        "ada",
        PASSWORD,
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    session = OAuth2Session(
        client=WebApplicationClient(hosted.spa.client_id), redirect_uri=CALLBACK
    )
    token = session.fetch_token(
        TOKEN_URL,
        code=code,
        code_verifier=verifier,
        include_client_id=True,
    )
    assert set(token) >= {"access_token", "id_token", "refresh_token"}
    assert jwt.decode(token["id_token"], options={"verify_signature": False})["aud"] == (
        hosted.spa.client_id
    )
