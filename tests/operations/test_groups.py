"""CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup and group membership, through
boto3."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from freezegun import freeze_time

from pytest_cognito_mock.backend import groups as backend_groups

ROLE = "arn:aws:iam::123456789012:role/admins"
GROUP_KEYS = {"GroupName", "UserPoolId", "LastModifiedDate", "CreationDate"}


def create_user(cognito_idp, cognito_mock, pool_id: str, username: str, email: str) -> None:
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": email}],
        MessageAction="SUPPRESS",
    )


def refused(cognito_idp, error: str, message: str, call, **kwargs) -> None:
    with pytest.raises(getattr(cognito_idp.exceptions, error)) as raised:
        call(**kwargs)
    assert raised.value.response["Error"]["Message"] == message


def group_names(listed: dict) -> list[str]:
    return [g["GroupName"] for g in listed["Groups"]]


def test_a_group_reports_exactly_the_members_it_was_given(cognito_idp, pool_id):
    with freeze_time("2024-05-01 12:00:00"):
        bare = cognito_idp.create_group(UserPoolId=pool_id, GroupName="readers")["Group"]
    assert set(bare) == GROUP_KEYS
    assert bare["UserPoolId"] == pool_id
    assert bare["CreationDate"] == bare["LastModifiedDate"]
    assert bare["CreationDate"] == datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    full = cognito_idp.create_group(
        UserPoolId=pool_id, GroupName="admins", Description="Admins", RoleArn=ROLE, Precedence=0
    )["Group"]
    assert set(full) == GROUP_KEYS | {"Description", "RoleArn", "Precedence"}
    assert (full["Description"], full["RoleArn"], full["Precedence"]) == ("Admins", ROLE, 0)
    assert cognito_idp.get_group(UserPoolId=pool_id, GroupName="admins")["Group"] == full


def test_a_second_client_sees_the_group(cognito_idp, cognito_mock, pool_id):
    created = cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")["Group"]
    other = cognito_mock.client()
    assert other.get_group(UserPoolId=pool_id, GroupName="g")["Group"] == created


def test_a_name_already_taken_in_any_case_is_refused(cognito_idp, pool_id):
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="ADMINS", Description="first")
    for name in ("ADMINS", "Admins"):
        refused(
            cognito_idp,
            "GroupExistsException",
            "A group with the name already exists.",
            cognito_idp.create_group,
            UserPoolId=pool_id,
            GroupName=name,
        )
    assert group_names(cognito_idp.list_groups(UserPoolId=pool_id)) == ["ADMINS"]


def test_the_same_name_in_two_pools_is_two_groups(cognito_idp, pool_id):
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g", Precedence=1)
    cognito_idp.create_group(UserPoolId=other_pool, GroupName="g", Precedence=2)
    assert cognito_idp.get_group(UserPoolId=other_pool, GroupName="g")["Group"]["Precedence"] == 2


def test_unknown_group_and_unknown_pool(cognito_idp, pool_id):
    for call in (cognito_idp.get_group, cognito_idp.delete_group, cognito_idp.update_group):
        refused(
            cognito_idp,
            "ResourceNotFoundException",
            "Group not found.",
            call,
            UserPoolId=pool_id,
            GroupName="nobody",
        )
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        "User pool us-east-1_nothing99 does not exist.",
        cognito_idp.create_group,
        UserPoolId="us-east-1_nothing99",
        GroupName="g",
    )


def test_groups_belong_to_the_region_of_their_pool(cognito_idp, cognito_mock, pool_id):
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        cognito_mock.client("eu-west-1").get_group,
        UserPoolId=pool_id,
        GroupName="g",
    )


def test_update_changes_only_the_members_given(cognito_idp, pool_id):
    with freeze_time("2024-01-01"):
        created = cognito_idp.create_group(
            UserPoolId=pool_id, GroupName="g", Description="old", RoleArn=ROLE, Precedence=7
        )["Group"]
    with freeze_time("2024-02-01"):
        updated = cognito_idp.update_group(
            UserPoolId=pool_id, GroupName="g", Description="new", Precedence=2
        )["Group"]
    assert (updated["Description"], updated["RoleArn"], updated["Precedence"]) == ("new", ROLE, 2)
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"] == datetime(2024, 2, 1, tzinfo=timezone.utc)
    assert cognito_idp.get_group(UserPoolId=pool_id, GroupName="g")["Group"] == updated


def test_update_reaches_the_group_by_its_name_in_any_case(cognito_idp, pool_id):
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="Admins")
    updated = cognito_idp.update_group(UserPoolId=pool_id, GroupName="ADMINS", Precedence=1)
    assert updated["Group"]["GroupName"] == "Admins"


def test_a_precedence_beyond_a_java_int_is_refused(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "1 validation error detected: Value '2147483648' at 'precedence' failed to satisfy "
        "constraint: Member must have value less than or equal to 2147483647",
        cognito_idp.create_group,
        UserPoolId=pool_id,
        GroupName="g",
        Precedence=2**31,
    )
    assert cognito_idp.list_groups(UserPoolId=pool_id)["Groups"] == []


def test_the_pool_group_quota_is_enforced(cognito_idp, pool_id, monkeypatch):
    monkeypatch.setattr(backend_groups, "MAX_GROUPS_PER_POOL", 2)
    for name in ("a", "b"):
        cognito_idp.create_group(UserPoolId=pool_id, GroupName=name)
    refused(
        cognito_idp,
        "LimitExceededException",
        "The user pool already has the maximum number of groups (2).",
        cognito_idp.create_group,
        UserPoolId=pool_id,
        GroupName="c",
    )


def test_groups_list_by_name_and_page_with_limit_and_token(cognito_idp, pool_id):
    for name in ("delta", "Alpha", "charlie", "bravo", "echo"):
        cognito_idp.create_group(UserPoolId=pool_id, GroupName=name)
    first = cognito_idp.list_groups(UserPoolId=pool_id, Limit=2)
    second = cognito_idp.list_groups(UserPoolId=pool_id, Limit=2, NextToken=first["NextToken"])
    last = cognito_idp.list_groups(UserPoolId=pool_id, Limit=2, NextToken=second["NextToken"])
    assert group_names(first) + group_names(second) + group_names(last) == [
        "Alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
    ]
    assert "NextToken" not in last
    paginator = cognito_idp.get_paginator("list_groups")
    pages = list(paginator.paginate(UserPoolId=pool_id, PaginationConfig={"PageSize": 3}))
    assert [len(page["Groups"]) for page in pages] == [3, 2]


def test_list_groups_answers_twenty_five_a_page_by_default(cognito_idp, pool_id):
    for index in range(30):
        cognito_idp.create_group(UserPoolId=pool_id, GroupName=f"g{index:02}")
    first = cognito_idp.list_groups(UserPoolId=pool_id)
    assert len(first["Groups"]) == 25
    rest = cognito_idp.list_groups(UserPoolId=pool_id, NextToken=first["NextToken"])
    assert group_names(rest) == [f"g{index}" for index in range(25, 30)]


def test_an_empty_pool_lists_no_groups(cognito_idp, pool_id):
    listed = cognito_idp.list_groups(UserPoolId=pool_id)
    assert listed["Groups"] == []
    assert "NextToken" not in listed


def test_forged_and_foreign_tokens_are_refused(cognito_idp, cognito_mock, pool_id):
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    for target in (pool_id, other_pool):
        for name in ("a", "b"):
            cognito_idp.create_group(UserPoolId=target, GroupName=name)
    token = cognito_idp.list_groups(UserPoolId=other_pool, Limit=1)["NextToken"]
    for bad in ("forged", token):
        refused(
            cognito_idp,
            "InvalidParameterException",
            "Invalid pagination token.",
            cognito_idp.list_groups,
            UserPoolId=pool_id,
            NextToken=bad,
        )


@pytest.mark.parametrize(
    "call", ["list_groups", "admin_list_groups_for_user", "list_users_in_group"]
)
def test_a_limit_of_zero_is_refused(cognito_idp, cognito_mock, pool_id, call):
    create_user(cognito_idp, cognito_mock, pool_id, "alice", "alice@example.com")
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")
    arguments = {
        "list_groups": {},
        "admin_list_groups_for_user": {"Username": "alice"},
        "list_users_in_group": {"GroupName": "g"},
    }[call]
    refused(
        cognito_idp,
        "InvalidParameterException",
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1",
        getattr(cognito_idp, call),
        UserPoolId=pool_id,
        Limit=0,
        **arguments,
    )


def test_members_are_listed_as_user_types(cognito_idp, cognito_mock, pool_id):
    create_user(cognito_idp, cognito_mock, pool_id, "alice", "alice@example.com")
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")
    cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="g")
    cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="g")
    listed = cognito_idp.list_users_in_group(UserPoolId=pool_id, GroupName="g")
    assert "NextToken" not in listed
    [user] = listed["Users"]
    assert set(user) == {
        "Username",
        "Attributes",
        "UserCreateDate",
        "UserLastModifiedDate",
        "Enabled",
        "UserStatus",
    }
    attributes = {a["Name"]: a["Value"] for a in user["Attributes"]}
    assert attributes["email"] == "alice@example.com"
    assert uuid.UUID(attributes["sub"])
    assert (user["Username"], user["Enabled"], user["UserStatus"]) == (
        "alice",
        True,
        "FORCE_CHANGE_PASSWORD",
    )
    assert isinstance(user["UserCreateDate"], datetime)


def test_a_user_lists_their_groups_in_precedence_order(cognito_idp, cognito_mock, pool_id):
    create_user(cognito_idp, cognito_mock, pool_id, "alice", "alice@example.com")
    for name, precedence in [("unranked", None), ("second", 5), ("first", 0)]:
        extra = {} if precedence is None else {"Precedence": precedence}
        cognito_idp.create_group(UserPoolId=pool_id, GroupName=name, **extra)
        cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName=name)
    listed = cognito_idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="alice")
    assert group_names(listed) == ["first", "second", "unranked"]
    assert (
        listed["Groups"][0] == cognito_idp.get_group(UserPoolId=pool_id, GroupName="first")["Group"]
    )
    paginator = cognito_idp.get_paginator("admin_list_groups_for_user")
    pages = paginator.paginate(
        UserPoolId=pool_id, Username="alice", PaginationConfig={"PageSize": 1}
    )
    assert [group_names(page) for page in pages] == [["first"], ["second"], ["unranked"]]


def test_removing_a_member_and_removing_again(cognito_idp, cognito_mock, pool_id):
    create_user(cognito_idp, cognito_mock, pool_id, "alice", "alice@example.com")
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")
    cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="g")
    for _ in range(2):
        cognito_idp.admin_remove_user_from_group(
            UserPoolId=pool_id, Username="alice", GroupName="g"
        )
    assert cognito_idp.list_users_in_group(UserPoolId=pool_id, GroupName="g")["Users"] == []
    assert (
        cognito_idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="alice")["Groups"] == []
    )


def test_membership_calls_name_the_missing_group_or_user(cognito_idp, cognito_mock, pool_id):
    create_user(cognito_idp, cognito_mock, pool_id, "alice", "alice@example.com")
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")
    for call in (cognito_idp.admin_add_user_to_group, cognito_idp.admin_remove_user_from_group):
        refused(
            cognito_idp,
            "ResourceNotFoundException",
            "Group not found.",
            call,
            UserPoolId=pool_id,
            Username="alice",
            GroupName="missing",
        )
        refused(
            cognito_idp,
            "UserNotFoundException",
            "User does not exist.",
            call,
            UserPoolId=pool_id,
            Username="nobody",
            GroupName="g",
        )
    refused(
        cognito_idp,
        "UserNotFoundException",
        "User does not exist.",
        cognito_idp.admin_list_groups_for_user,
        UserPoolId=pool_id,
        Username="nobody",
    )
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        "Group not found.",
        cognito_idp.list_users_in_group,
        UserPoolId=pool_id,
        GroupName="missing",
    )
    assert cognito_idp.list_users_in_group(UserPoolId=pool_id, GroupName="g")["Users"] == []


def test_deleting_a_group_ends_its_memberships(cognito_idp, cognito_mock, pool_id):
    create_user(cognito_idp, cognito_mock, pool_id, "alice", "alice@example.com")
    for name in ("kept", "gone"):
        cognito_idp.create_group(UserPoolId=pool_id, GroupName=name)
        cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName=name)
    cognito_idp.delete_group(UserPoolId=pool_id, GroupName="gone")
    other = cognito_mock.client()
    assert group_names(other.admin_list_groups_for_user(UserPoolId=pool_id, Username="alice")) == [
        "kept"
    ]
    assert group_names(other.list_groups(UserPoolId=pool_id)) == ["kept"]
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="gone")
    assert cognito_idp.list_users_in_group(UserPoolId=pool_id, GroupName="gone")["Users"] == []


def test_members_page_through_list_users_in_group(cognito_idp, cognito_mock, pool_id):
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")
    for name in ("carol", "alice", "bob"):
        create_user(cognito_idp, cognito_mock, pool_id, name, f"{name}@example.com")
        cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName="g")
    paginator = cognito_idp.get_paginator("list_users_in_group")
    pages = paginator.paginate(UserPoolId=pool_id, GroupName="g", PaginationConfig={"PageSize": 2})
    assert [[u["Username"] for u in page["Users"]] for page in pages] == [
        ["alice", "bob"],
        ["carol"],
    ]


@pytest.mark.cognito_mock(region="eu-west-1")
def test_case_insensitive_pools_match_members_in_any_case(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="app", UsernameConfiguration={"CaseSensitive": False}
    )["UserPool"]["Id"]
    create_user(cognito_idp, cognito_mock, pool_id, "alice", "alice@example.com")
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="g")
    cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ALICE", GroupName="g")
    listed = cognito_idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="Alice")
    assert group_names(listed) == ["g"]
