"""The PreSignedUrl is a real upload target on loopback, with S3's rules."""

from __future__ import annotations

import subprocess
import urllib.request

import pytest
import requests
from freezegun import freeze_time

SSE = {"x-amz-server-side-encryption": "aws:kms"}
CSV_HEADER = (
    "cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,"
    "profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,"
    "phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled"
)


def csv_of(*usernames: str) -> bytes:
    lines = [CSV_HEADER]
    for name in usernames:
        lines.append(f"{name},,,,,,,,,,{name}@example.com,TRUE,,,,,,,,,")
    return ("\n".join(lines) + "\n").encode()


def start_and_describe(cognito_idp, pool_id, job_id) -> dict:
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
    return cognito_idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]


def test_upload_with_requests(cognito_idp, pool_id, job):
    response = requests.put(
        job["PreSignedUrl"], data=csv_of("ada", "grace"), headers=SSE, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"') and response.headers["ETag"].endswith('"')
    assert start_and_describe(cognito_idp, pool_id, job["JobId"])["ImportedUsers"] == 2


def test_upload_with_urllib(cognito_idp, pool_id, job):
    request = urllib.request.Request(
        job["PreSignedUrl"], data=csv_of("ada"), method="PUT", headers=SSE
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert start_and_describe(cognito_idp, pool_id, job["JobId"])["ImportedUsers"] == 1


def test_upload_with_curl_as_the_aws_docs_show(cognito_idp, pool_id, job, tmp_path):
    path = tmp_path / "users.csv"
    path.write_bytes(csv_of("ada", "grace", "linus"))
    result = subprocess.run(
        [
            "curl",
            "-sS",
            "-f",
            "-T",
            str(path),
            "-H",
            "x-amz-server-side-encryption:aws:kms",
            job["PreSignedUrl"],
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert start_and_describe(cognito_idp, pool_id, job["JobId"])["ImportedUsers"] == 3


def test_a_forgotten_sse_header_is_refused_as_s3_does(cognito_idp, pool_id, job):
    response = requests.put(
        job["PreSignedUrl"], data=csv_of("ada"), headers={"Content-Type": "text/csv"}, timeout=10
    )
    assert response.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in response.text
    assert (
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method." in response.text
    )
    with pytest.raises(cognito_idp.exceptions.PreconditionNotMetException):
        cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])


def test_a_tampered_url_is_refused(job):
    url = job["PreSignedUrl"].replace("X-Amz-Expires=899", "X-Amz-Expires=9999")
    response = requests.put(url, data=csv_of("ada"), headers=SSE, timeout=10)
    assert response.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in response.text


def test_the_url_expires_after_fifteen_minutes_of_mock_time(cognito_idp, pool_id):
    with freeze_time("2030-01-01 00:00:00"):
        job = cognito_idp.create_user_import_job(
            JobName="j",
            UserPoolId=pool_id,
            CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role",
        )["UserImportJob"]
    with freeze_time("2030-01-01 00:16:00"):
        response = requests.put(job["PreSignedUrl"], data=csv_of("ada"), headers=SSE, timeout=10)
    assert response.status_code == 403
    assert "<Code>AccessDenied</Code>" in response.text
    assert "Request has expired" in response.text


def test_a_second_put_replaces_the_file(cognito_idp, cognito_mock, pool_id, job):
    requests.put(job["PreSignedUrl"], data=csv_of("ada", "grace"), headers=SSE, timeout=10)
    requests.put(job["PreSignedUrl"], data=csv_of("linus"), headers=SSE, timeout=10)
    assert start_and_describe(cognito_idp, pool_id, job["JobId"])["ImportedUsers"] == 1
    cognito_mock.assert_user_imported(pool_id, "linus")


def test_a_started_job_takes_no_more_uploads(cognito_idp, pool_id, job):
    requests.put(job["PreSignedUrl"], data=csv_of("ada"), headers=SSE, timeout=10)
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    response = requests.put(job["PreSignedUrl"], data=csv_of("grace"), headers=SSE, timeout=10)
    assert response.status_code == 403
    assert "<Code>AccessDenied</Code>" in response.text


def test_other_methods_are_refused_as_s3_does(job):
    # GET is an S3 object operation: a URL signed for PUT fails its signature check.
    assert requests.get(job["PreSignedUrl"], timeout=10).status_code == 403
    assert requests.post(job["PreSignedUrl"], data=b"x", timeout=10).status_code == 405


def test_the_server_is_gone_after_the_mock_stops(cognito_idp, pool_id):
    from pytest_cognito_mock import CognitoMock

    with CognitoMock() as inner:
        client = inner.client()
        inner_pool = client.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])[
            "UserPool"
        ]["Id"]
        url = client.create_user_import_job(
            JobName="j",
            UserPoolId=inner_pool,
            CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role",
        )["UserImportJob"]["PreSignedUrl"]
    with pytest.raises(requests.ConnectionError):
        requests.put(url, data=b"x", headers=SSE, timeout=10)
