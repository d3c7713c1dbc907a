from __future__ import annotations

import pytest


def _create(client, pool_id, username, **attributes):
    return client.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )["User"]


def _usernames(response):
    return [user["Username"] for user in response["Users"]]


def test_admin_get_user_returns_the_user_without_unset_mfa_members(cognito_idp, pool_id):
    created = _create(cognito_idp, pool_id, "ana", email="ana@example.com")
    got = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ana")
    assert got["Username"] == "ana"
    assert got["UserAttributes"] == created["Attributes"]
    assert got["Enabled"] is True
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert got["UserCreateDate"] == created["UserCreateDate"]
    for member in ("MFAOptions", "PreferredMfaSetting", "UserMFASettingList"):
        assert member not in got


def test_admin_get_user_accepts_the_sub(cognito_idp, pool_id):
    created = _create(cognito_idp, pool_id, "ana")
    sub = created["Attributes"][0]["Value"]
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username=sub)["Username"] == "ana"


def test_admin_get_user_for_nobody(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ghost")
    assert raised.value.response["Error"]["Message"] == "User does not exist."


def test_list_users_lists_everyone_in_creation_order(cognito_idp, pool_id):
    for name in ("c", "a", "b"):
        _create(cognito_idp, pool_id, name)
    response = cognito_idp.list_users(UserPoolId=pool_id)
    assert _usernames(response) == ["c", "a", "b"]
    assert "PaginationToken" not in response


def test_list_users_filters(cognito_idp, pool_id):
    _create(cognito_idp, pool_id, "ana", email="ana@example.com", given_name="Ana")
    _create(cognito_idp, pool_id, "anabel", email="anabel@example.org", given_name="Anabel")
    _create(cognito_idp, pool_id, "bob", email="bob@example.com")
    cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="bob")
    assert _usernames(
        cognito_idp.list_users(UserPoolId=pool_id, Filter='email = "ana@example.com"')
    ) == ["ana"]
    assert _usernames(cognito_idp.list_users(UserPoolId=pool_id, Filter='given_name ^= "Ana"')) == [
        "ana",
        "anabel",
    ]
    assert _usernames(cognito_idp.list_users(UserPoolId=pool_id, Filter='status = "Disabled"')) == [
        "bob"
    ]
    assert _usernames(
        cognito_idp.list_users(
            UserPoolId=pool_id, Filter='cognito:user_status = "force_change_password"'
        )
    ) == ["ana", "anabel", "bob"]
    assert _usernames(cognito_idp.list_users(UserPoolId=pool_id, Filter="")) == [
        "ana",
        "anabel",
        "bob",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email", "Error while parsing filter."),
        ('email = "unterminated', "Error while parsing filter."),
        ('custom:tier = "gold"', "Invalid search attribute: custom:tier"),
    ],
)
def test_list_users_refuses_bad_filters(cognito_idp, pool_id, text, message):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.list_users(UserPoolId=pool_id, Filter=text)
    assert raised.value.response["Error"]["Message"] == message


def test_list_users_pages_with_limit_and_tokens(cognito_idp, pool_id):
    for n in range(5):
        _create(cognito_idp, pool_id, f"user{n}")
    first = cognito_idp.list_users(UserPoolId=pool_id, Limit=2)
    second = cognito_idp.list_users(
        UserPoolId=pool_id, Limit=2, PaginationToken=first["PaginationToken"]
    )
    third = cognito_idp.list_users(
        UserPoolId=pool_id, Limit=2, PaginationToken=second["PaginationToken"]
    )
    assert [_usernames(page) for page in (first, second, third)] == [
        ["user0", "user1"],
        ["user2", "user3"],
        ["user4"],
    ]
    assert "PaginationToken" not in third


def test_the_paginator_walks_every_page(cognito_idp, pool_id):
    for n in range(65):
        _create(cognito_idp, pool_id, f"user{n:02}")
    pages = list(cognito_idp.get_paginator("list_users").paginate(UserPoolId=pool_id))
    assert [len(page["Users"]) for page in pages] == [60, 5]


def test_a_forged_or_foreign_token_is_refused(cognito_idp, pool_id):
    for n in range(3):
        _create(cognito_idp, pool_id, f"user{n}")
    token = cognito_idp.list_users(UserPoolId=pool_id, Limit=1)["PaginationToken"]
    for forged, kwargs in (("not-a-token", {}), (token, {"Filter": 'username ^= "user"'})):
        with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
            cognito_idp.list_users(UserPoolId=pool_id, PaginationToken=forged, **kwargs)
        message = raised.value.response["Error"]["Message"]
        request_id = raised.value.response["ResponseMetadata"]["RequestId"]
        assert message == f"Paging marker {forged} is invalid for request {request_id}"


def test_attributes_to_get_narrows_the_attributes(cognito_idp, pool_id):
    _create(cognito_idp, pool_id, "ana", email="ana@example.com", name="Ana")
    users = cognito_idp.list_users(UserPoolId=pool_id, AttributesToGet=["email"])["Users"]
    assert users[0]["Attributes"] == [{"Name": "email", "Value": "ana@example.com"}]


def test_attributes_to_get_refuses_attributes_a_listed_user_lacks(cognito_idp, pool_id):
    _create(cognito_idp, pool_id, "ana", email="ana@example.com")
    _create(cognito_idp, pool_id, "bob")
    for names in (["email"], ["custom:nope"]):
        with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
            cognito_idp.list_users(UserPoolId=pool_id, AttributesToGet=names)
        assert raised.value.response["Error"]["Message"] == (
            "One or more requested attributes do not exist."
        )
    # With a filter that leaves out the user without an email, the same request succeeds.
    users = cognito_idp.list_users(
        UserPoolId=pool_id, AttributesToGet=["email"], Filter='email ^= "ana"'
    )["Users"]
    assert [user["Username"] for user in users] == ["ana"]


def test_a_limit_of_zero_means_the_default_page_size(cognito_idp, pool_id):
    for n in range(61):
        _create(cognito_idp, pool_id, f"user{n:02}")
    response = cognito_idp.list_users(UserPoolId=pool_id, Limit=0)
    assert len(response["Users"]) == 60
    assert "PaginationToken" in response
