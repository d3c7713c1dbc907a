"""The real aws CLI, as a child process, against the mock's loopback endpoint.

The CLI gets ``cognito_mock.subprocess_env()`` and never ``--endpoint-url``: these tests prove
that an unmodified CLI reaches the mock through ``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``
alone, that what it creates is the state the in-process clients see, and that a user import
job can be run end to end the way AWS's documentation shows (CLI plus ``curl -T``).

Install the CLI into a virtualenv of its own (it pins its own botocore and docutils):
``python3 -m venv .venv-cli && .venv-cli/bin/pip install awscli``, or point
``COGNITO_MOCK_AWS_CLI`` at one. Without a CLI (or curl, for the upload) these tests skip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jwt
import pytest
from support.cli import (
    SERVICE_ERROR_EXIT_CODES,
    AwsCli,
    cli_version,
    describe,
    find_aws_cli,
    find_curl,
    run,
)

PASSWORD = "Corr3ct-horse!"
ROLE_ARN = "arn:aws:iam::123456789012:role/CognitoImportRole"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture(scope="session")
def aws_cli_executable() -> tuple[str, tuple[int, ...]]:
    """The CLI to run and its version (read once per worker: each start costs about 1 s)."""
    executable = find_aws_cli()
    return executable, cli_version(executable)


@pytest.fixture
def aws(aws_cli_executable, cognito_mock, tmp_path) -> AwsCli:
    """The CLI with exactly ``cognito_mock.subprocess_env()`` as its environment."""
    return AwsCli(aws_cli_executable[0], cognito_mock.subprocess_env(), cwd=tmp_path)


@pytest.fixture
def curl() -> str:
    return find_curl()


def attributes(user: dict) -> dict[str, str]:
    """``{name: value}`` of an AdminGetUser answer (``UserAttributes``) or a ``User``
    (``Attributes``)."""
    pairs = user.get("UserAttributes", user.get("Attributes", []))
    return {pair["Name"]: pair["Value"] for pair in pairs}


def verified_claims(token: str, jwks: dict, **expected) -> dict:
    """The claims of ``token`` once PyJWT has checked its RS256 signature with the key its
    ``kid`` names in ``jwks``, and ``expected`` (issuer, audience) as ``jwt.decode`` does."""
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    # The key itself, not the PyJWK: PyJWT takes a PyJWK as the key only from 2.9 on.
    key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]].key
    return jwt.decode(token, key=key, algorithms=["RS256"], **expected)


def test_sign_in_through_the_cli_yields_state_and_tokens_the_test_can_check(
    aws, cognito_mock, cognito_idp
):
    pool = aws.json(
        "create-user-pool", "--pool-name", "cli-pool", "--auto-verified-attributes", "email"
    )["UserPool"]
    pool_id = pool["Id"]
    assert re.fullmatch(r"us-east-1_[0-9A-Za-z]{9}", pool_id), pool_id
    assert pool["Name"] == "cli-pool"
    assert pool["AutoVerifiedAttributes"] == ["email"]

    app = aws.json(
        "create-user-pool-client",
        "--user-pool-id", pool_id,
        "--client-name", "cli-app",
        "--explicit-auth-flows", *FLOWS,
    )["UserPoolClient"]  # fmt: skip
    client_id = app["ClientId"]
    assert app["UserPoolId"] == pool_id
    assert sorted(app["ExplicitAuthFlows"]) == sorted(FLOWS)
    assert "ClientSecret" not in app

    created = aws.json(
        "admin-create-user",
        "--user-pool-id", pool_id,
        "--username", "ada",
        "--user-attributes", "Name=email,Value=ada@example.com", "Name=email_verified,Value=true",
        "--message-action", "SUPPRESS",
    )["User"]  # fmt: skip
    assert created["Username"] == "ada"
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert created["Enabled"] is True
    assert attributes(created)["email"] == "ada@example.com"

    # AdminSetUserPassword answers an empty body: the CLI prints nothing.
    set_password = aws.json(
        "admin-set-user-password",
        "--user-pool-id", pool_id,
        "--username", "ada",
        "--password", PASSWORD,
        "--permanent",
    )  # fmt: skip
    assert set_password == {}

    answer = aws.json(
        "admin-initiate-auth",
        "--user-pool-id", pool_id,
        "--client-id", client_id,
        "--auth-flow", "ADMIN_USER_PASSWORD_AUTH",
        "--auth-parameters", json.dumps({"USERNAME": "ada", "PASSWORD": PASSWORD}),
    )  # fmt: skip
    assert "ChallengeName" not in answer, answer
    tokens = answer["AuthenticationResult"]
    assert tokens["TokenType"] == "Bearer"
    assert tokens["ExpiresIn"] == 3600
    assert tokens["RefreshToken"]

    # The five CLI calls reached this test's mock, in order, without error.
    assert [(call.operation, call.error_code) for call in cognito_mock.calls] == [
        ("CreateUserPool", None),
        ("CreateUserPoolClient", None),
        ("AdminCreateUser", None),
        ("AdminSetUserPassword", None),
        ("AdminInitiateAuth", None),
    ]

    # The in-process fixture client and a second, new client see the same pool and user.
    for client in (cognito_idp, cognito_mock.client()):
        described = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
        assert described["Name"] == "cli-pool"
        assert described["AutoVerifiedAttributes"] == ["email"]
        user = client.admin_get_user(UserPoolId=pool_id, Username="ada")
        assert user["UserStatus"] == "CONFIRMED"
        assert attributes(user)["email"] == "ada@example.com"
        assert attributes(user)["sub"] == attributes(created)["sub"]
        app_seen = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
        assert sorted(app_seen["UserPoolClient"]["ExplicitAuthFlows"]) == sorted(FLOWS)

    # The tokens the CLI printed verify against the pool's JWKS, with AWS's issuer.
    jwks = cognito_mock.jwks(pool_id)
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    id_claims = verified_claims(tokens["IdToken"], jwks, issuer=issuer, audience=client_id)
    assert id_claims["token_use"] == "id"
    assert id_claims["cognito:username"] == "ada"
    assert id_claims["email"] == "ada@example.com"
    assert id_claims["email_verified"] is True
    assert id_claims["sub"] == attributes(created)["sub"]
    access_claims = verified_claims(tokens["AccessToken"], jwks, issuer=issuer)
    assert access_claims["token_use"] == "access"
    assert access_claims["client_id"] == client_id
    assert access_claims["username"] == "ada"
    assert access_claims["sub"] == id_claims["sub"]


def test_a_service_error_is_the_cli_error_users_script_against(
    aws, aws_cli_executable, cognito_mock, cognito_idp
):
    pool_id = cognito_idp.create_user_pool(PoolName="errors")["UserPool"]["Id"]
    expected_exit_code = SERVICE_ERROR_EXIT_CODES[aws_cli_executable[1][0]]

    missing_user = aws.error("admin-get-user", "--user-pool-id", pool_id, "--username", "nobody")
    assert missing_user.returncode == expected_exit_code, describe(missing_user)
    assert missing_user.stdout == "", describe(missing_user)
    assert (
        "An error occurred (UserNotFoundException) when calling the AdminGetUser operation: "
        "User does not exist." in missing_user.stderr
    ), describe(missing_user)

    missing_pool = aws.error("list-users", "--user-pool-id", "us-east-1_NoSuchOne")
    assert missing_pool.returncode == expected_exit_code, describe(missing_pool)
    assert (
        "An error occurred (ResourceNotFoundException) when calling the ListUsers operation: "
        "User pool us-east-1_NoSuchOne does not exist." in missing_pool.stderr
    ), describe(missing_pool)

    assert [(call.operation, call.error_code) for call in cognito_mock.calls[-2:]] == [
        ("AdminGetUser", "UserNotFoundException"),
        ("ListUsers", "ResourceNotFoundException"),
    ]


@pytest.mark.slow  # a CLI process per step and curl: about four seconds
def test_a_user_import_job_run_with_the_cli_and_curl_as_aws_documents_it(
    aws, curl, cognito_mock, cognito_endpoint, tmp_path: Path
):
    pool_id = aws.json(
        "create-user-pool", "--pool-name", "imports", "--auto-verified-attributes", "email"
    )["UserPool"]["Id"]

    header_answer = aws.json("get-csv-header", "--user-pool-id", pool_id)
    assert header_answer["UserPoolId"] == pool_id
    header = header_answer["CSVHeader"]
    assert {"cognito:username", "email", "email_verified", "cognito:mfa_enabled"} <= set(header)

    rows = [
        {
            "cognito:username": "ada",
            "name": "Ada Lovelace",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email": "ada@example.com",
            "email_verified": "TRUE",
            "cognito:mfa_enabled": "FALSE",
        },
        {
            "cognito:username": "grace",
            "given_name": "Grace",
            "email": "grace@example.com",
            "email_verified": "TRUE",
            "cognito:mfa_enabled": "FALSE",
        },
    ]
    lines = [",".join(header)] + [
        ",".join(row.get(column, "") for column in header) for row in rows
    ]
    (tmp_path / "users.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    job = aws.json(
        "create-user-import-job",
        "--user-pool-id", pool_id,
        "--job-name", "cli-migration",
        "--cloud-watch-logs-role-arn", ROLE_ARN,
    )["UserImportJob"]  # fmt: skip
    job_id = job["JobId"]
    assert re.fullmatch(r"import-[0-9A-Za-z]{10}", job_id), job_id
    assert job["Status"] == "Created"
    assert job["CloudWatchLogsRoleArn"] == ROLE_ARN
    assert job["PreSignedUrl"].startswith(f"{cognito_endpoint}/"), job["PreSignedUrl"]

    # The upload exactly as AWS's guide writes it: curl -v -T "file.csv" -H "...:aws:kms" "URL"
    # (without --fail, so the status is read from the verbose output).
    command = [
        curl, "-v", "-T", "users.csv", "-H", "x-amz-server-side-encryption:aws:kms",
        job["PreSignedUrl"],
    ]  # fmt: skip
    upload = run(command, env=aws.env, cwd=tmp_path)
    assert upload.returncode == 0, describe(upload)
    assert re.search(r"^< HTTP/[\d.]+ 200\b", upload.stderr, re.MULTILINE), describe(upload)
    etag = re.search(r'^< ETag: "[^"]+"', upload.stderr, re.MULTILINE | re.IGNORECASE)
    assert etag, describe(upload)

    started = aws.json("start-user-import-job", "--user-pool-id", pool_id, "--job-id", job_id)
    assert started["UserImportJob"]["Status"] == "Pending"
    assert "StartDate" in started["UserImportJob"]

    # With the default import rate the job is finished by the next call; poll a few times
    # (no sleeping, no clock) in case it is not.
    statuses = []
    for _ in range(3):
        described = aws.json(
            "describe-user-import-job", "--user-pool-id", pool_id, "--job-id", job_id
        )["UserImportJob"]
        statuses.append(described["Status"])
        if described["Status"] in {"Succeeded", "Failed", "Stopped", "Expired"}:
            break
    assert described["Status"] == "Succeeded", (statuses, described)
    counters = {name: described[name] for name in ("ImportedUsers", "SkippedUsers", "FailedUsers")}
    assert counters == {"ImportedUsers": 2, "SkippedUsers": 0, "FailedUsers": 0}
    assert described["CompletionMessage"] == "Import Job Completed Successfully."
    assert "CompletionDate" in described

    cognito_mock.assert_import_job_succeeded(pool_id, job_id)
    cognito_mock.assert_user_imported(
        pool_id, "ada", {"email": "ada@example.com", "email_verified": "true"}
    )
    cognito_mock.assert_user_imported(pool_id, "grace", {"email": "grace@example.com"})

    user = aws.json("admin-get-user", "--user-pool-id", pool_id, "--username", "ada")
    assert user["Username"] == "ada"
    assert user["UserStatus"] == "RESET_REQUIRED"
    assert user["Enabled"] is True
    imported = attributes(user)
    assert imported["sub"]
    assert {name: imported.get(name) for name in rows[0] if name != "cognito:username"} == {
        "name": "Ada Lovelace",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "email": "ada@example.com",
        "email_verified": "true",
        "cognito:mfa_enabled": None,  # a sign-in setting, not an attribute
    }
