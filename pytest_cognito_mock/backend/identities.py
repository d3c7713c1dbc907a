"""The ``identities`` attribute of a user and the provider links behind it.

Cognito keeps a user's federated identities in the attribute ``identities``: a JSON *string*
holding a list of entries (``userId``, ``providerName``, ``providerType``, ``issuer``,
``primary``, ``dateCreated`` in milliseconds). A link made by AdminLinkProviderForUser is such an
entry with ``primary`` false, plus ``pool.provider_links[(provider name, user id)]`` naming the
destination user's key, so that a federated sign-in finds the user it is linked to with one
lookup.
"""

from __future__ import annotations

import json
from typing import Any

from . import clock
from .models import User, UserPool
from .user_data_history import before_user_change

ATTRIBUTE = "identities"

Identity = dict[str, Any]


def identities_of(user: User) -> list[Identity]:
    """The user's entries; an attribute that is not a JSON list (written by hand through
    AdminUpdateUserAttributes, say) counts as none rather than failing the call."""
    raw = user.attributes.get(ATTRIBUTE)
    if raw is None:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def linked_identity(
    provider_name: str, provider_type: str, issuer: str | None, user_id: str
) -> Identity:
    """The entry a link adds, members in the order Cognito writes them."""
    return {
        "userId": user_id,
        "providerName": provider_name,
        "providerType": provider_type,
        "issuer": issuer,
        "primary": False,
        "dateCreated": int(clock.now() * 1000),
    }


def add_link(pool: UserPool, user: User, provider_name: str, identity: Identity) -> None:
    pool.provider_links[(provider_name, identity["userId"])] = pool.user_key(user.username)
    before_user_change(pool, user)
    _store(user, [*identities_of(user), identity])


def remove_link(pool: UserPool, provider_name: str, user_id: str) -> bool:
    """Undo a link: the index entry and the destination's identity. False when not linked."""
    key = pool.provider_links.pop((provider_name, user_id), None)
    if key is None:
        return False
    user = pool.users.get(key)
    if user is not None:
        kept = [
            entry
            for entry in identities_of(user)
            if (entry.get("providerName"), entry.get("userId")) != (provider_name, user_id)
        ]
        before_user_change(pool, user)
        _store(user, kept)
    return True


def remove_links_of_provider(pool: UserPool, provider_name: str) -> None:
    """Every link to the provider ``provider_name`` (for its deletion)."""
    for name, user_id in [link for link in pool.provider_links if link[0] == provider_name]:
        remove_link(pool, name, user_id)


def linked_user(pool: UserPool, provider_name: str, user_id: str) -> User | None:
    """The user the identity is linked to; a link whose user was deleted counts as none."""
    key = pool.provider_links.get((provider_name, user_id))
    return pool.users.get(key) if key is not None else None


def forget_user(pool: UserPool, user: User) -> None:
    """Drop every link to ``user`` (for the deletion of the user), so that a later user of the
    same name does not inherit them."""
    key = pool.user_key(user.username)
    for link in [link for link, target in pool.provider_links.items() if target == key]:
        del pool.provider_links[link]


def _store(user: User, entries: list[Identity]) -> None:
    # Replaced whole, as every attribute change of the backend is (attributes.replace_attributes);
    # the identities attribute is no sign-in alias, so the alias index is not involved.
    attributes = {name: value for name, value in user.attributes.items() if name != ATTRIBUTE}
    if entries:
        attributes[ATTRIBUTE] = json.dumps(entries, separators=(",", ":"))
    user.attributes = attributes
    user.modified = clock.now()
