"""(a) What one call costs on the send path: botocore's Stubber, the floor (a client answered by a
canned ``before-send`` response: serialize + sign + parse and nothing else), the mock and moto.

The Stubber and floor contenders are generic, so other per-call comparisons ((i)) reuse them.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from harness import APP_FLOWS, Contender, Settings, Timing, compare, create_app, moto, new_client
from table import Row, Section, ratio, timed

from pytest_cognito_mock import CognitoMock

# The floor's and Stubber's DescribeUserPoolClient: the members AWS (and the mock) return for a
# client created with APP_FLOWS and nothing else, so every contender parses a similar body.
DESCRIBE_PARAMS = {"UserPoolId": "us-east-1_bEnChMaRk", "ClientId": "4bqv0l6s1a2q0ekc1h7oq5ctvk"}
DESCRIBE_RESPONSE: dict[str, Any] = {
    "UserPoolClient": {
        **DESCRIBE_PARAMS,
        "ClientName": "web",
        "LastModifiedDate": 1732600000.123,
        "CreationDate": 1732600000.123,
        "RefreshTokenValidity": 30,
        "ExplicitAuthFlows": APP_FLOWS,
        "AllowedOAuthFlowsUserPoolClient": False,
        "EnableTokenRevocation": True,
        "EnablePropagateAdditionalUserContextData": False,
        "AuthSessionValidity": 3,
    }
}


class _CannedBody:
    """The raw body object botocore streams a response from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def canned_body(response: Mapping[str, Any]) -> bytes:
    """``response`` as the JSON body AWS would send (compact separators)."""
    return json.dumps(response, separators=(",", ":")).encode()


def canned_client(operation: str, response: Mapping[str, Any]) -> Any:
    """A client whose ``operation`` calls are answered at ``before-send`` with ``response`` as
    the JSON body: botocore still serializes, signs and parses, and nothing else happens."""
    client = new_client()
    body = canned_body(response)
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": "3b7d3d3e-2f4c-4a7e-9a53-3f5f2c2b8f11",
    }

    def answer(request: Any, **_: Any) -> AWSResponse:
        # A plain dict, as the mock's seam passes too; botocore wraps it.
        return AWSResponse(request.url, 200, headers, _CannedBody(body))  # type: ignore[arg-type]

    client.meta.events.register(f"before-send.cognito-identity-provider.{operation}", answer)
    return client


@contextlib.contextmanager
def floor_contender(
    operation: str, method: str, params: Mapping[str, Any], response: Mapping[str, Any]
) -> Iterator[Callable[[], object]]:
    """The send-path floor for ``operation`` (``method`` is its boto3 name)."""
    call = getattr(canned_client(operation, response), method)
    yield lambda: call(**params)


@contextlib.contextmanager
def stubber_contender(
    method: str, params: Mapping[str, Any], response: Mapping[str, Any]
) -> Iterator[Callable[[], object]]:
    """botocore's Stubber answering ``method`` with ``response`` (parsed form)."""
    client = new_client()
    call = getattr(client, method)
    with Stubber(client) as stubber:

        def stubbed() -> object:
            stubber.add_response(method, response, params)
            return call(**params)

        yield stubbed


@contextlib.contextmanager
def mock_describe() -> Iterator[Callable[[], object]]:
    with CognitoMock():
        client = new_client()
        pool_id, client_id = create_app(client)
        yield lambda: client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)


@contextlib.contextmanager
def moto_describe() -> Iterator[Callable[[], object]]:
    with moto.mock_aws():
        client = new_client()
        pool_id, client_id = create_app(client)
        yield lambda: client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)


def measure_describe(settings: Settings) -> dict[str, Timing]:
    """(a) Per-call DescribeUserPoolClient for Stubber, floor, mock and moto."""
    contenders: dict[str, Contender] = {
        "stubber": functools.partial(
            stubber_contender, "describe_user_pool_client", DESCRIBE_PARAMS, DESCRIBE_RESPONSE
        ),
        "floor": functools.partial(
            floor_contender,
            "DescribeUserPoolClient",
            "describe_user_pool_client",
            DESCRIBE_PARAMS,
            DESCRIBE_RESPONSE,
        ),
        "mock": mock_describe,
    }
    counts = dict.fromkeys(contenders, settings.describe_calls)
    if moto is not None:
        contenders["moto"] = moto_describe
        counts["moto"] = settings.moto_describe_calls
    return compare(contenders, counts, settings)


def describe_section(timings: dict[str, Timing]) -> Section:
    floor, mock = timings["floor"].median, timings["mock"].median
    stubber = timings["stubber"]
    section = Section("(a) DescribeUserPoolClient, per call")
    section.rows += [
        timed(
            "botocore Stubber (reference: skips serialize/sign/parse, keeps no state)",
            stubber,
            ratio("stubber / floor", stubber.median, floor),
        ),
        timed("send-path floor (canned before-send response)", timings["floor"]),
        timed(
            "pytest-cognito-mock",
            timings["mock"],
            ratio("mock / floor", mock, floor, "mock / floor, botocore"),
        ),
    ]
    if "moto" in timings:
        moto_median = timings["moto"].median
        section.rows.append(
            timed(
                "moto mock_aws",
                timings["moto"],
                ratio("moto / mock", moto_median, mock, "moto / mock")
                + "; "
                + ratio("moto / floor", moto_median, floor)
                + " (the most any mock behind botocore could reach)",
            )
        )
    else:
        section.rows.append(Row("moto mock_aws", "moto not installed"))
    return section
