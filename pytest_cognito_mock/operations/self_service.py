"""GetUser, UpdateUserAttributes, DeleteUserAttributes, DeleteUser,
GetUserAttributeVerificationCode, VerifyUserAttribute: a signed-in user acting on itself.

Each call names its user by an access token alone. The token is checked first
(:func:`access_tokens.owner_of`: signature, region, expiry, revocation), then its scope, then
the user's state; only then does the operation look at its other members.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from typing import Any

from ..backend import access_tokens, clock, groups, ids, messages, mfa, tokens, users
from ..backend.access_tokens import AccessTokenOwner
from ..backend.attributes import (
    CONTACT_ATTRIBUTES,
    GivenAttributes,
    claim_aliases,
    replace_attributes,
    take_over_aliases,
)
from ..backend.errors import (
    AliasExistsException,
    CodeMismatchException,
    ExpiredCodeException,
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    ServiceError,
    UserNotConfirmedException,
)
from ..backend.models import PendingCode, User, UserPool
from ._registry import Params, RequestContext, Response, operation
from ._shapes import attribute_list, without_none
from .users import code_delivery_details

MISSING_SCOPE = "Access Token does not have required scopes"
NOT_VERIFIABLE = "Invalid attribute name. Only phone_number and email can be verified."

#: User states in which a still-valid access token is refused: status -> (error, message).
_REFUSED_STATUSES: dict[str, tuple[type[ServiceError], str]] = {
    "RESET_REQUIRED": (PasswordResetRequiredException, "Password reset required for the user"),
    "UNCONFIRMED": (UserNotConfirmedException, "User is not confirmed."),
}
#: How a verification code reaches each verifiable attribute.
_DELIVERY_MEDIUMS: dict[str, str] = {"email": "EMAIL", "phone_number": "SMS"}
#: GetUserAttributeVerificationCode for an attribute the user has no value for.
_NOTHING_TO_SEND: dict[str, str] = {
    "email": "User does not have a valid registered email",
    "phone_number": "User does not have a valid registered phone number",
}
#: A used code stays on record, expired, so that sending it again is an expired code.
_USED = float("-inf")


def _caller(ctx: RequestContext, params: Params) -> AccessTokenOwner:
    """The pool and user the request's access token speaks for, or AWS's refusal."""
    owner = access_tokens.owner_of(ctx.backend, ctx.region, params["AccessToken"])
    if tokens.API_SCOPE not in str(owner.claims.get("scope", "")).split():
        raise NotAuthorizedException(MISSING_SCOPE)
    user = owner.user
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    refusal = _REFUSED_STATUSES.get(user.status)
    if refusal is not None:
        error, message = refusal
        raise error(message)
    return owner


#: For other modules' self-service operations (SetUserSettings): the same checks, in order.
signed_in_caller = _caller


def _check_client_may_write(ctx: RequestContext, owner: AccessTokenOwner, names: list[str]) -> None:
    # The app client the token was issued to limits what its user may write (WriteAttributes,
    # never the verification flags); a client deleted since then limits nothing.
    client = ctx.backend.clients.get(str(owner.claims.get("client_id", "")))
    if client is not None:
        users._check_client_may_write(owner.pool, client, names)


def _given(items: Iterable[Mapping[str, Any]]) -> GivenAttributes:
    """AttributeType items as (name, value); a missing Value stays None (the backend refuses it)."""
    return [(item["Name"], item.get("Value")) for item in items]


@operation("GetUser")
def get_user(ctx: RequestContext, params: Params) -> Response:
    user = _caller(ctx, params).user
    return without_none(
        {
            "Username": user.username,
            "UserAttributes": attribute_list(user.attributes),
            "MFAOptions": mfa.legacy_mfa_options(user) or None,
            "PreferredMfaSetting": user.preferred_mfa,
            "UserMFASettingList": list(user.mfa_methods) or None,
        }
    )


@operation("UpdateUserAttributes")
def update_user_attributes(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    given = _given(params["UserAttributes"])
    _check_client_may_write(ctx, owner, [name for name, _ in given])
    deliveries = users.update_user_attributes(
        owner.pool,
        owner.user.username,
        given,
        backend=ctx.backend,
        client_id=str(owner.claims.get("client_id", "")) or None,
        client_metadata=params.get("ClientMetadata"),
    )
    return without_none(
        {"CodeDeliveryDetailsList": [code_delivery_details(d) for d in deliveries] or None}
    )


@operation("DeleteUserAttributes")
def delete_user_attributes(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    names = list(params["UserAttributeNames"])
    _check_client_may_write(ctx, owner, names)
    users.delete_user_attributes(owner.pool, owner.user.username, names)
    return {}


@operation("DeleteUser")
def delete_user(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    groups.forget_user(owner.pool, owner.user)
    users.delete_user(owner.pool, owner.user)
    return {}


@operation("GetUserAttributeVerificationCode")
def get_user_attribute_verification_code(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    pool, user, name = owner.pool, owner.user, params["AttributeName"]
    value = _verifiable_value(user, name, _NOTHING_TO_SEND.get(name, ""))
    # Sent on request whether or not the pool auto-verifies the attribute; a new code replaces
    # the previous one.
    code = ids.confirmation_code()
    delivery = users.CodeDelivery(_DELIVERY_MEDIUMS[name], name, value)
    users.send(
        ctx.backend,
        pool,
        user,
        delivery,
        code,
        messages.VERIFY_USER_ATTRIBUTE,
        str(owner.claims.get("client_id", "")) or None,
        params.get("ClientMetadata"),
    )
    # Kept once sent: a CustomMessage or sender trigger that fails leaves the old code in place.
    user.verification_codes[name] = PendingCode(
        code, clock.now() + users.CODE_VALIDITY_SECONDS, name
    )
    return {"CodeDeliveryDetails": code_delivery_details(delivery)}


@operation("VerifyUserAttribute")
def verify_user_attribute(ctx: RequestContext, params: Params) -> Response:
    owner = _caller(ctx, params)
    name = params["AttributeName"]
    _verifiable_value(
        owner.user, name, f"Unable to verify attribute: {name} no value set to verify"
    )
    _verify(owner.pool, owner.user, name, params["Code"])
    return {}


def _verifiable_value(user: User, name: str, no_value_message: str) -> str:
    """The user's value of the attribute to verify; InvalidParameterException if it has none
    or the attribute is not one Cognito verifies."""
    if name not in CONTACT_ATTRIBUTES:
        raise InvalidParameterException(NOT_VERIFIABLE)
    value = user.attributes.get(name)
    if not value:
        raise InvalidParameterException(no_value_message)
    return value


def _verify(pool: UserPool, user: User, name: str, code: str) -> None:
    """Check ``code`` against the pending one and mark the attribute verified."""
    pending = user.verification_codes.get(name)
    if pending is None or not hmac.compare_digest(pending.code.encode(), code.encode()):
        raise CodeMismatchException(users.CODE_MISMATCH)
    if clock.now() > pending.expires:
        raise ExpiredCodeException(users.CODE_EXPIRED)
    after = dict(user.attributes)
    after[f"{name}_verified"] = "true"
    key = pool.user_key(user.username)
    # A verified email/phone number becomes an alias in AliasAttributes pools: one another user
    # already signs in with is refused, not taken over.
    takeovers = claim_aliases(pool, after, key, force=False, error=AliasExistsException)
    take_over_aliases(pool, takeovers)
    replace_attributes(pool, user, after)
    user.verification_codes[name] = PendingCode(pending.code, _USED, name)
