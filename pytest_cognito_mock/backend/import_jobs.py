"""User import jobs: the state machine, driven by the clock at the time of each call.

A job's status is never advanced in the background. Every read first brings the job up to the
current time (:func:`advance`): expiry of jobs never started, and the import of rows at the
configured rate. With the default rate (``None``) a started job imports everything on the first
call after the one that started it, so the Start response itself still says ``Pending``, as AWS's.

Transitions (explicit, see :data:`TRANSITIONS`)::

    Created --Start--> Pending --rows begin--> InProgress --rows done--> Succeeded | Failed
    Created --24 h--> Expired          Pending/InProgress --Stop--> Stopping --settled--> Stopped
"""

from __future__ import annotations

import bisect
import gc
import math
from dataclasses import dataclass, field

from . import CognitoBackend, clock
from .csv_import import CsvFileError, CsvImport, RowOutcome, csv_header
from .csv_rows import IMPORTED, SKIPPED, SUCCEEDED
from .errors import (
    LimitExceededException,
    PreconditionNotMetException,
    ResourceNotFoundException,
)
from .ids import import_job_id
from .import_settings import ImportSettings
from .models import UserPool

__all__ = ["ImportJob", "ImportSettings"]

#: AWS's quota of import jobs per user pool.
MAX_JOBS_PER_POOL = 1000

SUCCEEDED_MESSAGE = "Import Job Completed Successfully."
TOO_MANY_FAILURES_MESSAGE = "Too many users have failed or been skipped during the import."
STOPPED_MESSAGE = "The Import Job was stopped by the developer."
EXPIRED_MESSAGE = "The user import job has expired."

ACTIVE = frozenset({"Pending", "InProgress", "Stopping"})
TERMINAL = frozenset({"Succeeded", "Failed", "Stopped", "Expired"})

#: Every status change the mock makes, and what makes it. `_move` refuses anything else.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("Created", "Pending"): "StartUserImportJob",
    ("Created", "Expired"): "the expiry window passed without a start",
    ("Pending", "InProgress"): "the first row was imported",
    ("Pending", "Succeeded"): "every row was imported at once",
    ("Pending", "Failed"): "the file or too many rows failed",
    ("InProgress", "Succeeded"): "the last row was imported",
    ("InProgress", "Failed"): "the last row was imported, too many failed or were skipped",
    ("Pending", "Stopping"): "StopUserImportJob",
    ("InProgress", "Stopping"): "StopUserImportJob",
    ("Stopping", "Stopped"): "the stop settled",
}


@dataclass
class ImportJob:
    job_id: str
    job_name: str
    pool_id: str
    role_arn: str
    created: float
    presigned_url: str = ""
    status: str = "Created"
    started: float | None = None
    completed: float | None = None
    completion_message: str | None = None
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    upload: bytes | None = None
    #: The processed rows that were skipped or failed, by line number; every other processed
    #: row succeeded. The log is written from these when it is read (:meth:`log_lines`), so a
    #: 500,000-row import keeps no per-row record of its successes.
    row_problems: dict[int, RowOutcome] = field(default_factory=dict)
    #: The file being imported, from the first advance after Start until done or stopped.
    run: CsvImport | None = None
    #: When StopUserImportJob was called (the job settles to Stopped after the stop delay).
    stop_requested: float | None = None

    @property
    def processed(self) -> int:
        return self.imported + self.skipped + self.failed

    def log_lines(self, start: int = 0) -> list[str]:
        """The job's CloudWatch log events, one per processed row, from row ``start`` on (0:
        all of them)."""
        lines = []
        for line in range(start + 2, self.processed + 2):  # line 1 is the file's header
            outcome = self.row_problems.get(line) or RowOutcome(line, SUCCEEDED, IMPORTED)
            lines.append(outcome.log_line)
        return lines


def _move(job: ImportJob, status: str) -> None:
    if (job.status, status) not in TRANSITIONS:  # pragma: no cover - a bug in this module
        raise AssertionError(f"illegal import job transition {job.status} -> {status}")
    job.status = status


def create_job(backend: CognitoBackend, pool: UserPool, job_name: str, role_arn: str) -> ImportJob:
    jobs = backend.import_jobs.setdefault(pool.id, {})
    if len(jobs) >= MAX_JOBS_PER_POOL:
        raise LimitExceededException(
            f"The user pool {pool.id} has reached its quota of {MAX_JOBS_PER_POOL} import jobs."
        )
    job_id = import_job_id()
    while job_id in jobs:  # pragma: no cover - 62**10 ids
        job_id = import_job_id()
    job = ImportJob(job_id, job_name, pool.id, role_arn, clock.now())
    jobs[job_id] = job
    # Newest first; among jobs created at the same instant (a frozen clock), the later first.
    listing = backend.import_jobs_newest_first.setdefault(pool.id, [])
    bisect.insort_left(listing, job, key=_newest_first)
    return job


def _newest_first(job: ImportJob) -> float:
    return -job.created


def get_job(backend: CognitoBackend, pool: UserPool, job_id: str) -> ImportJob:
    """The job ``job_id`` of ``pool``, its expiry brought up to the clock (the service has
    already advanced every started job before the call)."""
    job = backend.import_jobs.get(pool.id, {}).get(job_id)
    if job is None:
        raise ResourceNotFoundException(f"Import job {job_id} does not exist.")
    expire_if_due(backend, job)
    return job


def find_job(backend: CognitoBackend, pool_id: str, job_id: str) -> tuple[UserPool, ImportJob]:
    """The pool and job named by ids alone, for the mock's helpers and the upload sink;
    KeyError (naming both ids) when either does not exist."""
    pool = backend.pools.get(pool_id)
    job = backend.import_jobs.get(pool_id, {}).get(job_id)
    if pool is None or job is None:
        raise KeyError(f"no import job {job_id!r} in user pool {pool_id!r} of this mock")
    expire_if_due(backend, job)
    return pool, job


def jobs_newest_first(backend: CognitoBackend, pool: UserPool) -> list[ImportJob]:
    """The pool's jobs as ListUserImportJobs lists them (the list itself: do not change it)."""
    return backend.import_jobs_newest_first.get(pool.id, [])


def expire_if_due(backend: CognitoBackend, job: ImportJob) -> None:
    """A job never started has Expired once its window has passed (checked when the job is
    read: Created jobs are not among the running ones the service advances on every call)."""
    if job.status != "Created":
        return
    expires = job.created + backend.import_settings.expiry_seconds
    if clock.now() >= expires:
        _finish(job, "Expired", EXPIRED_MESSAGE, expires)
        job.upload = None


def store_upload(job: ImportJob, body: bytes) -> bool:
    """Keep an uploaded file; False when the job no longer takes one (started or expired)."""
    if job.status != "Created":
        return False
    job.upload = body
    return True


def start_job(backend: CognitoBackend, pool: UserPool, job: ImportJob) -> None:
    if job.status != "Created":
        raise PreconditionNotMetException(
            f"Import job {job.job_id} cannot be started: its status is {job.status}."
        )
    if job.upload is None:
        raise PreconditionNotMetException(f"No csv file was uploaded for {job.job_id}")
    if not pool.auto_verified_attributes:
        raise PreconditionNotMetException(
            f"User pool {pool.id} has no auto-verified attributes; an import job needs email or "
            "phone_number to be auto-verified."
        )
    for other in all_jobs(backend):
        if other.status in ACTIVE:
            raise LimitExceededException(
                f"Only one import job can be active at a time; {other.job_id} is {other.status}."
            )
    job.started = clock.now()
    _move(job, "Pending")
    backend.running_import_jobs.add((pool.id, job.job_id))


def fail_at_start(backend: CognitoBackend, job: ImportJob, message: str) -> None:
    """A job that cannot run at all (say, its CloudWatch Logs role does not exist)."""
    _finish(job, "Failed", message, clock.now())
    backend.running_import_jobs.discard((job.pool_id, job.job_id))


def stop_job(backend: CognitoBackend, job: ImportJob) -> None:
    if job.status not in ("Pending", "InProgress"):
        raise PreconditionNotMetException(
            f"Import job {job.job_id} cannot be stopped: its status is {job.status}."
        )
    now = clock.now()
    job.stop_requested = now
    job.run = None  # rows not yet processed are never imported
    _move(job, "Stopping")
    _settle_stop(backend, job, now)


def all_jobs(backend: CognitoBackend) -> list[ImportJob]:
    return [job for jobs in backend.import_jobs.values() for job in jobs.values()]


def advance_all(backend: CognitoBackend) -> None:
    """Bring every started job up to the current time (the service does, before every call
    and every helper)."""
    for pool_id, job_id in list(backend.running_import_jobs):
        pool = backend.pools.get(pool_id)
        job = backend.import_jobs.get(pool_id, {}).get(job_id)
        if job is not None and pool is not None:
            advance(backend, pool, job)
        else:
            backend.running_import_jobs.discard((pool_id, job_id))


def advance(backend: CognitoBackend, pool: UserPool, job: ImportJob) -> None:
    """Bring ``job`` up to the current time: expiry, rows imported at the rate, stop settling."""
    now = clock.now()
    if job.status == "Created":
        expire_if_due(backend, job)
        return
    if job.status == "Stopping":
        _settle_stop(backend, job, now)
        return
    if job.status in ("Pending", "InProgress"):
        _import_due_rows(backend, pool, job, now)


def step(backend: CognitoBackend, pool: UserPool, job: ImportJob, rows: int) -> None:
    """Import up to ``rows`` more rows now, whatever the rate (manual stepping)."""
    if job.status in ("Pending", "InProgress"):
        _import_rows(backend, pool, job, rows, clock.now())


def _import_due_rows(backend: CognitoBackend, pool: UserPool, job: ImportJob, now: float) -> None:
    rate = backend.import_settings.rate
    if rate is None:
        _import_rows(backend, pool, job, math.inf, now)
        return
    assert job.started is not None
    due = math.floor((now - job.started) * rate) if rate > 0 else 0
    _import_rows(backend, pool, job, due - job.processed, now)


def _import_rows(
    backend: CognitoBackend, pool: UserPool, job: ImportJob, budget: float, now: float
) -> None:
    run = _open_run(backend, pool, job, now)
    if run is None or budget <= 0:
        return
    # A bulk import allocates a few objects per user and frees none: the cyclic collector would
    # spend about a quarter of the time rescanning users that are here to stay.
    collecting = gc.isenabled()
    gc.disable()
    problems = job.row_problems
    imported = skipped = failed = 0
    try:
        for outcome in run.apply_rows(pool, budget):
            status = outcome.status
            if status == SUCCEEDED:
                imported += 1
                continue
            problems[outcome.line] = outcome
            if status == SKIPPED:
                skipped += 1
            else:
                failed += 1
    finally:
        job.imported += imported
        job.skipped += skipped
        job.failed += failed
        if collecting:
            gc.enable()
    if job.status == "Pending" and job.processed:
        _move(job, "InProgress")
    if job.processed >= run.total_rows:
        _complete(backend, job, now)


def _open_run(
    backend: CognitoBackend, pool: UserPool, job: ImportJob, now: float
) -> CsvImport | None:
    if job.run is not None:
        return job.run
    try:
        job.run = CsvImport(job.upload or b"", csv_header(pool))
    except CsvFileError as error:
        _finish(job, "Failed", error.message, now)
        backend.running_import_jobs.discard((job.pool_id, job.job_id))
        return None
    job.upload = None  # AWS deletes the file once the job runs; the parsed copy is enough
    if job.run.total_rows == 0:
        _complete(backend, job, now)
        return None
    return job.run


def _complete(backend: CognitoBackend, job: ImportJob, now: float) -> None:
    rate = backend.import_settings.rate
    if rate and job.started is not None:
        # In rate mode the last row was due at a precise instant: report that, not "now".
        now = min(now, job.started + job.processed / rate)
    processed = job.processed
    bad_share = (job.failed + job.skipped) / processed if processed else 0.0
    if bad_share > backend.import_settings.failure_threshold:
        _finish(job, "Failed", TOO_MANY_FAILURES_MESSAGE, now)
    else:
        _finish(job, "Succeeded", SUCCEEDED_MESSAGE, now)
    job.run = None
    backend.running_import_jobs.discard((job.pool_id, job.job_id))


def _settle_stop(backend: CognitoBackend, job: ImportJob, now: float) -> None:
    assert job.stop_requested is not None
    settles = job.stop_requested + backend.import_settings.stop_delay
    if now >= settles:
        _move(job, "Stopped")
        job.completed = settles
        job.completion_message = STOPPED_MESSAGE
        backend.running_import_jobs.discard((job.pool_id, job.job_id))
    else:
        backend.running_import_jobs.add((job.pool_id, job.job_id))


def _finish(job: ImportJob, status: str, message: str, when: float) -> None:
    _move(job, status)
    job.completed = when
    job.completion_message = message
