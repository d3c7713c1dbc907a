"""Classic hosted-UI branding (SetUICustomization, GetUICustomization): a CSS sheet and a logo.

A pool keeps one customization per app client that has its own, and a default under the
client id ``ALL`` for every client that has none. A SetUICustomization replaces the whole
customization of its level: CSS and logo cannot be set separately, so one left out of the
request is gone afterwards. Both operations need a domain on the pool, which hosts the pages
(and the logo).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from . import CognitoBackend, clock
from .domains import domains_of
from .errors import InvalidParameterException, ResourceNotFoundException
from .models import UserPool

#: The client id of the pool-wide default.
ALL = "ALL"
#: The selectors the classic hosted UI lets a sheet style (the developer guide's list). Any
#: other selector gets the whole sheet refused.
ALLOWED_SELECTORS = frozenset(
    {
        ".background-customizable",
        ".banner-customizable",
        ".errorMessage-customizable",
        ".idpButton-customizable",
        ".idpButton-customizable:hover",
        ".idpDescription-customizable",
        ".inputField-customizable",
        ".inputField-customizable:focus",
        ".label-customizable",
        ".legalText-customizable",
        ".logo-customizable",
        ".passwordCheck-valid-customizable",
        ".passwordCheck-notValid-customizable",
        ".redirect-customizable",
        ".socialButton-customizable",
        ".submitButton-customizable",
        ".submitButton-customizable:hover",
        ".textDescription-customizable",
    }
)
#: The logo's documented ceiling (100 KB, 130 KB once base64-encoded).
MAX_IMAGE_BYTES = 100 * 1024
#: The documented ceiling of a whole SetUICustomization request; the mock counts the two
#: members that can be large, the base64 logo and the CSS.
MAX_REQUEST_BYTES = 135 * 1024

NO_DOMAIN = "There has to be an existing domain associated with this user pool"
_INVALID_CSS = "Invalid CSS: the style sheet could not be parsed."

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# An at-rule where a statement may start: @import, @media, @supports, @page and any other.
_AT_RULE = re.compile(r"(?:^|[;{}])\s*(@[\w-]*)")
# Script in a property value: a javascript: URL, an IE expression() or a script element.
_SCRIPT = re.compile(r"javascript\s*:|expression\s*\(|<\s*script", re.IGNORECASE)
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


@dataclass
class UICustomization:
    #: An app client id, or ``ALL`` for the pool's default.
    client_id: str
    #: CSSVersion: the UTC time of the SetUICustomization, as ``YYYYMMDDHHMMSS``.
    version: str
    css: str | None = None
    #: The logo as uploaded, and where the hosted UI serves it from.
    image: bytes | None = None
    image_url: str | None = None


def set_ui_customization(
    backend: CognitoBackend,
    pool: UserPool,
    client_id: str | None,
    *,
    css: str | None = None,
    image: bytes | None = None,
) -> UICustomization:
    """SetUICustomization: the customization of ``client_id`` (None or ``ALL``: the pool's
    default) becomes exactly ``css`` and ``image``.

    A request with neither still leaves a customization behind, with nothing in it but its
    CSSVersion: the client keeps its own (empty) settings rather than falling back to ``ALL``.
    """
    host, path_prefix = _asset_location(backend, pool)
    key = _level(pool, client_id)
    if css is not None:
        check_css(css)
    if image is not None:
        _check_image(image, css)
    version = time.strftime("%Y%m%d%H%M%S", time.gmtime(clock.now()))
    image_url = None
    if image is not None:
        # The path is AWS's; the file is image.jpg whatever the format of the upload.
        image_url = f"https://{host}/{path_prefix}{key}/{version}/assets/images/image.jpg"
    customization = UICustomization(key, version, css, image, image_url)
    pool.ui_customizations[key] = customization
    return customization


def get_ui_customization(
    backend: CognitoBackend, pool: UserPool, client_id: str | None
) -> UICustomization | None:
    """GetUICustomization: the client's own customization, else the pool's default (reported
    under ``ALL``); None when neither was ever set."""
    _asset_location(backend, pool)
    key = _level(pool, client_id)
    found = pool.ui_customizations.get(key)
    if found is None and key != ALL:
        found = pool.ui_customizations.get(ALL)
    return found


def check_css(css: str) -> None:
    """Refuse a sheet the classic hosted UI does not take: an at-rule, script in a value, a
    selector outside :data:`ALLOWED_SELECTORS`, or text that is not a list of rules."""
    bare = _COMMENT.sub(" ", css)
    if "/*" in bare:
        raise InvalidParameterException(_INVALID_CSS)
    at_rule = _AT_RULE.search(bare)
    if at_rule:
        raise InvalidParameterException(f"Invalid CSS: {at_rule.group(1)} is not allowed.")
    if _SCRIPT.search(bare):
        raise InvalidParameterException("Invalid CSS: property values cannot contain JavaScript.")
    for selectors in _preludes(bare):
        for selector in selectors.split(","):
            selector = " ".join(selector.split())
            if selector not in ALLOWED_SELECTORS:
                raise InvalidParameterException(
                    f"Invalid CSS: {selector or 'an empty selector'} is not a class name the "
                    "hosted UI lets you customize."
                )


def _preludes(css: str) -> list[str]:
    """The selector list of every rule, in order; a sheet that is not ``selectors { body }``
    repeated (unclosed or nested braces, text after the last rule) is refused."""
    preludes = []
    rest = css
    while rest.strip():
        opening = rest.find("{")
        closing = rest.find("}", opening + 1)
        if opening < 0 or closing < 0 or "}" in rest[:opening]:
            raise InvalidParameterException(_INVALID_CSS)
        if "{" in rest[opening + 1 : closing]:
            raise InvalidParameterException(_INVALID_CSS)
        preludes.append(rest[:opening])
        rest = rest[closing + 1 :]
    return preludes


def _check_image(image: bytes, css: str | None) -> None:
    if not image.startswith((_PNG, _JPEG)):
        raise InvalidParameterException("The logo image must be a PNG or JPEG file.")
    if len(image) > MAX_IMAGE_BYTES:
        raise InvalidParameterException(
            "Request parameters too large: the logo image can be no larger than 100 KB."
        )
    encoded = 4 * ((len(image) + 2) // 3)
    if encoded + len((css or "").encode("utf-8")) > MAX_REQUEST_BYTES:
        raise InvalidParameterException(
            "Request parameters too large: the request can be no larger than 135 KB."
        )


def _asset_location(backend: CognitoBackend, pool: UserPool) -> tuple[str, str]:
    """Where the pool's hosted-UI assets live: the custom domain itself, else the CloudFront
    distribution of the prefix domain, whose paths start with the pool id (AWS's examples
    show both shapes)."""
    found = domains_of(backend, pool)
    if not found:
        raise InvalidParameterException(NO_DOMAIN)
    domain = found[0]
    if domain.custom:
        return domain.host, ""
    return domain.cloudfront_domain, f"{pool.id}/"


def _level(pool: UserPool, client_id: str | None) -> str:
    """The key a request's ClientId names: ``ALL`` for none, else an existing app client."""
    if client_id is None or client_id == ALL:
        return ALL
    if client_id not in pool.clients:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return client_id
