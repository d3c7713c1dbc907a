"""Device tracking: NewDeviceMetadata at sign-in, ConfirmDevice, the device operations, and
refreshing a device's tokens."""

from __future__ import annotations

import base64
import json
import re

import pytest
from freezegun import freeze_time
from support.errors import error_of

PASSWORD = "Corr3ct-horse!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
VERIFIER = {"PasswordVerifier": "TXlWZXJpZmllclN0cmluZw", "Salt": "TXlTUlBTYWx0"}


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def make_pool(cognito_idp, **device_configuration) -> tuple[str, str]:
    """A pool that remembers devices (or not, given nothing), its client, and a user "ada"."""
    extra = {"DeviceConfiguration": device_configuration} if device_configuration else {}
    pool_id = cognito_idp.create_user_pool(PoolName="devices", **extra)["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    return pool_id, client_id


def sign_in(cognito_idp, pool_id: str, client_id: str, **extra) -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD, **extra},
    )["AuthenticationResult"]


def refresh(cognito_idp, client_id: str, refresh_token: str, **extra) -> dict:
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token, **extra},
    )["AuthenticationResult"]


def confirm(cognito_idp, result: dict, name: str = "Ada's laptop") -> dict:
    return cognito_idp.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=result["NewDeviceMetadata"]["DeviceKey"],
        DeviceSecretVerifierConfig=VERIFIER,
        DeviceName=name,
    )


@pytest.fixture
def tracked(cognito_idp) -> tuple[str, str]:
    return make_pool(cognito_idp, ChallengeRequiredOnNewDevice=False)


def test_sign_in_on_a_new_device_returns_its_metadata_and_key_claim(cognito_idp, tracked):
    result = sign_in(cognito_idp, *tracked)
    metadata = result["NewDeviceMetadata"]
    assert re.fullmatch(
        r"us-east-1_[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", metadata["DeviceKey"]
    )
    assert re.fullmatch(r"-[A-Za-z0-9]{8}", metadata["DeviceGroupKey"])
    assert claims(result["AccessToken"])["device_key"] == metadata["DeviceKey"]
    assert "device_key" not in claims(result["IdToken"])
    # Every sign-in without a known DEVICE_KEY is a new device.
    again = sign_in(cognito_idp, *tracked)
    assert again["NewDeviceMetadata"]["DeviceKey"] != metadata["DeviceKey"]


def test_pools_without_device_configuration_track_nothing(cognito_idp):
    result = sign_in(cognito_idp, *make_pool(cognito_idp))
    assert "NewDeviceMetadata" not in result
    assert "device_key" not in claims(result["AccessToken"])


def test_a_known_device_key_signs_in_on_that_device(cognito_idp, tracked):
    first = sign_in(cognito_idp, *tracked)
    key = first["NewDeviceMetadata"]["DeviceKey"]
    confirm(cognito_idp, first)
    second = sign_in(cognito_idp, *tracked, DEVICE_KEY=key)
    assert "NewDeviceMetadata" not in second
    assert claims(second["AccessToken"])["device_key"] == key


def test_confirm_device_then_list_devices(cognito_idp, tracked):
    pool_id, _ = tracked
    with freeze_time("2024-05-07 16:52:22.500"):
        result = sign_in(cognito_idp, *tracked)
    key = result["NewDeviceMetadata"]["DeviceKey"]
    with freeze_time("2024-05-07 16:55:00"):
        assert confirm(cognito_idp, result)["UserConfirmationNecessary"] is False
        listed = cognito_idp.list_devices(AccessToken=result["AccessToken"])
    [device] = listed["Devices"]
    assert "PaginationToken" not in listed
    assert device["DeviceKey"] == key
    assert device["DeviceAttributes"] == [
        {"Name": "device_status", "Value": "valid"},
        {"Name": "device_name", "Value": "Ada's laptop"},
    ]
    assert device["DeviceCreateDate"].timestamp() == 1715100742.5
    assert device["DeviceLastModifiedDate"].timestamp() == 1715100900.0
    assert device["DeviceLastAuthenticatedDate"].timestamp() == 1715100742.0
    # The administrator sees the developer-only attributes too.
    [admin_view] = cognito_idp.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"]
    attributes = {a["Name"]: a["Value"] for a in admin_view["DeviceAttributes"]}
    assert attributes["dev:device_remembered_status"] == "remembered"
    assert attributes["dev:device_owner"] == f"ada.{pool_id}"
    assert attributes["dev:device_arn"] == (
        f"arn:aws:cognito-idp:us-east-1:123456789012:owner/ada.{pool_id}/device/{key}"
    )


def test_devices_only_remembered_on_user_prompt(cognito_idp):
    pool_id, client_id = make_pool(cognito_idp, DeviceOnlyRememberedOnUserPrompt=True)
    result = sign_in(cognito_idp, pool_id, client_id)
    key = result["NewDeviceMetadata"]["DeviceKey"]
    assert confirm(cognito_idp, result)["UserConfirmationNecessary"] is True

    def remembered_status() -> str:
        device = cognito_idp.admin_get_device(UserPoolId=pool_id, Username="ada", DeviceKey=key)
        attributes = {a["Name"]: a["Value"] for a in device["Device"]["DeviceAttributes"]}
        return attributes["dev:device_remembered_status"]

    assert remembered_status() == "not_remembered"
    cognito_idp.update_device_status(
        AccessToken=result["AccessToken"], DeviceKey=key, DeviceRememberedStatus="remembered"
    )
    assert remembered_status() == "remembered"


def test_confirming_twice_or_an_unknown_device_is_refused(cognito_idp, tracked):
    result = sign_in(cognito_idp, *tracked)
    confirm(cognito_idp, result)
    with pytest.raises(cognito_idp.exceptions.DeviceKeyExistsException):
        confirm(cognito_idp, result)
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        cognito_idp.confirm_device(
            AccessToken=result["AccessToken"],
            DeviceKey="us-east-1_00000000-0000-0000-0000-000000000000",
            DeviceSecretVerifierConfig=VERIFIER,
        )
    assert error_of(raised) == ("ResourceNotFoundException", "Device does not exist.")


def test_list_devices_pages(cognito_idp, tracked):
    pool_id, _ = tracked
    results = [sign_in(cognito_idp, *tracked) for _ in range(3)]
    for result in results:
        confirm(cognito_idp, result)
    keys = [result["NewDeviceMetadata"]["DeviceKey"] for result in results]
    first = cognito_idp.admin_list_devices(UserPoolId=pool_id, Username="ada", Limit=2)
    second = cognito_idp.admin_list_devices(
        UserPoolId=pool_id, Username="ada", Limit=2, PaginationToken=first["PaginationToken"]
    )
    assert "PaginationToken" not in second
    listed = [d["DeviceKey"] for d in first["Devices"] + second["Devices"]]
    assert sorted(listed) == sorted(keys)


def test_only_confirmed_devices_are_listed(cognito_idp, tracked):
    """A device issued at sign-in and never confirmed is not listed (docs/fidelity.md); a
    confirmed one is, remembered or not."""
    pool_id, _ = tracked
    confirmed = sign_in(cognito_idp, *tracked)
    unconfirmed = sign_in(cognito_idp, *tracked)
    confirm(cognito_idp, confirmed)
    cognito_idp.update_device_status(
        AccessToken=confirmed["AccessToken"],
        DeviceKey=confirmed["NewDeviceMetadata"]["DeviceKey"],
        DeviceRememberedStatus="not_remembered",
    )
    for listed in (
        cognito_idp.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"],
        cognito_idp.list_devices(AccessToken=unconfirmed["AccessToken"])["Devices"],
    ):
        assert [d["DeviceKey"] for d in listed] == [confirmed["NewDeviceMetadata"]["DeviceKey"]]
    # The unconfirmed device still exists: it can be fetched and confirmed later.
    key = unconfirmed["NewDeviceMetadata"]["DeviceKey"]
    cognito_idp.admin_get_device(UserPoolId=pool_id, Username="ada", DeviceKey=key)


def test_refreshing_a_device_token_needs_its_device_key(cognito_idp, tracked):
    _, client_id = tracked
    result = sign_in(cognito_idp, *tracked)
    key = result["NewDeviceMetadata"]["DeviceKey"]
    # Before ConfirmDevice the device cannot refresh, with or without its key.
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        refresh(cognito_idp, client_id, result["RefreshToken"], DEVICE_KEY=key)
    assert error_of(raised) == ("NotAuthorizedException", "Invalid Refresh Token.")
    confirm(cognito_idp, result)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        refresh(cognito_idp, client_id, result["RefreshToken"])
    assert error_of(raised) == ("NotAuthorizedException", "Invalid Refresh Token.")
    refreshed = refresh(cognito_idp, client_id, result["RefreshToken"], DEVICE_KEY=key)
    assert claims(refreshed["AccessToken"])["device_key"] == key
    assert "NewDeviceMetadata" not in refreshed


def test_admin_forget_device_ends_its_refresh_tokens(cognito_idp, tracked):
    pool_id, client_id = tracked
    result = sign_in(cognito_idp, *tracked)
    key = result["NewDeviceMetadata"]["DeviceKey"]
    confirm(cognito_idp, result)
    cognito_idp.admin_forget_device(UserPoolId=pool_id, Username="ada", DeviceKey=key)
    assert cognito_idp.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"] == []
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        cognito_idp.get_device(AccessToken=result["AccessToken"], DeviceKey=key)
    assert error_of(raised)[1] == "Device does not exist."
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        refresh(cognito_idp, client_id, result["RefreshToken"], DEVICE_KEY=key)
    assert error_of(raised)[1] == "Invalid Refresh Token."
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException):
        cognito_idp.admin_forget_device(UserPoolId=pool_id, Username="ada", DeviceKey=key)


def test_forget_device_with_the_users_own_token(cognito_idp, tracked):
    pool_id, _ = tracked
    result = sign_in(cognito_idp, *tracked)
    key = result["NewDeviceMetadata"]["DeviceKey"]
    device = cognito_idp.get_device(AccessToken=result["AccessToken"], DeviceKey=key)["Device"]
    assert device["DeviceKey"] == key
    cognito_idp.forget_device(AccessToken=result["AccessToken"], DeviceKey=key)
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException):
        cognito_idp.admin_get_device(UserPoolId=pool_id, Username="ada", DeviceKey=key)


def test_device_operations_need_a_valid_access_token(cognito_idp, tracked):
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.list_devices(AccessToken="not.a.token")
    assert error_of(raised) == ("NotAuthorizedException", "Invalid Access Token")
