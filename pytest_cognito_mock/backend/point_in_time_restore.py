"""What a point-in-time recovery changes: the plan (each user and group whose state at the
recovery point differs from now, read from the journal of user_data_history.py), its preview
counts, and the restore that applies it, all or nothing (see point_in_time.py for the recovery's
lifecycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .attributes import index_aliases, unindex_aliases
from .groups import group_key
from .models import Group, User, UserPool
from .user_data_history import (
    GROUP,
    USER,
    before_group_change,
    before_user_change,
    history_of,
    user_image,
)

USERS, GROUPS, USER_MFAS, PASSKEYS = "Users", "Groups", "User MFAs", "Passkeys"
ENTITIES = (USERS, GROUPS, USER_MFAS, PASSKEYS)


@dataclass(frozen=True)
class PreviewCount:
    entity: str
    create: int = 0
    update: int = 0
    delete: int = 0


@dataclass
class Plan:
    """Entities whose state at the recovery point differs from now: (then, now) pairs, None
    for "does not exist"."""

    users: list[tuple[User | None, User | None]] = field(default_factory=list)
    groups: list[tuple[Group | None, Group | None]] = field(default_factory=list)


def plan(pool: UserPool, moment: float) -> Plan:
    """Every user and group whose state at ``moment`` differs from now, with both states."""
    history = history_of(pool)
    first = history.first_changes_after(moment)
    plan = Plan()
    user_subs = {sub for kind, sub in first if kind == USER}
    group_keys = {key for kind, key in first if kind == GROUP}
    # Created after the point (and unchanged since, or they would be in the journal too).
    user_subs.update(user.sub for user in pool.users.values() if user.created > moment)
    group_keys.update(key for key, group in pool.groups.items() if group.created > moment)
    for sub in sorted(user_subs):
        change = first.get((USER, sub))
        then = change.before if change is not None else _current_user(pool, sub)
        assert then is None or isinstance(then, User)
        if then is not None and then.created > moment:
            then = None  # created after the point: the image is of a later state
        plan.users.append((then, _current_user(pool, sub)))
    for key in sorted(group_keys):
        change = first.get((GROUP, key))
        group_then = change.before if change is not None else pool.groups.get(key)
        assert group_then is None or isinstance(group_then, Group)
        if group_then is not None and group_then.created > moment:
            group_then = None
        plan.groups.append((group_then, pool.groups.get(key)))
    return plan


def _current_user(pool: UserPool, sub: str) -> User | None:
    key = pool.users_by_sub.get(sub)
    return pool.users.get(key) if key is not None else None


def restored_user(then: User, now: User) -> User:
    """The user as the recovery leaves it: ``then``, except that a password changed since
    stays (with the status and expiry that go with it)."""
    if then.password != now.password:
        return replace(
            then,
            password=now.password,
            status=now.status,
            temporary_password_expires=now.temporary_password_expires,
        )
    return then


def _profile(user: User) -> tuple[object, ...]:
    return (
        user.username,
        user.attributes,
        user.enabled,
        user.status,
        user.password,
        user.temporary_password_expires,
        user.groups,
    )


def _mfa(user: User | None) -> tuple[object, ...] | None:
    """A user's MFA settings; None when the user has none."""
    if user is None:
        return None
    token = user.software_token
    settings = (
        user.preferred_mfa,
        user.mfa_methods,
        user.passkey_mfa,
        (token.secret, token.verified, token.friendly_name) if token is not None else None,
    )
    return None if settings == (None, (), False, None) else settings


def _passkeys(user: User | None) -> dict[str, tuple[object, ...]]:
    """Passkeys by credential id, without the signature counter (sign-in moves it)."""
    if user is None:
        return {}
    return {p.credential_id: (p.friendly_name, p.public_key) for p in user.passkeys}


def _group_profile(group: Group) -> tuple[object, ...]:
    return (group.name, group.description, group.role_arn, group.precedence)


def preview(plan: Plan) -> tuple[PreviewCount, ...]:
    """How many entities of each kind the plan creates, updates and deletes."""
    counts = {entity: [0, 0, 0] for entity in ENTITIES}  # create, update, delete

    def count(entity: str, then: object, now: object) -> None:
        if then is not None and now is None:
            counts[entity][0] += 1
        elif then is not None and now is not None and then != now:
            counts[entity][1] += 1
        elif then is None and now is not None:
            counts[entity][2] += 1

    for user_then, user_now in plan.users:
        if user_then is not None and user_now is not None:
            count(USERS, _profile(restored_user(user_then, user_now)), _profile(user_now))
        else:
            count(USERS, user_then, user_now)
        count(USER_MFAS, _mfa(user_then), _mfa(user_now))
        keys_then, keys_now = _passkeys(user_then), _passkeys(user_now)
        for credential in keys_then.keys() | keys_now.keys():
            count(PASSKEYS, keys_then.get(credential), keys_now.get(credential))
    for group_then, group_now in plan.groups:
        count(
            GROUPS,
            _group_profile(group_then) if group_then is not None else None,
            _group_profile(group_now) if group_now is not None else None,
        )
    return tuple(PreviewCount(entity, *counts[entity]) for entity in ENTITIES)


# -- applying the plan -----------------------------------------------------------------------


def apply(pool: UserPool, plan: Plan) -> None:
    """Make the plan's state the pool's. Nothing here can fail half-way: every check was made
    when the plan was read, and what is left is dictionary work."""
    users = [(then, now) for then, now in plan.users if _user_differs(then, now)]
    groups = [(then, now) for then, now in plan.groups if _group_differs(then, now)]
    for _, user_now in users:
        if user_now is not None:
            before_user_change(pool, user_now)  # the recovery is a change like any other
            unindex_aliases(pool, user_now)
    for _, group_now in groups:
        if group_now is not None:
            before_group_change(pool, group_now)
    for user_then, user_now in users:
        if user_then is None and user_now is not None:
            _remove_user(pool, user_now)
        elif user_then is not None and user_now is None:
            _add_user(pool, user_image(user_then))  # a copy: the image stays in the journal
        elif user_then is not None and user_now is not None:
            _copy_data(restored_user(user_then, user_now), user_now)
            index_aliases(pool, user_now)
    for group_then, group_now in groups:
        key = group_key((group_then or group_now).name)  # type: ignore[union-attr]
        if group_then is None:
            del pool.groups[key]
        elif group_now is None:
            pool.groups[key] = replace(group_then, members=set())
        else:
            _copy_group(group_then, group_now)
    _rebuild_memberships(pool)


def _user_differs(then: User | None, now: User | None) -> bool:
    if then is None or now is None:
        return then is not now
    return (
        _profile(restored_user(then, now)) != _profile(now)
        or _mfa(then) != _mfa(now)
        or _passkeys(then) != _passkeys(now)
        or then.modified != now.modified
    )


def _group_differs(then: Group | None, now: Group | None) -> bool:
    if then is None or now is None:
        return then is not now
    return _group_profile(then) != _group_profile(now)


def _add_user(pool: UserPool, user: User) -> None:
    key = pool.user_key(user.username)
    pool.users[key] = user
    pool.users_by_sub[user.sub] = key
    index_aliases(pool, user)


def _remove_user(pool: UserPool, user: User) -> None:
    from .users import delete_user  # users.py imports the history module: import late

    delete_user(pool, user)


_USER_DATA = (
    "attributes",
    "enabled",
    "status",
    "password",
    "temporary_password_expires",
    "preferred_mfa",
    "mfa_methods",
    "passkey_mfa",
    "software_token",
    "groups",
    "modified",
)


def _copy_data(source: User, target: User) -> None:
    """Give ``target`` (the live user) ``source``'s data; its devices, sessions and auth events
    stay. Passkeys still registered keep their current signature counter."""
    fresh = user_image(source)
    for name in _USER_DATA:
        setattr(target, name, getattr(fresh, name))
    live = {p.credential_id: p for p in target.passkeys}
    target.passkeys = tuple(live.get(p.credential_id, p) for p in source.passkeys)


def _copy_group(source: Group, target: Group) -> None:
    target.description = source.description
    target.role_arn = source.role_arn
    target.precedence = source.precedence
    target.modified = source.modified
    target.created = source.created


def _rebuild_memberships(pool: UserPool) -> None:
    """Group members from the users' memberships (the users' side is what was restored)."""
    names = {group.name for group in pool.groups.values()}
    for group in pool.groups.values():
        group.members = set()
    for key, user in pool.users.items():
        if not user.groups:
            continue
        kept = frozenset(name for name in user.groups if name in names)
        if kept != user.groups:
            user.groups = kept
        for name in kept:
            pool.groups[group_key(name)].members.add(key)
