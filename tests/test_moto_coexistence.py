"""moto's mock_aws and this mock in one test: cognito-idp comes to us, the rest goes to moto."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from pytest_cognito_mock import CognitoMock, UnsupportedOperationError

FAKE = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}


def python_name(client, operation: str) -> str:
    return {api: py for py, api in client.meta.method_to_api_mapping.items()}[operation]


@pytest.mark.parametrize(
    "moto_first", [True, False], ids=["moto-started-first", "moto-started-second"]
)
def test_cognito_goes_to_us_and_s3_to_moto(moto_first):
    moto = mock_aws()
    ours = CognitoMock()
    first, second = (moto, ours) if moto_first else (ours, moto)
    with first, second:
        s3 = boto3.client("s3", **FAKE)
        idp = boto3.client("cognito-idp", **FAKE)
        s3.create_bucket(Bucket="coexistence-bucket")
        pool_id = idp.create_user_pool(PoolName="ours")["UserPool"]["Id"]
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["coexistence-bucket"]
        assert pool_id in ours._service.backend.pools
        assert [c.operation for c in ours.calls] == ["CreateUserPool"]


def test_moto_never_sees_our_requests(unimplemented_operation):
    # An operation neither implements: moto would raise its own NotImplementedError.
    operation = unimplemented_operation
    with mock_aws(), CognitoMock():
        idp = boto3.client("cognito-idp", **FAKE)
        with pytest.raises(UnsupportedOperationError):
            getattr(idp, python_name(idp, operation))(
                UserPoolId="us-east-1_abcdefghi", TermsId="0123456789abcdef"
            )


def test_moto_gets_cognito_back_after_our_mock_stops():
    with mock_aws():
        idp = boto3.client("cognito-idp", **FAKE)
        moto_pool = idp.create_user_pool(PoolName="moto's")["UserPool"]["Id"]
        with CognitoMock():
            assert idp.list_user_pools(MaxResults=10)["UserPools"] == []
        assert [p["Id"] for p in idp.list_user_pools(MaxResults=10)["UserPools"]] == [moto_pool]
