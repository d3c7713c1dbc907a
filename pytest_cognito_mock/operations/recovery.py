"""ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword, ChangePassword."""

from __future__ import annotations

from ..backend import access_tokens, recovery
from ._registry import Params, RequestContext, Response, operation
from .users import code_delivery_details


@operation("ForgotPassword")
def forgot_password(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    # UserContextData and AnalyticsMetadata feed threat protection and analytics: nothing here.
    delivery = recovery.forgot_password(
        ctx.backend,
        pool,
        client,
        params["Username"],
        secret_hash=params.get("SecretHash"),
        client_metadata=params.get("ClientMetadata"),
    )
    return {"CodeDeliveryDetails": code_delivery_details(delivery)}


@operation("ConfirmForgotPassword")
def confirm_forgot_password(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    recovery.confirm_forgot_password(
        ctx.backend,
        pool,
        client,
        params["Username"],
        params["ConfirmationCode"],
        params["Password"],
        secret_hash=params.get("SecretHash"),
        client_metadata=params.get("ClientMetadata"),
    )
    return {}


@operation("AdminResetUserPassword")
def admin_reset_user_password(ctx: RequestContext, params: Params) -> Response:
    recovery.admin_reset_user_password(
        ctx.pool(params),
        params["Username"],
        backend=ctx.backend,
        client_metadata=params.get("ClientMetadata"),
    )
    return {}


@operation("ChangePassword")
def change_password(ctx: RequestContext, params: Params) -> Response:
    owner = access_tokens.owner_of(ctx.backend, ctx.region, params["AccessToken"])
    recovery.change_password(
        owner.pool, owner.user, params.get("PreviousPassword"), params["ProposedPassword"]
    )
    return {}
