"""PublishSecretsInAWSSecretsManager: a generated client secret kept in AWS Secrets Manager.

Answers carry ClientSecretArn instead of ClientSecret; the secret's value (moto's Secrets
Manager while moto is active, else ``cognito_mock.secrets_manager_secret``) authenticates the
client; UpdateUserPoolClient migrates it (rotating right away) and moves it back; the clock
rotates it every 7 days."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from freezegun import freeze_time
from moto import mock_aws
from support.hosted import API, add_resource_server
from support.model import requires_member, requires_shape_member
from support.rotation import FLOWS, make_client, make_pool, sign_in

from pytest_cognito_mock import CognitoMock

pytestmark = [
    requires_member("CreateUserPoolClient", "PublishSecretsInAWSSecretsManager"),
    requires_member("UpdateUserPoolClient", "PublishSecretsInAWSSecretsManager"),
    requires_shape_member("UserPoolClientType", "ClientSecretArn"),
]

PUBLISH = "PublishSecretsInAWSSecretsManager"
NOON = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
ARN = re.compile(
    r"arn:aws:secretsmanager:us-east-1:\d{12}:secret:cognito-idp/(?P<pool>[\w-]+)/"
    r"(?P<client>[a-z0-9]+)-[A-Za-z0-9]{6}"
)
FAKE = {"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"}


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return make_pool(cognito_idp)


def described(cognito_idp, pool_id: str, client_id: str) -> dict:
    return cognito_idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]


def update(cognito_idp, pool_id: str, client_id: str, **kwargs) -> dict:
    kwargs.setdefault("ExplicitAuthFlows", FLOWS)
    return cognito_idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, **kwargs)[
        "UserPoolClient"
    ]


def secret_ids(cognito_idp, pool_id: str, client_id: str) -> list[str]:
    answer = cognito_idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)
    return [secret["ClientSecretId"] for secret in answer["ClientSecrets"]]


def value_in(cognito_mock, arn: str) -> str:
    return cognito_mock.secrets_manager_secret(arn)["clientSecretValue"]


# -- without moto: the mock's own Secrets Manager ------------------------------------------------


def test_create_answers_the_arn_instead_of_the_secret(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
    assert "ClientSecret" not in client
    match = ARN.fullmatch(client["ClientSecretArn"])
    assert match and match["pool"] == pool_id and match["client"] == client["ClientId"]
    again = described(cognito_idp, pool_id, client["ClientId"])
    assert "ClientSecret" not in again
    assert again["ClientSecretArn"] == client["ClientSecretArn"]
    assert cognito_mock.secrets_manager_secret(client["ClientSecretArn"]) == {
        "userPoolId": pool_id,
        "userPoolClientId": client["ClientId"],
        "clientSecretValue": value_in(cognito_mock, client["ClientSecretArn"]),
    }
    assert len(secret_ids(cognito_idp, pool_id, client["ClientId"])) == 1


def test_the_published_value_computes_the_secret_hash(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
    secret = value_in(cognito_mock, client["ClientSecretArn"])
    assert "AccessToken" in sign_in(cognito_idp, pool_id, client["ClientId"], secret=secret)
    with pytest.raises(ClientError) as raised:
        sign_in(cognito_idp, pool_id, client["ClientId"], secret="not" + secret[3:])
    assert raised.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_the_published_value_authenticates_at_the_token_endpoint(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(PoolName="m2m")["UserPool"]["Id"]
    add_resource_server(cognito_idp, pool_id, scopes=("read",))
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="machine",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=[f"{API}/read"],
        **{PUBLISH: True},
    )["UserPoolClient"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="published-m2m")
    answer = requests.post(
        "https://published-m2m.auth.us-east-1.amazoncognito.com/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(client["ClientId"], value_in(cognito_mock, client["ClientSecretArn"])),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"] == "Bearer"


def test_publishing_needs_a_generated_secret(cognito_idp, pool_id):
    public = make_client(cognito_idp, pool_id, **{PUBLISH: True})
    assert not {"ClientSecret", "ClientSecretArn"} & set(public)
    given = make_client(cognito_idp, pool_id, ClientSecret="given_secret_" * 3, **{PUBLISH: True})
    assert given["ClientSecret"] == "given_secret_" * 3
    assert "ClientSecretArn" not in given


def test_false_or_omitted_on_create_answers_the_secret(cognito_idp, pool_id):
    for extra in ({PUBLISH: False}, {}):
        client = make_client(cognito_idp, pool_id, GenerateSecret=True, **extra)
        assert "ClientSecret" in client
        assert "ClientSecretArn" not in client


def test_update_true_migrates_and_rotates_right_away(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    old_secret = client["ClientSecret"]
    updated = update(cognito_idp, pool_id, client["ClientId"], **{PUBLISH: True})
    assert "ClientSecret" not in updated
    assert ARN.fullmatch(updated["ClientSecretArn"])
    new_secret = value_in(cognito_mock, updated["ClientSecretArn"])
    assert new_secret != old_secret
    # The rotation added a secret: the one applications held keeps working meanwhile.
    assert len(secret_ids(cognito_idp, pool_id, client["ClientId"])) == 2
    for secret in (old_secret, new_secret):
        assert sign_in(cognito_idp, pool_id, client["ClientId"], secret=secret)


def test_with_two_secrets_the_first_rotation_deletes_the_older(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    client_id = client["ClientId"]
    cognito_idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)
    older, newer = secret_ids(cognito_idp, pool_id, client_id)
    update(cognito_idp, pool_id, client_id, **{PUBLISH: True})
    kept, added = secret_ids(cognito_idp, pool_id, client_id)
    assert kept == newer and added not in (older, newer)
    with pytest.raises(ClientError):
        sign_in(cognito_idp, pool_id, client_id, secret=client["ClientSecret"])


def test_update_false_moves_the_secret_back_and_deletes_it(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
    arn = client["ClientSecretArn"]
    value = value_in(cognito_mock, arn)
    back = update(cognito_idp, pool_id, client["ClientId"], **{PUBLISH: False})
    assert back["ClientSecret"] == value
    assert "ClientSecretArn" not in back
    assert "ClientSecretArn" not in described(cognito_idp, pool_id, client["ClientId"])
    with pytest.raises(KeyError):
        cognito_mock.secrets_manager_secret(arn)


def test_update_without_the_member_leaves_the_secret_where_it_is(
    cognito_idp, cognito_mock, pool_id
):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
    value = value_in(cognito_mock, client["ClientSecretArn"])
    updated = update(cognito_idp, pool_id, client["ClientId"], ClientName="renamed")
    assert updated["ClientSecretArn"] == client["ClientSecretArn"]
    assert value_in(cognito_mock, client["ClientSecretArn"]) == value  # no rotation either
    plain = make_client(cognito_idp, pool_id, GenerateSecret=True)
    assert "ClientSecret" in update(cognito_idp, pool_id, plain["ClientId"], ClientName="x")


def test_update_true_again_changes_nothing(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
    value = value_in(cognito_mock, client["ClientSecretArn"])
    again = update(cognito_idp, pool_id, client["ClientId"], **{PUBLISH: True})
    assert again["ClientSecretArn"] == client["ClientSecretArn"]
    assert value_in(cognito_mock, client["ClientSecretArn"]) == value
    assert len(secret_ids(cognito_idp, pool_id, client["ClientId"])) == 1


def test_update_true_on_a_public_client_is_ignored(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id)
    updated = update(cognito_idp, pool_id, client["ClientId"], **{PUBLISH: True})
    assert not {"ClientSecret", "ClientSecretArn"} & set(updated)


def test_a_refused_update_publishes_nothing(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    with pytest.raises(ClientError) as raised:
        update(cognito_idp, pool_id, client["ClientId"], IdTokenValidity=100, **{PUBLISH: True})
    assert raised.value.response["Error"] == {
        "Code": "InvalidParameterException",
        "Message": "Invalid range for token validity",
    }
    assert (
        described(cognito_idp, pool_id, client["ClientId"])["ClientSecret"]
        == (client["ClientSecret"])
    )


def test_secrets_added_or_deleted_by_hand_reach_secrets_manager(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
    client_id, arn = client["ClientId"], client["ClientSecretArn"]
    first = value_in(cognito_mock, arn)
    added = cognito_idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)
    assert value_in(cognito_mock, arn) == added["ClientSecretDescriptor"]["ClientSecretValue"]
    cognito_idp.delete_user_pool_client_secret(
        UserPoolId=pool_id,
        ClientId=client_id,
        ClientSecretId=added["ClientSecretDescriptor"]["ClientSecretId"],
    )
    assert value_in(cognito_mock, arn) == first


def test_the_clock_rotates_the_secret_every_seven_days(cognito_idp, cognito_mock, pool_id):
    with freeze_time(NOON) as clock:
        client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
        client_id, arn = client["ClientId"], client["ClientSecretArn"]
        first = value_in(cognito_mock, arn)
        clock.tick(timedelta(days=7) - timedelta(seconds=1))
        assert value_in(cognito_mock, arn) == first
        clock.tick(timedelta(seconds=1))
        second = value_in(cognito_mock, arn)
        assert second != first
        assert sign_in(cognito_idp, pool_id, client_id, secret=first)  # still held
        clock.tick(timedelta(days=30))  # one rotation however far the clock moves
        third = value_in(cognito_mock, arn)
        assert len({first, second, third}) == 3
        assert len(secret_ids(cognito_idp, pool_id, client_id)) == 2
        with pytest.raises(ClientError):
            sign_in(cognito_idp, pool_id, client_id, secret=first)
        for secret in (second, third):
            assert sign_in(cognito_idp, pool_id, client_id, secret=secret)
        clock.tick(timedelta(days=6))
        assert value_in(cognito_mock, arn) == third


def test_deleting_the_client_deletes_its_secret(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
    cognito_idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    with pytest.raises(KeyError):
        cognito_mock.secrets_manager_secret(client["ClientSecretArn"])


# -- with moto: its Secrets Manager holds the secret ---------------------------------------------


def moto_secret(arn: str) -> dict:
    secrets = boto3.client("secretsmanager", **FAKE)
    return json.loads(secrets.get_secret_value(SecretId=arn)["SecretString"])


def test_with_moto_the_secret_is_read_with_boto3_and_works():
    with mock_aws(), CognitoMock() as cognito:
        idp = cognito.client("us-east-1")
        pool_id = make_pool(idp)
        client = make_client(idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
        stored = moto_secret(client["ClientSecretArn"])
        assert stored == {
            "userPoolId": pool_id,
            "userPoolClientId": client["ClientId"],
            "clientSecretValue": stored["clientSecretValue"],
        }
        assert stored == cognito.secrets_manager_secret(client["ClientSecretArn"])
        assert sign_in(idp, pool_id, client["ClientId"], secret=stored["clientSecretValue"])


def test_with_moto_rotation_updates_and_moving_back_deletes_the_secret():
    with mock_aws(), CognitoMock() as cognito:
        idp = cognito.client("us-east-1")
        pool_id = make_pool(idp)
        client = make_client(idp, pool_id, GenerateSecret=True)
        arn = update(idp, pool_id, client["ClientId"], **{PUBLISH: True})["ClientSecretArn"]
        rotated = moto_secret(arn)["clientSecretValue"]
        assert rotated != client["ClientSecret"]
        older = secret_ids(idp, pool_id, client["ClientId"])[0]
        idp.delete_user_pool_client_secret(
            UserPoolId=pool_id, ClientId=client["ClientId"], ClientSecretId=older
        )
        assert moto_secret(arn)["clientSecretValue"] == rotated
        added = idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client["ClientId"])
        assert (
            moto_secret(arn)["clientSecretValue"]
            == (added["ClientSecretDescriptor"]["ClientSecretValue"])
        )
        update(idp, pool_id, client["ClientId"], **{PUBLISH: False})
        secrets = boto3.client("secretsmanager", **FAKE)
        assert secrets.list_secrets()["SecretList"] == []


def test_with_moto_deleting_the_pool_deletes_its_secrets():
    with mock_aws(), CognitoMock() as cognito:
        idp = cognito.client("us-east-1")
        pool_id = make_pool(idp)
        for _ in range(2):
            make_client(idp, pool_id, GenerateSecret=True, **{PUBLISH: True})
        secrets = boto3.client("secretsmanager", **FAKE)
        assert len(secrets.list_secrets()["SecretList"]) == 2
        idp.delete_user_pool(UserPoolId=pool_id)
        assert secrets.list_secrets()["SecretList"] == []
