"""Multi-Region replication: a user pool's replica in another region, and what it may do there.

A replicated pool keeps its one id in every region it is in: the pool (the primary, in its own
``region``) holds its replicas by region, and ``UserPool.serves(region)`` is the one check every
lookup by pool or app client makes, so the secondary region reaches the same directory. What a
secondary region may not do is decided here, once per call, before any handler runs
(:func:`admit`): AWS's documented rule is that a secondary answers administrator operations that
set its own regional configuration and end-user operations that neither create users nor change
their attributes, and that an INACTIVE replica takes no end-user requests at all. Everything
else answers OperationNotEnabledException there.

Tokens issued in a region carry that region's issuer, as AWS's original issuer does
(:func:`issuing_region`); the region of the call being answered is kept in a context variable
(one per thread, so a trigger's worker thread calling Cognito does not change it).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from . import CognitoBackend, clock, feature_plans
from .errors import (
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from .models import UserPool

CREATING, ACTIVE, INACTIVE, DELETING = "CREATING", "ACTIVE", "INACTIVE", "DELETING"
PRIMARY, SECONDARY = "PRIMARY", "SECONDARY"

#: "Each user directory can have at most one secondary replica in another Region."
MAX_SECONDARY_REPLICAS = 1


@dataclass
class Replica:
    """A pool's secondary replica in ``region``. It starts INACTIVE (after CREATING, which the
    mock completes at once); UpdateUserPoolReplica moves it between ACTIVE and INACTIVE."""

    region: str
    status: str = INACTIVE
    created: float = 0.0
    #: CreateUserPoolReplica's UserPoolTags: a replica's tags are its own.
    tags: dict[str, str] = field(default_factory=dict)


def replica_arn(pool: UserPool, region: str) -> str:
    """The ARN of the pool in ``region``: the primary's, with that region."""
    return pool.arn.replace(f":{pool.region}:", f":{region}:", 1)


@dataclass(frozen=True)
class ReplicaView:
    """One entry of ListUserPoolReplicas (and the answer of the other replica operations)."""

    region: str
    status: str
    role: str
    arn: str


def _view(pool: UserPool, replica: Replica, status: str | None = None) -> ReplicaView:
    return ReplicaView(
        replica.region, status or replica.status, SECONDARY, replica_arn(pool, replica.region)
    )


def primary_view(pool: UserPool) -> ReplicaView:
    return ReplicaView(pool.region, ACTIVE, PRIMARY, pool.arn)


# --- the four operations -----------------------------------------------------------------------


def create_replica(
    backend: CognitoBackend,
    pool: UserPool,
    region: str,
    tags: Mapping[str, str],
    known_regions: frozenset[str],
) -> ReplicaView:
    """Add a secondary replica in ``region``; the answer says CREATING, as AWS's does while it
    copies the pool; the replica is INACTIVE from then on."""
    feature_plans.require_for_pool(pool, feature_plans.MULTI_REGION_REPLICATION)
    if region == pool.region:
        raise InvalidParameterException(
            f"The replica Region {region} is the primary Region of user pool {pool.id}."
        )
    if region not in known_regions:
        raise InvalidParameterException(f"The Region {region} is not a valid AWS Region.")
    if region in pool.replicas:
        raise InvalidParameterException(
            f"User pool {pool.id} already has a replica in the Region {region}."
        )
    if len(pool.replicas) >= MAX_SECONDARY_REPLICAS:
        raise LimitExceededException(
            f"User pool {pool.id} already has {MAX_SECONDARY_REPLICAS} secondary replica; "
            f"a user pool can have at most {MAX_SECONDARY_REPLICAS}."
        )
    replica = Replica(region, INACTIVE, clock.now(), dict(tags))
    pool.replicas[region] = replica
    backend.replica_count += 1
    return _view(pool, replica, CREATING)


def _secondary(pool: UserPool, region: str) -> Replica:
    if region == pool.region:
        raise InvalidParameterException(
            f"The Region {region} is the primary Region of user pool {pool.id}; only a "
            "secondary replica can be changed or deleted."
        )
    replica = pool.replicas.get(region)
    if replica is None:
        raise ResourceNotFoundException(
            f"User pool {pool.id} has no replica in the Region {region}."
        )
    return replica


def update_replica(pool: UserPool, region: str, status: str) -> ReplicaView:
    replica = _secondary(pool, region)
    replica.status = status
    return _view(pool, replica)


def delete_replica(backend: CognitoBackend, pool: UserPool, region: str) -> ReplicaView:
    """Remove an INACTIVE replica (the answer says DELETING; it is gone afterwards)."""
    replica = _secondary(pool, region)
    if replica.status != INACTIVE:
        raise InvalidParameterException(
            f"The replica in the Region {region} is {replica.status}; only an INACTIVE replica "
            "can be deleted."
        )
    del pool.replicas[region]
    backend.replica_count -= 1
    pool.log_configurations.pop(region, None)
    return _view(pool, replica, DELETING)


def list_replicas(pool: UserPool) -> list[ReplicaView]:
    """The primary first, then the secondaries by region."""
    secondaries = [_view(pool, pool.replicas[r]) for r in sorted(pool.replicas)]
    return [primary_view(pool), *secondaries]


# --- what a secondary region answers -----------------------------------------------------------

#: End-user operations a secondary answers while ACTIVE: sign-in and its follow-ups, reading the
#: signed-in user, signing out. None of them creates a user or changes attributes.
END_USER_OPERATIONS = frozenset(
    {
        "InitiateAuth",
        "AdminInitiateAuth",
        "RespondToAuthChallenge",
        "AdminRespondToAuthChallenge",
        "GetTokensFromRefreshToken",
        "RevokeToken",
        "GlobalSignOut",
        "GetUser",
        "GetUserAuthFactors",
        "GetDevice",
        "ListDevices",
    }
)
#: Administrator operations a secondary answers that are not reads: its own status, and the
#: settings AWS keeps per replica (email, SMS, Lambda triggers and log export through
#: UpdateUserPool and SetLogDeliveryConfiguration).
REGIONAL_ADMIN_OPERATIONS = frozenset(
    {
        "UpdateUserPoolReplica",
        "UpdateUserPool",
        "SetRiskConfiguration",
        "SetLogDeliveryConfiguration",
        "AdminUserGlobalSignOut",
    }
)
#: Reads answer everywhere, except the one that sends a code to change an attribute.
_READ_PREFIXES = ("Describe", "Get", "List", "AdminGet", "AdminList")
_NOT_READS = frozenset({"GetUserAttributeVerificationCode"})


def allowed_in_secondary(operation: str) -> bool:
    if operation in END_USER_OPERATIONS or operation in REGIONAL_ADMIN_OPERATIONS:
        return True
    return operation.startswith(_READ_PREFIXES) and operation not in _NOT_READS


def admit(backend: CognitoBackend, operation: str, region: str, params: Mapping[str, Any]) -> None:
    """Refuse ``operation`` in ``region`` when that is a secondary region of the pool the
    request names and AWS does not answer it there (see the module's docstring)."""
    if not backend.replica_count:
        return  # no replica anywhere: every call is a primary region's (the common case)
    pool = named_pool(backend, params)
    if pool is None or region == pool.region:
        return
    replica = pool.replicas.get(region)
    if replica is None:
        return  # not this pool's region at all: the lookup answers ResourceNotFound
    if not allowed_in_secondary(operation):
        raise OperationNotEnabledException(
            f"{operation} is not supported in {region}, a secondary Region of user pool "
            f"{pool.id}. Make the request in its primary Region, {pool.region}."
        )
    if operation in END_USER_OPERATIONS and replica.status != ACTIVE:
        raise OperationNotEnabledException(
            f"The replica of user pool {pool.id} in {region} is {replica.status} and does not "
            "accept end-user requests."
        )


def named_pool(backend: CognitoBackend, params: Mapping[str, Any]) -> UserPool | None:
    """The pool a request names: by id, by ARN, through its app client or its access token."""
    pool_id = params.get("UserPoolId")
    arn = params.get("ResourceArn")
    if pool_id is None and isinstance(arn, str) and ":userpool/" in arn:
        pool_id = arn.rpartition(":userpool/")[2]
    if pool_id is None:
        client = backend.clients.get(params.get("ClientId") or "")
        pool_id = client.user_pool_id if client is not None else None
    if pool_id is None:
        pool_id = _token_pool_id(params.get("AccessToken"))
    return backend.pools.get(pool_id) if isinstance(pool_id, str) else None


def _token_pool_id(token: object) -> str | None:
    # Only to find the pool: the handler verifies the token as it always does.
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, RecursionError):
        return None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    return issuer.rsplit("/", 1)[-1] if isinstance(issuer, str) else None


# --- the region a call is answered in ------------------------------------------------------------

_serving_region: ContextVar[str | None] = ContextVar("serving_region", default=None)


@contextmanager
def serving(region: str) -> Iterator[None]:
    """Answer one call in ``region`` (the service wraps every API call in it)."""
    token = _serving_region.set(region)
    try:
        yield
    finally:
        _serving_region.reset(token)


def issuing_region(pool: UserPool) -> str:
    """The region whose issuer a token of ``pool`` issued now carries: the region answering the
    call when the pool serves it (a replica's), else the pool's own (hosted pages, helpers)."""
    region = _serving_region.get()
    return region if region is not None and pool.serves(region) else pool.region
