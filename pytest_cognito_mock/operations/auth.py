"""AdminInitiateAuth and InitiateAuth (the seed's REFRESH_TOKEN flow among them)."""

from __future__ import annotations

from ..backend import app_clients, auth
from ._registry import Params, RequestContext, Response, operation
from ._shapes import without_none


def outcome_shape(outcome: auth.AuthOutcome) -> Response:
    """The answer of a sign-in step: tokens, or the next challenge."""
    if outcome.tokens is not None:
        issued = outcome.tokens
        result = without_none(
            {
                "AccessToken": issued.access_token,
                "ExpiresIn": issued.expires_in,
                "TokenType": "Bearer",
                "RefreshToken": issued.refresh_token,
                "IdToken": issued.id_token,
                "NewDeviceMetadata": (
                    {"DeviceKey": issued.new_device[0], "DeviceGroupKey": issued.new_device[1]}
                    if issued.new_device is not None
                    else None
                ),
            }
        )
        return {"ChallengeParameters": {}, "AuthenticationResult": result}
    # A plain SRP PASSWORD_VERIFIER challenge carries no Session: omitted, not null.
    return without_none(
        {
            "ChallengeName": outcome.challenge_name,
            "Session": outcome.session,
            "ChallengeParameters": outcome.challenge_parameters,
            "AvailableChallenges": outcome.available_challenges,
        }
    )


@operation("AdminInitiateAuth")
def admin_initiate_auth(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    client = app_clients.describe_user_pool_client(pool, params["ClientId"])
    request = auth.AuthRequest(
        ctx.backend,
        pool,
        client,
        params["AuthFlow"],
        params.get("AuthParameters", {}),
        admin=True,
        client_metadata=params.get("ClientMetadata"),
    )
    return outcome_shape(auth.initiate_auth(request))


@operation("InitiateAuth")
def initiate_auth(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    request = auth.AuthRequest(
        ctx.backend,
        pool,
        client,
        params["AuthFlow"],
        params.get("AuthParameters", {}),
        admin=False,
        client_metadata=params.get("ClientMetadata"),
    )
    return outcome_shape(auth.initiate_auth(request))
