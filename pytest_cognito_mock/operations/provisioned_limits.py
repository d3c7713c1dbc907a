"""GetProvisionedLimit, UpdateProvisionedLimit (per account and region; no pool)."""

from __future__ import annotations

from ..backend import provisioned_limits
from ..backend.provisioned_limits import Limit
from ._registry import Params, RequestContext, Response, operation


def _limit(limit: Limit) -> Response:
    return {
        "Limit": {
            "LimitDefinition": {
                "LimitClass": provisioned_limits.API_CATEGORY,
                "Attributes": {provisioned_limits.CATEGORY: limit.category},
            },
            "ProvisionedLimitValue": limit.provisioned,
            "FreeLimitValue": limit.free,
        }
    }


@operation("GetProvisionedLimit")
def get_provisioned_limit(ctx: RequestContext, params: Params) -> Response:
    definition = params["LimitDefinition"]
    return _limit(
        provisioned_limits.get_limit(
            ctx.backend, ctx.region, definition["LimitClass"], definition["Attributes"]
        )
    )


@operation("UpdateProvisionedLimit")
def update_provisioned_limit(ctx: RequestContext, params: Params) -> Response:
    definition = params["LimitDefinition"]
    return _limit(
        provisioned_limits.update_limit(
            ctx.backend,
            ctx.region,
            definition["LimitClass"],
            definition["Attributes"],
            params["RequestedLimitValue"],
        )
    )
