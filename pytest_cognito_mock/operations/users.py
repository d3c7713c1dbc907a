"""AdminCreateUser, AdminGetUser, ListUsers, AdminDeleteUser, AdminSetUserPassword,
AdminEnableUser, AdminDisableUser, AdminUpdateUserAttributes, AdminDeleteUserAttributes, SignUp,
ConfirmSignUp, AdminConfirmSignUp, ResendConfirmationCode."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from ..backend import (
    auth_events,
    flow_user_auth,
    groups,
    list_filter,
    messages,
    mfa,
    pagination,
    sign_out,
    users,
)
from ..backend.attributes import GivenAttributes
from ..backend.models import User
from ._registry import Params, RequestContext, Response, operation
from ._shapes import attribute_list, timestamp, without_none
from .threat_protection import event_context

#: ListUsers' page size when Limit is omitted (or 0).
DEFAULT_LIST_LIMIT = 60


def _given(items: Iterable[Mapping[str, Any]] | None) -> GivenAttributes:
    """AttributeType items as (name, value); a missing Value stays None (the backend refuses it)."""
    return [(item["Name"], item.get("Value")) for item in items or ()]


def _metadata_map(items: Iterable[Mapping[str, Any]] | None) -> dict[str, str] | None:
    """ValidationData (AttributeType items) as the map triggers get; items without a Value are
    left out."""
    if items is None:
        return None
    return {item["Name"]: item["Value"] for item in items if item.get("Value") is not None}


def user_type(user: User, attributes: Mapping[str, str] | None = None) -> Response:
    """UserType (AdminCreateUser, ListUsers): MFAOptions only when set."""
    return without_none(
        {
            "Username": user.username,
            "Attributes": attribute_list(user.attributes if attributes is None else attributes),
            "UserCreateDate": timestamp(user.created),
            "UserLastModifiedDate": timestamp(user.modified),
            "Enabled": user.enabled,
            "UserStatus": user.status,
            "MFAOptions": mfa.legacy_mfa_options(user) or None,
        }
    )


def mask_destination(attribute: str, value: str) -> str:
    """How CodeDeliveryDetails shows where a code went: ``j***@e***``, ``+*******1212``."""
    return messages.mask(messages.channel_of(attribute), value)


def code_delivery_details(delivery: users.CodeDelivery) -> Response:
    return {
        "Destination": mask_destination(delivery.attribute, delivery.destination),
        "DeliveryMedium": delivery.medium,
        "AttributeName": delivery.attribute,
    }


@operation("AdminCreateUser")
def admin_create_user(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    # DesiredDeliveryMediums feeds message delivery, which sends nothing here.
    if params.get("MessageAction") == "RESEND":
        user = users.resend_invitation(pool, params["Username"], params.get("TemporaryPassword"))
    else:
        user = users.admin_create_user(
            pool,
            params["Username"],
            _given(params.get("UserAttributes")),
            temporary_password=params.get("TemporaryPassword"),
            force_alias_creation=params.get("ForceAliasCreation", False),
            backend=ctx.backend,
            validation_data=_metadata_map(params.get("ValidationData")),
            client_metadata=params.get("ClientMetadata"),
        )
    return {"User": user_type(user)}


@operation("AdminGetUser")
def admin_get_user(ctx: RequestContext, params: Params) -> Response:
    user = users.get_user(ctx.pool(params), params["Username"])
    return without_none(
        {
            "Username": user.username,
            "UserAttributes": attribute_list(user.attributes),
            "UserCreateDate": timestamp(user.created),
            "UserLastModifiedDate": timestamp(user.modified),
            "Enabled": user.enabled,
            "UserStatus": user.status,
            "MFAOptions": mfa.legacy_mfa_options(user) or None,
            "PreferredMfaSetting": user.preferred_mfa,
            "UserMFASettingList": list(user.mfa_methods) or None,
        }
    )


@operation("ListUsers")
def list_users(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    filter_text = params.get("Filter") or ""
    selected = list_filter.matching_users(pool, list_filter.parse_filter(filter_text))
    token = params.get("PaginationToken")
    # A token belongs to one pool and one filter; the filter is hashed to keep tokens short.
    filter_digest = hashlib.sha256(filter_text.encode("utf-8")).hexdigest()[:16]
    page, next_token = pagination.page(
        selected,
        scope=f"users:{pool.id}:{filter_digest}",
        limit=params.get("Limit") or DEFAULT_LIST_LIMIT,
        token=token,
        error_message=f"Paging marker {token} is invalid for request {ctx.request_id}",
    )
    attributes = list_filter.selected_attributes(pool, page, params.get("AttributesToGet"))
    return without_none(
        {
            "Users": [user_type(user, attrs) for user, attrs in zip(page, attributes, strict=True)],
            "PaginationToken": next_token,
        }
    )


@operation("AdminDeleteUser")
def admin_delete_user(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    user = users.get_user(pool, params["Username"])
    groups.forget_user(pool, user)
    users.delete_user(pool, user)
    return {}


@operation("AdminSetUserPassword")
def admin_set_user_password(ctx: RequestContext, params: Params) -> Response:
    users.set_user_password(
        ctx.pool(params),
        params["Username"],
        params["Password"],
        permanent=params.get("Permanent", False),
    )
    return {}


@operation("AdminEnableUser")
def admin_enable_user(ctx: RequestContext, params: Params) -> Response:
    users.set_user_enabled(ctx.pool(params), params["Username"], True)
    return {}


@operation("AdminDisableUser")
def admin_disable_user(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    user = users.set_user_enabled(pool, params["Username"], False)
    # "Deactivates a user profile and revokes all access tokens for the user": for good, so
    # AdminEnableUser brings the user back but not the tokens.
    sign_out.global_sign_out(ctx.backend, pool, user)
    return {}


@operation("AdminUpdateUserAttributes")
def admin_update_user_attributes(ctx: RequestContext, params: Params) -> Response:
    users.update_user_attributes(
        ctx.pool(params),
        params["Username"],
        _given(params["UserAttributes"]),
        backend=ctx.backend,
        client_metadata=params.get("ClientMetadata"),
    )
    return {}


@operation("AdminDeleteUserAttributes")
def admin_delete_user_attributes(ctx: RequestContext, params: Params) -> Response:
    users.delete_user_attributes(ctx.pool(params), params["Username"], params["UserAttributeNames"])
    return {}


@operation("SignUp")
def sign_up(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    with auth_events.recording(
        pool, client, params["Username"], auth_events.SIGN_UP, event_context(params)
    ):
        user, delivery = users.sign_up(
            pool,
            client,
            params["Username"],
            params.get("Password"),
            _given(params.get("UserAttributes")),
            params.get("SecretHash"),
            backend=ctx.backend,
            validation_data=_metadata_map(params.get("ValidationData")),
            client_metadata=params.get("ClientMetadata"),
        )
    return without_none(
        {
            "UserConfirmed": user.status == "CONFIRMED",
            "CodeDeliveryDetails": code_delivery_details(delivery) if delivery else None,
            "UserSub": user.sub,
        }
    )


@operation("ConfirmSignUp")
def confirm_sign_up(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    user = users.confirm_sign_up(
        pool,
        client,
        params["Username"],
        params["ConfirmationCode"],
        params.get("SecretHash"),
        force_alias_creation=params.get("ForceAliasCreation", False),
        backend=ctx.backend,
        client_metadata=params.get("ClientMetadata"),
    )
    # The confirmation code was a first factor: InitiateAuth USER_AUTH with this Session signs
    # the user in without another one.
    return {"Session": flow_user_auth.confirmed_sign_up_session(ctx.backend, pool, client, user)}


@operation("AdminConfirmSignUp")
def admin_confirm_sign_up(ctx: RequestContext, params: Params) -> Response:
    users.admin_confirm_sign_up(
        ctx.pool(params),
        params["Username"],
        backend=ctx.backend,
        client_metadata=params.get("ClientMetadata"),
    )
    return {}


@operation("ResendConfirmationCode")
def resend_confirmation_code(ctx: RequestContext, params: Params) -> Response:
    pool, client = ctx.backend.client(ctx.region, params["ClientId"])
    with auth_events.recording(
        pool, client, params["Username"], auth_events.RESEND_CODE, event_context(params)
    ):
        delivery = users.resend_confirmation_code(
            pool,
            client,
            params["Username"],
            params.get("SecretHash"),
            backend=ctx.backend,
            client_metadata=params.get("ClientMetadata"),
        )
    return {"CodeDeliveryDetails": code_delivery_details(delivery)}
