"""Lambda triggers as Python handlers.

A pool's ``LambdaConfig`` names function ARNs exactly as infrastructure code does; tests register
a Python callable for each ARN (``cognito_mock.register_lambda(arn, handler)``). The mock calls
``handler(event, context)`` with the documented event shape and reads the ``response`` member of
the event the handler returns, as Cognito does with a Lambda function's output.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import CognitoBackend
from .errors import (
    InvalidLambdaResponseException,
    UnexpectedLambdaException,
    UserLambdaValidationException,
)
from .models import UserPool

#: A trigger handler: ``handler(event, context) -> event``, like a Lambda function's handler.
TriggerHandler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaContext:
    """The parts of a Lambda context object handlers commonly read."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128

    def get_remaining_time_in_millis(self) -> int:
        return 5000  # Cognito gives triggers 5 seconds


def trigger_arn(pool: UserPool, trigger: str) -> str | None:
    """The function ARN configured for ``trigger`` (e.g. "PreSignUp"), or None."""
    if trigger == "PreTokenGeneration":
        config = pool.lambda_config.get("PreTokenGenerationConfig") or {}
        arn = config.get("LambdaArn") or pool.lambda_config.get("PreTokenGeneration")
    else:
        arn = pool.lambda_config.get(trigger)
        if isinstance(arn, dict):  # CustomEmailSender / CustomSMSSender: {LambdaArn, ...}
            arn = arn.get("LambdaArn")
    return arn if isinstance(arn, str) and arn else None


def is_configured(pool: UserPool, trigger: str) -> bool:
    return trigger_arn(pool, trigger) is not None


def invoke(
    backend: CognitoBackend,
    pool: UserPool,
    trigger: str,
    source: str,
    *,
    user_name: str,
    client_id: str | None,
    request: Mapping[str, Any],
    response: Mapping[str, Any] | None = None,
    version: str = "1",
) -> dict[str, Any]:
    """Run the handler configured for ``trigger``; return the ``response`` it set.

    Raises AWS's errors: UnexpectedLambdaException when no handler is registered for the ARN,
    UserLambdaValidationException when the handler raises, InvalidLambdaResponseException when
    what it returns is not an event with a ``response`` object.
    """
    arn = trigger_arn(pool, trigger)
    if arn is None:  # pragma: no cover - callers check is_configured first
        raise ValueError(f"no {trigger} trigger configured")
    handler = backend.lambda_handlers.get(arn)
    if handler is None:
        raise UnexpectedLambdaException(
            f"{trigger} invocation failed: no handler is registered for {arn}. "
            "Register one with cognito_mock.register_lambda(function_arn, handler)."
        )
    event: dict[str, Any] = {
        "version": version,
        "triggerSource": source,
        "region": pool.region,
        "userPoolId": pool.id,
        "userName": user_name,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": client_id or "CLIENT_ID_NOT_APPLICABLE",
        },
        "request": copy.deepcopy(dict(request)),
        "response": copy.deepcopy(dict(response or {})),
    }
    context = LambdaContext(function_name=arn.rsplit(":", 1)[-1], invoked_function_arn=arn)
    try:
        with backend.while_trigger_runs():
            result = handler(event, context)
    except Exception as error:
        raise UserLambdaValidationException(f"{trigger} failed with error {error}.") from error
    if result is None:
        result = event  # handlers that mutate the event in place and return nothing
    result = _as_lambda_output(trigger, result)
    answer = result.get("response") if isinstance(result, dict) else None
    if not isinstance(answer, dict):
        raise InvalidLambdaResponseException("Unrecognizable lambda output")
    return answer


def _as_lambda_output(trigger: str, result: Any) -> Any:
    """``result`` as Cognito receives it: serialised to JSON by the Lambda runtime and read back.

    A Python function returning a value JSON cannot carry (a ``Decimal`` from DynamoDB, a
    ``datetime``, a set) fails in Lambda's runtime before Cognito sees anything, and Cognito
    reports the trigger as failed. The round trip also gives Cognito its own copy.
    """
    try:
        return json.loads(json.dumps(result))
    except (TypeError, ValueError) as error:
        raise UserLambdaValidationException(
            f"{trigger} failed with error Unable to marshal response: {error}."
        ) from error
