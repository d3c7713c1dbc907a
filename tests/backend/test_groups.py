"""Groups in the domain: names, membership on both sides, and the order tokens list them in."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from pytest_cognito_mock.backend import CognitoBackend, groups
from pytest_cognito_mock.backend.errors import (
    GroupExistsException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
    UserNotFoundException,
)
from pytest_cognito_mock.backend.models import User, UserPool
from pytest_cognito_mock.backend.user_pools import PoolSettings, create_user_pool


@pytest.fixture
def pool() -> UserPool:
    return create_user_pool(CognitoBackend("123456789012"), "us-east-1", "app", PoolSettings(), [])


def add_user(pool: UserPool, username: str) -> User:
    user = User(username=username, sub=f"sub-{username}", created=0.0, modified=0.0)
    pool.users[pool.user_key(username)] = user
    pool.users_by_sub[user.sub] = pool.user_key(username)
    return user


def test_a_new_group_keeps_what_it_was_given(pool):
    with freeze_time("2024-05-01 12:00:00"):
        group = groups.create_group(
            pool, "admins", description="Admins", role_arn="arn:aws:iam::1:role/r", precedence=3
        )
    assert (group.name, group.user_pool_id) == ("admins", pool.id)
    assert (group.description, group.role_arn, group.precedence) == (
        "Admins",
        "arn:aws:iam::1:role/r",
        3,
    )
    assert group.created == group.modified == 1714564800.0
    assert groups.get_group(pool, "admins") is group


def test_a_taken_name_is_refused_whatever_its_case(pool):
    groups.create_group(pool, "ADMINS", description="first")
    for name in ("ADMINS", "Admins"):
        with pytest.raises(GroupExistsException) as raised:
            groups.create_group(pool, name)
        assert raised.value.message == "A group with the name already exists."
    assert [g.name for g in groups.list_groups(pool)] == ["ADMINS"]
    assert groups.get_group(pool, "admins").description == "first"


def test_an_unknown_group_is_not_found(pool):
    with pytest.raises(ResourceNotFoundException) as raised:
        groups.get_group(pool, "nobody")
    assert raised.value.message == "Group not found."


def test_the_pool_holds_at_most_ten_thousand_groups(pool):
    for index in range(groups.MAX_GROUPS_PER_POOL):
        groups.create_group(pool, f"g{index}")
    with pytest.raises(LimitExceededException):
        groups.create_group(pool, "one-too-many")
    assert len(pool.groups) == groups.MAX_GROUPS_PER_POOL


def test_a_precedence_beyond_a_java_int_is_refused_and_changes_nothing(pool):
    groups.create_group(pool, "g", precedence=1)
    with pytest.raises(InvalidParameterException):
        groups.create_group(pool, "h", precedence=2**31)
    with pytest.raises(InvalidParameterException):
        groups.update_group(pool, "g", precedence=2**31, description="changed")
    assert list(pool.groups) == ["g"]
    assert (pool.groups["g"].precedence, pool.groups["g"].description) == (1, None)
    assert groups.create_group(pool, "top", precedence=2**31 - 1).precedence == 2**31 - 1


def test_update_changes_only_what_is_given_and_moves_the_modified_time(pool):
    with freeze_time("2024-01-01"):
        groups.create_group(pool, "g", description="d", role_arn="arn:aws:iam::1:role/r")
    with freeze_time("2024-02-01"):
        updated = groups.update_group(pool, "G", precedence=0)
    assert (updated.description, updated.role_arn, updated.precedence) == (
        "d",
        "arn:aws:iam::1:role/r",
        0,
    )
    assert updated.modified > updated.created


def test_membership_is_recorded_on_both_sides_and_adding_twice_is_harmless(pool):
    alice = add_user(pool, "alice")
    groups.create_group(pool, "Admins")
    groups.add_user_to_group(pool, "Admins", "alice")
    groups.add_user_to_group(pool, "admins", "alice")
    assert pool.groups["admins"].members == {"alice"}
    assert alice.groups == {"Admins"}
    groups.remove_user_from_group(pool, "Admins", "alice")
    groups.remove_user_from_group(pool, "Admins", "alice")
    assert pool.groups["admins"].members == set()
    assert alice.groups == set()


def test_a_user_is_found_by_sub_too(pool):
    alice = add_user(pool, "alice")
    groups.create_group(pool, "g")
    groups.add_user_to_group(pool, "g", alice.sub)
    assert [u.username for u in groups.users_in_group(pool, "g")] == ["alice"]


def test_membership_calls_check_the_group_before_the_user(pool):
    with pytest.raises(ResourceNotFoundException):
        groups.add_user_to_group(pool, "missing", "nobody")
    groups.create_group(pool, "g")
    with pytest.raises(UserNotFoundException) as raised:
        groups.add_user_to_group(pool, "g", "nobody")
    assert raised.value.message == "User does not exist."
    with pytest.raises(UserNotFoundException):
        groups.groups_of_user(pool, "nobody")
    assert pool.groups["g"].members == set()


def test_deleting_a_group_ends_its_memberships(pool):
    alice = add_user(pool, "alice")
    groups.create_group(pool, "a")
    groups.create_group(pool, "b")
    groups.add_user_to_group(pool, "a", "alice")
    groups.add_user_to_group(pool, "b", "alice")
    groups.delete_group(pool, "A")
    assert alice.groups == {"b"}
    assert [g.name for g in groups.groups_of_user(pool, "alice")] == ["b"]
    with pytest.raises(ResourceNotFoundException):
        groups.delete_group(pool, "a")


def test_groups_list_by_name(pool):
    for name in ("beta", "Alpha", "gamma"):
        groups.create_group(pool, name)
    assert [g.name for g in groups.list_groups(pool)] == ["Alpha", "beta", "gamma"]


def test_token_groups_go_by_precedence_then_name_with_unranked_groups_last(pool):
    alice = add_user(pool, "alice")
    for name, precedence in [("z-none", None), ("b5", 5), ("a-none", None), ("c0", 0), ("a5", 5)]:
        groups.create_group(pool, name, precedence=precedence)
        groups.add_user_to_group(pool, name, "alice")
    expected = ["c0", "a5", "b5", "a-none", "z-none"]
    assert groups.groups_for_token(pool, alice) == expected
    assert [g.name for g in groups.groups_of_user(pool, "alice")] == expected


def test_a_user_in_no_group_has_no_token_groups(pool):
    assert groups.groups_for_token(pool, add_user(pool, "alice")) == []


def test_members_list_by_user_key_and_skip_users_that_are_gone(pool):
    for name in ("carol", "alice", "bob"):
        add_user(pool, name)
    groups.create_group(pool, "g")
    for name in ("carol", "alice", "bob"):
        groups.add_user_to_group(pool, "g", name)
    del pool.users["bob"]
    assert [u.username for u in groups.users_in_group(pool, "g")] == ["alice", "carol"]


def test_forgetting_a_user_leaves_no_membership_behind(pool):
    alice = add_user(pool, "alice")
    add_user(pool, "bob")
    for name in ("a", "b"):
        groups.create_group(pool, name)
        groups.add_user_to_group(pool, name, "alice")
        groups.add_user_to_group(pool, name, "bob")
    groups.forget_user(pool, alice)
    assert alice.groups == set()
    assert pool.groups["a"].members == pool.groups["b"].members == {"bob"}


def test_membership_uses_the_pool_user_key_in_case_insensitive_pools():
    pool = create_user_pool(
        CognitoBackend("123456789012"),
        "us-east-1",
        "app",
        PoolSettings(case_sensitive=False),
        [],
    )
    add_user(pool, "alice")
    groups.create_group(pool, "g")
    groups.add_user_to_group(pool, "g", "ALICE")
    assert pool.groups["g"].members == {"alice"}
    assert [g.name for g in groups.groups_of_user(pool, "Alice")] == ["g"]
