"""A loopback HTTP server standing in for the S3 bucket behind presigned PUT URLs.

It knows nothing about Cognito: it checks each request as S3 would (method, body framing and
size, then the presigned query via :func:`~.presign.verify_presigned_put`) and hands a verified
body to an :class:`UploadSink`, which stores it or names the S3 error to answer.

What it answers, in the order it decides:

* a malformed request line or headers: 400 ``BadRequest``;
* ``POST`` and any method S3 has no object operation for: 405 ``MethodNotAllowed``;
* ``GET /<poolId>/.well-known/jwks.json`` and ``GET /<poolId>/.well-known/openid-configuration``,
  when the sink is also a :class:`WellKnownSource` (the mock): the pool's JSON document, or 404;
* ``GET``/``HEAD``/``DELETE``: the presigned check for that method, which a URL signed for PUT
  fails (403 ``SignatureDoesNotMatch``, or ``AccessDenied`` once expired), as on S3;
* a PUT with ``Transfer-Encoding`` (chunked): 501 ``NotImplemented`` naming the header (S3
  takes no chunked uploads); without ``Content-Length``: 411 ``MissingContentLength``;
* ``Content-Length`` over :data:`MAX_UPLOAD_BYTES`: 400 ``EntityTooLarge``, decided from the
  header alone, before any of the body is read;
* the presigned query (parameters, expiry against the mock's clock, signature);
* the body (``IncompleteBody`` if the client hangs up before sending what it announced,
  ``RequestTimeout`` if it stalls for ``idle_timeout`` seconds), then the sink;
  success is 200 with ``ETag: "<md5 hex>"`` and ``x-amz-server-side-encryption: aws:kms``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import socketserver
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, cast, runtime_checkable

from pytest_cognito_mock.backend import clock as backend_clock

from .presign import SSE_HEADER, SSE_VALUE, VerifyResult, verify_presigned_put
from .s3_errors import S3Error, new_host_id, new_request_id, s3_error

#: The largest body accepted: the 100 MB ceiling on a Cognito user import CSV, as 100 MiB.
MAX_UPLOAD_BYTES = 100 * 1024 * 1024

#: Methods S3 has an object operation for: checked against the presigned query like PUT.
_AUTHENTICATED_METHODS = ("GET", "HEAD", "DELETE")
#: Methods refused outright (anything else the handler has no do_ method for goes the same way).
_REFUSED_METHODS = ("POST", "PATCH", "OPTIONS", "TRACE", "CONNECT")
#: Seconds a connection may sit idle (or stall mid-body) before it is dropped, like S3's.
DEFAULT_IDLE_TIMEOUT = 20.0
#: How long, and for how many bytes, to keep reading after refusing a body not read.
_LINGER_SECONDS = 0.5
_LINGER_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024
_DIGITS = re.compile(r"\d+")
#: A pool's published documents; the pool id pattern keeps S3 bucket paths out of this route.
_WELL_KNOWN_PATH = re.compile(
    r"/(?P<pool_id>[\w-]+_[0-9a-zA-Z]+)/\.well-known/(?P<document>jwks\.json|openid-configuration)"
)


class UploadSink(Protocol):
    """Where verified uploads go: the owner of the presigned URLs."""

    def accept_upload(self, bucket: str, key: str, body: bytes) -> str | None:
        """Store ``body`` as ``bucket``/``key``; None when stored, else the S3 error code to
        answer (``AccessDenied``, ``NoSuchBucket``, ``NoSuchKey``…). Called from server
        threads."""
        ...


@runtime_checkable
class WellKnownSource(Protocol):
    """A sink that also publishes user pools' ``/.well-known`` documents."""

    def well_known_response(
        self,
        pool_id: str,
        document: str,
        *,
        region: str | None = None,
        base_url: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """The HTTP status and JSON body for ``GET /<pool_id>/.well-known/<document>``
        (``document``: ``jwks.json`` or ``openid-configuration``). ``region`` None accepts a
        pool of any region; ``base_url`` is where the document's own URLs should point."""
        ...


class LoopbackServer:
    """A ThreadingHTTPServer on 127.0.0.1 (ephemeral port) in a daemon thread.

    ``clock`` gives the time expiry is judged by; it defaults to the mock's clock, read at
    each request, so freezegun and time-machine move it. ``idle_timeout`` is how many
    wall-clock seconds a connection may sit idle, or stall mid-body, before it is dropped.
    Exceptions raised by the sink are answered as 500 ``InternalError`` and kept in
    :attr:`sink_errors` for the owner to raise.
    """

    def __init__(
        self,
        sink: UploadSink,
        *,
        clock: Callable[[], float] | None = None,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        self._sink = sink
        self._clock = clock if clock is not None else backend_clock.now
        self._idle_timeout = idle_timeout
        self._lock = threading.Lock()
        self._server: _UploadHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.sink_errors: list[BaseException] = []

    def start(self) -> str:
        """Bind and serve if not yet serving; return the base URL ``http://127.0.0.1:<port>``."""
        with self._lock:
            if self._server is None:
                server = _UploadHTTPServer(
                    self._sink, self._clock, self.sink_errors, self._idle_timeout
                )
                thread = threading.Thread(
                    target=server.serve_forever,
                    kwargs={"poll_interval": 0.05},  # how soon stop() is noticed
                    name=f"pytest-cognito-mock S3 {server.base_url}",
                    daemon=True,
                )
                thread.start()
                self._server, self._thread = server, thread
            return self._server.base_url

    @property
    def base_url(self) -> str | None:
        """``http://127.0.0.1:<port>`` while serving, else None."""
        server = self._server
        return None if server is None else server.base_url

    def stop(self) -> None:
        """Stop serving: close the listening socket and every open connection, join the
        threads. Idempotent; afterwards connections to the old port are refused. Do not call it
        while holding a lock the sink takes (an upload in progress would wait for it)."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None or thread is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        thread.join()


class _UploadHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        sink: UploadSink,
        clock: Callable[[], float],
        sink_errors: list[BaseException],
        idle_timeout: float,
    ) -> None:
        self.sink = sink
        self.clock = clock
        self.sink_errors = sink_errors
        self.idle_timeout = idle_timeout
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        self._closing = False
        super().__init__(("127.0.0.1", 0), _UploadHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host name up (getfqdn); loopback needs no DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        # Track each connection so stop() can end keep-alive ones still waiting for a request.
        with self._connections_lock:
            if self._closing:
                self.shutdown_request(request)
                return
            self._connections[request] = threading.current_thread()
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.pop(request, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Never print: a client that hangs up mid-request is not the test's failure."""

    def close_connections(self) -> None:
        with self._connections_lock:
            self._closing = True
            open_connections = list(self._connections.items())
        for connection, _ in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for _, thread in open_connections:
            thread.join(timeout=5.0)


class _UploadHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and Expect: 100-continue, as clients expect
    # Answer even a garbled request line with a status line and headers (the stdlib would
    # treat it as HTTP/0.9 and send a bare body).
    default_request_version = "HTTP/1.1"

    _request_id = ""
    _host_id = ""
    _expects_continue = False

    @property
    def _owner(self) -> _UploadHTTPServer:
        return cast(_UploadHTTPServer, self.server)

    # -- stdlib hooks ------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self._owner.idle_timeout)

    def version_string(self) -> str:
        return "AmazonS3"

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the server must never write to stderr."""

    def parse_request(self) -> bool:
        self._request_id, self._host_id = new_request_id(), new_host_id()
        self._expects_continue = False
        return super().parse_request()

    def handle_expect_100(self) -> bool:
        # Answer "100 Continue" only once the request has passed every check (as S3 does), so
        # a refused upload is refused before the client sends its body.
        self._expects_continue = True
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's own refusals (bad request line, unknown method…) as S3 XML."""
        if code == 501 and self.command:
            self._send_error(self._method_not_allowed(), close=True)
        else:
            error = s3_error("BadRequest")
            self._send_error(S3Error(error.code, code, error.message), close=True)

    # -- methods -----------------------------------------------------------------------------

    def do_PUT(self) -> None:
        if "Transfer-Encoding" in self.headers:
            header = (("Header", "Transfer-Encoding"),)
            self._refuse_unread(s3_error("NotImplemented", details=header))
            return
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            self._refuse_unread(s3_error("MissingContentLength"))
            return
        if len(set(lengths)) != 1 or not _DIGITS.fullmatch(lengths[0].strip()):
            self._refuse_unread(s3_error("BadRequest"))
            return
        length = int(lengths[0])
        if length > MAX_UPLOAD_BYTES:
            sizes = (("ProposedSize", str(length)), ("MaxSizeAllowed", str(MAX_UPLOAD_BYTES)))
            self._refuse_unread(s3_error("EntityTooLarge", details=sizes))
            return
        verified = self._verify()
        if verified.error is not None:
            self._refuse_body(verified.error, length)
            return
        if self._expects_continue:
            self.send_response_only(100)
            self.end_headers()
        body = self._read_body(length)
        if isinstance(body, S3Error):
            self._send_error(body, close=True)
            return
        refusal = self._deliver(verified.bucket, verified.key, body)
        if refusal is not None:
            self._send_error(refusal)
            return
        etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
        self._send(200, [("ETag", f'"{etag}"'), (SSE_HEADER, SSE_VALUE)], b"")

    def _authenticated(self) -> None:
        # GET/HEAD/DELETE exist on S3 objects, so S3 checks the URL for them; a URL signed for
        # PUT never passes (the method is signed), and this bucket serves nothing back anyway.
        length = self._declared_length()
        verified = self._verify()
        self._refuse_body(verified.error or s3_error("AccessDenied"), length)

    do_HEAD = do_DELETE = _authenticated

    def do_GET(self) -> None:
        route = _WELL_KNOWN_PATH.fullmatch(self.path.partition("?")[0])
        sink = self._owner.sink
        if route is None or not isinstance(sink, WellKnownSource):
            self._authenticated()
            return
        try:
            status, document = sink.well_known_response(
                route["pool_id"], route["document"], base_url=self._owner.base_url
            )
        except Exception as raised:
            self._owner.sink_errors.append(raised)
            self._send_error(s3_error("InternalError"), close=True)
            return
        body = json.dumps(document, separators=(",", ":")).encode("utf-8")
        # A GET carries no body worth reading; one announced anyway ends the connection.
        close = self._declared_length() != 0
        self._send(status, [("Content-Type", "application/json")], body, close=close)

    def _refused(self) -> None:
        self._refuse_body(self._method_not_allowed(), self._declared_length())

    do_POST = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refused

    # -- pieces ------------------------------------------------------------------------------

    def _verify(self) -> VerifyResult:
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        return verify_presigned_put(
            self.path,
            self.headers.get("Host", ""),
            headers,
            self._owner.clock(),
            method=self.command,
        )

    def _method_not_allowed(self) -> S3Error:
        parts = [part for part in self.path.partition("?")[0].split("/") if part]
        resource = ("SERVICE", "BUCKET")[len(parts)] if len(parts) < 2 else "OBJECT"
        details = (("Method", str(self.command)), ("ResourceType", resource))
        return s3_error("MethodNotAllowed", details=details)

    def _declared_length(self) -> int | None:
        """The body length a non-PUT request announced, if it can be read off safely."""
        if "Transfer-Encoding" in self.headers:
            return None
        text = (self.headers.get("Content-Length") or "0").strip()
        return int(text) if _DIGITS.fullmatch(text) else None

    def _deliver(self, bucket: str, key: str, body: bytes) -> S3Error | None:
        try:
            code = self._owner.sink.accept_upload(bucket, key, body)
        except Exception as raised:
            self._owner.sink_errors.append(raised)
            return s3_error("InternalError")
        if code is None:
            return None
        details = {"NoSuchBucket": (("BucketName", bucket),), "NoSuchKey": (("Key", key),)}
        return s3_error(code, details=details.get(code, ()))

    def _read_body(self, length: int) -> bytes | S3Error:
        """Exactly ``length`` bytes of body, or S3's error for a client that hung up before
        sending them all (``IncompleteBody``) or stalled (``RequestTimeout``)."""
        chunks: list[bytes] = []
        remaining = length
        try:
            while remaining:
                chunk = self.rfile.read(min(remaining, _CHUNK))
                if not chunk:
                    return s3_error("IncompleteBody")
                chunks.append(chunk)
                remaining -= len(chunk)
        except TimeoutError:
            return s3_error("RequestTimeout")
        except OSError:
            return s3_error("IncompleteBody")
        return b"".join(chunks)

    def _refuse_body(self, error: S3Error, length: int | None) -> None:
        """Refuse a request whose body (``length`` bytes, if known) has not been read."""
        if self._expects_continue or length is None or length > MAX_UPLOAD_BYTES:
            # The client waits for "100 Continue" (or the body is unbounded): answer now, close.
            self._refuse_unread(error)
        elif isinstance(self._read_body(length), S3Error):
            self._send_error(error, close=True)
        else:
            self._send_error(error)

    def _refuse_unread(self, error: S3Error) -> None:
        """Answer and close without reading the body, then drain briefly what the client had
        already sent, so closing does not reset the connection before it reads the answer."""
        self._send_error(error, close=True)
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(_LINGER_SECONDS)
            drained = 0
            while drained < _LINGER_BYTES:
                chunk = self.connection.recv(_CHUNK)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass

    def _send_error(self, error: S3Error, *, close: bool = False) -> None:
        body = error.xml(self._request_id or new_request_id(), self._host_id or new_host_id())
        self._send(error.status, [("Content-Type", "application/xml")], body, close=close)

    def _send(
        self, status: int, headers: list[tuple[str, str]], body: bytes, *, close: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("x-amz-request-id", self._request_id or new_request_id())
        self.send_header("x-amz-id-2", self._host_id or new_host_id())
        for name, value in headers:
            self.send_header(name, value)
        is_head = self.command == "HEAD"
        self.send_header("Content-Length", "0" if is_head else str(len(body)))
        if close:
            self.send_header("Connection", "close")  # also sets self.close_connection
        self.end_headers()
        if body and not is_head:
            self.wfile.write(body)
