"""The legacy-account migration, run against the plugin's Cognito and moto's CloudWatch Logs.

The script makes its own boto3 clients and uploads over HTTP with ``requests``: the plugin
answers its Cognito calls and serves the presigned upload URL on loopback; moto answers the
CloudWatch Logs calls that read the job's log, which the plugin writes there while moto runs.
"""

from __future__ import annotations

import logging
import re

import boto3
import pytest
from freezegun import freeze_time
from moto import mock_aws

from user_migration import migrate

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
NOT_VERIFIED = (
    "The User Record does not set any of the auto verified attributes to true. "
    "(Example: email_verified to true)."
)


@pytest.fixture
def aws():
    """moto for the rest of AWS: here, CloudWatch Logs. Cognito stays with the plugin."""
    with mock_aws():
        yield


@pytest.fixture
def region(cognito_idp) -> str:
    return cognito_idp.meta.region_name


@pytest.fixture
def pool_id(cognito_idp, aws) -> str:
    """The new pool, as the infrastructure code makes it: email verified automatically, and a
    custom attribute keeping each user's id in the legacy database."""
    return cognito_idp.create_user_pool(
        PoolName="customers",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "legacy_id", "AttributeDataType": "String", "Mutable": False}],
    )["UserPool"]["Id"]


def account(login: str, *, confirmed: bool = True, **extra) -> dict:
    """A row of the legacy export (``id=...`` and others as keyword arguments)."""
    return {
        "login": login,
        "email": f"{login}@example.com",
        "email_confirmed": confirmed,
        "password_hash": "$2b$12$legacyhashthatneverleavestheolddatabase",
        **extra,
    }


def run(pool_id: str, region: str, accounts: list[dict], **options) -> migrate.MigrationReport:
    options.setdefault("poll_interval", 0)
    return migrate.migrate_users(pool_id, accounts, role_arn=ROLE_ARN, region=region, **options)


def outcome(report: migrate.MigrationReport) -> tuple[str, int, int, int]:
    return report.status, report.imported, report.skipped, report.failed


def attributes(user: dict) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def test_the_file_follows_the_pools_csv_header(cognito_idp, pool_id):
    header = cognito_idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"]

    body = migrate.build_csv(header, [account("ada", id=1815, full_name="Lovelace, Ada")])

    header_line, row, end = body.decode().split("\n")
    assert header_line.split(",") == header
    assert "custom:legacy_id" in header
    assert "Lovelace\\, Ada" in row  # Cognito's CSV has no quoting: a comma is escaped
    # Split as Cognito does: on commas without a backslash before them.
    values = dict(zip(header, re.split(r"(?<!\\),", row), strict=True))
    assert values["cognito:username"] == "ada"
    assert values["custom:legacy_id"] == "1815"
    assert values["email_verified"] == "true"
    assert values["phone_number"] == ""  # columns the account has no value for stay empty
    assert "password_hash" not in header_line
    assert end == ""


def test_every_account_becomes_a_user_who_must_reset_their_password(
    cognito_idp, cognito_mock, pool_id, region
):
    accounts = [
        account("ada", id=1815, full_name="Lovelace, Ada"),
        account("grace", id=1906, locale="en-GB"),
    ]

    report = run(pool_id, region, accounts)

    assert outcome(report) == ("Succeeded", 2, 0, 0)
    assert report.completion_message == "Import Job Completed Successfully."
    assert report.problems == ()
    ada = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert ada["UserStatus"] == "RESET_REQUIRED"
    assert ada["Enabled"] is True
    assert attributes(ada) == {
        "sub": attributes(ada)["sub"],
        "email": "ada@example.com",
        "email_verified": "true",
        "phone_number_verified": "false",
        "name": "Lovelace, Ada",
        "custom:legacy_id": "1815",
    }
    grace = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="grace")
    assert grace["UserStatus"] == "RESET_REQUIRED"
    assert attributes(grace)["locale"] == "en-GB"
    # Passwords did not move: the first sign-in sends users to reset theirs.
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    with pytest.raises(cognito_idp.exceptions.PasswordResetRequiredException):
        cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ada", "PASSWORD": "whatever-it-was-1"},
        )


def test_an_account_without_a_confirmed_email_is_reported_with_its_line(
    cognito_idp, cognito_mock, pool_id, region
):
    accounts = [account("ada"), account("grace", confirmed=False), account("linus")]

    report = run(pool_id, region, accounts)

    assert outcome(report) == ("Succeeded", 2, 0, 1)
    assert report.problems == (migrate.RowProblem(3, "grace", "FAILED", NOT_VERIFIED),)
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        cognito_idp.admin_get_user(UserPoolId=pool_id, Username="grace")
    # The report was read from CloudWatch Logs (moto's), where the plugin wrote the job's log.
    logs = boto3.client("logs", region_name=region)
    events = logs.get_log_events(
        logGroupName=f"/aws/cognito/userpools/{pool_id}/customers",
        logStreamName=f"{report.job_id}/legacy-migration",
        startFromHead=True,
    )["events"]
    assert [event["message"] for event in events] == [
        "[SUCCEEDED] Line Number 2 - The import succeeded.",
        f"[FAILED] Line Number 3 - {NOT_VERIFIED}",
        "[SUCCEEDED] Line Number 4 - The import succeeded.",
    ]
    assert [e["message"] for e in events] == cognito_mock.import_log(pool_id, report.job_id)
    assert "line 3 (grace): FAILED" in report.summary()


def test_an_account_already_in_the_pool_is_skipped_and_left_alone(cognito_idp, pool_id, region):
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[{"Name": "email", "Value": "ada@new-signup.example"}],
        MessageAction="SUPPRESS",
    )
    accounts = [account("grace"), account("ada"), account("linus")]

    report = run(pool_id, region, accounts)

    assert outcome(report) == ("Succeeded", 2, 1, 0)
    assert report.problems == (migrate.RowProblem(3, "ada", "SKIPPED", "The user already exists."),)
    ada = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert ada["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert attributes(ada)["email"] == "ada@new-signup.example"


def test_a_forgotten_encryption_header_is_caught(cognito_idp, monkeypatch, pool_id, region):
    # The bug this test is here for: someone "simplifies" the upload and drops the header.
    monkeypatch.setattr(migrate, "UPLOAD_HEADERS", {})

    with pytest.raises(migrate.UploadRefused) as raised:
        run(pool_id, region, [account("ada")])

    assert raised.value.http_status == 403
    assert raised.value.code == "SignatureDoesNotMatch"
    assert "SignatureDoesNotMatch" in str(raised.value)
    # The job was never started, and nobody was imported.
    job = cognito_idp.describe_user_import_job(UserPoolId=pool_id, JobId=raised.value.job_id)
    assert job["UserImportJob"]["Status"] == "Created"
    assert "StartDate" not in job["UserImportJob"]
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_the_job_fails_when_too_many_accounts_are_bad(cognito_idp, pool_id, region):
    accounts = [
        account("ada", confirmed=False),
        account("grace"),
        account("linus", confirmed=False),
    ]

    report = run(pool_id, region, accounts)

    assert outcome(report) == ("Failed", 1, 0, 2)
    assert not report.succeeded
    assert report.completion_message == (
        "Too many users have failed or been skipped during the import."
    )
    assert [(p.line, p.login) for p in report.problems] == [(2, "ada"), (4, "linus")]
    # Cognito does not roll back: the good row was imported all the same.
    grace = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="grace")
    assert grace["UserStatus"] == "RESET_REQUIRED"


def ticking(clock, slept):
    """A sleep for the script that moves freezegun's clock on instead of waiting."""

    def sleep(seconds):
        slept.append(seconds)
        clock.tick(seconds)

    return sleep


@pytest.mark.cognito_mock(import_rate=5)
def test_the_script_polls_until_the_job_is_done(cognito_idp, caplog, pool_id, region):
    accounts = [account(f"user{n:02d}") for n in range(12)]
    caplog.set_level(logging.INFO, logger=migrate.__name__)
    slept = []

    with freeze_time("2025-03-03 09:00:00") as clock:
        report = run(pool_id, region, accounts, poll_interval=1, sleep=ticking(clock, slept))

    # 5 users a second of mock time: the script sees the job move through InProgress.
    progress = [r.getMessage() for r in caplog.records if "imported," in r.getMessage()]
    assert progress == [
        f"import job {report.job_id}: Pending, 0 imported, 0 skipped, 0 failed",
        f"import job {report.job_id}: InProgress, 5 imported, 0 skipped, 0 failed",
        f"import job {report.job_id}: InProgress, 10 imported, 0 skipped, 0 failed",
        f"import job {report.job_id}: Succeeded, 12 imported, 0 skipped, 0 failed",
    ]
    assert slept == [1, 1, 1]
    assert outcome(report) == ("Succeeded", 12, 0, 0)
    assert report.problems == ()
    job = cognito_idp.describe_user_import_job(UserPoolId=pool_id, JobId=report.job_id)
    took = job["UserImportJob"]["CompletionDate"] - job["UserImportJob"]["StartDate"]
    assert took.total_seconds() == pytest.approx(12 / 5)


@pytest.mark.cognito_mock(import_rate=0)
def test_a_job_that_never_finishes_times_out(cognito_idp, pool_id, region):
    slept = []

    with (
        freeze_time("2025-03-03 09:00:00") as clock,
        pytest.raises(migrate.JobTimedOut, match=r"is still Pending after 60 seconds"),
    ):
        run(
            pool_id,
            region,
            [account("ada")],
            poll_interval=10,
            timeout=60,
            sleep=ticking(clock, slept),
        )

    assert slept == [10] * 6  # polled at 0, 10, ..., 60 seconds, then gave up
    jobs = cognito_idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"]
    assert [job["Status"] for job in jobs] == ["Pending"]


def test_the_command_line(capsys, pool_id, region, tmp_path):
    export = tmp_path / "accounts.jsonl"
    export.write_text(
        '{"login": "ada", "email": "ada@example.com", "email_confirmed": true}\n'
        '{"login": "grace", "email": "grace@example.com", "email_confirmed": false}\n'
        '{"login": "linus", "email": "linus@example.com", "email_confirmed": true}\n',
        encoding="utf-8",
    )

    status = migrate.main(
        [pool_id, str(export), "--role-arn", ROLE_ARN, "--region", region, "--poll-interval", "0"]
    )

    out = capsys.readouterr().out
    assert status == 0
    assert ": Succeeded (Import Job Completed Successfully.)" in out
    assert "imported 2, skipped 0, failed 1" in out
    assert f"line 3 (grace): FAILED - {NOT_VERIFIED}" in out
