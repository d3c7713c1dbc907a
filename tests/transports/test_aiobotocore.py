"""aiobotocore (and aioboto3 on top of it): clients made before or inside the mock, in any
region or with any endpoint_url, are answered by it, raise the modelled ClientErrors, show in
``calls``, sign without credentials, run under pytest-asyncio and anyio, and live with moto."""

from __future__ import annotations

import importlib.util

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from pytest_cognito_mock import CognitoMock

get_session = pytest.importorskip(
    "aiobotocore.session", reason="aiobotocore is not installed"
).get_session


def client(region: str = "us-east-1", **kwargs):
    return get_session().create_client(
        "cognito-idp",
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        **kwargs,
    )


@pytest.mark.asyncio
async def test_a_client_made_before_the_mock_is_answered_by_it():
    async with client("eu-west-1") as early:
        with CognitoMock() as mock:
            pool_id = (await early.create_user_pool(PoolName="early"))["UserPool"]["Id"]
            assert pool_id.startswith("eu-west-1_")
            second = mock.client("eu-west-1").describe_user_pool(UserPoolId=pool_id)
            assert second["UserPool"]["Name"] == "early"
            assert [call.operation for call in mock.calls] == ["CreateUserPool", "DescribeUserPool"]


@pytest.mark.asyncio
async def test_any_endpoint_url_is_answered_in_the_clients_region(cognito_mock):
    async with client("ap-south-1", endpoint_url="http://127.0.0.1:9") as custom:
        pool_id = (await custom.create_user_pool(PoolName="p"))["UserPool"]["Id"]
    assert pool_id.startswith("ap-south-1_")
    assert cognito_mock.calls[-1].region == "ap-south-1"


@pytest.mark.asyncio
async def test_errors_are_the_modelled_client_errors(cognito_mock, cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    async with client() as idp:
        with pytest.raises(idp.exceptions.UserNotFoundException) as raised:
            await idp.admin_get_user(UserPoolId=pool_id, Username="nobody")
    assert isinstance(raised.value, ClientError)
    assert raised.value.response["Error"] == {
        "Code": "UserNotFoundException",
        "Message": "User does not exist.",
    }
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert cognito_mock.calls[-1].error_code == "UserNotFoundException"


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_under_anyio(anyio_backend, cognito_mock):
    async with client() as idp:
        pool_id = (await idp.create_user_pool(PoolName="anyio"))["UserPool"]["Id"]
        listed = await idp.list_user_pools(MaxResults=10)
    assert [pool["Id"] for pool in listed["UserPools"]] == [pool_id]


@pytest.mark.asyncio
async def test_a_client_without_any_credentials_signs_with_test_ones(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    async with get_session().create_client("cognito-idp", region_name="us-east-1") as bare:
        with CognitoMock(fake_credentials=False):
            pool = await bare.create_user_pool(PoolName="unsigned-client")
    assert pool["UserPool"]["Name"] == "unsigned-client"


@pytest.mark.asyncio
@pytest.mark.parametrize("moto_first", [True, False], ids=["moto-first", "moto-second"])
async def test_cognito_goes_to_us_under_moto(moto_first):
    moto, ours = mock_aws(), CognitoMock()
    first, second = (moto, ours) if moto_first else (ours, moto)
    with first, second:
        async with client() as idp:
            pool_id = (await idp.create_user_pool(PoolName="ours"))["UserPool"]["Id"]
        assert ours.client().describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "ours"
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="moto-still-answers")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["moto-still-answers"]


@pytest.mark.skipif(
    importlib.util.find_spec("aioboto3") is None, reason="aioboto3 is not installed"
)
@pytest.mark.asyncio
async def test_aioboto3(cognito_mock):
    import aioboto3

    async with aioboto3.Session().client("cognito-idp", region_name="us-east-1") as idp:
        pool_id = (await idp.create_user_pool(PoolName="aioboto3"))["UserPool"]["Id"]
        described = await idp.describe_user_pool(UserPoolId=pool_id)
    assert described["UserPool"]["Name"] == "aioboto3"
    assert [call.operation for call in cognito_mock.calls] == ["CreateUserPool", "DescribeUserPool"]
