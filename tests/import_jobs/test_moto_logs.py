"""With moto's mock_aws active, the import log also lands in moto's CloudWatch Logs, and the
CloudWatch Logs role is checked against moto's IAM."""

from __future__ import annotations

import json

import boto3
from moto import mock_aws

from pytest_cognito_mock import CognitoMock

FAKE = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cognito-idp.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def import_two_users(cognito: CognitoMock, role_arn: str) -> tuple[str, str, dict]:
    idp = cognito.client()
    pool_id = idp.create_user_pool(PoolName="shop-users", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    job = idp.create_user_import_job(
        JobName="nightly", UserPoolId=pool_id, CloudWatchLogsRoleArn=role_arn
    )["UserImportJob"]
    cognito.upload_csv(
        pool_id,
        job["JobId"],
        [
            {"cognito:username": "ada", "email": "ada@example.com", "email_verified": "true"},
            {"cognito:username": "grace", "email": "grace@example.com"},
        ],
    )
    idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    done = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    return pool_id, job["JobId"], done


def test_log_lines_are_written_to_moto_cloudwatch_logs():
    with mock_aws(), CognitoMock() as cognito:
        role_arn = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
        pool_id, job_id, done = import_two_users(cognito, role_arn)
        logs = boto3.client("logs", **FAKE)
        events = logs.get_log_events(
            logGroupName=f"/aws/cognito/userpools/{pool_id}/shop-users",
            logStreamName=f"{job_id}/nightly",
        )["events"]
    assert done["Status"] == "Succeeded"
    assert (
        [event["message"] for event in events]
        == cognito.import_log(pool_id, job_id)
        == [
            "[SUCCEEDED] Line Number 2 - The import succeeded.",
            "[FAILED] Line Number 3 - The User Record does not set any of the auto verified "
            "attributes to true. (Example: email_verified to true).",
        ]
    )


def test_a_role_missing_from_moto_iam_fails_the_job():
    with mock_aws(), CognitoMock() as cognito:
        iam = boto3.client("iam", **FAKE)
        iam.create_role(RoleName="SomeOtherRole", AssumeRolePolicyDocument=TRUST)
        _, _, done = import_two_users(cognito, "arn:aws:iam::123456789012:role/Missing")
    assert done["Status"] == "Failed"
    assert done["CompletionMessage"] == "The CloudWatch Logs role could not be assumed."
    assert done["ImportedUsers"] == 0


def test_an_existing_role_in_moto_iam_lets_the_job_run():
    with mock_aws(), CognitoMock() as cognito:
        iam = boto3.client("iam", **FAKE)
        role_arn = iam.create_role(
            RoleName="Cognito-UserImport-Role", AssumeRolePolicyDocument=TRUST
        )["Role"]["Arn"]
        _, _, done = import_two_users(cognito, role_arn)
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)


def test_the_log_is_in_moto_as_soon_as_a_helper_has_seen_the_job_finish():
    # No Cognito call after Start: the helper's own transaction imports the rows and ships
    # their log lines, so moto has the group and stream at once.
    with mock_aws(), CognitoMock() as cognito:
        idp = cognito.client()
        pool_id = idp.create_user_pool(PoolName="shop-users", AutoVerifiedAttributes=["email"])[
            "UserPool"
        ]["Id"]
        role_arn = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
        job_id = idp.create_user_import_job(
            JobName="nightly", UserPoolId=pool_id, CloudWatchLogsRoleArn=role_arn
        )["UserImportJob"]["JobId"]
        cognito.upload_csv(
            pool_id,
            job_id,
            [{"cognito:username": "ada", "email": "ada@example.com", "email_verified": "true"}],
        )
        idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
        cognito.assert_import_job_succeeded(pool_id, job_id)
        logs = boto3.client("logs", **FAKE)
        group = f"/aws/cognito/userpools/{pool_id}/shop-users"
        streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
        assert [stream["logStreamName"] for stream in streams] == [f"{job_id}/nightly"]
        events = logs.get_log_events(logGroupName=group, logStreamName=f"{job_id}/nightly")
        assert len(events["events"]) == 1
