"""Provisioned API request-rate limits: GetProvisionedLimit and UpdateProvisionedLimit.

A limit is named by a ``LimitDefinition``: the one ``LimitClass`` of the model, ``API_CATEGORY``,
and ``Attributes`` ``{"Category": <name>}``. Each category has AWS's default (free) rate in
requests per second (the quotas page of the developer guide); a provisioned value, once set,
holds for the account in that region only, as quotas do. The mock enforces no rate: the values
are state that a second client reads back. The account-level maximum is the mock's choice (see
docs/fidelity.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import CognitoBackend
from .errors import (
    InvalidParameterException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)

API_CATEGORY = "API_CATEGORY"
CATEGORY = "Category"

#: Category -> its default quota in requests per second (AWS's documented defaults).
DEFAULT_RPS: dict[str, int] = {
    "UserAuthentication": 120,
    "UserCreation": 50,
    "UserFederation": 25,
    "UserAccountRecovery": 30,
    "UserRead": 120,
    "UserUpdate": 25,
    "UserToken": 120,
    "UserResourceRead": 50,
    "UserResourceUpdate": 25,
    "UserList": 30,
    "UserPoolRead": 15,
    "UserPoolUpdate": 15,
    "UserPoolResourceRead": 20,
    "UserPoolResourceUpdate": 15,
    "UserPoolClientRead": 15,
    "UserPoolClientUpdate": 15,
    "ClientAuthentication": 150,
}
#: How far above its default a category may be provisioned: the mock's stand-in for the
#: account-level maximum Service Quotas would hold.
MAXIMUM_FACTOR = 10


@dataclass(frozen=True)
class Limit:
    category: str
    provisioned: int
    free: int


def _category(limit_class: str, attributes: Mapping[str, str]) -> str:
    if limit_class != API_CATEGORY or set(attributes) != {CATEGORY}:
        raise InvalidParameterException(
            f"A limit of class {API_CATEGORY} is identified by exactly one attribute, {CATEGORY}."
        )
    category = attributes[CATEGORY]
    if category not in DEFAULT_RPS:
        raise ResourceNotFoundException(f"There is no limit for the API category {category}.")
    return category


def get_limit(
    backend: CognitoBackend, region: str, limit_class: str, attributes: Mapping[str, str]
) -> Limit:
    category = _category(limit_class, attributes)
    free = DEFAULT_RPS[category]
    return Limit(category, backend.provisioned_limits.get((region, category), free), free)


def maximum(category: str) -> int:
    return DEFAULT_RPS[category] * MAXIMUM_FACTOR


def update_limit(
    backend: CognitoBackend,
    region: str,
    limit_class: str,
    attributes: Mapping[str, str],
    requested: int,
) -> Limit:
    """Provision ``requested`` RPS: no less than the default, no more than the maximum."""
    category = _category(limit_class, attributes)
    free = DEFAULT_RPS[category]
    if requested < free:
        raise InvalidParameterException(
            f"The requested limit value {requested} for {category} is below its default limit "
            f"of {free} requests per second."
        )
    if requested > maximum(category):
        raise ServiceQuotaExceededException(
            f"The requested limit value {requested} for {category} exceeds the account's "
            f"maximum of {maximum(category)} requests per second. To increase it, submit a "
            "Service Quotas increase request."
        )
    backend.provisioned_limits[(region, category)] = requested
    return Limit(category, requested, free)
