"""ConfirmDevice, ListDevices, AdminListDevices, GetDevice, AdminGetDevice, ForgetDevice,
AdminForgetDevice, UpdateDeviceStatus, AdminUpdateDeviceStatus."""

from __future__ import annotations

from ..backend import access_tokens, devices, pagination, users
from ..backend.models import User, UserPool
from ._registry import Params, RequestContext, Response, operation
from ._shapes import attribute_list, timestamp, without_none

#: ListDevices' and AdminListDevices' page size when Limit is omitted (or 0): the maximum.
DEFAULT_LIST_LIMIT = 60


def _token_owner(ctx: RequestContext, params: Params) -> tuple[UserPool, User]:
    # GetDevice and ForgetDevice model AccessToken as optional; without one nobody is signed in.
    owner = access_tokens.owner_of(ctx.backend, ctx.region, params.get("AccessToken") or "")
    return owner.pool, owner.user


def _named_user(ctx: RequestContext, params: Params) -> tuple[UserPool, User]:
    pool = ctx.pool(params)
    return pool, users.get_user(pool, params["Username"])


def _device_type(
    ctx: RequestContext, pool: UserPool, user: User, device: devices.Device, *, admin: bool
) -> Response:
    attributes = devices.device_attributes(
        pool, user, device, ctx.backend.account_id, developer=admin
    )
    return {
        "DeviceKey": device.key,
        "DeviceAttributes": attribute_list(attributes),
        "DeviceCreateDate": timestamp(device.created),
        "DeviceLastModifiedDate": timestamp(device.modified),
        # Cognito reports the last authentication in whole seconds.
        "DeviceLastAuthenticatedDate": float(int(device.last_authenticated)),
    }


def _device_page(
    ctx: RequestContext, pool: UserPool, user: User, params: Params, *, admin: bool
) -> Response:
    page, next_token = pagination.page(
        devices.list_devices(user),
        scope=f"devices:{pool.id}:{user.sub}",
        limit=params.get("Limit") or DEFAULT_LIST_LIMIT,
        token=params.get("PaginationToken"),
    )
    return without_none(
        {
            "Devices": [_device_type(ctx, pool, user, d, admin=admin) for d in page],
            "PaginationToken": next_token,
        }
    )


@operation("ConfirmDevice")
def confirm_device(ctx: RequestContext, params: Params) -> Response:
    pool, user = _token_owner(ctx, params)
    verifier = params.get("DeviceSecretVerifierConfig") or {}
    necessary = devices.confirm_device(
        pool,
        user,
        params["DeviceKey"],
        name=params.get("DeviceName"),
        password_verifier=verifier.get("PasswordVerifier"),
        salt=verifier.get("Salt"),
    )
    return {"UserConfirmationNecessary": necessary}


@operation("ListDevices")
def list_devices(ctx: RequestContext, params: Params) -> Response:
    pool, user = _token_owner(ctx, params)
    return _device_page(ctx, pool, user, params, admin=False)


@operation("AdminListDevices")
def admin_list_devices(ctx: RequestContext, params: Params) -> Response:
    pool, user = _named_user(ctx, params)
    return _device_page(ctx, pool, user, params, admin=True)


@operation("GetDevice")
def get_device(ctx: RequestContext, params: Params) -> Response:
    pool, user = _token_owner(ctx, params)
    device = devices.get_device(user, params["DeviceKey"])
    return {"Device": _device_type(ctx, pool, user, device, admin=False)}


@operation("AdminGetDevice")
def admin_get_device(ctx: RequestContext, params: Params) -> Response:
    pool, user = _named_user(ctx, params)
    device = devices.get_device(user, params["DeviceKey"])
    return {"Device": _device_type(ctx, pool, user, device, admin=True)}


@operation("ForgetDevice")
def forget_device(ctx: RequestContext, params: Params) -> Response:
    _, user = _token_owner(ctx, params)
    devices.forget_device(user, params["DeviceKey"])
    return {}


@operation("AdminForgetDevice")
def admin_forget_device(ctx: RequestContext, params: Params) -> Response:
    _, user = _named_user(ctx, params)
    devices.forget_device(user, params["DeviceKey"])
    return {}


@operation("UpdateDeviceStatus")
def update_device_status(ctx: RequestContext, params: Params) -> Response:
    _, user = _token_owner(ctx, params)
    devices.update_device_status(user, params["DeviceKey"], params.get("DeviceRememberedStatus"))
    return {}


@operation("AdminUpdateDeviceStatus")
def admin_update_device_status(ctx: RequestContext, params: Params) -> Response:
    _, user = _named_user(ctx, params)
    devices.update_device_status(user, params["DeviceKey"], params.get("DeviceRememberedStatus"))
    return {}
