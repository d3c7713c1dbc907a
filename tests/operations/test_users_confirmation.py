"""ConfirmSignUp, AdminConfirmSignUp and ResendConfirmationCode."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from pytest_cognito_mock.backend import ids
from pytest_cognito_mock.backend.secret_hash import compute_secret_hash


@pytest.fixture
def pool_id(cognito_idp):
    return cognito_idp.create_user_pool(PoolName="app", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]


@pytest.fixture
def jane(cognito_idp, client_id):
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="jane",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "jane@example.com"}],
    )
    return "jane"


def _user(client, pool_id, username):
    got = client.admin_get_user(UserPoolId=pool_id, Username=username)
    return got["UserStatus"], {a["Name"]: a["Value"] for a in got["UserAttributes"]}


def test_the_code_confirms_and_verifies_the_email(
    cognito_idp, cognito_mock, pool_id, client_id, jane
):
    code = cognito_mock.last_code(pool_id, jane)
    assert cognito_idp.confirm_sign_up(ClientId=client_id, Username=jane, ConfirmationCode=code)
    status, attributes = _user(cognito_mock.client(), pool_id, jane)
    assert status == "CONFIRMED"
    assert attributes["email_verified"] == "true"


def test_a_wrong_code_is_refused_and_changes_nothing(cognito_idp, pool_id, client_id, jane):
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException) as raised:
        cognito_idp.confirm_sign_up(ClientId=client_id, Username=jane, ConfirmationCode="000000x")
    assert raised.value.response["Error"]["Message"] == (
        "Invalid verification code provided, please try again."
    )
    assert _user(cognito_idp, pool_id, jane)[0] == "UNCONFIRMED"


def test_codes_expire_after_24_hours(cognito_idp, cognito_mock, pool_id, client_id):
    with freeze_time("2024-05-01 00:00:00") as frozen:
        cognito_idp.sign_up(
            ClientId=client_id,
            Username="jane",
            Password="Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": "jane@example.com"}],
        )
        code = cognito_mock.last_code(pool_id, "jane")
        frozen.tick(24 * 3600 + 1)
        with pytest.raises(cognito_idp.exceptions.ExpiredCodeException) as raised:
            cognito_idp.confirm_sign_up(ClientId=client_id, Username="jane", ConfirmationCode=code)
    assert raised.value.response["Error"]["Message"] == (
        "Invalid code provided, please request a code again."
    )


def test_only_the_latest_code_counts(cognito_idp, cognito_mock, monkeypatch, pool_id, client_id):
    codes = iter(["111111", "222222"])
    monkeypatch.setattr(ids, "confirmation_code", lambda: next(codes))
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="jane",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "jane@example.com"}],
    )
    details = cognito_idp.resend_confirmation_code(ClientId=client_id, Username="jane")
    assert details["CodeDeliveryDetails"] == {
        "Destination": "j***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert cognito_mock.last_code(pool_id, "jane") == "222222"
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        cognito_idp.confirm_sign_up(ClientId=client_id, Username="jane", ConfirmationCode="111111")
    cognito_idp.confirm_sign_up(ClientId=client_id, Username="jane", ConfirmationCode="222222")


def test_confirming_twice_names_the_status(cognito_idp, cognito_mock, pool_id, client_id, jane):
    code = cognito_mock.last_code(pool_id, jane)
    cognito_idp.confirm_sign_up(ClientId=client_id, Username=jane, ConfirmationCode=code)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.confirm_sign_up(ClientId=client_id, Username=jane, ConfirmationCode=code)
    assert raised.value.response["Error"]["Message"] == (
        "User cannot be confirmed. Current status is CONFIRMED"
    )
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.resend_confirmation_code(ClientId=client_id, Username=jane)
    assert raised.value.response["Error"]["Message"] == "User is already confirmed."


def test_confirm_and_resend_for_nobody(cognito_idp, pool_id, client_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.confirm_sign_up(ClientId=client_id, Username="ghost", ConfirmationCode="123456")
    assert raised.value.response["Error"] == {
        "Code": "UserNotFoundException",
        "Message": "Username/client id combination not found.",
    }
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.resend_confirmation_code(ClientId=client_id, Username="ghost")
    assert raised.value.response["Error"] == {
        "Code": "UserNotFoundException",
        "Message": "Username/client id combination not found.",
    }
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_admin_confirm_sign_up_confirms_without_verifying(cognito_idp, pool_id, jane):
    cognito_idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=jane)
    status, attributes = _user(cognito_idp, pool_id, jane)
    assert status == "CONFIRMED"
    assert "email_verified" not in attributes
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=jane)
    assert raised.value.response["Error"]["Message"] == (
        "User cannot be confirmed. Current status is CONFIRMED"
    )


def test_admin_confirm_sign_up_refuses_admin_created_users(cognito_idp, pool_id):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="ana")
    assert raised.value.response["Error"]["Message"] == (
        "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD"
    )


def test_resend_without_auto_verification_is_refused(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    cognito_idp.sign_up(ClientId=client_id, Username="jane", Password="Passw0rd!")
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.resend_confirmation_code(ClientId=client_id, Username="jane")
    assert raised.value.response["Error"]["Message"] == (
        "Cannot resend codes. Auto verification not turned on."
    )


def test_secret_clients_need_the_hash_to_confirm_and_resend(cognito_idp, cognito_mock, pool_id):
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="server", GenerateSecret=True
    )["UserPoolClient"]
    client_id, secret = client["ClientId"], client["ClientSecret"]
    good = compute_secret_hash(secret, "jane", client_id)
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="jane",
        Password="Passw0rd!",
        SecretHash=good,
        UserAttributes=[{"Name": "email", "Value": "jane@example.com"}],
    )
    missing = f"Client {client_id} is configured for secret but secret was not received"
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.resend_confirmation_code(ClientId=client_id, Username="jane")
    assert raised.value.response["Error"]["Message"] == missing
    cognito_idp.resend_confirmation_code(ClientId=client_id, Username="jane", SecretHash=good)
    code = cognito_mock.last_code(pool_id, "jane")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.confirm_sign_up(ClientId=client_id, Username="jane", ConfirmationCode=code)
    assert raised.value.response["Error"]["Message"] == missing
    cognito_idp.confirm_sign_up(
        ClientId=client_id, Username="jane", ConfirmationCode=code, SecretHash=good
    )
    assert _user(cognito_idp, pool_id, "jane")[0] == "CONFIRMED"
