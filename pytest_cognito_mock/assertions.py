"""Helper assertions with messages that stand on their own: they say what was expected, what
was found, and where to look, without relying on pytest's assertion rewriting."""

from __future__ import annotations

from collections.abc import Mapping
from pprint import pformat

from .backend.import_jobs import ImportJob
from .backend.models import UserPool
from .backend.users import find_user

#: How many failed or skipped log lines a failure message quotes.
QUOTED_LOG_LINES = 5


def assert_import_job_status(job: ImportJob, status: str) -> None:
    __tracebackhide__ = True
    if job.status != status:
        raise AssertionError(
            f"import job {job.job_id} is {job.status}, expected {status}\n{_job_summary(job)}"
        )


def assert_import_job_succeeded(job: ImportJob) -> None:
    __tracebackhide__ = True
    if job.status != "Succeeded":
        raise AssertionError(
            f"import job {job.job_id} did not succeed: it is {job.status}\n{_job_summary(job)}"
        )


def assert_user_imported(
    pool: UserPool, username: str, attributes: Mapping[str, str] | None = None
) -> None:
    __tracebackhide__ = True
    user = find_user(pool, username)
    if user is None:
        raise AssertionError(f"no user {username!r} in user pool {pool.id}")
    if user.status != "RESET_REQUIRED":
        raise AssertionError(
            f"user {username!r} has status {user.status}, an imported user has RESET_REQUIRED"
        )
    expected = dict(attributes or {})
    found = {name: user.attributes.get(name) for name in expected}
    if found != expected:
        raise AssertionError(
            f"user {username!r} was imported with other attributes:\n"
            f"expected {pformat(expected)}\nfound    {pformat(found)}"
        )


def _job_summary(job: ImportJob) -> str:
    lines = [
        f"  ImportedUsers={job.imported} SkippedUsers={job.skipped} FailedUsers={job.failed}",
        f"  CompletionMessage: {job.completion_message!r}",
    ]
    problems = [outcome.log_line for outcome in job.row_problems.values()]
    if problems:
        lines.append(f"  first failed or skipped rows ({len(problems)} in all):")
        lines += [f"    {line}" for line in problems[:QUOTED_LOG_LINES]]
    elif job.status == "Created" and job.upload is None:
        lines.append("  no CSV was uploaded and the job was never started")
    return "\n".join(lines)
