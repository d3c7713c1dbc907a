"""The SAML response the mock's stand-in identity provider posts to ``/saml2/idpresponse``.

A SAML 2.0 ``Response`` with one ``Assertion``: the provider as ``Issuer``, the registered user's
subject as ``NameID``, its claims as attributes, the audience ``urn:amazon:cognito:sp:<poolId>``
and the ACS URL as destination. The response's ``ID`` carries the one-time code the mock's
provider issued, which Cognito's side checks; the XML is not signed (see docs/fidelity.md).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import xml.etree.ElementTree as ET

from ..backend.federation import ExternalUser
from ..backend.identity_providers import IdentityProvider
from ..backend.models import UserPool

PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
_ID_PREFIX = "_mock-"


def response(
    pool: UserPool, provider: IdentityProvider, external: ExternalUser, code: str, host: str
) -> bytes:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    issuer = provider.issuer or f"urn:pytest-cognito-mock:idp:{provider.name}"
    root = ET.Element(
        f"{{{PROTOCOL}}}Response",
        {
            "ID": _ID_PREFIX + code,
            "Version": "2.0",
            "IssueInstant": now,
            "Destination": f"https://{host}/saml2/idpresponse",
        },
    )
    ET.SubElement(root, f"{{{ASSERTION}}}Issuer").text = issuer
    status = ET.SubElement(root, f"{{{PROTOCOL}}}Status")
    ET.SubElement(
        status,
        f"{{{PROTOCOL}}}StatusCode",
        {"Value": f"{PROTOCOL.replace('protocol', 'status')}:Success"},
    )
    assertion = ET.SubElement(
        root,
        f"{{{ASSERTION}}}Assertion",
        {"ID": f"_a{code}", "Version": "2.0", "IssueInstant": now},
    )
    ET.SubElement(assertion, f"{{{ASSERTION}}}Issuer").text = issuer
    subject = ET.SubElement(assertion, f"{{{ASSERTION}}}Subject")
    ET.SubElement(subject, f"{{{ASSERTION}}}NameID").text = external.subject
    conditions = ET.SubElement(assertion, f"{{{ASSERTION}}}Conditions")
    restriction = ET.SubElement(conditions, f"{{{ASSERTION}}}AudienceRestriction")
    ET.SubElement(restriction, f"{{{ASSERTION}}}Audience").text = f"urn:amazon:cognito:sp:{pool.id}"
    statement = ET.SubElement(assertion, f"{{{ASSERTION}}}AttributeStatement")
    for name, value in external.claims.items():
        attribute = ET.SubElement(statement, f"{{{ASSERTION}}}Attribute", {"Name": name})
        ET.SubElement(attribute, f"{{{ASSERTION}}}AttributeValue").text = value
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def code_of(encoded: str) -> str:
    """The provider's code inside a posted ``SAMLResponse``; ValueError for anything else."""
    try:
        root = ET.fromstring(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ET.ParseError) as unreadable:
        raise ValueError("not a SAML response") from unreadable
    response_id = root.get("ID", "")
    if root.tag != f"{{{PROTOCOL}}}Response" or not response_id.startswith(_ID_PREFIX):
        raise ValueError("not a SAML response of this mock's provider")
    return response_id[len(_ID_PREFIX) :]
