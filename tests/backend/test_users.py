"""The users domain without botocore: lookups, the alias index, and what a refusal leaves."""

from __future__ import annotations

import copy

import pytest
from support.pools import backend_pool

from pytest_cognito_mock.backend import users
from pytest_cognito_mock.backend.errors import (
    AliasExistsException,
    UsernameExistsException,
    UserNotFoundException,
)
from pytest_cognito_mock.backend.models import UserPool


def _pool(**settings: object) -> UserPool:
    return backend_pool(**settings)


def _state(pool: UserPool) -> tuple[object, ...]:
    return copy.deepcopy((pool.users, pool.users_by_sub, pool.aliases, pool.last_codes))


def test_find_user_by_username_then_sub():
    pool = _pool()
    user = users.admin_create_user(pool, "alice", [])
    assert users.find_user(pool, "alice") is user
    assert users.find_user(pool, user.sub) is user
    assert users.find_user(pool, "Alice") is None
    with pytest.raises(UserNotFoundException) as raised:
        users.get_user(pool, "nobody")
    assert raised.value.message == "User does not exist."


def test_case_insensitive_pools_find_any_spelling_and_keep_the_given_one():
    pool = _pool(case_sensitive=False)
    user = users.admin_create_user(pool, "Alice", [])
    assert user.username == "Alice"
    assert users.find_user(pool, "ALICE") is user
    with pytest.raises(UsernameExistsException):
        users.admin_create_user(pool, "alice", [])


def test_username_attributes_pools_name_users_by_sub_and_find_them_by_email():
    pool = _pool(username_attributes=["email"], case_sensitive=False)
    user = users.admin_create_user(pool, "Ann@Example.com", [])
    assert user.username == user.sub
    assert user.attributes == {"sub": user.sub, "email": "Ann@Example.com"}
    assert users.find_user(pool, "ann@example.com") is user
    assert pool.aliases == {("email", "ann@example.com"): user.sub}


def test_alias_pools_index_verified_contacts_and_preferred_username_only():
    pool = _pool(alias_attributes=["email", "preferred_username"])
    user = users.admin_create_user(
        pool,
        "alice",
        [("email", "a@example.com"), ("preferred_username", "ace")],
    )
    assert users.find_user(pool, "ace") is user
    assert users.find_user(pool, "a@example.com") is None
    users.update_user_attributes(pool, "alice", [("email_verified", "true")])
    assert users.find_user(pool, "a@example.com") is user


def test_a_verified_alias_moves_to_the_user_who_verifies_it():
    pool = _pool(alias_attributes=["email"])
    first = users.admin_create_user(
        pool, "first", [("email", "a@example.com"), ("email_verified", "true")]
    )
    second = users.admin_create_user(pool, "second", [("email", "b@example.com")])
    users.update_user_attributes(
        pool, "second", [("email", "a@example.com"), ("email_verified", "true")]
    )
    assert users.find_user(pool, "a@example.com") is second
    assert first.attributes["email"] == "a@example.com"
    assert first.attributes["email_verified"] == "false"


def test_preferred_username_never_moves():
    pool = _pool(alias_attributes=["preferred_username"])
    users.admin_create_user(pool, "first", [("preferred_username", "ace")])
    users.admin_create_user(pool, "second", [])
    before = _state(pool)
    with pytest.raises(AliasExistsException) as raised:
        users.update_user_attributes(pool, "second", [("preferred_username", "ace")])
    assert raised.value.message == "An account with the given preferred_username already exists."
    assert _state(pool) == before


def test_creating_with_a_taken_verified_alias_is_refused_unless_forced():
    pool = _pool(alias_attributes=["email"])
    first = users.admin_create_user(
        pool, "first", [("email", "a@example.com"), ("email_verified", "true")]
    )
    taken = [("email", "a@example.com"), ("email_verified", "true")]
    before = _state(pool)
    with pytest.raises(UsernameExistsException) as raised:
        users.admin_create_user(pool, "second", taken)
    assert raised.value.message == "An account with the given email already exists."
    assert _state(pool) == before
    second = users.admin_create_user(pool, "second", taken, force_alias_creation=True)
    assert users.find_user(pool, "a@example.com") is second
    assert first.attributes["email_verified"] == "false"


def test_username_attributes_pools_refuse_a_taken_email_on_update():
    pool = _pool(username_attributes=["email"])
    users.admin_create_user(pool, "a@example.com", [])
    other = users.admin_create_user(pool, "b@example.com", [])
    with pytest.raises(AliasExistsException) as raised:
        users.update_user_attributes(pool, other.username, [("email", "a@example.com")])
    assert raised.value.message == "An account with the given email already exists."


def test_changing_the_sign_in_email_moves_the_index_entry():
    pool = _pool(username_attributes=["email"])
    user = users.admin_create_user(pool, "a@example.com", [])
    users.update_user_attributes(pool, user.username, [("email", "new@example.com")])
    assert users.find_user(pool, "new@example.com") is user
    assert users.find_user(pool, "a@example.com") is None
    assert user.attributes["email_verified"] == "false"


def test_delete_user_leaves_no_trace_in_any_index():
    pool = _pool(username_attributes=["email"])
    user = users.admin_create_user(pool, "a@example.com", [])
    pool.last_codes[user.username] = "123456"
    users.delete_user(pool, user)
    assert (pool.users, pool.users_by_sub, pool.aliases, pool.last_codes) == ({}, {}, {}, {})


def test_lookups_do_not_scan_the_pool():
    # 10,000 users: every way of naming one is a dictionary lookup, so the indexes hold one
    # entry per user and alias, and lookups find users created first and last alike.
    pool = _pool(alias_attributes=["preferred_username"])
    for n in range(10_000):
        users.admin_create_user(pool, f"user{n}", [("preferred_username", f"nick{n}")])
    assert len(pool.aliases) == len(pool.users) == len(pool.users_by_sub) == 10_000
    last = users.find_user(pool, "nick9999")
    assert last is not None and last.username == "user9999"
    assert users.find_user(pool, last.sub) is last
