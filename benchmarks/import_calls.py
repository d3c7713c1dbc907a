"""(i) GetCSVHeader and DescribeUserImportJob, per call: the mock next to the send-path floor (a
canned response of the same shape and about the same size), with the Stubber for reference.
moto has no user import jobs; the row says what moto raises instead of a time."""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness import Contender, Settings, Timing, compare, moto, new_client
from import_jobs import ROLE_ARN, import_pool, moto_lacks
from send_path import canned_body, floor_contender, stubber_contender
from table import Row, Section, ratio, timed

from pytest_cognito_mock import CognitoMock

POOL_ID = "us-east-1_bEnChMaRk"
JOB_ID = "import-bEnChMaRk0"
#: GetCSVHeader's columns for a pool without custom attributes.
CSV_HEADER = [
    *("name", "given_name", "family_name", "middle_name", "nickname", "preferred_username"),
    *("profile", "picture", "website", "email", "email_verified", "gender", "birthdate"),
    *("zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at"),
    *("cognito:mfa_enabled", "cognito:username"),
]
#: A presigned S3 PUT URL shaped like AWS's: path-style key, SigV4 query with a session token.
PRESIGNED_URL = (
    "https://s3.us-east-1.amazonaws.com/aws-cognito-idp-user-import-us-east-1/123456789012/"
    f"{POOL_ID}/{JOB_ID}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=ASIAQBENCHMARKEXAMPLE%2F20241126%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20241126T060000Z&X-Amz-Expires=900"
    "&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption"
    f"&X-Amz-Security-Token={'IQoJb3JpZ2luX2VjE' * 32}&X-Amz-Signature={'0f' * 32}"
)
_DATES = {"CreationDate": 1732600000.123, "StartDate": 1732600001.5, "CompletionDate": 1732600002.5}


def _job(dates: Mapping[str, Any]) -> dict[str, Any]:
    """A Succeeded job with every member DescribeUserImportJob returns, in the mock's order."""
    return {
        "JobName": "bench",
        "JobId": JOB_ID,
        "UserPoolId": POOL_ID,
        "PreSignedUrl": PRESIGNED_URL,
        "CreationDate": dates["CreationDate"],
        "StartDate": dates["StartDate"],
        "CompletionDate": dates["CompletionDate"],
        "Status": "Succeeded",
        "CloudWatchLogsRoleArn": ROLE_ARN,
        "ImportedUsers": 2,
        "SkippedUsers": 0,
        "FailedUsers": 0,
        "CompletionMessage": "Import Job Completed Successfully.",
    }


@dataclass(frozen=True)
class Operation:
    name: str  # the API name
    method: str  # boto3's
    params: dict[str, Any]  # for the floor and the Stubber
    wire: dict[str, Any]  # the canned JSON body (floor)
    parsed: dict[str, Any]  # the same response as boto3 returns it (Stubber)


OPERATIONS = (
    Operation(
        "GetCSVHeader",
        "get_csv_header",
        {"UserPoolId": POOL_ID},
        {"UserPoolId": POOL_ID, "CSVHeader": CSV_HEADER},
        {"UserPoolId": POOL_ID, "CSVHeader": CSV_HEADER},
    ),
    Operation(
        "DescribeUserImportJob",
        "describe_user_import_job",
        {"UserPoolId": POOL_ID, "JobId": JOB_ID},
        {"UserImportJob": _job(_DATES)},
        {
            "UserImportJob": _job(
                {
                    name: datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
                    for name, value in _DATES.items()
                }
            )
        },
    ),
)


@contextlib.contextmanager
def _mock_pool_with_job(client: Any) -> Iterator[tuple[str, str]]:
    """Inside a mock: a pool and a finished two-user import job in it, (pool id, job id)."""
    with CognitoMock() as mock:
        pool_id = import_pool(client)
        job_id = client.create_user_import_job(
            JobName="bench", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
        )["UserImportJob"]["JobId"]
        rows = [
            {"cognito:username": name, "email": f"{name}@example.com", "email_verified": "true"}
            for name in ("ada", "grace")
        ]
        mock.upload_csv(pool_id, job_id, rows)
        client.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
        status = client.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)
        if status["UserImportJob"]["Status"] != "Succeeded":
            raise RuntimeError(f"the benchmark's import job did not succeed: {status!r}")
        yield pool_id, job_id


@contextlib.contextmanager
def mock_contender(operation: Operation, client: Any = None) -> Iterator[Callable[[], object]]:
    client = client or new_client()
    call = getattr(client, operation.method)
    with _mock_pool_with_job(client) as (pool_id, job_id):
        params = {"UserPoolId": pool_id, "JobId": job_id}
        params = {name: params[name] for name in operation.params}
        yield lambda: call(**params)


def mock_body_bytes(operation: Operation) -> int:
    """The size of the mock's JSON answer to ``operation``, for the table."""
    client = new_client()
    sizes: list[int] = []

    def record(http_response: Any, **_: Any) -> None:
        sizes.append(len(http_response.content))

    client.meta.events.register(f"after-call.cognito-identity-provider.{operation.name}", record)
    with mock_contender(operation, client) as call:
        call()
    return sizes[-1]


def _without_pool(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in params.items() if name != "UserPoolId"}


@dataclass
class CallResult:
    timings: dict[str, Timing]
    floor_bytes: int
    mock_bytes: int
    moto_missing: str | None


@dataclass
class CallResults:
    by_operation: dict[str, CallResult] = field(default_factory=dict)


def measure_import_calls(settings: Settings) -> CallResults:
    """(i) Per-call GetCSVHeader and DescribeUserImportJob: Stubber, floor, mock."""
    results = CallResults()
    for operation in OPERATIONS:
        contenders: dict[str, Contender] = {
            "stubber": functools.partial(
                stubber_contender, operation.method, operation.params, operation.parsed
            ),
            "floor": functools.partial(
                floor_contender, operation.name, operation.method, operation.params, operation.wire
            ),
            "mock": functools.partial(mock_contender, operation),
        }
        timings = compare(contenders, dict.fromkeys(contenders, settings.import_calls), settings)
        results.by_operation[operation.name] = CallResult(
            timings,
            len(canned_body(operation.wire)),
            mock_body_bytes(operation),
            moto_lacks(operation.method, **_without_pool(operation.params)),
        )
    return results


def import_calls_section(results: CallResults) -> Section:
    section = Section("(i) GetCSVHeader and DescribeUserImportJob, per call")
    for name, result in results.by_operation.items():
        floor, stubber, mock = (result.timings[k] for k in ("floor", "stubber", "mock"))
        section.rows += [
            timed(
                f"{name}: botocore Stubber (reference)",
                stubber,
                ratio(f"{name}: stubber / floor", stubber.median, floor.median),
            ),
            timed(
                f"{name}: send-path floor (canned {result.floor_bytes:,}-byte body)",
                floor,
            ),
            timed(
                f"{name}: pytest-cognito-mock ({result.mock_bytes:,}-byte body)",
                mock,
                ratio(f"{name}: mock / floor", mock.median, floor.median, "mock / floor"),
            ),
            _moto_row(name, result.moto_missing),
        ]
    return section


def _moto_row(name: str, missing: str | None) -> Row:
    if moto is None:
        return Row(f"{name}: moto mock_aws", "moto not installed")
    if missing is None:  # moto gained the operation: time it here
        return Row(f"{name}: moto mock_aws", "implemented by moto; not timed yet")
    return Row(f"{name}: moto mock_aws", "moto: not implemented", "", missing)
