"""TagResource, UntagResource, ListTagsForResource (user pools, named by their ARN)."""

from __future__ import annotations

from ..backend import tags
from ..backend.models import UserPool
from ._registry import Params, RequestContext, Response, operation


def _pool(ctx: RequestContext, params: Params) -> UserPool:
    return tags.resource_pool(ctx.backend, ctx.region, params["ResourceArn"])


@operation("TagResource")
def tag_resource(ctx: RequestContext, params: Params) -> Response:
    tags.tag_resource(_pool(ctx, params), params["Tags"])
    return {}


@operation("UntagResource")
def untag_resource(ctx: RequestContext, params: Params) -> Response:
    tags.untag_resource(_pool(ctx, params), params["TagKeys"])
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: RequestContext, params: Params) -> Response:
    return {"Tags": dict(_pool(ctx, params).tags)}
