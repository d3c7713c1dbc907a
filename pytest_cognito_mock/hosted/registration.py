"""``/oauth2/register``: dynamic client registration (RFC 7591) on a pool's domain.

A JSON post of client metadata, with an initial access token as ``Authorization: Bearer`` for
authenticated registration; ``201 Created`` with the registered client's id (and secret),
or RFC 7591's error JSON. While the pool's DcrConfiguration is not Enabled the path does not
exist (404), as the discovery document then lists no ``registration_endpoint``.
"""

from __future__ import annotations

import json
from typing import Any

from ..backend import client_registration
from ..backend.client_registration import Registration
from ..backend.oauth import OAuthError
from ..http.messages import HttpRequest, HttpResponse
from . import _http
from ._context import DomainRequest

#: Registration may come from a script in a browser, as the token endpoint's requests do.
_ANY_ORIGIN = (("Access-Control-Allow-Origin", "*"),)


def register(call: DomainRequest) -> HttpResponse:
    if not client_registration.offered(call.pool):
        return _http.json_answer(404, {"error": "not_found"})
    request = call.request
    try:
        if request.method != "POST":
            raise OAuthError("invalid_request", "The registration endpoint takes a POST.")
        token = _initial_token(request)
        metadata = _metadata(request)
        registration = client_registration.register(call.backend, call.pool, metadata, token)
    except OAuthError as error:
        return _http.oauth_error(error, (*_challenge(error), *_ANY_ORIGIN))
    return _http.json_answer(201, _answer(registration), (*_http.NO_STORE, *_ANY_ORIGIN))


def _initial_token(request: HttpRequest) -> str | None:
    """The bearer token, None without an Authorization header; any other header is refused."""
    if "authorization" not in request.headers:
        return None
    token = _http.bearer_token(request)
    if token is None:
        raise OAuthError(
            "invalid_token", "The initial access token must be a Bearer token.", status=401
        )
    return token


def _metadata(request: HttpRequest) -> object:
    """The JSON body, None when the request is not JSON (what it holds is the backend's to
    judge, after the initial access token)."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        return None
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _challenge(error: OAuthError) -> tuple[tuple[str, str], ...]:
    """RFC 6750's WWW-Authenticate of a refused initial access token."""
    if error.status not in (401, 403):
        return ()
    challenge = f'Bearer error="{error.error}", error_description="{error.description}"'
    return (("WWW-Authenticate", challenge),)


def _answer(registration: Registration) -> dict[str, Any]:
    """RFC 7591's client information response: the credentials, then the metadata as
    registered."""
    client = registration.client
    settings = client.settings
    answer: dict[str, Any] = {"client_id": client.client_id}
    if client.secret is not None:
        answer["client_secret"] = client.secret
    answer["client_id_issued_at"] = registration.issued_at
    if client.secret is not None:
        answer["client_secret_expires_at"] = 0  # the secret does not expire
    answer.update(
        client_name=client.name,
        redirect_uris=list(settings.callback_urls or ()),
        grant_types=list(registration.grant_types),
        response_types=list(registration.response_types),
        token_endpoint_auth_method=registration.auth_method,
        scope=" ".join(settings.allowed_oauth_scopes or ()),
    )
    return answer
