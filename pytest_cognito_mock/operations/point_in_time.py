"""InitiatePointInTimeRecovery, DescribePointInTimeRecovery, ListPointInTimeRecoveries,
StartPointInTimeRecovery, CancelPointInTimeRecovery."""

from __future__ import annotations

from ..backend import clock, pagination
from ..backend import point_in_time as recoveries
from ..backend.point_in_time import Restoration
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp

#: ListPointInTimeRecoveries' page when MaxResults is not given (the model's default).
DEFAULT_PAGE = 60


def restoration_shape(restoration: Restoration) -> Response:
    """RestorationType; the preview once it is generated."""
    status = restoration.status(clock.now())
    shape: Response = {
        "RestoreId": restoration.restore_id,
        "RestoreStatus": status,
        "RestoreTimestamp": timestamp(restoration.restore_timestamp),
        "TriggerTimestamp": timestamp(restoration.trigger_timestamp),
    }
    if status != recoveries.GENERATING:
        shape["RestorePreview"] = [
            {
                "Entity": count.entity,
                "CreateCount": count.create,
                "UpdateCount": count.update,
                "DeleteCount": count.delete,
            }
            for count in restoration.preview
        ]
    return shape


@operation("InitiatePointInTimeRecovery")
def initiate_point_in_time_recovery(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    restoration = recoveries.initiate(ctx.backend, pool, float(params["RestoreTimestamp"]))
    return {"Restoration": restoration_shape(restoration)}


@operation("DescribePointInTimeRecovery")
def describe_point_in_time_recovery(ctx: RequestContext, params: Params) -> Response:
    restoration = recoveries.describe(ctx.pool(params), params["RestoreId"])
    return {"Restoration": restoration_shape(restoration)}


@operation("StartPointInTimeRecovery")
def start_point_in_time_recovery(ctx: RequestContext, params: Params) -> Response:
    restoration = recoveries.start(ctx.backend, ctx.pool(params), params["RestoreId"])
    return {"Restoration": restoration_shape(restoration)}


@operation("CancelPointInTimeRecovery")
def cancel_point_in_time_recovery(ctx: RequestContext, params: Params) -> Response:
    restoration = recoveries.cancel(ctx.backend, ctx.pool(params), params["RestoreId"])
    return {"Restoration": restoration_shape(restoration)}


@operation("ListPointInTimeRecoveries")
def list_point_in_time_recoveries(ctx: RequestContext, params: Params) -> Response:
    """The pool's recoveries, newest first, without their previews."""
    pool = ctx.pool(params)
    now = clock.now()
    page, next_token = pagination.page(
        recoveries.newest_first(pool),
        f"ListPointInTimeRecoveries:{pool.id}",
        params.get("MaxResults", DEFAULT_PAGE),
        params.get("NextToken"),
    )
    response: Response = {
        "Restorations": [
            {
                "RestoreId": restoration.restore_id,
                "RestoreStatus": restoration.status(now),
                "RestoreTimestamp": timestamp(restoration.restore_timestamp),
            }
            for restoration in page
        ]
    }
    if next_token is not None:
        response["NextToken"] = next_token
    return response
