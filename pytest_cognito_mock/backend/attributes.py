"""User attributes checked against the pool's schema, and which of them sign a user in.

Creation (AdminCreateUser, SignUp) and change (AdminUpdateUserAttributes,
AdminDeleteUserAttributes) report schema problems differently, as Cognito does: creation
collects every problem under ``Attributes did not conform to the schema:``, one
``<name>: <problem>`` line each; changes use one ``user.<name>: <problem>`` line each. Every line
ends with a newline. Format problems of email and phone number have messages of their own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from . import clock
from .errors import InvalidParameterException, ServiceError
from .models import User, UserPool
from .schema import AttributeDefinition
from .user_data_history import before_user_change

#: Attributes as a request gives them: (name, value); a value of None was sent without a Value.
GivenAttributes = Sequence[tuple[str, "str | None"]]

SCHEMA_ERROR = "Attributes did not conform to the schema: "

# Deliberately permissive: one "@" with something on both sides, no whitespace.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
# E.164: a plus sign and up to fifteen digits.
_PHONE_NUMBER = re.compile(r"\+[0-9]{1,15}")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

#: Standard attributes whose values must have a format: attribute -> (pattern, message).
_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "email": (_EMAIL, "Invalid email address format."),
    "phone_number": (_PHONE_NUMBER, "Invalid phone number format."),
}

#: The attributes that can be verified, and through which codes are delivered.
CONTACT_ATTRIBUTES = ("email", "phone_number")

#: Verification flags -> (the attribute they verify, the refusal when it is missing).
VERIFIED_FLAGS: dict[str, tuple[str, str]] = {
    "email_verified": ("email", "Email is required to verify/un-verify an email"),
    "phone_number_verified": (
        "phone_number",
        "Phone Number is required to verify/un-verify a phone number",
    ),
}


def is_email(value: str) -> bool:
    return _EMAIL.fullmatch(value) is not None


def is_phone_number(value: str) -> bool:
    return _PHONE_NUMBER.fullmatch(value) is not None


def new_user_attributes(
    pool: UserPool, given: GivenAttributes, *, required_attributes_checked: bool = True
) -> dict[str, str]:
    """Attributes of a user being created, checked; returns them as they will be stored.

    ``required_attributes_checked=False`` lets the pool's required attributes be missing (an
    AdminCreateUser whose user supplies them at NEW_PASSWORD_REQUIRED)."""
    values = _present(given)
    problems: list[str] = []
    accepted: dict[str, str] = {}
    for name, value in values:
        definition = pool.attribute(name)
        if definition is None:
            problems.append(f"{name}: Attribute does not exist in the schema.")
        elif name == "sub":
            # Cognito assigns the sub itself; nobody may choose it.
            problems.append(f"{name}: Attribute cannot be updated.")
        else:
            problem = value_problem(definition, value)
            if problem is None:
                accepted[name] = _normalised(definition, value)
            else:
                problems.append(f"{name}: {problem}")
    given_names = {name for name, _ in values}
    for definition in pool.schema if required_attributes_checked else ():
        if definition.required and definition.name != "sub" and definition.name not in given_names:
            problems.append(f"{definition.name}: The attribute is required")
    if problems:
        raise InvalidParameterException(SCHEMA_ERROR + _lines(problems))
    _check_formats(accepted)
    _check_verified_flags(accepted, accepted)
    return accepted


def attribute_changes(
    pool: UserPool, current: Mapping[str, str], given: GivenAttributes
) -> tuple[dict[str, str], list[str]]:
    """An update's attributes, checked: (values to set, names to delete).

    A blank value deletes the attribute, which a required attribute refuses.
    """
    values = _present(given)
    problems: list[str] = []
    to_set: dict[str, str] = {}
    to_delete: list[str] = []
    for name, value in values:
        definition = pool.attribute(name)
        problem = _change_problem(definition)
        if problem is None and definition is not None:
            if value == "":
                if definition.required:
                    problem = "Required attribute cannot be deleted."
                else:
                    to_delete.append(name)
            else:
                problem = value_problem(definition, value)
                if problem is None:
                    to_set[name] = _normalised(definition, value)
        if problem is not None:
            problems.append(f"user.{name}: {problem}")
    if problems:
        raise InvalidParameterException(_lines(problems))
    _check_formats(to_set)
    after = {k: v for k, v in {**current, **to_set}.items() if k not in to_delete}
    _check_verified_flags(to_set, after)
    return to_set, to_delete


def attribute_deletions(pool: UserPool, names: Sequence[str]) -> list[str]:
    """AdminDeleteUserAttributes' names, checked: unknown, immutable and required ones refuse."""
    problems: list[str] = []
    for name in names:
        definition = pool.attribute(name)
        problem = _change_problem(definition)
        if problem is None and definition is not None and definition.required:
            problem = "Required attribute cannot be deleted."
        if problem is not None:
            problems.append(f"user.{name}: {problem}")
    if problems:
        raise InvalidParameterException(_lines(problems))
    return list(dict.fromkeys(names))


def has_sign_in_aliases(pool: UserPool) -> bool:
    """Whether anything but the username signs users in (fixed when the pool is created)."""
    return bool(pool.username_attributes or pool.alias_attributes)


def sign_in_aliases(pool: UserPool, attributes: Mapping[str, str]) -> dict[str, str]:
    """The attributes that sign this user in besides the username: attribute -> value.

    In a UsernameAttributes pool the email/phone number is the sign-in name whether verified or
    not. In an AliasAttributes pool an email or phone number becomes an alias only once
    verified; a preferred_username always is one.
    """
    if pool.username_attributes:
        return {a: attributes[a] for a in pool.username_attributes if attributes.get(a)}
    aliases: dict[str, str] = {}
    for attribute in pool.alias_attributes or ():
        value = attributes.get(attribute)
        if value and (
            attribute == "preferred_username" or attributes.get(f"{attribute}_verified") == "true"
        ):
            aliases[attribute] = value
    return aliases


#: A check of one value: what is wrong with it, or None.
ValueCheck = Callable[[str], "str | None"]


def value_problem(definition: AttributeDefinition, value: str) -> str | None:
    """What is wrong with ``value`` for ``definition`` (its type and constraints), or None."""
    return value_check(definition)(value)


def value_check(definition: AttributeDefinition) -> ValueCheck:
    """:func:`value_problem` for one attribute, its constraints read once: an import checks
    the same column of up to 500,000 rows."""
    if definition.data_type == "String":
        return _string_check(definition)
    if definition.data_type == "Number":
        return _number_check(definition)
    if definition.data_type == "Boolean":
        return boolean_problem
    return _no_problem


def _string_check(definition: AttributeDefinition) -> ValueCheck:
    low, high = _decimal(definition.string_min), _decimal(definition.string_max)
    # Lengths are whole numbers: compare them with whole bounds rather than Decimals.
    shortest = math.ceil(low) if low is not None else 0
    longest = math.floor(high) if high is not None else math.inf
    too_long = f"String must be no longer than {definition.string_max} characters"
    too_short = f"String must be no shorter than {definition.string_min} characters"

    def string_problem(value: str) -> str | None:
        if len(value) > longest:
            return too_long
        if len(value) < shortest:
            return too_short
        return None

    return string_problem


def _number_check(definition: AttributeDefinition) -> ValueCheck:
    low, high = _decimal(definition.number_min), _decimal(definition.number_max)

    def number_problem(value: str) -> str | None:
        if _NUMBER.fullmatch(value) is None:
            return "Number must be a number"
        number = Decimal(value)
        if low is not None and number < low:
            return f"Number must be no less than {definition.number_min}"
        if high is not None and number > high:
            return f"Number must be no greater than {definition.number_max}"
        return None

    return number_problem


def boolean_problem(value: str) -> str | None:
    return None if value.lower() in ("true", "false") else "Boolean must be true or false"


def _no_problem(value: str) -> str | None:
    return None


def _change_problem(definition: AttributeDefinition | None) -> str | None:
    if definition is None:
        return "Attribute does not exist in the schema."
    if not definition.mutable:
        # Immutable attributes (sub, and those created with Mutable false) are written once, at
        # creation, or never.
        return "Attribute cannot be updated."
    return None


def _normalised(definition: AttributeDefinition, value: str) -> str:
    return value.lower() if definition.data_type == "Boolean" else value


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _present(given: GivenAttributes) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = []
    for name, value in given:
        if value is None:
            raise InvalidParameterException(f"Attribute value for {name} must not be null")
        values.append((name, value))
    return values


def _check_formats(values: Mapping[str, str]) -> None:
    for name, (pattern, message) in _FORMATS.items():
        value = values.get(name)
        if value is not None and pattern.fullmatch(value) is None:
            raise InvalidParameterException(message)


def _check_verified_flags(given: Mapping[str, str], after: Mapping[str, str]) -> None:
    # A verification flag needs the attribute it vouches for.
    for flag, (attribute, message) in VERIFIED_FLAGS.items():
        if flag in given and not after.get(attribute):
            raise InvalidParameterException(message)


def _lines(problems: Sequence[str]) -> str:
    return "".join(f"{problem}\n" for problem in problems)


# -- sign-in aliases and the index behind them -------------------------------------------------


def claim_aliases(
    pool: UserPool,
    attributes: Mapping[str, str],
    owner_key: str | None,
    *,
    force: bool,
    error: type[ServiceError],
) -> list[tuple[User, str]]:
    """Check the sign-in aliases ``attributes`` would give the user ``owner_key`` (None: new).

    Returns the (holder, attribute) pairs to take over with :func:`take_over_aliases`; raises
    ``error`` for a taken alias that cannot move: any of a UsernameAttributes pool, a
    preferred_username, or any at all without ``force``.
    """
    takeovers: list[tuple[User, str]] = []
    for attribute, value in sign_in_aliases(pool, attributes).items():
        holder = pool.aliases.get((attribute, pool.user_key(value)))
        if holder is None or holder == owner_key:
            continue
        if force and pool.alias_attributes and attribute in CONTACT_ATTRIBUTES:
            takeovers.append((pool.users[holder], attribute))
            continue
        raise error(f"An account with the given {attribute} already exists.")
    return takeovers


def take_over_aliases(pool: UserPool, takeovers: Sequence[tuple[User, str]]) -> None:
    """Move verified email/phone aliases away from their holders.

    The previous holder keeps the value, unverified, and so no longer signs in with it.
    """
    for holder, attribute in takeovers:
        after = dict(holder.attributes)
        after[f"{attribute}_verified"] = "false"
        replace_attributes(pool, holder, after)


def replace_attributes(pool: UserPool, user: User, attributes: dict[str, str]) -> None:
    """Give ``user`` these attributes, keeping the pool's alias index in step."""
    before_user_change(pool, user)
    unindex_aliases(pool, user)
    user.attributes = attributes
    for attribute in list(user.verification_codes):
        if attribute not in attributes:
            del user.verification_codes[attribute]
    user.modified = clock.now()
    index_aliases(pool, user)


def index_aliases(pool: UserPool, user: User) -> None:
    if not has_sign_in_aliases(pool):
        return  # the usual pool: nothing to index
    key = pool.user_key(user.username)
    for attribute, value in sign_in_aliases(pool, user.attributes).items():
        pool.aliases[(attribute, pool.user_key(value))] = key


def unindex_aliases(pool: UserPool, user: User) -> None:
    key = pool.user_key(user.username)
    for attribute, value in sign_in_aliases(pool, user.attributes).items():
        alias = (attribute, pool.user_key(value))
        if pool.aliases.get(alias) == key:
            del pool.aliases[alias]
