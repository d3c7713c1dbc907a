"""The seam: the only module that touches botocore (and moto) internals.

One class-level patch, on ``botocore.endpoint.Endpoint._do_get_response``, looked up at call time,
so clients created before the mock started, inside the code under test, in any region or with
any ``endpoint_url`` are all caught. For a ``cognito-idp`` endpoint the original method runs
unchanged against a thin view of the endpoint whose ``_send`` answers from the active mock and
whose event emitter skips ``before-send``:

* botocore still serializes, signs and parses exactly as in production;
* ``before-send`` handlers never see our requests. moto registers its whole fake there, and
  botocore calls every ``before-send`` handler, so this is what keeps ``moto.mock_aws`` (started
  before or after us) from answering, or choking on, Cognito while every other service still
  reaches it.

A second, smaller patch on ``RequestSigner.sign`` lends test credentials to cognito-idp requests
of clients that have none (see :func:`_sign`).

Active mocks form a stack: the innermost answers; the patches are installed by the first push and
removed by the last pop, restoring botocore exactly.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from io import BytesIO
from typing import Any, Protocol

from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials
from botocore.endpoint import Endpoint as _BotocoreEndpoint
from botocore.signers import RequestSigner as _BotocoreRequestSigner

from ._wire import WireResponse

#: The endpoint prefix botocore gives every cognito-idp client, whatever its endpoint_url.
ENDPOINT_PREFIX = "cognito-idp"

#: Typed loosely: the attributes used here are private to botocore.
Endpoint: Any = _BotocoreEndpoint
RequestSigner: Any = _BotocoreRequestSigner

_HOST_REGION = re.compile(r"cognito-idp(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com")


class Responder(Protocol):
    """What the seam needs from a mock: an answer for one prepared request."""

    def respond(self, request: Any, region: str | None) -> WireResponse: ...


_stack: list[Responder] = []
_stack_lock = threading.Lock()


class _ClassPatch:
    """Replaces one method of a botocore class while any mock is active.

    Restores the original on removal only if our replacement is still the attribute; if another
    library patched over it meanwhile, its patch stays (ours, underneath, passes through when no
    mock is active) and is not stacked a second time on the next install.
    """

    def __init__(self, owner: Any, name: str, replacement: Callable[..., Any]) -> None:
        self.owner = owner
        self.name = name
        self.replacement = replacement
        self.original: Any = None

    def install(self) -> None:
        current = self.owner.__dict__[self.name]
        if self.original is None:
            self.original = current
        if current is self.original:
            setattr(self.owner, self.name, self.replacement)

    def uninstall(self) -> None:
        if self.owner.__dict__.get(self.name) is self.replacement:
            setattr(self.owner, self.name, self.original)
            self.original = None


def push(responder: Responder) -> None:
    """Make ``responder`` answer every cognito-idp call until :func:`remove` is called."""
    with _stack_lock:
        if not _stack:
            for patch in _PATCHES:
                patch.install()
        _stack.append(responder)


def remove(responder: Responder) -> None:
    """Withdraw ``responder``; the last one out restores botocore."""
    with _stack_lock:
        for index in range(len(_stack) - 1, -1, -1):
            if _stack[index] is responder:
                del _stack[index]
                break
        else:
            raise ValueError("this mock is not active")
        if not _stack:
            for patch in _PATCHES:
                patch.uninstall()


def _do_get_response(self: Any, request: Any, operation_model: Any, context: Any) -> Any:
    original = _ENDPOINT_PATCH.original
    stack = _stack
    if self._endpoint_prefix != ENDPOINT_PREFIX or not stack:
        return original(self, request, operation_model, context)
    region = _region(request.url, context)
    return original(
        _CognitoEndpointView(self, stack[-1], region), request, operation_model, context
    )


def _sign(self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any) -> Any:
    # A client created while no credentials were configured (say, at import time of the code
    # under test) has none, and botocore refuses to sign before the request reaches the seam.
    # For cognito-idp, while a mock answers, sign such requests with test credentials: passed
    # through this one request's context, so the client itself is left untouched.
    if _stack and self._credentials is None and self._signing_name == ENDPOINT_PREFIX:
        signing = request.context.setdefault("signing", {})
        signing.setdefault("request_credentials", _TEST_CREDENTIALS)
    return _SIGNER_PATCH.original(self, operation_name, request, *args, **kwargs)


_TEST_CREDENTIALS = Credentials("testing", "testing")
_ENDPOINT_PATCH = _ClassPatch(Endpoint, "_do_get_response", _do_get_response)
_SIGNER_PATCH = _ClassPatch(RequestSigner, "sign", _sign)
_PATCHES = (_ENDPOINT_PATCH, _SIGNER_PATCH)


def is_installed() -> bool:
    return Endpoint.__dict__.get("_do_get_response") is _do_get_response


def _region(url: str, context: Any) -> str | None:
    # Unsigned operations (InitiateAuth, SignUp, ...) carry no SigV4 scope: the host names the
    # region for AWS endpoints; for a custom endpoint_url the client's own region is the answer.
    match = _HOST_REGION.search(url)
    if match:
        return match.group(1)
    client_region = context.get("client_region") if isinstance(context, dict) else None
    return client_region if isinstance(client_region, str) and client_region else None


class _EmitterWithoutBeforeSend:
    """The endpoint's event emitter, minus the ``before-send`` event (see module docstring)."""

    __slots__ = ("_emitter",)

    def __init__(self, emitter: Any) -> None:
        self._emitter = emitter

    def emit(self, event_name: str, **kwargs: Any) -> Any:
        if event_name.startswith("before-send."):
            return []
        return self._emitter.emit(event_name, **kwargs)


class _CognitoEndpointView:
    """An endpoint as ``Endpoint._do_get_response`` sees it, with the mock as its network.

    A per-call view rather than a change to the shared endpoint object keeps concurrent calls
    from several threads on one client independent.
    """

    def __init__(self, endpoint: Any, responder: Responder, region: str | None) -> None:
        self._endpoint = endpoint
        self._responder = responder
        self._region = region
        self._event_emitter = _EmitterWithoutBeforeSend(endpoint._event_emitter)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)

    def _send(self, request: Any) -> AWSResponse:
        answer = self._responder.respond(request, self._region)
        headers: Any = answer.headers  # AWSResponse wraps any mapping in its own HeadersDict
        return AWSResponse(request.url, answer.status, headers, _RawBody(answer.body))


class _RawBody(BytesIO):
    """The raw response object botocore reads with ``stream()``, as urllib3's would be."""

    def stream(self, **_: Any) -> Any:
        contents = self.read()
        while contents:
            yield contents
            contents = self.read()


def events_fingerprint(client: Any) -> object | None:
    """A token that changes whenever an event handler is registered on or removed from
    ``client`` (botocore replaces its handler lookup cache then), or None if unknown."""
    emitter = getattr(getattr(client.meta, "events", None), "_emitter", None)
    return getattr(emitter, "_lookup_cache", None)


def events_untouched(client: Any, fingerprint: object | None) -> bool:
    """True when no handler was (un)registered on ``client`` since ``fingerprint`` was taken."""
    return fingerprint is not None and events_fingerprint(client) is fingerprint


def moto_is_active() -> bool:
    """True while moto's ``mock_aws`` answers AWS calls in this process.

    Read from moto's own before-send hook, without importing moto when the test did not.
    """
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))
