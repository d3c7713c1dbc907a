"""moto as the rest of AWS for import jobs: its IAM for the CloudWatch Logs role, its CloudWatch
Logs for the job's log; its log destinations; its Secrets Manager for published client secrets.

Only used while moto's ``mock_aws`` is active; the calls go through ordinary boto3 clients, so
moto answers them as it would any test's.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from .backend import clock
from .backend.secrets_manager import LocalSecretsManager

_TEST_KEY = "testing"


def active() -> bool:
    """True while moto's ``mock_aws`` answers AWS calls in this process.

    Read from moto's own before-send hook, without importing moto when the test did not.
    """
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def role_exists(role_arn: str) -> bool | None:
    """Whether moto's IAM holds the role ``role_arn`` names; None when moto is not active or its
    IAM has no roles at all (a test that never set IAM up is not failed for it)."""
    if not active():
        return None
    import boto3

    iam: Any = boto3.client(
        "iam", region_name="us-east-1", aws_access_key_id=_TEST_KEY, aws_secret_access_key=_TEST_KEY
    )
    names = {
        role["RoleName"]
        for page in iam.get_paginator("list_roles").paginate()
        for role in page["Roles"]
    }
    if not names:
        return None
    return role_arn.rsplit("/", 1)[-1] in names


def log_group_name(pool_id: str, pool_name: str) -> str:
    return f"/aws/cognito/userpools/{pool_id}/{pool_name}"


def log_stream_name(job_id: str, job_name: str) -> str:
    return f"{job_id}/{job_name}"


def write_log_lines(region: str, group: str, stream: str, lines: Sequence[str]) -> None:
    """Append ``lines`` to moto's CloudWatch Logs, creating the group and stream on first use."""
    import boto3

    logs: Any = boto3.client(
        "logs", region_name=region, aws_access_key_id=_TEST_KEY, aws_secret_access_key=_TEST_KEY
    )
    if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        logs.create_log_group(logGroupName=group)
    streams = logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=stream)
    if not streams["logStreams"]:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    timestamp = int(clock.now() * 1000)
    # PutLogEvents takes at most 10,000 events a call.
    for start in range(0, len(lines), 10_000):
        events = [
            {"timestamp": timestamp, "message": line} for line in lines[start : start + 10_000]
        ]
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)


def _client(service: str, region: str) -> Any:
    import boto3

    make: Any = boto3.client  # one helper for several services: no per-service overload
    return make(
        service, region_name=region, aws_access_key_id=_TEST_KEY, aws_secret_access_key=_TEST_KEY
    )


def log_destination_exists(member: str, arn: str) -> bool | None:
    """Whether moto holds the log destination ``arn`` names (``member`` is its kind, as
    SetLogDeliveryConfiguration names it); None when moto is not active."""
    if not active():
        return None
    from botocore.exceptions import ClientError

    region = arn.split(":")[3]
    if member == "CloudWatchLogsConfiguration":
        name = arn.split(":log-group:", 1)[1]
        groups = _client("logs", region).describe_log_groups(logGroupNamePrefix=name)
        return any(group["logGroupName"] == name for group in groups["logGroups"])
    try:
        if member == "S3Configuration":
            _client("s3", "us-east-1").head_bucket(Bucket=arn.rsplit(":", 1)[-1])
        else:
            name = arn.split(":deliverystream/", 1)[1]
            _client("firehose", region).describe_delivery_stream(DeliveryStreamName=name)
    except ClientError:
        return False
    return True


class SecretsManagerStore:
    """Where Cognito publishes app client secrets (backend/secrets_manager.py's port): moto's
    Secrets Manager while moto is active, so the test's own ``secretsmanager`` client reads
    them, else the mock's own. Each secret stays where it was created: one made in moto is
    updated and deleted there, and one made while moto was not active stays the mock's."""

    def __init__(self, account_id: str) -> None:
        self.local = LocalSecretsManager(account_id)
        #: ARN -> region of the secrets created in moto.
        self._in_moto: dict[str, str] = {}

    def create_secret(self, region: str, name: str, secret_string: str) -> str:
        if not active():
            return self.local.create_secret(region, name, secret_string)
        arn: str = _client("secretsmanager", region).create_secret(
            Name=name, SecretString=secret_string
        )["ARN"]
        self._in_moto[arn] = region
        return arn

    def put_secret_value(self, arn: str, secret_string: str) -> None:
        region = self._in_moto.get(arn)
        if region is None:
            self.local.put_secret_value(arn, secret_string)
        elif active():  # moto's secrets went with its mock_aws: nothing left to update
            _client("secretsmanager", region).put_secret_value(
                SecretId=arn, SecretString=secret_string
            )

    def delete_secret(self, arn: str) -> None:
        region = self._in_moto.pop(arn, None)
        if region is None:
            self.local.delete_secret(arn)
        elif active():
            _client("secretsmanager", region).delete_secret(
                SecretId=arn, ForceDeleteWithoutRecovery=True
            )
