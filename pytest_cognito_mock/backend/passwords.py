"""Password policy checks.

Cognito answers a password that breaks the pool's policy with ``InvalidPasswordException`` naming
the first rule it breaks. The sentence in front of the reason differs between operations (each
prefix below is the one seen in real responses of that operation), so callers pass it in.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import InvalidPasswordException
from .models import PasswordPolicy

#: SignUp.
SIGN_UP_PREFIX = "Password did not conform with policy: "
#: AdminCreateUser (a TemporaryPassword).
ADMIN_CREATE_USER_PREFIX = "Password did not conform with password policy: "
#: AdminSetUserPassword, and the password-changing operations (ChangePassword, the
#: NEW_PASSWORD_REQUIRED challenge, ConfirmForgotPassword).
SET_PASSWORD_PREFIX = "Password does not conform to policy: "

#: The special characters that satisfy RequireSymbols, as the Cognito developer guide lists them.
SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")


def has_symbol(password: str) -> bool:
    # The guide also counts a space as a special character, but only when it is neither the
    # first nor the last character of the password.
    return any(c in SYMBOLS for c in password) or " " in password[1:-1]


def _has_upper(password: str) -> bool:
    return any("A" <= c <= "Z" for c in password)


def _has_lower(password: str) -> bool:
    return any("a" <= c <= "z" for c in password)


def _has_digit(password: str) -> bool:
    return any("0" <= c <= "9" for c in password)


#: A character-class rule: (is it on in this policy, does the password satisfy it, reason).
_Rule = tuple[Callable[[PasswordPolicy], bool], Callable[[str], bool], str]
#: The character-class rules, in the order they are checked.
_CHARACTER_RULES: tuple[_Rule, ...] = (
    (lambda p: p.require_uppercase, _has_upper, "Password must have uppercase characters"),
    (lambda p: p.require_lowercase, _has_lower, "Password must have lowercase characters"),
    (lambda p: p.require_numbers, _has_digit, "Password must have numeric characters"),
    (lambda p: p.require_symbols, has_symbol, "Password must have symbol characters"),
)


def policy_violation(policy: PasswordPolicy, password: str) -> str | None:
    """The reason ``password`` breaks ``policy`` (the first rule broken), or None."""
    if len(password) < policy.minimum_length:
        return "Password not long enough"
    for enabled, satisfied, reason in _CHARACTER_RULES:
        if enabled(policy) and not satisfied(password):
            return reason
    return None


def check_password(policy: PasswordPolicy, password: str, prefix: str) -> None:
    """Raise ``InvalidPasswordException(prefix + reason)`` when ``password`` breaks ``policy``."""
    reason = policy_violation(policy, password)
    if reason is not None:
        raise InvalidPasswordException(prefix + reason)
