"""The hosted pages around signing in: ``/signup``, ``/confirm``, ``/forgotPassword`` and
``/confirmForgotPassword``.

Each GET shows a form; each POST runs the API operation of the same name (SignUp,
ConfirmSignUp, ForgotPassword, ConfirmForgotPassword) with its triggers, the server supplying
the client's SECRET_HASH (the browser never holds the secret), then moves on: sign-up to the
confirmation page (or straight to sign-in when nothing needs confirming), a confirmation or a
new password to the sign-in form. The authorize parameters ride along in the query string.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..backend import recovery, terms, users
from ..backend.authorization import AuthorizeRequest
from ..backend.errors import ServiceError
from ..backend.secret_hash import compute_secret_hash
from ..http.messages import HttpResponse
from . import _http, pages
from ._context import DomainRequest
from .browser import checked_request, csrf_cookie, fresh_csrf, valid_csrf


def sign_up(call: DomainRequest) -> HttpResponse:
    checked = checked_request(call)
    if isinstance(checked, HttpResponse):
        return checked
    # The pool's required attributes, and those it verifies (a code goes there).
    auto_verified = call.pool.auto_verified_attributes or []
    required = [
        d.name
        for d in call.pool.schema
        if (d.required or d.name in auto_verified) and d.name != "sub"
    ]
    links = _terms_links(call, checked)
    if call.request.method != "POST":
        return _page(call, "signup", fields=required, links=links)
    body = _http.form(call.request)
    if not valid_csrf(call, body):
        return _page(call, "signup", fields=required, error=_EXPIRED, status=403, links=links)
    username = body.get("username", "")
    given = [(name, body[name]) for name in required if body.get(name)]
    given += [(name, value) for name, value in _optional_attributes(body) if name not in required]
    try:
        user, delivery = users.sign_up(
            call.pool,
            checked.client,
            username,
            body.get("password"),
            given,
            _secret_hash(checked, username),
            backend=call.backend,
        )
    except ServiceError as refused:
        return _page(
            call, "signup", fields=required, error=refused.message, values=body, links=links
        )
    if user.status == "CONFIRMED":
        return _to(call, "/login", message="Your account is ready. Sign in to continue.")
    if delivery is None:  # nothing to confirm with: an administrator confirms the account
        return _to(call, "/login", message="Your account must be confirmed before you sign in.")
    return _to(call, "/confirm", username=username)


def confirm(call: DomainRequest) -> HttpResponse:
    checked = checked_request(call)
    if isinstance(checked, HttpResponse):
        return checked
    username = _http.query(call.request).get("username", "")
    if call.request.method != "POST":
        return _page(call, "confirm", username=username)
    body = _http.form(call.request)
    username = body.get("username", username)
    if not valid_csrf(call, body):
        return _page(call, "confirm", username=username, error=_EXPIRED, status=403)
    try:
        users.confirm_sign_up(
            call.pool,
            checked.client,
            username,
            body.get("confirmation_code", ""),
            _secret_hash(checked, username),
            backend=call.backend,
        )
    except ServiceError as refused:
        return _page(call, "confirm", username=username, error=refused.message)
    return _to(call, "/login", message="Your account is confirmed. Sign in to continue.")


def forgot_password(call: DomainRequest) -> HttpResponse:
    checked = checked_request(call)
    if isinstance(checked, HttpResponse):
        return checked
    if call.request.method != "POST":
        return _page(call, "forgot")
    body = _http.form(call.request)
    if not valid_csrf(call, body):
        return _page(call, "forgot", error=_EXPIRED, status=403)
    username = body.get("username", "")
    try:
        recovery.forgot_password(
            call.backend,
            call.pool,
            checked.client,
            username,
            secret_hash=_secret_hash(checked, username),
        )
    except ServiceError as refused:
        return _page(call, "forgot", error=refused.message)
    return _to(call, "/confirmForgotPassword", username=username)


def confirm_forgot_password(call: DomainRequest) -> HttpResponse:
    checked = checked_request(call)
    if isinstance(checked, HttpResponse):
        return checked
    username = _http.query(call.request).get("username", "")
    if call.request.method != "POST":
        return _page(call, "reset", username=username)
    body = _http.form(call.request)
    username = body.get("username", username)
    if not valid_csrf(call, body):
        return _page(call, "reset", username=username, error=_EXPIRED, status=403)
    password = body.get("password", "")
    if password != body.get("confirmPassword", ""):
        return _page(call, "reset", username=username, error="Passwords do not match.")
    try:
        recovery.confirm_forgot_password(
            call.backend,
            call.pool,
            checked.client,
            username,
            body.get("code", ""),
            password,
            secret_hash=_secret_hash(checked, username),
        )
    except ServiceError as refused:
        return _page(call, "reset", username=username, error=refused.message)
    return _to(call, "/login", message="Your password has been changed. Sign in to continue.")


# --- shared steps -----------------------------------------------------------------------------

_EXPIRED = "Your session has expired. Please try again."


def _secret_hash(request: AuthorizeRequest, username: str) -> str | None:
    client = request.client
    return compute_secret_hash(client.secret, username, client.client_id) if client.secret else None


def _optional_attributes(body: dict[str, str]) -> list[tuple[str, str]]:
    # The sign-up form may carry more attributes than the pool requires, named `attr:<name>`.
    return [
        (name[len("attr:") :], value)
        for name, value in body.items()
        if name.startswith("attr:") and value
    ]


def _terms_links(call: DomainRequest, request: AuthorizeRequest) -> list[tuple[str, str]]:
    """The client's terms links, in the page's ``lang``: managed login shows them on sign-up;
    the classic hosted UI has no terms documents."""
    if not call.domain.renders_managed_login:
        return []
    language = _http.query(call.request).get("lang")
    return terms.sign_up_links(call.pool, request.client.client_id, language)


def _page(
    call: DomainRequest,
    kind: str,
    *,
    fields: list[str] | None = None,
    username: str | None = None,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    links: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    csrf = fresh_csrf()
    action = f"{call.base_url}{call.path}?{call.request.parts.query}"
    page = pages.account_form(
        kind,
        action,
        csrf,
        fields=fields or (),
        username=username,
        error=error,
        values=values,
        terms_links=links or (),
    )
    return _http.html_page(status, page, (csrf_cookie(call, csrf),))


def _to(call: DomainRequest, path: str, **extra: str) -> HttpResponse:
    params = {
        k: v for k, v in _http.query(call.request).items() if k not in ("username", "message")
    }
    return _http.redirect(f"{call.base_url}{path}?{urlencode({**params, **extra})}")
