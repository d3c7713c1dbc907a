"""Users of a pool: creation, lookup, attributes, passwords, confirmation."""

from __future__ import annotations

from .errors import UserNotFoundException
from .models import User, UserPool


def find_user(pool: UserPool, name: str) -> User | None:
    """The user a request names: by username, by sign-in alias, or by ``sub``."""
    key = pool.users.get(pool.user_key(name))
    if key is not None:
        return key
    by_sub = pool.users_by_sub.get(name)
    return pool.users.get(by_sub) if by_sub is not None else None


def get_user(pool: UserPool, name: str) -> User:
    """Like :func:`find_user`, raising AWS's ``UserNotFoundException`` when there is none."""
    user = find_user(pool, name)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    return user
