from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from freezegun import freeze_time


def _attributes(items):
    return {item["Name"]: item["Value"] for item in items}


@freeze_time("2024-05-01 12:00:00")
def test_admin_create_user_returns_the_new_user(cognito_idp, pool_id):
    user = cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="diego",
        UserAttributes=[
            {"Name": "email", "Value": "diego@example.com"},
            {"Name": "phone_number", "Value": "+15555551212"},
        ],
        MessageAction="SUPPRESS",
    )["User"]
    created = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    assert user["Username"] == "diego"
    assert user["Enabled"] is True
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["UserCreateDate"] == user["UserLastModifiedDate"] == created
    names = [a["Name"] for a in user["Attributes"]]
    assert names == ["sub", "email", "phone_number"]
    assert uuid.UUID(_attributes(user["Attributes"])["sub"]).version == 4
    assert "MFAOptions" not in user


def test_a_second_client_sees_the_created_user(cognito_idp, cognito_mock, pool_id):
    created = cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")["User"]
    other = cognito_mock.client()
    fetched = other.admin_get_user(UserPoolId=pool_id, Username="ana")
    assert fetched["UserAttributes"] == created["Attributes"]
    assert fetched["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_the_temporary_password_expires_after_the_policy_s_validity(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="p", Policies={"PasswordPolicy": {"TemporaryPasswordValidityDays": 3}}
    )["UserPool"]["Id"]
    with freeze_time("2024-05-01 00:00:00"):
        cognito_idp.admin_create_user(
            UserPoolId=pool_id, Username="ana", TemporaryPassword="Tmp0rary!"
        )
    user = cognito_mock._service.backend.pools[pool_id].users["ana"]
    assert user.password == "Tmp0rary!"
    assert user.temporary_password_expires == datetime(2024, 5, 4, tzinfo=timezone.utc).timestamp()


def test_a_generated_temporary_password_satisfies_the_strictest_policy(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="p",
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
    )["UserPool"]["Id"]
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    password = cognito_mock._service.backend.pools[pool_id].users["ana"].password
    assert len(password) >= 12


def test_an_existing_username_is_refused(cognito_idp, pool_id):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    assert raised.value.response["Error"]["Message"] == "User account already exists"


def test_usernames_are_case_sensitive_by_default(cognito_idp, pool_id):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="Ana")
    assert len(cognito_idp.list_users(UserPoolId=pool_id)["Users"]) == 2


def test_a_weak_temporary_password_is_refused_and_creates_nobody(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidPasswordException) as raised:
        cognito_idp.admin_create_user(
            UserPoolId=pool_id, Username="ana", TemporaryPassword="password1!"
        )
    assert raised.value.response["Error"]["Message"] == (
        "Password did not conform with password policy: Password must have uppercase characters"
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_unknown_attributes_are_refused_with_the_schema_message(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_create_user(
            UserPoolId=pool_id,
            Username="ana",
            UserAttributes=[{"Name": "custom:nope", "Value": "1"}, {"Name": "foo", "Value": "2"}],
        )
    assert raised.value.response["Error"]["Message"] == (
        "Attributes did not conform to the schema: "
        "custom:nope: Attribute does not exist in the schema.\n"
        "foo: Attribute does not exist in the schema.\n"
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_required_attributes_must_be_given(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="p",
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True},
            {"Name": "name", "AttributeDataType": "String", "Required": True},
        ],
    )["UserPool"]["Id"]
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    assert raised.value.response["Error"]["Message"] == (
        "Attributes did not conform to the schema: "
        "name: The attribute is required\n"
        "email: The attribute is required\n"
    )


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ({"Name": "email", "Value": "nope"}, "Invalid email address format."),
        ({"Name": "phone_number", "Value": "5551212"}, "Invalid phone number format."),
    ],
)
def test_contact_formats_are_checked(cognito_idp, pool_id, attribute, message):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_create_user(
            UserPoolId=pool_id, Username="ana", UserAttributes=[attribute]
        )
    assert raised.value.response["Error"]["Message"] == message


def test_resend_gives_an_existing_user_a_new_temporary_password(cognito_idp, cognito_mock, pool_id):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana", TemporaryPassword="First0ne!")
    resent = cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="ana", MessageAction="RESEND", TemporaryPassword="Second0ne!"
    )["User"]
    assert resent["Username"] == "ana"
    assert resent["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert cognito_mock._service.backend.pools[pool_id].users["ana"].password == "Second0ne!"


def test_resend_for_nobody_is_user_not_found(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ghost", MessageAction="RESEND")
    assert raised.value.response["Error"]["Message"] == "User does not exist."


def test_resend_for_a_confirmed_user_is_refused(cognito_idp, pool_id):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ana", Password="Perm4nent!", Permanent=True
    )
    with pytest.raises(cognito_idp.exceptions.UnsupportedUserStateException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana", MessageAction="RESEND")
    assert raised.value.response["Error"]["Message"] == (
        "Resend not possible. ana status is not FORCE_CHANGE_PASSWORD"
    )


def test_an_unknown_pool_is_resource_not_found(cognito_idp):
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        cognito_idp.admin_create_user(UserPoolId="us-east-1_nothere1", Username="ana")
    assert (
        raised.value.response["Error"]["Message"] == "User pool us-east-1_nothere1 does not exist."
    )
