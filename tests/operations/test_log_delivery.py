"""Log export through boto3: SetLogDeliveryConfiguration and GetLogDeliveryConfiguration, and,
with moto's mock_aws active, the destinations checked in moto's CloudWatch Logs, S3 and
Firehose."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws
from support.errors import refused
from support.model import requires_operation

from pytest_cognito_mock import CognitoMock

pytestmark = [
    requires_operation("SetLogDeliveryConfiguration"),
    requires_operation("GetLogDeliveryConfiguration"),
]

ACCOUNT = "123456789012"
GROUP_NAME = "/aws/vendedlogs/cognito/app"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP_NAME}"
BUCKET_ARN = "arn:aws:s3:::cognito-activity-logs"
STREAM_ARN = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/cognito-activity"
FAKE = {"region_name": "us-east-1", "aws_access_key_id": "testing", "aws_secret_access_key": "x"}


def notification_errors(arn: str = GROUP_ARN) -> dict:
    return {
        "LogLevel": "ERROR",
        "EventSource": "userNotification",
        "CloudWatchLogsConfiguration": {"LogGroupArn": arn},
    }


def auth_events(destination: dict) -> dict:
    return {"LogLevel": "INFO", "EventSource": "userAuthEvents", **destination}


def stored(client, pool_id: str) -> list[dict]:
    answer = client.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]
    assert answer["UserPoolId"] == pool_id
    return answer["LogConfigurations"]


@pytest.fixture
def plus_pool(cognito_idp) -> str:
    return cognito_idp.create_user_pool(PoolName="plus", UserPoolTier="PLUS")["UserPool"]["Id"]


def test_a_new_pool_has_no_log_configuration(cognito_idp, pool_id):
    assert stored(cognito_idp, pool_id) == []


def test_a_notification_log_group_is_what_a_second_client_reads(cognito_idp, cognito_mock, pool_id):
    answer = cognito_idp.set_log_delivery_configuration(
        UserPoolId=pool_id, LogConfigurations=[notification_errors()]
    )
    assert answer["LogDeliveryConfiguration"] == {
        "UserPoolId": pool_id,
        "LogConfigurations": [notification_errors()],
    }
    assert stored(cognito_mock.client("us-east-1"), pool_id) == [notification_errors()]


def test_a_new_list_replaces_the_old_and_an_empty_one_clears_it(cognito_idp, plus_pool):
    both = [notification_errors(), auth_events({"S3Configuration": {"BucketArn": BUCKET_ARN}})]
    cognito_idp.set_log_delivery_configuration(UserPoolId=plus_pool, LogConfigurations=both)
    assert stored(cognito_idp, plus_pool) == both
    cognito_idp.set_log_delivery_configuration(UserPoolId=plus_pool, LogConfigurations=[both[1]])
    assert stored(cognito_idp, plus_pool) == [both[1]]
    cognito_idp.set_log_delivery_configuration(UserPoolId=plus_pool, LogConfigurations=[])
    assert stored(cognito_idp, plus_pool) == []


@pytest.mark.parametrize(
    "destination",
    [
        {"CloudWatchLogsConfiguration": {"LogGroupArn": GROUP_ARN}},
        {"S3Configuration": {"BucketArn": BUCKET_ARN}},
        {"FirehoseConfiguration": {"StreamArn": STREAM_ARN}},
    ],
    ids=["cloudwatch-logs", "s3", "firehose"],
)
def test_auth_events_go_to_any_one_destination_on_the_plus_plan(
    cognito_idp, plus_pool, destination
):
    cognito_idp.set_log_delivery_configuration(
        UserPoolId=plus_pool, LogConfigurations=[auth_events(destination)]
    )
    assert stored(cognito_idp, plus_pool) == [auth_events(destination)]


def test_auth_events_need_the_plus_plan(cognito_idp, pool_id):
    refused(
        cognito_idp.set_log_delivery_configuration,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the ESSENTIALS pricing tier configured: "
        "Threat Protection",
        UserPoolId=pool_id,
        LogConfigurations=[
            notification_errors(),
            auth_events({"S3Configuration": {"BucketArn": BUCKET_ARN}}),
        ],
    )
    assert stored(cognito_idp, pool_id) == []


def test_one_configuration_per_event_source(cognito_idp, pool_id):
    cognito_idp.set_log_delivery_configuration(
        UserPoolId=pool_id, LogConfigurations=[notification_errors()]
    )
    other = notification_errors(f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:other")
    refused(
        cognito_idp.set_log_delivery_configuration,
        "InvalidParameterException",
        "Only one log configuration is allowed for the event source userNotification.",
        UserPoolId=pool_id,
        LogConfigurations=[other, notification_errors()],
    )
    assert stored(cognito_idp, pool_id) == [notification_errors()]


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        (
            {**notification_errors(), "LogLevel": "INFO"},
            "The event source userNotification supports only the log level ERROR.",
        ),
        (
            auth_events({"S3Configuration": {"BucketArn": BUCKET_ARN}}) | {"LogLevel": "ERROR"},
            "The event source userAuthEvents supports only the log level INFO.",
        ),
        (
            {"LogLevel": "ERROR", "EventSource": "userNotification"},
            "A log configuration must have exactly one destination: one of "
            "CloudWatchLogsConfiguration, S3Configuration, FirehoseConfiguration.",
        ),
        (
            auth_events(
                {
                    "S3Configuration": {"BucketArn": BUCKET_ARN},
                    "FirehoseConfiguration": {"StreamArn": STREAM_ARN},
                }
            ),
            "A log configuration must have exactly one destination: one of "
            "CloudWatchLogsConfiguration, S3Configuration, FirehoseConfiguration.",
        ),
        (
            {
                "LogLevel": "ERROR",
                "EventSource": "userNotification",
                "S3Configuration": {"BucketArn": BUCKET_ARN},
            },
            "The event source userNotification can only be delivered with "
            "CloudWatchLogsConfiguration.",
        ),
        (
            {**notification_errors(), "CloudWatchLogsConfiguration": {}},
            "CloudWatchLogsConfiguration requires LogGroupArn.",
        ),
        (
            notification_errors(STREAM_ARN),
            f"{STREAM_ARN} is not the ARN of a CloudWatch Logs log group.",
        ),
        (
            auth_events({"S3Configuration": {"BucketArn": "arn:aws:sqs:::queue"}}),
            "arn:aws:sqs:::queue is not the ARN of a S3 bucket.",
        ),
        (
            auth_events({"FirehoseConfiguration": {"StreamArn": GROUP_ARN}}),
            f"{GROUP_ARN} is not the ARN of a Firehose stream.",
        ),
        (
            notification_errors("arn:aws:logs:us-east-1:210987654321:log-group:theirs"),
            "The CloudWatch Logs log group arn:aws:logs:us-east-1:210987654321:log-group:theirs "
            "must be in the same AWS account as the user pool.",
        ),
    ],
    ids=[
        "notification-at-info",
        "auth-events-at-error",
        "no-destination",
        "two-destinations",
        "notification-to-s3",
        "no-log-group-arn",
        "not-a-log-group",
        "not-a-bucket",
        "not-a-stream",
        "another-account",
    ],
)
def test_invalid_configurations_are_refused_and_nothing_changes(
    cognito_idp, plus_pool, configuration, message
):
    cognito_idp.set_log_delivery_configuration(
        UserPoolId=plus_pool, LogConfigurations=[notification_errors()]
    )
    refused(
        cognito_idp.set_log_delivery_configuration,
        "InvalidParameterException",
        message,
        UserPoolId=plus_pool,
        LogConfigurations=[configuration],
    )
    assert stored(cognito_idp, plus_pool) == [notification_errors()]


def test_the_models_arn_pattern_refuses_the_stream_wildcard(cognito_idp, pool_id):
    # ``arn:...:log-group:<name>:*`` (as DescribeLogGroups writes it) fails the model's ArnType.
    refused(
        cognito_idp.set_log_delivery_configuration,
        "InvalidParameterException",
        f"1 validation error detected: Value '{GROUP_ARN}:*' at "
        "'logConfigurations.1.member.cloudWatchLogsConfiguration.logGroupArn' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?"
        r"(:[\w+=/,.@-]+)?",
        UserPoolId=pool_id,
        LogConfigurations=[notification_errors(f"{GROUP_ARN}:*")],
    )
    assert stored(cognito_idp, pool_id) == []


def test_an_unknown_pool_is_not_found(cognito_idp):
    for call, extra in (
        (cognito_idp.get_log_delivery_configuration, {}),
        (
            cognito_idp.set_log_delivery_configuration,
            {"LogConfigurations": [notification_errors()]},
        ),
    ):
        refused(
            call,
            "ResourceNotFoundException",
            "User pool us-east-1_nothere1 does not exist.",
            UserPoolId="us-east-1_nothere1",
            **extra,
        )


@requires_operation("CreateUserPoolReplica")
def test_each_replica_region_keeps_its_own_log_configuration(cognito_idp, cognito_mock, pool_id):
    cognito_idp.create_user_pool_replica(UserPoolId=pool_id, RegionName="us-west-2")
    west = cognito_mock.client("us-west-2")
    west_group = notification_errors(f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:west")
    west.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[west_group])
    assert stored(west, pool_id) == [west_group]
    assert stored(cognito_idp, pool_id) == []


# --- with moto: the destination must exist ------------------------------------------------------


def test_with_moto_a_missing_log_group_is_refused_and_an_existing_one_accepted():
    with mock_aws(), CognitoMock() as cognito:
        idp = cognito.client("us-east-1")
        pool_id = idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
        refused(
            idp.set_log_delivery_configuration,
            "InvalidParameterException",
            f"The CloudWatch Logs log group {GROUP_ARN} does not exist.",
            UserPoolId=pool_id,
            LogConfigurations=[notification_errors()],
        )
        assert stored(idp, pool_id) == []
        boto3.client("logs", **FAKE).create_log_group(logGroupName=GROUP_NAME)
        idp.set_log_delivery_configuration(
            UserPoolId=pool_id, LogConfigurations=[notification_errors()]
        )
        assert stored(cognito.client("us-east-1"), pool_id) == [notification_errors()]


def test_with_moto_a_log_group_with_a_longer_name_is_not_the_one_named():
    with mock_aws(), CognitoMock() as cognito:
        idp = cognito.client("us-east-1")
        pool_id = idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
        boto3.client("logs", **FAKE).create_log_group(logGroupName=f"{GROUP_NAME}-longer")
        refused(
            idp.set_log_delivery_configuration,
            "InvalidParameterException",
            f"The CloudWatch Logs log group {GROUP_ARN} does not exist.",
            UserPoolId=pool_id,
            LogConfigurations=[notification_errors()],
        )


def test_with_moto_the_bucket_and_the_stream_must_exist():
    with mock_aws(), CognitoMock() as cognito:
        idp = cognito.client("us-east-1")
        pool_id = idp.create_user_pool(PoolName="plus", UserPoolTier="PLUS")["UserPool"]["Id"]
        to_s3 = auth_events({"S3Configuration": {"BucketArn": BUCKET_ARN}})
        to_firehose = auth_events({"FirehoseConfiguration": {"StreamArn": STREAM_ARN}})
        refused(
            idp.set_log_delivery_configuration,
            "InvalidParameterException",
            f"The S3 bucket {BUCKET_ARN} does not exist.",
            UserPoolId=pool_id,
            LogConfigurations=[to_s3],
        )
        refused(
            idp.set_log_delivery_configuration,
            "InvalidParameterException",
            f"The Firehose stream {STREAM_ARN} does not exist.",
            UserPoolId=pool_id,
            LogConfigurations=[to_firehose],
        )
        assert stored(idp, pool_id) == []
        boto3.client("s3", **FAKE).create_bucket(Bucket="cognito-activity-logs")
        idp.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[to_s3])
        assert stored(idp, pool_id) == [to_s3]
        boto3.client("firehose", **FAKE).create_delivery_stream(
            DeliveryStreamName="cognito-activity",
            ExtendedS3DestinationConfiguration={
                "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
                "BucketARN": BUCKET_ARN,
            },
        )
        idp.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[to_firehose])
        assert stored(cognito.client("us-east-1"), pool_id) == [to_firehose]
