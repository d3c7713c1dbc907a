"""What every HTTP adapter asks: is this request Cognito's, and what is the answer?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from .. import _active
from ..http.messages import HttpRequest, HttpResponse
from ..http.router import is_cognito_host


def is_cognito_url(url: str) -> bool:
    """Whether ``url`` names a Cognito host (whether or not a mock is active)."""
    if "amazon" not in url:  # the common case, every other host: no parsing
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and is_cognito_host(host.lower())


def intercepts(url: str) -> bool:
    """Whether a request to ``url`` must be answered by the active mock, not the network."""
    if not _active.any_active():
        return False
    return is_cognito_url(url) or _is_custom_domain(url)


def _is_custom_domain(url: str) -> bool:
    hosts = _active.custom_domain_hosts()
    if not hosts:  # the common case: no pool has a custom domain
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and host.lower() in hosts


def answer(
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]] | Mapping[str, str],
    body: bytes | str | None,
) -> HttpResponse | None:
    """The active mock's answer to a request for a Cognito host; None when no mock is active
    (the request goes where it would have gone). Raises
    :class:`~pytest_cognito_mock.http.messages.NoSuchHostError` for a host that does not exist
    and :class:`~pytest_cognito_mock.UnsupportedOperationError` for an operation the mock
    lacks."""
    service = _active.current()
    if service is None:
        return None
    return service.router.handle(HttpRequest.of(method, url, headers, body))
