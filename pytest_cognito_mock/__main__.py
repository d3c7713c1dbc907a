"""``python -m pytest_cognito_mock serve``: the mock as a standalone loopback server.

For local development and for programs in other languages: the same service, the same
behaviour as in a test, on ``http://127.0.0.1:9229`` by default. State lives in memory only and
is gone when the server stops (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from ._options import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, make_options
from .http.server import LoopbackServer
from .service import CognitoService

DEFAULT_PORT = 9229


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pytest_cognito_mock",
        description="pytest-cognito-mock outside pytest.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    serve = commands.add_parser(
        "serve",
        help="serve an in-memory Cognito user pool service on a loopback port",
        description=(
            "Serve an in-memory Amazon Cognito user pool service (cognito-idp) over HTTP on a "
            "loopback address: the JSON API, each pool's .well-known documents and the import "
            "jobs' uploads. Point an AWS SDK or the aws CLI at it with "
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=<its URL>. All state is held in memory "
            "and is lost when the server stops (Ctrl-C or SIGTERM)."
        ),
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="a loopback address (default %(default)s)"
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="0 picks a free port (default %(default)s)"
    )
    serve.add_argument(
        "--region",
        default=DEFAULT_REGION,
        help="region of calls that name none (default %(default)s)",
    )
    serve.add_argument(
        "--account-id", default=DEFAULT_ACCOUNT_ID, help="account in ARNs (default %(default)s)"
    )
    return parser


def serve(
    host: str,
    port: int,
    region: str,
    account_id: str,
    *,
    stopping: threading.Event | None = None,
    announce: Callable[[str], None] | None = None,
) -> int:
    """Serve until ``stopping`` is set (default: until SIGTERM or Ctrl-C); the exit status.

    ``announce`` receives each line the server reports (default: print it)."""
    say = announce or (lambda line: print(line, flush=True))
    try:
        # Nobody reads the record of calls here, and it would grow for as long as it serves.
        service = CognitoService(
            make_options(region=region, account_id=account_id), record_calls=False
        )
        server = LoopbackServer(
            service.router.loopback, host=host, port=port, name="pytest-cognito-mock serve"
        )
    except ValueError as invalid:
        print(f"error: {invalid}", file=sys.stderr)
        return 2
    service.open()
    try:
        url = server.start()
    except OSError as failed:
        print(
            f"error: cannot listen on {host}:{port}: {failed.strerror or failed}", file=sys.stderr
        )
        return 1
    own_signals = stopping is None and threading.current_thread() is threading.main_thread()
    stopping = stopping or threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stopping.set()) if own_signals else None
    say(f"pytest-cognito-mock serving cognito-idp at {url} (in memory; Ctrl-C stops)")
    try:
        while not stopping.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if own_signals:
            signal.signal(signal.SIGTERM, previous)
        server.stop()
        service.close()
    say("pytest-cognito-mock stopped")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    return serve(arguments.host, arguments.port, arguments.region, arguments.account_id)


if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess
    sys.exit(main())
