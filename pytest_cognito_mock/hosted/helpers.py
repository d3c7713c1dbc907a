"""What the test helpers of :class:`~pytest_cognito_mock.CognitoMock` do on the hosted side:
sign in as the form does, without a browser; map real URLs to the loopback endpoint."""

from __future__ import annotations

from collections.abc import Container, Sequence
from urllib.parse import urlsplit, urlunsplit

from ..backend import CognitoBackend, authorization, cimd, domains, oauth
from ..backend.errors import ServiceError
from ..errors import HostedSignInError
from ..http.router import API_HOST, DOMAIN_HOST
from . import LOOPBACK_PREFIX


def authorization_code(
    backend: CognitoBackend,
    client_id: str,
    username: str,
    password: str,
    *,
    redirect_uri: str | None,
    scopes: Sequence[str] | None,
    code_challenge: str | None,
    code_challenge_method: str | None,
    nonce: str | None,
    state: str | None,
) -> str:
    """The ``code`` that ``/oauth2/authorize`` then ``/login`` would send to the app."""
    client = backend.clients.get(client_id) or cimd.app_client_for_url(backend, client_id)
    pool = backend.pools.get(client.user_pool_id) if client is not None else None
    if client is None or pool is None:
        raise HostedSignInError("invalid_request", f"no app client {client_id!r} in this mock")
    if not domains.domains_of(backend, pool):
        raise HostedSignInError(
            "invalid_request",
            f"user pool {pool.id} has no domain, so it has no sign-in pages: create one with "
            "CreateUserPoolDomain first",
        )
    if client.client_id == client_id:
        callbacks = client.settings.callback_urls or []
        default = client.settings.default_redirect_uri or (callbacks[0] if callbacks else None)
    else:  # a CIMD client: its metadata document's first redirect URI
        default = cimd.first_redirect_uri(backend, client_id)
    params = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri or default,
        "scope": " ".join(scopes) if scopes is not None else None,
        "code_challenge": code_challenge,
        "code_challenge_method": code_challenge_method,
        "nonce": nonce,
        "state": state,
    }
    try:
        request = authorization.check_authorize(
            pool, {k: v for k, v in params.items() if v is not None}, backend
        )
        _, issued = authorization.password_sign_in(backend, pool, request, username, password)
    except oauth.OAuthError as refused:
        message = refused.description or _AUTHORIZE.get(refused.error, refused.error)
        raise HostedSignInError(refused.error, message) from None
    except ServiceError as refused:
        raise HostedSignInError(refused.code, refused.message) from None
    except authorization.ChallengeRequired as step:
        raise HostedSignInError(
            step.challenge_name,
            f"the sign-in of {username!r} continues with {step.challenge_name}, which "
            "authorization_code() cannot answer",
        ) from None
    answer, _ = authorization.authorize_answer(backend, pool, request, issued)
    code = answer["code"]
    assert code is not None
    return code


#: What an authorize error means, for a helper's message.
_AUTHORIZE = {
    "invalid_request": "the authorize request is missing a parameter or has a bad one",
    "redirect_mismatch": "redirect_uri is not one of the app client's CallbackURLs",
    "unauthorized_client": "the app client is not allowed the authorization code flow",
    "invalid_scope": "a requested scope is not defined in the user pool",
}


def loopback_url(endpoint_url: str, url: str, domain_hosts: Container[str]) -> str:
    """``url`` (a Cognito API URL, or one of a domain in ``domain_hosts``) as the loopback
    endpoint ``endpoint_url`` serves it; ValueError for any other URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    base = urlsplit(endpoint_url)
    if API_HOST.fullmatch(host):
        path = parts.path
    elif host in domain_hosts or DOMAIN_HOST.fullmatch(host):
        path = f"{LOOPBACK_PREFIX}{host}{parts.path or '/'}"
    else:
        raise ValueError(
            f"{url!r} is neither a Cognito API URL nor one of a user pool domain of this mock"
        )
    return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))
