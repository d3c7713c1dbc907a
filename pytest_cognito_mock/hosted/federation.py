"""Federated sign-in on the domain: the external provider's sign-in (played by the mock, for
users registered with ``CognitoMock.external_user``) and Cognito's return endpoints,
``/oauth2/idpresponse`` (OIDC and social providers) and ``/saml2/idpresponse`` (SAML).

``/oauth2/authorize?identity_provider=<name>`` (or ``idp_identifier``) sends the browser to
``/external-idp/sign-in``: the provider's sign-in page, served by the domain because the real
one cannot be reached. It lists the provider's registered users (``login_hint=<subject>``
picks one at once) and sends the browser back to Cognito the provider's way: a redirect with a
code for OIDC and social providers, an auto-posting form with a ``SAMLResponse`` for SAML.
"""

from __future__ import annotations

import base64
from html import escape
from urllib.parse import urlencode

from ..backend import authorization, federation
from ..backend.authorization import AuthorizeRequest
from ..backend.errors import ServiceError
from ..backend.oauth import OAuthError
from ..http.messages import HttpResponse
from . import _http, browser, pages, saml
from ._context import DomainRequest

SIGN_IN_PATH = "/external-idp/sign-in"


def to_provider(call: DomainRequest, request: AuthorizeRequest, provider_name: str) -> HttpResponse:
    """The authorize step that leaves for the provider's sign-in."""
    state = federation.start(call.backend, call.pool, request, provider_name)
    hint = _http.query(call.request).get("login_hint")
    query = {"state": state, **({"login_hint": hint} if hint else {})}
    return _http.redirect(f"{call.base_url}{SIGN_IN_PATH}?{urlencode(query)}")


def provider_sign_in(call: DomainRequest) -> HttpResponse:
    """The external provider's own page: pick a registered user, go back to Cognito."""
    params = _http.query(call.request)
    if call.request.method == "POST":
        params = {**params, **_http.form(call.request)}
    try:
        record = federation.pending(call.backend, call.pool, params.get("state"))
    except OAuthError as refused:
        return _http.html_page(400, pages.error_page(refused.description))
    provider = federation.provider(call.pool, record.provider_name)
    subject = params.get("login_hint") or params.get("subject")
    if not subject:
        known = federation.external_users_of(call.backend, record.provider_name)
        return _http.html_page(200, _chooser(call, record.provider_name, params["state"], known))
    try:
        code = federation.provider_signs_in(call.backend, record, subject)
    except OAuthError as refused:
        return _http.html_page(400, pages.error_page(refused.description))
    if provider is not None and provider.provider_type == "SAML":
        external = call.backend.external_users[(record.provider_name, subject)]
        assertion = saml.response(call.pool, provider, external, code, call.domain.host)
        return _http.html_page(
            200,
            _auto_post(
                f"{call.base_url}/saml2/idpresponse",
                {
                    "SAMLResponse": base64.b64encode(assertion).decode(),
                    "RelayState": params["state"],
                },
            ),
        )
    back = {"code": code, "state": params["state"]}
    return _http.redirect(f"{call.base_url}/oauth2/idpresponse?{urlencode(back)}")


def oidc_response(call: DomainRequest) -> HttpResponse:
    params = _http.query(call.request)
    return _finish(call, params.get("state"), params.get("code"))


def saml_response(call: DomainRequest) -> HttpResponse:
    body = _http.form(call.request)
    try:
        code = saml.code_of(body.get("SAMLResponse", ""))
    except ValueError:
        return _http.html_page(400, pages.error_page("Invalid SAML response"))
    return _finish(call, body.get("RelayState"), code)


def _finish(call: DomainRequest, state: str | None, code: str | None) -> HttpResponse:
    try:
        record = federation.pending(call.backend, call.pool, state)
    except OAuthError as refused:
        return _http.html_page(400, pages.error_page(refused.description))
    request = record.request
    provider = federation.provider(call.pool, record.provider_name)
    try:
        if provider is None:
            raise OAuthError("invalid_request", f"{record.provider_name} is not a provider")
        user, issued = federation.complete(call.backend, call.pool, provider, record, code)
    except OAuthError as refused:
        return browser.error_to_app(request, refused)
    except ServiceError as refused:  # a trigger refused the sign-up or the sign-in
        return browser.error_to_app(request, OAuthError("invalid_request", refused.message))
    del call.backend.pending_federations[state or ""]
    session = authorization.open_hosted_session(
        call.backend, call.pool, user, browser.session_cookie(call)
    )
    return browser.signed_in(call, request, issued, session)


def _chooser(
    call: DomainRequest, provider: str, state: str, known: list[federation.ExternalUser]
) -> str:
    buttons = "".join(
        f'<form method="post" action="{escape(call.base_url + SIGN_IN_PATH)}">'
        f'<input type="hidden" name="state" value="{escape(state)}">'
        f'<button name="subject" value="{escape(user.subject)}">'
        f"{escape(user.claims.get('email') or user.subject)}</button></form>"
        for user in known
    )
    body = buttons or f"<p>No users are registered at {escape(provider)}.</p>"
    return pages.document(
        f"Sign in with {provider}", f"<h1>Sign in with {escape(provider)}</h1>{body}"
    )


def _auto_post(action: str, fields: dict[str, str]) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields.items()
    )
    return pages.document(
        "Signing in",
        f'<form id="samlForm" method="post" action="{escape(action)}">{inputs}'
        '<input type="submit" value="Continue"></form>'
        "<script>document.getElementById('samlForm').submit()</script>",
    )
