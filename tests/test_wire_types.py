"""Bodies botocore would never send itself: a client with parameter validation turned off.

A member of the wrong JSON type fails deserialization (SerializationException, a generic
ClientError for botocore since the model does not define it); an absent or null required member
fails validation with ``Member must not be null``. Nothing ever escapes as a Python exception.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


@pytest.fixture
def raw_client(cognito_mock):
    return boto3.client(
        "cognito-idp",
        region_name=cognito_mock.options.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(parameter_validation=False),
    )


@pytest.fixture
def pool_id(raw_client) -> str:
    return raw_client.create_user_pool(PoolName="app")["UserPool"]["Id"]


def error_of(call, **kwargs) -> dict:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response


@pytest.mark.parametrize(
    ("operation", "kwargs", "message"),
    [
        ("list_user_pools", {"MaxResults": "10"}, "at 'maxResults': expected integer, got string"),
        ("list_user_pools", {"MaxResults": True}, "at 'maxResults': expected integer, got boolean"),
        ("list_user_pools", {"MaxResults": 1.5}, "at 'maxResults': expected integer, got number"),
        ("create_user_pool", {"PoolName": 12}, "at 'poolName': expected string, got integer"),
        (
            "create_user_pool",
            {"PoolName": {"name": "app"}},
            "at 'poolName': expected string, got object",
        ),
        ("list_user_pools", {"MaxResults": [10]}, "at 'maxResults': expected integer, got list"),
        ("create_user_pool", {"PoolName": ["app"]}, "at 'poolName': expected string, got list"),
        (
            "create_user_pool",
            {"PoolName": "app", "Policies": {"PasswordPolicy": {"MinimumLength": "8"}}},
            "at 'policies.passwordPolicy.minimumLength': expected integer, got string",
        ),
        (
            "create_user_pool",
            {"PoolName": "app", "Schema": [{"Name": "nick", "Mutable": "yes"}]},
            "at 'schema.1.member.mutable': expected boolean, got string",
        ),
    ],
)
def test_a_wrong_json_type_is_a_serialization_exception(raw_client, operation, kwargs, message):
    response = error_of(getattr(raw_client, operation), **kwargs)
    assert response["Error"]["Code"] == "SerializationException"
    assert response["Error"]["Message"] == f"Unexpected JSON type {message}"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_refused_body_changes_nothing(raw_client, pool_id, cognito_mock):
    response = error_of(
        raw_client.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        GenerateSecret="true",
    )
    assert response["Error"]["Code"] == "SerializationException"
    assert (
        raw_client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        == []
    )
    assert cognito_mock.calls[-2].error_code == "SerializationException"


def test_an_absent_required_member_must_not_be_null(raw_client):
    response = error_of(raw_client.describe_user_pool)
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_an_empty_required_string_breaks_its_length_and_pattern(raw_client, pool_id):
    response = error_of(raw_client.describe_user_pool_client, UserPoolId=pool_id, ClientId="")
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert response["Error"]["Message"] == (
        "2 validation errors detected: "
        "Value at 'clientId' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; "
        "Value at 'clientId' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+]+"
    )


def test_a_missing_member_of_a_list_element_must_not_be_null(raw_client, pool_id):
    response = error_of(
        raw_client.admin_update_user_attributes,
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[{"Name": "email", "Value": "a@example.com"}, {"Value": "x"}],
    )
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'userAttributes.2.member.name' "
        "failed to satisfy constraint: Member must not be null"
    )


def test_a_null_member_is_an_absent_member(raw_client, pool_id):
    response = error_of(raw_client.describe_user_pool_client, UserPoolId=pool_id, ClientId=None)
    assert response["Error"]["Code"] == "InvalidParameterException"
    assert response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: "
        "Member must not be null"
    )
