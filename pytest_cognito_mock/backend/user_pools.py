"""User pools: create, update, delete, list, and the schema's custom attributes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from . import CognitoBackend, clock, feature_plans, ids, published_secrets
from .errors import InvalidParameterException
from .models import PasswordPolicy, UserPool
from .schema import (
    STANDARD_ATTRIBUTE_NAMES,
    AttributeDefinition,
    AttributeRequest,
    constraints_problem,
    standard_attributes,
)
from .user_data_history import note_plan

#: AWS's quota on custom attributes per pool.
MAX_CUSTOM_ATTRIBUTES = 50


@dataclass
class PoolSettings:
    """Everything CreateUserPool / UpdateUserPool can set, in domain terms."""

    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    auto_verified_attributes: list[str] | None = None
    username_attributes: list[str] | None = None
    alias_attributes: list[str] | None = None
    case_sensitive: bool | None = None
    mfa_configuration: str = "OFF"
    lambda_config: dict[str, Any] = field(default_factory=dict)
    device_configuration: dict[str, Any] | None = None
    deletion_protection: str = "INACTIVE"
    allowed_first_auth_factors: tuple[str, ...] = ("PASSWORD",)
    echoed_settings: dict[str, Any] = field(default_factory=dict)


def create_user_pool(
    backend: CognitoBackend,
    region: str,
    name: str,
    settings: PoolSettings,
    schema: list[AttributeRequest],
) -> UserPool:
    if settings.username_attributes and settings.alias_attributes:
        # Email/phone is either the username or an alias for it, never both.
        raise InvalidParameterException(
            "Only one of UsernameAttributes or AliasAttributes can be specified."
        )
    now = clock.now()
    pool_id = ids.user_pool_id(region)
    while pool_id in backend.pools:  # pragma: no cover - 62**9 ids
        pool_id = ids.user_pool_id(region)
    pool = UserPool(
        id=pool_id,
        region=region,
        arn=ids.user_pool_arn(region, backend.account_id, pool_id),
        name=name,
        created=now,
        modified=now,
        schema=standard_attributes(),
    )
    _apply_settings(pool, settings)
    _merge_schema(pool, schema, creating=True)
    backend.pools[pool.id] = pool
    return pool


def update_user_pool(pool: UserPool, settings: PoolSettings) -> None:
    """UpdateUserPool: replace the pool's settings with ``settings``.

    The caller decides what an omitted request member means. The sign-in settings fixed at
    creation (UsernameAttributes, AliasAttributes, UsernameConfiguration) are not part of
    UpdateUserPool's input and stay as they were.
    """
    kept = replace(
        settings,
        username_attributes=pool.username_attributes,
        alias_attributes=pool.alias_attributes,
        case_sensitive=pool.case_sensitive,
    )
    old_tier = feature_plans.tier_of(pool)
    _apply_settings(pool, kept)
    note_plan(pool, old_tier, feature_plans.tier_of(pool))  # point-in-time recovery needs it
    pool.modified = clock.now()


def delete_user_pool(backend: CognitoBackend, pool: UserPool) -> None:
    if pool.deletion_protection == "ACTIVE":
        raise InvalidParameterException(
            "The user pool cannot be deleted because deletion protection is activated. "
            "Deletion protection must be inactivated first."
        )
    if pool.domain is not None or pool.custom_domain is not None:
        raise InvalidParameterException(
            "User pool cannot be deleted. It has a domain configured that should be deleted first."
        )
    if pool.replicas:
        raise InvalidParameterException(
            "User pool cannot be deleted. It has replicas in "
            f"{', '.join(sorted(pool.replicas))} that should be deleted first."
        )
    published_secrets.unpublish_all(backend, pool.clients.values())
    for client_id in pool.clients:
        backend.clients.pop(client_id, None)
    backend.import_jobs.pop(pool.id, None)
    backend.import_jobs_newest_first.pop(pool.id, None)
    backend.running_import_jobs = {key for key in backend.running_import_jobs if key[0] != pool.id}
    del backend.pools[pool.id]


def add_custom_attributes(pool: UserPool, attributes: list[AttributeRequest]) -> None:
    _merge_schema(pool, attributes, creating=False)
    pool.modified = clock.now()


def custom_attributes(pool: UserPool) -> list[AttributeDefinition]:
    """Custom attributes in creation order."""
    return sorted((a for a in pool.schema if a.custom), key=lambda a: a.order)


def _apply_settings(pool: UserPool, settings: PoolSettings) -> None:
    pool.password_policy = settings.password_policy
    pool.auto_verified_attributes = settings.auto_verified_attributes
    pool.username_attributes = settings.username_attributes
    pool.alias_attributes = settings.alias_attributes
    pool.case_sensitive = settings.case_sensitive
    pool.mfa_configuration = settings.mfa_configuration
    pool.lambda_config = settings.lambda_config
    pool.device_configuration = settings.device_configuration
    pool.deletion_protection = settings.deletion_protection
    pool.allowed_first_auth_factors = settings.allowed_first_auth_factors
    pool.echoed_settings = settings.echoed_settings


def _merge_schema(pool: UserPool, attributes: list[AttributeRequest], *, creating: bool) -> None:
    """Add custom attributes (and, at creation, adjust standard ones) in request order.

    ``attributes`` carry the name as given in the request (no ``custom:`` prefix).
    Everything is checked before anything is changed, so a refused call leaves the pool as it was.
    """
    additions: list[AttributeDefinition] = []
    adjusted: dict[str, AttributeDefinition] = {}
    for given in attributes:
        if creating and given.name in STANDARD_ATTRIBUTE_NAMES:
            current = pool.attribute(given.name)
            assert current is not None  # every pool has the standard attributes
            adjusted[given.name] = _adjust_standard(current, given)
            continue
        prefix = "dev:custom:" if given.developer_only else "custom:"
        full_name = prefix + given.name
        if given.data_type is None:
            raise InvalidParameterException(
                "Invalid AttributeDataType input, consider using the provided AttributeDataType "
                "enum."
            )
        if given.required:
            raise InvalidParameterException(
                "Required custom attributes are not supported currently."
            )
        if pool.attribute(full_name) is not None or any(a.name == full_name for a in additions):
            raise InvalidParameterException(
                f"{full_name}: Existing attribute already has name {full_name}."
            )
        additions.append(_custom_definition(full_name, given.data_type, given))
    existing = sum(1 for a in pool.schema if a.custom)
    if existing + len(additions) > MAX_CUSTOM_ATTRIBUTES:
        raise InvalidParameterException(
            f"Exceeded the maximum number of custom attributes ({MAX_CUSTOM_ATTRIBUTES})."
        )
    for index, definition in enumerate(pool.schema):
        override = adjusted.get(definition.name)
        if override is not None:
            pool.schema[index] = override
    for offset, addition in enumerate(additions):
        addition.order = existing + offset
        pool.schema.append(addition)


def _custom_definition(
    full_name: str, data_type: str, given: AttributeRequest
) -> AttributeDefinition:
    """A custom attribute as the request defines it, its constraints checked. Only the
    constraints of its own type are kept (a String's number constraints mean nothing)."""
    strings = (given.string_min, given.string_max) if data_type == "String" else (None, None)
    numbers = (given.number_min, given.number_max) if data_type == "Number" else (None, None)
    _check_constraints(full_name, data_type, strings if data_type == "String" else numbers)
    return AttributeDefinition(
        name=full_name,
        data_type=data_type,
        developer_only=given.developer_only,
        mutable=given.mutable,
        string_min=strings[0],
        string_max=strings[1],
        number_min=numbers[0],
        number_max=numbers[1],
        custom=True,
    )


def _check_constraints(
    full_name: str, data_type: str, bounds: tuple[str | None, str | None]
) -> None:
    problem = constraints_problem(full_name, data_type, bounds)
    if problem is not None:
        raise InvalidParameterException(problem)


def _adjust_standard(current: AttributeDefinition, given: AttributeRequest) -> AttributeDefinition:
    """A standard attribute named in CreateUserPool.Schema: the request may make it required or
    immutable and set its constraints, never change its type or make it developer-only."""
    if (given.data_type is not None and given.data_type != current.data_type) or (
        given.developer_only
    ):
        raise InvalidParameterException(
            "You can not change AttributeDataType or set developerOnlyAttribute for standard "
            f"schema attribute {current.name}"
        )
    adjusted = replace(current, required=given.required, mutable=given.mutable)
    if current.data_type == "String":
        adjusted.string_min = _given_or(given.string_min, current.string_min)
        adjusted.string_max = _given_or(given.string_max, current.string_max)
        _check_constraints(current.name, "String", (adjusted.string_min, adjusted.string_max))
    elif current.data_type == "Number":
        adjusted.number_min = _given_or(given.number_min, current.number_min)
        adjusted.number_max = _given_or(given.number_max, current.number_max)
        _check_constraints(current.name, "Number", (adjusted.number_min, adjusted.number_max))
    return adjusted


def _given_or(given: str | None, current: str | None) -> str | None:
    return given if given is not None else current
