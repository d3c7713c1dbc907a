"""botocore (sync): the fast path, and the only module that touches botocore's internals.

One class-level patch, on ``botocore.endpoint.Endpoint._do_get_response``, looked up at call time,
so clients created before the mock started, inside the code under test, in any region or with
any ``endpoint_url`` are all caught. For a ``cognito-idp`` endpoint the original method runs
unchanged against a thin view of the endpoint whose ``_send`` answers from the service (no HTTP
router: botocore has already made a JSON 1.1 request) and whose event emitter skips
``before-send``:

* botocore still serializes, signs and parses exactly as in production;
* ``before-send`` handlers never see our requests. moto registers its whole fake there, and
  botocore calls every ``before-send`` handler, so this is what keeps ``moto.mock_aws`` (started
  before or after us) from answering, or choking on, Cognito while every other service still
  reaches it.

A second, smaller patch on ``RequestSigner.sign`` lends test credentials to cognito-idp requests
of clients that have none (see :func:`_sign`).
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials
from botocore.endpoint import Endpoint as _BotocoreEndpoint
from botocore.signers import RequestSigner as _BotocoreRequestSigner

from .. import _active
from ._patch import ClassPatch

#: The endpoint prefix botocore gives every cognito-idp client, whatever its endpoint_url.
ENDPOINT_PREFIX = "cognito-idp"

#: Typed loosely: the attributes used here are private to botocore.
Endpoint: Any = _BotocoreEndpoint
RequestSigner: Any = _BotocoreRequestSigner

_HOST_REGION = re.compile(r"cognito-idp(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com")
TEST_CREDENTIALS = Credentials("testing", "testing")


def request_region(url: str, context: Any) -> str | None:
    """The region a cognito-idp request is for: unsigned operations (InitiateAuth, SignUp, ...)
    carry no SigV4 scope, so the host names it for AWS endpoints; for a custom endpoint_url
    the client's own region is the answer."""
    match = _HOST_REGION.search(url)
    if match:
        return match.group(1)
    client_region = context.get("client_region") if isinstance(context, dict) else None
    return client_region if isinstance(client_region, str) and client_region else None


def _do_get_response(self: Any, request: Any, operation_model: Any, context: Any) -> Any:
    original = _ENDPOINT_PATCH.original
    if self._endpoint_prefix != ENDPOINT_PREFIX or not _active.any_active():
        return original(self, request, operation_model, context)
    service = _active.current()
    if service is None:  # the last mock stopped meanwhile
        return original(self, request, operation_model, context)
    region = request_region(request.url, context)
    return original(_CognitoEndpointView(self, service, region), request, operation_model, context)


def _sign(self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any) -> Any:
    # A client created while no credentials were configured (say, at import time of the code
    # under test) has none, and botocore refuses to sign before the request reaches the seam.
    # For cognito-idp, while a mock answers, sign such requests with test credentials: passed
    # through this one request's context, so the client itself is left untouched.
    if _active.any_active() and self._credentials is None and self._signing_name == ENDPOINT_PREFIX:
        signing = request.context.setdefault("signing", {})
        signing.setdefault("request_credentials", TEST_CREDENTIALS)
    return _SIGNER_PATCH.original(self, operation_name, request, *args, **kwargs)


_ENDPOINT_PATCH = ClassPatch(Endpoint, "_do_get_response", _do_get_response)
_SIGNER_PATCH = ClassPatch(RequestSigner, "sign", _sign)
PATCHES = (_ENDPOINT_PATCH, _SIGNER_PATCH)


def install() -> None:
    for patch in PATCHES:
        patch.install()


def uninstall() -> None:
    for patch in PATCHES:
        patch.uninstall()


class EmitterWithoutBeforeSend:
    """An endpoint's event emitter, minus the ``before-send`` event (see module docstring)."""

    __slots__ = ("_emitter",)

    def __init__(self, emitter: Any) -> None:
        self._emitter = emitter

    def emit(self, event_name: str, **kwargs: Any) -> Any:
        if event_name.startswith("before-send."):
            return []
        return self._emitter.emit(event_name, **kwargs)


class _CognitoEndpointView:
    """An endpoint as ``Endpoint._do_get_response`` sees it, with the service as its network.

    A per-call view rather than a change to the shared endpoint object keeps concurrent calls
    from several threads on one client independent.
    """

    def __init__(self, endpoint: Any, service: Any, region: str | None) -> None:
        self._endpoint = endpoint
        self._service = service
        self._region = region
        self._event_emitter = EmitterWithoutBeforeSend(endpoint._event_emitter)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)

    def _send(self, request: Any) -> AWSResponse:
        answer = self._service.answer_api(
            request.headers.get("X-Amz-Target"), request.body, self._region
        )
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
