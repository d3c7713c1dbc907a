"""Tags of user pools: TagResource, UntagResource, ListTagsForResource, and ``UserPoolTags`` of
CreateUserPool / UpdateUserPool / DescribeUserPool, which are the same tags.

A resource is named by its ARN, ``arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>``.
The lengths of keys (1-128) and values (0-256) are the model's, checked before any of this runs;
the documented restrictions the model does not carry are checked here: at most 50 tags per pool,
a limited set of characters, and the ``aws:`` key prefix reserved for AWS (see docs/fidelity.md
for the messages, which are the mock's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from . import CognitoBackend
from .errors import InvalidParameterException, ResourceNotFoundException
from .models import UserPool

#: Tags a user pool may have (Cognito's documented limit).
MAX_TAGS = 50
#: Keys AWS keeps for itself; compared without regard to case.
RESERVED_PREFIX = "aws:"
#: Letters and digits (Unicode), space, and ``_ . : / = + - @``: the documented characters.
_TAG_TEXT = re.compile(r"[\w .:/=+\-@]*")
_USER_POOL_ARN = re.compile(
    r"arn:(?P<partition>[^:]+):cognito-idp:(?P<region>[^:]*):(?P<account>[^:]*):"
    r"userpool/(?P<pool_id>[^:/]+)"
)


def resource_pool(backend: CognitoBackend, region: str, arn: str) -> UserPool:
    """The user pool ``arn`` names, as seen from ``region``.

    An ARN that does not name a user pool is an ``InvalidParameterException``; one that names a
    pool this account does not have in ``region`` (deleted, another region or account) is a
    ``ResourceNotFoundException``, as for every other operation on a missing pool.
    """
    named = _USER_POOL_ARN.fullmatch(arn)
    if named is None:
        raise InvalidParameterException(f"{arn} is not the ARN of a user pool.")
    pool_id = named["pool_id"]
    pool = backend.pools.get(pool_id)
    if pool is None or pool.region != region or pool.arn != arn:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return pool


def checked_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """``tags`` as a pool may hold them, or the error AWS gives for them."""
    for key, value in tags.items():
        if key[: len(RESERVED_PREFIX)].lower() == RESERVED_PREFIX:
            raise InvalidParameterException(
                f"Tag key {key} starts with {RESERVED_PREFIX}, which is reserved for AWS use."
            )
        for text in (key, value):
            if _TAG_TEXT.fullmatch(text) is None:
                raise InvalidParameterException(
                    f"Tag {key}={value} has a character outside letters, digits, spaces and "
                    "_ . : / = + - @."
                )
    _check_count(len(tags))
    return dict(tags)


def tag_resource(pool: UserPool, tags: Mapping[str, str]) -> None:
    """Add ``tags``, replacing the value of a key the pool already has."""
    added = checked_tags(tags)
    _check_count(len(pool.tags.keys() | added.keys()))
    pool.tags.update(added)


def untag_resource(pool: UserPool, keys: Iterable[str]) -> None:
    """Remove the tags with these keys; keys the pool does not have are ignored."""
    for key in keys:
        pool.tags.pop(key, None)


def _check_count(count: int) -> None:
    if count > MAX_TAGS:
        raise InvalidParameterException(
            f"A user pool can have at most {MAX_TAGS} tags; this request would give it {count}."
        )
