"""GetDerivedToken: OAuth 2.0 token exchange (RFC 8693) through the API."""

from __future__ import annotations

from ..backend import derived_tokens
from ..backend.derived_tokens import Exchange
from ._registry import Params, RequestContext, Response, operation


@operation("GetDerivedToken")
def get_derived_token(ctx: RequestContext, params: Params) -> Response:
    issued = derived_tokens.get_derived_token(
        ctx.backend,
        ctx.region,
        params["ClientId"],
        params.get("ClientSecret"),
        Exchange(
            subject_token=params["SubjectToken"],
            subject_token_type=params["SubjectTokenType"],
            subject_provider=params.get("SubjectTokenProviderName"),
            actor_token=params.get("ActorToken"),
            actor_token_type=params.get("ActorTokenType"),
            actor_provider=params.get("ActorTokenProviderName"),
            scopes=params.get("Scopes"),
            audiences=params.get("Audiences"),
            resources=params.get("Resources"),
            requested_token_type=params.get("RequestedTokenType", derived_tokens.ACCESS_TOKEN),
        ),
    )
    response: Response = {
        "IssuedToken": issued.token,
        "IssuedTokenType": issued.token_type,
        # RFC 8693: "N_A" when the issued token is not an access token.
        "TokenType": "Bearer" if issued.token_type == derived_tokens.ACCESS_TOKEN else "N_A",
        "ExpiresIn": issued.expires_in,
    }
    if issued.scopes:
        response["Scopes"] = list(issued.scopes)
    return response
