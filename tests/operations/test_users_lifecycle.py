"""AdminDeleteUser, AdminSetUserPassword, AdminEnableUser and AdminDisableUser."""

from __future__ import annotations

import pytest
from freezegun import freeze_time


@pytest.fixture
def ana(cognito_idp, pool_id):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ana")
    return "ana"


def test_delete_user_removes_the_user_everywhere(cognito_idp, cognito_mock, pool_id, ana):
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="admins")
    cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username=ana, GroupName="admins")
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username=ana)
    other = cognito_mock.client()
    with pytest.raises(other.exceptions.UserNotFoundException) as raised:
        other.admin_get_user(UserPoolId=pool_id, Username=ana)
    assert raised.value.response["Error"]["Message"] == "User does not exist."
    assert other.list_users(UserPoolId=pool_id)["Users"] == []
    assert other.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"] == []
    assert cognito_mock._service.backend.pools[pool_id].groups["admins"].members == set()


def test_a_deleted_username_can_be_created_again(cognito_idp, pool_id, ana):
    old_sub = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=ana)["UserAttributes"][0]
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username=ana)
    new = cognito_idp.admin_create_user(UserPoolId=pool_id, Username=ana)["User"]
    assert new["Attributes"][0] != old_sub


def test_delete_for_nobody(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="ghost")
    assert raised.value.response["Error"]["Message"] == "User does not exist."


def test_a_permanent_password_confirms_the_user(cognito_idp, cognito_mock, pool_id, ana):
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=ana, Password="Perm4nent!", Permanent=True
    )
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username=ana)["UserStatus"] == "CONFIRMED"
    user = cognito_mock._service.backend.pools[pool_id].users[ana]
    assert (user.password, user.temporary_password_expires) == ("Perm4nent!", None)


def test_a_temporary_password_forces_a_change(cognito_idp, cognito_mock, pool_id, ana):
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=ana, Password="Perm4nent!", Permanent=True
    )
    with freeze_time("2024-05-01 00:00:00"):
        cognito_idp.admin_set_user_password(UserPoolId=pool_id, Username=ana, Password="Tempor4ry!")
    got = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=ana)
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    user = cognito_mock._service.backend.pools[pool_id].users[ana]
    assert user.password == "Tempor4ry!"
    assert user.temporary_password_expires == 1714521600 + 7 * 86400


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("alllower1!", "Password must have uppercase characters"),
        ("ALLUPPER1!", "Password must have lowercase characters"),
        ("NoDigits!!", "Password must have numeric characters"),
        ("NoSymbols12", "Password must have symbol characters"),
    ],
)
def test_set_password_enforces_the_policy(
    cognito_idp, cognito_mock, pool_id, ana, password, reason
):
    before = cognito_mock._service.backend.pools[pool_id].users[ana].password
    with pytest.raises(cognito_idp.exceptions.InvalidPasswordException) as raised:
        cognito_idp.admin_set_user_password(
            UserPoolId=pool_id, Username=ana, Password=password, Permanent=True
        )
    assert (
        raised.value.response["Error"]["Message"]
        == f"Password does not conform to policy: {reason}"
    )
    assert cognito_mock._service.backend.pools[pool_id].users[ana].password == before
    assert (
        cognito_idp.admin_get_user(UserPoolId=pool_id, Username=ana)["UserStatus"]
        == "FORCE_CHANGE_PASSWORD"
    )


def test_set_password_for_nobody(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        cognito_idp.admin_set_user_password(
            UserPoolId=pool_id, Username="ghost", Password="Perm4nent!"
        )


def test_disable_and_enable(cognito_idp, cognito_mock, pool_id, ana):
    with freeze_time("2030-01-01"):
        cognito_idp.admin_disable_user(UserPoolId=pool_id, Username=ana)
    other = cognito_mock.client()
    got = other.admin_get_user(UserPoolId=pool_id, Username=ana)
    assert got["Enabled"] is False
    assert got["UserLastModifiedDate"].year == 2030
    cognito_idp.admin_enable_user(UserPoolId=pool_id, Username=ana)
    assert other.admin_get_user(UserPoolId=pool_id, Username=ana)["Enabled"] is True


@pytest.mark.parametrize("operation", ["admin_enable_user", "admin_disable_user"])
def test_enable_and_disable_for_nobody(cognito_idp, pool_id, operation):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        getattr(cognito_idp, operation)(UserPoolId=pool_id, Username="ghost")
    assert raised.value.response["Error"]["Message"] == "User does not exist."
