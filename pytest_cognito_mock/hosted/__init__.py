"""The endpoints of a user pool domain: OAuth 2.0, OpenID Connect and the hosted pages.

``https://<prefix>.auth.<region>.amazoncognito.com`` (or a custom domain) serves
``/oauth2/token``, ``/oauth2/userInfo``, ``/oauth2/revoke``, ``/oauth2/register``,
``/oauth2/authorize``, the classic sign-in pages (``/login``, ``/logout``, ``/error``) and
``/.well-known/jwks.json``. The HTTP router
hands every request for a domain host to :class:`DomainEndpoints`, in process (the real URL)
and on the loopback endpoint (``/domain/<host>/...``); each handler runs inside one service
transaction.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..backend import keys
from ..http.messages import HttpRequest, HttpResponse
from . import _http, account_pages, browser, federation, oauth2, registration
from ._context import DomainRequest

if TYPE_CHECKING:
    from ..service import CognitoService

Handler = Callable[[DomainRequest], HttpResponse]


def _jwks(call: DomainRequest) -> HttpResponse:
    return _http.json_answer(200, keys.jwks(keys.pool_keys(call.pool)))


#: Path -> handler. Methods are each handler's business (Cognito answers a wrong method with
#: the endpoint's own error, not 405).
ROUTES: dict[str, Handler] = {
    "/oauth2/authorize": browser.authorize,
    "/login": browser.login,
    "/logout": browser.logout,
    "/error": browser.error,
    "/signup": account_pages.sign_up,
    "/confirm": account_pages.confirm,
    "/forgotPassword": account_pages.forgot_password,
    "/confirmForgotPassword": account_pages.confirm_forgot_password,
    "/oauth2/idpresponse": federation.oidc_response,
    "/saml2/idpresponse": federation.saml_response,
    federation.SIGN_IN_PATH: federation.provider_sign_in,
    "/oauth2/token": oauth2.token,
    "/oauth2/userInfo": oauth2.user_info,
    "/oauth2/revoke": oauth2.revoke,
    "/oauth2/register": registration.register,
    "/.well-known/jwks.json": _jwks,
}

#: The loopback endpoint serves domain ``<host>`` under this path prefix.
LOOPBACK_PREFIX = "/domain/"


class DomainEndpoints:
    """Answers requests for the domains of one service's pools."""

    def __init__(self, service: CognitoService) -> None:
        self._service = service

    def serves(self, host: str) -> bool:
        """Whether ``host`` is the domain of a pool of this service (read without the lock:
        the table is only ever replaced or added to whole entries)."""
        return host in self._service.backend.domains

    def handle(self, request: HttpRequest, host: str, path: str, base_url: str) -> HttpResponse:
        """The answer of domain ``host`` to ``request`` for ``path`` (the path within the
        domain; on the loopback endpoint, without the prefix)."""
        if request.method == "OPTIONS":
            return _preflight(request)
        handler = ROUTES.get(path)
        with self._service.transaction() as backend:
            domain = backend.domains.get(host)
            pool = backend.pools.get(domain.user_pool_id) if domain is not None else None
            if domain is None or pool is None:
                return _http.json_answer(404, {"error": "not_found"})
            if handler is None:
                return _not_found(path)
            return handler(DomainRequest(request, backend, pool, domain, base_url, path))


def _not_found(path: str) -> HttpResponse:
    page = f"<!DOCTYPE html><title>Not found</title><p>{html.escape(path)} is not a page here.</p>"
    return _http.html_page(404, page)


def _preflight(request: HttpRequest) -> HttpResponse:
    asked = request.headers.get("access-control-request-headers", "*")
    return HttpResponse(
        200,
        (
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
            ("Access-Control-Allow-Headers", asked),
            ("Access-Control-Max-Age", "86400"),
        ),
    )
