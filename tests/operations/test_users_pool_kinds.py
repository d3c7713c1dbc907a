"""Users in pools whose sign-in names differ: email/phone as username, aliases, case."""

from __future__ import annotations

import pytest


def _pool(client, **settings):
    return client.create_user_pool(PoolName="kinds", **settings)["UserPool"]["Id"]


def _attrs(**attributes):
    return [{"Name": k, "Value": v} for k, v in attributes.items()]


def _attributes(client, pool_id, name):
    got = client.admin_get_user(UserPoolId=pool_id, Username=name)
    return {a["Name"]: a["Value"] for a in got["UserAttributes"]}


# -- UsernameAttributes ------------------------------------------------------------------------


def test_email_username_pools_name_users_by_sub(cognito_idp, cognito_mock):
    pool_id = _pool(cognito_idp, UsernameAttributes=["email"])
    user = cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ann@example.com")["User"]
    sub = user["Attributes"][0]["Value"]
    assert user["Username"] == sub
    assert user["Attributes"] == [
        {"Name": "sub", "Value": sub},
        {"Name": "email", "Value": "ann@example.com"},
    ]
    other = cognito_mock.client()
    assert other.admin_get_user(UserPoolId=pool_id, Username="ann@example.com")["Username"] == sub
    assert other.admin_get_user(UserPoolId=pool_id, Username=sub)["Username"] == sub
    listed = other.list_users(UserPoolId=pool_id, Filter='email = "ann@example.com"')["Users"]
    assert [u["Username"] for u in listed] == [sub]


def test_email_username_pools_refuse_other_usernames_and_taken_emails(cognito_idp):
    pool_id = _pool(cognito_idp, UsernameAttributes=["email"])
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ann")
    assert raised.value.response["Error"]["Message"] == (
        "Username should be either an email or a phone number."
    )
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ann@example.com")
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ann@example.com")
    assert raised.value.response["Error"]["Message"] == (
        "An account with the given email already exists."
    )
    assert len(cognito_idp.list_users(UserPoolId=pool_id)["Users"]) == 1


def test_phone_username_pools_set_the_phone_number(cognito_idp):
    pool_id = _pool(cognito_idp, UsernameAttributes=["email", "phone_number"])
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="+15555550100")
    assert _attributes(cognito_idp, pool_id, "+15555550100")["phone_number"] == "+15555550100"
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="bob@example.com")
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="+15555550100")
    assert raised.value.response["Error"]["Message"] == (
        "An account with the given phone_number already exists."
    )


def test_changing_the_email_of_an_email_username_user(cognito_idp):
    pool_id = _pool(cognito_idp, UsernameAttributes=["email"])
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ann@example.com")
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="bob@example.com")
    with pytest.raises(cognito_idp.exceptions.AliasExistsException) as raised:
        cognito_idp.admin_update_user_attributes(
            UserPoolId=pool_id,
            Username="bob@example.com",
            UserAttributes=_attrs(email="ann@example.com"),
        )
    assert raised.value.response["Error"]["Message"] == (
        "An account with the given email already exists."
    )
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="bob@example.com",
        UserAttributes=_attrs(email="rob@example.com"),
    )
    assert _attributes(cognito_idp, pool_id, "rob@example.com")["email"] == "rob@example.com"
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        cognito_idp.admin_get_user(UserPoolId=pool_id, Username="bob@example.com")


# -- AliasAttributes ---------------------------------------------------------------------------


def test_alias_pools_refuse_usernames_shaped_like_an_alias(cognito_idp):
    pool_id = _pool(cognito_idp, AliasAttributes=["email", "phone_number"])
    for username, message in (
        (
            "ann@example.com",
            "Username cannot be of email format, since user pool is configured for email alias.",
        ),
        (
            "+15555550100",
            "Username cannot be of phone number format, since user pool is configured for "
            "phone number alias.",
        ),
    ):
        with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
            cognito_idp.admin_create_user(UserPoolId=pool_id, Username=username)
        assert raised.value.response["Error"]["Message"] == message


def test_only_verified_email_aliases_find_users(cognito_idp):
    pool_id = _pool(cognito_idp, AliasAttributes=["email", "preferred_username"])
    cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="ann", UserAttributes=_attrs(email="ann@example.com")
    )
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ann@example.com")
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ann",
        UserAttributes=_attrs(email_verified="true", preferred_username="annie"),
    )
    for name in ("ann@example.com", "annie"):
        assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username=name)["Username"] == "ann"


def test_force_alias_creation_moves_a_verified_email(cognito_idp):
    pool_id = _pool(cognito_idp, AliasAttributes=["email"])
    verified = _attrs(email="ann@example.com", email_verified="true")
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="first", UserAttributes=verified)
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException) as raised:
        cognito_idp.admin_create_user(
            UserPoolId=pool_id, Username="second", UserAttributes=verified
        )
    assert raised.value.response["Error"]["Message"] == (
        "An account with the given email already exists."
    )
    cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="second", UserAttributes=verified, ForceAliasCreation=True
    )
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ann@example.com")[
        "Username"
    ] == ("second")
    assert _attributes(cognito_idp, pool_id, "first")["email_verified"] == "false"


def test_a_taken_preferred_username_is_an_alias_conflict(cognito_idp):
    pool_id = _pool(cognito_idp, AliasAttributes=["preferred_username"])
    cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="first", UserAttributes=_attrs(preferred_username="ace")
    )
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="second")
    with pytest.raises(cognito_idp.exceptions.AliasExistsException) as raised:
        cognito_idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username="second", UserAttributes=_attrs(preferred_username="ace")
        )
    assert raised.value.response["Error"]["Message"] == (
        "An account with the given preferred_username already exists."
    )


def test_confirm_sign_up_refuses_an_email_verified_elsewhere_unless_forced(
    cognito_idp, cognito_mock
):
    pool_id = _pool(cognito_idp, AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="first",
        UserAttributes=_attrs(email="ann@example.com", email_verified="true"),
    )
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="second",
        Password="Passw0rd!",
        UserAttributes=_attrs(email="ann@example.com"),
    )
    code = cognito_mock.last_code(pool_id, "second")
    with pytest.raises(cognito_idp.exceptions.AliasExistsException) as raised:
        cognito_idp.confirm_sign_up(ClientId=client_id, Username="second", ConfirmationCode=code)
    assert raised.value.response["Error"]["Message"] == (
        "An account with the given email already exists."
    )
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="second")["UserStatus"] == (
        "UNCONFIRMED"
    )
    cognito_idp.confirm_sign_up(
        ClientId=client_id, Username="second", ConfirmationCode=code, ForceAliasCreation=True
    )
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ann@example.com")[
        "Username"
    ] == ("second")


# -- case ----------------------------------------------------------------------------------------


def test_case_insensitive_pools(cognito_idp, cognito_mock):
    pool_id = _pool(cognito_idp, UsernameConfiguration={"CaseSensitive": False})
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="Ann")
    other = cognito_mock.client()
    assert other.admin_get_user(UserPoolId=pool_id, Username="aNN")["Username"] == "Ann"
    with pytest.raises(other.exceptions.UsernameExistsException):
        other.admin_create_user(UserPoolId=pool_id, Username="ANN")
    listed = other.list_users(UserPoolId=pool_id, Filter='username = "ann"')["Users"]
    assert [u["Username"] for u in listed] == ["Ann"]
    other.admin_delete_user(UserPoolId=pool_id, Username="ANN")
    assert other.list_users(UserPoolId=pool_id)["Users"] == []


def test_case_insensitive_email_username_pools_compare_emails_without_case(cognito_idp):
    pool_id = _pool(
        cognito_idp, UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False}
    )
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="Ann@Example.com")
    assert _attributes(cognito_idp, pool_id, "ann@example.COM")["email"] == "Ann@Example.com"
    with pytest.raises(cognito_idp.exceptions.UsernameExistsException):
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ANN@example.com")
