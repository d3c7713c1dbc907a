"""Import jobs progressing in mock time: rates, stopping mid-way, manual steps."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from freezegun import freeze_time

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"


def rows(count: int) -> list[dict[str, str]]:
    return [
        {"cognito:username": f"user{n}", "email": f"user{n}@example.com", "email_verified": "true"}
        for n in range(count)
    ]


def describe(cognito_idp, pool_id: str, job_id: str) -> dict:
    return cognito_idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]


def counters(job: dict) -> tuple[str, int, int, int]:
    return job["Status"], job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]


@pytest.mark.cognito_mock(import_rate=10)
def test_a_rate_shows_pending_then_in_progress_with_partial_counts(
    cognito_idp, cognito_mock, pool_id, job
):
    cognito_mock.upload_csv(pool_id, job["JobId"], rows(50))
    with freeze_time(datetime.now(timezone.utc)) as clock:
        cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        assert counters(describe(cognito_idp, pool_id, job["JobId"])) == ("Pending", 0, 0, 0)
        clock.tick(2.05)
        assert counters(describe(cognito_idp, pool_id, job["JobId"])) == ("InProgress", 20, 0, 0)
        assert len(cognito_idp.list_users(UserPoolId=pool_id)["Users"]) == 20
        clock.tick(10)
        done = describe(cognito_idp, pool_id, job["JobId"])
    assert counters(done) == ("Succeeded", 50, 0, 0)
    assert (done["CompletionDate"] - done["StartDate"]).total_seconds() == pytest.approx(5.0)


@pytest.mark.cognito_mock(import_rate=10, import_stop_delay=3)
def test_stopping_mid_way_keeps_the_rows_done_and_settles(cognito_idp, cognito_mock, pool_id, job):
    cognito_mock.upload_csv(pool_id, job["JobId"], rows(50))
    with freeze_time(datetime.now(timezone.utc)) as clock:
        cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        clock.tick(1.5)
        stopping = cognito_idp.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])[
            "UserImportJob"
        ]
        assert counters(stopping) == ("Stopping", 15, 0, 0)
        clock.tick(2)
        assert counters(describe(cognito_idp, pool_id, job["JobId"])) == ("Stopping", 15, 0, 0)
        clock.tick(1)
        stopped = describe(cognito_idp, pool_id, job["JobId"])
    assert counters(stopped) == ("Stopped", 15, 0, 0)
    assert stopped["CompletionMessage"] == "The Import Job was stopped by the developer."
    assert len(cognito_mock.import_log(pool_id, job["JobId"])) == 15
    assert len(cognito_idp.list_users(UserPoolId=pool_id)["Users"]) == 15


def test_by_default_the_stop_response_already_says_stopped(cognito_idp, cognito_mock, pool_id, job):
    cognito_mock.import_rate = 0
    cognito_mock.upload_csv(pool_id, job["JobId"], rows(3))
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    cognito_mock.step_import_job(pool_id, job["JobId"], rows=1)
    stopped = cognito_idp.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])[
        "UserImportJob"
    ]
    assert counters(stopped) == ("Stopped", 1, 0, 0)
    assert stopped["CompletionMessage"] == "The Import Job was stopped by the developer."
    assert "CompletionDate" in stopped
    with pytest.raises(cognito_idp.exceptions.PreconditionNotMetException):
        cognito_idp.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])


def test_manual_steps_with_a_rate_of_zero(cognito_idp, cognito_mock, pool_id, job):
    cognito_mock.import_rate = 0
    cognito_mock.upload_csv(pool_id, job["JobId"], rows(3))
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    cognito_mock.assert_import_job_status(pool_id, job["JobId"], "Pending")
    cognito_mock.step_import_job(pool_id, job["JobId"], rows=2)
    assert counters(describe(cognito_idp, pool_id, job["JobId"])) == ("InProgress", 2, 0, 0)
    cognito_mock.step_import_job(pool_id, job["JobId"], rows=5)
    cognito_mock.assert_import_job_succeeded(pool_id, job["JobId"])
    with pytest.raises(AssertionError, match="is Succeeded, expected InProgress"):
        cognito_mock.assert_import_job_status(pool_id, job["JobId"], "InProgress")


@pytest.mark.cognito_mock(import_rate=0)
def test_rows_are_judged_by_the_pool_as_it_is_when_each_is_imported(
    cognito_idp, cognito_mock, pool_id, job
):
    cognito_mock.upload_csv(pool_id, job["JobId"], rows(4))
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    cognito_mock.step_import_job(pool_id, job["JobId"], rows=2)
    # Between two steps the pool stops auto-verifying email: the rest of the file, which only
    # vouches for emails, no longer qualifies.
    cognito_idp.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["phone_number"])
    cognito_mock.step_import_job(pool_id, job["JobId"], rows=2)
    assert counters(describe(cognito_idp, pool_id, job["JobId"])) == ("Succeeded", 2, 0, 2)
    assert cognito_mock.import_log(pool_id, job["JobId"])[2:] == [
        f"[FAILED] Line Number {line} - The User Record does not set any of the auto verified "
        "attributes to true. (Example: email_verified to true)."
        for line in (4, 5)
    ]


@pytest.mark.cognito_mock(import_rate=0)
def test_the_log_has_one_line_per_processed_row_in_file_order(
    cognito_idp, cognito_mock, pool_id, job
):
    cognito_mock.upload_csv(
        pool_id,
        job["JobId"],
        [
            {"cognito:username": "ada", "email": "ada@example.com", "email_verified": "true"},
            {"cognito:username": "bob", "email": "bob@example.com"},
            {"cognito:username": "cy", "email": "cy@example.com", "email_verified": "true"},
            {"cognito:username": "ada", "email": "ada@example.com", "email_verified": "true"},
            {"cognito:username": "di", "email": "di@example.com", "email_verified": "true"},
        ],
    )
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    cognito_mock.step_import_job(pool_id, job["JobId"], rows=2)
    expected = [
        "[SUCCEEDED] Line Number 2 - The import succeeded.",
        "[FAILED] Line Number 3 - The User Record does not set any of the auto verified "
        "attributes to true. (Example: email_verified to true).",
        "[SUCCEEDED] Line Number 4 - The import succeeded.",
        "[SKIPPED] Line Number 5 - The user already exists.",
        "[SUCCEEDED] Line Number 6 - The import succeeded.",
    ]
    assert cognito_mock.import_log(pool_id, job["JobId"]) == expected[:2]
    cognito_mock.step_import_job(pool_id, job["JobId"], rows=3)
    assert cognito_mock.import_log(pool_id, job["JobId"]) == expected
    assert counters(describe(cognito_idp, pool_id, job["JobId"])) == ("Succeeded", 3, 1, 1)
