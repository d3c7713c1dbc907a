"""The six import-job operations as AWS answers them."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time
from support.errors import error_of

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
STANDARD_HEADER = [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    "cognito:mfa_enabled",
    "cognito:username",
]


def rows(*usernames: str) -> list[dict[str, str]]:
    return [
        {"cognito:username": name, "email": f"{name}@example.com", "email_verified": "TRUE"}
        for name in usernames
    ]


def describe(cognito_idp, pool_id: str, job_id: str) -> dict:
    return cognito_idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]


def test_get_csv_header_lists_standard_then_custom_columns(cognito_idp, pool_id):
    response = cognito_idp.get_csv_header(UserPoolId=pool_id)
    assert response["UserPoolId"] == pool_id
    assert cognito_idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"] == STANDARD_HEADER
    cognito_idp.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": "tier", "AttributeDataType": "String"},
            {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
            {"Name": "age", "AttributeDataType": "Number"},
        ],
    )
    header = cognito_idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    assert header[19:22] == ["custom:tier", "dev:custom:secret", "custom:age"]
    assert header[:19] == STANDARD_HEADER[:19]
    assert header[22:] == ["cognito:mfa_enabled", "cognito:username"]


def test_a_created_job_has_aws_shape(cognito_idp, pool_id, job):
    assert re.fullmatch(r"import-[A-Za-z0-9]{10}", job["JobId"])
    assert job["Status"] == "Created"
    assert job["JobName"] == "migration"
    assert job["UserPoolId"] == pool_id
    assert job["CloudWatchLogsRoleArn"] == ROLE_ARN
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0)
    for absent in ("StartDate", "CompletionDate", "CompletionMessage"):
        assert absent not in job
    url = job["PreSignedUrl"]
    assert url.startswith("http://127.0.0.1:")
    assert f"/123456789012/{pool_id}/{job['JobId']}?" in url
    for parameter in (
        "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Expires=899",
        "X-Amz-Credential=",
        "X-Amz-Date=",
        "X-Amz-Signature=",
        "X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption",
    ):
        assert parameter in url
    assert describe(cognito_idp, pool_id, job["JobId"]) == job


def test_unknown_pool_and_unknown_job(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        cognito_idp.create_user_import_job(
            JobName="j", UserPoolId="us-east-1_000000000", CloudWatchLogsRoleArn=ROLE_ARN
        )
    assert error_of(raised)[1] == "User pool us-east-1_000000000 does not exist."
    for call in (
        cognito_idp.describe_user_import_job,
        cognito_idp.start_user_import_job,
        cognito_idp.stop_user_import_job,
    ):
        with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
            call(UserPoolId=pool_id, JobId="import-0000000000")
        assert error_of(raised)[1] == "Import job import-0000000000 does not exist."


def test_start_before_an_upload_is_refused(cognito_idp, pool_id, job):
    with pytest.raises(cognito_idp.exceptions.PreconditionNotMetException) as raised:
        cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert error_of(raised)[1] == f"No csv file was uploaded for {job['JobId']}"
    assert describe(cognito_idp, pool_id, job["JobId"])["Status"] == "Created"


def test_a_pool_without_auto_verified_attributes_cannot_start(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    job_id = cognito_idp.create_user_import_job(
        JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]["JobId"]
    cognito_mock.upload_csv(pool_id, job_id, rows("ada"))
    with pytest.raises(cognito_idp.exceptions.PreconditionNotMetException) as raised:
        cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
    assert "no auto-verified attributes" in error_of(raised)[1]


def test_start_says_pending_and_the_next_call_sees_the_result(
    cognito_idp, cognito_mock, pool_id, job
):
    cognito_mock.upload_csv(pool_id, job["JobId"], rows("ada", "grace"))
    started = cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])[
        "UserImportJob"
    ]
    assert started["Status"] == "Pending"
    assert started["StartDate"] >= started["CreationDate"]
    assert "CompletionDate" not in started
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "RESET_REQUIRED"
    done = describe(cognito_idp, pool_id, job["JobId"])
    assert done["Status"] == "Succeeded"
    assert done["CompletionMessage"] == "Import Job Completed Successfully."
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (2, 0, 0)
    assert cognito_mock.import_log(pool_id, job["JobId"]) == [
        "[SUCCEEDED] Line Number 2 - The import succeeded.",
        "[SUCCEEDED] Line Number 3 - The import succeeded.",
    ]
    cognito_mock.assert_import_job_succeeded(pool_id, job["JobId"])
    cognito_mock.assert_user_imported(
        pool_id, "grace", {"email": "grace@example.com", "email_verified": "true"}
    )


def test_a_started_job_cannot_be_started_again(cognito_idp, cognito_mock, pool_id, job):
    cognito_mock.upload_csv(pool_id, job["JobId"], rows("ada"))
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    with pytest.raises(cognito_idp.exceptions.PreconditionNotMetException) as raised:
        cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert error_of(raised)[1] == (
        f"Import job {job['JobId']} cannot be started: its status is Succeeded."
    )


def test_existing_users_are_skipped_and_too_many_problems_fail_the_job(
    cognito_idp, cognito_mock, pool_id, job
):
    for name in ("ada", "grace"):
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    cognito_mock.upload_csv(pool_id, job["JobId"], rows("ada", "grace", "linus"))
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    done = describe(cognito_idp, pool_id, job["JobId"])
    assert (done["Status"], done["CompletionMessage"]) == (
        "Failed",
        "Too many users have failed or been skipped during the import.",
    )
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (1, 2, 0)
    assert cognito_mock.import_log(pool_id, job["JobId"])[0] == (
        "[SKIPPED] Line Number 2 - The user already exists."
    )
    with pytest.raises(AssertionError) as raised:
        cognito_mock.assert_import_job_succeeded(pool_id, job["JobId"])
    message = str(raised.value)
    assert f"import job {job['JobId']} did not succeed: it is Failed" in message
    assert "ImportedUsers=1 SkippedUsers=2 FailedUsers=0" in message
    assert "[SKIPPED] Line Number 3 - The user already exists." in message


def test_a_row_without_a_verified_attribute_fails_but_the_job_goes_on(
    cognito_idp, cognito_mock, pool_id, job
):
    data = [*rows("ada", "grace"), {"cognito:username": "linus", "email": "l@example.com"}]
    cognito_mock.upload_csv(pool_id, job["JobId"], data)
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    done = describe(cognito_idp, pool_id, job["JobId"])
    assert done["Status"] == "Succeeded"
    assert (done["ImportedUsers"], done["FailedUsers"]) == (2, 1)
    assert cognito_mock.import_log(pool_id, job["JobId"])[2] == (
        "[FAILED] Line Number 4 - The User Record does not set any of the auto verified "
        "attributes to true. (Example: email_verified to true)."
    )
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        cognito_idp.admin_get_user(UserPoolId=pool_id, Username="linus")


def test_an_imported_user_must_reset_the_password(cognito_idp, cognito_mock, pool_id, job):
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito_mock.upload_csv(pool_id, job["JobId"], rows("ada"))
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    with pytest.raises(cognito_idp.exceptions.PasswordResetRequiredException) as raised:
        cognito_idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": "ada", "PASSWORD": "any-Passw0rd!"},
        )
    assert error_of(raised) == (
        "PasswordResetRequiredException",
        "Password reset required for the user",
    )


def test_stop_only_for_running_jobs(cognito_idp, cognito_mock, pool_id, job):
    with pytest.raises(cognito_idp.exceptions.PreconditionNotMetException) as raised:
        cognito_idp.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert (
        error_of(raised)[1]
        == f"Import job {job['JobId']} cannot be stopped: its status is Created."
    )


def test_only_one_job_is_active_per_account(cognito_idp, cognito_mock, pool_id, job):
    cognito_mock.import_rate = 0  # started jobs wait for a manual step
    other_pool = cognito_idp.create_user_pool(PoolName="other", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    other = cognito_idp.create_user_import_job(
        JobName="j2", UserPoolId=other_pool, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]
    cognito_mock.upload_csv(pool_id, job["JobId"], rows("ada"))
    cognito_mock.upload_csv(other_pool, other["JobId"], rows("grace"))
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    with pytest.raises(cognito_idp.exceptions.LimitExceededException) as raised:
        cognito_idp.start_user_import_job(UserPoolId=other_pool, JobId=other["JobId"])
    assert error_of(raised)[1] == (
        f"Only one import job can be active at a time; {job['JobId']} is Pending."
    )


def test_expiry_after_24_hours_of_mock_time(cognito_idp, cognito_mock, pool_id):
    with freeze_time("2030-01-01 00:00:00"):
        job_id = cognito_idp.create_user_import_job(
            JobName="late", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )["UserImportJob"]["JobId"]
    with freeze_time("2030-01-01 23:59:59"):
        assert describe(cognito_idp, pool_id, job_id)["Status"] == "Created"
        cognito_mock.upload_csv(pool_id, job_id, rows("ada"))
    with freeze_time("2030-01-02 00:00:00"):
        expired = describe(cognito_idp, pool_id, job_id)
        assert expired["Status"] == "Expired"
        assert expired["CompletionMessage"] == "The user import job has expired."
        assert expired["CompletionDate"].day == 2
        assert "StartDate" not in expired
        with pytest.raises(cognito_idp.exceptions.PreconditionNotMetException):
            cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
        with pytest.raises(ValueError, match="takes no upload: its status is Expired"):
            cognito_mock.upload_csv(pool_id, job_id, rows("ada"))


@pytest.mark.cognito_mock(import_job_expiry_hours=48)
def test_the_expiry_window_is_configurable(cognito_idp, pool_id):
    with freeze_time("2030-01-01"):
        job_id = cognito_idp.create_user_import_job(
            JobName="late", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )["UserImportJob"]["JobId"]
    with freeze_time("2030-01-02 12:00:00"):
        assert describe(cognito_idp, pool_id, job_id)["Status"] == "Created"
    with freeze_time("2030-01-03 00:00:00"):
        assert describe(cognito_idp, pool_id, job_id)["Status"] == "Expired"


def test_list_is_newest_first_and_paginates(cognito_idp, pool_id):
    ids = []
    for day in range(1, 5):
        with freeze_time(f"2030-01-0{day}"):
            ids.append(
                cognito_idp.create_user_import_job(
                    JobName=f"j{day}", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
                )["UserImportJob"]["JobId"]
            )
    with freeze_time("2030-01-04 01:00:00"):
        first = cognito_idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=3)
        assert [j["JobId"] for j in first["UserImportJobs"]] == ids[::-1][:3]
        rest = cognito_idp.list_user_import_jobs(
            UserPoolId=pool_id, MaxResults=3, PaginationToken=first["PaginationToken"]
        )
        assert [j["JobId"] for j in rest["UserImportJobs"]] == ids[:1]
        assert "PaginationToken" not in rest
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
        cognito_idp.list_user_import_jobs(
            UserPoolId=pool_id, MaxResults=3, PaginationToken="forged"
        )


def test_list_orders_by_creation_date_even_when_the_clock_went_back(cognito_idp, pool_id):
    def create(name: str, when: str) -> str:
        with freeze_time(when):
            return cognito_idp.create_user_import_job(
                JobName=name, UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
            )["UserImportJob"]["JobId"]

    middle = create("middle", "2030-01-02")
    newest = create("newest", "2030-01-03")
    oldest = create("oldest", "2030-01-01")  # a test travelled back before creating it
    # Two jobs created at one frozen instant: the one created later is listed first.
    tie_first = create("tie-a", "2029-12-31")
    tie_second = create("tie-b", "2029-12-31")
    with freeze_time("2030-01-03 01:00:00"):
        listed = cognito_idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=60)
    assert [job["JobId"] for job in listed["UserImportJobs"]] == [
        newest,
        middle,
        oldest,
        tie_second,
        tie_first,
    ]


def test_a_thousand_jobs_is_the_quota(cognito_idp, cognito_mock, pool_id):
    for n in range(1000):
        cognito_idp.create_user_import_job(
            JobName=f"j{n}", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )
    with pytest.raises(cognito_idp.exceptions.LimitExceededException) as raised:
        cognito_idp.create_user_import_job(
            JobName="one-more", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )
    assert "1000 import jobs" in error_of(raised)[1]


def test_upload_csv_escapes_commas_and_refuses_what_the_format_cannot_carry(
    cognito_idp, cognito_mock, pool_id, job
):
    job_id = job["JobId"]
    base = {"cognito:username": "ada", "email": "ada@example.com", "email_verified": "true"}
    with pytest.raises(
        ValueError, match=r"row 1, column 'name': the value 'C:\\\\' ends in a back"
    ):
        cognito_mock.upload_csv(pool_id, job_id, [{**base, "name": "C:\\"}])
    with pytest.raises(ValueError, match=r"row 2, column 'name'.*holds a line break"):
        cognito_mock.upload_csv(pool_id, job_id, [base, {**base, "name": "two\nlines"}])
    with pytest.raises(
        ValueError, match=r"row 1 has columns not in the CSV header: \['nickname!'\]"
    ):
        cognito_mock.upload_csv(pool_id, job_id, [{**base, "nickname!": "x"}])
    # Commas, and backslashes anywhere but at the end, come back exactly as written.
    cognito_mock.upload_csv(pool_id, job_id, [{**base, "name": "Lovelace, Ada \\, C:\\temp"}])
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
    cognito_mock.assert_import_job_succeeded(pool_id, job_id)
    cognito_mock.assert_user_imported(pool_id, "ada", {"name": "Lovelace, Ada \\, C:\\temp"})
