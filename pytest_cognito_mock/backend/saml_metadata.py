"""What the mock reads from a SAML provider's metadata document (``MetadataFile``).

Cognito reads the IdP's entity ID and its single sign-on and single logout endpoints from the
metadata and reports the HTTP-Redirect ones in DescribeIdentityProvider. The mock parses the
document with the standard library and never fetches anything: a ``MetadataURL`` is stored as
given (see docs/fidelity.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from .errors import InvalidParameterException

_METADATA = "urn:oasis:names:tc:SAML:2.0:metadata"
_REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

NOT_XML = "The SAML metadata in MetadataFile is not well-formed XML."
NOT_IDP_METADATA = (
    "The SAML metadata in MetadataFile describes no identity provider "
    "(an EntityDescriptor with an IDPSSODescriptor)."
)


@dataclass(frozen=True)
class SamlMetadata:
    entity_id: str | None
    sso_redirect_uri: str | None
    slo_redirect_uri: str | None


def parse(document: str) -> SamlMetadata:
    """The IdP's entity ID and HTTP-Redirect endpoints, or InvalidParameterException."""
    try:
        # ElementTree never resolves external entities, so a hostile document cannot reach the
        # network or the file system; expat 2.4.1+ also bounds entity expansion.
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError:
        raise InvalidParameterException(NOT_XML) from None
    # An EntitiesDescriptor (a federation's aggregate) may wrap the IdP's EntityDescriptor.
    entity = (
        root
        if root.tag == _tag("EntityDescriptor")
        else root.find(f".//{_tag('EntityDescriptor')}")
    )
    idp = entity.find(_tag("IDPSSODescriptor")) if entity is not None else None
    if entity is None or idp is None:
        raise InvalidParameterException(NOT_IDP_METADATA)
    return SamlMetadata(
        entity_id=entity.get("entityID"),
        sso_redirect_uri=_redirect_location(idp, "SingleSignOnService"),
        slo_redirect_uri=_redirect_location(idp, "SingleLogoutService"),
    )


def _tag(name: str) -> str:
    return f"{{{_METADATA}}}{name}"


def _redirect_location(descriptor: ElementTree.Element, service: str) -> str | None:
    for element in descriptor.iter(_tag(service)):
        if element.get("Binding") == _REDIRECT_BINDING:
            return element.get("Location")
    return None
