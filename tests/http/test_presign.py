"""Presigned PUT URLs: their shape, and the checks S3 applies to a request using one.

Pure functions, no server: ``verify_presigned_put`` gets the request target, Host header,
headers and the mock time directly.
"""

from __future__ import annotations

import calendar
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import boto3
import pytest
from botocore.config import Config
from freezegun import freeze_time

from pytest_cognito_mock.http import (
    MOCK_CREDENTIALS,
    S3Error,
    VerifyResult,
    presigned_put_url,
    s3_error,
    verify_presigned_put,
)

BASE = "http://127.0.0.1:54321"
HOST = "127.0.0.1:54321"
REGION = "us-west-2"
BUCKET = "aws-cognito-idp-user-import-pdx"
KEY = "123456789012/us-west-2_EXAMPLE/import-mAgUtd8PMm"
SIGNED_AT = calendar.timegm((2024, 12, 26, 19, 33, 41))  # 20241226T193341Z
SSE = {"x-amz-server-side-encryption": "aws:kms"}
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method."
)


def make_url(now: float = SIGNED_AT) -> str:
    return presigned_put_url(BASE, REGION, BUCKET, KEY, now)


def target(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def with_query(url: str, change: dict[str, str | None]) -> str:
    """The request target of ``url`` with query parameters replaced (None removes one)."""
    pairs = [(name, value) for name, value in parse_qsl(urlsplit(url).query) if name not in change]
    pairs += [(name, value) for name, value in change.items() if value is not None]
    return f"{urlsplit(url).path}?{urlencode(pairs, quote_via=quote)}"


def verify(
    request_target: str,
    headers: dict[str, str] | None = None,
    now: float = SIGNED_AT + 10,
    host: str = HOST,
    method: str = "PUT",
) -> VerifyResult:
    return verify_presigned_put(
        request_target, host, SSE if headers is None else headers, now, method=method
    )


def assert_error(result: VerifyResult, code: str, message: str) -> S3Error:
    assert result.error is not None, "the request was accepted"
    assert (result.error.code, result.error.message) == (code, message)
    return result.error


# -- shape ---------------------------------------------------------------------------------


def test_url_is_path_style_on_the_base_url_with_the_object_key() -> None:
    parts = urlsplit(make_url())
    assert (parts.scheme, parts.netloc) == ("http", HOST)
    assert parts.path == f"/{BUCKET}/123456789012/us-west-2_EXAMPLE/import-mAgUtd8PMm"


def test_query_carries_the_sigv4_parameters_of_a_real_import_url() -> None:
    query = dict(parse_qsl(urlsplit(make_url()).query))
    assert set(query) == {
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    }
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "899"
    assert query["X-Amz-SignedHeaders"] == "host;x-amz-server-side-encryption"
    assert query["X-Amz-Date"] == "20241226T193341Z"
    access_key, date, region, service, terminal = query["X-Amz-Credential"].split("/")
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", access_key)
    assert (date, region, service, terminal) == ("20241226", REGION, "s3", "aws4_request")
    assert query["X-Amz-Security-Token"] == MOCK_CREDENTIALS.token
    assert re.fullmatch(r"[0-9a-f]{64}", query["X-Amz-Signature"])


def test_signed_headers_are_percent_encoded_in_the_url_like_real_ones() -> None:
    assert "X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption" in make_url()


def test_url_date_follows_the_time_passed_not_the_wall_clock() -> None:
    url = make_url(now=SIGNED_AT + 3600.75)
    assert dict(parse_qsl(urlsplit(url).query))["X-Amz-Date"] == "20241226T203341Z"


def test_url_is_exactly_what_boto3_presigns_for_put_object_with_sse_kms() -> None:
    with freeze_time("2024-12-26T19:33:41Z"):
        s3 = boto3.client(
            "s3",
            region_name=REGION,
            endpoint_url=BASE,
            aws_access_key_id=MOCK_CREDENTIALS.access_key,
            aws_secret_access_key=MOCK_CREDENTIALS.secret_key,
            aws_session_token=MOCK_CREDENTIALS.token,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )
        boto3_url = s3.generate_presigned_url(
            "put_object",
            Params={"Bucket": BUCKET, "Key": KEY, "ServerSideEncryption": "aws:kms"},
            ExpiresIn=899,
        )
    assert make_url() == boto3_url


# -- accepted ------------------------------------------------------------------------------


def test_untouched_request_is_accepted_with_its_bucket_and_key() -> None:
    assert verify(target(make_url())) == VerifyResult(BUCKET, KEY, None)


def test_header_names_are_case_insensitive_and_values_trimmed() -> None:
    headers = {"X-Amz-Server-Side-Encryption": "  aws:kms "}
    assert verify(target(make_url()), headers).ok


def test_unsigned_headers_do_not_matter() -> None:
    headers = {**SSE, "Content-Type": "text/csv", "User-Agent": "curl/8.5.0", "Expect": "x"}
    assert verify(target(make_url()), headers).ok


def test_query_reordered_or_encoded_differently_still_verifies() -> None:
    # S3 canonicalises the decoded query, so a client's re-encoding does not break the URL.
    pairs = parse_qsl(urlsplit(make_url()).query)
    loosely_encoded = "&".join(f"{name}={quote(value, safe='/;')}" for name, value in pairs[::-1])
    assert verify(f"{urlsplit(make_url()).path}?{loosely_encoded}").ok


def test_key_needing_encoding_round_trips() -> None:
    key = "123456789012/us-west-2_EXAMPLE/import job ü"
    url = presigned_put_url(BASE, REGION, BUCKET, key, SIGNED_AT)
    assert "/import%20job%20%C3%BC?" in url
    assert verify(target(url)) == VerifyResult(BUCKET, key, None)


# -- SignatureDoesNotMatch -----------------------------------------------------------------


def test_missing_sse_header_does_not_match() -> None:
    error = assert_error(verify(target(make_url()), {}), "SignatureDoesNotMatch", MISMATCH)
    assert error.status == 403
    # As in S3's answer: the canonical request it computed, with the header empty.
    canonical = error.detail("CanonicalRequest")
    assert canonical is not None
    assert "\nx-amz-server-side-encryption:\n" in canonical


@pytest.mark.parametrize("value", ["AES256", "AWS:KMS", "aws:kms:dsse", ""])
def test_different_sse_header_does_not_match(value: str) -> None:
    headers = {"x-amz-server-side-encryption": value}
    assert_error(verify(target(make_url()), headers), "SignatureDoesNotMatch", MISMATCH)


@pytest.mark.parametrize(
    "change",
    [
        {"X-Amz-Signature": "0" * 64},
        {"X-Amz-Expires": "900"},
        {"X-Amz-Date": "20241226T193342Z"},
        {"X-Amz-SignedHeaders": "host"},
        {"X-Amz-Security-Token": "IQoJb3JpZ2luX2VjEOH"},
        {"X-Amz-Security-Token": None},
        {"X-Amz-Credential": f"{MOCK_CREDENTIALS.access_key}/20241226/us-east-1/s3/aws4_request"},
        {"x-id": "PutObject"},
    ],
    ids=lambda change: ",".join(change),
)
def test_tampered_query_does_not_match(change: dict[str, str | None]) -> None:
    assert_error(verify(with_query(make_url(), change)), "SignatureDoesNotMatch", MISMATCH)


def test_other_object_path_does_not_match() -> None:
    request_target = target(make_url()).replace("import-mAgUtd8PMm", "import-Fx0kARISFL")
    assert_error(verify(request_target), "SignatureDoesNotMatch", MISMATCH)


def test_other_host_does_not_match() -> None:
    assert_error(
        verify(target(make_url()), host="localhost:54321"), "SignatureDoesNotMatch", MISMATCH
    )


def test_other_method_does_not_match() -> None:
    assert_error(verify(target(make_url()), method="GET"), "SignatureDoesNotMatch", MISMATCH)


def test_mismatch_details_are_those_s3_returns() -> None:
    url = make_url()
    error = assert_error(verify(target(url), {}), "SignatureDoesNotMatch", MISMATCH)
    assert [name for name, _ in error.details] == [
        "AWSAccessKeyId",
        "StringToSign",
        "SignatureProvided",
        "StringToSignBytes",
        "CanonicalRequest",
        "CanonicalRequestBytes",
    ]
    assert error.detail("AWSAccessKeyId") == MOCK_CREDENTIALS.access_key
    assert (
        error.detail("SignatureProvided") == dict(parse_qsl(urlsplit(url).query))["X-Amz-Signature"]
    )
    string_to_sign = error.detail("StringToSign")
    assert string_to_sign is not None
    assert string_to_sign.split("\n")[:3] == [
        "AWS4-HMAC-SHA256",
        "20241226T193341Z",
        "20241226/us-west-2/s3/aws4_request",
    ]
    assert error.detail("StringToSignBytes") == string_to_sign.encode().hex(" ")
    canonical = error.detail("CanonicalRequest")
    assert canonical is not None
    assert canonical.split("\n")[0:2] == ["PUT", urlsplit(url).path]
    assert canonical.endswith("\nhost;x-amz-server-side-encryption\nUNSIGNED-PAYLOAD")


# -- expiry --------------------------------------------------------------------------------


def test_url_still_works_at_the_last_second_of_its_899() -> None:
    assert verify(target(make_url()), now=SIGNED_AT + 899).ok


@pytest.mark.parametrize("elapsed", [899.001, 900, 86400])
def test_url_expires_after_899_seconds(elapsed: float) -> None:
    result = verify(target(make_url()), now=SIGNED_AT + elapsed)
    error = assert_error(result, "AccessDenied", "Request has expired")
    assert error.status == 403
    assert error.details[0] == ("X-Amz-Expires", "899")
    assert error.details[1] == ("Expires", "2024-12-26T19:48:40Z")
    assert error.details[2][0] == "ServerTime"


def test_server_time_is_the_time_of_the_request() -> None:
    error = assert_error(
        verify(target(make_url()), now=SIGNED_AT + 3600.5), "AccessDenied", "Request has expired"
    )
    assert error.detail("ServerTime") == "2024-12-26T20:33:41Z"


def test_expiry_is_judged_before_the_signature() -> None:
    tampered = with_query(make_url(), {"X-Amz-Signature": "0" * 64})
    assert_error(verify(tampered, {}, now=SIGNED_AT + 900), "AccessDenied", "Request has expired")


def test_signature_time_comes_from_the_url_not_from_the_request_time() -> None:
    # Signed a second before a day boundary, used after it: still the signing day's key.
    late = calendar.timegm((2024, 12, 26, 23, 59, 59))
    url = presigned_put_url(BASE, REGION, BUCKET, KEY, late)
    assert verify(target(url), now=late + 600).ok


# -- malformed or foreign parameters -------------------------------------------------------

REQUIRES = (
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
    "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
)


def test_no_authentication_at_all_is_an_anonymous_request_refused() -> None:
    for request_target in (f"/{BUCKET}/{KEY}", "/", "/%zz/..//?", f"/{BUCKET}/{KEY}?foo=bar"):
        error = assert_error(verify(request_target), "AccessDenied", "Access Denied")
        assert (error.status, error.details) == (403, ())


@pytest.mark.parametrize(
    "missing",
    [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Expires",
    ],
)
def test_any_missing_parameter_is_reported(missing: str) -> None:
    result = verify(with_query(make_url(), {missing: None}))
    error = assert_error(result, "AuthorizationQueryParametersError", REQUIRES)
    assert error.status == 400


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"X-Amz-Algorithm": "AWS4-HMAC-SHA512"},
            'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
        ),
        (
            {"X-Amz-Credential": "ASIAQCOGNITOMOCK4CSV/20241226/us-west-2/s3"},
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
        ),
        (
            {"X-Amz-Date": "2024-12-26T19:33:41Z"},
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
        ),
        (
            {"X-Amz-Date": "20241326T193341Z"},
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
        ),
        ({"X-Amz-Expires": "soon"}, "X-Amz-Expires should be a number"),
        ({"X-Amz-Expires": "-1"}, "X-Amz-Expires must be non-negative"),
        (
            {"X-Amz-Expires": "604801"},
            "X-Amz-Expires must be less than a week (in seconds); that is, the given "
            "X-Amz-Expires must be less than 604800 seconds",
        ),
        (
            {"X-Amz-Date": "20241227T193341Z"},
            "Invalid credential date. Date is not the same as X-Amz-Date.",
        ),
    ],
)
def test_malformed_parameter_is_reported(change: dict[str, str], message: str) -> None:
    error = assert_error(
        verify(with_query(make_url(), change)), "AuthorizationQueryParametersError", message
    )
    assert error.status == 400


def test_foreign_access_key_is_unknown() -> None:
    credential = "AKIAIOSFODNN7EXAMPLE/20241226/us-west-2/s3/aws4_request"
    result = verify(with_query(make_url(), {"X-Amz-Credential": credential}))
    error = assert_error(
        result,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
    )
    assert (error.status, error.details) == (403, (("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),))


# -- S3 error bodies -----------------------------------------------------------------------


def test_error_xml_is_s3s() -> None:
    error = s3_error("AccessDenied", "Request has expired", (("Expires", "2024-12-26T19:48:40Z"),))
    assert error.xml("E4952EE21FC53CD9", "Zg+/=") == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
        b"<Expires>2024-12-26T19:48:40Z</Expires>"
        b"<RequestId>E4952EE21FC53CD9</RequestId><HostId>Zg+/=</HostId></Error>"
    )


def test_error_xml_escapes_text() -> None:
    error = s3_error("MethodNotAllowed", details=(("Method", "<&>"),))
    assert b"<Method>&lt;&amp;&gt;</Method>" in error.xml("R", "H")


def test_unknown_error_code_is_an_internal_error() -> None:
    error = s3_error("NoSuchThing")
    assert (error.code, error.status) == ("InternalError", 500)
