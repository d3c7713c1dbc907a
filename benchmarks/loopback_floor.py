"""(m)'s floor: the least an HTTP server on loopback can do for a cognito-idp call.

    python benchmarks/loopback_floor.py BODIES.json

A stdlib ``http.server.ThreadingHTTPServer`` (HTTP/1.1, connections kept alive) on
127.0.0.1 and a free port. Every POST's body is read and answered with the canned body that
BODIES.json holds for its ``X-Amz-Target`` (``{"AWSCognitoIdentityProviderService.Op": "<body>"}``,
bodies the mock itself sent for those calls), with the headers the mock sends: Content-Type
application/x-amz-json-1.1, x-amzn-RequestId and Content-Length (plus the stdlib's Server and
Date), head and body written as the mock's server writes them, with TCP_NODELAY set. No
parsing, no state, no logging. The first line on stdout is
``floor serving at http://127.0.0.1:<port>``; SIGTERM stops it.

Standard library only, so that the floor pays for nothing but HTTP.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REQUEST_ID = "3b7d3d3e-2f4c-4a7e-9a53-3f5f2c2b8f11"
CONTENT_TYPE = "application/x-amz-json-1.1"
UNKNOWN = b'{"__type":"UnknownOperationException"}'


def handler_for(bodies: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY (the stdlib's own switch): the head and the body go out in two writes,
        # and without it the body waits for the client's delayed ACK of the head (~40 ms on
        # Linux) on every kept-alive call.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = bodies.get(self.headers.get("X-Amz-Target") or "")
            self.send_response(200 if body is not None else 400)
            self.send_header("Content-Type", CONTENT_TYPE)
            self.send_header("x-amzn-RequestId", REQUEST_ID)
            if body is None:
                body = UNKNOWN
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Silent, as the mock's server is."""

    return Handler


def main(bodies_file: str) -> int:
    with open(bodies_file, encoding="utf-8") as file:
        bodies = {target: body.encode("utf-8") for target, body in json.load(file).items()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(bodies))
    server.daemon_threads = True
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    print(f"floor serving at http://{host}:{port}", flush=True)
    try:
        while not stopping.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
