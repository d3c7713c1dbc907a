from __future__ import annotations

import pytest

from pytest_cognito_mock.backend.errors import InvalidPasswordException
from pytest_cognito_mock.backend.models import PasswordPolicy
from pytest_cognito_mock.backend.passwords import (
    SET_PASSWORD_PREFIX,
    SIGN_UP_PREFIX,
    check_password,
    has_symbol,
    policy_violation,
)

STRICT = PasswordPolicy()  # AWS's default: 8 characters and all four classes


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!", "Password not long enough"),
        ("abcdefg1!", "Password must have uppercase characters"),
        ("ABCDEFG1!", "Password must have lowercase characters"),
        ("Abcdefgh!", "Password must have numeric characters"),
        ("Abcdefg12", "Password must have symbol characters"),
    ],
)
def test_each_rule_of_the_default_policy_names_its_reason(password, reason):
    assert policy_violation(STRICT, password) == reason


def test_length_is_reported_before_character_classes():
    assert policy_violation(STRICT, "abc") == "Password not long enough"


def test_a_password_meeting_every_rule_passes():
    assert policy_violation(STRICT, "Passw0rd!") is None


def test_rules_switched_off_are_not_checked():
    lax = PasswordPolicy(
        minimum_length=6,
        require_uppercase=False,
        require_lowercase=False,
        require_numbers=False,
        require_symbols=False,
    )
    assert policy_violation(lax, "aaaaaa") is None
    assert policy_violation(lax, "aaaaa") == "Password not long enough"


@pytest.mark.parametrize("symbol", list("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-"))
def test_every_documented_special_character_counts_as_a_symbol(symbol):
    assert has_symbol(f"Abc1{symbol}def")


def test_a_space_counts_as_a_symbol_only_inside_the_password():
    assert has_symbol("Abc1 def")
    assert not has_symbol(" Abc1def")
    assert not has_symbol("Abc1def ")


def test_letters_outside_ascii_do_not_satisfy_the_letter_rules():
    assert policy_violation(STRICT, "ÄBCDEFG1!") == "Password must have lowercase characters"


def test_check_password_raises_with_the_operation_s_prefix():
    with pytest.raises(InvalidPasswordException) as raised:
        check_password(STRICT, "short", SIGN_UP_PREFIX)
    assert raised.value.message == "Password did not conform with policy: Password not long enough"
    with pytest.raises(InvalidPasswordException) as raised:
        check_password(STRICT, "alllowercase1!", SET_PASSWORD_PREFIX)
    assert raised.value.message == (
        "Password does not conform to policy: Password must have uppercase characters"
    )


def test_check_password_returns_quietly_for_a_good_password():
    check_password(STRICT, "Passw0rd!", SIGN_UP_PREFIX)
