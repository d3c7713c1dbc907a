"""CreateUserPoolReplica, UpdateUserPoolReplica, DeleteUserPoolReplica, ListUserPoolReplicas.

Which of them (and of every other operation) a secondary region answers is decided before the
handler runs, in ``backend.replicas.admit``.
"""

from __future__ import annotations

import functools

import botocore.session

from ..backend import pagination, replicas, tags
from ..backend.replicas import ReplicaView
from ._registry import Params, RequestContext, Response, operation
from ._shapes import listing


@functools.cache
def _known_regions() -> frozenset[str]:
    """The regions botocore's endpoint data lists for Cognito user pools, in every partition."""
    session = botocore.session.get_session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("cognito-idp", partition)
    )


def _replica(view: ReplicaView) -> Response:
    return {
        "RegionName": view.region,
        "Status": view.status,
        "Role": view.role,
        "UserPoolArn": view.arn,
    }


@operation("CreateUserPoolReplica")
def create_user_pool_replica(ctx: RequestContext, params: Params) -> Response:
    given_tags = tags.checked_tags(params.get("UserPoolTags", {}))
    view = replicas.create_replica(
        ctx.backend, ctx.pool(params), params["RegionName"], given_tags, _known_regions()
    )
    return {"UserPoolReplica": _replica(view)}


@operation("UpdateUserPoolReplica")
def update_user_pool_replica(ctx: RequestContext, params: Params) -> Response:
    view = replicas.update_replica(ctx.pool(params), params["RegionName"], params["Status"])
    return {"UserPoolReplica": _replica(view)}


@operation("DeleteUserPoolReplica")
def delete_user_pool_replica(ctx: RequestContext, params: Params) -> Response:
    view = replicas.delete_replica(ctx.backend, ctx.pool(params), params["RegionName"])
    return {"UserPoolReplica": _replica(view)}


@operation("ListUserPoolReplicas")
def list_user_pool_replicas(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    # A pool has at most two entries, so one page holds them all; a token is still checked.
    views, next_token = pagination.page(
        replicas.list_replicas(pool),
        scope=f"replicas:{pool.id}",
        limit=60,
        token=params.get("NextToken"),
    )
    return listing("UserPoolReplicas", [_replica(v) for v in views], next_token)
