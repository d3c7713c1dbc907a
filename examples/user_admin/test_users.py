"""Users of a tenant app: invitations, passwords, deactivation and listing."""

from __future__ import annotations

import pytest

from user_admin import accounts

errors = accounts.cognito.exceptions


@pytest.fixture
def app(cognito_mock):
    return accounts.create_app("shop")


def message(raised):
    return raised.value.response["Error"]["Message"]


def test_an_invited_user_waits_for_a_first_password(cognito_idp, app):
    username = accounts.invite_user(app.pool_id, "ada@example.com")

    user = cognito_idp.admin_get_user(UserPoolId=app.pool_id, Username="ada@example.com")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    # In a pool where people sign in with their email, the username is the user's sub.
    assert user["Username"] == username == attributes["sub"]
    assert attributes["email"] == "ada@example.com"
    assert attributes["email_verified"] == "true"
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True


def test_the_same_email_cannot_be_invited_twice(app):
    accounts.invite_user(app.pool_id, "ada@example.com")

    with pytest.raises(errors.UsernameExistsException) as raised:
        accounts.invite_user(app.pool_id, "ada@example.com")

    assert message(raised) == "An account with the given email already exists."
    assert accounts.list_active_emails(app.pool_id) == ["ada@example.com"]


def test_a_password_shorter_than_the_policy_is_refused(cognito_idp, app):
    accounts.invite_user(app.pool_id, "ops@example.com")

    with pytest.raises(errors.InvalidPasswordException) as raised:
        accounts.set_permanent_password(app.pool_id, "ops@example.com", "Short-pw1")

    assert message(raised) == "Password does not conform to policy: Password not long enough"
    user = cognito_idp.admin_get_user(UserPoolId=app.pool_id, Username="ops@example.com")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_a_deactivated_user_can_no_longer_sign_in(cognito_idp, app):
    accounts.invite_user(app.pool_id, "ops@example.com")
    accounts.set_permanent_password(app.pool_id, "ops@example.com", "Service-Account-42")
    tokens = accounts.sign_in(app, "ops@example.com", "Service-Account-42")
    assert tokens["TokenType"] == "Bearer"

    accounts.deactivate_user(app.pool_id, "ops@example.com")

    with pytest.raises(errors.NotAuthorizedException) as raised:
        accounts.sign_in(app, "ops@example.com", "Service-Account-42")
    assert message(raised) == "User is disabled."
    user = cognito_idp.admin_get_user(UserPoolId=app.pool_id, Username="ops@example.com")
    assert user["Enabled"] is False
    assert user["UserStatus"] == "CONFIRMED"


def test_deactivating_someone_who_has_no_account(app):
    with pytest.raises(errors.UserNotFoundException) as raised:
        accounts.deactivate_user(app.pool_id, "nobody@example.com")

    assert message(raised) == "User does not exist."


def test_list_active_emails_reads_every_page_and_skips_deactivated_users(cognito_mock, app):
    for number in range(5):
        accounts.invite_user(app.pool_id, f"user{number}@example.com")
    accounts.deactivate_user(app.pool_id, "user3@example.com")

    emails = accounts.list_active_emails(app.pool_id, page_size=2)

    assert emails == [
        "user0@example.com",
        "user1@example.com",
        "user2@example.com",
        "user4@example.com",
    ]
    pages = [call.params for call in cognito_mock.calls if call.operation == "ListUsers"]
    assert len(pages) == 3
    assert "PaginationToken" not in pages[0]
    assert all("PaginationToken" in page for page in pages[1:])
