"""SetLogDeliveryConfiguration, GetLogDeliveryConfiguration."""

from __future__ import annotations

from ..backend import log_delivery
from ._registry import Params, RequestContext, Response, operation


def _destination_check(ctx: RequestContext) -> log_delivery.DestinationCheck:
    services = ctx.services
    if services is None:
        return lambda member, arn: None
    return services.log_destination_exists


@operation("SetLogDeliveryConfiguration")
def set_log_delivery_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    stored = log_delivery.set_configurations(
        pool,
        ctx.region,
        ctx.backend.account_id,
        params["LogConfigurations"],
        _destination_check(ctx),
    )
    return {"LogDeliveryConfiguration": {"UserPoolId": pool.id, "LogConfigurations": stored}}


@operation("GetLogDeliveryConfiguration")
def get_log_delivery_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    return {
        "LogDeliveryConfiguration": {
            "UserPoolId": pool.id,
            "LogConfigurations": log_delivery.get_configurations(pool, ctx.region),
        }
    }
