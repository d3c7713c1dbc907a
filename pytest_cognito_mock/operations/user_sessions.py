"""Get/SetUserPoolSessionConfiguration, Get/SetUserPoolClientSessionConfiguration,
ListUserSessions, AdminListUserSessions, RevokeUserSession, AdminRevokeUserSession."""

from __future__ import annotations

from ..backend import pagination, users
from ..backend import user_sessions as sessions
from ..backend.models import User, UserPool
from ..backend.user_sessions import DISABLED, ENABLED, SessionTracking, UserSession
from ._registry import Params, RequestContext, Response, operation
from ._shapes import listing, timestamp, without_none
from .self_service import signed_in_caller


def _pool_configuration(pool_id: str, tracking: SessionTracking) -> Response:
    return {
        "UserPoolId": pool_id,
        "UserSessionTracking": ENABLED if tracking.enabled else DISABLED,
        "TokenSession": {"MaxPerUser": tracking.max_per_user},
    }


def _client_configuration(pool_id: str, client_id: str, minutes: int) -> Response:
    return {
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "SSOSession": {"MaxValidityMinutes": minutes},
    }


def _session_shape(session: UserSession, current_id: str | None) -> Response:
    """SessionType. The mock knows no IP address, so LastIPAddress and LastLocation are
    never there (see docs/fidelity.md)."""
    return without_none(
        {
            "SessionId": session.session_id,
            "SessionType": session.kind,
            "ClientId": session.client_id,
            "CreateDate": timestamp(session.created),
            "LastActiveDate": timestamp(session.last_active),
            "DeviceType": session.device_type,
            "OriginSessionId": session.origin_session_id,
            "IsCurrentSession": session.session_id == current_id,
        }
    )


def _listing(
    ctx: RequestContext,
    params: Params,
    pool: UserPool,
    user: User,
    current_id: str | None,
) -> Response:
    """Every active session of the user, in one page (the model's 125 at most)."""
    found = sessions.list_sessions(ctx.backend, pool, user)
    page, next_token = pagination.page(
        found, f"UserSessions:{pool.id}:{user.sub}", sessions.LIST_PAGE, params.get("NextToken")
    )
    return listing("Sessions", [_session_shape(s, current_id) for s in page], next_token)


@operation("GetUserPoolSessionConfiguration")
def get_user_pool_session_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    return _pool_configuration(pool.id, sessions.configuration(pool))


@operation("SetUserPoolSessionConfiguration")
def set_user_pool_session_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    tracking = sessions.configure(
        pool, params["UserSessionTracking"], params["TokenSession"]["MaxPerUser"]
    )
    return _pool_configuration(pool.id, tracking)


@operation("GetUserPoolClientSessionConfiguration")
def get_user_pool_client_session_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    minutes = sessions.client_sso_minutes(pool, params["ClientId"])
    return _client_configuration(pool.id, params["ClientId"], minutes)


@operation("SetUserPoolClientSessionConfiguration")
def set_user_pool_client_session_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    minutes = sessions.configure_client(
        pool, params["ClientId"], params["SSOSession"]["MaxValidityMinutes"]
    )
    return _client_configuration(pool.id, params["ClientId"], minutes)


@operation("ListUserSessions")
def list_user_sessions(ctx: RequestContext, params: Params) -> Response:
    owner = signed_in_caller(ctx, params)
    current = sessions.current_session_id(owner.pool, owner.claims.get("origin_jti"))
    return _listing(ctx, params, owner.pool, owner.user, current)


@operation("AdminListUserSessions")
def admin_list_user_sessions(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    user = users.get_user(pool, params["Username"])
    return _listing(ctx, params, pool, user, None)  # no access token: nothing is current


@operation("RevokeUserSession")
def revoke_user_session(ctx: RequestContext, params: Params) -> Response:
    owner = signed_in_caller(ctx, params)
    sessions.revoke(
        ctx.backend,
        owner.pool,
        owner.user,
        params["SessionId"],
        params.get("RevokeAssociatedSessions"),
        current_id=sessions.current_session_id(owner.pool, owner.claims.get("origin_jti")),
    )
    return {}


@operation("AdminRevokeUserSession")
def admin_revoke_user_session(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    user = users.get_user(pool, params["Username"])
    sessions.revoke(
        ctx.backend, pool, user, params["SessionId"], params.get("RevokeAssociatedSessions")
    )
    return {}
