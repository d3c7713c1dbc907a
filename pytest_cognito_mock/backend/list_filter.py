"""ListUsers: the ``Filter`` expression, the users it selects, and ``AttributesToGet``.

The documented syntax is ``AttributeName Filter-Type "AttributeValue"``: one attribute, ``=``
for an exact match or ``^=`` for a prefix, the value in double quotes with ``\\"`` and ``\\\\``
escapes. An empty filter lists everyone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from .errors import InvalidParameterException
from .models import User, UserPool

PARSE_ERROR = "Error while parsing filter."
#: What an AttributesToGet naming an attribute some listed user lacks (or nobody has) gets.
MISSING_ATTRIBUTES = "One or more requested attributes do not exist."

_FILTER = re.compile(r'\s*([^\s=^"]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _status(user: User) -> str:
    return user.status


def _enabled(user: User) -> str:
    return "Enabled" if user.enabled else "Disabled"


def _username(user: User) -> str:
    return user.username


#: Searchable attributes that are not user attributes: name -> how to read them.
_INHERENT: dict[str, Callable[[User], str]] = {
    "username": _username,
    "cognito:user_status": _status,
    "status": _enabled,
}
#: The standard attributes the documentation lists as searchable. Custom ones are not.
_SEARCHABLE_ATTRIBUTES = frozenset(
    {"email", "phone_number", "name", "given_name", "family_name", "preferred_username", "sub"}
)
SEARCHABLE = frozenset(_INHERENT) | _SEARCHABLE_ATTRIBUTES
#: Always compared without regard to case (the documentation says so).
_CASE_INSENSITIVE = frozenset({"cognito:user_status"})
#: Compared without regard to case in pools whose sign-in names are case insensitive.
_SIGN_IN_NAMES = frozenset({"username", "email", "preferred_username"})


def _by_username(pool: UserPool, value: str) -> User | None:
    return pool.users.get(pool.user_key(value))


def _by_sub(pool: UserPool, value: str) -> User | None:
    key = pool.users_by_sub.get(value)
    return pool.users.get(key) if key is not None else None


#: Exact-match filters answered from the pool's indexes.
_INDEXED: dict[str, Callable[[UserPool, str], User | None]] = {
    "username": _by_username,
    "sub": _by_sub,
}


@dataclass(frozen=True)
class UserFilter:
    attribute: str
    #: True for ``^=`` (starts with), False for ``=`` (equals).
    prefix: bool
    value: str


def parse_filter(text: str | None) -> UserFilter | None:
    """The filter ``text`` expresses, or None for no filter (None, empty or blank)."""
    if text is None or not text.strip():
        return None
    match = _FILTER.fullmatch(text)
    if match is None:
        raise InvalidParameterException(PARSE_ERROR)
    attribute, operator, quoted = match.groups()
    if attribute not in SEARCHABLE:
        raise InvalidParameterException(f"Invalid search attribute: {attribute}")
    return UserFilter(attribute, operator == "^=", _ESCAPE.sub(r"\1", quoted))


def matching_users(pool: UserPool, user_filter: UserFilter | None) -> Collection[User]:
    """The users ``user_filter`` selects, in the pool's listing order (creation order).

    Without a filter, a live view of the pool's users: read it before the pool changes.
    """
    if user_filter is None:
        return pool.users.values()
    if not user_filter.prefix and user_filter.attribute in _INDEXED:
        # The common "find this one user" filters are dictionary lookups, not scans.
        found = _INDEXED[user_filter.attribute](pool, user_filter.value)
        return [found] if found is not None else []
    fold = user_filter.attribute in _CASE_INSENSITIVE or (
        pool.case_sensitive is False and user_filter.attribute in _SIGN_IN_NAMES
    )
    wanted = user_filter.value.lower() if fold else user_filter.value
    read = _INHERENT.get(user_filter.attribute)
    selected = []
    for user in pool.users.values():
        value = read(user) if read is not None else user.attributes.get(user_filter.attribute)
        if value is None:
            continue
        if fold:
            value = value.lower()
        if value.startswith(wanted) if user_filter.prefix else value == wanted:
            selected.append(user)
    return selected


def selected_attributes(
    pool: UserPool, users: Sequence[User], names: Sequence[str] | None
) -> list[dict[str, str]]:
    """Each user's attributes as AttributesToGet narrows them (all when ``names`` is None).

    As documented, a requested attribute must be set on every listed user, not merely exist in
    the schema.
    """
    if names is None:
        return [dict(user.attributes) for user in users]
    if any(pool.attribute(name) is None for name in names):
        raise InvalidParameterException(MISSING_ATTRIBUTES)
    selected = []
    for user in users:
        if any(name not in user.attributes for name in names):
            raise InvalidParameterException(MISSING_ATTRIBUTES)
        selected.append({name: user.attributes[name] for name in user.attributes if name in names})
    return selected
