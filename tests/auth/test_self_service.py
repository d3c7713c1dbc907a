"""A signed-in user on itself: UpdateUserAttributes, DeleteUserAttributes, DeleteUser,
GetUserAttributeVerificationCode and VerifyUserAttribute, all through an access token."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from support.errors import error_of

PASSWORD = "Corr3ct-horse!"
PASSWORD_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(
        PoolName="app",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]["Id"]


def make_client(cognito_idp, pool_id: str, **settings) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=PASSWORD_FLOWS, **settings
    )["UserPoolClient"]["ClientId"]


def signed_in(cognito_idp, pool_id: str, username: str = "ada", **client_settings) -> str:
    """Create a confirmed user with a verified email and return its access token."""
    client_id = make_client(cognito_idp, pool_id, **client_settings)
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]


def attributes(cognito_idp, pool_id: str, username: str = "ada") -> dict[str, str]:
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def test_update_user_attributes_changes_the_callers_attributes(cognito_mock, cognito_idp, pool_id):
    token = signed_in(cognito_idp, pool_id)
    response = cognito_idp.update_user_attributes(
        AccessToken=token,
        UserAttributes=[
            {"Name": "name", "Value": "Ada Lovelace"},
            {"Name": "email", "Value": "countess@example.com"},
        ],
    )
    assert response["CodeDeliveryDetailsList"] == [
        {"Destination": "c***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    after = attributes(cognito_idp, pool_id)
    assert after["name"] == "Ada Lovelace"
    assert after["email"] == "countess@example.com"
    assert after["email_verified"] == "false"
    assert cognito_mock.last_code(pool_id, "ada") is not None


def test_update_user_attributes_without_a_contact_change_sends_nothing(cognito_idp, pool_id):
    token = signed_in(cognito_idp, pool_id)
    response = cognito_idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "custom:team", "Value": "engines"}]
    )
    assert "CodeDeliveryDetailsList" not in response
    assert attributes(cognito_idp, pool_id)["custom:team"] == "engines"


def test_a_user_cannot_verify_itself_or_write_outside_the_clients_write_attributes(
    cognito_idp, pool_id
):
    token = signed_in(cognito_idp, pool_id, WriteAttributes=["name", "email"])
    for attribute in ("email_verified", "custom:team"):
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            cognito_idp.update_user_attributes(
                AccessToken=token, UserAttributes=[{"Name": attribute, "Value": "true"}]
            )
        assert error_of(raised)[1] == "A client attempted to write unauthorized attribute"
    assert "custom:team" not in attributes(cognito_idp, pool_id)


def test_update_user_attributes_checks_the_schema(cognito_idp, pool_id):
    token = signed_in(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "custom:nope", "Value": "x"}]
        )
    assert error_of(raised)[1] == "user.custom:nope: Attribute does not exist in the schema.\n"


def test_delete_user_attributes(cognito_idp, pool_id):
    token = signed_in(cognito_idp, pool_id)
    cognito_idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "custom:team", "Value": "engines"}]
    )
    assert (
        cognito_idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["custom:team"])[
            "ResponseMetadata"
        ]["HTTPStatusCode"]
        == 200
    )
    assert "custom:team" not in attributes(cognito_idp, pool_id)


def test_delete_user_removes_the_caller_only(cognito_idp, pool_id):
    token = signed_in(cognito_idp, pool_id)
    signed_in(cognito_idp, pool_id, "bob")
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="staff")
    cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ada", GroupName="staff")
    cognito_idp.delete_user(AccessToken=token)
    names = [u["Username"] for u in cognito_idp.list_users(UserPoolId=pool_id)["Users"]]
    assert names == ["bob"]
    assert cognito_idp.list_users_in_group(UserPoolId=pool_id, GroupName="staff")["Users"] == []
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        cognito_idp.get_user(AccessToken=token)


def test_verification_code_round_trip(cognito_mock, cognito_idp, pool_id):
    token = signed_in(cognito_idp, pool_id)
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[{"Name": "email_verified", "Value": "false"}],
    )
    details = cognito_idp.get_user_attribute_verification_code(
        AccessToken=token, AttributeName="email"
    )["CodeDeliveryDetails"]
    assert details == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    code = cognito_mock.last_code(pool_id, "ada")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException) as raised:
        cognito_idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=wrong)
    assert error_of(raised)[1] == "Invalid verification code provided, please try again."
    assert attributes(cognito_idp, pool_id)["email_verified"] == "false"
    cognito_idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    assert attributes(cognito_idp, pool_id)["email_verified"] == "true"
    with pytest.raises(cognito_idp.exceptions.ExpiredCodeException) as raised:
        cognito_idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    assert error_of(raised)[1] == "Invalid code provided, please request a code again."


def test_verification_codes_expire_after_a_day(cognito_mock, cognito_idp, pool_id):
    with freeze_time("2031-05-01 10:00:00"):
        token = signed_in(cognito_idp, pool_id)
        cognito_idp.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
        code = cognito_mock.last_code(pool_id, "ada")
    with freeze_time("2031-05-02 10:00:01"):
        (client,) = cognito_idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]
        fresh = cognito_idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client["ClientId"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]["AccessToken"]
        with pytest.raises(cognito_idp.exceptions.ExpiredCodeException):
            cognito_idp.verify_user_attribute(AccessToken=fresh, AttributeName="email", Code=code)


def test_only_email_and_phone_number_are_verified(cognito_idp, pool_id):
    token = signed_in(cognito_idp, pool_id)
    for call, extra in (
        (cognito_idp.get_user_attribute_verification_code, {}),
        (cognito_idp.verify_user_attribute, {"Code": "123456"}),
    ):
        with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
            call(AccessToken=token, AttributeName="name", **extra)
        assert error_of(raised)[1] == (
            "Invalid attribute name. Only phone_number and email can be verified."
        )
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.get_user_attribute_verification_code(
            AccessToken=token, AttributeName="phone_number"
        )
    assert error_of(raised)[1] == "User does not have a valid registered phone number"
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.verify_user_attribute(
            AccessToken=token, AttributeName="phone_number", Code="123456"
        )
    assert error_of(raised)[1] == "Unable to verify attribute: phone_number no value set to verify"


def test_every_self_service_operation_checks_the_token(cognito_idp, pool_id):
    calls = {
        "update_user_attributes": {"UserAttributes": [{"Name": "name", "Value": "x"}]},
        "delete_user_attributes": {"UserAttributeNames": ["name"]},
        "delete_user": {},
        "get_user_attribute_verification_code": {"AttributeName": "email"},
        "verify_user_attribute": {"AttributeName": "email", "Code": "123456"},
    }
    for method, params in calls.items():
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            getattr(cognito_idp, method)(AccessToken="eyJ.not.valid", **params)
        assert error_of(raised)[1] == "Invalid Access Token"
