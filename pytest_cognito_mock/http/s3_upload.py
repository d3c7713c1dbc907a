"""The S3 bucket behind presigned PUT URLs, as an :class:`~.messages.Endpoint`.

It knows nothing about Cognito: it checks each request as S3 would and hands a verified body to
an :class:`UploadSink`, which stores it or names the S3 error to answer. What it answers, in the
order it decides:

* ``POST`` and any method S3 has no object operation for: 405 ``MethodNotAllowed``;
* ``GET``/``HEAD``/``DELETE``: the presigned check for that method, which a URL signed for PUT
  fails (403 ``SignatureDoesNotMatch``, or ``AccessDenied`` once expired), as on S3;
* a PUT with ``Transfer-Encoding`` (chunked): 501 ``NotImplemented`` naming the header (S3
  takes no chunked uploads); without ``Content-Length``: 411 ``MissingContentLength``;
* ``Content-Length`` over :data:`MAX_UPLOAD_BYTES`: 400 ``EntityTooLarge``, decided from the
  header alone, before any of the body is read;
* the presigned query (parameters, expiry against the clock, signature);
* then the body goes to the sink; success is 200 with ``ETag: "<md5 hex>"`` and
  ``x-amz-server-side-encryption: aws:kms``.

Everything up to the signature is decided from the head (:meth:`PresignedUploads.preflight`),
so a refused upload is refused before the client sends its body.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Protocol

from .messages import HttpRequest, HttpResponse
from .presign import SSE_HEADER, SSE_VALUE, VerifyResult, verify_presigned_put
from .s3_errors import S3Error, new_host_id, new_request_id, s3_error

#: The largest body accepted: the 100 MB ceiling on a Cognito user import CSV, as 100 MiB.
MAX_UPLOAD_BYTES = 100 * 1024 * 1024

#: Methods S3 has an object operation for besides PUT: checked against the presigned query.
_AUTHENTICATED_METHODS = ("GET", "HEAD", "DELETE")
_DIGITS = re.compile(r"\d+")


class UploadSink(Protocol):
    """Where verified uploads go: the owner of the presigned URLs."""

    def accept_upload(self, bucket: str, key: str, body: bytes) -> str | None:
        """Store ``body`` as ``bucket``/``key``; None when stored, else the S3 error code to
        answer (``AccessDenied``, ``NoSuchBucket``, ``NoSuchKey``…). Called from server
        threads."""
        ...


class PresignedUploads:
    """S3's answers for presigned object requests; ``clock`` gives the time expiry is judged
    by (the mock's, read at each request, so freezegun and time-machine move it)."""

    def __init__(self, sink: UploadSink, clock: Callable[[], float]) -> None:
        self._sink = sink
        self._clock = clock

    # -- the Endpoint protocol ---------------------------------------------------------------

    def preflight(self, head: HttpRequest) -> HttpResponse | None:
        if head.method == "PUT":
            refusal = _framing_error(head)
            if refusal is not None:
                return answer(refusal, close=True)
            verified = self._verify(head)
            return None if verified.error is None else answer(verified.error)
        if head.method in _AUTHENTICATED_METHODS:
            # GET/HEAD/DELETE exist on S3 objects, so S3 checks the URL for them; a URL signed
            # for PUT never passes (the method is signed), and this bucket serves nothing back.
            return answer(self._verify(head).error or s3_error("AccessDenied"))
        return answer(method_not_allowed(head))

    def handle(self, request: HttpRequest) -> HttpResponse:
        refusal = self.preflight(request)
        if refusal is not None:
            return refusal
        verified = self._verify(request)
        # An exception from the sink reaches the server, which answers InternalError.
        code = self._sink.accept_upload(verified.bucket, verified.key, request.body)
        if code is not None:
            details = {
                "NoSuchBucket": (("BucketName", verified.bucket),),
                "NoSuchKey": (("Key", verified.key),),
            }
            return answer(s3_error(code, details=details.get(code, ())))
        etag = hashlib.md5(request.body, usedforsecurity=False).hexdigest()
        return HttpResponse(200, (*_s3_headers(), ("ETag", f'"{etag}"'), (SSE_HEADER, SSE_VALUE)))

    def malformed(self, head: HttpRequest | None, problem: str) -> HttpResponse:
        code = {
            "incomplete-body": "IncompleteBody",
            "body-timeout": "RequestTimeout",
            "internal": "InternalError",
        }.get(problem, "BadRequest")
        return answer(s3_error(code), close=True)

    # -- pieces ------------------------------------------------------------------------------

    def _verify(self, request: HttpRequest) -> VerifyResult:
        parts = request.parts
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        return verify_presigned_put(
            target,
            request.headers.get("host", parts.netloc),
            request.headers,
            self._clock(),
            method=request.method,
        )


def _framing_error(head: HttpRequest) -> S3Error | None:
    """What S3 says of a PUT's body framing, from the headers alone."""
    if "transfer-encoding" in head.headers:
        return s3_error("NotImplemented", details=(("Header", "Transfer-Encoding"),))
    declared = head.headers.get("content-length")
    if declared is None:
        return s3_error("MissingContentLength")
    lengths = {part.strip() for part in declared.split(",")}
    if len(lengths) != 1 or not _DIGITS.fullmatch(next(iter(lengths))):
        return s3_error("BadRequest")
    length = int(next(iter(lengths)))
    if length > MAX_UPLOAD_BYTES:
        sizes = (("ProposedSize", str(length)), ("MaxSizeAllowed", str(MAX_UPLOAD_BYTES)))
        return s3_error("EntityTooLarge", details=sizes)
    return None


def method_not_allowed(request: HttpRequest) -> S3Error:
    parts = [part for part in request.path.split("/") if part]
    resource = ("SERVICE", "BUCKET")[len(parts)] if len(parts) < 2 else "OBJECT"
    details = (("Method", request.method), ("ResourceType", resource))
    return s3_error("MethodNotAllowed", details=details)


def _s3_headers() -> tuple[tuple[str, str], ...]:
    return (
        ("Server", "AmazonS3"),
        ("x-amz-request-id", new_request_id()),
        ("x-amz-id-2", new_host_id()),
    )


def answer(error: S3Error, *, close: bool = False) -> HttpResponse:
    """An S3 error as an HTTP answer: S3's status, its request ids, the XML body."""
    request_id, host_id = new_request_id(), new_host_id()
    return HttpResponse(
        error.status,
        (
            ("Server", "AmazonS3"),
            ("x-amz-request-id", request_id),
            ("x-amz-id-2", host_id),
            ("Content-Type", "application/xml"),
        ),
        error.xml(request_id, host_id),
        close=close,
    )
