from __future__ import annotations

import pytest

from pytest_cognito_mock import NoCodeSentError


@pytest.fixture
def pool_id(cognito_idp):
    return cognito_idp.create_user_pool(
        PoolName="users",
        AutoVerifiedAttributes=["email"],
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True},
            {"Name": "badge", "AttributeDataType": "String", "Mutable": False},
            {"Name": "tier", "AttributeDataType": "String"},
        ],
    )["UserPool"]["Id"]


@pytest.fixture
def ana(cognito_idp, pool_id):
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ana",
        UserAttributes=[
            {"Name": "email", "Value": "ana@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:badge", "Value": "gold"},
        ],
    )
    return "ana"


def _attributes(client, pool_id, username):
    got = client.admin_get_user(UserPoolId=pool_id, Username=username)
    return {item["Name"]: item["Value"] for item in got["UserAttributes"]}


def test_update_sets_attributes_a_second_client_sees(cognito_idp, cognito_mock, pool_id, ana):
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=ana,
        UserAttributes=[{"Name": "name", "Value": "Ana"}, {"Name": "custom:tier", "Value": "1"}],
    )
    attributes = _attributes(cognito_mock.client(), pool_id, ana)
    assert attributes["name"] == "Ana"
    assert attributes["custom:tier"] == "1"


def test_a_new_email_is_unverified_and_gets_a_code(cognito_idp, cognito_mock, pool_id, ana):
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=ana,
        UserAttributes=[{"Name": "email", "Value": "new@example.com"}],
    )
    attributes = _attributes(cognito_idp, pool_id, ana)
    assert attributes["email"] == "new@example.com"
    assert attributes["email_verified"] == "false"
    code = cognito_mock.last_code(pool_id, ana)
    assert code is not None and len(code) == 6


def test_a_new_email_verified_in_the_same_call_stays_verified(
    cognito_idp, cognito_mock, pool_id, ana
):
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=ana,
        UserAttributes=[
            {"Name": "email", "Value": "new@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    assert _attributes(cognito_idp, pool_id, ana)["email_verified"] == "true"
    with pytest.raises(NoCodeSentError):
        cognito_mock.last_code(pool_id, ana)


def test_update_refusals_change_nothing(cognito_idp, pool_id, ana):
    before = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=ana)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_update_user_attributes(
            UserPoolId=pool_id,
            Username=ana,
            UserAttributes=[
                {"Name": "name", "Value": "Ana"},
                {"Name": "custom:badge", "Value": "silver"},
                {"Name": "custom:nope", "Value": "x"},
            ],
        )
    assert raised.value.response["Error"]["Message"] == (
        "user.custom:badge: Attribute cannot be updated.\n"
        "user.custom:nope: Attribute does not exist in the schema.\n"
    )
    after = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=ana)
    assert after["UserAttributes"] == before["UserAttributes"]
    assert after["UserLastModifiedDate"] == before["UserLastModifiedDate"]


def test_a_blank_value_deletes_but_not_a_required_attribute(cognito_idp, pool_id, ana):
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=ana, UserAttributes=[{"Name": "name", "Value": "Ana"}]
    )
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=ana, UserAttributes=[{"Name": "name", "Value": ""}]
    )
    assert "name" not in _attributes(cognito_idp, pool_id, ana)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username=ana, UserAttributes=[{"Name": "email", "Value": ""}]
        )
    assert raised.value.response["Error"]["Message"] == (
        "user.email: Required attribute cannot be deleted.\n"
    )


def test_sub_cannot_be_changed(cognito_idp, pool_id, ana):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username=ana, UserAttributes=[{"Name": "sub", "Value": "mine"}]
        )
    assert raised.value.response["Error"]["Message"] == "user.sub: Attribute cannot be updated.\n"


def test_update_for_nobody(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username="ghost", UserAttributes=[{"Name": "name", "Value": "x"}]
        )
    assert raised.value.response["Error"]["Message"] == "User does not exist."


def test_delete_user_attributes(cognito_idp, pool_id, ana):
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=ana, UserAttributes=[{"Name": "custom:tier", "Value": "1"}]
    )
    cognito_idp.admin_delete_user_attributes(
        UserPoolId=pool_id, Username=ana, UserAttributeNames=["custom:tier"]
    )
    assert "custom:tier" not in _attributes(cognito_idp, pool_id, ana)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("email", "user.email: Required attribute cannot be deleted.\n"),
        ("custom:badge", "user.custom:badge: Attribute cannot be updated.\n"),
        ("custom:nope", "user.custom:nope: Attribute does not exist in the schema.\n"),
    ],
)
def test_delete_user_attributes_refusals(cognito_idp, pool_id, ana, name, message):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_delete_user_attributes(
            UserPoolId=pool_id, Username=ana, UserAttributeNames=[name]
        )
    assert raised.value.response["Error"]["Message"] == message
    assert _attributes(cognito_idp, pool_id, ana)["email"] == "ana@example.com"
