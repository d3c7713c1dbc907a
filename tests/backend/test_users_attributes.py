from __future__ import annotations

from dataclasses import replace

import pytest

from pytest_cognito_mock.backend.attributes import (
    attribute_changes,
    attribute_deletions,
    new_user_attributes,
    sign_in_aliases,
)
from pytest_cognito_mock.backend.errors import InvalidParameterException
from pytest_cognito_mock.backend.models import UserPool
from pytest_cognito_mock.backend.schema import AttributeDefinition, standard_attributes


def _pool(**settings: object) -> UserPool:
    schema = standard_attributes()
    schema = [replace(d, required=True) if d.name == "email" else d for d in schema]
    schema += [
        AttributeDefinition("custom:tier", string_min="1", string_max="5", custom=True),
        AttributeDefinition("custom:age", "Number", number_min="0", number_max="150", custom=True),
        AttributeDefinition("custom:vip", "Boolean", custom=True),
        AttributeDefinition("custom:badge", mutable=False, custom=True),
    ]
    return UserPool("us-east-1_x", "us-east-1", "arn", "p", 0, 0, schema, **settings)  # type: ignore[arg-type]


def _refusal(call, *args) -> str:
    with pytest.raises(InvalidParameterException) as raised:
        call(*args)
    return raised.value.message


def test_accepted_attributes_come_back_normalised_in_request_order():
    accepted = new_user_attributes(
        _pool(),
        [("email", "a@example.com"), ("custom:vip", "TRUE"), ("custom:age", "42")],
    )
    assert accepted == {"email": "a@example.com", "custom:vip": "true", "custom:age": "42"}
    assert list(accepted) == ["email", "custom:vip", "custom:age"]


def test_every_schema_problem_is_listed_one_per_line():
    message = _refusal(
        new_user_attributes,
        _pool(),
        [("custom:nope", "1"), ("custom:tier", "toolong"), ("custom:age", "x")],
    )
    assert message == (
        "Attributes did not conform to the schema: "
        "custom:nope: Attribute does not exist in the schema.\n"
        "custom:tier: String must be no longer than 5 characters\n"
        "custom:age: Number must be a number\n"
        "email: The attribute is required\n"
    )


@pytest.mark.parametrize(
    ("given", "line"),
    [
        (("custom:tier", ""), "custom:tier: String must be no shorter than 1 characters"),
        (("custom:age", "151"), "custom:age: Number must be no greater than 150"),
        (("custom:age", "-1"), "custom:age: Number must be no less than 0"),
        (("custom:vip", "yes"), "custom:vip: Boolean must be true or false"),
        (("email_verified", "1"), "email_verified: Boolean must be true or false"),
        (("sub", "mine"), "sub: Attribute cannot be updated."),
    ],
)
def test_values_outside_their_constraints_are_refused(given, line):
    message = _refusal(new_user_attributes, _pool(), [("email", "a@example.com"), given])
    assert message == f"Attributes did not conform to the schema: {line}\n"


def test_email_and_phone_number_formats_have_their_own_messages():
    assert _refusal(new_user_attributes, _pool(), [("email", "not-an-email")]) == (
        "Invalid email address format."
    )
    message = _refusal(
        new_user_attributes, _pool(), [("email", "a@example.com"), ("phone_number", "555-1212")]
    )
    assert message == "Invalid phone number format."


def test_a_missing_value_is_refused():
    assert _refusal(new_user_attributes, _pool(), [("email", None)]) == (
        "Attribute value for email must not be null"
    )


def test_a_verification_flag_needs_its_attribute():
    assert (
        _refusal(
            new_user_attributes,
            _pool(),
            [("email", "a@example.com"), ("phone_number_verified", "true")],
        )
        == "Phone Number is required to verify/un-verify a phone number"
    )


def test_changes_split_into_values_to_set_and_names_to_delete():
    current = {"sub": "s", "email": "a@example.com", "name": "A"}
    to_set, to_delete = attribute_changes(_pool(), current, [("name", ""), ("custom:age", "7")])
    assert (to_set, to_delete) == ({"custom:age": "7"}, ["name"])


def test_change_problems_use_user_prefixed_lines():
    message = _refusal(
        attribute_changes,
        _pool(),
        {"email": "a@example.com"},
        [("custom:nope", "1"), ("custom:badge", "x"), ("sub", "y"), ("email", "")],
    )
    assert message == (
        "user.custom:nope: Attribute does not exist in the schema.\n"
        "user.custom:badge: Attribute cannot be updated.\n"
        "user.sub: Attribute cannot be updated.\n"
        "user.email: Required attribute cannot be deleted.\n"
    )


def test_verifying_an_email_the_user_has_is_allowed_without_repeating_it():
    to_set, _ = attribute_changes(_pool(), {"email": "a@example.com"}, [("email_verified", "True")])
    assert to_set == {"email_verified": "true"}


def test_verifying_an_email_the_user_lacks_is_refused():
    assert _refusal(attribute_changes, _pool(), {}, [("email_verified", "true")]) == (
        "Email is required to verify/un-verify an email"
    )


def test_deletions_refuse_unknown_immutable_and_required_attributes():
    message = _refusal(attribute_deletions, _pool(), ["custom:nope", "custom:badge", "email"])
    assert message == (
        "user.custom:nope: Attribute does not exist in the schema.\n"
        "user.custom:badge: Attribute cannot be updated.\n"
        "user.email: Required attribute cannot be deleted.\n"
    )
    assert attribute_deletions(_pool(), ["name", "name", "custom:tier"]) == ["name", "custom:tier"]


def test_sign_in_aliases_of_a_username_attributes_pool_need_no_verification():
    pool = _pool(username_attributes=["email", "phone_number"])
    attributes = {"email": "a@example.com", "phone_number": "+15555550100", "name": "A"}
    assert sign_in_aliases(pool, attributes) == {
        "email": "a@example.com",
        "phone_number": "+15555550100",
    }


def test_sign_in_aliases_of_an_alias_pool_are_verified_contacts_and_preferred_username():
    pool = _pool(alias_attributes=["email", "phone_number", "preferred_username"])
    attributes = {
        "email": "a@example.com",
        "email_verified": "true",
        "phone_number": "+15555550100",
        "phone_number_verified": "false",
        "preferred_username": "ace",
    }
    assert sign_in_aliases(pool, attributes) == {
        "email": "a@example.com",
        "preferred_username": "ace",
    }


def test_a_pool_without_aliases_has_none():
    assert sign_in_aliases(_pool(), {"email": "a@example.com", "email_verified": "true"}) == {}
