"""Properties of import-job control: whatever sequence of creates, uploads, starts, stops, reads,
manual steps and jumps in mock time a test makes, against one mock, every job stays in a state
AWS could show, and every refusal is one of the modelled errors, exactly when predicted.

Each hypothesis example runs in a fresh ``CognitoMock`` under its own ``freeze_time``. After every
step the test reads every job (ListUserImportJobs, twice: a read at a fixed instant changes
nothing), its log and the pool's users, and checks them against what it saw before.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import botocore.session
import requests
from botocore.exceptions import ClientError
from freezegun import freeze_time
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from support.profile import examples

from pytest_cognito_mock import CognitoMock
from pytest_cognito_mock.backend.import_jobs import TRANSITIONS

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
SSE = {"x-amz-server-side-encryption": "aws:kms"}
UNKNOWN_JOB_ID = "import-0000000000"

STATUSES = frozenset(
    botocore.session.get_session()
    .get_service_model("cognito-idp")
    .shape_for("UserImportJobStatusType")
    .enum
)
TERMINAL = frozenset({"Succeeded", "Failed", "Stopped", "Expired"})
ACTIVE = frozenset({"Pending", "InProgress", "Stopping"})
#: The errors a job-control call may answer with; anything else is a bug.
MODELLED_ERRORS = frozenset(
    {"PreconditionNotMetException", "LimitExceededException", "ResourceNotFoundException"}
)
SUCCEEDED_MESSAGE = "Import Job Completed Successfully."
TOO_MANY_FAILURES_MESSAGE = "Too many users have failed or been skipped during the import."
EXPIRY = timedelta(hours=24)
#: The presigned URL is good for 899 seconds from the second it was signed in.
URL_LIFETIME = 899

_LOG_LINE = re.compile(r"\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number (\d+) - .+")


def reachable_statuses() -> dict[str, frozenset[str]]:
    """Every status reachable from each status in zero or more TRANSITIONS (one read may cover
    several: Pending -> InProgress -> Succeeded)."""
    graph: dict[str, set[str]] = {status: set() for status in STATUSES}
    for before, after in TRANSITIONS:
        graph[before].add(after)
    reachable = {}
    for start in STATUSES:
        seen, todo = {start}, [start]
        while todo:
            for following in graph[todo.pop()]:
                if following not in seen:
                    seen.add(following)
                    todo.append(following)
        reachable[start] = frozenset(seen)
    return reachable


REACHABLE = reachable_statuses()

# -- what a test uploads ---------------------------------------------------------------------


@dataclass(frozen=True)
class CsvFile:
    """An upload and what importing it must do: ``usernames`` per data row (None for a file
    that cannot be read at all, which fails the job with nothing processed)."""

    kind: str
    usernames: tuple[str, ...] | None

    @property
    def rows(self) -> int:
        return len(self.usernames or ())


USERNAMES = ["ada", "bob", "cy", "dee", "eve"]
#: (cognito:username, email, email_verified): half the rows import, the rest may not.
good_row = st.tuples(
    st.sampled_from(USERNAMES), st.just("someone@example.com"), st.sampled_from(["true", "TRUE"])
)
any_row = st.tuples(
    st.sampled_from([*USERNAMES, ""]),  # "" fails: no cognito:username
    st.sampled_from(["", "someone@example.com"]),
    st.sampled_from(["", "true", "TRUE", "false"]),  # only true imports
)
rows_strategy = st.one_of(
    # distinct usernames that all import (unless a user of that name exists already) ...
    st.lists(st.sampled_from(USERNAMES), unique=True, min_size=2, max_size=5).map(
        lambda names: [(name, "someone@example.com", "true") for name in names]
    ),
    # ... or any mix, repeats included.
    st.lists(st.one_of(good_row, any_row), max_size=8),
)
#: Files no job can read: (what is wrong, how to make it from the pool's header).
UNREADABLE: dict[str, Callable[[list[str]], bytes]] = {
    "empty": lambda header: b"",
    "byte order mark": lambda header: b"\xef\xbb\xbf" + ",".join(header).encode() + b"\n",
    "missing column": lambda header: ",".join(header[1:]).encode() + b"\n",
    "unknown column": lambda header: ",".join([*header, "shoe_size"]).encode() + b"\n",
    "repeated column": lambda header: ",".join([*header, header[0]]).encode() + b"\n",
    "not utf-8": lambda header: ",".join(header).encode() + b"\n\xff\xfe,\n",
    "blank first line": lambda header: b"\n" + ",".join(header).encode() + b"\n",
}
valid_file = st.tuples(
    st.just("valid"), rows_strategy, st.booleans(), st.sampled_from(["\n", "\r\n"])
)
file_strategy = st.one_of(
    valid_file,
    st.tuples(st.just("unreadable"), st.sampled_from(sorted(UNREADABLE))),
    st.tuples(st.just("random"), st.binary(max_size=64)),
)


def make_file(spec: tuple[Any, ...], header: list[str]) -> tuple[bytes, CsvFile]:
    kind = spec[0]
    if kind == "valid":
        _, rows, reverse_columns, newline = spec
        columns = list(reversed(header)) if reverse_columns else header
        lines = [",".join(columns)]
        for username, email, verified in rows:
            values = {"cognito:username": username, "email": email, "email_verified": verified}
            lines.append(",".join(values.get(column, "") for column in columns))
        body = newline.join(lines) + newline
        return body.encode(), CsvFile(kind, tuple(username for username, _, _ in rows))
    if kind == "unreadable":
        return UNREADABLE[spec[1]](header), CsvFile(spec[1], None)
    return spec[1], CsvFile("random", None)


# -- the steps -------------------------------------------------------------------------------

job_ref = st.integers(min_value=0, max_value=3)
short_wait = st.floats(min_value=0, max_value=10)
long_wait = st.one_of(
    st.floats(min_value=0, max_value=3600),
    st.floats(min_value=0, max_value=50 * 3600),
    st.sampled_from([URL_LIFETIME, 24 * 3600]),
)


@dataclass
class JobModel:
    job_id: str
    url: str
    upload: CsvFile | None = None  # the file the job holds now
    file: CsvFile | None = None  # the file it was started with
    started: bool = False
    last: dict[str, Any] | None = None  # the job as last read


class JobControls(RuleBasedStateMachine):
    """One example: a fresh mock under its own frozen clock, the jobs as last read, the checks.

    Steps name jobs by number (modulo the jobs there are), so every step does something.
    """

    def __init__(self) -> None:
        super().__init__()
        self.freezer: Any = None
        self.cognito: Any = None
        self.jobs: list[JobModel] = []
        self.created_otherwise: set[str] = set()
        self.users: set[str] = set()
        #: What this example reached (for the tour below).
        self.statuses_seen: set[str] = set()
        self.errors_seen: set[str] = set()

    @initialize(rate=st.sampled_from([None, 0, 0.5, 3]), stop_delay=st.sampled_from([0, 30]))
    def begin(self, rate: float | None, stop_delay: float) -> None:
        self.freezer = freeze_time("2025-06-01 12:00:00")
        self.clock = self.freezer.start()
        self.cognito = CognitoMock(import_rate=rate, import_stop_delay=stop_delay).start()
        self.idp = self.cognito.client()
        self.pool_id = self.idp.create_user_pool(
            PoolName="imports", AutoVerifiedAttributes=["email"]
        )["UserPool"]["Id"]
        self.header = self.idp.get_csv_header(UserPoolId=self.pool_id)["CSVHeader"]
        self.create()  # most sequences are about a job: start with one

    def teardown(self) -> None:
        if self.cognito is not None:
            self.cognito.stop()
        if self.freezer is not None:
            self.freezer.stop()

    def job(self, ref: int) -> JobModel:
        return self.jobs[ref % len(self.jobs)]

    def jobs_in(self, *statuses: str) -> list[JobModel]:
        return [job for job in self.jobs if self.status(job) in statuses]

    def startable(self) -> list[JobModel]:
        return [job for job in self.jobs_in("Created") if job.upload is not None]

    @invariant()
    def everything_read_now_is_consistent(self) -> None:
        self.observe()

    # -- steps on any job (the number picks one), refused or not ---------------------------------

    @rule()
    def create(self) -> None:
        created = self.idp.create_user_import_job(
            JobName=f"job{len(self.jobs)}", UserPoolId=self.pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )["UserImportJob"]
        self.jobs.append(JobModel(created["JobId"], created["PreSignedUrl"]))
        assert created["Status"] == "Created"
        self.check_job(created)

    @rule(ref=job_ref, spec=file_strategy)
    def upload(self, ref: int, spec: tuple[Any, ...]) -> None:
        self.upload_to(self.job(ref), spec)

    @rule(ref=job_ref, spec=valid_file)
    def upload_over_http(self, ref: int, spec: tuple[Any, ...]) -> None:
        job = self.job(ref)
        body, csv_file = make_file(spec, self.header)
        assert job.last is not None
        signed_at = math.floor(job.last["CreationDate"].timestamp())
        age = time.time() - signed_at  # the frozen clock: it moves only with the wait steps
        response = requests.put(job.url, data=body, headers=SSE, timeout=10)
        if abs(age - URL_LIFETIME) <= 1:
            assert response.status_code in (200, 403)  # the boundary second, rounded
        elif self.status(job) == "Created" and age < URL_LIFETIME:
            assert response.status_code == 200, response.text
        else:
            assert response.status_code == 403, response.text
            assert "<Code>AccessDenied</Code>" in response.text
        if response.status_code == 200:
            job.upload = csv_file

    @rule(ref=job_ref)
    def start(self, ref: int) -> None:
        self.start_job(self.job(ref))

    @rule(ref=job_ref)
    def stop(self, ref: int) -> None:
        self.stop_job(self.job(ref))

    @rule(ref=job_ref, rows=st.integers(min_value=0, max_value=4))
    def step(self, ref: int, rows: int) -> None:
        self.cognito.step_import_job(self.pool_id, self.job(ref).job_id, rows=rows)

    @rule(ref=st.integers(min_value=0, max_value=4))
    def describe(self, ref: int) -> None:
        job = self.jobs[ref] if ref < len(self.jobs) else None  # past the last: an unknown id
        described = self.call(
            None if job is not None else "ResourceNotFoundException",
            self.idp.describe_user_import_job,
            UserPoolId=self.pool_id,
            JobId=job.job_id if job is not None else UNKNOWN_JOB_ID,
        )
        if described is not None:
            self.check_job(described["UserImportJob"])

    @rule()
    def list_all(self) -> None:
        self.list_jobs()

    @rule(seconds=short_wait)
    def wait_seconds(self, seconds: float) -> None:
        self.clock.tick(seconds)

    @rule(seconds=long_wait)
    def wait_hours(self, seconds: float) -> None:
        self.clock.tick(seconds)

    @rule(username=st.sampled_from(USERNAMES))
    def admin_create_user(self, username: str) -> None:
        exists = username in self.users
        try:
            self.idp.admin_create_user(
                UserPoolId=self.pool_id, Username=username, MessageAction="SUPPRESS"
            )
        except ClientError as error:
            assert exists and error.response["Error"]["Code"] == "UsernameExistsException"
            return
        assert not exists
        self.created_otherwise.add(username)

    # -- steps that move a job on, so that sequences reach every status --------------------------

    @precondition(lambda self: self.jobs_in("Created"))
    @rule(ref=job_ref, spec=valid_file)
    def upload_users_to_a_created_job(self, ref: int, spec: tuple[Any, ...]) -> None:
        created = self.jobs_in("Created")
        self.upload_to(created[ref % len(created)], spec)

    @precondition(lambda self: self.startable())
    @rule(ref=job_ref)
    def start_an_uploaded_job(self, ref: int) -> None:
        startable = self.startable()
        self.start_job(startable[ref % len(startable)])

    @precondition(lambda self: self.jobs_in("Pending", "InProgress"))
    @rule(rows=st.integers(min_value=1, max_value=3))
    def step_the_running_job(self, rows: int) -> None:
        (running,) = self.jobs_in("Pending", "InProgress")  # one active job at a time
        self.cognito.step_import_job(self.pool_id, running.job_id, rows=rows)

    @precondition(lambda self: self.jobs_in("Pending", "InProgress"))
    @rule()
    def stop_the_running_job(self) -> None:
        (running,) = self.jobs_in("Pending", "InProgress")
        self.stop_job(running)

    # -- what the steps do, and what they must answer ------------------------------------------

    def upload_to(self, job: JobModel, spec: tuple[Any, ...]) -> None:
        body, csv_file = make_file(spec, self.header)
        status = self.status(job)
        try:
            self.cognito.upload_csv(self.pool_id, job.job_id, body)
        except ValueError as refused:
            # The documented refusal: only a Created job takes a file.
            assert status != "Created", refused
            expected = f"import job {job.job_id} takes no upload: its status is {status}"
            assert str(refused) == expected
            return
        assert status == "Created"
        job.upload = csv_file

    def start_job(self, job: JobModel) -> None:
        if self.status(job) != "Created" or job.upload is None:
            expected: str | None = "PreconditionNotMetException"
        elif self.jobs_in(*ACTIVE):
            expected = "LimitExceededException"
        else:
            expected = None
        started = self.call(
            expected, self.idp.start_user_import_job, UserPoolId=self.pool_id, JobId=job.job_id
        )
        if started is not None:
            job.started, job.file = True, job.upload
            assert started["UserImportJob"]["Status"] == "Pending"  # as AWS answers Start
            # The job has not been brought up to the clock since it started: the next read
            # (the log's included) may already import rows.
            self.check_job(started["UserImportJob"], settled=False)

    def stop_job(self, job: JobModel) -> None:
        running = self.status(job) in ("Pending", "InProgress")
        stopped = self.call(
            None if running else "PreconditionNotMetException",
            self.idp.stop_user_import_job,
            UserPoolId=self.pool_id,
            JobId=job.job_id,
        )
        if stopped is not None:
            stop_delay = self.cognito.options.import_stop_delay
            expected = "Stopping" if stop_delay else "Stopped"
            assert stopped["UserImportJob"]["Status"] == expected
            self.check_job(stopped["UserImportJob"])

    # -- reading and checking ------------------------------------------------------------------

    def call(self, expected_error: str | None, operation: Any, **params: Any) -> Any:
        """The response, or None after the predicted modelled error (anything else fails)."""
        try:
            response = operation(**params)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            self.errors_seen.add(code)
            assert code in MODELLED_ERRORS, error
            assert code == expected_error, f"{code} where {expected_error} was expected"
            return None
        assert expected_error is None, f"succeeded where {expected_error} was expected"
        return response

    def status(self, job: JobModel) -> str:
        assert job.last is not None
        return str(job.last["Status"])

    def list_jobs(self) -> list[dict[str, Any]]:
        listed = self.idp.list_user_import_jobs(UserPoolId=self.pool_id, MaxResults=60)
        jobs: list[dict[str, Any]] = listed.get("UserImportJobs", [])
        assert sorted(job["JobId"] for job in jobs) == sorted(job.job_id for job in self.jobs)
        for shape in jobs:
            self.check_job(shape)
        return jobs

    def observe(self) -> None:
        """Read everything; a second read at the same instant must see the same."""
        first = self.list_jobs()
        assert self.list_jobs() == first
        users = self.idp.list_users(UserPoolId=self.pool_id, Limit=60)["Users"]
        self.users = {user["Username"] for user in users}
        imported = sum(job.last["ImportedUsers"] for job in self.jobs if job.last)
        assert len(users) == len(self.created_otherwise) + imported
        assert self.users == self.created_otherwise | self.imported_usernames()

    def imported_usernames(self) -> set[str]:
        names = set()
        for job in self.jobs:
            if job.file is None or job.file.usernames is None:
                continue
            for outcome, line in self.log(job):
                if outcome == "SUCCEEDED":
                    names.add(job.file.usernames[line - 2])
        return names

    def log(self, job: JobModel) -> list[tuple[str, int]]:
        events = []
        for text in self.cognito.import_log(self.pool_id, job.job_id):
            match = _LOG_LINE.fullmatch(text)
            assert match is not None, text
            events.append((match[1], int(match[2])))
        return events

    def check_job(self, shape: dict[str, Any], *, settled: bool = True) -> None:
        """Check one read of a job against the previous one; ``settled`` when the read brought
        the job up to the clock, so that reading its log now sees the same state."""
        job = next(job for job in self.jobs if job.job_id == shape["JobId"])
        status = shape["Status"]
        counters = (shape["ImportedUsers"], shape["SkippedUsers"], shape["FailedUsers"])
        processed = sum(counters)
        assert status in STATUSES
        self.statuses_seen.add(status)
        previous = job.last
        if previous is not None:
            assert status in REACHABLE[previous["Status"]], f"{previous['Status']} -> {status}"
            if previous["Status"] in TERMINAL:
                assert shape == previous, "a finished job changed"
            before = (previous["ImportedUsers"], previous["SkippedUsers"], previous["FailedUsers"])
            assert all(now >= then for now, then in zip(counters, before, strict=True))
        assert ("StartDate" in shape) == job.started
        assert ("CompletionDate" in shape) == (status in TERMINAL)
        assert ("CompletionMessage" in shape) == (status in TERMINAL)
        if job.started:
            assert shape["StartDate"] >= shape["CreationDate"]
            if "CompletionDate" in shape:
                assert shape["CompletionDate"] >= shape["StartDate"]
            assert job.file is not None
            assert processed <= job.file.rows
        else:
            assert processed == 0
        if status in ("Succeeded", "Failed"):
            self.check_outcome(job, shape, processed)
        if settled:
            self.check_log(job, shape)
        if status == "Expired":
            expired_after = shape["CompletionDate"] - shape["CreationDate"]
            assert abs(expired_after - EXPIRY) <= timedelta(milliseconds=1)
        job.last = shape

    def check_log(self, job: JobModel, shape: dict[str, Any]) -> None:
        """The counters are the log: one line per processed row, in file order."""
        counters = (shape["ImportedUsers"], shape["SkippedUsers"], shape["FailedUsers"])
        processed = sum(counters)
        log = self.log(job)
        assert [line for _, line in log] == list(range(2, processed + 2))
        by_outcome = tuple(
            sum(1 for outcome, _ in log if outcome == name)
            for name in ("SUCCEEDED", "SKIPPED", "FAILED")
        )
        assert by_outcome == counters

    def check_outcome(self, job: JobModel, shape: dict[str, Any], processed: int) -> None:
        """Succeeded or Failed: every row processed, and the outcome the failure share says."""
        assert job.file is not None
        assert processed == job.file.rows
        if job.file.usernames is None:
            assert shape["Status"] == "Failed"
            assert shape["CompletionMessage"] not in (SUCCEEDED_MESSAGE, TOO_MANY_FAILURES_MESSAGE)
            return
        bad = shape["SkippedUsers"] + shape["FailedUsers"]
        too_many = processed > 0 and bad / processed > 0.5
        assert (shape["Status"], shape["CompletionMessage"]) == (
            ("Failed", TOO_MANY_FAILURES_MESSAGE) if too_many else ("Succeeded", SUCCEEDED_MESSAGE)
        )


JobControls.TestCase.settings = settings(
    max_examples=examples(60),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestAnySequenceOfJobControls = JobControls.TestCase


def users_file(*rows: tuple[str, str, str]) -> tuple[Any, ...]:
    return ("valid", list(rows), False, "\n")


def verified(username: str) -> tuple[str, str, str]:
    return (username, "someone@example.com", "true")


#: A fixed path through every status and every modelled refusal: (step, its arguments).
TOUR: list[tuple[str, dict[str, Any]]] = [
    (
        "upload_users_to_a_created_job",
        {"ref": 0, "spec": users_file(*map(verified, USERNAMES[:3]))},
    ),
    ("start_an_uploaded_job", {"ref": 0}),  # job 0 Pending
    ("step_the_running_job", {"rows": 1}),  # job 0 InProgress
    ("create", {}),
    ("upload", {"ref": 1, "spec": users_file(verified("dee"))}),
    ("start", {"ref": 1}),  # LimitExceeded: job 0 is active
    ("stop_the_running_job", {}),  # job 0 Stopping
    ("start", {"ref": 1}),  # LimitExceeded: Stopping is active too
    ("wait_seconds", {"seconds": 10}),
    ("wait_seconds", {"seconds": 10}),
    ("wait_seconds", {"seconds": 10}),  # job 0 Stopped
    ("start", {"ref": 1}),
    ("step", {"ref": 1, "rows": 4}),  # job 1 Succeeded
    ("create", {}),
    ("upload_over_http", {"ref": 2, "spec": users_file(("eve", "", "false"), ("ada", "", ""))}),
    ("start", {"ref": 2}),
    ("step", {"ref": 2, "rows": 4}),  # job 2 Failed: every row failed or was skipped
    ("create", {}),
    ("upload", {"ref": 3, "spec": ("random", b"\x00\xffnot a csv")}),
    ("start", {"ref": 3}),
    ("list_all", {}),  # job 3 Failed: the file cannot be read
    ("create", {}),
    ("wait_hours", {"seconds": 24 * 3600}),  # job 4 Expired
    ("start", {"ref": 4}),  # PreconditionNotMet
    ("upload", {"ref": 4, "spec": users_file(verified("eve"))}),  # ValueError: no upload now
    ("stop", {"ref": 4}),  # PreconditionNotMet
    ("describe", {"ref": 4}),
    ("describe", {"ref": 5}),  # ResourceNotFound
    ("admin_create_user", {"username": "ada"}),  # UsernameExists: ada was imported
    ("admin_create_user", {"username": "eve"}),
]


def test_a_tour_through_every_status_and_refusal():
    """The same checks along :data:`TOUR`, so that every status and refusal is checked on every
    run, whatever hypothesis happens to draw."""
    machine = JobControls()
    try:
        machine.begin(rate=0, stop_delay=30)
        machine.everything_read_now_is_consistent()
        for name, arguments in TOUR:
            getattr(machine, name)(**arguments)
            machine.everything_read_now_is_consistent()
        assert machine.statuses_seen == STATUSES
        assert machine.errors_seen == MODELLED_ERRORS
        final = [machine.status(job) for job in machine.jobs]
        assert final == ["Stopped", "Succeeded", "Failed", "Failed", "Expired"]
        assert machine.users == {"ada", "dee", "eve"}
    finally:
        machine.teardown()
