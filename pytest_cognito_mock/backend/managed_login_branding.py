"""Managed login branding styles: the five ManagedLoginBranding operations.

A style belongs to one app client, and a client has at most one. It is a settings document (the
branding editor's JSON, kept as given) and image assets, one per category and colour mode; or,
with ``UseCognitoProvidedValues``, Cognito's own defaults and nothing else. An update changes
only what it names: settings are merged into the stored document, an asset replaces the one of
its category and colour mode. Creating and updating a style need a plan with managed login
(ESSENTIALS or PLUS); describing and deleting one do not, so a downgraded pool can be cleaned up.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import clock, feature_plans, ids
from .errors import (
    InvalidParameterException,
    ManagedLoginBrandingExistsException,
    ResourceNotFoundException,
)
from .models import UserPool

#: AssetBytesType's ceiling, in decoded bytes.
MAX_ASSET_BYTES = 1_000_000

#: The categories whose file type is fixed by their name; ICO is for the .ico favicon only.
_FIXED_EXTENSION = {"FAVICON_ICO": "ICO", "FAVICON_SVG": "SVG"}

#: What Cognito's default style is taken to be, in the branding editor's document shape:
#: ``DescribeManagedLoginBranding`` with ``ReturnMergedResources`` answers this document with the
#: style's own settings merged over it. AWS does not publish its defaults; these are the mock's
#: (see docs/fidelity.md), chosen to name the editor's main groups with neutral values.
DEFAULT_SETTINGS: dict[str, Any] = {
    "categories": {
        "auth": {
            "authMethodOrder": [[{"display": "BUTTON", "type": "FEDERATED"}]],
            "federation": {"interfaceStyle": "BUTTON_LIST", "order": []},
        },
        "form": {
            "displayGraphics": True,
            "instructions": {"enabled": False},
            "languageSelector": {"enabled": False},
            "location": {"horizontal": "CENTER", "vertical": "CENTER"},
            "sessionTimerDisplay": "NONE",
        },
        "global": {
            "colorSchemeMode": "LIGHT",
            "pageFooter": {"enabled": False},
            "pageHeader": {"enabled": False},
            "spacingDensity": "REGULAR",
        },
        "signUp": {"acceptanceElements": []},
    },
    "componentClasses": {
        "buttons": {"borderRadius": 8.0},
        "input": {
            "borderRadius": 8.0,
            "lightMode": {"defaults": {"backgroundColor": "ffffffff", "borderColor": "7d8998ff"}},
            "darkMode": {"defaults": {"backgroundColor": "0f1b2aff", "borderColor": "5f6b7aff"}},
        },
        "link": {
            "lightMode": {
                "defaults": {"textColor": "0972d3ff"},
                "hover": {"textColor": "033160ff"},
            },
            "darkMode": {
                "defaults": {"textColor": "539fe5ff"},
                "hover": {"textColor": "89bdeeff"},
            },
        },
    },
    "components": {
        "form": {
            "borderRadius": 8.0,
            "lightMode": {"backgroundColor": "ffffffff", "borderColor": "c6c6cdff"},
            "darkMode": {"backgroundColor": "0f1b2aff", "borderColor": "424650ff"},
        },
        "pageBackground": {
            "image": {"enabled": True},
            "lightMode": {"color": "ffffffff"},
            "darkMode": {"color": "0f1b2aff"},
        },
        "primaryButton": {
            "lightMode": {
                "defaults": {"backgroundColor": "0972d3ff", "textColor": "ffffffff"},
                "hover": {"backgroundColor": "033160ff", "textColor": "ffffffff"},
            },
            "darkMode": {
                "defaults": {"backgroundColor": "539fe5ff", "textColor": "000716ff"},
                "hover": {"backgroundColor": "89bdeeff", "textColor": "000716ff"},
            },
        },
    },
}


@dataclass(frozen=True)
class BrandingAsset:
    """One image of a style (AssetType)."""

    category: str
    color_mode: str
    extension: str
    data: bytes
    resource_id: str | None = None

    @property
    def slot(self) -> tuple[str, str]:
        """What an asset replaces: the one of the same category and colour mode."""
        return self.category, self.color_mode


@dataclass
class ManagedLoginBranding:
    branding_id: str
    client_id: str
    created: float
    modified: float
    use_cognito_provided_values: bool
    #: The settings document as customized; None when the style has none of its own.
    settings: dict[str, Any] | None = None
    assets: list[BrandingAsset] = field(default_factory=list)


def create_branding(
    pool: UserPool,
    client_id: str,
    *,
    use_cognito_provided_values: bool | None,
    settings: object,
    assets: Sequence[BrandingAsset] | None,
) -> ManagedLoginBranding:
    """CreateManagedLoginBranding. Neither settings nor assets nor the flag: Cognito's defaults
    (the flag is then reported true)."""
    _client(pool, client_id)
    feature_plans.require_for_pool(pool, feature_plans.MANAGED_LOGIN)
    _check_request(use_cognito_provided_values, settings, assets)
    if any(b.client_id == client_id for b in pool.managed_login_brandings.values()):
        raise ManagedLoginBrandingExistsException(
            f"A managed login branding style already exists for app client {client_id}."
        )
    customized = bool(settings) or bool(assets)
    own_settings = dict(settings) if isinstance(settings, Mapping) and settings else None
    now = clock.now()
    branding = ManagedLoginBranding(
        branding_id=ids.uuid4(),
        client_id=client_id,
        created=now,
        modified=now,
        use_cognito_provided_values=not customized
        if use_cognito_provided_values is None
        else use_cognito_provided_values,
        settings=copy.deepcopy(own_settings),
        assets=_replaced([], assets or ()),
    )
    pool.managed_login_brandings[branding.branding_id] = branding
    return branding


def update_branding(
    pool: UserPool,
    branding_id: str,
    *,
    use_cognito_provided_values: bool | None,
    settings: object,
    assets: Sequence[BrandingAsset] | None,
) -> ManagedLoginBranding:
    """UpdateManagedLoginBranding: ``UseCognitoProvidedValues`` true reverts the style to the
    defaults (no settings, no assets); otherwise the request's settings are merged into the
    stored ones and its assets replace those of the same category and colour mode."""
    branding = describe_branding(pool, branding_id)
    feature_plans.require_for_pool(pool, feature_plans.MANAGED_LOGIN)
    _check_request(use_cognito_provided_values, settings, assets)
    if use_cognito_provided_values:
        branding.use_cognito_provided_values = True
        branding.settings = None
        branding.assets = []
    else:
        if isinstance(settings, Mapping) and settings:
            branding.settings = merged(branding.settings or {}, settings) or None
        if assets:
            branding.assets = _replaced(branding.assets, assets)
        if use_cognito_provided_values is False or settings or assets:
            branding.use_cognito_provided_values = False
    branding.modified = clock.now()
    return branding


def describe_branding(pool: UserPool, branding_id: str) -> ManagedLoginBranding:
    branding = pool.managed_login_brandings.get(branding_id)
    if branding is None:
        raise ResourceNotFoundException(f"Managed login branding {branding_id} does not exist.")
    return branding


def describe_branding_by_client(pool: UserPool, client_id: str) -> ManagedLoginBranding:
    _client(pool, client_id)
    for branding in pool.managed_login_brandings.values():
        if branding.client_id == client_id:
            return branding
    raise ResourceNotFoundException(
        f"Managed login branding for app client {client_id} does not exist."
    )


def delete_branding(pool: UserPool, branding_id: str) -> None:
    describe_branding(pool, branding_id)
    del pool.managed_login_brandings[branding_id]


def forget_client(pool: UserPool, client_id: str) -> None:
    """A deleted app client takes its style with it."""
    pool.managed_login_brandings = {
        key: b for key, b in pool.managed_login_brandings.items() if b.client_id != client_id
    }


def settings_shown(branding: ManagedLoginBranding, merge_defaults: bool) -> dict[str, Any] | None:
    """The Settings a describe answers: the style's own, or with ``ReturnMergedResources`` the
    defaults with the style's own merged over them."""
    if merge_defaults:
        return merged(DEFAULT_SETTINGS, branding.settings or {})
    return copy.deepcopy(branding.settings)


def merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` merged into a copy of ``base``: objects merge key by key, anything else
    (lists too) replaces. Nulls never get here: the wire drops them at every depth, as it does
    for every member, so a key can only be replaced, not removed."""
    result = copy.deepcopy(dict(base))
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _client(pool: UserPool, client_id: str) -> None:
    if client_id not in pool.clients:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")


def _check_request(
    use_cognito_provided_values: bool | None,
    settings: object,
    assets: Sequence[BrandingAsset] | None,
) -> None:
    if use_cognito_provided_values and (settings or assets):
        raise InvalidParameterException(
            "Settings and Assets must be omitted when UseCognitoProvidedValues is true."
        )
    if settings is not None and not isinstance(settings, Mapping):
        raise InvalidParameterException("Settings must be a JSON object.")
    seen: set[tuple[str, str]] = set()
    for asset in assets or ():
        _check_asset(asset)
        if asset.slot in seen:
            raise InvalidParameterException(
                f"Assets has more than one {asset.category} image for color mode "
                f"{asset.color_mode}."
            )
        seen.add(asset.slot)


def _check_asset(asset: BrandingAsset) -> None:
    required = _FIXED_EXTENSION.get(asset.category)
    if required is not None and asset.extension != required:
        raise InvalidParameterException(
            f"Asset category {asset.category} requires extension {required}."
        )
    if required is None and asset.extension == "ICO":
        raise InvalidParameterException(
            f"Asset category {asset.category} does not accept extension ICO."
        )
    if not asset.data:
        raise InvalidParameterException(f"Asset {asset.category} has no Bytes.")
    if not _looks_like(asset.extension, asset.data):
        raise InvalidParameterException(
            f"Asset {asset.category} is not a valid {asset.extension} file."
        )


def _looks_like(extension: str, data: bytes) -> bool:
    """Whether ``data`` starts as a file of ``extension`` does (its magic number; for SVG, an
    XML document with an ``<svg`` element)."""
    if extension == "PNG":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "JPEG":
        return data.startswith(b"\xff\xd8\xff")
    if extension == "ICO":
        return data.startswith(b"\x00\x00\x01\x00")
    if extension == "WEBP":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if extension == "SVG":
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        return head.startswith(b"<") and b"<svg" in head
    return False


def _replaced(
    current: Sequence[BrandingAsset], changes: Sequence[BrandingAsset]
) -> list[BrandingAsset]:
    """``current`` with each of ``changes`` in place of the asset of its slot (or added)."""
    by_slot = {asset.slot: asset for asset in current}
    for asset in changes:
        by_slot[asset.slot] = asset
    return list(by_slot.values())
