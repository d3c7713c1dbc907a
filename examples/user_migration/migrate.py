"""Moving the accounts of the legacy database into an Amazon Cognito user pool.

Ordinary application code, written the way a team would write it for production: it makes its
own boto3 clients, uploads with ``requests``, and knows nothing about pytest-cognito-mock. The
tests next to it show the plugin (and moto, for CloudWatch Logs) answering it anyway.

The move is one Cognito user import job:

1. ``GetCSVHeader`` gives the columns this pool's file must have (custom attributes included).
2. Each legacy account becomes one CSV row; columns the account has no value for stay empty.
3. ``CreateUserImportJob``, then an HTTP PUT of the file to the job's ``PreSignedUrl``. The URL
   signs the header ``x-amz-server-side-encryption: aws:kms``, so the PUT must send it.
4. ``StartUserImportJob``, then ``DescribeUserImportJob`` every ``poll_interval`` seconds until
   the job is done.
5. The job's CloudWatch Logs stream says, by line number, which rows failed or were skipped; the
   report names the legacy account behind each of them.

Passwords do not move: imported users are ``RESET_REQUIRED`` and set a new password on their
first sign-in (the app sends them through the forgotten-password flow).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import requests

REGION = os.environ.get("AWS_REGION", "us-east-1")

#: Sent with the upload. Cognito's presigned URL signs this header: S3 refuses a PUT without it.
UPLOAD_HEADERS = {"x-amz-server-side-encryption": "aws:kms"}
UPLOAD_TIMEOUT_SECONDS = 120

#: A job in one of these statuses will not change any more.
FINISHED_STATUSES = frozenset({"Succeeded", "Failed", "Stopped", "Expired"})

#: Column of the legacy export -> column of Cognito's CSV file. Anything else (password hashes,
#: last-login dates) stays behind.
LEGACY_COLUMNS = {
    "login": "cognito:username",
    "email": "email",
    "email_confirmed": "email_verified",
    "phone": "phone_number",
    "phone_confirmed": "phone_number_verified",
    "full_name": "name",
    "locale": "locale",
    "id": "custom:legacy_id",
}

#: One event of an import job's log stream, e.g. ``[FAILED] Line Number 3 - <reason>``.
_LOG_EVENT = re.compile(r"\[(?P<outcome>[A-Z]+)\] Line Number (?P<line>\d+) - (?P<reason>.*)")

logger = logging.getLogger(__name__)


class MigrationError(RuntimeError):
    """The migration could not be carried out."""


class UploadRefused(MigrationError):
    """S3 did not accept the CSV file (the job was created but never started)."""

    def __init__(self, job_id: str, http_status: int, code: str, message: str) -> None:
        super().__init__(
            f"S3 refused the CSV upload of import job {job_id}: HTTP {http_status} {code}: "
            f"{message}"
        )
        self.job_id = job_id
        self.http_status = http_status
        self.code = code


class JobTimedOut(MigrationError):
    """The job was still running when the migration stopped waiting for it."""


@dataclass(frozen=True)
class RowProblem:
    """A legacy account that did not become a Cognito user, and why."""

    line: int  # in the CSV file; the header is line 1
    login: str  # the legacy account on that line
    outcome: str  # FAILED or SKIPPED
    reason: str


@dataclass(frozen=True)
class MigrationReport:
    job_id: str
    status: str
    imported: int
    skipped: int
    failed: int
    completion_message: str
    #: Failed and skipped rows, in file order; None when the job's log could not be read.
    problems: tuple[RowProblem, ...] | None

    @property
    def succeeded(self) -> bool:
        return self.status == "Succeeded"

    def summary(self) -> str:
        lines = [
            f"Import job {self.job_id}: {self.status} ({self.completion_message})",
            f"  imported {self.imported}, skipped {self.skipped}, failed {self.failed}",
        ]
        if self.problems is None:
            lines.append("  (the job's CloudWatch log could not be read)")
        for problem in self.problems or ():
            lines.append(
                f"  line {problem.line} ({problem.login}): {problem.outcome} - {problem.reason}"
            )
        return "\n".join(lines)


# -- the CSV file ------------------------------------------------------------------------------


def cognito_row(account: Mapping[str, Any]) -> dict[str, str]:
    """A legacy account as Cognito CSV columns (values not yet escaped)."""
    row: dict[str, str] = {}
    for legacy, column in LEGACY_COLUMNS.items():
        value = account.get(legacy)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            row[column] = "true" if value else "false"
        else:
            # One account is one line: the legacy UI let people type line breaks into names.
            row[column] = " ".join(str(value).splitlines()).strip()
    return row


def csv_value(value: str) -> str:
    """A value as Cognito's CSV wants it: no quoting, a comma inside a value written ``\\,``."""
    return value.replace(",", "\\,")


def build_csv(header: Sequence[str], accounts: Iterable[Mapping[str, Any]]) -> bytes:
    """The import file: ``header`` (GetCSVHeader's columns), then one row per account.

    Columns of ``header`` an account has no value for are left empty; a value for a column the
    pool does not have (``custom:legacy_id`` in a pool without that attribute) is dropped.
    """
    lines = [",".join(header)]
    for account in accounts:
        row = cognito_row(account)
        lines.append(",".join(csv_value(row.get(column, "")) for column in header))
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- the import job ----------------------------------------------------------------------------


def upload(url: str, body: bytes, job_id: str) -> None:
    """PUT the file to the job's presigned URL; :class:`UploadRefused` if S3 says no."""
    response = requests.put(url, data=body, headers=UPLOAD_HEADERS, timeout=UPLOAD_TIMEOUT_SECONDS)
    if response.status_code == 200:
        return
    code, message = _s3_error(response.content)
    raise UploadRefused(job_id, response.status_code, code, message)


def _s3_error(body: bytes) -> tuple[str, str]:
    """(Code, Message) of S3's XML error body."""
    try:
        error = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return "UnknownError", body[:200].decode("utf-8", "replace")
    return error.findtext("Code", "UnknownError"), error.findtext("Message", "")


def wait_for_job(
    cognito: Any,
    pool_id: str,
    job_id: str,
    *,
    poll_interval: float,
    timeout: float,
    sleep: Callable[[float], None],
) -> dict[str, Any]:
    """Poll DescribeUserImportJob until the job is finished; its last description."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)[
            "UserImportJob"
        ]
        logger.info(
            "import job %s: %s, %d imported, %d skipped, %d failed",
            job_id,
            job["Status"],
            job["ImportedUsers"],
            job["SkippedUsers"],
            job["FailedUsers"],
        )
        if job["Status"] in FINISHED_STATUSES:
            return job
        if time.monotonic() >= deadline:
            raise JobTimedOut(
                f"import job {job_id} is still {job['Status']} after {timeout:g} seconds"
            )
        sleep(poll_interval)


def read_import_log(
    region: str, pool_id: str, pool_name: str, job_id: str, job_name: str
) -> list[str] | None:
    """Every event of the job's CloudWatch Logs stream, oldest first; None if there is none."""
    logs: Any = boto3.client("logs", region_name=region)
    request = {
        "logGroupName": f"/aws/cognito/userpools/{pool_id}/{pool_name}",
        "logStreamName": f"{job_id}/{job_name}",
        "startFromHead": True,
    }
    messages: list[str] = []
    token = None
    while True:
        try:
            page = logs.get_log_events(**request, **({"nextToken": token} if token else {}))
        except logs.exceptions.ResourceNotFoundException:
            return None  # no row was processed, or Cognito could not write the log
        messages.extend(event["message"] for event in page["events"])
        # The end of the stream is reached when the forward token stops changing.
        if page["nextForwardToken"] == token:
            return messages
        token = page["nextForwardToken"]


def row_problems(log: Iterable[str], accounts: Sequence[Mapping[str, Any]]) -> list[RowProblem]:
    """The log's FAILED and SKIPPED rows, each with the legacy account on that line."""
    problems = []
    for message in log:
        event = _LOG_EVENT.fullmatch(message.strip())
        if event is None or event["outcome"] == "SUCCEEDED":
            continue  # Cognito also logs lines of its own, without a line number
        line = int(event["line"])
        index = line - 2  # line 1 is the header
        login = str(accounts[index].get("login", "")) if 0 <= index < len(accounts) else ""
        problems.append(RowProblem(line, login, event["outcome"], event["reason"]))
    return problems


def migrate_users(
    pool_id: str,
    accounts: Iterable[Mapping[str, Any]],
    *,
    role_arn: str,
    job_name: str = "legacy-migration",
    region: str = REGION,
    poll_interval: float = 10.0,
    timeout: float = 4 * 3600.0,
    sleep: Callable[[float], None] = time.sleep,
) -> MigrationReport:
    """Import ``accounts`` (legacy export rows) into user pool ``pool_id`` and report the outcome.

    ``role_arn`` is the IAM role Cognito assumes to write the job's CloudWatch log. Raises
    :class:`UploadRefused` when S3 does not take the file, :class:`JobTimedOut` when the job is
    not finished after ``timeout`` seconds.
    """
    accounts = list(accounts)
    if not accounts:
        raise MigrationError("there are no accounts to migrate")
    cognito: Any = boto3.client("cognito-idp", region_name=region)
    pool_name = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"]
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    body = build_csv(header, accounts)

    job = cognito.create_user_import_job(
        JobName=job_name, UserPoolId=pool_id, CloudWatchLogsRoleArn=role_arn
    )["UserImportJob"]
    job_id = job["JobId"]
    logger.info("import job %s created for %d accounts", job_id, len(accounts))
    upload(job["PreSignedUrl"], body, job_id)
    cognito.start_user_import_job(UserPoolId=pool_id, JobId=job_id)

    done = wait_for_job(
        cognito, pool_id, job_id, poll_interval=poll_interval, timeout=timeout, sleep=sleep
    )
    log = read_import_log(region, pool_id, pool_name, job_id, job_name)
    return MigrationReport(
        job_id=job_id,
        status=done["Status"],
        imported=done["ImportedUsers"],
        skipped=done["SkippedUsers"],
        failed=done["FailedUsers"],
        completion_message=done.get("CompletionMessage", ""),
        problems=None if log is None else tuple(row_problems(log, accounts)),
    )


# -- command line ------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m user_migration.migrate POOL_ID EXPORT.jsonl --role-arn ARN``.

    The export holds one legacy account per line, as a JSON object. Exit status 0 when the job
    succeeded, 1 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("pool_id")
    parser.add_argument("export", type=Path, help="legacy accounts, one JSON object per line")
    parser.add_argument("--role-arn", required=True, help="the import job's CloudWatch Logs role")
    parser.add_argument("--region", default=REGION)
    parser.add_argument("--poll-interval", type=float, default=10.0)
    args = parser.parse_args(argv)

    lines = args.export.read_text(encoding="utf-8").splitlines()
    accounts = [json.loads(line) for line in lines if line.strip()]
    try:
        report = migrate_users(
            args.pool_id,
            accounts,
            role_arn=args.role_arn,
            region=args.region,
            poll_interval=args.poll_interval,
        )
    except MigrationError as error:
        print(f"migration failed: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0 if report.succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
