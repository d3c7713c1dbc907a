"""Presigned S3 PUT URLs: made and checked with botocore's own SigV4 query signer.

Both sides use :class:`botocore.auth.S3SigV4QueryAuth` with the mock's fixed temporary
credentials, so the URLs carry exactly the parameters real ones do (``X-Amz-Algorithm``,
``X-Amz-Credential``, ``X-Amz-Date``, ``X-Amz-Expires``, ``X-Amz-SignedHeaders``,
``X-Amz-Security-Token``, ``X-Amz-Signature``) and a check is a recomputation, not a
hand-rolled HMAC. botocore's ``add_auth`` reads the wall clock, so the steps it runs are called
one by one here with the timestamp taken from the ``now`` the caller passes (the mock's clock).

Checks run in the order S3 applies them to a query-authenticated request: the six parameters
must all be there (none at all is an anonymous request: ``AccessDenied``), well formed, with
the mock's access key; then expiry (``AccessDenied`` "Request has expired", even when the
signature is also wrong); then the signature over the method, path, query and the signed
headers as received (``SignatureDoesNotMatch``).
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qsl, quote, unquote

from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .s3_errors import S3Error, s3_error

#: What real Cognito import URLs say: valid for 15 minutes, written as 899 seconds.
DEFAULT_EXPIRES = 899
#: S3's ceiling for X-Amz-Expires (seven days).
MAX_EXPIRES = 604800
#: The header the URLs sign, and the only value the upload may send in it.
SSE_HEADER = "x-amz-server-side-encryption"
SSE_VALUE = "aws:kms"
SIGNED_HEADERS = f"host;{SSE_HEADER}"

_ALGORITHM = "AWS4-HMAC-SHA256"
_SERVICE = "s3"
_AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")
_ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_REQUIRED_PARAMS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)


def _fixed_session_token() -> str:
    # Shaped like an STS session token (base64 starting "IQoJb3JpZ2luX2Vj"), and stable so URLs
    # are reproducible; its '+', '/' and '=' exercise the URL encoding as real tokens do.
    body = b"".join(hashlib.sha256(b"pytest-cognito-mock %d" % i).digest() for i in range(12))
    return "IQoJb3JpZ2luX2Vj" + base64.b64encode(body).decode("ascii")


#: The temporary credentials the mock's S3 side signs with (never real ones).
MOCK_CREDENTIALS = Credentials(
    access_key="ASIAQCOGNITOMOCK4CSV",
    secret_key="cOgNiToMoCk/ImPoRtUpLoAdS3cReTkEy0000000",
    token=_fixed_session_token(),
)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking a presigned request.

    ``bucket`` and ``key`` are the decoded path (``/<bucket>/<key>``); ``error`` is the S3
    error to answer, or None when the request is authentic and unexpired.
    """

    bucket: str
    key: str
    error: S3Error | None = None

    @property
    def ok(self) -> bool:
        """True when the request may go on to the bucket."""
        return self.error is None


def amz_date(when: float) -> str:
    """``when`` (epoch seconds) as an ``X-Amz-Date``, e.g. ``20241226T193341Z``."""
    return time.strftime(_AMZ_DATE_FORMAT, time.gmtime(int(when)))


def object_path(bucket: str, key: str) -> str:
    """The path-style URL path of an object, URI-encoded as S3 canonicalises it."""
    return f"/{quote(bucket, safe='')}/{quote(key, safe='/~')}"


def presigned_put_url(
    base_url: str, region: str, bucket: str, key: str, now: float, expires: int = DEFAULT_EXPIRES
) -> str:
    """A presigned URL to PUT ``bucket``/``key`` at ``base_url``, signed at ``now``.

    ``base_url`` is ``http://127.0.0.1:<port>`` (path-style, since the host is loopback);
    ``now`` is the mock's clock. The URL signs ``host`` and ``x-amz-server-side-encryption``
    (value ``aws:kms``), so the PUT must send that header, as Cognito's real URLs require.
    """
    signer = S3SigV4QueryAuth(MOCK_CREDENTIALS, _SERVICE, region, expires=expires)
    request = AWSRequest(
        method="PUT",
        url=base_url.rstrip("/") + object_path(bucket, key),
        headers={SSE_HEADER: SSE_VALUE},
    )
    request.context["timestamp"] = amz_date(now)
    # add_auth() minus its wall-clock read: query parameters, canonical request, signature.
    # (The two underscore steps are botocore's own, stable since SigV4 query signing began;
    # botocore's type stubs omit them, hence the Any.)
    steps = cast(Any, signer)
    steps._modify_request_before_signing(request)
    string_to_sign = signer.string_to_sign(request, signer.canonical_request(request))
    steps._inject_signature_to_request(request, signer.signature(string_to_sign, request))
    return str(request.url)


def verify_presigned_put(
    url_path_and_query: str,
    host_header: str,
    headers: Mapping[str, str],
    now: float,
    method: str = "PUT",
) -> VerifyResult:
    """Check a request against the presigned URL it claims to use, as S3 would.

    ``url_path_and_query`` is the request target (``/bucket/key?X-Amz-…``), ``host_header`` the
    ``Host`` header as received, ``headers`` the request headers (any case), ``now`` the mock's
    clock and ``method`` the HTTP method (it is part of what was signed).
    """
    raw_path, _, query = url_path_and_query.partition("?")
    bucket, _, key = unquote(raw_path).lstrip("/").partition("/")
    pairs = parse_qsl(query, keep_blank_values=True)
    params: dict[str, str] = {}
    for name, value in pairs:
        params.setdefault(name, value)
    error = _parameter_error(params)
    if error is None:
        error = _expiry_error(params, now)
    if error is None:
        error = _signature_error(method, raw_path, pairs, params, host_header, headers)
    return VerifyResult(bucket, key, error)


def _query_error(message: str, details: tuple[tuple[str, str], ...] = ()) -> S3Error:
    return s3_error("AuthorizationQueryParametersError", message, details)


def _parameter_error(params: Mapping[str, str]) -> S3Error | None:
    """Missing, malformed or foreign authentication parameters."""
    present = [name for name in _REQUIRED_PARAMS if name in params]
    if not present:
        # No query authentication at all: an anonymous request, and the bucket is private.
        return s3_error("AccessDenied")
    if len(present) < len(_REQUIRED_PARAMS):
        return s3_error("AuthorizationQueryParametersError")
    if params["X-Amz-Algorithm"] != _ALGORITHM:
        return _query_error(f'X-Amz-Algorithm only supports "{_ALGORITHM}"')
    credential = params["X-Amz-Credential"].split("/")
    if len(credential) != 5 or not all(credential):
        return _query_error(
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )
    date = params["X-Amz-Date"]
    if _signed_at(date) is None:
        return _query_error(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
        )
    expires = params["X-Amz-Expires"]
    if not re.fullmatch(r"-?\d+", expires):
        return _query_error("X-Amz-Expires should be a number")
    if int(expires) < 0:
        return _query_error("X-Amz-Expires must be non-negative")
    if int(expires) > MAX_EXPIRES:
        return _query_error(
            "X-Amz-Expires must be less than a week (in seconds); that is, the given "
            f"X-Amz-Expires must be less than {MAX_EXPIRES} seconds"
        )
    if credential[1] != date[:8]:
        return _query_error("Invalid credential date. Date is not the same as X-Amz-Date.")
    if credential[0] != MOCK_CREDENTIALS.access_key:
        return s3_error("InvalidAccessKeyId", details=(("AWSAccessKeyId", credential[0]),))
    return None


def _signed_at(date: str) -> int | None:
    """Epoch seconds of an ``X-Amz-Date``, or None when it is not one."""
    if not _AMZ_DATE.fullmatch(date):
        return None
    try:
        return calendar.timegm(time.strptime(date, _AMZ_DATE_FORMAT))
    except ValueError:
        return None


def _expiry_error(params: Mapping[str, str], now: float) -> S3Error | None:
    """``AccessDenied`` once ``now`` is past X-Amz-Date + X-Amz-Expires.

    The URL is good up to and including that second: signed at T with 899, a PUT at T + 899
    passes and one at any later instant (T + 899.001, T + 900) is refused.
    """
    signed_at = _signed_at(params["X-Amz-Date"])
    assert signed_at is not None  # _parameter_error ran first
    expires_at = signed_at + int(params["X-Amz-Expires"])
    if now <= expires_at:
        return None
    return s3_error(
        "AccessDenied",
        "Request has expired",
        (
            ("X-Amz-Expires", params["X-Amz-Expires"]),
            ("Expires", time.strftime(_ISO_FORMAT, time.gmtime(expires_at))),
            ("ServerTime", time.strftime(_ISO_FORMAT, time.gmtime(int(now)))),
        ),
    )


def _signature_error(
    method: str,
    raw_path: str,
    pairs: list[tuple[str, str]],
    params: Mapping[str, str],
    host_header: str,
    headers: Mapping[str, str],
) -> S3Error | None:
    """Recompute the signature for the request as received; ``SignatureDoesNotMatch`` if off."""
    received = {name.lower(): value for name, value in headers.items()}
    received["host"] = host_header
    # Every header the URL says it signed, with the value received (empty when absent, as in
    # S3's canonical request): a missing or different x-amz-server-side-encryption fails here.
    signed = {
        name: received.get(name, "")
        for name in params["X-Amz-SignedHeaders"].lower().split(";")
        if name
    }
    _, _, region, service, _ = params["X-Amz-Credential"].split("/")
    signer = S3SigV4QueryAuth(MOCK_CREDENTIALS, service, region)
    request = AWSRequest(
        method=method.upper(),
        # The host that counts is the signed Host header above; the URL only carries the path.
        url="http://localhost" + raw_path,
        headers=signed,
        # S3 canonicalises the query it received (decoded, re-encoded, sorted), whatever
        # encoding the client used; botocore's params form does exactly that.
        # (A list keeps repeated names; the stubs only admit a mapping.)
        params=cast(Any, [(name, value) for name, value in pairs if name != "X-Amz-Signature"]),
    )
    request.context["timestamp"] = params["X-Amz-Date"]
    canonical_request = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical_request)
    expected = str(signer.signature(string_to_sign, request))
    provided = params["X-Amz-Signature"]
    if hmac.compare_digest(expected.encode(), provided.encode()):
        return None
    return s3_error(
        "SignatureDoesNotMatch",
        details=(
            ("AWSAccessKeyId", MOCK_CREDENTIALS.access_key),
            ("StringToSign", string_to_sign),
            ("SignatureProvided", provided),
            ("StringToSignBytes", _hex_bytes(string_to_sign)),
            ("CanonicalRequest", canonical_request),
            ("CanonicalRequestBytes", _hex_bytes(canonical_request)),
        ),
    )


def _hex_bytes(text: str) -> str:
    return " ".join(f"{byte:02x}" for byte in text.encode("utf-8"))


__all__ = [
    "DEFAULT_EXPIRES",
    "MOCK_CREDENTIALS",
    "SIGNED_HEADERS",
    "SSE_HEADER",
    "SSE_VALUE",
    "VerifyResult",
    "amz_date",
    "object_path",
    "presigned_put_url",
    "verify_presigned_put",
]
