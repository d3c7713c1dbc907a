"""(g) A whole user import job, the CSV uploaded over HTTP, next to creating the same users one
AdminCreateUser call at a time; (h) the largest file AWS accepts, imported in a child process so
that its peak RSS is the import's own.

The import is driven as a test would drive it: GetCSVHeader, build the file from that header,
CreateUserImportJob, PUT the file to the job's PreSignedUrl with ``requests`` (the upload server
is the mock's, on 127.0.0.1), StartUserImportJob, then DescribeUserImportJob until the job is
done. With the mock's default settings the whole file is imported before the next call is
answered, so one DescribeUserImportJob says ``Succeeded``.
"""

from __future__ import annotations

import contextlib
import cProfile
import dataclasses
import gc
import itertools
import linecache
import pstats
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from harness import (
    Contender,
    Settings,
    Timing,
    compare,
    fake_aws_environment,
    in_child,
    loopback_only,
    moto,
    new_client,
    rss_bytes,
)
from table import TARGETS

from pytest_cognito_mock import CognitoMock

ROLE_ARN = "arn:aws:iam::123456789012:role/Cognito-UserImport-Role"
#: Signed into every PreSignedUrl, as in AWS: the PUT must send it.
UPLOAD_HEADERS = {"x-amz-server-side-encryption": "aws:kms"}
#: A safety net: with the default settings the first DescribeUserImportJob already says done.
MAX_DESCRIBES = 10_000
DONE = frozenset({"Succeeded", "Failed", "Stopped", "Expired"})
#: The issue's bound on the 500,000-row import's peak RSS (1.5 GiB).
PEAK_RSS_TARGET = 1536 * 1024 * 1024
#: At most this many rows are imported under tracemalloc when the peak has to be explained.
PROFILE_ROWS = 100_000

#: The phases of one import, in order, as the table names them.
PHASES = (
    "GetCSVHeader",
    "build the CSV from the header (the test's own work)",
    "CreateUserImportJob",
    "PUT the file to PreSignedUrl (requests, loopback HTTP)",
    "StartUserImportJob",
    "DescribeUserImportJob until Succeeded (imports every row)",
)


def import_pool(client: Any) -> str:
    """A pool an import can run in (a job needs an auto-verified attribute)."""
    pool = client.create_user_pool(PoolName="bench-import", AutoVerifiedAttributes=["email"])
    pool_id: str = pool["UserPool"]["Id"]
    return pool_id


def csv_body(header: list[str], rows: int) -> bytes:
    """A file of ``rows`` users in ``header``'s column order: username, email, email_verified."""
    cells = [""] * len(header)
    cells[header.index("cognito:username")] = "{0}"
    cells[header.index("email")] = "{0}@example.com"
    cells[header.index("email_verified")] = "true"
    row = ",".join(cells)
    lines = (row.format(f"user{index:06d}") for index in range(rows))
    return (",".join(header) + "\n" + "\n".join(lines)).encode()


@dataclass
class ImportOutcome:
    phases: dict[str, int]  # nanoseconds per phase
    describes: int  # DescribeUserImportJob calls until done
    body_bytes: int


def run_import(client: Any, pool_id: str, rows: int) -> ImportOutcome:
    """One whole import of ``rows`` users into ``pool_id``; raises unless every row imported."""
    marks = [time.perf_counter_ns()]
    header = client.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    marks.append(time.perf_counter_ns())
    body = csv_body(header, rows)
    marks.append(time.perf_counter_ns())
    job = client.create_user_import_job(
        JobName="bench", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]
    marks.append(time.perf_counter_ns())
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: the URL is loopback
        response = session.put(job["PreSignedUrl"], data=body, headers=UPLOAD_HEADERS, timeout=600)
    marks.append(time.perf_counter_ns())
    if response.status_code != 200:
        raise RuntimeError(f"upload refused: {response.status_code} {response.text}")
    body_bytes = len(body)
    del body  # the test would let go of its copy too; the mock holds the upload
    client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    marks.append(time.perf_counter_ns())
    for describes in range(1, MAX_DESCRIBES + 1):  # noqa: B007 - the count is reported
        state = client.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        if state["UserImportJob"]["Status"] in DONE:
            break
    marks.append(time.perf_counter_ns())
    job_state = state["UserImportJob"]
    if job_state["Status"] != "Succeeded" or job_state["ImportedUsers"] != rows:
        raise RuntimeError(f"the benchmark import did not import every row: {job_state!r}")
    spent = [end - start for start, end in itertools.pairwise(marks)]
    return ImportOutcome(dict(zip(PHASES, spent, strict=True)), describes, body_bytes)


def moto_lacks(method: str, **params: Any) -> str | None:
    """None when moto answers ``method`` (``UserPoolId`` is filled in), else what it raises."""
    if moto is None:
        return "moto is not installed"
    with moto.mock_aws():
        client = new_client()
        params = {"UserPoolId": import_pool(client), **params}
        try:
            getattr(client, method)(**params)
        except NotImplementedError as error:
            return f"{type(error).__name__}: {error}"
        except client.exceptions.ClientError:
            return None  # implemented: it answered (with an error for a made-up id)
    return None


# -- (g) the import next to AdminCreateUser one at a time ---------------------------------------


@dataclass
class ImportResult:
    rows: int
    phases: dict[str, Timing] = field(default_factory=lambda: {p: Timing() for p in PHASES})
    total: Timing = field(default_factory=Timing)
    describes: int = 0
    body_bytes: int = 0
    #: Nanoseconds per AdminCreateUser call, by contender ("mock", "moto").
    create_user: dict[str, Timing] = field(default_factory=dict)
    sample_sizes: dict[str, int] = field(default_factory=dict)
    #: Why moto cannot run the import (None if it could).
    moto_missing: str | None = None
    #: Nanoseconds the cyclic garbage collector ran during each timed import.
    gc_time: Timing = field(default_factory=Timing)
    #: Only when the target is not met: the largest self times under cProfile in the call that
    #: imports every row (function, share of the profiled time).
    profile: list[tuple[str, float]] | None = None


def _users_contender(activate: Callable[[], Any]) -> Contender:
    """AdminCreateUser, a new user each call, as a pool fills (the same attributes as a row)."""

    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        with activate():
            client = new_client()
            pool_id = import_pool(client)
            numbers = itertools.count()

            def create_user() -> object:
                name = f"user{next(numbers):06d}"
                return client.admin_create_user(
                    UserPoolId=pool_id,
                    Username=name,
                    UserAttributes=[
                        {"Name": "email", "Value": f"{name}@example.com"},
                        {"Name": "email_verified", "Value": "true"},
                    ],
                    MessageAction="SUPPRESS",
                )

            yield create_user

    return contender


def measure_import(settings: Settings) -> ImportResult:
    """(g) The whole import, phase by phase, one fresh mock per round; AdminCreateUser per call
    under the mock and moto, to be scaled to the same number of users.

    Each round times one import, then one round of AdminCreateUser batches, so that a busy
    spell of the machine weighs on both sides of the ratio alike.
    """
    result = ImportResult(settings.import_rows)
    contenders: dict[str, Contender] = {"mock": _users_contender(CognitoMock)}
    result.sample_sizes["mock"] = settings.create_user_sample
    if moto is not None:
        contenders["moto"] = _users_contender(moto.mock_aws)
        result.sample_sizes["moto"] = settings.moto_create_user_sample
    result.create_user = {name: Timing() for name in contenders}
    one_round = dataclasses.replace(settings, rounds=1)

    client = new_client()
    with CognitoMock():  # warm-up: lazy imports, the upload server's first start
        run_import(client, import_pool(client), 10)
    for _ in range(settings.import_rounds):
        with CognitoMock():
            pool_id = import_pool(client)
            gc.collect()
            with collector_time() as collecting:
                outcome = run_import(client, pool_id, settings.import_rows)
        result.gc_time.samples.append(collecting[0])
        for phase, nanoseconds in outcome.phases.items():
            result.phases[phase].samples.append(nanoseconds)
        result.total.samples.append(sum(outcome.phases.values()))
        result.describes, result.body_bytes = outcome.describes, outcome.body_bytes
        gc.collect()
        for name, timing in compare(contenders, result.sample_sizes, one_round).items():
            result.create_user[name].samples += timing.samples

    result.moto_missing = moto_lacks("get_csv_header")
    if "moto" in result.create_user and not import_target_met(result):
        result.profile = profile_import(client, settings.import_rows)
    return result


def import_ratio(result: ImportResult) -> float:
    """moto's AdminCreateUser, one call per user, over the mock's whole import."""
    return result.create_user["moto"].median * result.rows / result.total.median


def import_target_met(result: ImportResult) -> bool:
    return import_ratio(result) >= TARGETS["import"][1]


@contextlib.contextmanager
def collector_time() -> Iterator[list[int]]:
    """Nanoseconds the cyclic GC runs inside the block (``[total]``, filled in as it goes)."""
    spent, started = [0], [0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter_ns()
        else:
            spent[0] += time.perf_counter_ns() - started[0]

    gc.callbacks.append(callback)
    try:
        yield spent
    finally:
        gc.callbacks.remove(callback)


def profile_import(client: Any, rows: int) -> list[tuple[str, float]]:
    """cProfile's largest self times in the DescribeUserImportJob call that imports every row."""
    with CognitoMock() as mock:
        pool_id = import_pool(client)
        header = client.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
        job_id = client.create_user_import_job(
            JobName="profiled", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )["UserImportJob"]["JobId"]
        mock.upload_csv(pool_id, job_id, csv_body(header, rows))
        client.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
        gc.collect()
        profiler = cProfile.Profile()
        profiler.runcall(client.describe_user_import_job, UserPoolId=pool_id, JobId=job_id)
    return _top_self_times(profiler)


def _top_self_times(profiler: cProfile.Profile, count: int = 8) -> list[tuple[str, float]]:
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in entries.values())
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:count]
    return [(_where(key), entry[2] / total) for key, entry in ranked]


def _where(key: tuple[str, int, str]) -> str:
    """``module.py:line(function)``, the path cut to what identifies it."""
    filename, line, function = key
    if filename == "~":  # a built-in
        return function
    parts = Path(filename).parts
    for anchor in ("pytest_cognito_mock", "botocore", "moto"):
        if anchor in parts:
            filename = "/".join(parts[parts.index(anchor) :])
            break
    else:
        filename = Path(filename).name
    return f"{filename}:{line}" + (f"({function})" if function else "")


# -- (h) the 500,000-row maximum, in a child process -------------------------------------------


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far: ``VmHWM`` where /proc has it (Linux).

    Not ``ru_maxrss`` there: Linux carries the spawning process's high-water mark across exec
    into the child's ``ru_maxrss``, so a child of a large benchmark process would report its
    parent's peak. ``VmHWM`` belongs to the child's own address space.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return ru_maxrss_bytes()


def ru_maxrss_bytes() -> int:
    """``getrusage(RUSAGE_SELF).ru_maxrss`` in bytes (KiB on Linux, bytes on macOS)."""
    import resource  # not on Windows

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def max_import_child(rows: str) -> dict[str, Any]:
    """In a fresh process: one import of ``rows`` users; its time and the process's peak RSS."""
    count = int(rows)
    with fake_aws_environment(), loopback_only(), CognitoMock():
        client = new_client()
        pool_id = import_pool(client)
        run_import(client, import_pool(client), 10)  # lazy imports first, as in (g)
        gc.collect()
        peak_before, rss_before = peak_rss_bytes(), rss_bytes()
        outcome = run_import(client, pool_id, count)
        gc.collect()
        rss_after, peak = rss_bytes(), peak_rss_bytes()
    return {
        "rows": count,
        "total_ns": sum(outcome.phases.values()),
        "body_bytes": outcome.body_bytes,
        "peak_before": peak_before,
        "peak": peak,
        "ru_maxrss": ru_maxrss_bytes(),
        "rss_before": rss_before,
        "rss_after": rss_after,
    }


def memory_profile_child(rows: str) -> dict[str, Any]:
    """In a fresh process: the import under tracemalloc; the largest allocation sites still
    held once it is done (users in the pool, the job's log) and the traced peak."""
    count = int(rows)
    with fake_aws_environment(), loopback_only(), CognitoMock():
        client = new_client()
        pool_id = import_pool(client)
        run_import(client, import_pool(client), 10)
        gc.collect()
        tracemalloc.start(2)  # two frames: a dataclass's generated __init__ names no file
        baseline = tracemalloc.get_traced_memory()[0]
        run_import(client, pool_id, count)
        gc.collect()
        snapshot = tracemalloc.take_snapshot()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    top = [
        [_allocation_site(stat.traceback), stat.size]
        for stat in snapshot.statistics("traceback")[:10]
    ]
    return {"rows": count, "retained": current - baseline, "peak": peak - baseline, "top": top}


def _allocation_site(traceback: tracemalloc.Traceback) -> str:
    """The allocating line and its source; for code without a file (a dataclass's generated
    ``__init__``), the line that called it."""
    frames = list(traceback)  # oldest first
    frame = frames[-1]
    if frame.filename.startswith("<") and len(frames) > 1:
        caller = frames[-2]
        return f"generated __init__ line {frame.lineno}, called at {_source_line(caller)}"
    return _source_line(frame)


def _source_line(frame: tracemalloc.Frame) -> str:
    code = linecache.getline(frame.filename, frame.lineno).strip()
    code = code if len(code) <= 60 else code[:59] + "\u2026"
    return f"{_where((frame.filename, frame.lineno, ''))} `{code}`"


def measure_max_import(settings: Settings) -> dict[str, Any]:
    """(h) max_import_child; when its peak is over the target, memory_profile_child too."""
    result = in_child("max-import", str(settings.max_import_rows))
    full_size = settings.max_import_rows >= 500_000
    if full_size and result["peak"] > PEAK_RSS_TARGET:
        rows = min(settings.max_import_rows, PROFILE_ROWS)
        result["profile"] = in_child("import-memory-profile", str(rows))
    return result


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "max-import": max_import_child,
    "import-memory-profile": memory_profile_child,
}
