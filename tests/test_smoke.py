from __future__ import annotations


def test_a_pool_created_through_boto3_is_described_back(cognito_idp):
    created = cognito_idp.create_user_pool(PoolName="app")["UserPool"]
    described = cognito_idp.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert described["Name"] == "app"
    assert (
        described["Arn"] == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{created['Id']}"
    )
