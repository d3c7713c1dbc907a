"""AdminInitiateAuth and InitiateAuth (the seed's REFRESH_TOKEN flow among them), and
GetTokensFromRefreshToken."""

from __future__ import annotations

from ..backend import app_clients, auth, token_refresh
from ..backend.sign_in import IssuedTokens
from ._registry import Params, RequestContext, Response, operation
from ._shapes import without_none
from .threat_protection import event_context


def authentication_result(issued: IssuedTokens) -> Response:
    """AuthenticationResultType: members without a value are omitted."""
    return without_none(
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


def outcome_shape(outcome: auth.AuthOutcome) -> Response:
    """The answer of a sign-in step: tokens, or the next challenge."""
    if outcome.tokens is not None:
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": authentication_result(outcome.tokens),
        }
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
        session=params.get("Session"),
        context=event_context(params),
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
        session=params.get("Session"),
        context=event_context(params),
    )
    return outcome_shape(auth.initiate_auth(request))


@operation("GetTokensFromRefreshToken")
def get_tokens_from_refresh_token(ctx: RequestContext, params: Params) -> Response:
    # Unsigned, like InitiateAuth: the region is the one the request was sent to.
    request = token_refresh.RefreshRequest(
        refresh_token=params["RefreshToken"],
        client_id=params["ClientId"],
        client_secret=params.get("ClientSecret"),
        device_key=params.get("DeviceKey"),
        client_metadata=params.get("ClientMetadata"),
    )
    issued = token_refresh.get_tokens_from_refresh_token(ctx.backend, ctx.region, request)
    return {"AuthenticationResult": authentication_result(issued)}
