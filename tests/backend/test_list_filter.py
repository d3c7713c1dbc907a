from __future__ import annotations

import pytest
from support.pools import backend_pool

from pytest_cognito_mock.backend.errors import InvalidParameterException
from pytest_cognito_mock.backend.list_filter import (
    UserFilter,
    matching_users,
    parse_filter,
    selected_attributes,
)
from pytest_cognito_mock.backend.models import User, UserPool
from pytest_cognito_mock.backend.schema import AttributeDefinition, standard_attributes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('email = "a@example.com"', UserFilter("email", False, "a@example.com")),
        ('email="a@example.com"', UserFilter("email", False, "a@example.com")),
        ('given_name ^= "Jo"', UserFilter("given_name", True, "Jo")),
        ('  name^="J"  ', UserFilter("name", True, "J")),
        ('family_name = "Say \\"hi\\""', UserFilter("family_name", False, 'Say "hi"')),
        ('name = "back\\\\slash"', UserFilter("name", False, "back\\slash")),
        (
            'cognito:user_status = "CONFIRMED"',
            UserFilter("cognito:user_status", False, "CONFIRMED"),
        ),
        ('status = "Enabled"', UserFilter("status", False, "Enabled")),
        ('sub = ""', UserFilter("sub", False, "")),
    ],
)
def test_the_documented_syntax_parses(text, expected):
    assert parse_filter(text) == expected


@pytest.mark.parametrize("text", [None, "", "   "])
def test_an_empty_filter_means_no_filter(text):
    assert parse_filter(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "foo",
        'email "x"',
        "email = x",
        'email = "unterminated',
        'email == "x"',
        'email ~= "x"',
        'email = "x" and name = "y"',
        'email = "x" trailing',
        '= "x"',
    ],
)
def test_anything_else_is_a_parse_error(text):
    with pytest.raises(InvalidParameterException) as raised:
        parse_filter(text)
    assert raised.value.message == "Error while parsing filter."


@pytest.mark.parametrize("attribute", ["custom:tier", "locale", "email_verified", "Username"])
def test_attributes_outside_the_searchable_list_are_refused(attribute):
    with pytest.raises(InvalidParameterException) as raised:
        parse_filter(f'{attribute} = "x"')
    assert raised.value.message == f"Invalid search attribute: {attribute}"


def _pool(case_sensitive: bool | None = None) -> UserPool:
    return backend_pool(
        schema=[*standard_attributes(), AttributeDefinition("custom:tier", custom=True)],
        case_sensitive=case_sensitive,
    )


def _add(pool: UserPool, username: str, **attributes: str) -> User:
    sub = f"sub-{username}"
    user = User(username, sub, 0, 0, attributes={"sub": sub, **attributes})
    pool.users[pool.user_key(username)] = user
    pool.users_by_sub[sub] = pool.user_key(username)
    return user


def _names(users: list[User]) -> list[str]:
    return [user.username for user in users]


def test_exact_and_prefix_matches_on_attributes():
    pool = _pool()
    _add(pool, "jon", given_name="Jon")
    _add(pool, "jonas", given_name="Jonas")
    _add(pool, "ann", given_name="Ann")
    assert _names(matching_users(pool, parse_filter('given_name = "Jon"'))) == ["jon"]
    assert _names(matching_users(pool, parse_filter('given_name ^= "Jon"'))) == ["jon", "jonas"]
    assert _names(matching_users(pool, parse_filter('given_name ^= ""'))) == ["jon", "jonas", "ann"]
    assert _names(matching_users(pool, parse_filter(None))) == ["jon", "jonas", "ann"]


def test_users_without_the_attribute_never_match():
    pool = _pool()
    _add(pool, "a", email="a@example.com")
    _add(pool, "b")
    assert _names(matching_users(pool, parse_filter('email ^= ""'))) == ["a"]


def test_username_status_and_enabled_are_searchable():
    pool = _pool()
    _add(pool, "alice").status = "CONFIRMED"
    _add(pool, "bob").enabled = False
    assert _names(matching_users(pool, parse_filter('username = "alice"'))) == ["alice"]
    assert _names(matching_users(pool, parse_filter('username ^= "b"'))) == ["bob"]
    assert _names(matching_users(pool, parse_filter('status = "Disabled"'))) == ["bob"]
    assert _names(matching_users(pool, parse_filter('status = "disabled"'))) == []
    # cognito:user_status is documented as case insensitive.
    assert _names(matching_users(pool, parse_filter('cognito:user_status = "confirmed"'))) == [
        "alice"
    ]


def test_sub_and_username_exact_matches_are_lookups():
    pool = _pool()
    _add(pool, "alice")
    assert _names(matching_users(pool, parse_filter('sub = "sub-alice"'))) == ["alice"]
    assert matching_users(pool, parse_filter('sub = "nobody"')) == []
    assert matching_users(pool, parse_filter('username = "Alice"')) == []


def test_case_insensitive_pools_match_sign_in_names_without_regard_to_case():
    pool = _pool(case_sensitive=False)
    _add(pool, "alice", email="Alice@Example.com", name="Alice")
    assert _names(matching_users(pool, parse_filter('username = "ALICE"'))) == ["alice"]
    assert _names(matching_users(pool, parse_filter('email ^= "alice@"'))) == ["alice"]
    # Other attributes keep exact comparison.
    assert matching_users(pool, parse_filter('name = "alice"')) == []


def test_selected_attributes_narrow_each_user():
    pool = _pool()
    users = [_add(pool, "a", email="a@example.com", name="A")]
    assert selected_attributes(pool, users, None) == [
        {"sub": "sub-a", "email": "a@example.com", "name": "A"}
    ]
    assert selected_attributes(pool, users, ["name", "email"]) == [
        {"email": "a@example.com", "name": "A"}
    ]
    assert selected_attributes(pool, users, []) == [{}]


@pytest.mark.parametrize("names", [["nope"], ["custom:tier"]])
def test_selected_attributes_refuse_unknown_or_unset_attributes(names):
    pool = _pool()
    users = [_add(pool, "a", email="a@example.com")]
    with pytest.raises(InvalidParameterException) as raised:
        selected_attributes(pool, users, names)
    assert raised.value.message == "One or more requested attributes do not exist."
