"""(m) loopback endpoint: calls per second. Each contender is a server in a process of its own
on 127.0.0.1, called sequentially by one client over one kept-alive connection:

* **floor** - a stdlib ``ThreadingHTTPServer`` (``loopback_floor.py``, TCP_NODELAY) answering
  every call with the body the mock sent for it, captured before the timing: what HTTP on
  loopback costs with nothing behind it;
* **mock** - ``python -m pytest_cognito_mock serve``;
* **moto** - moto's server mode (``python -m moto.server``, the ``moto[server]`` extra);
* **cognito-local** - the npm package, run by node from ``benchmarks/node/node_modules``.

Clients: botocore (a boto3 client with ``endpoint_url`` and test credentials, in this process,
with no mock active: nothing is answered in process) and the AWS SDK for JavaScript v3 (one node
process per round and server, ``node/loop.mjs``, timing its own loop). Calls:
DescribeUserPoolClient, AdminGetUser and a password sign-in (AdminInitiateAuth,
ADMIN_USER_PASSWORD_AUTH, on an app client that allows it).

A contender that cannot run here (moto without its server extra, node or cognito-local not
installed) is reported as "not available: <reason>" instead of failing the run. Every server
is stopped at the end, even on error, and its port checked closed.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from auth import SIGN_IN, USERNAME, make_app
from harness import REGION, Settings, Timing, moto, time_batch
from table import Row, Section, duration, ratio

import pytest_cognito_mock._active

HERE = Path(__file__).resolve().parent
FLOOR_SCRIPT = HERE / "loopback_floor.py"
NODE_DIR = HERE / "node"
NODE_LOOP = NODE_DIR / "loop.mjs"
COGNITO_LOCAL = NODE_DIR / "node_modules" / "cognito-local"
JS_SDK = NODE_DIR / "node_modules" / "@aws-sdk" / "client-cognito-identity-provider"
NODE_INSTALL = "npm ci --prefix benchmarks/node"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."

DESCRIBE_USER_POOL_CLIENT, ADMIN_GET_USER, ADMIN_INITIATE_AUTH = (
    "DescribeUserPoolClient",
    "AdminGetUser",
    "AdminInitiateAuth",
)
CALLS = (DESCRIBE_USER_POOL_CLIENT, ADMIN_GET_USER, ADMIN_INITIATE_AUTH)
DESCRIBE_CALLS = (DESCRIBE_USER_POOL_CLIENT, ADMIN_GET_USER)
METHODS = {
    DESCRIBE_USER_POOL_CLIENT: "describe_user_pool_client",
    ADMIN_GET_USER: "admin_get_user",
    ADMIN_INITIATE_AUTH: "admin_initiate_auth",
}
CALL_LABELS = {ADMIN_INITIATE_AUTH: "AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH sign-in)"}
FLOOR, MOCK, MOTO, COGNITO_LOCAL_NAME = "floor", "mock", "moto", "cognito-local"
SERVERS = (FLOOR, MOCK, MOTO, COGNITO_LOCAL_NAME)
BOTOCORE, JAVASCRIPT = "botocore", "JavaScript SDK v3"
CLIENTS = (BOTOCORE, JAVASCRIPT)
#: The targets' names in table.TARGETS.
FLOOR_TARGET = "mock / floor, loopback"
SIGN_IN_TARGETS = {
    MOTO: "mock / moto, loopback sign-in",
    COGNITO_LOCAL_NAME: "mock / cognito-local, loopback sign-in",
}
#: How long a server may take to say where it listens, and to stop.
START_TIMEOUT, STOP_TIMEOUT = 60.0, 10.0
NODE_TIMEOUT = 900.0
#: The mock's server, as a user starts it; the first line it prints says where it listens.
MOCK_COMMAND = [sys.executable, "-m", "pytest_cognito_mock", "serve", "--port", "0"]
MOCK_READY = re.compile(r"serving cognito-idp at (http://127\.0\.0\.1:\d+)")
#: Fewest calls in a timed batch, whatever the time budget.
MIN_BATCH_CALLS = 5
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Unavailable(Exception):
    """A contender or client that cannot run here; the message says why."""


# -- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    label: str
    url: str | None = None
    reason: str | None = None  # why it is not available
    params: dict[str, dict[str, Any]] = field(default_factory=dict)  # per call
    stopped: str = ""  # how it ended, for the report


def _listening_addresses(port: int) -> set[str]:
    """The local addresses of listening TCP sockets on ``port`` (Linux /proc; empty elsewhere)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                address, hex_port = fields[1].split(":")
                if fields[3] == "0A" and int(hex_port, 16) == port and len(address) == width:
                    found.add(address)
    return found


def _is_loopback_hex(address: str) -> bool:
    if len(address) == 8:  # little-endian IPv4: 127.x.x.x ends in 7F
        return address.endswith("7F")
    return address == "00000000000000000000000001000000"  # ::1


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def subprocess_server(
    server: Server,
    command: list[str],
    ready: re.Pattern[str],
    *,
    cwd: str | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start ``command``, wait for a line matching ``ready`` (group 1: the URL) in its output,
    check that it listens on loopback only, and yield the URL (also set as ``server.url``). It
    is stopped (SIGTERM, then SIGKILL of its process group) on the way out, whatever happens,
    its port checked closed, and how it ended is kept in ``server.stopped``."""
    name = server.name
    # Its output goes to a file (a pipe nobody reads would fill up and stall a server that
    # logs every request); the file is read for the line that says it is ready.
    with tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            start_new_session=True,  # a process group of its own: its children stop with it
        )
        port = None
        try:
            url = _wait_ready(name, process, log.name, ready)
            port = int(url.rsplit(":", 1)[1].rstrip("/"))
            addresses = _listening_addresses(port)
            if any(not _is_loopback_hex(address) for address in addresses):
                raise Unavailable(f"{name} listens on a non-loopback address; not benchmarked")
            server.url = url
            yield url
        finally:
            server.stopped = _stop(process, port)


def _wait_ready(
    name: str, process: subprocess.Popen[bytes], log: str, ready: re.Pattern[str]
) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        with open(log, encoding="utf-8", errors="replace") as output:
            text = _ANSI.sub("", output.read())
        match = ready.search(text)
        if match:
            return match.group(1)
        if process.poll() is not None:
            last = [line for line in text.splitlines() if line.strip()][-3:]
            raise Unavailable(
                f"{name} exited with status {process.returncode}: " + " / ".join(last)
            )
        time.sleep(0.05)
    raise Unavailable(f"{name} did not say where it listens within {START_TIMEOUT:g} s")


def _stop(process: subprocess.Popen[bytes], port: int | None) -> str:
    """Stop the server; what happened, for the report."""
    outcome = "stopped (SIGTERM)"
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group it leads, by its id
            process.wait(STOP_TIMEOUT)
            outcome = f"killed (no exit {STOP_TIMEOUT:g} s after SIGTERM)"
    else:
        outcome = f"had exited by itself (status {process.returncode})"
    if port is not None:
        deadline = time.monotonic() + STOP_TIMEOUT
        while _port_open(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _port_open(port):
            outcome += f"; port {port} STILL OPEN"
            print(f"warning: port {port} still open after stopping", file=sys.stderr)
        else:
            outcome += f"; port {port} closed"
    return outcome


def botocore_client(url: str) -> Any:
    """A plain boto3 client for the server at ``url`` (test credentials from the environment)."""
    return boto3.client("cognito-idp", region_name=REGION, endpoint_url=url)


def _check_no_mock_active() -> None:
    if pytest_cognito_mock._active._entries:
        raise RuntimeError(
            "a CognitoMock is active in the benchmark process: botocore would be answered in "
            "process, not over HTTP"
        )


def _app_params(client: Any, server: Server) -> None:
    """Make the pool, app client and user on ``server``; the three calls' parameters."""
    app = make_app(client)  # signs in once, so the flow is known to work
    server.params = {
        DESCRIBE_USER_POOL_CLIENT: {"UserPoolId": app.pool_id, "ClientId": app.client_id},
        ADMIN_GET_USER: {"UserPoolId": app.pool_id, "Username": USERNAME},
        ADMIN_INITIATE_AUTH: app.params(SIGN_IN),
    }


def capture_bodies(client: Any, server: Server) -> dict[str, str]:
    """The mock's own wire answer to each call, keyed by X-Amz-Target: the floor's bodies."""
    bodies: dict[str, str] = {}
    for call in CALLS:
        captured: list[bytes] = []

        def keep(http_response: Any, captured: list[bytes] = captured, **_: Any) -> None:
            captured.append(http_response.content)

        event = f"after-call.cognito-identity-provider.{call}"
        client.meta.events.register(event, keep)
        getattr(client, METHODS[call])(**server.params[call])
        client.meta.events.unregister(event, keep)
        bodies[TARGET_PREFIX + call] = captured[-1].decode("utf-8")
    return bodies


@functools.cache
def _node() -> tuple[str, str]:
    """(path, version) of a node that can run the SDK (>= 20); Unavailable otherwise."""
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node not found on PATH")
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False, timeout=30
    ).stdout.strip()
    major = re.match(r"v(\d+)", version)
    if major is None or int(major.group(1)) < 20:
        raise Unavailable(f"node {version or '?'} found, the SDK needs node >= 20")
    return node, version


def _package_version(folder: Path) -> str:
    if not (folder / "package.json").is_file():
        raise Unavailable(f"{folder.name} not installed (run `{NODE_INSTALL}`)")
    version: str = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    return version


def start_servers(stack: contextlib.ExitStack, servers: dict[str, Server]) -> None:
    """Start every contender it can (each one's stop registered on ``stack``), make the app on
    each, and give the floor the mock's own answers."""
    env = dict(os.environ)
    # The mock first: its answers are the floor's bodies. It must start: it is the package.
    mock = servers[MOCK]
    url = stack.enter_context(subprocess_server(mock, MOCK_COMMAND, MOCK_READY, env=env))
    _app_params(botocore_client(url), mock)
    bodies = capture_bodies(botocore_client(url), mock)

    floor = servers[FLOOR]
    folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-floor-"))
    bodies_file = Path(folder) / "bodies.json"
    bodies_file.write_text(json.dumps(bodies), encoding="utf-8")
    stack.enter_context(
        subprocess_server(
            floor,
            [sys.executable, str(FLOOR_SCRIPT), str(bodies_file)],
            re.compile(r"floor serving at (http://127\.0\.0\.1:\d+)"),
            env=env,
        )
    )
    floor.params = mock.params  # it answers whatever it is asked with the mock's body

    _optional(stack, servers[MOTO], lambda: _start_moto(stack, servers[MOTO], env))
    cognito_local = servers[COGNITO_LOCAL_NAME]
    _optional(stack, cognito_local, lambda: _start_cognito_local(stack, cognito_local, env))


def _optional(stack: contextlib.ExitStack, server: Server, start: Callable[[], str]) -> None:
    """Start a peer and make the app on it; when it cannot, say why in ``server.reason``."""
    try:
        _app_params(botocore_client(start()), server)
    except Unavailable as why:
        server.reason = str(why)
    except Exception as failed:  # a peer that fails the setup is reported, not fatal
        server.reason = f"setup failed: {type(failed).__name__}: {failed}"


def _start_moto(stack: contextlib.ExitStack, server: Server, env: dict[str, str]) -> str:
    if moto is None:
        raise Unavailable("moto not installed")
    missing = [m for m in ("flask", "flask_cors") if importlib.util.find_spec(m) is None]
    if missing:
        raise Unavailable(
            f'moto\'s server mode needs {" and ".join(missing)}: pip install "moto[server]"'
        )
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"]
    ready = re.compile(r"Running on (http://127\.0\.0\.1:\d+)")
    return stack.enter_context(subprocess_server(server, command, ready, env=env))


def _start_cognito_local(stack: contextlib.ExitStack, server: Server, env: dict[str, str]) -> str:
    node, node_version = _node()
    version = _package_version(COGNITO_LOCAL)
    server.label = f"cognito-local {version} (node {node_version})"
    # Its config and its JSON "database" live in .cognito/ under its working directory. By
    # default its pools take email as username (UsernameAttributes: ["email"]); the other
    # contenders' pools have no alias, so neither does this one.
    data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-cognito-local-")))
    (data / ".cognito").mkdir()
    config = {"UserPoolDefaults": {"UsernameAttributes": []}}
    (data / ".cognito" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return stack.enter_context(
        subprocess_server(
            server,
            [node, str(COGNITO_LOCAL / "lib" / "bin" / "start.js")],
            re.compile(r"Cognito Local running on (http://127\.0\.0\.1:\d+)"),
            cwd=str(data),
            env={**env, "HOST": "127.0.0.1", "PORT": "0"},
        )
    )


# -- clients ------------------------------------------------------------------------------------


@contextlib.contextmanager
def counting_connections(port: int) -> Iterator[list[int]]:
    """How many TCP connections this process opens to ``port`` while the block runs."""
    count = [0]
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and len(address) >= 2 and address[1] == port:
            count[0] += 1
        return original(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    try:
        yield count
    finally:
        socket.socket.connect = original  # type: ignore[method-assign]


def batch_calls(warm_up_ns: float, settings: Settings) -> int:
    """Calls per timed batch: what fills the time budget at the warm-up's pace, at most
    ``loopback_calls`` (a slow contender gets fewer calls per batch, not a longer run)."""
    fitting = int(settings.loopback_batch_seconds * 1e9 / max(warm_up_ns, 1.0))
    return max(min(MIN_BATCH_CALLS, settings.loopback_calls), min(settings.loopback_calls, fitting))


def warm_up_calls(settings: Settings) -> int:
    return max(2, settings.loopback_calls // 10)


def run_botocore(server: Server, settings: Settings, results: Results) -> None:
    """One round of the botocore client against ``server``: every call it answers."""
    assert server.url is not None
    _check_no_mock_active()
    port = int(server.url.rsplit(":", 1)[1])
    with counting_connections(port) as connections:
        client = botocore_client(server.url)
        for call in CALLS:
            if server.reason or (BOTOCORE, call, server.name) in results.reasons:
                continue
            method, params = getattr(client, METHODS[call]), server.params[call]

            def operation(method: Any = method, params: dict[str, Any] = params) -> object:
                return method(**params)

            gc.collect()
            try:
                warm_up = time_batch(operation, warm_up_calls(settings))
                count = batch_calls(warm_up, settings)
                samples = [time_batch(operation, count) for _ in range(settings.batches)]
            except Exception as failed:
                why = f"{type(failed).__name__}: {failed}"
                results.reasons[(BOTOCORE, call, server.name)] = why
                continue
            results.timing(BOTOCORE, call, server.name).samples += samples
        client.close()
    results.note_connections(BOTOCORE, server.name, connections[0])


def run_javascript(server: Server, settings: Settings, results: Results) -> None:
    """One round of the JavaScript SDK (one node process) against ``server``."""
    assert server.url is not None
    calls = [
        {"name": call, "input": server.params[call]}
        for call in CALLS
        if not server.reason and (JAVASCRIPT, call, server.name) not in results.reasons
    ]
    if not calls:
        return
    plan = {
        "endpoint": server.url,
        "region": REGION,
        "maxCount": settings.loopback_calls,
        "minCount": min(MIN_BATCH_CALLS, settings.loopback_calls),
        "batchNs": settings.loopback_batch_seconds * 1e9,
        "warmup": warm_up_calls(settings),
        "batches": settings.batches,
        "calls": calls,
    }
    node, _ = _node()
    failure = None
    try:
        completed = subprocess.run(
            [node, str(NODE_LOOP), json.dumps(plan)],
            capture_output=True,
            text=True,
            check=False,
            timeout=NODE_TIMEOUT,
            cwd=NODE_DIR,
        )
        if completed.returncode != 0:
            last = completed.stderr.strip().splitlines()[-1:] or ["no output"]
            failure = f"node exited with status {completed.returncode}: {last[0]}"
    except subprocess.TimeoutExpired:
        failure = f"node did not finish within {NODE_TIMEOUT:g} s"
    if failure is not None:
        for call in calls:
            results.reasons[(JAVASCRIPT, call["name"], server.name)] = failure
        return
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    results.js_sdk = report["sdk"]
    for name, message in report["errors"].items():
        results.reasons[(JAVASCRIPT, name, server.name)] = message
    for name, samples in report["samples"].items():
        results.timing(JAVASCRIPT, name, server.name).samples += samples
    results.note_connections(JAVASCRIPT, server.name, report["sockets"])


# -- the measurement ----------------------------------------------------------------------------


@dataclass
class Results:
    servers: dict[str, Server]
    timings: dict[tuple[str, str, str], Timing] = field(default_factory=dict)
    reasons: dict[tuple[str, str, str], str] = field(default_factory=dict)  # client, call, server
    client_reasons: dict[str, str] = field(default_factory=dict)  # a client not available
    connections: dict[tuple[str, str], int] = field(default_factory=dict)  # most in one round
    js_sdk: str = ""

    def timing(self, client: str, call: str, server: str) -> Timing:
        return self.timings.setdefault((client, call, server), Timing())

    def note_connections(self, client: str, server: str, count: int) -> None:
        key = (client, server)
        self.connections[key] = max(self.connections.get(key, 0), count)

    def why_not(self, client: str, call: str, server: str) -> str | None:
        """Why there is no timing for this cell, or None when there is one."""
        if client in self.client_reasons:
            return self.client_reasons[client]
        found = self.servers[server].reason or self.reasons.get((client, call, server))
        if found is None and not self.timings.get((client, call, server), Timing()).samples:
            return "no sample"
        return found


def measure_loopback(settings: Settings) -> Results:
    """(m) Every call from every client against every server, in interleaved rounds."""
    servers = {
        FLOOR: Server(FLOOR, "floor: stdlib ThreadingHTTPServer, canned body (the mock's)"),
        MOCK: Server(MOCK, "pytest-cognito-mock serve"),
        MOTO: Server(MOTO, f"moto server {getattr(moto, '__version__', '')}".strip()),
        COGNITO_LOCAL_NAME: Server(COGNITO_LOCAL_NAME, "cognito-local"),
    }
    results = Results(servers)
    try:
        _node()
        _package_version(JS_SDK)
    except Unavailable as why:
        results.client_reasons[JAVASCRIPT] = str(why)
    with contextlib.ExitStack() as stack:
        start_servers(stack, servers)
        order = [name for name in SERVERS if servers[name].reason is None]
        for round_number in range(settings.rounds):
            # Rotate who goes first, so drift (a server's growing state, the machine's load)
            # does not always fall on the same contender.
            shift = round_number % len(order)
            for name in order[shift:] + order[:shift]:
                run_botocore(servers[name], settings, results)
                if JAVASCRIPT not in results.client_reasons:
                    run_javascript(servers[name], settings, results)
    return results


# -- the report ---------------------------------------------------------------------------------


def _rate(nanoseconds: float) -> str:
    return f"{1e9 / nanoseconds:,.0f}/s"


def _trend(timing: Timing) -> str:
    first, last = timing.samples[0], timing.samples[-1]
    return f"first → last batch: {_rate(first)} → {_rate(last)}"


def loopback_section(results: Results) -> Section:
    servers = results.servers
    section = Section(
        "(m) loopback endpoint: calls per second, sequential (one client, one kept-alive "
        "connection; a server process each)"
    )
    for call in CALLS:
        for client in CLIENTS:
            client_label = f"{client} {results.js_sdk}".strip() if client == JAVASCRIPT else client
            probe = f"{CALL_LABELS.get(call, call)}, {client_label}"
            for name in SERVERS:
                label = f"{probe}: {servers[name].label}"
                if name == COGNITO_LOCAL_NAME and call == ADMIN_INITIATE_AUTH:
                    label += " (same flow; it does not check the client's ExplicitAuthFlows)"
                why = results.why_not(client, call, name)
                if why is not None:
                    section.rows.append(Row(label, f"not available: {why}"))
                    continue
                timing = results.timing(client, call, name)
                notes = []
                if name == MOCK:
                    probe_name = f"{call}, {client}"
                    notes = _mock_ratios(results, client, call, probe_name, timing.median)
                if call == ADMIN_INITIATE_AUTH:
                    notes.append(_trend(timing))
                section.rows.append(
                    Row(
                        label,
                        f"{_rate(timing.median)} ({duration(timing.median)})",
                        duration(timing.minimum),
                        "; ".join(notes),
                    )
                )
    connections = ", ".join(
        f"{client} → {name}: {results.connections[(client, name)]}"
        for client in CLIENTS
        for name in SERVERS
        if (client, name) in results.connections
    )
    section.rows.append(Row("connections opened per client and round (1: kept alive)", connections))
    section.rows.append(
        Row(
            "servers at the end",
            "; ".join(f"{name}: {servers[name].stopped or 'never started'}" for name in SERVERS),
        )
    )
    return section


def _mock_ratios(results: Results, client: str, call: str, probe: str, mock: float) -> list[str]:
    """The mock's calls/s over each other contender's (a ratio of rates: > 1 is faster)."""
    parts = []
    for name in (FLOOR, MOTO, COGNITO_LOCAL_NAME):
        if name == FLOOR:
            target = FLOOR_TARGET if call in DESCRIBE_CALLS else None
        else:
            target = SIGN_IN_TARGETS[name] if call == ADMIN_INITIATE_AUTH else None
        # The summary of targets lists a ratio without its row: a target's names the probe.
        label = f"{probe}: mock / {name}" if target else f"mock / {name}"
        why = results.why_not(client, call, name)
        if why is not None:
            unchecked = " (target not checked)" if target else ""
            parts.append(f"{label}: {name} not available{unchecked}")
            continue
        other = results.timing(client, call, name).median
        parts.append(ratio(label, other, mock, target))  # of rates: 1/mock over 1/other
    return parts
