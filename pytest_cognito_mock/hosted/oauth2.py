"""``/oauth2/token``, ``/oauth2/userInfo`` and ``/oauth2/revoke``: the machine-facing endpoints.

Each maps a form post (or a bearer token) to the backend's OAuth 2.0 domain and its answer to
JSON as Cognito writes it: tokens in Cognito's member order, errors as ``{"error": ...}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..backend import cimd, derived_tokens, oauth
from ..backend.models import AppClient
from ..backend.oauth import OAuthError
from ..backend.sign_in import IssuedTokens
from ..http.messages import HttpResponse
from . import _http
from ._context import DomainRequest

#: The token endpoint answers scripts of any origin (it has no CORS policy of its own).
_ANY_ORIGIN = (("Access-Control-Allow-Origin", "*"),)
_GRANTS = ("authorization_code", "refresh_token", "client_credentials", derived_tokens.GRANT_TYPE)


def token(call: DomainRequest) -> HttpResponse:
    try:
        return _json_tokens(_grant(call))
    except OAuthError as error:
        return _http.oauth_error(error, _ANY_ORIGIN)


def _grant(call: DomainRequest) -> Mapping[str, object]:
    request = call.request
    if request.method != "POST" or not _http.is_form(request):
        raise OAuthError("invalid_request")
    body = _http.form(request)
    grant_type = body.get("grant_type")
    if not grant_type:
        raise OAuthError("invalid_request")
    if grant_type not in _GRANTS:
        raise OAuthError("unsupported_grant_type")
    client = _client(call, body)
    backend, pool = call.backend, call.pool
    if grant_type == "client_credentials":
        issued = oauth.client_credentials(
            backend, pool, client, body.get("scope"), _client_metadata(body)
        )
        return {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
        }
    if grant_type == derived_tokens.GRANT_TYPE:
        return _token_exchange(call, client, body)
    if grant_type == "refresh_token":
        if not oauth.allows_flow(client, "code") and not oauth.allows_flow(client, "implicit"):
            raise OAuthError("unauthorized_client")
        return _token_members(oauth.refresh(backend, pool, client, body.get("refresh_token")))
    tokens = oauth.exchange_code(
        backend,
        pool,
        client,
        body.get("code"),
        body.get("redirect_uri"),
        body.get("code_verifier"),
    )
    return _token_members(tokens)


def _token_exchange(
    call: DomainRequest, client: AppClient, body: Mapping[str, str]
) -> dict[str, object]:
    """RFC 8693's answer: the issued token is ``access_token`` whatever its type, named by
    ``issued_token_type``; no refresh token."""
    issued = derived_tokens.token_endpoint_grant(
        call.backend,
        call.pool,
        client,
        body,
        audiences=_http.form_values(call.request, "audience"),
        resources=_http.form_values(call.request, "resource"),
    )
    members: dict[str, object] = {
        "access_token": issued.token,
        "issued_token_type": derived_tokens.TOKEN_TYPE_URNS[issued.token_type],
        # "N_A" when the issued token is not an access token (RFC 8693 section 2.2.1).
        "token_type": "Bearer" if issued.token_type == derived_tokens.ACCESS_TOKEN else "N_A",
        "expires_in": issued.expires_in,
    }
    if issued.scopes:
        members["scope"] = " ".join(issued.scopes)
    return members


def _client(call: DomainRequest, body: Mapping[str, str]) -> AppClient:
    """The client the request authenticates as: HTTP Basic, else the body's client_id (and
    client_secret). Both present and naming different clients is refused."""
    basic = _http.basic_credentials(call.request)
    if basic is not None:
        client_id, secret = basic
        if body.get("client_id") not in (None, client_id):
            raise OAuthError("invalid_client")
        return oauth.authenticate_client(call.pool, client_id, secret)
    named = body.get("client_id")
    if named and call.pool.cimd_policies and named not in call.pool.clients:
        return _cimd_client(call, named, body)
    return oauth.authenticate_client(call.pool, named, body.get("client_secret"))


def _cimd_client(call: DomainRequest, url: str, body: Mapping[str, str]) -> AppClient:
    """A CIMD client (its client_id an https URL a policy accepts) stands for the policy's app
    client. It is public: it sends no secret, and only the code and refresh grants."""
    resolved = cimd.retrieve(call.backend, call.pool, url) if url.startswith("https://") else None
    if resolved is None or body.get("client_secret"):
        raise OAuthError("invalid_client")
    policy, _ = resolved
    if body.get("grant_type") not in ("authorization_code", "refresh_token"):
        raise OAuthError("unauthorized_client")
    return call.pool.clients[policy.client_id]


def _client_metadata(body: Mapping[str, str]) -> dict[str, str] | None:
    """``aws_client_metadata``: a JSON object of strings for the pre token generation trigger."""
    raw = body.get("aws_client_metadata")
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise OAuthError("invalid_request") from None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise OAuthError("invalid_request")
    return value


def _token_members(tokens: IssuedTokens) -> dict[str, object]:
    members: dict[str, object] = {"access_token": tokens.access_token}
    if tokens.id_token is not None:
        members["id_token"] = tokens.id_token
    if tokens.refresh_token is not None:
        members["refresh_token"] = tokens.refresh_token
    members.update(token_type="Bearer", expires_in=tokens.expires_in)
    return members


def _json_tokens(members: Mapping[str, object]) -> HttpResponse:
    return _http.json_answer(200, members, (*_http.NO_STORE, *_ANY_ORIGIN))


def user_info(call: DomainRequest) -> HttpResponse:
    try:
        claims = oauth.user_info(call.backend, call.pool, _http.bearer_token(call.request))
    except OAuthError as error:
        # The error travels in WWW-Authenticate, as Cognito sends it.
        challenge = f'error="{error.error}", error_description="{error.description}"'
        return _http.oauth_error(error, (("WWW-Authenticate", challenge),))
    return _http.json_answer(200, claims)


def revoke(call: DomainRequest) -> HttpResponse:
    request = call.request
    try:
        if request.method != "POST" or not _http.is_form(request):
            raise OAuthError("invalid_request")
        body = _http.form(request)
        try:
            client = _client(call, body)
        except OAuthError as refused:
            refused.status = 401  # revocation says so with 401, the token endpoint with 400
            raise
        oauth.revoke(call.backend, call.pool, client, body.get("token"))
    except OAuthError as error:
        return _http.oauth_error(error)
    return HttpResponse(200)
