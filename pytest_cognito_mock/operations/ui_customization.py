"""SetUICustomization, GetUICustomization (classic hosted-UI CSS and logo)."""

from __future__ import annotations

import base64
import binascii

from ..backend import ui_customization
from ..backend.errors import SerializationException
from ..backend.ui_customization import UICustomization
from ._registry import Params, RequestContext, Response, operation
from ._shapes import without_none


def customization_shape(pool_id: str, customization: UICustomization | None) -> Response:
    """UICustomizationType. AWS's own answers carry no CreationDate or LastModifiedDate, and no
    ImageUrl without a logo; nothing set at all is the empty structure."""
    if customization is None:
        return {}
    return without_none(
        {
            "UserPoolId": pool_id,
            "ClientId": customization.client_id,
            "ImageUrl": customization.image_url,
            "CSS": customization.css,
            "CSSVersion": customization.version,
        }
    )


def _image(params: Params) -> bytes | None:
    """The ImageFile blob: base64 on the JSON wire. An empty one is no logo (the model allows
    length 0, and there is nothing to host)."""
    encoded = params.get("ImageFile")
    if encoded is None:
        return None
    try:
        image = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SerializationException("ImageFile is not valid base64.") from None
    return image or None


@operation("SetUICustomization")
def set_ui_customization(ctx: RequestContext, params: Params) -> Response:
    image = _image(params)
    pool = ctx.pool(params)
    customization = ui_customization.set_ui_customization(
        ctx.backend, pool, params.get("ClientId"), css=params.get("CSS"), image=image
    )
    return {"UICustomization": customization_shape(pool.id, customization)}


@operation("GetUICustomization")
def get_ui_customization(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    found = ui_customization.get_ui_customization(ctx.backend, pool, params.get("ClientId"))
    return {"UICustomization": customization_shape(pool.id, found)}
