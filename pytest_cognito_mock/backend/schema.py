"""User pool attribute schema: the standard attributes every pool has, and custom ones.

Standard attributes, their order and their constraints are those a new pool reports in
``DescribeUserPool.SchemaAttributes``. Custom attributes are stored under ``custom:<name>``
(``dev:custom:<name>`` when developer-only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class AttributeDefinition:
    name: str  # the full name: "email", "custom:tier", "dev:custom:secret"
    data_type: str = "String"  # String | Number | DateTime | Boolean
    developer_only: bool = False
    mutable: bool = True
    required: bool = False
    string_min: str | None = None
    string_max: str | None = None
    number_min: str | None = None
    number_max: str | None = None
    custom: bool = False
    #: Only custom attributes carry a creation order that matters (GetCSVHeader lists them so).
    order: int = field(default=0, compare=False)


def _string(
    name: str,
    min_len: str = "0",
    max_len: str = "2048",
    *,
    mutable: bool = True,
    required: bool = False,
) -> AttributeDefinition:
    return AttributeDefinition(
        name, "String", mutable=mutable, required=required, string_min=min_len, string_max=max_len
    )


def standard_attributes() -> list[AttributeDefinition]:
    """A fresh copy of the standard schema, in AWS's order."""
    return [
        _string("sub", "1", "2048", mutable=False, required=True),
        _string("name"),
        _string("given_name"),
        _string("family_name"),
        _string("middle_name"),
        _string("nickname"),
        _string("preferred_username"),
        _string("profile"),
        _string("picture"),
        _string("website"),
        _string("email"),
        AttributeDefinition("email_verified", "Boolean"),
        _string("gender"),
        _string("birthdate", "10", "10"),
        _string("zoneinfo"),
        _string("locale"),
        _string("phone_number"),
        AttributeDefinition("phone_number_verified", "Boolean"),
        _string("address"),
        AttributeDefinition("updated_at", "Number", number_min="0"),
    ]


STANDARD_ATTRIBUTE_NAMES: frozenset[str] = frozenset(a.name for a in standard_attributes())

#: Attributes Cognito manages itself: never writable by an app client.
NEVER_WRITABLE: frozenset[str] = frozenset({"sub", "email_verified", "phone_number_verified"})


@dataclass
class AttributeRequest:
    """One attribute of ``CreateUserPool.Schema`` or ``AddCustomAttributes.CustomAttributes``,
    as the request gave it: the bare name (no ``custom:`` prefix), ``data_type`` None when the
    request left ``AttributeDataType`` out, constraints as the strings the request sent."""

    name: str
    data_type: str | None = "String"
    developer_only: bool = False
    mutable: bool = True
    required: bool = False
    string_min: str | None = None
    string_max: str | None = None
    number_min: str | None = None
    number_max: str | None = None


#: The longest a string attribute may be, and so the largest length constraint.
MAX_STRING_LENGTH = 2048

_LENGTH = re.compile(r"[0-9]+")
_VALUE = re.compile(r"-?[0-9]+")


def constraints_problem(
    full_name: str,
    data_type: str,
    bounds: tuple[str | None, str | None],
) -> str | None:
    """What is wrong with the (min, max) constraints of a String or Number attribute, or None.

    ``bounds`` are the constraints the attribute would have (a standard attribute's own where
    the request left one out). Lengths are whole numbers of 0 to 2048, values whole numbers.
    """
    low, high = bounds
    if data_type == "String":
        if any(b is not None and _LENGTH.fullmatch(b) is None for b in bounds):
            return f"Invalid StringAttributeConstraints for schema attribute {full_name}"
        if any(b is not None and Decimal(b) > MAX_STRING_LENGTH for b in bounds):
            return (
                f"user.{full_name}: String attributes cannot have a length of more than "
                f"{MAX_STRING_LENGTH}"
            )
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            return f"user.{full_name}: Max length cannot be less than min length."
    elif data_type == "Number":
        if any(b is not None and _VALUE.fullmatch(b) is None for b in bounds):
            return f"Invalid NumberAttributeConstraints for schema attribute {full_name}"
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            return f"user.{full_name}: Max value cannot be less than min value."
    return None
