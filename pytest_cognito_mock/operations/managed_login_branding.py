"""CreateManagedLoginBranding, DescribeManagedLoginBranding, DescribeManagedLoginBrandingByClient,
UpdateManagedLoginBranding, DeleteManagedLoginBranding."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ..backend import managed_login_branding as branding_domain
from ..backend.errors import InvalidParameterException, SerializationException
from ..backend.managed_login_branding import BrandingAsset, ManagedLoginBranding
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp, without_none


def branding_shape(
    pool_id: str, branding: ManagedLoginBranding, merge_defaults: bool = False
) -> Response:
    """ManagedLoginBrandingType. Settings is left out while the style has none of its own
    (unless merged with the defaults); Assets is always there, empty or not."""
    return without_none(
        {
            "ManagedLoginBrandingId": branding.branding_id,
            "UserPoolId": pool_id,
            "UseCognitoProvidedValues": branding.use_cognito_provided_values,
            "Settings": branding_domain.settings_shown(branding, merge_defaults),
            "Assets": [_asset_shape(asset) for asset in branding.assets],
            "CreationDate": timestamp(branding.created),
            "LastModifiedDate": timestamp(branding.modified),
        }
    )


def _asset_shape(asset: BrandingAsset) -> Response:
    return without_none(
        {
            "Category": asset.category,
            "ColorMode": asset.color_mode,
            "Extension": asset.extension,
            "Bytes": base64.b64encode(asset.data).decode("ascii"),
            "ResourceId": asset.resource_id,
        }
    )


def _assets(params: Params) -> list[BrandingAsset] | None:
    """The request's Assets, their Bytes decoded; the decoded size is checked here, against the
    model's AssetBytesType, because the generic validation leaves blobs alone."""
    given = params.get("Assets")
    if given is None:
        return None
    assets = []
    too_large = []
    for index, item in enumerate(given, start=1):
        data = _decoded(item.get("Bytes"), index)
        if len(data) > branding_domain.MAX_ASSET_BYTES:
            too_large.append(
                f"Value at 'assets.{index}.member.bytes' failed to satisfy constraint: "
                f"Member must have length less than or equal to {branding_domain.MAX_ASSET_BYTES}"
            )
        assets.append(
            BrandingAsset(
                category=item["Category"],
                color_mode=item["ColorMode"],
                extension=item["Extension"],
                data=data,
                resource_id=item.get("ResourceId"),
            )
        )
    if too_large:
        count = len(too_large)
        raise InvalidParameterException(
            f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(too_large)
        )
    return assets


def _decoded(encoded: Any, index: int) -> bytes:
    if encoded is None:
        return b""
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SerializationException(f"Assets.{index}.Bytes is not valid base64.") from None


def _required(params: Params, *members: str) -> None:
    """Members the model leaves optional (UpdateManagedLoginBranding's ids) that the operation
    cannot do without, refused in the model's own words."""
    missing = [
        f"Value null at '{m[0].lower() + m[1:]}' failed to satisfy constraint: "
        "Member must not be null"
        for m in members
        if params.get(m) is None
    ]
    if missing:
        count = len(missing)
        raise InvalidParameterException(
            f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(missing)
        )


@operation("CreateManagedLoginBranding")
def create_managed_login_branding(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    assets = _assets(params)
    branding = branding_domain.create_branding(
        pool,
        params["ClientId"],
        use_cognito_provided_values=params.get("UseCognitoProvidedValues"),
        settings=params.get("Settings"),
        assets=assets,
    )
    return {"ManagedLoginBranding": branding_shape(pool.id, branding)}


@operation("UpdateManagedLoginBranding")
def update_managed_login_branding(ctx: RequestContext, params: Params) -> Response:
    _required(params, "UserPoolId", "ManagedLoginBrandingId")
    pool = ctx.pool(params)
    assets = _assets(params)
    branding = branding_domain.update_branding(
        pool,
        params["ManagedLoginBrandingId"],
        use_cognito_provided_values=params.get("UseCognitoProvidedValues"),
        settings=params.get("Settings"),
        assets=assets,
    )
    return {"ManagedLoginBranding": branding_shape(pool.id, branding)}


@operation("DescribeManagedLoginBranding")
def describe_managed_login_branding(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    branding = branding_domain.describe_branding(pool, params["ManagedLoginBrandingId"])
    merge = bool(params.get("ReturnMergedResources"))
    return {"ManagedLoginBranding": branding_shape(pool.id, branding, merge)}


@operation("DescribeManagedLoginBrandingByClient")
def describe_managed_login_branding_by_client(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    branding = branding_domain.describe_branding_by_client(pool, params["ClientId"])
    merge = bool(params.get("ReturnMergedResources"))
    return {"ManagedLoginBranding": branding_shape(pool.id, branding, merge)}


@operation("DeleteManagedLoginBranding")
def delete_managed_login_branding(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    branding_domain.delete_branding(pool, params["ManagedLoginBrandingId"])
    return {}
