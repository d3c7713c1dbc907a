"""What a Cognito call costs under pytest-cognito-mock, next to its peers, in one run.

    python benchmarks/run.py            # full run (about a minute, mostly moto)
    python benchmarks/run.py --quick    # smoke run: same code paths, tiny counts
    python benchmarks/run.py --write    # also write the table to benchmarks/latest.md

Contenders, all driven through real boto3 ``cognito-idp`` clients:

* **Stubber** - ``botocore.stub.Stubber``: answers at ``before-call``, so it skips serialize,
  sign and parse. Shown for reference only; it keeps no state.
* **floor** - a ``before-send`` handler returning a canned ``AWSResponse``: botocore's own
  serialize + sign + parse and nothing else. No mock that goes through botocore can be cheaper.
* **mock** - ``pytest_cognito_mock.CognitoMock``.
* **moto** - ``moto.mock_aws``.

Method: every comparison runs in rounds; in each round every contender sets up (untimed),
warms up, then times a few batches with ``time.perf_counter_ns``. Interleaving rounds spreads
machine noise over all contenders instead of penalising whoever runs during a slow spell. A
sample is the mean cost per operation over one batch; the table reports the median and the
minimum sample, and ratios of medians. Memory is measured in fresh child processes.

Nothing here touches the network: fake credentials and a region are set for the run, and a
guard refuses any connection outside loopback while it lasts.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

import pytest_cognito_mock
from pytest_cognito_mock import CognitoMock, UnsupportedOperationError

try:
    import moto
except ImportError:  # moto is optional: its rows then say so
    moto = None  # type: ignore[assignment]

LATEST_MD = Path(__file__).resolve().parent / "latest.md"
REGION = "us-east-1"
TIMES = "\u00d7"  # multiplication sign
MICRO = "\u00b5"  # micro sign

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    # Keep a developer's ~/.aws files (profiles, endpoints, retry modes) out of the numbers.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
#: Variables that would redirect or reconfigure the clients; removed for the run.
UNSET_ENVIRONMENT = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_COGNITO_IDP",
)

APP_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

# The floor's and Stubber's DescribeUserPoolClient: the members AWS (and the mock) return for a
# client created with APP_FLOWS and nothing else, so every contender parses a similar body.
DESCRIBE_PARAMS = {"UserPoolId": "us-east-1_bEnChMaRk", "ClientId": "4bqv0l6s1a2q0ekc1h7oq5ctvk"}
DESCRIBE_RESPONSE: dict[str, Any] = {
    "UserPoolClient": {
        **DESCRIBE_PARAMS,
        "ClientName": "web",
        "LastModifiedDate": 1732600000.123,
        "CreationDate": 1732600000.123,
        "RefreshTokenValidity": 30,
        "ExplicitAuthFlows": APP_FLOWS,
        "AllowedOAuthFlowsUserPoolClient": False,
        "EnableTokenRevocation": True,
        "EnablePropagateAdditionalUserContextData": False,
        "AuthSessionValidity": 3,
    }
}
FLOOR_EVENT = "before-send.cognito-identity-provider.DescribeUserPoolClient"


@dataclass(frozen=True)
class Settings:
    """How much to measure. Counts named ``moto_*`` are smaller: moto is slower by orders."""

    rounds: int
    batches: int  # timed batches per contender per round
    describe_calls: int  # per batch, for Stubber / floor / mock
    moto_describe_calls: int
    cycles: int  # fixture cycles per batch, mock
    moto_cycles: int
    scenarios: int  # scenario runs per round, mock
    moto_scenarios: int
    growth_checkpoints: tuple[int, ...]  # pool counts at which describe is timed, mock
    moto_growth_checkpoints: tuple[int, ...]
    memory_pools: int  # pools created for the RSS measurement, mock
    moto_memory_pools: int
    memory_target_pools: int  # the pool count the memory rows are stated for


FULL = Settings(
    rounds=5,
    batches=3,
    describe_calls=400,
    moto_describe_calls=60,
    cycles=100,
    moto_cycles=2,
    scenarios=20,
    moto_scenarios=2,
    growth_checkpoints=(1, 100, 1000),
    moto_growth_checkpoints=(1, 25),
    memory_pools=1000,
    moto_memory_pools=100,
    memory_target_pools=1000,
)
QUICK = Settings(
    rounds=1,
    batches=2,
    describe_calls=20,
    moto_describe_calls=5,
    cycles=5,
    moto_cycles=1,
    scenarios=2,
    moto_scenarios=1,
    growth_checkpoints=(1, 20),
    moto_growth_checkpoints=(1, 2),
    memory_pools=50,
    moto_memory_pools=2,
    memory_target_pools=50,
)


# -- environment ------------------------------------------------------------------------------


@contextlib.contextmanager
def fake_aws_environment() -> Iterator[None]:
    """Test credentials and region for the run; the previous environment comes back after."""
    saved = {name: os.environ.get(name) for name in (*FAKE_ENVIRONMENT, *UNSET_ENVIRONMENT)}
    os.environ.update(FAKE_ENVIRONMENT)
    for name in UNSET_ENVIRONMENT:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def loopback_only() -> Iterator[None]:
    """Refuse any connection or name lookup outside loopback (a mistake must fail, not leak)."""
    original_connect, original_getaddrinfo = socket.socket.connect, socket.getaddrinfo
    allowed_hosts = {"localhost", "127.0.0.1", "::1"}

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in allowed_hosts:
            raise OSError(f"benchmark tried to connect to {address!r}")
        return original_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and host not in allowed_hosts:
            raise OSError(f"benchmark tried to resolve {host!r}")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.getaddrinfo = original_getaddrinfo


def new_client() -> Any:
    """A boto3 cognito-idp client, the same way for every contender."""
    return boto3.client("cognito-idp", region_name=REGION)


def create_app(client: Any) -> tuple[str, str]:
    """A user pool and an app client with APP_FLOWS: (pool id, client id)."""
    pool_id = client.create_user_pool(PoolName="bench")["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=APP_FLOWS
    )["UserPoolClient"]
    return pool_id, app["ClientId"]


# -- timing -----------------------------------------------------------------------------------


@dataclass
class Timing:
    """Per-operation samples in nanoseconds (one per timed batch)."""

    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def minimum(self) -> float:
        return min(self.samples)


def time_batch(operation: Callable[[], object], count: int) -> float:
    """Mean nanoseconds per call of ``operation`` over ``count`` back-to-back calls."""
    start = time.perf_counter_ns()
    for _ in range(count):
        operation()
    return (time.perf_counter_ns() - start) / count


#: A contender: a context manager factory whose body is "ready to time"; it yields the operation.
Contender = Callable[[], contextlib.AbstractContextManager[Callable[[], object]]]


def compare(
    contenders: dict[str, Contender], counts: dict[str, int], settings: Settings
) -> dict[str, Timing]:
    """Time each contender's operation in interleaved rounds (see the module docstring)."""
    timings = {name: Timing() for name in contenders}
    for _ in range(settings.rounds):
        for name, contender in contenders.items():
            count = counts[name]
            gc.collect()
            with contender() as operation:
                for _ in range(max(2, count // 10)):  # warm-up: lazy loading, caches
                    operation()
                for _ in range(settings.batches):
                    timings[name].samples.append(time_batch(operation, count))
    return timings


# -- (a) DescribeUserPoolClient per call ------------------------------------------------------


class _CannedBody:
    """The raw body object botocore streams a response from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


@contextlib.contextmanager
def stubber_describe() -> Iterator[Callable[[], object]]:
    client = new_client()
    with Stubber(client) as stubber:

        def describe() -> object:
            stubber.add_response("describe_user_pool_client", DESCRIBE_RESPONSE, DESCRIBE_PARAMS)
            return client.describe_user_pool_client(**DESCRIBE_PARAMS)

        yield describe


@contextlib.contextmanager
def floor_describe() -> Iterator[Callable[[], object]]:
    client = new_client()
    body = json.dumps(DESCRIBE_RESPONSE).encode()
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": "3b7d3d3e-2f4c-4a7e-9a53-3f5f2c2b8f11",
    }

    def answer(request: Any, **_: Any) -> AWSResponse:
        # A plain dict, as the mock's seam passes too; botocore wraps it.
        return AWSResponse(request.url, 200, headers, _CannedBody(body))  # type: ignore[arg-type]

    client.meta.events.register(FLOOR_EVENT, answer)
    yield lambda: client.describe_user_pool_client(**DESCRIBE_PARAMS)


@contextlib.contextmanager
def mock_describe() -> Iterator[Callable[[], object]]:
    with CognitoMock():
        client = new_client()
        pool_id, client_id = create_app(client)
        yield lambda: client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)


@contextlib.contextmanager
def moto_describe() -> Iterator[Callable[[], object]]:
    with moto.mock_aws():
        client = new_client()
        pool_id, client_id = create_app(client)
        yield lambda: client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)


def measure_describe(settings: Settings) -> dict[str, Timing]:
    """(a) Per-call DescribeUserPoolClient for Stubber, floor, mock and moto."""
    contenders: dict[str, Contender] = {
        "stubber": stubber_describe,
        "floor": floor_describe,
        "mock": mock_describe,
    }
    counts = dict.fromkeys(contenders, settings.describe_calls)
    if moto is not None:
        contenders["moto"] = moto_describe
        counts["moto"] = settings.moto_describe_calls
    return compare(contenders, counts, settings)


# -- (b) fixture cycle ------------------------------------------------------------------------


@contextlib.contextmanager
def mock_cycle_shared_client() -> Iterator[Callable[[], object]]:
    # The cognito_idp fixture keeps one client per region for the whole session and hands it
    # to every test; only the mock is new per test. So: one client, made before the loop.
    client = new_client()

    def cycle() -> None:
        with CognitoMock():
            client.create_user_pool(PoolName="bench")

    yield cycle


@contextlib.contextmanager
def mock_cycle_new_client() -> Iterator[Callable[[], object]]:
    def cycle() -> None:
        with CognitoMock() as mock:
            mock.client().create_user_pool(PoolName="bench")

    yield cycle


@contextlib.contextmanager
def moto_cycle_reused_client() -> Iterator[Callable[[], object]]:
    client = new_client()  # made after moto is imported, so moto's hook is on it

    def cycle() -> None:
        with moto.mock_aws():
            client.create_user_pool(PoolName="bench")

    yield cycle


@contextlib.contextmanager
def moto_cycle_new_client() -> Iterator[Callable[[], object]]:
    def cycle() -> None:
        with moto.mock_aws():  # moto's documented pattern: create clients inside the mock
            new_client().create_user_pool(PoolName="bench")

    yield cycle


def measure_fixture_cycle(settings: Settings) -> dict[str, Timing]:
    """(b) start -> client -> CreateUserPool -> stop, per cycle."""
    contenders: dict[str, Contender] = {
        "mock, shared client": mock_cycle_shared_client,
        "mock, client per cycle": mock_cycle_new_client,
    }
    counts = dict.fromkeys(contenders, settings.cycles)
    if moto is not None:
        contenders["moto, client reused"] = moto_cycle_reused_client
        contenders["moto, client per cycle"] = moto_cycle_new_client
        counts["moto, client reused"] = counts["moto, client per cycle"] = settings.moto_cycles
    return compare(contenders, counts, settings)


# -- (c) scenario -----------------------------------------------------------------------------

SCENARIO_STEPS = (
    "CreateUserPool",
    "CreateUserPoolClient",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminInitiateAuth",
)
SCENARIO_USER = "ada@example.com"
SCENARIO_PASSWORD = "Correct-Horse-Battery-9"


def run_scenario(client: Any) -> tuple[dict[str, int], str | None]:
    """Run the scenario once: (nanoseconds per completed step, first unsupported step or None).

    A step the contender does not implement (``UnsupportedOperationError`` from the mock,
    ``NotImplementedError`` from moto) ends the run there instead of failing the benchmark.
    """
    state: dict[str, str] = {}

    def create_pool() -> None:
        state["pool"] = client.create_user_pool(PoolName="bench")["UserPool"]["Id"]

    def create_client() -> None:
        state["client"] = client.create_user_pool_client(
            UserPoolId=state["pool"], ClientName="web", ExplicitAuthFlows=APP_FLOWS
        )["UserPoolClient"]["ClientId"]

    def create_user() -> None:
        client.admin_create_user(
            UserPoolId=state["pool"],
            Username=SCENARIO_USER,
            UserAttributes=[{"Name": "email", "Value": SCENARIO_USER}],
            MessageAction="SUPPRESS",
        )

    def set_password() -> None:
        client.admin_set_user_password(
            UserPoolId=state["pool"],
            Username=SCENARIO_USER,
            Password=SCENARIO_PASSWORD,
            Permanent=True,
        )

    def sign_in() -> None:
        result = client.admin_initiate_auth(
            UserPoolId=state["pool"],
            ClientId=state["client"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": SCENARIO_USER, "PASSWORD": SCENARIO_PASSWORD},
        )
        if "AccessToken" not in result.get("AuthenticationResult", {}):
            raise AssertionError(f"AdminInitiateAuth returned no tokens: {result!r}")

    steps = (create_pool, create_client, create_user, set_password, sign_in)
    spent: dict[str, int] = {}
    for name, step in zip(SCENARIO_STEPS, steps, strict=True):
        start = time.perf_counter_ns()
        try:
            step()
        except (UnsupportedOperationError, NotImplementedError):
            return spent, name
        spent[name] = time.perf_counter_ns() - start
    return spent, None


@dataclass
class ScenarioResult:
    #: Whole-scenario samples; only when every step ran.
    total: Timing = field(default_factory=Timing)
    steps: dict[str, Timing] = field(default_factory=lambda: {s: Timing() for s in SCENARIO_STEPS})
    #: The first operation the contender does not implement, if any.
    missing: str | None = None


def _scenario_rounds(
    activate: Callable[[], contextlib.AbstractContextManager[Any]], runs: int, settings: Settings
) -> ScenarioResult:
    result = ScenarioResult()
    client = new_client()
    for _ in range(settings.rounds):
        gc.collect()
        with activate():
            run_scenario(client)  # warm-up
            for _ in range(runs):
                spent, missing = run_scenario(client)
                result.missing = missing
                for step, nanoseconds in spent.items():
                    result.steps[step].samples.append(nanoseconds)
                if missing is None:
                    result.total.samples.append(sum(spent.values()))
    return result


def measure_scenario(settings: Settings) -> dict[str, ScenarioResult]:
    """(c) pool + app client + AdminCreateUser + AdminSetUserPassword + AdminInitiateAuth,
    timed call by call inside an already started mock (start/stop are (b)'s business)."""
    results = {"mock": _scenario_rounds(CognitoMock, settings.scenarios, settings)}
    if moto is not None:
        results["moto"] = _scenario_rounds(moto.mock_aws, settings.moto_scenarios, settings)
    return results


# -- (d) memory, in child processes -----------------------------------------------------------


def _rss_bytes() -> int | None:
    """Current resident set size (Linux); None where /proc is not available."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def memory_child(kind: str, pools: int) -> dict[str, Any]:
    """In a fresh process: RSS growth and Python heap retained while creating ``pools`` pools.

    Pass 1 (untraced) gives RSS growth, which also sees memory outside Python's allocator
    (OpenSSL keys, for instance) and the creation time; pass 2 repeats it under tracemalloc
    for the Python heap retained (current) and the transient peak.
    """
    activate = CognitoMock if kind == "mock" else moto.mock_aws
    traced_pools = max(2, pools // 5)
    with fake_aws_environment(), loopback_only(), activate():
        client = new_client()
        client.create_user_pool(PoolName="warm-up")  # lazy imports and caches first
        gc.collect()
        rss_before = _rss_bytes()
        start = time.perf_counter_ns()
        for index in range(pools):
            client.create_user_pool(PoolName=f"pool-{index}")
        elapsed = time.perf_counter_ns() - start
        gc.collect()
        rss_after = _rss_bytes()

        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        for index in range(traced_pools):
            client.create_user_pool(PoolName=f"traced-{index}")
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "kind": kind,
        "pools": pools,
        "create_ns_per_pool": elapsed / pools,
        "rss_growth": None if rss_before is None or rss_after is None else rss_after - rss_before,
        "traced_pools": traced_pools,
        "traced_retained": current - baseline,
        "traced_peak": peak - baseline,
    }


def first_run_child(kind: str) -> dict[str, Any]:
    """In a fresh process: the scenario's first run, then its second, step by step.

    The first run pays what a process pays once: loading botocore's model, compiling the
    mock's validation patterns, generating signing keys. A single test run by hand pays it.
    """
    activate = CognitoMock if kind == "mock" else moto.mock_aws
    with fake_aws_environment(), loopback_only():
        start = time.perf_counter_ns()
        with activate():
            client = new_client()
            ready = time.perf_counter_ns() - start
            first, missing = run_scenario(client)
            second, _ = run_scenario(client)
    return {"kind": kind, "ready_ns": ready, "first": first, "second": second, "missing": missing}


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "memory": lambda kind, pools: memory_child(kind, int(pools)),
    "first-run": first_run_child,
}


def in_child(*arguments: str) -> dict[str, Any]:
    """Run one of CHILDREN in a fresh interpreter and return what it reports."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *arguments]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark child {arguments} failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def measure_memory(settings: Settings) -> dict[str, dict[str, Any]]:
    """(d) memory_child for each contender, each in its own interpreter."""
    runs = {"mock": settings.memory_pools}
    if moto is not None:
        runs["moto"] = settings.moto_memory_pools
    return {kind: in_child("memory", kind, str(pools)) for kind, pools in runs.items()}


def measure_first_run() -> dict[str, dict[str, Any]]:
    """(f) first_run_child for each contender."""
    kinds = ["mock"] + (["moto"] if moto is not None else [])
    return {kind: in_child("first-run", kind) for kind in kinds}


# -- (e) describe cost as pools accumulate ----------------------------------------------------


def measure_growth(
    activate: Callable[[], contextlib.AbstractContextManager[Any]],
    checkpoints: tuple[int, ...],
    calls: int,
    settings: Settings,
) -> tuple[dict[int, Timing], Timing]:
    """Describe cost with 1, ... pools in one mock; also CreateUserPool cost along the way."""
    by_pools: dict[int, Timing] = {}
    create = Timing()
    with activate():
        client = new_client()
        pool_id, client_id = create_app(client)
        pools = 1

        def describe() -> object:
            return client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)

        time_batch(describe, calls)  # warm-up: one whole batch, discarded
        for checkpoint in checkpoints:
            added = checkpoint - pools
            if added > 0:
                create.samples.append(
                    time_batch(lambda: client.create_user_pool(PoolName="filler"), added)
                )
                pools = checkpoint
            gc.collect()
            by_pools[checkpoint] = Timing(
                [time_batch(describe, calls) for _ in range(settings.rounds * settings.batches)]
            )
    return by_pools, create


# -- the report -------------------------------------------------------------------------------


@dataclass
class Row:
    contender: str
    median: str
    minimum: str = ""
    ratio: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


def duration(nanoseconds: float) -> str:
    if nanoseconds < 1_000_000:
        return f"{nanoseconds / 1_000:.1f} {MICRO}s"
    if nanoseconds < 1_000_000_000:
        return f"{nanoseconds / 1_000_000:.2f} ms"
    return f"{nanoseconds / 1_000_000_000:.2f} s"


def size(num_bytes: float) -> str:
    if abs(num_bytes) < 1024 * 1024:
        return f"{num_bytes / 1024:.1f} KiB"
    return f"{num_bytes / (1024 * 1024):.2f} MiB"


#: Targets: (comparison, bound). "<=" means the ratio must not exceed the bound.
TARGETS = {
    "mock / floor": ("<=", 1.3),
    "moto / mock": (">=", 3.0),
    "cycle": (">=", 5.0),
    "scenario": (">=", 20.0),
}
_SYMBOLS = {"<=": "\u2264", ">=": "\u2265"}


def ratio(label: str, numerator: float, denominator: float, target: str | None = None) -> str:
    """'mock / floor = 1.12x', plus the target and whether it is met when one is named."""
    value = numerator / denominator
    text = f"{label} = {value:.2f}{TIMES}"
    if target is not None:
        op, bound = TARGETS[target]
        met = value <= bound if op == "<=" else value >= bound
        text += f" (target {_SYMBOLS[op]} {bound:g}{TIMES}: {'met' if met else 'NOT met'})"
    return text


def timed(contender: str, timing: Timing, ratio_text: str = "") -> Row:
    return Row(contender, duration(timing.median), duration(timing.minimum), ratio_text)


def describe_section(timings: dict[str, Timing]) -> Section:
    floor, mock = timings["floor"].median, timings["mock"].median
    stubber = timings["stubber"]
    section = Section("(a) DescribeUserPoolClient, per call")
    section.rows += [
        timed(
            "botocore Stubber (reference: skips serialize/sign/parse, keeps no state)",
            stubber,
            ratio("stubber / floor", stubber.median, floor),
        ),
        timed("send-path floor (canned before-send response)", timings["floor"]),
        timed(
            "pytest-cognito-mock",
            timings["mock"],
            ratio("mock / floor", mock, floor, "mock / floor"),
        ),
    ]
    if "moto" in timings:
        moto_median = timings["moto"].median
        section.rows.append(
            timed(
                "moto mock_aws",
                timings["moto"],
                ratio("moto / mock", moto_median, mock, "moto / mock")
                + "; "
                + ratio("moto / floor", moto_median, floor)
                + " (the most any mock behind botocore could reach)",
            )
        )
    else:
        section.rows.append(Row("moto mock_aws", "moto not installed"))
    return section


def cycle_section(timings: dict[str, Timing]) -> Section:
    section = Section("(b) fixture cycle: start mock, client, CreateUserPool, stop")
    shared = timings["mock, shared client"]
    per_cycle = timings["mock, client per cycle"]
    section.rows += [
        timed("mock, one shared client (what the cognito_idp fixture does)", shared),
        timed(
            "mock, client created in every cycle",
            per_cycle,
            ratio("per-cycle client / shared client", per_cycle.median, shared.median),
        ),
    ]
    if "moto, client reused" not in timings:
        section.rows.append(Row("moto mock_aws", "moto not installed"))
        return section
    reused, new = timings["moto, client reused"], timings["moto, client per cycle"]
    section.rows += [
        timed(
            "moto, one client reused across cycles",
            reused,
            ratio("moto reused / mock shared", reused.median, shared.median, "cycle"),
        ),
        timed(
            "moto, client created in every cycle (moto's documented pattern)",
            new,
            ratio("moto per-cycle / mock per-cycle", new.median, per_cycle.median, "cycle")
            + "; "
            + ratio("moto per-cycle / mock shared", new.median, shared.median),
        ),
    ]
    return section


def scenario_section(results: dict[str, ScenarioResult]) -> Section:
    section = Section(
        "(c) scenario: pool, app client, AdminCreateUser, AdminSetUserPassword, AdminInitiateAuth"
    )
    mock = results["mock"]
    for name, result in results.items():
        if result.missing:
            section.rows.append(
                Row(f"{name}, whole scenario", f"not yet implemented ({result.missing})")
            )
            continue
        note = ""
        if name == "moto" and mock.total.samples:
            note = ratio("moto / mock", result.total.median, mock.total.median, "scenario")
        section.rows.append(timed(f"{name}, whole scenario", result.total, note))
    if "moto" not in results:
        section.rows.append(Row("moto mock_aws", "moto not installed"))
    for step in SCENARIO_STEPS:
        for name, result in results.items():
            timing = result.steps[step]
            if not timing.samples:
                why = "not yet implemented" if result.missing == step else "not reached"
                section.rows.append(Row(f"{name}: {step}", why))
                continue
            note = ""
            if name == "moto" and mock.steps[step].samples:
                note = ratio("moto / mock", timing.median, mock.steps[step].median)
            section.rows.append(timed(f"{name}: {step}", timing, note))
    return section


def memory_section(results: dict[str, dict[str, Any]], target_pools: int) -> Section:
    section = Section(f"(d) memory and time for {target_pools:,} user pools")
    per_pool: dict[str, dict[str, float]] = {}
    for kind, result in results.items():
        pools, traced = result["pools"], result["traced_pools"]
        scale = target_pools / pools
        basis = (
            "measured" if scale == 1 else f"measured on {pools:,}, extrapolated {TIMES}{scale:g}"
        )
        heap = result["traced_retained"] / traced
        rss = result["rss_growth"] / pools if result["rss_growth"] is not None else None
        per_pool[kind] = {"heap": heap, "rss": rss or 0.0, "create": result["create_ns_per_pool"]}
        vs_mock = kind != "mock" and "mock" in per_pool

        def versus(what: str, kind: str = kind, vs_mock: bool = vs_mock) -> str:
            mine, mock = per_pool[kind][what], per_pool["mock"][what] if vs_mock else 0.0
            return "; " + ratio(f"{kind} / mock", mine, mock) if vs_mock and mock > 0 else ""

        if rss is not None:
            section.rows.append(
                Row(
                    f"{kind}: RSS growth ({basis})",
                    size(rss * target_pools),
                    "",
                    f"{size(rss)} per pool" + versus("rss"),
                )
            )
        section.rows.append(
            Row(
                f"{kind}: Python heap retained (tracemalloc on {traced:,} more pools, "
                f"extrapolated {TIMES}{target_pools / traced:g})",
                size(heap * target_pools),
                "",
                f"{size(heap)} per pool, transient peak {size(result['traced_peak'])}"
                + versus("heap"),
            )
        )
        section.rows.append(
            Row(
                f"{kind}: time to create them ({basis})",
                duration(result["create_ns_per_pool"] * target_pools),
                "",
                f"{duration(result['create_ns_per_pool'])} per CreateUserPool" + versus("create"),
            )
        )
    return section


def growth_section(growth: dict[str, tuple[dict[int, Timing], Timing]]) -> Section:
    section = Section("(e) DescribeUserPoolClient per call as pools accumulate in one mock")
    for name, (by_pools, create) in growth.items():
        first = by_pools[min(by_pools)]
        for pools, timing in by_pools.items():
            note = (
                ""
                if timing is first
                else ratio(f"{pools:,} pools / 1 pool", timing.median, first.median)
            )
            section.rows.append(timed(f"{name}, {pools:,} pool{'s' * (pools > 1)}", timing, note))
        if create.samples:
            section.rows.append(timed(f"{name}, CreateUserPool while filling", create))
    return section


def first_run_section(results: dict[str, dict[str, Any]]) -> Section:
    section = Section("(f) one-time costs: the scenario's first run in a fresh interpreter")
    for kind, result in results.items():
        section.rows.append(Row(f"{kind}: start + first client", duration(result["ready_ns"])))
        for step in SCENARIO_STEPS:
            if step not in result["first"]:
                why = "not yet implemented" if result["missing"] == step else "not reached"
                section.rows.append(Row(f"{kind}: first {step}", why))
                continue
            first, second = result["first"][step], result["second"][step]
            section.rows.append(
                Row(
                    f"{kind}: first {step}",
                    duration(first),
                    "",
                    f"second run: {duration(second)}; "
                    f"one-time part {duration(max(0, first - second))}",
                )
            )
    return section


def render(sections: list[Section]) -> str:
    """One Markdown table, padded so that it reads as well in a terminal."""
    header = Row("Contender", "Median", "Min", "Ratio")
    rows = [header, *(row for s in sections for row in s.rows)]  # titles may overflow
    columns = ("contender", "median", "minimum", "ratio")
    widths = [max(len(getattr(row, c)) for row in rows) for c in columns]

    def line(cells: list[str]) -> str:
        return (
            "| " + " | ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)) + " |"
        )

    lines = [line([getattr(header, c) for c in columns])]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for section in sections:
        lines.append(line([f"**{section.title}**", "", "", ""]))
        lines += [line([getattr(row, c) for c in columns]) for row in section.rows]
    return "\n".join(lines)


NOTES = """\
How to read this:

* Times are per operation: the median and the minimum over all timed batches (each batch is a
  mean over back-to-back calls), measured with time.perf_counter_ns after a warm-up, in
  interleaved rounds. Ratios are ratios of medians.
* (a) The floor is botocore answering DescribeUserPoolClient from a canned before-send
  response: serialize + sign + parse and nothing else. The Stubber skips all three, which is
  why it is cheaper than the floor; it is shown for reference, not as a target.
* (b) Comparison basis: the cognito_idp fixture creates a boto3 client once per region and
  reuses it in every test, so "mock, shared client" is what a test using the fixture pays
  (minus pytest's own fixture bookkeeping, which is the same for any plugin). moto is shown
  both ways: with one client reused across cycles (like for like with the fixture) and with a
  client created inside each mock_aws() (moto's documented pattern; moto also resets boto3's
  default session on start, so that client is built from a cold session). The >=5x target is
  checked like for like: reused vs shared, and per-cycle vs per-cycle.
* (c) Timed call by call inside an already started mock, one fresh mock per round; a step
  the mock does not implement yet is reported as "not yet implemented" instead of timed.
* (d) Each contender runs in a fresh child interpreter. RSS growth includes memory outside
  Python's allocator; the Python heap figure is tracemalloc's retained size after a second,
  smaller batch, scaled to the stated pool count. moto figures are extrapolated linearly from
  fewer pools (one moto pool costs a large fraction of a second), as each row says. The mock's
  figures include the Call record it keeps for every answered call (CognitoMock.calls).
* (e) The same mock gains pools between checkpoints; the describe target stays the first pool.
* (f) One run of the scenario in a fresh interpreter, then a second: the difference is what a
  process pays once (model loading, compiled validation patterns, signing keys), which a lone
  test pays in full and a long suite pays once per process (per xdist worker).
"""


def environment_summary(quick: bool) -> str:
    moto_version = (
        getattr(moto, "__version__", "not installed") if moto is not None else "not installed"
    )
    return (
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}) on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
        f"pytest-cognito-mock {pytest_cognito_mock.__version__}, boto3 {boto3.__version__}, "
        f"botocore {botocore.__version__}, moto {moto_version}; "
        f"mode: {'quick (smoke run, numbers are indicative only)' if quick else 'full'}"
    )


def collect(settings: Settings, progress: Callable[[str], None] = print) -> list[Section]:
    """Run every measurement; the table's sections."""
    with fake_aws_environment(), loopback_only():
        progress("(a) DescribeUserPoolClient per call")
        sections = [describe_section(measure_describe(settings))]
        progress("(b) fixture cycle")
        sections.append(cycle_section(measure_fixture_cycle(settings)))
        progress("(c) scenario")
        sections.append(scenario_section(measure_scenario(settings)))
        progress("(d) memory, in child processes")
        sections.append(memory_section(measure_memory(settings), settings.memory_target_pools))
        progress("(e) describe cost as pools accumulate")
        growth = {
            "mock": measure_growth(
                CognitoMock, settings.growth_checkpoints, settings.describe_calls, settings
            )
        }
        if moto is not None:
            growth["moto"] = measure_growth(
                moto.mock_aws,
                settings.moto_growth_checkpoints,
                settings.moto_describe_calls,
                settings,
            )
        sections.append(growth_section(growth))
        progress("(f) one-time costs, in child processes")
        sections.append(first_run_section(measure_first_run()))
    return sections


def targets_summary(sections: list[Section]) -> str:
    """Every ratio that has a target, one line each."""
    lines = [
        f"* {section.title.split(':')[0]}: {part.strip()}"
        for section in sections
        for row in section.rows
        for part in row.ratio.split(";")
        if "(target" in part
    ]
    return "Targets:\n\n" + "\n".join(lines) if lines else "Targets: none measured."


def markdown_report(sections: list[Section], quick: bool, command: str) -> str:
    return (
        "# pytest-cognito-mock benchmarks\n\n"
        f"`{command}`: {environment_summary(quick)}\n\n"
        f"{render(sections)}\n\n{targets_summary(sections)}\n\n{NOTES}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run with tiny counts")
    parser.add_argument("--write", action="store_true", help=f"also write {LATEST_MD.name}")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        name, *arguments = args.child
        print(json.dumps(CHILDREN[name](*arguments)))
        return 0

    settings = QUICK if args.quick else FULL
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    sections = collect(
        settings, progress=lambda step: print(f"measuring {step} ...", file=sys.stderr, flush=True)
    )
    report = markdown_report(sections, args.quick, command)
    print(report)
    if args.write:
        LATEST_MD.write_text(report, encoding="utf-8")
        print(f"written to {LATEST_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
