"""mock_cognito_import as decorator and context manager, outside pytest fixtures."""

from __future__ import annotations

import asyncio
import re
import unittest

import boto3
import pytest

from pytest_cognito_mock import CognitoMock, _active, mock_cognito_import
from pytest_cognito_mock._options import OPTION_NAMES

FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def pools(region: str = "us-east-1") -> list[str]:
    client = boto3.client("cognito-idp", region_name=region, **FAKE)
    return [p["Name"] for p in client.list_user_pools(MaxResults=60)["UserPools"]]


def create_pool(name: str, region: str = "us-east-1") -> str:
    client = boto3.client("cognito-idp", region_name=region, **FAKE)
    return client.create_user_pool(PoolName=name)["UserPool"]["Id"]


def test_decorator_without_parentheses_gives_each_call_a_fresh_mock():
    @mock_cognito_import
    def make_one() -> list[str]:
        create_pool("only")
        return pools()

    assert make_one() == ["only"]
    assert make_one() == ["only"]
    assert not _active.any_active()


def test_decorator_with_options():
    @mock_cognito_import(region="eu-west-1", account_id="111122223333")
    def make_one() -> str:
        return create_pool("p", region="eu-west-1")

    assert make_one().startswith("eu-west-1_")


def test_decorated_coroutine_functions_run_inside_a_mock():
    @mock_cognito_import
    async def make_one() -> list[str]:
        create_pool("async")
        return pools()

    assert asyncio.run(make_one()) == ["async"]
    assert not _active.any_active()


def test_async_context_manager():
    async def body() -> str:
        async with mock_cognito_import() as cognito:
            create_pool("a")
            return cognito.calls[0].operation

    assert asyncio.run(body()) == "CreateUserPool"


def test_context_manager_yields_the_controller():
    with mock_cognito_import(region="ap-southeast-2") as cognito:
        assert isinstance(cognito, CognitoMock)
        pool_id = cognito.client().create_user_pool(PoolName="p")["UserPool"]["Id"]
        assert pool_id.startswith("ap-southeast-2_")
        assert list(cognito._service.backend.pools) == [pool_id]


def test_the_mock_stops_when_the_decorated_function_raises():
    @mock_cognito_import
    def fails() -> None:
        create_pool("p")
        raise ValueError("from the test")

    with pytest.raises(ValueError, match="from the test"):
        fails()
    assert not _active.any_active()


def test_unknown_options_are_refused_naming_the_valid_ones():
    with pytest.raises(TypeError) as raised:
        mock_cognito_import(regoin="eu-west-1")
    assert "regoin" in str(raised.value)
    assert f"valid options are: {', '.join(OPTION_NAMES)}" in str(raised.value)
    assert OPTION_NAMES[:3] == ("region", "account_id", "fake_credentials")


def test_invalid_option_values_are_refused():
    with pytest.raises(ValueError, match="account_id must be 12 digits"):
        CognitoMock(account_id="42")


@pytest.mark.parametrize("rate", [float("inf"), float("-inf"), float("nan"), -1, True, "10"])
def test_an_import_rate_must_be_a_finite_number(rate):
    message = f"import_rate must be None or a finite number >= 0, got {rate!r}"
    with pytest.raises(ValueError, match=re.escape(message)):
        CognitoMock(import_rate=rate)
    with CognitoMock() as mock, pytest.raises(ValueError, match=re.escape(message)):
        mock.import_rate = rate
    assert mock.import_rate is None


def test_a_plain_class_cannot_be_decorated():
    with pytest.raises(TypeError, match=r"unittest\.TestCase"):

        @mock_cognito_import
        class NotATestCase:
            pass


@mock_cognito_import
class DecoratedTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.pool_id = create_pool("from-setup")

    def test_each_test_has_a_fresh_mock_first(self) -> None:
        self.assertEqual(pools(), ["from-setup"])
        self.assertIn(self.pool_id, self.cognito_mock._service.backend.pools)

    def test_each_test_has_a_fresh_mock_second(self) -> None:
        create_pool("second")
        self.assertEqual(sorted(pools()), ["from-setup", "second"])
