"""GetClientToken: an app client's machine-to-machine access token, through the API."""

from __future__ import annotations

from ..backend import client_tokens
from ._registry import Params, RequestContext, Response, operation


@operation("GetClientToken")
def get_client_token(ctx: RequestContext, params: Params) -> Response:
    issued = client_tokens.get_client_token(
        ctx.backend,
        ctx.region,
        params["ClientId"],
        params["Secret"],
        params.get("Scopes"),
        params.get("ClientMetadata"),
    )
    return {
        "ClientAuthenticationResult": {
            "AccessToken": issued.access_token,
            "ExpiresIn": issued.expires_in,
            "TokenType": "Bearer",
        }
    }
