from __future__ import annotations

import pytest

from pytest_cognito_mock import NoCodeSentError
from pytest_cognito_mock.backend.secret_hash import compute_secret_hash


@pytest.fixture
def pool_id(cognito_idp):
    return cognito_idp.create_user_pool(PoolName="app", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]


@pytest.fixture
def secret_client(cognito_idp, pool_id):
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="server", GenerateSecret=True
    )["UserPoolClient"]
    return client["ClientId"], client["ClientSecret"]


def _email(address):
    return [{"Name": "email", "Value": address}]


def test_sign_up_creates_an_unconfirmed_user_and_sends_a_code(
    cognito_idp, cognito_mock, pool_id, client_id
):
    response = cognito_idp.sign_up(
        ClientId=client_id,
        Username="jane",
        Password="Passw0rd!",
        UserAttributes=_email("jane@example.com"),
    )
    assert response["UserConfirmed"] is False
    assert response["CodeDeliveryDetails"] == {
        "Destination": "j***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    got = cognito_mock.client().admin_get_user(UserPoolId=pool_id, Username="jane")
    assert got["UserStatus"] == "UNCONFIRMED"
    assert {"Name": "sub", "Value": response["UserSub"]} in got["UserAttributes"]
    assert len(cognito_mock.last_code(pool_id, "jane")) == 6


def test_without_auto_verification_no_code_is_sent(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    response = cognito_idp.sign_up(
        ClientId=client_id,
        Username="jane",
        Password="Passw0rd!",
        UserAttributes=_email("j@example.com"),
    )
    assert "CodeDeliveryDetails" not in response
    with pytest.raises(NoCodeSentError):
        cognito_mock.last_code(pool_id, "jane")


def test_phone_numbers_get_codes_by_sms_and_win_over_email(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="both", AutoVerifiedAttributes=["email", "phone_number"]
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    response = cognito_idp.sign_up(
        ClientId=client_id,
        Username="jane",
        Password="Passw0rd!",
        UserAttributes=[
            *_email("j@example.com"),
            {"Name": "phone_number", "Value": "+12065551212"},
        ],
    )
    assert response["CodeDeliveryDetails"] == {
        "Destination": "+*******1212",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }


def test_an_existing_username_is_refused(cognito_idp, client_id):
    cognito_idp.sign_up(ClientId=client_id, Username="jane", Password="Passw0rd!")
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="jane", Password="Passw0rd!")
    assert raised.value.response["Error"]["Message"] == "User already exists"


def test_the_password_policy_applies_with_sign_up_s_wording(cognito_idp, pool_id, client_id):
    with pytest.raises(cognito_idp.exceptions.InvalidPasswordException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="jane", Password="password")
    assert raised.value.response["Error"]["Message"] == (
        "Password did not conform with policy: Password must have uppercase characters"
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_a_missing_password_is_refused(cognito_idp, client_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="jane")
    assert raised.value.response["Error"]["Message"] == "Password cannot be empty"


def test_unknown_attributes_are_refused(cognito_idp, client_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.sign_up(
            ClientId=client_id,
            Username="jane",
            Password="Passw0rd!",
            UserAttributes=[{"Name": "custom:firstName", "Value": "Jane"}],
        )
    assert raised.value.response["Error"]["Message"] == (
        "Attributes did not conform to the schema: "
        "custom:firstName: Attribute does not exist in the schema.\n"
    )


@pytest.mark.parametrize("attribute", ["email_verified", "custom:secret"])
def test_clients_may_not_write_verification_flags_or_attributes_outside_their_list(
    cognito_idp, pool_id, attribute
):
    cognito_idp.add_custom_attributes(
        UserPoolId=pool_id, CustomAttributes=[{"Name": "secret", "AttributeDataType": "String"}]
    )
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="narrow", WriteAttributes=["email", "name"]
    )["UserPoolClient"]["ClientId"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.sign_up(
            ClientId=client_id,
            Username="jane",
            Password="Passw0rd!",
            UserAttributes=[*_email("j@example.com"), {"Name": attribute, "Value": "true"}],
        )
    assert raised.value.response["Error"]["Message"] == (
        "A client attempted to write unauthorized attribute"
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_admin_only_pools_refuse_sign_up(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="closed", AdminCreateUserConfig={"AllowAdminCreateUserOnly": True}
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="jane", Password="Passw0rd!")
    assert raised.value.response["Error"]["Message"] == "SignUp is not permitted for this user pool"


def test_an_unknown_client_is_resource_not_found(cognito_idp):
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        cognito_idp.sign_up(ClientId="nosuchclient", Username="jane", Password="Passw0rd!")
    assert (
        raised.value.response["Error"]["Message"] == "User pool client nosuchclient does not exist."
    )


def test_a_client_with_a_secret_needs_the_hash(cognito_idp, secret_client):
    client_id, secret = secret_client
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="jane", Password="Passw0rd!")
    assert raised.value.response["Error"]["Message"] == (
        f"Client {client_id} is configured for secret but secret was not received"
    )
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.sign_up(
            ClientId=client_id,
            Username="jane",
            Password="Passw0rd!",
            SecretHash=compute_secret_hash(secret, "someone-else", client_id),
        )
    assert raised.value.response["Error"]["Message"] == (
        f"SecretHash does not match for the client: {client_id}"
    )
    response = cognito_idp.sign_up(
        ClientId=client_id,
        Username="jane",
        Password="Passw0rd!",
        SecretHash=compute_secret_hash(secret, "jane", client_id),
    )
    assert response["UserConfirmed"] is False


def test_a_hash_sent_to_a_client_without_a_secret_is_ignored(cognito_idp, client_id):
    response = cognito_idp.sign_up(
        ClientId=client_id, Username="jane", Password="Passw0rd!", SecretHash="bogus"
    )
    assert response["UserConfirmed"] is False


def test_email_username_pools_use_the_sub_as_username(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="email", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    sub = cognito_idp.sign_up(
        ClientId=client_id, Username="jane@example.com", Password="Passw0rd!"
    )["UserSub"]
    got = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="jane@example.com")
    assert got["Username"] == sub
    assert {"Name": "email", "Value": "jane@example.com"} in got["UserAttributes"]
    assert cognito_mock.last_code(pool_id, sub) is not None
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="jane@example.com", Password="Passw0rd!")
    assert raised.value.response["Error"]["Message"] == (
        "An account with the given email already exists."
    )
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.sign_up(ClientId=client_id, Username="jane", Password="Passw0rd!")
    assert raised.value.response["Error"]["Message"] == (
        "Username should be either an email or a phone number."
    )
