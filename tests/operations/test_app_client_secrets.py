"""AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret, and what a
client's second secret is good for: every SECRET_HASH and ClientSecret check accepts either."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from freezegun import freeze_time
from support.errors import error_of
from support.model import requires_member, requires_operation
from support.rotation import PASSWORD, get_tokens, make_client, make_pool, sign_in

from pytest_cognito_mock.backend.secret_hash import compute_secret_hash

pytestmark = [
    requires_operation("AddUserPoolClientSecret"),
    requires_operation("ListUserPoolClientSecrets"),
    requires_operation("DeleteUserPoolClientSecret"),
]

NOON = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return make_pool(cognito_idp)


def add(cognito_idp, pool_id: str, client_id: str, **kwargs) -> dict:
    return cognito_idp.add_user_pool_client_secret(
        UserPoolId=pool_id, ClientId=client_id, **kwargs
    )["ClientSecretDescriptor"]


def listed(cognito_idp, pool_id: str, client_id: str) -> list[dict]:
    answer = cognito_idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)
    assert "NextToken" not in answer
    return answer["ClientSecrets"]


def delete(cognito_idp, pool_id: str, client_id: str, secret_id: str) -> None:
    cognito_idp.delete_user_pool_client_secret(
        UserPoolId=pool_id, ClientId=client_id, ClientSecretId=secret_id
    )


def described_secret(cognito_idp, pool_id: str, client_id: str) -> str:
    return cognito_idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]["ClientSecret"]


# --- the three operations ---------------------------------------------------------------------


def test_the_secret_of_create_is_listed_without_its_value(cognito_idp, pool_id):
    with freeze_time(NOON):
        client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    client_id = client["ClientId"]
    assert listed(cognito_idp, pool_id, client_id) == [
        {"ClientSecretId": f"{client_id}--{int(NOON.timestamp())}", "ClientSecretCreateDate": NOON}
    ]


@requires_member("CreateUserPoolClient", "ClientSecret")
def test_a_given_secret_of_create_is_listed_too(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, ClientSecret="given_secret_" * 3)
    [only] = listed(cognito_idp, pool_id, client["ClientId"])
    assert re.fullmatch(rf"{client['ClientId']}--\d{{10}}", only["ClientSecretId"])


def test_a_generated_secret_is_shown_once_and_becomes_the_described_one(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    client_id = client["ClientId"]
    with freeze_time(NOON):
        added = add(cognito_idp, pool_id, client_id)
    assert set(added) == {"ClientSecretId", "ClientSecretValue", "ClientSecretCreateDate"}
    assert re.fullmatch(r"[\w+]{24,64}", added["ClientSecretValue"])
    assert added["ClientSecretValue"] != client["ClientSecret"]
    assert added["ClientSecretCreateDate"] == NOON
    assert described_secret(cognito_idp, pool_id, client_id) == added["ClientSecretValue"]
    # The first secret stays first; values are never listed.
    first, second = listed(cognito_idp, pool_id, client_id)
    assert second == {k: v for k, v in added.items() if k != "ClientSecretValue"}
    assert first["ClientSecretCreateDate"] < second["ClientSecretCreateDate"]


def test_a_given_secret_is_not_echoed(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, GenerateSecret=True)["ClientId"]
    added = add(cognito_idp, pool_id, client_id, ClientSecret="a" * 40)
    assert set(added) == {"ClientSecretId", "ClientSecretCreateDate"}
    assert described_secret(cognito_idp, pool_id, client_id) == "a" * 40


def test_at_most_two_secrets(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, GenerateSecret=True)["ClientId"]
    add(cognito_idp, pool_id, client_id)
    with pytest.raises(cognito_idp.exceptions.LimitExceededException) as raised:
        add(cognito_idp, pool_id, client_id)
    assert error_of(raised) == (
        "LimitExceededException",
        f"The app client {client_id} already has the maximum of 2 client secrets.",
    )
    assert len(listed(cognito_idp, pool_id, client_id)) == 2


def test_ids_made_in_one_second_never_repeat(cognito_idp, pool_id):
    epoch = int(NOON.timestamp())
    with freeze_time(NOON):
        client_id = make_client(cognito_idp, pool_id, GenerateSecret=True)["ClientId"]
        second = add(cognito_idp, pool_id, client_id)["ClientSecretId"]
        delete(cognito_idp, pool_id, client_id, second)
        third = add(cognito_idp, pool_id, client_id)["ClientSecretId"]
    # The next free second: the id keeps its documented shape, the create date stays true.
    assert (second, third) == (f"{client_id}--{epoch + 1}", f"{client_id}--{epoch + 2}")
    assert [s["ClientSecretCreateDate"] for s in listed(cognito_idp, pool_id, client_id)] == [
        NOON,
        NOON,
    ]


def test_deleting_a_secret(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    client_id = client["ClientId"]
    [first] = listed(cognito_idp, pool_id, client_id)
    added = add(cognito_idp, pool_id, client_id)

    delete(cognito_idp, pool_id, client_id, added["ClientSecretId"])

    assert listed(cognito_idp, pool_id, client_id) == [first]
    assert described_secret(cognito_idp, pool_id, client_id) == client["ClientSecret"]
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        delete(cognito_idp, pool_id, client_id, added["ClientSecretId"])
    assert error_of(raised) == (
        "ResourceNotFoundException",
        f"Client secret {added['ClientSecretId']} does not exist for the app client {client_id}.",
    )


def test_the_last_secret_cannot_be_deleted(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, GenerateSecret=True)["ClientId"]
    [only] = listed(cognito_idp, pool_id, client_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        delete(cognito_idp, pool_id, client_id, only["ClientSecretId"])
    assert error_of(raised) == (
        "InvalidParameterException",
        f"You cannot delete the last remaining client secret of the app client {client_id}.",
    )
    assert listed(cognito_idp, pool_id, client_id) == [only]


def test_a_public_client_has_no_secrets_to_rotate(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        add(cognito_idp, pool_id, client_id)
    assert error_of(raised) == (
        "InvalidParameterException",
        f"The app client {client_id} has no client secret: secrets can only be added to a "
        "client created with one.",
    )
    assert listed(cognito_idp, pool_id, client_id) == []
    assert (
        "ClientSecret"
        not in cognito_idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
            "UserPoolClient"
        ]
    )


@pytest.mark.parametrize("operation", ["add", "list", "delete"])
def test_an_unknown_client(cognito_idp, pool_id, operation):
    calls = {
        "add": lambda: add(cognito_idp, pool_id, "nosuchclient"),
        "list": lambda: listed(cognito_idp, pool_id, "nosuchclient"),
        "delete": lambda: delete(cognito_idp, pool_id, "nosuchclient", "nosuchclient--1"),
    }
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        calls[operation]()
    assert error_of(raised) == (
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    )


# --- either secret authenticates the client ---------------------------------------------------


@pytest.fixture
def rotated(cognito_idp, pool_id) -> tuple[str, str, str]:
    """A client in mid-rotation: (client id, its first secret, its second secret)."""
    client = make_client(
        cognito_idp,
        pool_id,
        GenerateSecret=True,
        ExplicitAuthFlows=[
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )
    second = add(cognito_idp, pool_id, client["ClientId"])["ClientSecretValue"]
    return client["ClientId"], client["ClientSecret"], second


def retire_first(cognito_idp, pool_id: str, client_id: str) -> None:
    first = listed(cognito_idp, pool_id, client_id)[0]["ClientSecretId"]
    delete(cognito_idp, pool_id, client_id, first)


def test_sign_in_and_refresh_take_a_hash_of_either_secret(cognito_idp, pool_id, rotated):
    client_id, first, second = rotated
    for secret in (first, second):
        result = sign_in(cognito_idp, pool_id, client_id, secret=secret)
        cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": "ada",
                "PASSWORD": PASSWORD,
                "SECRET_HASH": compute_secret_hash(secret, "ada", client_id),
            },
        )
        cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={
                "REFRESH_TOKEN": result["RefreshToken"],
                "SECRET_HASH": compute_secret_hash(secret, "ada", client_id),
            },
        )

    retire_first(cognito_idp, pool_id, client_id)

    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        sign_in(cognito_idp, pool_id, client_id, secret=first)
    assert error_of(raised) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {client_id}",
    )
    assert "AccessToken" in sign_in(cognito_idp, pool_id, client_id, secret=second)


def new_password_challenge(cognito_idp, pool_id, client_id, name: str, secret: str) -> str:
    """A user with a temporary password starts signing in: the challenge's Session."""
    cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username=name, TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": name,
            "PASSWORD": PASSWORD,
            "SECRET_HASH": compute_secret_hash(secret, name, client_id),
        },
    )["Session"]


def answer_new_password(cognito_idp, client_id, session: str, name: str, secret: str) -> dict:
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses={
            "USERNAME": name,
            "NEW_PASSWORD": "An0ther-horse!",
            "SECRET_HASH": compute_secret_hash(secret, name, client_id),
        },
    )


def test_a_challenge_answer_takes_a_hash_of_either_secret(cognito_idp, pool_id, rotated):
    client_id, first, second = rotated
    # Started with one secret's hash, answered with the other's.
    for name, started_with, answered_with in (("n1", first, second), ("n2", second, first)):
        session = new_password_challenge(cognito_idp, pool_id, client_id, name, started_with)
        answered = answer_new_password(cognito_idp, client_id, session, name, answered_with)
        assert "AccessToken" in answered["AuthenticationResult"]

    session = new_password_challenge(cognito_idp, pool_id, client_id, "n3", first)
    retire_first(cognito_idp, pool_id, client_id)

    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer_new_password(cognito_idp, client_id, session, "n3", first)
    assert error_of(raised) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {client_id}",
    )


def test_sign_up_and_forgot_password_take_a_hash_of_either_secret(cognito_idp, pool_id, rotated):
    client_id, first, second = rotated
    for number, secret in enumerate((first, second)):
        name = f"signup{number}"
        cognito_idp.sign_up(
            ClientId=client_id,
            Username=name,
            Password=PASSWORD,
            SecretHash=compute_secret_hash(secret, name, client_id),
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        )
        cognito_idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=name)
        cognito_idp.admin_update_user_attributes(
            UserPoolId=pool_id,
            Username=name,
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
        sent = cognito_idp.forgot_password(
            ClientId=client_id,
            Username=name,
            SecretHash=compute_secret_hash(secret, name, client_id),
        )
        assert sent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"

    retire_first(cognito_idp, pool_id, client_id)

    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.forgot_password(
            ClientId=client_id,
            Username="signup0",
            SecretHash=compute_secret_hash(first, "signup0", client_id),
        )
    assert error_of(raised) == (
        "NotAuthorizedException",
        f"SecretHash does not match for the client: {client_id}",
    )


@requires_operation("GetTokensFromRefreshToken")
def test_get_tokens_and_revoke_token_take_either_secret(cognito_idp, pool_id, rotated):
    client_id, first, second = rotated
    results = [sign_in(cognito_idp, pool_id, client_id, secret=second) for _ in range(3)]
    for secret in (first, second):
        get_tokens(cognito_idp, client_id, results[0]["RefreshToken"], ClientSecret=secret)
    cognito_idp.revoke_token(
        Token=results[1]["RefreshToken"], ClientId=client_id, ClientSecret=first
    )

    retire_first(cognito_idp, pool_id, client_id)

    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        get_tokens(cognito_idp, client_id, results[0]["RefreshToken"], ClientSecret=first)
    assert error_of(raised) == (
        "NotAuthorizedException",
        f"Client secret does not match for the client: {client_id}",
    )
    with pytest.raises(cognito_idp.exceptions.UnauthorizedException) as raised:
        cognito_idp.revoke_token(
            Token=results[2]["RefreshToken"], ClientId=client_id, ClientSecret=first
        )
    assert error_of(raised) == (
        "UnauthorizedException",
        f"Client secret does not match for the client: {client_id}",
    )
    assert "AccessToken" in get_tokens(
        cognito_idp, client_id, results[2]["RefreshToken"], ClientSecret=second
    )
