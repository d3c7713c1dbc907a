"""Create/Describe/DescribeByClient/Update/DeleteManagedLoginBranding, through boto3."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import boto3
import pytest
from freezegun import freeze_time
from support.errors import refused
from support.model import requires_operation

from pytest_cognito_mock.backend.managed_login_branding import DEFAULT_SETTINGS

pytestmark = [
    requires_operation("CreateManagedLoginBranding"),
    requires_operation("DescribeManagedLoginBranding"),
    requires_operation("DescribeManagedLoginBrandingByClient"),
    requires_operation("UpdateManagedLoginBranding"),
    requires_operation("DeleteManagedLoginBranding"),
]

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OTHER_PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
ICO = b"\x00\x00\x01\x00" + b"\x00" * 16
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'
MISSING_ID = "11111111-2222-4333-8444-555555555555"
NOON = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
LATER = datetime(2030, 1, 1, 13, tzinfo=timezone.utc)
SETTINGS = {"components": {"form": {"borderRadius": 4.0}}, "categories": {"x": 1}}


def logo(data: bytes = PNG, mode: str = "LIGHT", **extra) -> dict:
    return {
        "Category": "PAGE_HEADER_LOGO",
        "ColorMode": mode,
        "Extension": "PNG",
        "Bytes": data,
        **extra,
    }


def create(cognito_idp, pool_id, client_id, **kwargs) -> dict:
    return cognito_idp.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, **kwargs
    )["ManagedLoginBranding"]


def describe(cognito_idp, pool_id, branding_id, **kwargs) -> dict:
    return cognito_idp.describe_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=branding_id, **kwargs
    )["ManagedLoginBranding"]


def by_client(cognito_idp, pool_id, client_id, **kwargs) -> dict:
    return cognito_idp.describe_managed_login_branding_by_client(
        UserPoolId=pool_id, ClientId=client_id, **kwargs
    )["ManagedLoginBranding"]


def update(cognito_idp, pool_id, branding_id, **kwargs) -> dict:
    return cognito_idp.update_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=branding_id, **kwargs
    )["ManagedLoginBranding"]


def no_style(client_id: str) -> str:
    return f"Managed login branding for app client {client_id} does not exist."


# --- create and describe ----------------------------------------------------------------------


def test_a_style_with_cognito_values_has_no_settings_and_no_assets(cognito_idp, pool_id, client_id):
    with freeze_time(NOON):
        created = create(cognito_idp, pool_id, client_id, UseCognitoProvidedValues=True)
    assert UUID4.match(created["ManagedLoginBrandingId"])
    assert created == {
        "ManagedLoginBrandingId": created["ManagedLoginBrandingId"],
        "UserPoolId": pool_id,
        "UseCognitoProvidedValues": True,
        "Assets": [],
        "CreationDate": NOON,
        "LastModifiedDate": NOON,
    }
    assert describe(cognito_idp, pool_id, created["ManagedLoginBrandingId"]) == created
    assert by_client(cognito_idp, pool_id, client_id) == created


def test_a_request_with_nothing_in_it_gets_cognito_values(cognito_idp, pool_id, client_id):
    created = create(cognito_idp, pool_id, client_id)
    assert created["UseCognitoProvidedValues"] is True
    assert "Settings" not in created


def test_settings_and_assets_are_kept_as_given(cognito_idp, pool_id, client_id):
    created = create(cognito_idp, pool_id, client_id, Settings=SETTINGS, Assets=[logo()])
    assert created["UseCognitoProvidedValues"] is False
    assert created["Settings"] == SETTINGS
    assert created["Assets"] == [logo()]
    assert describe(cognito_idp, pool_id, created["ManagedLoginBrandingId"])["Assets"] == [logo()]


def test_merged_resources_lay_the_style_over_cognitos_defaults(cognito_idp, pool_id, client_id):
    created = create(cognito_idp, pool_id, client_id, Settings=SETTINGS)
    merged = describe(
        cognito_idp, pool_id, created["ManagedLoginBrandingId"], ReturnMergedResources=True
    )["Settings"]
    assert merged["components"]["form"]["borderRadius"] == 4.0
    assert (
        merged["components"]["form"]["lightMode"]
        == (DEFAULT_SETTINGS["components"]["form"]["lightMode"])
    )
    assert merged["categories"]["x"] == 1
    assert merged["categories"]["global"] == DEFAULT_SETTINGS["categories"]["global"]
    # Without the flag, only what was customized.
    assert describe(cognito_idp, pool_id, created["ManagedLoginBrandingId"])["Settings"] == (
        SETTINGS
    )


def test_merged_resources_of_a_default_style_are_the_defaults(cognito_idp, pool_id, client_id):
    create(cognito_idp, pool_id, client_id, UseCognitoProvidedValues=True)
    shown = by_client(cognito_idp, pool_id, client_id, ReturnMergedResources=True)
    assert shown["Settings"] == DEFAULT_SETTINGS


def test_a_second_client_sees_the_same_style(cognito_idp, pool_id, client_id):
    created = create(cognito_idp, pool_id, client_id, Settings=SETTINGS)
    other = boto3.client("cognito-idp", region_name="us-east-1")
    assert (
        other.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)[
            "ManagedLoginBranding"
        ]
        == created
    )


def test_one_style_per_app_client(cognito_idp, pool_id, client_id):
    first = create(cognito_idp, pool_id, client_id, UseCognitoProvidedValues=True)
    refused(
        cognito_idp.create_managed_login_branding,
        "ManagedLoginBrandingExistsException",
        f"A managed login branding style already exists for app client {client_id}.",
        UserPoolId=pool_id,
        ClientId=client_id,
        Settings=SETTINGS,
    )
    assert by_client(cognito_idp, pool_id, client_id) == first
    # Another client of the pool gets its own.
    second_client = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="b")[
        "UserPoolClient"
    ]["ClientId"]
    second = create(cognito_idp, pool_id, second_client)
    assert second["ManagedLoginBrandingId"] != first["ManagedLoginBrandingId"]


# --- refusals -------------------------------------------------------------------------------------


def test_unknown_pool_and_client(cognito_idp, pool_id, client_id):
    refused(
        cognito_idp.create_managed_login_branding,
        "ResourceNotFoundException",
        "User pool us-east-1_nothere does not exist.",
        UserPoolId="us-east-1_nothere",
        ClientId=client_id,
    )
    refused(
        cognito_idp.create_managed_login_branding,
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
        UserPoolId=pool_id,
        ClientId="nosuchclient",
    )
    refused(
        cognito_idp.describe_managed_login_branding_by_client,
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
        UserPoolId=pool_id,
        ClientId="nosuchclient",
    )


def test_unknown_style(cognito_idp, pool_id, client_id):
    message = f"Managed login branding {MISSING_ID} does not exist."
    for call, extra in (
        (cognito_idp.describe_managed_login_branding, {}),
        (cognito_idp.update_managed_login_branding, {"UseCognitoProvidedValues": True}),
        (cognito_idp.delete_managed_login_branding, {}),
    ):
        refused(
            call,
            "ResourceNotFoundException",
            message,
            UserPoolId=pool_id,
            ManagedLoginBrandingId=MISSING_ID,
            **extra,
        )
    refused(
        cognito_idp.describe_managed_login_branding_by_client,
        "ResourceNotFoundException",
        no_style(client_id),
        UserPoolId=pool_id,
        ClientId=client_id,
    )


def test_a_style_is_found_only_in_its_own_pool(cognito_idp, pool_id, client_id):
    created = create(cognito_idp, pool_id, client_id)
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    branding_id = created["ManagedLoginBrandingId"]
    refused(
        cognito_idp.describe_managed_login_branding,
        "ResourceNotFoundException",
        f"Managed login branding {branding_id} does not exist.",
        UserPoolId=other_pool,
        ManagedLoginBrandingId=branding_id,
    )


@pytest.mark.parametrize(
    "extra", [{"Settings": SETTINGS}, {"Assets": [logo()]}], ids=["settings", "assets"]
)
def test_cognito_values_exclude_settings_and_assets(cognito_idp, pool_id, client_id, extra):
    message = "Settings and Assets must be omitted when UseCognitoProvidedValues is true."
    refused(
        cognito_idp.create_managed_login_branding,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        ClientId=client_id,
        UseCognitoProvidedValues=True,
        **extra,
    )
    refused(
        cognito_idp.describe_managed_login_branding_by_client,
        "ResourceNotFoundException",
        no_style(client_id),
        UserPoolId=pool_id,
        ClientId=client_id,
    )
    branding_id = create(cognito_idp, pool_id, client_id)["ManagedLoginBrandingId"]
    refused(
        cognito_idp.update_managed_login_branding,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        ManagedLoginBrandingId=branding_id,
        UseCognitoProvidedValues=True,
        **extra,
    )


def test_settings_must_be_an_object(cognito_idp, pool_id, client_id):
    refused(
        cognito_idp.create_managed_login_branding,
        "InvalidParameterException",
        "Settings must be a JSON object.",
        UserPoolId=pool_id,
        ClientId=client_id,
        Settings=["not", "an", "object"],
    )


@pytest.mark.parametrize(
    ("asset", "message"),
    [
        (
            {"Category": "FAVICON_ICO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG},
            "Asset category FAVICON_ICO requires extension ICO.",
        ),
        (
            {"Category": "FAVICON_SVG", "ColorMode": "DARK", "Extension": "PNG", "Bytes": PNG},
            "Asset category FAVICON_SVG requires extension SVG.",
        ),
        (
            {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "ICO", "Bytes": ICO},
            "Asset category FORM_LOGO does not accept extension ICO.",
        ),
        (
            {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG"},
            "Asset FORM_LOGO has no Bytes.",
        ),
        (
            {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "JPEG", "Bytes": PNG},
            "Asset FORM_LOGO is not a valid JPEG file.",
        ),
        (
            {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "SVG", "Bytes": b"hi"},
            "Asset FORM_LOGO is not a valid SVG file.",
        ),
    ],
    ids=["ico-favicon", "svg-favicon", "ico-elsewhere", "no-bytes", "not-jpeg", "not-svg"],
)
def test_asset_checks(cognito_idp, pool_id, client_id, asset, message):
    refused(
        cognito_idp.create_managed_login_branding,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        ClientId=client_id,
        Assets=[asset],
    )


def test_good_assets_of_every_file_type(cognito_idp, pool_id, client_id):
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 8
    assets = [
        {"Category": "FAVICON_ICO", "ColorMode": "DYNAMIC", "Extension": "ICO", "Bytes": ICO},
        {"Category": "FAVICON_SVG", "ColorMode": "DYNAMIC", "Extension": "SVG", "Bytes": SVG},
        {"Category": "PAGE_BACKGROUND", "ColorMode": "LIGHT", "Extension": "WEBP", "Bytes": webp},
        {"Category": "PAGE_BACKGROUND", "ColorMode": "DARK", "Extension": "JPEG", "Bytes": jpeg},
    ]
    assert create(cognito_idp, pool_id, client_id, Assets=assets)["Assets"] == assets


def test_one_asset_per_category_and_color_mode(cognito_idp, pool_id, client_id):
    refused(
        cognito_idp.create_managed_login_branding,
        "InvalidParameterException",
        "Assets has more than one PAGE_HEADER_LOGO image for color mode LIGHT.",
        UserPoolId=pool_id,
        ClientId=client_id,
        Assets=[logo(), logo(OTHER_PNG)],
    )


def test_asset_bytes_are_limited_to_a_million(cognito_idp, pool_id, client_id):
    big = PNG + b"\x00" * (1_000_001 - len(PNG))
    refused(
        cognito_idp.create_managed_login_branding,
        "InvalidParameterException",
        "1 validation error detected: Value at 'assets.2.member.bytes' failed to satisfy "
        "constraint: Member must have length less than or equal to 1000000",
        UserPoolId=pool_id,
        ClientId=client_id,
        Assets=[logo(mode="DARK"), logo(big)],
    )
    exact = PNG + b"\x00" * (1_000_000 - len(PNG))
    assert create(cognito_idp, pool_id, client_id, Assets=[logo(exact)])["Assets"] == [logo(exact)]


def test_the_model_limits_assets_to_forty(cognito_idp, pool_id, client_id):
    with pytest.raises(Exception) as raised:
        cognito_idp.create_managed_login_branding(
            UserPoolId=pool_id, ClientId=client_id, Assets=[logo()] * 41
        )
    assert "Member must have length less than or equal to 40" in str(raised.value)


def test_a_lite_pool_has_no_managed_login(cognito_idp, client_id, pool_id):
    lite = cognito_idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    lite_client = cognito_idp.create_user_pool_client(UserPoolId=lite, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    refused(
        cognito_idp.create_managed_login_branding,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Managed Login",
        UserPoolId=lite,
        ClientId=lite_client,
    )
    # A style made before a downgrade can still be read and deleted, not changed.
    branding_id = create(cognito_idp, pool_id, client_id)["ManagedLoginBrandingId"]
    cognito_idp.update_user_pool(UserPoolId=pool_id, UserPoolTier="LITE")
    refused(
        cognito_idp.update_managed_login_branding,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Managed Login",
        UserPoolId=pool_id,
        ManagedLoginBrandingId=branding_id,
        Settings=SETTINGS,
    )
    assert "Settings" not in describe(cognito_idp, pool_id, branding_id)
    cognito_idp.delete_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=branding_id
    )


def test_plus_has_managed_login(cognito_idp):
    plus = cognito_idp.create_user_pool(PoolName="plus", UserPoolTier="PLUS")["UserPool"]["Id"]
    client = cognito_idp.create_user_pool_client(UserPoolId=plus, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    assert create(cognito_idp, plus, client)["UseCognitoProvidedValues"] is True


# --- update ---------------------------------------------------------------------------------------


def test_update_merges_settings_and_replaces_assets_by_slot(cognito_idp, pool_id, client_id):
    with freeze_time(NOON):
        created = create(
            cognito_idp, pool_id, client_id, Settings=SETTINGS, Assets=[logo(), logo(mode="DARK")]
        )
    branding_id = created["ManagedLoginBrandingId"]
    with freeze_time(LATER):
        updated = update(
            cognito_idp,
            pool_id,
            branding_id,
            Settings={"components": {"form": {"lightMode": {"borderColor": "000000ff"}}}},
            Assets=[logo(OTHER_PNG)],
        )
    assert updated["Settings"] == {
        "components": {"form": {"borderRadius": 4.0, "lightMode": {"borderColor": "000000ff"}}},
        "categories": {"x": 1},
    }
    assert updated["Assets"] == [logo(OTHER_PNG), logo(mode="DARK")]
    assert updated["CreationDate"] == NOON
    assert updated["LastModifiedDate"] == LATER
    assert describe(cognito_idp, pool_id, branding_id) == updated


def test_a_null_in_the_settings_changes_nothing(cognito_idp, pool_id, client_id):
    branding_id = create(cognito_idp, pool_id, client_id, Settings=SETTINGS)[
        "ManagedLoginBrandingId"
    ]
    updated = update(cognito_idp, pool_id, branding_id, Settings={"categories": None, "y": [1]})
    assert updated["Settings"] == {**SETTINGS, "y": [1]}


def test_update_with_cognito_values_reverts_to_the_defaults(cognito_idp, pool_id, client_id):
    branding_id = create(cognito_idp, pool_id, client_id, Settings=SETTINGS, Assets=[logo()])[
        "ManagedLoginBrandingId"
    ]
    reverted = update(cognito_idp, pool_id, branding_id, UseCognitoProvidedValues=True)
    assert reverted["UseCognitoProvidedValues"] is True
    assert "Settings" not in reverted
    assert reverted["Assets"] == []
    # Customizing a default style turns the flag off.
    customized = update(cognito_idp, pool_id, branding_id, Settings=SETTINGS)
    assert customized["UseCognitoProvidedValues"] is False
    assert customized["Settings"] == SETTINGS


def test_update_checks_assets_before_changing_anything(cognito_idp, pool_id, client_id):
    created = create(cognito_idp, pool_id, client_id, Settings=SETTINGS, Assets=[logo()])
    refused(
        cognito_idp.update_managed_login_branding,
        "InvalidParameterException",
        "Asset PAGE_HEADER_LOGO is not a valid PNG file.",
        UserPoolId=pool_id,
        ManagedLoginBrandingId=created["ManagedLoginBrandingId"],
        Settings={"categories": None},
        Assets=[logo(b"not a png")],
    )
    assert describe(cognito_idp, pool_id, created["ManagedLoginBrandingId"]) == created


def test_update_needs_the_pool_and_the_style(cognito_idp):
    refused(
        cognito_idp.update_managed_login_branding,
        "InvalidParameterException",
        "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: "
        "Member must not be null; Value null at 'managedLoginBrandingId' failed to satisfy "
        "constraint: Member must not be null",
        UseCognitoProvidedValues=True,
    )


# --- delete and cascades ------------------------------------------------------------------------


def test_delete_frees_the_client_for_a_new_style(cognito_idp, pool_id, client_id):
    branding_id = create(cognito_idp, pool_id, client_id)["ManagedLoginBrandingId"]
    assert (
        cognito_idp.delete_managed_login_branding(
            UserPoolId=pool_id, ManagedLoginBrandingId=branding_id
        )["ResponseMetadata"]["HTTPStatusCode"]
        == 200
    )
    refused(
        cognito_idp.describe_managed_login_branding,
        "ResourceNotFoundException",
        f"Managed login branding {branding_id} does not exist.",
        UserPoolId=pool_id,
        ManagedLoginBrandingId=branding_id,
    )
    refused(
        cognito_idp.describe_managed_login_branding_by_client,
        "ResourceNotFoundException",
        no_style(client_id),
        UserPoolId=pool_id,
        ClientId=client_id,
    )
    assert create(cognito_idp, pool_id, client_id)["ManagedLoginBrandingId"] != branding_id


def test_deleting_the_client_deletes_its_style(cognito_idp, pool_id, client_id):
    branding_id = create(cognito_idp, pool_id, client_id)["ManagedLoginBrandingId"]
    kept_client = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="kept")[
        "UserPoolClient"
    ]["ClientId"]
    kept = create(cognito_idp, pool_id, kept_client)
    cognito_idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    refused(
        cognito_idp.describe_managed_login_branding,
        "ResourceNotFoundException",
        f"Managed login branding {branding_id} does not exist.",
        UserPoolId=pool_id,
        ManagedLoginBrandingId=branding_id,
    )
    assert describe(cognito_idp, pool_id, kept["ManagedLoginBrandingId"]) == kept


def test_deleting_the_pool_deletes_its_styles(cognito_idp, pool_id, client_id):
    branding_id = create(cognito_idp, pool_id, client_id)["ManagedLoginBrandingId"]
    cognito_idp.delete_user_pool(UserPoolId=pool_id)
    refused(
        cognito_idp.describe_managed_login_branding,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        UserPoolId=pool_id,
        ManagedLoginBrandingId=branding_id,
    )
