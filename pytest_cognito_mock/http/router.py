"""The HTTP router: one function from a request to Cognito to its answer.

The only module of ``http/`` that knows Cognito. It serves what Cognito serves over HTTP:

* the JSON 1.1 API: a ``POST`` with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Op>``;
* ``GET /<poolId>/.well-known/jwks.json`` and ``/.well-known/openid-configuration``;
* on the loopback endpoint only, the S3 bucket behind import jobs' presigned URLs.

Two doors: :meth:`CognitoRouter.handle` for requests the in-process transports caught on their
way to a Cognito host (``cognito-idp[-fips].<region>.amazonaws.com``, ``*.amazoncognito.com``),
and :attr:`CognitoRouter.loopback`, the :class:`~.messages.Endpoint` the loopback server
serves. Malformed requests get what AWS's JSON services answer (400 ``UnknownOperationException``
without a known target, ``SerializationException`` for a body that is not JSON), never a Python
exception. An operation the model has but the mock lacks raises
:class:`~pytest_cognito_mock.UnsupportedOperationError` in process, and is answered 501 with a
JSON message on the loopback endpoint.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from .. import _wire
from .._validation import model_operations
from ..backend import clock
from ..errors import UnsupportedOperationError
from ..hosted import LOOPBACK_PREFIX, DomainEndpoints
from ..operations import OPERATIONS
from .messages import HttpRequest, HttpResponse, NoSuchHostError
from .s3_upload import PresignedUploads

if TYPE_CHECKING:
    from ..service import CognitoService

#: The API's hosts; the group is the region.
API_HOST = re.compile(r"cognito-idp(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com")
#: User pool domains (``<prefix>.auth.<region>.amazoncognito.com``).
DOMAIN_HOST = re.compile(r"(?:[a-z0-9-]+\.)+amazoncognito\.com")
_WELL_KNOWN = re.compile(r"/([^/]+)/\.well-known/(jwks\.json|openid-configuration)")
_SIGV4_REGION = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")
_UPLOAD_BUCKET_PREFIX = "/aws-cognito-idp-user-import-"
_JSON = "application/json"
#: What a browser may send and read across origins (the JSON API, from a page's script).
_CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    (
        "Access-Control-Expose-Headers",
        "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    ),
)


def is_cognito_host(host: str) -> bool:
    """Whether requests to ``host`` (lower case, no port) are Cognito's to answer."""
    if not host.endswith((".amazonaws.com", ".amazoncognito.com")):
        return False
    return API_HOST.fullmatch(host) is not None or DOMAIN_HOST.fullmatch(host) is not None


class CognitoRouter:
    """Routes HTTP requests to one :class:`~pytest_cognito_mock.service.CognitoService`."""

    def __init__(self, service: CognitoService) -> None:
        self._service = service
        self.uploads = PresignedUploads(service, clock.now)
        self.domains = DomainEndpoints(service)
        #: What the loopback server serves: the API, the documents and the uploads.
        self.loopback = _LoopbackEndpoint(self)

    def serves_host(self, host: str) -> bool:
        """Whether ``host`` (a Cognito host name, lower case) exists: every API host does; a
        domain host only once a pool has that domain."""
        return API_HOST.fullmatch(host) is not None or self.domains.serves(host)

    def handle(self, request: HttpRequest) -> HttpResponse:
        """The answer to a request for a Cognito host, caught in process. Raises
        :class:`~.messages.NoSuchHostError` for a host that does not exist (a domain no pool
        has), which transports turn into their library's connection error."""
        host = request.host
        match = API_HOST.fullmatch(host)
        if match is not None:
            return self.api(request, region=match.group(1), base_url=None)
        if self.domains.serves(host):
            return self.domains.handle(request, host, request.path, f"https://{host}")
        raise NoSuchHostError(host)

    def api(
        self, request: HttpRequest, *, region: str | None, base_url: str | None
    ) -> HttpResponse:
        """What an API host answers. ``region`` None: tell it from the SigV4 scope or the
        request's ids (the loopback endpoint serves every region); ``base_url`` is where the
        documents' own URLs point (None: the issuer)."""
        method = request.method
        if method == "OPTIONS":
            return _cors_preflight(request)
        if method == "POST":
            return self._json_api(request, region)
        document = _WELL_KNOWN.fullmatch(request.path)
        if document is not None and method in ("GET", "HEAD"):
            status, body = self._service.well_known(
                document.group(1), document.group(2), region=region, base_url=base_url
            )
            return _json(status, body)
        return _json(404, {"message": f"{method} {request.path} is not a Cognito resource."})

    def _json_api(self, request: HttpRequest, region: str | None) -> HttpResponse:
        target = request.headers.get("x-amz-target")
        operation = _wire.operation_name(target)
        if operation is None or (
            operation not in model_operations() and operation not in OPERATIONS
        ):
            return _from_wire(_wire.unknown_operation(target))
        # One the mock implements and the installed model lacks (a client on a newer model)
        # goes on: the service refuses it, saying so (UnsupportedOperationError).
        if region is None:
            scope = _SIGV4_REGION.search(request.headers.get("authorization", ""))
            region = scope.group(1) if scope else None
        answer = self._service.answer_api(target, request.body, region)
        response = _from_wire(answer)
        if "origin" in request.headers:
            response = HttpResponse(
                response.status, response.headers + _CORS_HEADERS, response.body
            )
        return response


class _LoopbackEndpoint:
    """The router as the loopback server serves it (an :class:`~.messages.Endpoint`)."""

    def __init__(self, router: CognitoRouter) -> None:
        self._router = router

    def preflight(self, head: HttpRequest) -> HttpResponse | None:
        if _is_upload(head):
            return self._router.uploads.preflight(head)
        return None

    def handle(self, request: HttpRequest) -> HttpResponse:
        if _is_upload(request):
            return self._router.uploads.handle(request)
        base_url = f"{request.parts.scheme}://{request.parts.netloc}"
        if request.path.startswith(LOOPBACK_PREFIX):
            return self._domain(request, base_url)
        try:
            return self._router.api(request, region=None, base_url=base_url)
        except UnsupportedOperationError as unsupported:
            # Other processes cannot see a Python exception: say it in the answer, with a
            # status no SDK retries.
            return _json(501, {"__type": "UnsupportedOperation", "message": str(unsupported)})

    def _domain(self, request: HttpRequest, base_url: str) -> HttpResponse:
        """``/domain/<host>/<path>``: what domain ``<host>`` answers at ``/<path>``."""
        host, _, rest = request.path[len(LOOPBACK_PREFIX) :].partition("/")
        host = host.lower()
        if not self._router.domains.serves(host):
            return _json(404, {"message": f"No user pool has the domain {host!r}."})
        return self._router.domains.handle(
            request, host, "/" + rest, f"{base_url}{LOOPBACK_PREFIX}{host}"
        )

    def malformed(self, head: HttpRequest | None, problem: str) -> HttpResponse:
        if head is None or _is_upload(head):
            return self._router.uploads.malformed(head, problem)
        if problem == "internal":
            return _json(
                500,
                {
                    "__type": "InternalErrorException",
                    "message": "pytest-cognito-mock failed while answering this request.",
                },
                close=True,
            )
        message = _UNREADABLE.get(problem, _UNREADABLE["request"])
        return _json(400, {"__type": "SerializationException", "message": message}, close=True)


#: What a request that cannot be read is told, by the server's name for the problem.
_UNREADABLE = {
    "request": "The request line or headers could not be read.",
    "incomplete-body": "The request body ended before the length it announced.",
    "body-timeout": "The request body stalled before it was complete.",
}


def _is_upload(request: HttpRequest) -> bool:
    return request.path.startswith(_UPLOAD_BUCKET_PREFIX)


def _cors_preflight(request: HttpRequest) -> HttpResponse:
    asked = request.headers.get("access-control-request-headers", "*")
    return HttpResponse(
        200,
        (
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Methods", "POST, GET, OPTIONS"),
            ("Access-Control-Allow-Headers", asked),
            ("Access-Control-Max-Age", "86400"),
        ),
    )


def _json(status: int, body: dict[str, Any], *, close: bool = False) -> HttpResponse:
    data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return HttpResponse(status, (("Content-Type", _JSON),), data, close=close)


def _from_wire(answer: _wire.WireResponse) -> HttpResponse:
    return HttpResponse(answer.status, tuple(answer.headers.items()), answer.body)
