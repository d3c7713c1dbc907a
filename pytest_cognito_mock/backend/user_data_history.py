"""The history of a pool's user data, for point-in-time recovery (see point_in_time.py).

Every change to a user or a group first keeps a copy of the entity as it was (its *before
image*) in the pool's journal, stamped with the time of the change: a write costs one copy of
the entity it writes, never a pass over the pool. The state of an entity at a time ``T`` is then
the before image of its first change after ``T``, or, with no change since, the entity as it is
now. Creations need no entry (an entity created after ``T`` says so by its creation date), so a
pool filled by AdminCreateUser or an import job journals nothing.

What counts as user data: a user's profile (attributes, status, enabled, password, group
memberships), MFA settings, passkeys, and the groups themselves. What sign-in changes on the side
(failed attempts, a passkey's signature counter, a TOTP code's step, devices, auth events,
pending codes) is not journaled; see docs/fidelity.md.

The journal keeps the Plus plan's recovery period (14 days of mock time), pruned as it grows.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from . import clock

if TYPE_CHECKING:
    from .models import Group, User, UserPool

DAY = 86400.0
#: How long the journal keeps a change: the longest recovery period (the Plus plan's).
RETENTION_SECONDS = 14 * DAY

USER, GROUP = "user", "group"
#: (USER, sub) or (GROUP, group key): what the journal identifies entities by. A user is its sub,
#: so that a user deleted and another created under the same name are two users.
EntityKey = tuple[str, str]


class Change(NamedTuple):
    at: float
    entity: EntityKey
    #: The entity as it was just before the change (a detached copy).
    before: User | Group


@dataclass
class UserDataHistory:
    """One pool's journal and feature-plan timeline."""

    changes: deque[Change] = field(default_factory=deque)
    #: Entity -> the time of its newest change: a second change at the same instant keeps
    #: nothing, since only the first change after a given time is ever read.
    latest: dict[EntityKey, float] = field(default_factory=dict)
    #: (since, tier) of every plan change, oldest first; empty while the plan never changed.
    plans: list[tuple[float, str]] = field(default_factory=list)

    def keep(self, entity: EntityKey, before: User | Group, now: float) -> None:
        self.changes.append(Change(now, entity, before))
        self.latest[entity] = now
        horizon = now - RETENTION_SECONDS
        while self.changes[0].at < horizon:
            old = self.changes.popleft()
            if self.latest.get(old.entity) == old.at:
                del self.latest[old.entity]

    def first_changes_after(self, moment: float) -> dict[EntityKey, Change]:
        """Each entity changed after ``moment``, with its first change after it."""
        first: dict[EntityKey, Change] = {}
        for change in self.changes:
            if change.at > moment:
                known = first.get(change.entity)
                if known is None or change.at < known.at:  # the clock may have gone back
                    first[change.entity] = change
        return first


def history_of(pool: UserPool) -> UserDataHistory:
    if pool.user_data_history is None:
        pool.user_data_history = UserDataHistory()
    return pool.user_data_history


def before_user_change(pool: UserPool, user: User) -> None:
    """Call before changing ``user``'s data (or deleting the user)."""
    now = clock.now()
    history = history_of(pool)
    entity = (USER, user.sub)
    if history.latest.get(entity) != now:
        history.keep(entity, user_image(user), now)


def before_group_change(pool: UserPool, group: Group) -> None:
    """Call before changing or deleting ``group`` (not its members: they are the users')."""
    from .groups import group_key

    now = clock.now()
    history = history_of(pool)
    entity = (GROUP, group_key(group.name))
    if history.latest.get(entity) != now:
        history.keep(entity, replace(group, members=set()), now)


def user_image(user: User) -> User:
    """A detached copy of ``user``'s data, without what sign-in keeps beside it."""
    token = user.software_token
    return replace(
        user,
        attributes=dict(user.attributes),
        software_token=replace(token, used_steps=set()) if token is not None else None,
        confirmation=None,
        verification_codes={},
        password_reset=None,
        devices={},
        passkey_registration=None,
        auth_events=None,
    )


def note_plan(pool: UserPool, old_tier: str, new_tier: str) -> None:
    """Record a change of the pool's feature plan (UpdateUserPool's UserPoolTier)."""
    if old_tier == new_tier:
        return
    history = history_of(pool)
    if not history.plans:
        history.plans.append((pool.created, old_tier))
    history.plans.append((clock.now(), new_tier))


def plans_since(pool: UserPool, moment: float, current_tier: str) -> set[str]:
    """Every feature plan the pool was on at some time from ``moment`` until now."""
    history = pool.user_data_history
    plans = history.plans if history is not None else []
    if not plans:
        return {current_tier}
    ends = [since for since, _ in plans[1:]] + [None]  # each plan lasts until the next
    return {
        tier
        for (_, tier), until in zip(plans, ends, strict=True)
        if until is None or until > moment
    }
