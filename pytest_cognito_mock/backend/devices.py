"""Device tracking: the devices Cognito remembers for a user.

A pool tracks devices when its ``DeviceConfiguration`` has any property set. Every sign-in then
happens on a device: the one named by a known ``DEVICE_KEY``, or a new one whose key and group
key come back as ``NewDeviceMetadata``. A device starts unconfirmed; ConfirmDevice stores its
secret verifier and name and remembers it (unless the pool only remembers devices when the user
says so, in which case UpdateDeviceStatus does). Refresh tokens issued on a device only refresh
with that device's key, and only while the device is confirmed. A remembered device may stand
in for MFA (:func:`standing_in_for_mfa`; the sign-in itself is :mod:`.flow_device`).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from . import clock, ids
from .errors import DeviceKeyExistsException, NotAuthorizedException, ResourceNotFoundException
from .models import User, UserPool

DEVICE_NOT_FOUND = "Device does not exist."
#: What refreshing a device's refresh token without the (confirmed) device gets.
INVALID_REFRESH_TOKEN = "Invalid Refresh Token."

_ALNUM = string.ascii_letters + string.digits
_random = random.SystemRandom()


@dataclass
class Device:
    key: str
    group_key: str
    created: float
    modified: float
    last_authenticated: float
    confirmed: bool = False
    name: str | None = None
    #: None until confirmed; then whether the device is remembered.
    remembered: bool | None = None
    #: The SRP verifier and salt ConfirmDevice registered (base64, stored as given).
    password_verifier: str | None = None
    salt: str | None = None


def tracks_devices(pool: UserPool) -> bool:
    """Whether the pool remembers devices: any DeviceConfiguration property turns it on."""
    return bool(pool.device_configuration)


def _new_device_key(region: str) -> str:
    """``<region>_<uuid>``, e.g. ``us-west-2_b2ed4f4b-dd34-48ef-a3cd-e6e20df58219``."""
    return f"{region}_{ids.uuid4()}"


def _new_group_key() -> str:
    """``-`` and 8 alphanumerics, e.g. ``-v7w9UcY6``."""
    return "-" + "".join(_random.choices(_ALNUM, k=8))


def device_for_sign_in(
    pool: UserPool, user: User, given_key: str | None
) -> tuple[Device, bool] | None:
    """The device a sign-in happens on and whether it is new; None when the pool tracks none.

    A ``DEVICE_KEY`` of one of the user's devices names that device; anything else (no key, or a
    key the user does not have) means a new device.
    """
    if not tracks_devices(pool):
        return None
    now = clock.now()
    known = user.devices.get(given_key) if given_key else None
    if known is not None:
        known.last_authenticated = now
        return known, False
    device = Device(
        key=_new_device_key(pool.region),
        group_key=_new_group_key(),
        created=now,
        modified=now,
        last_authenticated=now,
    )
    user.devices[device.key] = device
    return device, True


def get_device(user: User, key: str) -> Device:
    device = user.devices.get(key)
    if device is None:
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    return device


def confirm_device(
    pool: UserPool,
    user: User,
    key: str,
    *,
    name: str | None,
    password_verifier: str | None,
    salt: str | None,
) -> bool:
    """ConfirmDevice; returns UserConfirmationNecessary (the app must ask the user to remember).

    With DeviceOnlyRememberedOnUserPrompt the device is confirmed but not remembered until
    UpdateDeviceStatus; otherwise it is remembered at once.
    """
    device = get_device(user, key)
    if device.confirmed:
        raise DeviceKeyExistsException("Device key already exists.")
    ask_user = bool((pool.device_configuration or {}).get("DeviceOnlyRememberedOnUserPrompt"))
    device.confirmed = True
    device.remembered = not ask_user
    device.name = name
    device.password_verifier = password_verifier
    device.salt = salt
    device.modified = clock.now()
    return ask_user


def update_device_status(user: User, key: str, status: str | None) -> None:
    """UpdateDeviceStatus: ``remembered`` or ``not_remembered`` (omitted: no change)."""
    device = get_device(user, key)
    if status is None:
        return
    device.remembered = status == "remembered"
    device.modified = clock.now()


def forget_device(user: User, key: str) -> None:
    """ForgetDevice: the device is gone, and refresh tokens issued on it stop working."""
    get_device(user, key)
    del user.devices[key]


def list_devices(user: User) -> list[Device]:
    """The user's confirmed devices (remembered or not), oldest first (a stable order for
    pagination). A device only issued at sign-in, never confirmed, is not listed."""
    confirmed = [device for device in user.devices.values() if device.confirmed]
    return sorted(confirmed, key=lambda device: (device.created, device.key))


def standing_in_for_mfa(pool: UserPool, user: User, given_key: str | None) -> Device | None:
    """The device that may answer for MFA at this sign-in, if any.

    Only in a pool with ``ChallengeRequiredOnNewDevice``, and only a device of the user's that
    is confirmed, remembered and holds the verifier ConfirmDevice registered: a new, forgotten
    or not-remembered device still passes MFA.
    """
    if not given_key or not (pool.device_configuration or {}).get("ChallengeRequiredOnNewDevice"):
        return None
    device = user.devices.get(given_key)
    if device is None or not device.confirmed or not device.remembered:
        return None
    return device if device.password_verifier and device.salt else None


def device_attributes(
    pool: UserPool, user: User, device: Device, account_id: str, *, developer: bool
) -> dict[str, str]:
    """DeviceAttributes in the order Cognito lists them.

    ``dev:`` attributes are developer-only: the administrative operations show them, the
    operations a user calls with an access token do not.
    """
    attributes = {"device_status": "valid"}
    if device.name is not None:
        attributes["device_name"] = device.name
    if developer:
        owner = f"{user.username}.{pool.id}"
        attributes["dev:device_arn"] = (
            f"arn:aws:cognito-idp:{pool.region}:{account_id}:owner/{owner}/device/{device.key}"
        )
        attributes["dev:device_owner"] = owner
        if device.remembered is not None:
            attributes["dev:device_remembered_status"] = (
                "remembered" if device.remembered else "not_remembered"
            )
        attributes["dev:device_sdk"] = "aws-sdk"
    return attributes


def check_refresh_device(user: User, device_key: str, given_key: str | None) -> None:
    """A refresh token issued on ``device_key`` refreshes only with that key, on a device that
    still exists and was confirmed."""
    device = user.devices.get(device_key)
    if given_key != device_key or device is None or not device.confirmed:
        raise NotAuthorizedException(INVALID_REFRESH_TOKEN)
    device.last_authenticated = clock.now()
