"""GlobalSignOut, AdminUserGlobalSignOut, RevokeToken."""

from __future__ import annotations

from ..backend import access_tokens, sign_out, users
from ._registry import Params, RequestContext, Response, operation


@operation("GlobalSignOut")
def global_sign_out(ctx: RequestContext, params: Params) -> Response:
    owner = access_tokens.owner_of(ctx.backend, ctx.region, params["AccessToken"])
    sign_out.global_sign_out(ctx.backend, owner.pool, owner.user)
    return {}


@operation("AdminUserGlobalSignOut")
def admin_user_global_sign_out(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    sign_out.global_sign_out(ctx.backend, pool, users.get_user(pool, params["Username"]))
    return {}


@operation("RevokeToken")
def revoke_token(ctx: RequestContext, params: Params) -> Response:
    sign_out.revoke_token(
        ctx.backend,
        ctx.region,
        params["Token"],
        params["ClientId"],
        params.get("ClientSecret"),
        params.get("RevokeAssociatedSessions"),
    )
    return {}
