"""The endpoints a browser meets: ``/oauth2/authorize``, ``/login``, ``/logout``, ``/error``.

The authorize parameters travel in the query string from page to page, as on Cognito's classic
hosted UI. A completed sign-in sets the ``cognito`` session cookie (one hour), so a later
authorize of any client of the pool skips the form; ``/logout`` clears it.
"""

from __future__ import annotations

import math
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urlsplit

from ..backend import authorization, clock, ids, tokens, user_sessions
from ..backend.authorization import AuthorizeRequest, ErrorPage
from ..backend.errors import ServiceError
from ..backend.oauth import OAuthError
from ..backend.sign_in import IssuedTokens
from ..http.messages import HttpResponse
from . import _http, pages
from ._context import DomainRequest

SESSION_COOKIE = "cognito"
CSRF_COOKIE = "XSRF-TOKEN"


def authorize(call: DomainRequest) -> HttpResponse:
    params = _http.query(call.request)
    checked = _checked(call, params)
    if isinstance(checked, HttpResponse):
        return checked
    cookie = session_cookie(call)
    user = authorization.hosted_session_user(call.backend, call.pool, cookie, checked.client)
    if cookie is not None and user is not None and params.get("prompt") != "login":
        try:
            issued = authorization.reauthorize(call.backend, call.pool, checked, user)
        except ServiceError as refused:
            return _error_redirect(checked.redirect_uri, "server_error", params, refused.message)
        _record_sso(call, checked, issued, cookie)
        return _back_to_app(call, checked, issued)
    if params.get("prompt") == "none":  # no sign-in possible without showing the form
        return _error_redirect(checked.redirect_uri, "login_required", params)
    if checked.provider is not None:  # straight to the external provider, no form
        from . import federation  # federation's pages build on this module's steps

        return federation.to_provider(call, checked, checked.provider)
    return _http.redirect(f"{call.base_url}/login?{call.request.parts.query}")


def login(call: DomainRequest) -> HttpResponse:
    params = _http.query(call.request)
    checked = _checked(call, params)
    if isinstance(checked, HttpResponse):
        return checked
    if call.request.method != "POST":
        return _form(call)
    body = _http.form(call.request)
    if not valid_csrf(call, body):
        return _form(call, error="Your session has expired. Please sign in again.", status=403)
    username = body.get("username", "")
    try:
        if body.get("challenge_name"):
            user, issued = authorization.answer_challenge(
                call.backend,
                call.pool,
                checked,
                username,
                body["challenge_name"],
                body.get("session", ""),
                body,
            )
        else:
            password = body.get("password", "")
            if not username or not password:
                return _form(call, error="Username and password are required.", username=username)
            user, issued = authorization.password_sign_in(
                call.backend, call.pool, checked, username, password
            )
    except authorization.ChallengeRequired as step:
        return _challenge_page(call, username, step)
    except ServiceError as refused:
        if body.get("challenge_name") and body.get("session", "") in call.backend.sessions:
            # The answer was refused but the step may be answered again (a mistyped code).
            retry = authorization.ChallengeRequired(
                body["challenge_name"], body["session"], {"SECRET_CODE": body.get("secret", "")}
            )
            return _challenge_page(call, username, retry, error=refused.message)
        return _form(call, error=refused.message, username=username)
    session = authorization.open_hosted_session(call.backend, call.pool, user, session_cookie(call))
    return signed_in(call, checked, issued, session)


def logout(call: DomainRequest) -> HttpResponse:
    params = _http.query(call.request)
    client = call.pool.clients.get(params.get("client_id", ""))
    if client is None:
        return _http.redirect(_error_url(call, "invalid_request", params.get("client_id")))
    cleared = (_set_cookie(call, SESSION_COOKIE, "", max_age=0),)
    logout_uri = params.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in (client.settings.logout_urls or []):
            return _http.redirect(_error_url(call, "redirect_mismatch", client.client_id))
        authorization.close_hosted_session(call.backend, _cookie(call, SESSION_COOKIE))
        return _http.redirect(logout_uri, cleared)
    if params.get("redirect_uri") is None or params.get("response_type") is None:
        return _http.redirect(_error_url(call, "invalid_request", client.client_id))
    checked = _checked(call, params)
    if isinstance(checked, HttpResponse):
        return checked
    # Signed out, then sent to sign in again with the same parameters.
    authorization.close_hosted_session(call.backend, _cookie(call, SESSION_COOKIE))
    return _http.redirect(f"{call.base_url}/login?{call.request.parts.query}", cleared)


def error(call: DomainRequest) -> HttpResponse:
    return _http.html_page(400, pages.error_page(_http.query(call.request).get("error")))


# --- shared steps (the account pages use them too) --------------------------------------------


def checked_request(call: DomainRequest) -> AuthorizeRequest | HttpResponse:
    """The authorize request the page's query carries, or the answer refusing it."""
    return _checked(call, _http.query(call.request))


def valid_csrf(call: DomainRequest, body: dict[str, str]) -> bool:
    """Whether a form post carries the CSRF token of the cookie its page set."""
    expected = _cookie(call, CSRF_COOKIE)
    return bool(expected) and body.get("_csrf") == expected


def fresh_csrf() -> str:
    return ids.uuid4()


def csrf_cookie(call: DomainRequest, csrf: str) -> tuple[str, str]:
    return _set_cookie(call, CSRF_COOKIE, csrf, max_age=None)


def _checked(call: DomainRequest, params: dict[str, str]) -> AuthorizeRequest | HttpResponse:
    """The checked authorize request, or the answer that refuses it."""
    try:
        return authorization.check_authorize(call.pool, params, call.backend)
    except ErrorPage as refused:
        return _http.redirect(_error_url(call, refused.error, params.get("client_id")))
    except OAuthError as refused:
        return _error_redirect(params["redirect_uri"], refused.error, params, refused.description)


def _back_to_app(
    call: DomainRequest,
    request: AuthorizeRequest,
    issued: IssuedTokens,
    headers: tuple[tuple[str, str], ...] = (),
) -> HttpResponse:
    parameters, in_fragment = authorization.authorize_answer(
        call.backend, call.pool, request, issued
    )
    location = _http.with_parameters(request.redirect_uri, parameters, fragment=in_fragment)
    return _http.redirect(location, headers)


def signed_in(
    call: DomainRequest, request: AuthorizeRequest, issued: IssuedTokens, session: str
) -> HttpResponse:
    """A completed sign-in: the session cookie set, the browser sent back to the app."""
    hosted = call.backend.hosted_sessions[session]
    lifetime = max(0, math.ceil(hosted.expires - clock.now()))
    cookie = _set_cookie(call, SESSION_COOKIE, session, max_age=lifetime)
    _record_sso(call, request, issued, session)
    return _back_to_app(call, request, issued, (cookie,))


def session_cookie(call: DomainRequest) -> str | None:
    """The ``cognito`` session cookie the browser sent, if any."""
    return _cookie(call, SESSION_COOKIE)


def _record_sso(
    call: DomainRequest, request: AuthorizeRequest, issued: IssuedTokens, session: str
) -> None:
    """Session management's view of tokens issued through a browser session."""
    if call.pool.session_tracking is None:
        return  # never configured: nothing to record
    user_sessions.browser_signed_in(
        call.backend,
        call.pool,
        request.client,
        session,
        tokens.refresh_token_id(issued.refresh_token or ""),
        user_agent=call.request.headers.get("user-agent"),
        implicit=request.response_type == "token",
    )


def error_to_app(request: AuthorizeRequest, error: OAuthError) -> HttpResponse:
    """A failed sign-in reported to the app's redirect URI (as federation failures are)."""
    parameters = {
        "error": error.error,
        "error_description": error.description,
        "state": request.state,
    }
    return _http.redirect(_http.with_parameters(request.redirect_uri, parameters))


def _error_redirect(
    redirect_uri: str, error: str, params: dict[str, str], description: str | None = None
) -> HttpResponse:
    parameters = {"error": error, "error_description": description, "state": params.get("state")}
    return _http.redirect(_http.with_parameters(redirect_uri, parameters))


def _error_url(call: DomainRequest, error: str, client_id: str | None) -> str:
    return _http.with_parameters(
        f"{call.base_url}/error", {"error": error, "client_id": client_id or ""}
    )


def _form(
    call: DomainRequest, *, error: str | None = None, username: str = "", status: int = 200
) -> HttpResponse:
    """The sign-in form, with a fresh CSRF token in the page and in its cookie."""
    csrf = fresh_csrf()
    query = call.request.parts.query
    params = _http.query(call.request)
    links = {
        "signup": f"{call.base_url}/signup?{query}",
        "forgot": f"{call.base_url}/forgotPassword?{query}",
    }
    client = call.pool.clients.get(params.get("client_id", ""))
    for name in (client.settings.supported_identity_providers or []) if client else []:
        if name != "COGNITO":  # "Continue with <provider>": authorize again, naming it
            chosen = urlencode({"identity_provider": name})
            links[f"provider:{name}"] = f"{call.base_url}/oauth2/authorize?{query}&{chosen}"
    page = pages.sign_in_form(
        f"{call.base_url}/login?{query}",
        csrf,
        error=error,
        username=username,
        message=params.get("message"),
        links=links,
    )
    return _http.html_page(status, page, (csrf_cookie(call, csrf),))


def _challenge_page(
    call: DomainRequest,
    username: str,
    step: authorization.ChallengeRequired,
    *,
    error: str | None = None,
) -> HttpResponse:
    csrf = fresh_csrf()
    page = pages.challenge_form(
        f"{call.base_url}/login?{call.request.parts.query}",
        csrf,
        challenge_name=step.challenge_name,
        session=step.session,
        username=username,
        parameters=step.parameters,
        error=error,
    )
    return _http.html_page(200, page, (csrf_cookie(call, csrf),))


def _cookie(call: DomainRequest, name: str) -> str | None:
    header = call.request.headers.get("cookie")
    if not header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def _set_cookie(
    call: DomainRequest, name: str, value: str, *, max_age: int | None
) -> tuple[str, str]:
    """A cookie scoped to this domain's pages: on the loopback endpoint, to its path prefix,
    and not ``Secure`` there (plain HTTP)."""
    base = urlsplit(call.base_url)
    parts = [f"{name}={value}", f"Path={base.path or '/'}", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if base.scheme == "https":
        parts.append("Secure")
    return ("Set-Cookie", "; ".join(parts))
