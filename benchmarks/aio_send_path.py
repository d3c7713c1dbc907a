"""(n) aiobotocore: one DescribeUserPoolClient per call, the mock next to aiobotocore's own floor.

The floor is (a)'s, made for aiobotocore: a client whose call is answered at ``before-send``
with a canned body, so aiobotocore serializes, signs and parses and nothing else happens. Both
contenders run each call to completion on one event loop of their own
(``loop.run_until_complete``), so the loop's cost is in both and cancels out of the ratio.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from harness import REGION, Contender, Settings, Timing, compare, create_app
from send_path import DESCRIBE_PARAMS, DESCRIBE_RESPONSE, canned_body
from table import Row, Section, ratio, timed

from pytest_cognito_mock import CognitoMock

try:
    from aiobotocore.awsrequest import AioAWSResponse
    from aiobotocore.session import get_session
except ImportError:  # pragma: no cover - the section says so
    get_session = None


class _CannedRaw:
    """The raw body aiobotocore awaits ``read()`` on."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def read(self, *_: Any) -> bytes:
        return self._body


@contextlib.contextmanager
def _aio_client(loop: asyncio.AbstractEventLoop) -> Iterator[Any]:
    factory = get_session().create_client(
        "cognito-idp",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client = loop.run_until_complete(factory.__aenter__())
    try:
        yield client
    finally:
        loop.run_until_complete(factory.__aexit__(None, None, None))


@contextlib.contextmanager
def _on_a_loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    try:
        yield loop
    finally:
        loop.close()


@contextlib.contextmanager
def aio_floor() -> Iterator[Callable[[], object]]:
    body = canned_body(DESCRIBE_RESPONSE)
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": "3b7d3d3e-2f4c-4a7e-9a53-3f5f2c2b8f11",
    }

    def answer(request: Any, **_: Any) -> Any:
        return AioAWSResponse(request.url, 200, headers, _CannedRaw(body))

    with _on_a_loop() as loop, _aio_client(loop) as client:
        client.meta.events.register(
            "before-send.cognito-identity-provider.DescribeUserPoolClient", answer
        )
        yield lambda: loop.run_until_complete(client.describe_user_pool_client(**DESCRIBE_PARAMS))


@contextlib.contextmanager
def aio_mock() -> Iterator[Callable[[], object]]:
    with CognitoMock() as mock, _on_a_loop() as loop, _aio_client(loop) as client:
        pool_id, client_id = create_app(mock.client(REGION))
        yield lambda: loop.run_until_complete(
            client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
        )


def measure_aio_describe(settings: Settings) -> dict[str, Timing] | None:
    if get_session is None:
        return None
    contenders: dict[str, Contender] = {"floor": aio_floor, "mock": aio_mock}
    return compare(contenders, dict.fromkeys(contenders, settings.describe_calls), settings)


def aio_describe_section(timings: dict[str, Timing] | None) -> Section:
    section = Section("(n) aiobotocore: DescribeUserPoolClient, per call")
    if timings is None:
        section.rows.append(Row("aiobotocore", "aiobotocore not installed"))
        return section
    floor, mock = timings["floor"].median, timings["mock"].median
    section.rows += [
        timed("aiobotocore send-path floor (canned before-send response)", timings["floor"]),
        timed(
            "pytest-cognito-mock under aiobotocore",
            timings["mock"],
            ratio("aio mock / floor", mock, floor, "aio mock / floor"),
        ),
    ]
    return section
