"""One data row of a user import CSV file: how it splits, what it must satisfy, the user it makes.

A row is judged against the pool as it is *now* (earlier rows of the same file included), so a
username or alias repeated later in the file meets the user an earlier row created. The checks
run in a fixed order and the first refusal decides the row's outcome; nothing is written to the
pool until every check has passed. Messages name columns, never values: the import log holds
no user data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .attributes import (
    ValueCheck,
    boolean_problem,
    has_sign_in_aliases,
    is_email,
    is_phone_number,
    sign_in_aliases,
    value_check,
)
from .models import UserPool
from .users import ALIAS_LOOKALIKES, SIGN_IN_FORMATS, add_user

USERNAME_COLUMN = "cognito:username"
MFA_COLUMN = "cognito:mfa_enabled"
#: Columns that drive the import rather than becoming user attributes.
CONTROL_COLUMNS = frozenset({USERNAME_COLUMN, MFA_COLUMN})

MAX_ROW_CHARACTERS = 16_000
#: The longest username any Cognito operation accepts (the model's UsernameType).
MAX_USERNAME_CHARACTERS = 128

SUCCEEDED = "SUCCEEDED"
SKIPPED = "SKIPPED"
FAILED = "FAILED"

# Messages AWS documents.
IMPORTED = "The import succeeded."
USER_EXISTS = "The user already exists."
NO_AUTO_VERIFIED = (
    "The User Record does not set any of the auto verified attributes to true. "
    "(Example: email_verified to true)."
)
# Messages of our own, where AWS publishes none (listed in docs/fidelity.md).
ROW_TOO_LONG = "The row is longer than 16,000 characters."
ROW_EMPTY = "The row is empty."
NO_USERNAME = "The User Record does not set cognito:username."
USERNAME_WHITESPACE = "The User Record's cognito:username must not contain spaces or tabs."
USERNAME_TOO_LONG = "The User Record's cognito:username must be no longer than 128 characters."
USERNAME_NOT_SIGN_IN = "Username should be either an email or a phone number."
SCHEMA_MISMATCH = "The User Record does not conform to the schema: "
REQUIRED_MISSING = "The User Record does not set the required attribute(s): "
MFA_REFUSED: dict[str, tuple[str, str]] = {
    # pool MFA configuration -> (the refused flag value, why)
    "ON": (
        "false",
        "The User Record sets cognito:mfa_enabled to false, but MFA is required in this user pool.",
    ),
    "OFF": (
        "true",
        "The User Record sets cognito:mfa_enabled to true, but MFA is off in this user pool.",
    ),
}
#: Verification flags -> (the attribute they vouch for, the refusal when it is blank).
VERIFIED_NEEDS_VALUE: dict[str, tuple[str, str]] = {
    "email_verified": ("email", "The User Record sets email_verified to true but has no email."),
    "phone_number_verified": (
        "phone_number",
        "The User Record sets phone_number_verified to true but has no phone_number.",
    ),
}


def value_count_mismatch(values: int, columns: int) -> str:
    return (
        f"The number of values in the row ({values}) does not match the number of columns "
        f"in the header ({columns})."
    )


def sign_in_name_mismatch(attribute: str) -> str:
    return f"The User Record's {attribute} must equal its cognito:username in this user pool."


def alias_taken(attribute: str) -> str:
    # The words AliasExistsException uses for the same collision.
    return f"An account with the given {attribute} already exists."


# -- splitting ---------------------------------------------------------------------------------

#: A separator is a comma with no backslash before it; ``\,`` is a comma inside a value.
_SEPARATOR = re.compile(r"(?<!\\),")
#: What str.strip() removes: a line without any needs no trimming.
_WHITESPACE = re.compile(r"\s")


def split_row(line: str) -> list[str]:
    """The trimmed values of one line.

    Only ``\\,`` is an escape (it becomes ``,``); every other backslash, ``\\\\`` included, is
    kept as written, and quotes are ordinary characters.
    """
    if "\\" not in line:
        values = line.split(",")
        if _WHITESPACE.search(line):  # trim only when there is something to trim
            return [value.strip() for value in values]
        return values
    return [value.replace("\\,", ",").strip() for value in _SEPARATOR.split(line)]


def format_row(values: Sequence[str], columns: Sequence[str], row_number: int) -> str:
    """The line :func:`split_row` reads back as ``values``: commas escaped as ``\\,``.

    A value ending in a backslash cannot be written (its last backslash and the separator
    after it would read as an escaped comma, merging two columns), nor can a line break (it
    would end the row): both are refused with ValueError naming the row and the column.
    """
    cells = []
    for value, column in zip(values, columns, strict=True):
        if value.endswith("\\") or "\n" in value or "\r" in value:
            problem = "ends in a backslash" if value.endswith("\\") else "holds a line break"
            raise ValueError(
                f"row {row_number}, column {column!r}: the value {value!r} {problem}, which "
                "Cognito's CSV format cannot carry (only a comma can be escaped, as \\,)"
            )
        cells.append(value.replace(",", "\\,"))
    return ",".join(cells)


# -- per-column checks -------------------------------------------------------------------------

_BIRTHDATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_EPOCH_SECONDS = re.compile(r"[0-9]+")


def _email_problem(value: str) -> str | None:
    return None if is_email(value) else "Invalid email address format"


def _phone_number_problem(value: str) -> str | None:
    return None if is_phone_number(value) else "Invalid phone number format"


def _birthdate_problem(value: str) -> str | None:
    match = _BIRTHDATE.fullmatch(value)
    if match is not None:
        month, day, year = (int(part) for part in match.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            pass
        else:
            return None
    return "Date must be a real date in the format mm/dd/yyyy"


def _epoch_seconds_problem(value: str) -> str | None:
    if _EPOCH_SECONDS.fullmatch(value) is None:
        return "Number must be epoch time in whole seconds"
    return None


def _unknown_attribute(value: str) -> str | None:
    return "Attribute does not exist in the schema"


#: Format rules of the import file, checked before the schema's type and length rules.
_FORMAT_CHECKS: dict[str, ValueCheck] = {
    "email": _email_problem,
    "phone_number": _phone_number_problem,
    "birthdate": _birthdate_problem,
    "updated_at": _epoch_seconds_problem,
}
#: Flags stored for every imported user, "false" when the column is blank.
_ALWAYS_STORED: dict[str, str] = {"email_verified": "false", "phone_number_verified": "false"}


@dataclass(frozen=True)
class _Column:
    name: str
    index: int
    check: ValueCheck  # the file's format rule, if any, then the schema's
    lowercase: bool  # booleans are stored lowercase
    default: str | None  # stored when the value is blank


def _column(pool: UserPool, name: str, index: int) -> _Column:
    definition = pool.attribute(name)
    if definition is None or definition.name == "sub":
        return _Column(name, index, _unknown_attribute, False, None)
    check = value_check(definition)
    format_check = _FORMAT_CHECKS.get(name)
    if format_check is not None:
        check = _first_problem(format_check, check)
    lowercase = definition.data_type == "Boolean"
    return _Column(name, index, check, lowercase, _ALWAYS_STORED.get(name))


def _first_problem(first: ValueCheck, then: ValueCheck) -> ValueCheck:
    def check(value: str) -> str | None:
        return first(value) or then(value)

    return check


def _settings(pool: UserPool) -> tuple[object, ...]:
    """What a plan reads from the pool besides the file: a plan is rebuilt when it changes
    (AddCustomAttributes, UpdateUserPool between two steps of a rate-limited import)."""
    return (len(pool.schema), tuple(pool.auto_verified_attributes or ()), pool.mfa_configuration)


class RowPlan:
    """A file's columns mapped onto one pool's schema and settings: built once, used for every
    row while the pool stays as it was."""

    def __init__(self, pool: UserPool, order: Sequence[str], positions: Mapping[str, int]) -> None:
        self.pool = pool
        self.settings = _settings(pool)
        self.width = len(positions)
        self.username = positions.get(USERNAME_COLUMN)
        self.mfa = positions.get(MFA_COLUMN)
        self.columns = [
            _column(pool, name, positions[name])
            for name in order
            if name in positions and name not in CONTROL_COLUMNS
        ]
        self.by_name = {column.name: column for column in self.columns}
        self.required = [d.name for d in pool.schema if d.required and d.name != "sub"]
        #: A row must set one of these to "true" (email_verified for email, ...).
        self.verified_flags = [f"{name}_verified" for name in pool.auto_verified_attributes or ()]
        #: (the cognito:mfa_enabled value refused, why), when the pool's MFA refuses one.
        self.mfa_refused = MFA_REFUSED.get(pool.mfa_configuration)
        self.has_aliases = has_sign_in_aliases(pool)

    def fits(self, pool: UserPool) -> bool:
        """Whether this plan still describes ``pool``."""
        return self.pool is pool and self.settings == _settings(pool)


# -- judging a row -----------------------------------------------------------------------------


class _Refused(Exception):
    """A row that will not become a user: its outcome status and message."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def apply_row(pool: UserPool, plan: RowPlan, line: str) -> tuple[str, str]:
    """Judge one line (without its line break) and, if it passes, add its user to ``pool``.

    Returns the outcome (status, message). Nothing changes in the pool unless it is SUCCEEDED.
    """
    try:
        values = _values(plan, line)
        username = values[plan.username] if plan.username is not None else ""
        internal, implied = _sign_in_name(pool, username)
        if _exists(pool, internal, implied):
            return SKIPPED, USER_EXISTS
        if implied is not None:
            _fill_sign_in_attribute(plan, values, implied)
        attributes = _attributes(plan, values)
        _check_verification(plan, attributes)
        if plan.required:
            _check_required(plan, attributes)
        if plan.mfa is not None and values[plan.mfa]:
            _check_mfa(plan, values[plan.mfa])
        if plan.has_aliases:
            _check_aliases(pool, attributes)
    except _Refused as refused:
        return refused.status, refused.message
    # Stored and indexed as AdminCreateUser stores its users; no password until a reset.
    add_user(pool, internal, attributes, "RESET_REQUIRED", None)
    return SUCCEEDED, IMPORTED


def _values(plan: RowPlan, line: str) -> list[str]:
    if len(line) > MAX_ROW_CHARACTERS:
        raise _Refused(FAILED, ROW_TOO_LONG)
    values = split_row(line)
    if len(values) != plan.width:
        if not line.strip():
            raise _Refused(FAILED, ROW_EMPTY)
        raise _Refused(FAILED, value_count_mismatch(len(values), plan.width))
    return values


def _sign_in_name(pool: UserPool, username: str) -> tuple[str | None, tuple[str, str] | None]:
    """(internal username or None for "the sub", the (attribute, value) the username sets)."""
    if not username:
        raise _Refused(FAILED, NO_USERNAME)
    if " " in username or "\t" in username:
        raise _Refused(FAILED, USERNAME_WHITESPACE)
    if len(username) > MAX_USERNAME_CHARACTERS:
        raise _Refused(FAILED, USERNAME_TOO_LONG)
    if pool.username_attributes:
        # As in AdminCreateUser: the email/phone number is the sign-in name and the internal
        # username is the new user's sub.
        for attribute in pool.username_attributes:
            if SIGN_IN_FORMATS[attribute](username):
                return None, (attribute, username)
        raise _Refused(FAILED, USERNAME_NOT_SIGN_IN)
    for attribute in pool.alias_attributes or ():
        lookalike = ALIAS_LOOKALIKES.get(attribute)
        if lookalike is not None and lookalike[0](username):
            raise _Refused(FAILED, lookalike[1])
    return username, None


def _exists(pool: UserPool, internal: str | None, implied: tuple[str, str] | None) -> bool:
    if internal is not None:
        return pool.user_key(internal) in pool.users
    assert implied is not None
    attribute, value = implied
    return (attribute, pool.user_key(value)) in pool.aliases


def _fill_sign_in_attribute(plan: RowPlan, values: list[str], implied: tuple[str, str]) -> None:
    # The sign-in attribute's column may repeat the username or be blank (then it is filled in).
    attribute, value = implied
    column = plan.by_name.get(attribute)
    if column is None:
        return
    given = values[column.index]
    if given and given != value:
        raise _Refused(FAILED, sign_in_name_mismatch(attribute))
    values[column.index] = value


def _attributes(plan: RowPlan, values: Sequence[str]) -> dict[str, str]:
    """The attributes the row stores, in header order, or a refusal listing every problem."""
    stored: dict[str, str] = {}
    problems: list[str] = []
    for column in plan.columns:
        value = values[column.index]
        if not value:
            if column.default is not None:
                stored[column.name] = column.default
            continue
        problem = column.check(value)
        if problem is None:
            stored[column.name] = value.lower() if column.lowercase else value
        else:
            problems.append(f"{column.name}: {problem}")
    mfa = values[plan.mfa] if plan.mfa is not None else ""
    if mfa and boolean_problem(mfa) is not None:
        problems.append(f"{MFA_COLUMN}: Boolean must be true or false")
    if problems:
        raise _Refused(FAILED, SCHEMA_MISMATCH + "; ".join(problems) + ".")
    return stored


def _check_verification(plan: RowPlan, attributes: Mapping[str, str]) -> None:
    for flag in plan.verified_flags:
        if attributes.get(flag) == "true":
            break
    else:
        raise _Refused(FAILED, NO_AUTO_VERIFIED)
    for flag, (attribute, message) in VERIFIED_NEEDS_VALUE.items():
        if attributes.get(flag) == "true" and not attributes.get(attribute):
            raise _Refused(FAILED, message)


def _check_required(plan: RowPlan, attributes: Mapping[str, str]) -> None:
    missing = [name for name in plan.required if not attributes.get(name)]
    if missing:
        raise _Refused(FAILED, REQUIRED_MISSING + ", ".join(missing) + ".")


def _check_mfa(plan: RowPlan, flag: str) -> None:
    refused = plan.mfa_refused
    if refused is not None and flag.lower() == refused[0]:
        raise _Refused(FAILED, refused[1])


def _check_aliases(pool: UserPool, attributes: Mapping[str, str]) -> None:
    for attribute, value in sign_in_aliases(pool, attributes).items():
        if (attribute, pool.user_key(value)) in pool.aliases:
            raise _Refused(FAILED, alias_taken(attribute))
