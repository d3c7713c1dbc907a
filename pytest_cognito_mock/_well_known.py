"""A pool's ``/.well-known/jwks.json`` and ``/.well-known/openid-configuration``, in process.

Code under test verifies Cognito tokens against
``https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`` (pycognito fetches it
with ``requests``, PyJWT's ``PyJWKClient`` with ``urllib.request``). While a mock is active, two
class-level patches answer those two URLs from the innermost active mock, before any DNS lookup
or socket:

* ``requests.Session.get_adapter``: for one of those URLs it returns the mounted adapter
  wrapped so that a ``GET`` is answered from the mock, the answer built by the adapter's own
  ``build_response`` around a urllib3 response (hooks, cookies, ``stream=True`` and
  ``raise_for_status`` behave as for a network answer). Patching the adapter lookup rather than
  ``HTTPAdapter.send`` keeps the answer ours even when ``responses`` (moto's ``mock_aws``, which
  has a JWKS of its own, or a test's own) patches ``HTTPAdapter.send`` after this mock started.
  ``requests`` is optional: it is imported when the first mock starts, and its absence only
  leaves this patch out.
* ``urllib.request.HTTPSHandler.https_open``: looked up on the handler at call time by every
  opener, so openers built before the mock started are caught too.

Only ``GET`` of those two paths on an ``https://cognito-idp.<region>.amazonaws.com`` URL is
answered; every other request goes to the original method untouched. The region in the host
must be the pool's: a pool of another region, like an unknown pool, gets a 404 whose body is
``{"message":"User pool <id> does not exist."}``.

As in :mod:`._intercept`, active mocks form a stack: the first push installs the patches, the
last removal restores the originals exactly.
"""

from __future__ import annotations

import http.client
import importlib
import io
import json
import re
import threading
import urllib.request
import urllib.response
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ._intercept import _ClassPatch
from .backend import CognitoBackend, keys, tokens
from .backend.models import UserPool
from .http.server import WellKnownSource

JWKS = "jwks.json"
OPENID_CONFIGURATION = "openid-configuration"

_HOST = re.compile(r"cognito-idp\.([a-z0-9-]+)\.amazonaws\.com")
_PATH = re.compile(r"/([^/]+)/\.well-known/(jwks\.json|openid-configuration)")
_REASONS = {200: "OK", 404: "Not Found"}


# -- the documents -----------------------------------------------------------------------------


def _jwks(pool: UserPool, base: str) -> dict[str, Any]:
    return keys.jwks(keys.pool_keys(pool))


def _openid_configuration(pool: UserPool, base: str) -> dict[str, Any]:
    # What Cognito publishes for a pool without a domain: the OAuth endpoints sit under the
    # issuer (they only work once a domain is added), members in alphabetical order.
    return {
        "authorization_endpoint": f"{base}/authorize",
        "end_session_endpoint": f"{base}/logout",
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": tokens.issuer(pool.region, pool.id),
        "jwks_uri": f"{base}/.well-known/{JWKS}",
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": f"{base}/revoke",
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": f"{base}/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": f"{base}/userInfo",
    }


#: Document name (the last path segment) -> builder(pool, base URL of the pool's endpoints).
_DOCUMENTS: dict[str, Callable[[UserPool, str], dict[str, Any]]] = {
    JWKS: _jwks,
    OPENID_CONFIGURATION: _openid_configuration,
}


def respond(
    backend: CognitoBackend,
    pool_id: str,
    document: str,
    *,
    region: str | None = None,
    base_url: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body answering ``GET /<pool_id>/.well-known/<document>``.

    ``document`` is :data:`JWKS` or :data:`OPENID_CONFIGURATION`. ``region`` is the region of
    the host asked (None: any region, as on the loopback server). The OpenID configuration's
    endpoints sit under ``<base_url>/<pool_id>`` when ``base_url`` is given (the loopback
    server's own address), else under the issuer; the issuer is always the tokens' ``iss``.
    """
    build = _DOCUMENTS[document]
    with backend.lock:
        pool = backend.pools.get(pool_id)
        if pool is None or (region is not None and pool.region != region):
            return 404, {"message": f"User pool {pool_id} does not exist."}
        base = (
            f"{base_url.rstrip('/')}/{pool.id}" if base_url else tokens.issuer(pool.region, pool.id)
        )
        return 200, build(pool, base)


# -- which requests are ours -------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    region: str
    pool_id: str
    document: str


def _target(url: str, method: str) -> _Target | None:
    """The well-known document ``method url`` asks for, or None when the request is not ours."""
    if method.upper() != "GET":
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or port not in (None, 443):
        return None
    host = _HOST.fullmatch(parts.hostname or "")
    path = _PATH.fullmatch(parts.path)
    if host is None or path is None:
        return None
    return _Target(host.group(1), unquote(path.group(1)), path.group(2))


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes

    @property
    def reason(self) -> str:
        return _REASONS.get(self.status, "")

    @property
    def headers(self) -> dict[str, str]:
        return {"Content-Type": "application/json", "Content-Length": str(len(self.body))}


def _answer(url: str, method: str) -> _Answer | None:
    """The answer of the innermost active mock, or None to let the request through."""
    target = _target(url, method)
    if target is None:
        return None
    with _stack_lock:
        source = _stack[-1] if _stack else None
    if source is None:
        return None
    status, document = source.well_known_response(
        target.pool_id, target.document, region=target.region
    )
    return _Answer(status, json.dumps(document, separators=(",", ":")).encode("utf-8"))


# -- the patches -------------------------------------------------------------------------------


def _https_open(self: Any, request: Any) -> Any:
    answer = _answer(request.full_url, request.get_method()) if _stack else None
    if answer is None:
        return _URLLIB_PATCH.original(self, request)
    headers = http.client.HTTPMessage()
    for name, value in answer.headers.items():
        headers[name] = value
    return _UrllibResponse(io.BytesIO(answer.body), headers, request.full_url, answer)


class _UrllibResponse(urllib.response.addinfourl):
    """What ``https_open`` returns: urllib's handlers read ``code``, ``msg`` and ``info()``."""

    def __init__(
        self, body: io.BytesIO, headers: http.client.HTTPMessage, url: str, answer: _Answer
    ) -> None:
        super().__init__(body, headers, url, answer.status)
        # urllib.request sets ``msg`` to the reason phrase on the responses it returns.
        self.msg = answer.reason
        self.reason = answer.reason


def _get_adapter(self: Any, url: str) -> Any:
    patch = _REQUESTS_PATCH
    assert patch is not None  # only reachable through the installed patch
    adapter = patch.original(self, url)
    if _stack and _target(url, "GET") is not None:
        return _WellKnownAdapter(adapter)
    return adapter


class _WellKnownAdapter:
    """The adapter mounted for a well-known URL, answering its ``GET`` from the mock."""

    def __init__(self, adapter: Any) -> None:
        self._adapter = adapter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._adapter, name)

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        answer = _answer(request.url, request.method or "")
        if answer is None:
            return self._adapter.send(request, *args, **kwargs)
        urllib3 = importlib.import_module("urllib3")
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(answer.body),
            headers=answer.headers,
            status=answer.status,
            reason=answer.reason,
            preload_content=False,
            decode_content=False,
            request_method=request.method,
            request_url=request.url,
        )
        return self._adapter.build_response(request, raw)


_URLLIB_PATCH = _ClassPatch(urllib.request.HTTPSHandler, "https_open", _https_open)
_REQUESTS_PATCH: _ClassPatch | None = None


def _requests_patch() -> _ClassPatch | None:
    """The patch on requests' adapter lookup, made on first need; None without requests."""
    global _REQUESTS_PATCH
    if _REQUESTS_PATCH is None:
        try:
            with warnings.catch_warnings():
                # An old chardet/urllib3 makes requests warn on import; starting a mock must
                # not fail for that under -W error.
                warnings.simplefilter("ignore")
                sessions = importlib.import_module("requests.sessions")
        except ImportError:
            return None
        _REQUESTS_PATCH = _ClassPatch(sessions.Session, "get_adapter", _get_adapter)
    return _REQUESTS_PATCH


# -- the stack of active mocks -----------------------------------------------------------------

_stack: list[WellKnownSource] = []
_stack_lock = threading.Lock()
_installed: list[_ClassPatch] = []


def push(source: WellKnownSource) -> None:
    """Answer the well-known URLs from ``source`` until :func:`remove` is called."""
    with _stack_lock:
        if not _stack:
            requests_patch = _requests_patch()
            patches = [_URLLIB_PATCH] if requests_patch is None else [_URLLIB_PATCH, requests_patch]
            for patch in patches:
                patch.install()
            _installed[:] = patches
        _stack.append(source)


def remove(source: WellKnownSource) -> None:
    """Withdraw ``source``; the last one out restores urllib and requests."""
    with _stack_lock:
        for index in range(len(_stack) - 1, -1, -1):
            if _stack[index] is source:
                del _stack[index]
                break
        else:
            raise ValueError("this mock is not active")
        if not _stack:
            for patch in _installed:
                patch.uninstall()
            _installed.clear()
