"""A loopback HTTP/1.1 server for an :class:`~.messages.Endpoint`.

It knows nothing of what it serves. For each request it reads the head, asks the endpoint for an
early answer (:meth:`~.messages.Endpoint.preflight`: a refusal decided before any body is read,
or before ``100 Continue`` is sent), reads the body (``Content-Length`` or chunked), asks the
endpoint for the answer and sends it. A request it cannot read is answered by the endpoint's
:meth:`~.messages.Endpoint.malformed`; an exception from the endpoint is kept in
:attr:`LoopbackServer.errors` and answered as ``malformed(..., "internal")``.

It binds loopback addresses only, runs in daemon threads, keeps connections alive, never writes
to stderr, and :meth:`LoopbackServer.stop` closes every connection and joins every thread.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import re
import socket
import socketserver
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from .messages import Endpoint, HttpRequest, HttpResponse

#: Seconds a connection may sit idle (or stall mid-body) before it is dropped.
DEFAULT_IDLE_TIMEOUT = 20.0
#: The largest body read; a larger one is refused as malformed before it is read.
MAX_BODY_BYTES = 128 * 1024 * 1024
#: How long, and for how many bytes, to keep reading after refusing a body not read.
_LINGER_SECONDS = 0.5
_LINGER_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024
_DIGITS = re.compile(r"\d+")
_SERVER_NAME = "pytest-cognito-mock"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackServer:
    """A ThreadingHTTPServer for ``endpoint`` on a loopback address, in a daemon thread.

    ``port`` 0 picks a free port. ``idle_timeout`` is how many wall-clock seconds a connection
    may sit idle, or stall mid-body, before it is dropped.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        name: str = "pytest-cognito-mock endpoint",
    ) -> None:
        if not is_loopback(host):
            raise ValueError(
                f"the loopback server binds loopback addresses only (127.0.0.1, ::1, "
                f"localhost), not {host!r}"
            )
        self._endpoint = endpoint
        self._address = (host, port)
        self._idle_timeout = idle_timeout
        self._name = name
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        #: Exceptions the endpoint raised while answering (each answered as an internal error).
        self.errors: list[BaseException] = []

    def start(self) -> str:
        """Bind and serve if not yet serving; return the base URL ``http://127.0.0.1:<port>``."""
        with self._lock:
            if self._server is None:
                server = _Server(self._address, self._endpoint, self.errors, self._idle_timeout)
                thread = threading.Thread(
                    target=server.serve_forever,
                    kwargs={"poll_interval": 0.05},  # how soon stop() is noticed
                    name=f"{self._name} {server.base_url}",
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
        while holding a lock the endpoint takes (a request in progress would wait for it)."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None or thread is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        thread.join()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        endpoint: Endpoint,
        errors: list[BaseException],
        idle_timeout: float,
    ) -> None:
        self.endpoint = endpoint
        self.errors = errors
        self.idle_timeout = idle_timeout
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        self._closing = False
        host = "127.0.0.1" if address[0] == "localhost" else address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, address[1]), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host name up (getfqdn); loopback needs no DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def base_url(self) -> str:
        host = f"[{self.server_name}]" if ":" in self.server_name else self.server_name
        return f"http://{host}:{self.server_port}"

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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and Expect: 100-continue, as clients expect
    # Answers go out at once: with Nagle's algorithm a body sent after its head waits for the
    # client's delayed ACK of the head (about 40 ms a response on Linux).
    disable_nagle_algorithm = True
    # A buffered wfile, flushed once an answer is complete, so head and body go in one write.
    wbufsize = 64 * 1024
    # Answer even a garbled request line with a status line and headers (the stdlib would
    # treat it as HTTP/0.9 and send a bare body).
    default_request_version = "HTTP/1.1"

    _expects_continue = False

    @property
    def _owner(self) -> _Server:
        return cast(_Server, self.server)

    # -- stdlib hooks ------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self._owner.idle_timeout)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the server must never write to stderr."""

    def handle_one_request(self) -> None:
        # The stdlib's loop, minus its per-method dispatch: every method goes to _serve.
        self._expects_continue = False
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self._send(self._owner.endpoint.malformed(None, "request"))
                return
            if not self.parse_request():
                return  # parse_request answered through send_error
            self._serve()
            self.wfile.flush()
        except (TimeoutError, OSError):
            self.close_connection = True

    def handle_expect_100(self) -> bool:
        # Answer "100 Continue" only once the endpoint has passed the head, so a refused
        # upload is refused before the client sends its body.
        self._expects_continue = True
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's own refusals (bad request line or headers) as the endpoint says."""
        self._send(replace(self._owner.endpoint.malformed(None, "request"), close=True))

    # -- serving -----------------------------------------------------------------------------

    def _serve(self) -> None:
        owner = self._owner
        endpoint = owner.endpoint
        head = HttpRequest.of(self.command, self._url(), self.headers.items())
        try:
            early = endpoint.preflight(head)
        except Exception as raised:
            owner.errors.append(raised)
            early = endpoint.malformed(head, "internal")
        if early is not None:
            self._refuse(early)
            return
        length = self._declared_length()
        if length is not None and length > MAX_BODY_BYTES:
            self._refuse(endpoint.malformed(head, "request"))
            return
        if self._expects_continue:
            self.send_response_only(100)
            self.end_headers()
            self.wfile.flush()
        body = self._read_body(length)
        if isinstance(body, str):
            self._send(replace(endpoint.malformed(head, body), close=True))
            return
        try:
            response = endpoint.handle(replace(head, body=body))
        except Exception as raised:
            owner.errors.append(raised)
            response = endpoint.malformed(head, "internal")
        self._send(response)

    def _url(self) -> str:
        if not self.path.startswith("/"):  # absolute-form (http://host/path), as proxies are sent
            return self.path
        host = self.headers.get("Host") or f"{self._owner.server_name}:{self._owner.server_port}"
        return f"http://{host}{self.path}"

    def _declared_length(self) -> int | None:
        """The body length the request announced; None for a chunked body."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return None
        text = (self.headers.get("Content-Length") or "0").split(",")[0].strip()
        return int(text) if _DIGITS.fullmatch(text) else 0

    def _read_body(self, length: int | None) -> bytes | str:
        """The body, or the problem that stopped it (``incomplete-body``, ``body-timeout``)."""
        try:
            return self._read_exactly(length) if length is not None else self._read_chunked()
        except TimeoutError:
            return "body-timeout"
        except (OSError, ValueError):
            return "incomplete-body"

    def _read_exactly(self, length: int) -> bytes:
        chunks: list[bytes] = []
        remaining = length
        while remaining:
            chunk = self.rfile.read(min(remaining, _CHUNK))
            if not chunk:
                raise ValueError("the client hung up before sending the whole body")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024)
            if not size_line:
                raise ValueError("the client hung up inside a chunked body")
            size = int(size_line.split(b";")[0].strip() or b"x", 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY_BYTES:
                raise ValueError("chunked body too large")
            chunks.append(self._read_exactly(size))
            self._read_exactly(2)  # the CRLF after each chunk
        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)

    def _refuse(self, response: HttpResponse) -> None:
        """Send a refusal for a request whose body has not been read."""
        length = self._declared_length()
        if response.close or self._expects_continue or length is None or length > MAX_BODY_BYTES:
            # The client waits for "100 Continue" (or the body is unbounded): answer now, close.
            self._send(replace(response, close=True))
            self._drain()
        elif isinstance(self._read_body(length), str):
            self._send(replace(response, close=True))
        else:
            self._send(response)

    def _drain(self) -> None:
        """After answering without reading the body, read briefly what the client had already
        sent, so closing does not reset the connection before it reads the answer."""
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

    def _send(self, response: HttpResponse) -> None:
        self.send_response_only(response.status)
        self.send_header("Date", email.utils.formatdate(usegmt=True))
        names = {name.lower() for name, _ in response.headers}
        if "server" not in names:
            self.send_header("Server", _SERVER_NAME)
        for name, value in response.headers:
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        is_head = self.command == "HEAD"
        self.send_header("Content-Length", "0" if is_head else str(len(response.body)))
        if response.close:
            self.send_header("Connection", "close")  # also sets self.close_connection
        self.end_headers()
        if response.body and not is_head:
            self.wfile.write(response.body)
        self.wfile.flush()  # head and body leave together (wfile is buffered: see wbufsize)
