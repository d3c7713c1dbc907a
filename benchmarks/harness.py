"""What every measurement shares: the settings, a fake AWS environment kept to loopback, the
timing loop, and child interpreters for measurements that need a process of their own."""

from __future__ import annotations

import contextlib
import cProfile
import gc
import json
import os
import pstats
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

try:
    import moto as moto  # re-exported: the measurement modules take it from here
except ImportError:  # moto is optional: its rows then say so
    moto = None  # type: ignore[assignment]

#: The script a child interpreter runs (``run.py --child NAME ARGS``).
RUN_SCRIPT = Path(__file__).resolve().with_name("run.py")
REGION = "us-east-1"

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
    import_rows: int  # (g) rows in the imported file
    import_rounds: int  # (g) whole imports timed, one fresh mock each, interleaved with
    # rounds of AdminCreateUser batches
    create_user_sample: int  # (g) AdminCreateUser calls per batch, mock
    moto_create_user_sample: int
    max_import_rows: int  # (h) rows in the file imported in a child process
    import_calls: int  # (i) calls per batch, for Stubber / floor / mock
    auth_calls: int  # (j) AdminInitiateAuth calls per batch, for all but moto
    moto_auth_calls: int
    create_pool_checkpoints: tuple[int, ...]  # (k) pool counts at which CreateUserPool is timed
    create_pool_calls: int  # (k) CreateUserPool calls per batch, floor and mock
    user_checkpoints: tuple[int, ...]  # (l) users in the pool when the probes are timed
    moto_user_checkpoints: tuple[int, ...]
    job_checkpoints: tuple[int, ...]  # (l) import jobs in the pool (AWS allows 1,000)
    state_calls: int  # (l) calls per batch, Stubber / floor / mock
    moto_state_calls: int
    loopback_calls: int  # (m) calls per batch at most, every server and client
    loopback_batch_seconds: float  # (m) a batch's time budget: a slow server gets fewer calls


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
    import_rows=100_000,
    import_rounds=5,
    create_user_sample=200,
    moto_create_user_sample=200,
    max_import_rows=500_000,
    import_calls=400,
    auth_calls=200,
    moto_auth_calls=40,
    create_pool_checkpoints=(1, 1000, 5000),
    create_pool_calls=100,
    user_checkpoints=(1, 100, 1000, 10_000),
    moto_user_checkpoints=(1, 100, 1000, 10_000),
    job_checkpoints=(1, 100, 1000),
    state_calls=200,
    moto_state_calls=40,
    loopback_calls=200,
    loopback_batch_seconds=0.5,
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
    import_rows=10_000,
    import_rounds=1,
    create_user_sample=20,
    moto_create_user_sample=20,
    max_import_rows=20_000,
    import_calls=20,
    auth_calls=10,
    moto_auth_calls=4,
    create_pool_checkpoints=(1, 50),
    create_pool_calls=10,
    user_checkpoints=(1, 30),
    moto_user_checkpoints=(1, 5),
    job_checkpoints=(1, 10),
    state_calls=10,
    moto_state_calls=4,
    loopback_calls=10,
    loopback_batch_seconds=0.05,
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


# -- processes --------------------------------------------------------------------------------


def rss_bytes() -> int | None:
    """Current resident set size (Linux); None where /proc is not available."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def in_child(*arguments: str) -> dict[str, Any]:
    """Run one of run.py's CHILDREN in a fresh interpreter and return what it reports."""
    command = [sys.executable, str(RUN_SCRIPT), "--child", *arguments]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark child {arguments} failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


# -- profiling --------------------------------------------------------------------------------


def profile_calls(operation: Callable[[], object], count: int) -> cProfile.Profile:
    """cProfile over ``count`` calls of ``operation``, after a warm-up (as ``compare`` does)."""
    for _ in range(max(2, count // 10)):
        operation()
    gc.collect()
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [operation() for _ in range(count)])
    return profiler


def _stats(profiler: cProfile.Profile) -> dict[Any, Any]:
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return stats


def self_time_by_area(
    profiler: cProfile.Profile, areas: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[tuple[str, float]]:
    """Shares of the profiled self time by area: ``areas`` maps a name to marks, one of which
    must appear in ``file:function`` (the first area that matches wins; the rest is "other")."""
    times = {key: entry[2] for key, entry in _stats(profiler).items()}
    total = sum(times.values())
    other = "other (stdlib, builtins)"
    shares = dict.fromkeys([name for name, _ in areas] + [other], 0.0)
    for (filename, _, function), spent in times.items():
        where = f"{filename}:{function}"
        area = next((name for name, marks in areas if any(m in where for m in marks)), other)
        shares[area] += spent / total
    return list(shares.items())


@dataclass(frozen=True)
class ProfileLine:
    """One function of a :func:`call_tree`."""

    depth: int
    key: tuple[str, int, str]  # cProfile's (file, line, function)
    share: float  # of the root's cumulative time
    per_call: float  # nanoseconds per profiled operation, under cProfile (inflated)


def call_tree(
    profiler: cProfile.Profile,
    root: tuple[str, str],
    package: str,
    calls: int,
    min_share: float = 0.02,
) -> list[ProfileLine]:
    """What ``root`` ((file suffix, function)) calls, depth first, biggest first, down to
    ``min_share`` of its time. A child's time is what it spent when called from that parent
    (cProfile's caller edges); only functions whose file contains ``package`` are opened, so
    that a library function called from several places (json.dumps, say) is not split."""
    stats = _stats(profiler)
    roots = [key for key in stats if key[0].endswith(root[0]) and key[2] == root[1]]
    if not roots:
        return []
    total = stats[roots[0]][3]
    children: dict[Any, list[tuple[Any, float]]] = {}
    for key, entry in stats.items():
        for caller, edge in entry[4].items():
            children.setdefault(caller, []).append((key, edge[3]))
    lines = [ProfileLine(0, roots[0], 1.0, total / calls * 1e9)]

    def walk(parent: Any, path: frozenset[Any]) -> None:
        for child, spent in sorted(children.get(parent, []), key=lambda c: c[1], reverse=True):
            if spent / total < min_share:
                break
            lines.append(ProfileLine(len(path), child, spent / total, spent / calls * 1e9))
            if package in child[0] and child not in path:  # recursion: shown, not reopened
                walk(child, path | {child})

    walk(roots[0], frozenset({roots[0]}))
    return lines
