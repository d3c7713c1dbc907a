"""Point-in-time recovery of a user pool's user data (Initiate/Describe/List/Start/Cancel
PointInTimeRecovery).

A recovery reverts the changes to user data made after its RestoreTimestamp: users (profile,
attributes, group memberships, password), their MFA settings and passkeys, and groups. Pool
configuration is left alone. The state at the recovery point comes from the pool's journal
(user_data_history.py). A user whose password changed after the point keeps the current one.

The status is read from the clock whenever it is observed, never moved by a thread: a recovery
is PREVIEW_GENERATING for ``generation_seconds`` after its initiation, then PREVIEW_GENERATED;
Start makes it RESTORING for ``restore_seconds`` (the data is restored at once, all or nothing),
then RESTORE_COMPLETED; without Start or Cancel it is PREVIEW_EXPIRED 24 hours after initiation.
While it is active, the operations of :data:`PAUSED_OPERATIONS` are refused (:func:`admit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import clock, feature_plans, ids
from .attributes import index_aliases, unindex_aliases
from .errors import (
    ConcurrentModificationException,
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from .groups import group_key
from .models import Group, User, UserPool
from .replicas import _named_pool as named_pool
from .user_data_history import (
    DAY,
    GROUP,
    USER,
    before_group_change,
    before_user_change,
    history_of,
    plans_since,
)

if TYPE_CHECKING:
    from . import CognitoBackend

GENERATING, GENERATED = "PREVIEW_GENERATING", "PREVIEW_GENERATED"
CANCELLED, EXPIRED = "PREVIEW_CANCELLED", "PREVIEW_EXPIRED"
RESTORING, COMPLETED = "RESTORING", "RESTORE_COMPLETED"
#: The statuses during which the pool's writes are paused.
ACTIVE = frozenset({GENERATING, GENERATED, RESTORING})

MINIMUM_AGE_SECONDS = 15 * 60
#: The recovery period of each plan that has the feature.
PERIOD_SECONDS = {feature_plans.ESSENTIALS: 1 * DAY, feature_plans.PLUS: 14 * DAY}
PREVIEW_LIFETIME_SECONDS = 1 * DAY
#: AWS's quotas: previews of one pool per 24 hours and per 30 days, completed recoveries of
#: one pool per 24 hours, active recoveries of one account.
PREVIEWS_PER_DAY, PREVIEWS_PER_30_DAYS = 3, 10
COMPLETED_PER_DAY = 1
ACTIVE_PER_ACCOUNT = 5

USERS, GROUPS, USER_MFAS, PASSKEYS = "Users", "Groups", "User MFAs", "Passkeys"
ENTITIES = (USERS, GROUPS, USER_MFAS, PASSKEYS)

#: The operations that write user data (or start an import): refused while a recovery of the
#: pool they name is active. Sign-in, reads, devices, sign-out and pool configuration go on.
PAUSED_OPERATIONS = frozenset(
    {
        "AdminCreateUser",
        "SignUp",
        "ConfirmSignUp",
        "AdminConfirmSignUp",
        "AdminUpdateUserAttributes",
        "UpdateUserAttributes",
        "AdminDeleteUserAttributes",
        "DeleteUserAttributes",
        "VerifyUserAttribute",
        "AdminSetUserPassword",
        "ChangePassword",
        "ConfirmForgotPassword",
        "AdminResetUserPassword",
        "AdminEnableUser",
        "AdminDisableUser",
        "AdminDeleteUser",
        "DeleteUser",
        "CreateGroup",
        "UpdateGroup",
        "DeleteGroup",
        "AdminAddUserToGroup",
        "AdminRemoveUserFromGroup",
        "AdminSetUserMFAPreference",
        "SetUserMFAPreference",
        "SetUserSettings",
        "AdminSetUserSettings",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "AdminDeleteSoftwareToken",
        "StartWebAuthnRegistration",
        "CompleteWebAuthnRegistration",
        "DeleteWebAuthnCredential",
        "AdminLinkProviderForUser",
        "AdminDisableProviderForUser",
        "CreateUserImportJob",
        "StartUserImportJob",
    }
)
#: Challenges a user cannot answer while a recovery is active (AWS's list).
PAUSED_CHALLENGES = frozenset({"NEW_PASSWORD_REQUIRED", "MFA_SETUP", "SOFTWARE_TOKEN_MFA"})
_CHALLENGE_ANSWERS = frozenset({"RespondToAuthChallenge", "AdminRespondToAuthChallenge"})

#: The mock's wording (AWS's is not known; docs/fidelity.md).
WRITES_PAUSED = (
    "Write operations in user pool {pool_id} are paused while point-in-time recovery "
    "{restore_id} is in progress."
)


@dataclass(frozen=True)
class PreviewCount:
    entity: str
    create: int = 0
    update: int = 0
    delete: int = 0


@dataclass
class Restoration:
    restore_id: str
    pool_id: str
    restore_timestamp: float
    #: When it was initiated: the end of the period of changes it reverts.
    trigger_timestamp: float
    generation_seconds: float
    restore_seconds: float
    preview: tuple[PreviewCount, ...] = ()
    started: float | None = None
    cancelled: float | None = None

    def status(self, now: float) -> str:
        if self.cancelled is not None:
            return CANCELLED
        if self.started is not None:
            return RESTORING if now < self.started + self.restore_seconds else COMPLETED
        if now >= self.trigger_timestamp + PREVIEW_LIFETIME_SECONDS:
            return EXPIRED
        if now < self.trigger_timestamp + self.generation_seconds:
            return GENERATING
        return GENERATED

    def completed_at(self) -> float | None:
        return None if self.started is None else self.started + self.restore_seconds


# -- the operations --------------------------------------------------------------------------


def initiate(backend: CognitoBackend, pool: UserPool, restore_timestamp: float) -> Restoration:
    """InitiatePointInTimeRecovery: check the recovery point and the limits, compute the
    preview and pause the pool's writes."""
    _require_plan(pool)
    now = clock.now()
    active = active_restoration(backend, pool)
    if active is not None:
        raise ConcurrentModificationException(
            f"User pool {pool.id} already has an active point-in-time recovery {active.restore_id}."
        )
    if any(key[0] == pool.id for key in backend.running_import_jobs):
        raise ConcurrentModificationException(
            "A point-in-time recovery cannot be initiated while a user import job is in "
            f"progress in user pool {pool.id}."
        )
    _check_recovery_point(pool, restore_timestamp, now)
    _check_quotas(backend, pool, now)
    settings = backend.recovery_settings
    restoration = Restoration(
        restore_id=ids.uuid4(),
        pool_id=pool.id,
        restore_timestamp=restore_timestamp,
        trigger_timestamp=now,
        generation_seconds=settings.generation_seconds,
        restore_seconds=settings.restore_seconds,
        preview=_preview(_plan(pool, restore_timestamp)),
    )
    pool.restorations.append(restoration)
    backend.active_restorations[pool.id] = restoration
    return restoration


def describe(pool: UserPool, restore_id: str) -> Restoration:
    _require_plan(pool)
    for restoration in pool.restorations:
        if restoration.restore_id == restore_id:
            return restoration
    raise ResourceNotFoundException(f"Point-in-time recovery {restore_id} does not exist.")


def newest_first(pool: UserPool) -> list[Restoration]:
    _require_plan(pool)
    return pool.restorations[::-1]


def start(backend: CognitoBackend, pool: UserPool, restore_id: str) -> Restoration:
    """StartPointInTimeRecovery: restore the user data at once (all or nothing); the status
    reports RESTORING for ``restore_seconds``."""
    restoration = describe(pool, restore_id)
    status = restoration.status(clock.now())
    if status != GENERATED:
        raise InvalidParameterException(
            f"Point-in-time recovery {restore_id} cannot be started: its status is {status}; "
            f"only a recovery in {GENERATED} can be started."
        )
    plan = _plan(pool, restoration.restore_timestamp)  # everything is read before any change
    _apply(pool, plan)
    restoration.started = clock.now()
    if restoration.restore_seconds <= 0:
        backend.active_restorations.pop(pool.id, None)
    return restoration


def cancel(backend: CognitoBackend, pool: UserPool, restore_id: str) -> Restoration:
    restoration = describe(pool, restore_id)
    status = restoration.status(clock.now())
    if status not in (GENERATING, GENERATED):
        raise InvalidParameterException(
            f"Point-in-time recovery {restore_id} cannot be canceled: its status is {status}; "
            f"only a recovery in {GENERATING} or {GENERATED} can be canceled."
        )
    restoration.cancelled = clock.now()
    backend.active_restorations.pop(pool.id, None)
    return restoration


# -- the pause -------------------------------------------------------------------------------


def active_restoration(backend: CognitoBackend, pool: UserPool) -> Restoration | None:
    """The pool's active recovery, if any (one that ended is forgotten here)."""
    restoration = backend.active_restorations.get(pool.id)
    if restoration is not None and restoration.status(clock.now()) not in ACTIVE:
        del backend.active_restorations[pool.id]
        return None
    return restoration


def admit(backend: CognitoBackend, operation: str, params: Mapping[str, Any]) -> None:
    """Refuse a write to user data (and the challenges AWS names) while the pool it names is
    being recovered. The service asks this before every call; with no recovery active
    anywhere it costs one truth test."""
    if not backend.active_restorations:
        return
    if operation not in PAUSED_OPERATIONS and not (
        operation in _CHALLENGE_ANSWERS and params.get("ChallengeName") in PAUSED_CHALLENGES
    ):
        return
    pool = named_pool(backend, params)
    if pool is None and isinstance(params.get("Session"), str):
        session = backend.sessions.get(params["Session"])  # AssociateSoftwareToken in MFA_SETUP
        pool = backend.pools.get(session.pool_id) if session is not None else None
    restoration = active_restoration(backend, pool) if pool is not None else None
    if restoration is not None:
        raise OperationNotEnabledException(
            WRITES_PAUSED.format(pool_id=restoration.pool_id, restore_id=restoration.restore_id)
        )


# -- checks ----------------------------------------------------------------------------------


def _require_plan(pool: UserPool) -> None:
    feature_plans.require_for_pool(pool, feature_plans.POINT_IN_TIME_RECOVERY)


def _check_recovery_point(pool: UserPool, moment: float, now: float) -> None:
    if moment > now - MINIMUM_AGE_SECONDS:
        raise InvalidParameterException("RestoreTimestamp must be at least 15 minutes in the past.")
    if moment < pool.created:
        raise InvalidParameterException(
            "RestoreTimestamp can't be earlier than the creation time of the user pool."
        )
    tier = feature_plans.tier_of(pool)
    for plan in sorted(plans_since(pool, moment, tier), key=feature_plans.rank):
        period = PERIOD_SECONDS.get(plan, 0.0)
        if now - moment > period:
            raise InvalidParameterException(
                f"RestoreTimestamp is outside the recovery period of the {plan} feature plan "
                f"that the user pool was on since then ({_days(period)})."
            )


def _days(seconds: float) -> str:
    days = int(seconds // DAY)
    return "no recovery" if days == 0 else f"{days} day" if days == 1 else f"{days} days"


def _check_quotas(backend: CognitoBackend, pool: UserPool, now: float) -> None:
    active = sum(
        1 for other in list(backend.active_restorations.values()) if other.status(now) in ACTIVE
    )
    if active >= ACTIVE_PER_ACCOUNT:
        raise LimitExceededException(
            f"The account already has {ACTIVE_PER_ACCOUNT} active point-in-time recoveries."
        )
    recent = [r for r in pool.restorations if r.trigger_timestamp > now - DAY]
    if len(recent) >= PREVIEWS_PER_DAY:
        raise LimitExceededException(
            f"User pool {pool.id} has reached the limit of {PREVIEWS_PER_DAY} recovery "
            "previews in 24 hours."
        )
    month = [r for r in pool.restorations if r.trigger_timestamp > now - 30 * DAY]
    if len(month) >= PREVIEWS_PER_30_DAYS:
        raise LimitExceededException(
            f"User pool {pool.id} has reached the limit of {PREVIEWS_PER_30_DAYS} recovery "
            "previews in 30 days."
        )
    done = [
        r
        for r in pool.restorations
        if r.status(now) == COMPLETED and (r.completed_at() or 0) > now - DAY
    ]
    if len(done) >= COMPLETED_PER_DAY:
        raise LimitExceededException(
            f"User pool {pool.id} has already completed a point-in-time recovery in the last "
            "24 hours."
        )


# -- the plan: what the recovery changes -----------------------------------------------------


@dataclass
class _Plan:
    """Entities whose state at the recovery point differs from now: (then, now) pairs, None
    for "does not exist"."""

    users: list[tuple[User | None, User | None]] = field(default_factory=list)
    groups: list[tuple[Group | None, Group | None]] = field(default_factory=list)


def _plan(pool: UserPool, moment: float) -> _Plan:
    history = history_of(pool)
    first = history.first_changes_after(moment)
    plan = _Plan()
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


def _preview(plan: _Plan) -> tuple[PreviewCount, ...]:
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


def _apply(pool: UserPool, plan: _Plan) -> None:
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
            _add_user(pool, _fresh(user_then))
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


def _fresh(image: User) -> User:
    """A live user made from a journal image (the image itself stays in the journal)."""
    token = image.software_token
    return replace(
        image,
        attributes=dict(image.attributes),
        software_token=replace(token, used_steps=set()) if token is not None else None,
    )


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
    fresh = _fresh(source)
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
