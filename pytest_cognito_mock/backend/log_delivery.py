"""Log export: SetLogDeliveryConfiguration and GetLogDeliveryConfiguration.

A pool sends two kinds of logs (the model's LogConfigurationType): ``userNotification``, message
delivery errors, at ``ERROR`` level and only to a CloudWatch Logs log group; and
``userAuthEvents``, threat protection's user activity, at ``INFO`` level to a log group, an S3
bucket or a Firehose stream, on the Plus plan only. Each configuration names exactly one
destination, each event source appears at most once, and a log group must be in the pool's
account. The whole list replaces the previous one; validation runs on all of it first, so a
refused request changes nothing. Log export is one of the settings each replica of a pool keeps
for itself, so configurations are stored by region.

The destination's existence is asked of ``destination_exists`` (moto's CloudWatch Logs, S3 and
Firehose when moto is active); it answers None when it cannot tell, and the destination is then
taken on trust. Messages are the mock's (see docs/fidelity.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from . import feature_plans
from .errors import InvalidParameterException
from .models import UserPool

USER_NOTIFICATION, USER_AUTH_EVENTS = "userNotification", "userAuthEvents"
#: Event source -> the one log level it takes.
LEVEL_OF = {USER_NOTIFICATION: "ERROR", USER_AUTH_EVENTS: "INFO"}

CLOUDWATCH_LOGS, S3, FIREHOSE = (
    "CloudWatchLogsConfiguration",
    "S3Configuration",
    "FirehoseConfiguration",
)
#: Destination member -> (its ARN member, what the ARN must look like, what it names).
DESTINATIONS: dict[str, tuple[str, re.Pattern[str], str]] = {
    CLOUDWATCH_LOGS: (
        "LogGroupArn",
        re.compile(
            r"arn:[\w-]+:logs:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
            r"log-group:(?P<name>[\w#/.-]+)"
        ),
        "CloudWatch Logs log group",
    ),
    S3: (
        "BucketArn",
        re.compile(r"arn:[\w-]+:s3:::(?P<name>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])"),
        "S3 bucket",
    ),
    FIREHOSE: (
        "StreamArn",
        re.compile(
            r"arn:[\w-]+:firehose:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
            r"deliverystream/(?P<name>[\w.-]+)"
        ),
        "Firehose stream",
    ),
}
#: Which destinations each event source may use.
ALLOWED_DESTINATIONS = {
    USER_NOTIFICATION: (CLOUDWATCH_LOGS,),
    USER_AUTH_EVENTS: (CLOUDWATCH_LOGS, S3, FIREHOSE),
}

#: (destination member, ARN) -> whether it exists; None when that cannot be told.
DestinationCheck = Callable[[str, str], "bool | None"]


def get_configurations(pool: UserPool, region: str) -> list[dict[str, Any]]:
    """What SetLogDeliveryConfiguration stored in ``region``; empty until then."""
    return [dict(c) for c in pool.log_configurations.get(region, [])]


def set_configurations(
    pool: UserPool,
    region: str,
    account_id: str,
    configurations: Sequence[dict[str, Any]],
    destination_exists: DestinationCheck,
) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for configuration in configurations:
        source = configuration["EventSource"]
        if source in seen:
            raise InvalidParameterException(
                f"Only one log configuration is allowed for the event source {source}."
            )
        seen.add(source)
        _check(pool, account_id, configuration, destination_exists)
    stored = [dict(c) for c in configurations]
    pool.log_configurations[region] = stored
    return [dict(c) for c in stored]


def _check(
    pool: UserPool,
    account_id: str,
    configuration: dict[str, Any],
    destination_exists: DestinationCheck,
) -> None:
    source, level = configuration["EventSource"], configuration["LogLevel"]
    if level != LEVEL_OF[source]:
        raise InvalidParameterException(
            f"The event source {source} supports only the log level {LEVEL_OF[source]}."
        )
    given = [member for member in DESTINATIONS if member in configuration]
    if len(given) != 1:
        raise InvalidParameterException(
            "A log configuration must have exactly one destination: one of "
            f"{', '.join(DESTINATIONS)}."
        )
    member = given[0]
    if member not in ALLOWED_DESTINATIONS[source]:
        raise InvalidParameterException(
            f"The event source {source} can only be delivered with "
            f"{' or '.join(ALLOWED_DESTINATIONS[source])}."
        )
    if source == USER_AUTH_EVENTS:
        feature_plans.require_for_pool(pool, feature_plans.THREAT_PROTECTION)
    arn_member, shape, what = DESTINATIONS[member]
    arn = configuration[member].get(arn_member)
    if arn is None:
        raise InvalidParameterException(f"{member} requires {arn_member}.")
    named = shape.fullmatch(arn)
    if named is None:
        raise InvalidParameterException(f"{arn} is not the ARN of a {what}.")
    if "account" in named.groupdict() and named["account"] != account_id:
        raise InvalidParameterException(
            f"The {what} {arn} must be in the same AWS account as the user pool."
        )
    if destination_exists(member, arn) is False:
        raise InvalidParameterException(f"The {what} {arn} does not exist.")
