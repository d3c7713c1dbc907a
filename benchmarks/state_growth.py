"""(l) Per-call cost as one pool fills with users, and with import jobs.

A test suite that seeds thousands of users (or runs many imports) must not pay more per call for
it: every lookup the mock makes is a dictionary access, and a listing's first page must not cost
a pass over the whole pool. Each series fills one pool between checkpoints (untimed) and, at each
checkpoint, times a few probes in interleaved rounds: the mock, the send-path floor answering
with the mock's own body at that checkpoint, and botocore's Stubber for reference. moto runs the
user series in its own ``mock_aws``; it has no import jobs.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from harness import Contender, Settings, Timing, compare, create_app, moto, new_client
from import_jobs import ROLE_ARN, import_pool
from send_path import floor_contender, stubber_contender
from table import Row, Section, ratio, timed

from pytest_cognito_mock import CognitoMock

TARGET_USER = "target"
PASSWORD = "Correct-Horse-7"  # satisfies the default password policy


@dataclass(frozen=True)
class World:
    """What the probes address: the pool, its app client and the first import job, if any."""

    pool_id: str
    client_id: str = ""
    job_id: str = ""


@dataclass(frozen=True)
class Probe:
    label: str
    operation: str  # API name, for the floor's event
    method: str  # boto3's
    params: Callable[[World], dict[str, Any]]


def _sign_in_params(world: World) -> dict[str, Any]:
    return {
        "UserPoolId": world.pool_id,
        "ClientId": world.client_id,
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": TARGET_USER, "PASSWORD": PASSWORD},
    }


USER_PROBES = (
    Probe(
        "AdminGetUser",
        "AdminGetUser",
        "admin_get_user",
        lambda w: {"UserPoolId": w.pool_id, "Username": TARGET_USER},
    ),
    Probe(
        "AdminInitiateAuth (sign-in, signs 2 tokens)",
        "AdminInitiateAuth",
        "admin_initiate_auth",
        _sign_in_params,
    ),
    # Limit=1: the same one-user page at every size, so only finding the page could grow.
    Probe(
        "ListUsers, Limit=1",
        "ListUsers",
        "list_users",
        lambda w: {"UserPoolId": w.pool_id, "Limit": 1},
    ),
)
JOB_PROBES = (
    Probe(
        "DescribeUserImportJob",
        "DescribeUserImportJob",
        "describe_user_import_job",
        lambda w: {"UserPoolId": w.pool_id, "JobId": w.job_id},
    ),
    Probe(
        "ListUserImportJobs, MaxResults=1",
        "ListUserImportJobs",
        "list_user_import_jobs",
        lambda w: {"UserPoolId": w.pool_id, "MaxResults": 1},
    ),
)


def _create_user(client: Any, pool_id: str, username: str) -> None:
    client.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )


def users_world(client: Any) -> World:
    """A pool, an app client, and the one user the probes read and sign in."""
    pool_id, client_id = create_app(client)
    _create_user(client, pool_id, TARGET_USER)
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=TARGET_USER, Password=PASSWORD, Permanent=True
    )
    return World(pool_id, client_id)


def add_users(client: Any, world: World, first: int, count: int) -> None:
    for index in range(first, first + count):
        _create_user(client, world.pool_id, f"user-{index:06d}")


def jobs_world(client: Any) -> World:
    """A pool ready for imports and its first import job (the one DescribeUserImportJob reads)."""
    pool_id = import_pool(client)
    job_id = client.create_user_import_job(
        JobName="first", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]["JobId"]
    return World(pool_id, job_id=job_id)


def add_jobs(client: Any, world: World, first: int, count: int) -> None:
    for index in range(first, first + count):
        client.create_user_import_job(
            JobName=f"job-{index}", UserPoolId=world.pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )


@dataclass(frozen=True)
class Series:
    what: str  # "users", "import jobs"
    probes: tuple[Probe, ...]
    make_world: Callable[[Any], World]
    add: Callable[[Any, World, int, int], None]  # (client, world, first index, how many)


USERS = Series("users", USER_PROBES, users_world, add_users)
JOBS = Series("import jobs", JOB_PROBES, jobs_world, add_jobs)

#: probe label -> checkpoint -> contender -> timing
SeriesTimings = dict[str, dict[int, dict[str, Timing]]]


def _answer(client: Any, probe: Probe, params: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The mock's answer to ``probe``: (wire JSON, as boto3 parsed it without metadata)."""
    bodies: list[bytes] = []
    event = f"after-call.cognito-identity-provider.{probe.operation}"
    record = lambda http_response, **_: bodies.append(http_response.content)  # noqa: E731
    client.meta.events.register(event, record)
    try:
        parsed = getattr(client, probe.method)(**params)
    finally:
        client.meta.events.unregister(event, record)
    parsed.pop("ResponseMetadata", None)
    return json.loads(bodies[-1]), parsed


@contextlib.contextmanager
def _paused_floor(
    mock: CognitoMock, probe: Probe, params: dict[str, Any], wire: dict[str, Any]
) -> Iterator[Callable[[], object]]:
    """The floor for ``probe``, timed with the mock stopped (its state kept): a before-send
    answer is only reached when no mock holds cognito-idp."""
    mock.stop()
    try:
        with floor_contender(probe.operation, probe.method, params, wire) as operation:
            yield operation
    finally:
        mock.start()


def _filled(
    series: Series, client: Any, checkpoints: tuple[int, ...]
) -> Iterator[tuple[int, World]]:
    """Fill one pool through ``client`` up to each checkpoint in turn (untimed) and yield it."""
    world = series.make_world(client)
    held = 1  # make_world's user or job
    for checkpoint in checkpoints:
        series.add(client, world, held, checkpoint - held)
        held = max(held, checkpoint)
        yield checkpoint, world


def measure_mock_series(
    series: Series, checkpoints: tuple[int, ...], settings: Settings, calls: int
) -> SeriesTimings:
    """The mock, the floor and the Stubber for each probe at each checkpoint."""
    timings: SeriesTimings = {probe.label: {} for probe in series.probes}
    with CognitoMock() as mock:
        client = new_client()
        for checkpoint, world in _filled(series, client, checkpoints):
            for probe in series.probes:
                params = probe.params(world)
                wire, parsed = _answer(client, probe, params)
                call = functools.partial(getattr(client, probe.method), **params)
                contenders: dict[str, Contender] = {
                    "stubber": functools.partial(stubber_contender, probe.method, params, parsed),
                    "floor": functools.partial(_paused_floor, mock, probe, params, wire),
                    "mock": functools.partial(contextlib.nullcontext, call),
                }
                timings[probe.label][checkpoint] = compare(
                    contenders, dict.fromkeys(contenders, calls), settings
                )
    return timings


def measure_moto_series(
    series: Series, checkpoints: tuple[int, ...], settings: Settings, calls: int
) -> SeriesTimings:
    """moto's cost per probe at each checkpoint (no floor: its bodies differ from the mock's)."""
    timings: SeriesTimings = {probe.label: {} for probe in series.probes}
    with moto.mock_aws():
        client = new_client()
        for checkpoint, world in _filled(series, client, checkpoints):
            for probe in series.probes:
                call = functools.partial(getattr(client, probe.method), **probe.params(world))
                contenders: dict[str, Contender] = {
                    "moto": functools.partial(contextlib.nullcontext, call)
                }
                timings[probe.label][checkpoint] = compare(contenders, {"moto": calls}, settings)
    return timings


@dataclass
class StateGrowth:
    users: SeriesTimings
    jobs: SeriesTimings
    moto_users: SeriesTimings = field(default_factory=dict)


def measure_state_growth(settings: Settings) -> StateGrowth:
    result = StateGrowth(
        measure_mock_series(USERS, settings.user_checkpoints, settings, settings.state_calls),
        measure_mock_series(JOBS, settings.job_checkpoints, settings, settings.state_calls),
    )
    if moto is not None:
        result.moto_users = measure_moto_series(
            USERS, settings.moto_user_checkpoints, settings, settings.moto_state_calls
        )
    return result


def _held(count: int, what: str) -> str:
    """'1 user', '100 import jobs'."""
    return f"{count:,} {what if count != 1 else what[:-1]}"


def _series_rows(what: str, timings: SeriesTimings, moto_timings: SeriesTimings) -> list[Row]:
    rows: list[Row] = []
    for label, by_checkpoint in timings.items():
        smallest = min(by_checkpoint)
        first = by_checkpoint[smallest]["mock"].median
        for checkpoint, contenders in by_checkpoint.items():
            at = f"{label}, {_held(checkpoint, what)}"
            floor, mock = contenders["floor"], contenders["mock"]
            if checkpoint == smallest:
                stubber = contenders["stubber"]
                rows.append(
                    timed(
                        f"{at}: botocore Stubber (reference)",
                        stubber,
                        ratio("stubber / floor", stubber.median, floor.median),
                    )
                )
            rows.append(timed(f"{at}: send-path floor (the mock's body)", floor))
            growth = (
                ""
                if checkpoint == smallest
                else "; "
                + ratio(
                    f"{label}: {_held(checkpoint, what)} / {_held(smallest, what)}",
                    mock.median,
                    first,
                    "state growth",
                )
            )
            rows.append(
                timed(
                    f"{at}: pytest-cognito-mock",
                    mock,
                    ratio("mock / floor", mock.median, floor.median) + growth,
                )
            )
        for checkpoint, contenders in moto_timings.get(label, {}).items():
            moto_timing = contenders["moto"]
            moto_first = moto_timings[label][min(moto_timings[label])]["moto"].median
            mock_at = by_checkpoint.get(checkpoint, {}).get("mock")
            notes = []
            if mock_at is not None:
                notes.append(ratio("moto / mock", moto_timing.median, mock_at.median))
            if checkpoint != min(moto_timings[label]):
                notes.append(
                    ratio(
                        f"{_held(checkpoint, what)} / {_held(min(moto_timings[label]), what)}",
                        moto_timing.median,
                        moto_first,
                    )
                )
            rows.append(
                timed(
                    f"{label}, {_held(checkpoint, what)}: moto mock_aws",
                    moto_timing,
                    "; ".join(notes),
                )
            )
    return rows


def state_growth_section(result: StateGrowth) -> Section:
    section = Section("(l) per call as one pool fills with users, and with import jobs")
    section.rows += _series_rows("users", result.users, result.moto_users)
    section.rows += _series_rows("import jobs", result.jobs, {})
    if moto is None:
        section.rows.append(Row("moto mock_aws", "moto not installed"))
    else:
        section.rows.append(Row("import jobs: moto mock_aws", "moto: not implemented"))
    return section
