"""RespondToAuthChallenge and AdminRespondToAuthChallenge."""

from __future__ import annotations

from ..backend import app_clients, challenges
from ..backend.models import AppClient, UserPool
from ._registry import Params, RequestContext, Response, operation
from .auth import outcome_shape
from .threat_protection import event_context


@operation("RespondToAuthChallenge")
def respond_to_auth_challenge(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    return _respond(ctx, params, pool, client, admin=False)


@operation("AdminRespondToAuthChallenge")
def admin_respond_to_auth_challenge(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    client = app_clients.describe_user_pool_client(pool, params["ClientId"])
    return _respond(ctx, params, pool, client, admin=True)


def _respond(
    ctx: RequestContext,
    params: Params,
    pool: UserPool,
    client: AppClient,
    *,
    admin: bool,
) -> Response:
    outcome = challenges.respond(
        ctx.backend,
        pool,
        client,
        params["ChallengeName"],
        params.get("Session"),
        params.get("ChallengeResponses", {}),
        params.get("ClientMetadata"),
        admin=admin,
        context=event_context(params),
    )
    return outcome_shape(outcome)
