"""StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials,
DeleteWebAuthnCredential: a signed-in user's passkeys, named by an access token alone.

The token is checked as for every self-service operation (signature, expiry, revocation, the
``aws.cognito.signin.user.admin`` scope, the user's state); its app client is the one a
registration's two calls must share.
"""

from __future__ import annotations

from ..backend import pagination, passkeys
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp, without_none
from .self_service import _caller


def _client_id(claims: dict[str, object]) -> str:
    return str(claims.get("client_id", ""))


@operation("StartWebAuthnRegistration")
def start_web_authn_registration(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    options = passkeys.start_registration(owner.pool, owner.user, _client_id(owner.claims))
    return {"CredentialCreationOptions": options}


@operation("CompleteWebAuthnRegistration")
def complete_web_authn_registration(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    passkeys.complete_registration(
        owner.pool,
        owner.user,
        _client_id(owner.claims),
        params["Credential"],
        extra_origins=ctx.backend.passkey_origins,
    )
    return {}


@operation("ListWebAuthnCredentials")
def list_web_authn_credentials(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    page, next_token = pagination.page(
        owner.user.passkeys,
        scope=f"passkeys:{owner.pool.id}:{owner.user.sub}",
        # MaxResults 0 (or none) is the maximum, as for the other listings of a user's things.
        limit=params.get("MaxResults") or passkeys.MAX_PASSKEYS,
        token=params.get("NextToken"),
    )
    return without_none({"Credentials": [_description(p) for p in page], "NextToken": next_token})


@operation("DeleteWebAuthnCredential")
def delete_web_authn_credential(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    passkeys.delete_passkey(owner.pool, owner.user, params["CredentialId"])
    return {}


def _description(passkey: passkeys.Passkey) -> Response:
    """WebAuthnCredentialDescription."""
    return without_none(
        {
            "CredentialId": passkey.credential_id,
            "FriendlyCredentialName": passkey.friendly_name,
            "RelyingPartyId": passkey.relying_party_id,
            "AuthenticatorAttachment": passkey.attachment,
            "AuthenticatorTransports": list(passkey.transports),
            "CreatedAt": timestamp(passkey.created),
        }
    )
