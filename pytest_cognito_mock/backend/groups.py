"""User pool groups: create, read, update, delete, membership, and the order tokens list them in.

A group is stored in ``pool.groups`` under :func:`group_key` of its name and keeps the name as
it was created. Membership is recorded on both sides (``Group.members`` holds user keys,
``User.groups`` holds group names) so either direction is a lookup, never a scan.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import clock
from .errors import (
    GroupExistsException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from .models import Group, User, UserPool
from .user_data_history import before_group_change, before_user_change
from .users import get_user

#: AWS's quota on groups per user pool (not adjustable).
MAX_GROUPS_PER_POOL = 10_000
#: The documented ceiling of Precedence (a Java int on AWS's side; the model only states min 0).
MAX_PRECEDENCE = 2**31 - 1

GROUP_NOT_FOUND = "Group not found."


def group_key(name: str) -> str:
    """The dictionary key of a group name.

    Creating ``Admins`` beside an existing ``ADMINS`` fails on AWS with GroupExistsException, so
    names are compared without regard to case; lookups follow the same key.
    """
    return name.lower()


def create_group(
    pool: UserPool,
    name: str,
    *,
    description: str | None = None,
    role_arn: str | None = None,
    precedence: int | None = None,
) -> Group:
    """CreateGroup: a new group, refused when the name is taken or the pool is full."""
    _check_precedence(precedence)
    key = group_key(name)
    if key in pool.groups:
        raise GroupExistsException("A group with the name already exists.")
    if len(pool.groups) >= MAX_GROUPS_PER_POOL:
        raise LimitExceededException(
            f"The user pool already has the maximum number of groups ({MAX_GROUPS_PER_POOL})."
        )
    now = clock.now()
    group = Group(
        name=name,
        user_pool_id=pool.id,
        created=now,
        modified=now,
        description=description,
        role_arn=role_arn,
        precedence=precedence,
    )
    pool.groups[key] = group
    return group


def get_group(pool: UserPool, name: str) -> Group:
    """The group ``name``, or AWS's ``ResourceNotFoundException``."""
    group = pool.groups.get(group_key(name))
    if group is None:
        raise ResourceNotFoundException(GROUP_NOT_FOUND)
    return group


def list_groups(pool: UserPool) -> list[Group]:
    """Every group of the pool, by name (the order pages are cut in)."""
    return sorted(pool.groups.values(), key=_name_order)


def update_group(
    pool: UserPool,
    name: str,
    *,
    description: str | None = None,
    role_arn: str | None = None,
    precedence: int | None = None,
) -> Group:
    """UpdateGroup: only the properties given change (``None`` means "not in the request").

    Unlike UpdateUserPool and UpdateUserPoolClient, an omitted property keeps its value: AWS's own
    example updates Description and Precedence and gets the group's RoleArn back unchanged.
    """
    _check_precedence(precedence)
    group = get_group(pool, name)
    before_group_change(pool, group)
    if description is not None:
        group.description = description
    if role_arn is not None:
        group.role_arn = role_arn
    if precedence is not None:
        group.precedence = precedence
    group.modified = clock.now()
    return group


def delete_group(pool: UserPool, name: str) -> None:
    """DeleteGroup: the group goes, and with it every membership in it."""
    group = get_group(pool, name)
    before_group_change(pool, group)
    for user in _members(pool, group):
        before_user_change(pool, user)  # a membership is the user's data
        user.groups -= {group.name}
    del pool.groups[group_key(group.name)]


def add_user_to_group(pool: UserPool, group_name: str, username: str) -> None:
    """AdminAddUserToGroup; adding a member again changes nothing and is not an error."""
    group = get_group(pool, group_name)
    user = get_user(pool, username)
    before_user_change(pool, user)
    group.members.add(pool.user_key(user.username))
    user.groups |= {group.name}


def remove_user_from_group(pool: UserPool, group_name: str, username: str) -> None:
    """AdminRemoveUserFromGroup; removing a user who is not a member is not an error."""
    group = get_group(pool, group_name)
    user = get_user(pool, username)
    before_user_change(pool, user)
    group.members.discard(pool.user_key(user.username))
    user.groups -= {group.name}


def groups_of_user(pool: UserPool, username: str) -> list[Group]:
    """AdminListGroupsForUser: the user's groups, in the order of their ``cognito:groups``."""
    return _token_order(_groups_named(pool, get_user(pool, username).groups))


def users_in_group(pool: UserPool, group_name: str) -> list[User]:
    """ListUsersInGroup: the members, by user key."""
    group = get_group(pool, group_name)
    return sorted(_members(pool, group), key=lambda user: pool.user_key(user.username))


def groups_for_token(pool: UserPool, user: User) -> list[str]:
    """The ``cognito:groups`` claim of ``user``: names by precedence, lowest first.

    Groups without a precedence come after every group that has one; ties go by name.
    """
    return [group.name for group in _token_order(_groups_named(pool, user.groups))]


def forget_user(pool: UserPool, user: User) -> None:
    """Drop every membership of ``user`` (for the deletion of the user)."""
    key = pool.user_key(user.username)
    before_user_change(pool, user)
    for group in _groups_named(pool, user.groups):
        group.members.discard(key)
    user.groups = frozenset()


def _check_precedence(precedence: int | None) -> None:
    if precedence is not None and precedence > MAX_PRECEDENCE:
        raise InvalidParameterException(
            f"1 validation error detected: Value '{precedence}' at 'precedence' failed to "
            f"satisfy constraint: Member must have value less than or equal to {MAX_PRECEDENCE}"
        )


def _members(pool: UserPool, group: Group) -> list[User]:
    # A key whose user is gone is skipped rather than trusted: membership must never resurrect
    # a deleted user.
    return [pool.users[key] for key in group.members if key in pool.users]


def _groups_named(pool: UserPool, names: Iterable[str]) -> list[Group]:
    found = (pool.groups.get(group_key(name)) for name in names)
    return [group for group in found if group is not None]


def _name_order(group: Group) -> tuple[str, str]:
    return (group_key(group.name), group.name)


def _token_order(groups: Iterable[Group]) -> list[Group]:
    return sorted(
        groups,
        key=lambda g: (g.precedence is None, g.precedence or 0, *_name_order(g)),
    )
