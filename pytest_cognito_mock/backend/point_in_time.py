"""Point-in-time recovery of a user pool's user data (Initiate/Describe/List/Start/Cancel
PointInTimeRecovery).

A recovery reverts the changes to user data made after its RestoreTimestamp: users (profile,
attributes, group memberships, password), their MFA settings and passkeys, and groups. Pool
configuration is left alone. The state at the recovery point comes from the pool's journal
(user_data_history.py); what the recovery changes, and the change itself, are
point_in_time_restore.py's. A user whose password changed after the point keeps the current one.

The status is read from the clock whenever it is observed, never moved by a thread: a recovery
is PREVIEW_GENERATING for ``generation_seconds`` after its initiation, then PREVIEW_GENERATED;
Start makes it RESTORING for ``restore_seconds`` (the data is restored at once, all or nothing),
then RESTORE_COMPLETED; without Start or Cancel it is PREVIEW_EXPIRED 24 hours after initiation.
While it is active, the operations of :data:`PAUSED_OPERATIONS` are refused (:func:`admit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import clock, feature_plans, ids
from . import point_in_time_restore as restore
from .errors import (
    ConcurrentModificationException,
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from .models import UserPool
from .replicas import named_pool
from .user_data_history import (
    DAY,
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


@dataclass
class Restoration:
    restore_id: str
    pool_id: str
    restore_timestamp: float
    #: When it was initiated: the end of the period of changes it reverts.
    trigger_timestamp: float
    generation_seconds: float
    restore_seconds: float
    preview: tuple[restore.PreviewCount, ...] = ()
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
        preview=restore.preview(restore.plan(pool, restore_timestamp)),
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
    plan = restore.plan(pool, restoration.restore_timestamp)  # all is read before any change
    restore.apply(pool, plan)
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
