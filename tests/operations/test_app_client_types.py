"""ClientType on UserPoolClientType and ListUserPoolClients' ClientType filter; ManagedBy on
ResourceServerType (newer models only), and what a mock on an older model answers instead."""

from __future__ import annotations

import json

import pytest
import requests
from support.errors import refused
from support.model import has_member, requires_member, requires_shape_member

needs_client_type = requires_shape_member("UserPoolClientType", "ClientType")
needs_type_filter = requires_member("ListUserPoolClients", "ClientType")


def make_clients(cognito_idp, pool_id: str, count: int) -> list[str]:
    return [
        cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName=f"app{n}")[
            "UserPoolClient"
        ]["ClientId"]
        for n in range(count)
    ]


@needs_client_type
def test_created_clients_are_regular_in_create_describe_and_update(cognito_idp, pool_id):
    created = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]
    assert created["ClientType"] == "REGULAR"
    client_id = created["ClientId"]
    updated = cognito_idp.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ClientName="renamed"
    )["UserPoolClient"]
    assert updated["ClientType"] == "REGULAR"
    described = cognito_idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["UserPoolClient"]["ClientType"] == "REGULAR"


@needs_type_filter
def test_the_regular_filter_lists_every_created_client_without_its_type(cognito_idp, pool_id):
    client_ids = make_clients(cognito_idp, pool_id, 3)
    answer = cognito_idp.list_user_pool_clients(
        UserPoolId=pool_id, MaxResults=10, ClientType="REGULAR"
    )
    assert [c["ClientId"] for c in answer["UserPoolClients"]] == client_ids
    assert all(
        set(c) == {"ClientId", "UserPoolId", "ClientName"} for c in answer["UserPoolClients"]
    )
    assert "NextToken" not in answer


@needs_type_filter
def test_the_dcr_filter_pages_through_regular_clients_finding_none(cognito_idp, pool_id):
    make_clients(cognito_idp, pool_id, 3)
    first = cognito_idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=2, ClientType="DCR")
    # Filtered pages may be empty and still go on, as AWS documents.
    assert first["UserPoolClients"] == []
    assert "NextToken" in first
    second = cognito_idp.list_user_pool_clients(
        UserPoolId=pool_id, MaxResults=2, ClientType="DCR", NextToken=first["NextToken"]
    )
    assert second["UserPoolClients"] == []
    assert "NextToken" not in second


@needs_type_filter
def test_a_filtered_page_may_hold_fewer_clients_than_max_results(cognito_idp, pool_id):
    client_ids = make_clients(cognito_idp, pool_id, 3)
    seen, token = [], None
    while True:
        page = cognito_idp.list_user_pool_clients(
            UserPoolId=pool_id,
            MaxResults=2,
            ClientType="REGULAR",
            **({"NextToken": token} if token else {}),
        )
        seen += [c["ClientId"] for c in page["UserPoolClients"]]
        token = page.get("NextToken")
        if token is None:
            break
    assert seen == client_ids


@needs_type_filter
def test_an_unknown_client_type_is_refused_by_validation(cognito_idp, pool_id):
    refused(
        cognito_idp.list_user_pool_clients,
        "InvalidParameterException",
        "1 validation error detected: Value 'PUBLIC' at 'clientType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [REGULAR, DCR]",
        UserPoolId=pool_id,
        ClientType="PUBLIC",
    )


@requires_shape_member("ResourceServerType", "ManagedBy")
def test_created_resource_servers_are_not_managed_by_cognito(cognito_idp, pool_id):
    created = cognito_idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier="https://api.example.com",
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}],
    )["ResourceServer"]
    assert "ManagedBy" not in created
    listed = cognito_idp.list_resource_servers(UserPoolId=pool_id, MaxResults=10)
    assert all("ManagedBy" not in server for server in listed["ResourceServers"])


# -- an older model ------------------------------------------------------------------------------


def raw_call(endpoint: str, operation: str, body: dict) -> dict:
    """A JSON 1.1 call that no botocore model filters, on either side."""
    answer = requests.post(
        endpoint,
        data=json.dumps(body),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.skipif(
    has_member("CreateUserPoolClient", "PublishSecretsInAWSSecretsManager"),
    reason="the installed model has the new members: the mock answers them",
)
def test_under_an_older_model_the_new_members_are_neither_honoured_nor_answered(
    cognito_endpoint,
):
    pool = raw_call(
        cognito_endpoint, "CreateUserPool", {"PoolName": "old", "DcrConfiguration": {}}
    )["UserPool"]
    assert "DcrConfiguration" not in pool
    client = raw_call(
        cognito_endpoint,
        "CreateUserPoolClient",
        {
            "UserPoolId": pool["Id"],
            "ClientName": "web",
            "GenerateSecret": True,
            "PublishSecretsInAWSSecretsManager": True,
        },
    )["UserPoolClient"]
    assert "ClientSecret" in client
    assert not {"ClientSecretArn", "ClientType"} & set(client)
    described = raw_call(cognito_endpoint, "DescribeUserPool", {"UserPoolId": pool["Id"]})[
        "UserPool"
    ]
    assert "DcrConfiguration" not in described
