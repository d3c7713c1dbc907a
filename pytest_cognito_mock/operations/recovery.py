"""ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword, ChangePassword."""

from __future__ import annotations

from ..backend import access_tokens, auth_events, recovery
from ._registry import Params, RequestContext, Response, operation
from .threat_protection import event_context
from .users import code_delivery_details


@operation("ForgotPassword")
def forgot_password(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    # AnalyticsMetadata feeds analytics: nothing here.
    with auth_events.recording(
        pool, client, params["Username"], auth_events.FORGOT_PASSWORD, event_context(params)
    ):
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
    with auth_events.recording(
        pool,
        client,
        params["Username"],
        auth_events.FORGOT_PASSWORD,
        event_context(params),
        failures=True,
    ):
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
    with auth_events.recording(
        owner.pool, None, owner.user.username, auth_events.PASSWORD_CHANGE, failures=True
    ):
        recovery.change_password(
            owner.pool, owner.user, params.get("PreviousPassword"), params["ProposedPassword"]
        )
    return {}
