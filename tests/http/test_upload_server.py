"""The loopback S3 server: uploads to presigned URLs from real HTTP clients, S3's refusals,
and the server's lifecycle. Every connection is to 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from freezegun import freeze_time

from pytest_cognito_mock.backend import clock
from pytest_cognito_mock.http import (
    MAX_UPLOAD_BYTES,
    LoopbackServer,
    PresignedUploads,
    presigned_put_url,
)

BUCKET = "aws-cognito-idp-user-import-pdx"
KEY = "123456789012/us-west-2_EXAMPLE/import-mAgUtd8PMm"
SSE = {"x-amz-server-side-encryption": "aws:kms"}
CSV = b"cognito:username,email,email_verified\nJohn,john@example.com,true\n"
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method."
)


class RecordingSink:
    """Stores uploads by (bucket, key); answers ``refusal`` instead when it is set."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bytes]] = []
        self.stored: dict[tuple[str, str], bytes] = {}
        self.refusal: str | None = None
        self.raises: Exception | None = None
        self.lock = threading.Lock()

    def accept_upload(self, bucket: str, key: str, body: bytes) -> str | None:
        with self.lock:
            self.calls.append((bucket, key, body))
            if self.raises is not None:
                raise self.raises
            if self.refusal is None:
                self.stored[(bucket, key)] = body
            return self.refusal


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


def s3_server(sink: RecordingSink, **options: float) -> LoopbackServer:
    """A loopback server serving only the S3 bucket of presigned uploads, into ``sink``."""
    return LoopbackServer(PresignedUploads(sink, clock.now), **options)  # type: ignore[arg-type]


@pytest.fixture
def server(sink: RecordingSink) -> Iterator[LoopbackServer]:
    server = s3_server(sink)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def url(server: LoopbackServer) -> str:
    assert server.base_url is not None
    return presigned_put_url(server.base_url, "us-west-2", BUCKET, KEY, clock.now())


def error_of(body: bytes | str) -> tuple[str, str]:
    text = body.decode() if isinstance(body, bytes) else body
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>'), text
    code = text.split("<Code>")[1].split("</Code>")[0]
    message = text.split("<Message>")[1].split("</Message>")[0]
    return code, message


def raw_request(base_url: str, data: bytes) -> bytes:
    """Send ``data`` as is on a fresh connection; everything the server answers."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


# -- uploads from real clients -------------------------------------------------------------


def test_put_from_requests_is_stored_and_answered_like_s3(url: str, sink: RecordingSink) -> None:
    response = requests.put(url, data=CSV, headers=SSE)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{hashlib.md5(CSV).hexdigest()}"'
    assert response.headers["x-amz-server-side-encryption"] == "aws:kms"
    assert len(response.headers["x-amz-request-id"]) == 16
    assert response.headers["x-amz-id-2"]
    assert response.headers["Server"] == "AmazonS3"
    assert response.content == b""
    assert sink.calls == [(BUCKET, KEY, CSV)]


def test_put_from_urllib_is_stored(url: str, sink: RecordingSink) -> None:
    request = urllib.request.Request(url, data=CSV, method="PUT", headers=SSE)
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers["ETag"] == f'"{hashlib.md5(CSV).hexdigest()}"'
    assert sink.stored == {(BUCKET, KEY): CSV}


def run_curl(*args: str) -> subprocess.CompletedProcess[str]:
    curl = shutil.which("curl")
    assert curl is not None, "curl must be installed (the documented upload command uses it)"
    environment = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    return subprocess.run(
        [curl, "-sS", *args], capture_output=True, text=True, env=environment, check=False
    )


def test_put_with_the_documented_curl_command_is_stored(
    url: str, sink: RecordingSink, tmp_path: Path
) -> None:
    # Over 1 KiB, so curl sends "Expect: 100-continue" and waits for the server's go-ahead.
    body = CSV + b"".join(b"user%d,user%d@example.com,true\n" % (i, i) for i in range(200))
    csv_file = tmp_path / "users.csv"
    csv_file.write_bytes(body)
    done = run_curl("-v", "-T", str(csv_file), "-H", "x-amz-server-side-encryption:aws:kms", url)
    assert done.returncode == 0, done.stderr
    assert "We are completely uploaded and fine" in done.stderr
    assert "< HTTP/1.1 100 Continue" in done.stderr
    assert "< HTTP/1.1 200 OK" in done.stderr
    assert sink.stored == {(BUCKET, KEY): body}


def test_curl_without_the_sse_header_is_refused_before_sending_the_body(
    url: str, sink: RecordingSink, tmp_path: Path
) -> None:
    csv_file = tmp_path / "users.csv"
    csv_file.write_bytes(CSV * 100)
    done = run_curl("-v", "-T", str(csv_file), url)
    assert done.returncode == 0, done.stderr
    assert "< HTTP/1.1 403 Forbidden" in done.stderr
    assert "100 Continue" not in done.stderr
    assert error_of(done.stdout) == ("SignatureDoesNotMatch", MISMATCH)
    assert sink.calls == []


def test_second_put_replaces_the_first(url: str, sink: RecordingSink) -> None:
    assert requests.put(url, data=b"first", headers=SSE).status_code == 200
    assert requests.put(url, data=CSV, headers=SSE).status_code == 200
    assert [body for _, _, body in sink.calls] == [b"first", CSV]
    assert sink.stored == {(BUCKET, KEY): CSV}


def test_empty_body_is_an_upload(url: str, sink: RecordingSink) -> None:
    response = requests.put(url, data=b"", headers=SSE)
    assert response.headers["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    assert sink.stored == {(BUCKET, KEY): b""}


def test_keep_alive_connection_serves_refusals_and_uploads_in_turn(
    url: str, sink: RecordingSink
) -> None:
    with requests.Session() as session:
        assert session.put(url, data=CSV).status_code == 403
        assert session.put(url, data=CSV, headers=SSE).status_code == 200
        assert session.put(url, data=b"again", headers=SSE).status_code == 200
    assert sink.stored == {(BUCKET, KEY): b"again"}


# -- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"x-amz-server-side-encryption": "AES256"}])
def test_put_without_the_signed_sse_header_is_refused(
    url: str, sink: RecordingSink, headers: dict[str, str]
) -> None:
    response = requests.put(url, data=CSV, headers={"Content-Type": "text/csv", **headers})
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/xml"
    assert error_of(response.content) == ("SignatureDoesNotMatch", MISMATCH)
    assert sink.calls == []


def test_put_with_a_tampered_query_is_refused(url: str, sink: RecordingSink) -> None:
    response = requests.put(url.replace("X-Amz-Expires=899", "X-Amz-Expires=900"), headers=SSE)
    assert (response.status_code, error_of(response.content)) == (
        403,
        ("SignatureDoesNotMatch", MISMATCH),
    )
    assert sink.calls == []


def test_put_without_any_signature_is_anonymous_and_refused(
    server: LoopbackServer, sink: RecordingSink
) -> None:
    response = requests.put(f"{server.base_url}/{BUCKET}/{KEY}", data=CSV, headers=SSE)
    assert (response.status_code, error_of(response.content)) == (
        403,
        ("AccessDenied", "Access Denied"),
    )
    assert sink.calls == []


def test_url_expires_after_899_seconds_of_mock_time(
    server: LoopbackServer, sink: RecordingSink
) -> None:
    assert server.base_url is not None
    with freeze_time("2024-12-26T19:33:41Z") as frozen:
        url = presigned_put_url(server.base_url, "us-west-2", BUCKET, KEY, clock.now())
        frozen.move_to("2024-12-26T19:48:40Z")  # + 899 s: the last good second
        assert requests.put(url, data=b"in time", headers=SSE).status_code == 200
        frozen.move_to("2024-12-26T19:48:41Z")  # + 900 s
        response = requests.put(url, data=CSV, headers=SSE)
    assert response.status_code == 403
    assert error_of(response.content) == ("AccessDenied", "Request has expired")
    assert b"<X-Amz-Expires>899</X-Amz-Expires><Expires>2024-12-26T19:48:40Z</Expires>" in (
        response.content
    )
    assert b"<ServerTime>2024-12-26T19:48:41Z</ServerTime>" in response.content
    assert sink.stored == {(BUCKET, KEY): b"in time"}


def test_body_over_100_mib_is_refused_from_its_content_length_alone(
    server: LoopbackServer, url: str, sink: RecordingSink
) -> None:
    assert server.base_url is not None
    target = url[len(server.base_url) :]
    answer = raw_request(
        server.base_url,
        f"PUT {target} HTTP/1.1\r\nHost: {urlsplit(url).netloc}\r\n"
        f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {MAX_UPLOAD_BYTES + 1}\r\n"
        "\r\ntiny".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    body = answer.split(b"\r\n\r\n", 1)[1]
    assert error_of(body) == (
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    )
    assert (
        b"<ProposedSize>104857601</ProposedSize><MaxSizeAllowed>104857600</MaxSizeAllowed>" in body
    )
    assert sink.calls == []


def test_exactly_100_mib_is_not_too_large(
    server: LoopbackServer, url: str, sink: RecordingSink
) -> None:
    # Announce the limit, send a little and hang up: the server was waiting for the body.
    assert server.base_url is not None
    target = url[len(server.base_url) :]
    answer = raw_request(
        server.base_url,
        f"PUT {target} HTTP/1.1\r\nHost: {urlsplit(url).netloc}\r\n"
        f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {MAX_UPLOAD_BYTES}\r\n"
        "\r\ntiny".encode(),
    )
    assert error_of(answer.split(b"\r\n\r\n", 1)[1])[0] == "IncompleteBody"
    assert sink.calls == []


def test_stalled_upload_times_out_like_s3(sink: RecordingSink) -> None:
    server = s3_server(sink, idle_timeout=0.2)
    base_url = server.start()
    try:
        url = presigned_put_url(base_url, "us-west-2", BUCKET, KEY, clock.now())
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port)) as connection:
            connection.sendall(
                f"PUT {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "x-amz-server-side-encryption: aws:kms\r\nContent-Length: 10\r\n\r\nabc".encode()
            )
            answer = b""
            while chunk := connection.recv(65536):  # the client never sends the rest
                answer += chunk
    finally:
        server.stop()
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert error_of(answer.split(b"\r\n\r\n", 1)[1])[0] == "RequestTimeout"
    assert sink.calls == []


def test_chunked_upload_is_not_implemented(url: str, sink: RecordingSink) -> None:
    response = requests.put(url, data=iter([CSV]), headers=SSE)
    assert response.status_code == 501
    assert error_of(response.content) == (
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
    )
    assert b"<Header>Transfer-Encoding</Header>" in response.content
    assert sink.calls == []


def test_put_without_content_length_is_refused(url: str, sink: RecordingSink) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc)
    connection.putrequest("PUT", f"{parts.path}?{parts.query}")
    connection.putheader("x-amz-server-side-encryption", "aws:kms")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 411
    assert error_of(response.read()) == (
        "MissingContentLength",
        "You must provide the Content-Length HTTP header.",
    )
    connection.close()
    assert sink.calls == []


@pytest.mark.parametrize("method", ["POST", "PATCH", "OPTIONS", "PROPFIND"])
def test_methods_s3_has_no_object_operation_for_are_not_allowed(url: str, method: str) -> None:
    response = requests.request(method, url, data=CSV, headers=SSE)
    assert response.status_code == 405
    assert error_of(response.content) == (
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
    )
    assert f"<Method>{method}</Method><ResourceType>OBJECT</ResourceType>" in response.text


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_other_object_methods_fail_the_signature_made_for_put(url: str, method: str) -> None:
    response = requests.request(method, url, headers=SSE)
    assert (response.status_code, error_of(response.content)) == (
        403,
        ("SignatureDoesNotMatch", MISMATCH),
    )


def test_head_is_refused_without_a_body(url: str) -> None:
    response = requests.head(url, headers=SSE)
    assert response.status_code == 403
    assert response.content == b""


@pytest.mark.parametrize("refusal", ["AccessDenied", "NoSuchKey"])
def test_sink_refusal_is_answered_as_that_s3_error(
    url: str, sink: RecordingSink, refusal: str
) -> None:
    sink.refusal = refusal
    response = requests.put(url, data=CSV, headers=SSE)
    expected = {
        "AccessDenied": (403, "Access Denied"),
        "NoSuchKey": (404, "The specified key does not exist."),
    }[refusal]
    assert (response.status_code, error_of(response.content)[1]) == expected
    assert error_of(response.content)[0] == refusal
    assert sink.calls == [(BUCKET, KEY, CSV)]


def test_sink_failure_is_an_internal_error_kept_for_the_owner(
    server: LoopbackServer, url: str, sink: RecordingSink
) -> None:
    sink.raises = RuntimeError("job state machine broke")
    response = requests.put(url, data=CSV, headers=SSE)
    assert (response.status_code, error_of(response.content)) == (
        500,
        ("InternalError", "We encountered an internal error. Please try again."),
    )
    assert server.errors == [sink.raises]


def test_malformed_request_line_is_a_bad_request_and_the_server_carries_on(
    server: LoopbackServer, url: str, sink: RecordingSink
) -> None:
    assert server.base_url is not None
    answer = raw_request(server.base_url, b"NONSENSE\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert error_of(answer.split(b"\r\n\r\n", 1)[1])[0] == "BadRequest"
    assert requests.put(url, data=CSV, headers=SSE).status_code == 200


def test_garbage_paths_are_refused_not_crashed_on(server: LoopbackServer) -> None:
    for path in ("/", "/%ff%fe/..", "//x?X-Amz-Signature=&&==", "/a?X-Amz-Date=%00"):
        response = requests.put(f"{server.base_url}{path}", data=b"x", headers=SSE)
        assert response.status_code in (400, 403), path
        assert error_of(response.content)[0] in (
            "AccessDenied",
            "AuthorizationQueryParametersError",
        )


# -- lifecycle -----------------------------------------------------------------------------


def test_start_is_idempotent(sink: RecordingSink) -> None:
    server = s3_server(sink)
    assert server.base_url is None
    try:
        base_url = server.start()
        assert base_url.startswith("http://127.0.0.1:")
        assert server.start() == base_url == server.base_url
    finally:
        server.stop()


def test_stopped_server_refuses_connections_and_stop_is_idempotent(
    sink: RecordingSink,
) -> None:
    server = s3_server(sink)
    base_url = server.start()
    url = presigned_put_url(base_url, "us-west-2", BUCKET, KEY, clock.now())
    server.stop()
    assert server.base_url is None
    with pytest.raises(requests.ConnectionError):
        requests.put(url, data=CSV, headers=SSE)
    server.stop()
    assert sink.calls == []


def test_stop_closes_idle_keep_alive_connections(url: str, server: LoopbackServer) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc)
    connection.request("PUT", f"{parts.path}?{parts.query}", body=CSV, headers=SSE)
    assert connection.getresponse().read() == b""
    server.stop()
    with pytest.raises((http.client.HTTPException, OSError)):
        connection.request("PUT", f"{parts.path}?{parts.query}", body=CSV, headers=SSE)
        connection.getresponse()
    connection.close()


def test_server_can_start_again_after_stop(sink: RecordingSink) -> None:
    server = s3_server(sink)
    server.start()
    server.stop()
    try:
        base_url = server.start()
        url = presigned_put_url(base_url, "us-west-2", BUCKET, KEY, clock.now())
        assert requests.put(url, data=CSV, headers=SSE).status_code == 200
    finally:
        server.stop()
    assert sink.stored == {(BUCKET, KEY): CSV}


def test_several_servers_in_one_process_each_serve_their_own_sink() -> None:
    sinks = [RecordingSink(), RecordingSink()]
    servers = [s3_server(sink) for sink in sinks]
    try:
        first, second = (server.start() for server in servers)
        assert first != second
        url = presigned_put_url(first, "us-west-2", BUCKET, KEY, clock.now())
        assert requests.put(url, data=CSV, headers=SSE).status_code == 200
        # The same URL aimed at the other server: the signed Host no longer matches.
        response = requests.put(url.replace(first, second), data=CSV, headers=SSE)
        assert error_of(response.content) == ("SignatureDoesNotMatch", MISMATCH)
    finally:
        for server in servers:
            server.stop()
    assert [len(sink.calls) for sink in sinks] == [1, 0]


def test_concurrent_uploads_all_arrive(server: LoopbackServer, sink: RecordingSink) -> None:
    assert server.base_url is not None
    base_url = server.base_url
    keys = [f"123456789012/us-west-2_EXAMPLE/import-{i:010d}" for i in range(8)]
    statuses: list[int] = []

    def upload(key: str) -> None:
        url = presigned_put_url(base_url, "us-west-2", BUCKET, key, clock.now())
        statuses.append(requests.put(url, data=key.encode(), headers=SSE).status_code)

    threads = [threading.Thread(target=upload, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(keys)
    assert sink.stored == {(BUCKET, key): key.encode() for key in keys}
