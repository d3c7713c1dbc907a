"""User pools in the domain: ids, regions, settings, deletion and the custom schema."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time

from pytest_cognito_mock.backend import CognitoBackend, user_pools
from pytest_cognito_mock.backend.app_clients import create_user_pool_client
from pytest_cognito_mock.backend.errors import InvalidParameterException, ResourceNotFoundException
from pytest_cognito_mock.backend.models import ClientSettings, PasswordPolicy, UserPool
from pytest_cognito_mock.backend.schema import STANDARD_ATTRIBUTE_NAMES, AttributeRequest
from pytest_cognito_mock.backend.user_pools import PoolSettings


@pytest.fixture
def backend() -> CognitoBackend:
    return CognitoBackend("123456789012")


def new_pool(
    backend: CognitoBackend,
    region: str = "us-east-1",
    settings: PoolSettings | None = None,
    schema: list[AttributeRequest] | None = None,
) -> UserPool:
    return user_pools.create_user_pool(
        backend, region, "app", settings or PoolSettings(), schema or []
    )


def names(pool: UserPool) -> list[str]:
    return [a.name for a in pool.schema]


def test_a_pool_is_registered_under_a_regional_id_with_its_arn(backend):
    with freeze_time("2024-01-01"):
        pool = new_pool(backend, "ap-southeast-2")
    assert re.fullmatch(r"ap-southeast-2_[0-9A-Za-z]{9}", pool.id)
    assert pool.arn == f"arn:aws:cognito-idp:ap-southeast-2:123456789012:userpool/{pool.id}"
    assert backend.pools[pool.id] is pool
    assert pool.created == pool.modified == 1704067200.0


def test_a_pool_is_found_only_from_its_own_region(backend):
    pool = new_pool(backend)
    assert backend.pool("us-east-1", pool.id) is pool
    with pytest.raises(ResourceNotFoundException) as raised:
        backend.pool("eu-west-1", pool.id)
    assert raised.value.message == f"User pool {pool.id} does not exist."
    other = new_pool(backend, "eu-west-1")
    assert backend.pools_in("eu-west-1") == [other]


def test_every_pool_gets_its_own_copy_of_the_standard_schema(backend):
    first = new_pool(backend)
    first.schema[1].required = True
    second = new_pool(backend)
    assert names(second)[:3] == ["sub", "name", "given_name"]
    assert len(second.schema) == len(STANDARD_ATTRIBUTE_NAMES) == 20
    assert second.attribute("name") is not None
    assert second.attribute("name").required is False


def test_custom_attributes_are_prefixed_and_numbered_in_request_order(backend):
    pool = new_pool(
        backend,
        schema=[
            AttributeRequest("b"),
            AttributeRequest("a", developer_only=True),
            AttributeRequest("email", required=True),
        ],
    )
    assert names(pool)[20:] == ["custom:b", "dev:custom:a"]
    assert [a.name for a in user_pools.custom_attributes(pool)] == ["custom:b", "dev:custom:a"]
    assert all(a.custom for a in user_pools.custom_attributes(pool))
    assert pool.attribute("email").required is True
    user_pools.add_custom_attributes(pool, [AttributeRequest("c")])
    assert [a.order for a in user_pools.custom_attributes(pool)] == [0, 1, 2]


def test_a_refused_schema_change_leaves_the_pool_as_it_was(backend):
    pool = new_pool(backend, schema=[AttributeRequest("x")])
    before = list(pool.schema)
    modified = pool.modified
    for batch in (
        [AttributeRequest("fresh"), AttributeRequest("x")],
        [AttributeRequest("fresh"), AttributeRequest("fresh")],
        [AttributeRequest("fresh"), AttributeRequest("needed", required=True)],
    ):
        with pytest.raises(InvalidParameterException):
            user_pools.add_custom_attributes(pool, batch)
    assert pool.schema == before
    assert pool.modified == modified


def test_a_pool_holds_at_most_fifty_custom_attributes(backend):
    pool = new_pool(backend, schema=[AttributeRequest(f"a{i}") for i in range(49)])
    with pytest.raises(InvalidParameterException):
        user_pools.add_custom_attributes(pool, [AttributeRequest("b1"), AttributeRequest("b2")])
    assert len(user_pools.custom_attributes(pool)) == 49
    user_pools.add_custom_attributes(pool, [AttributeRequest("b1")])
    assert len(user_pools.custom_attributes(pool)) == user_pools.MAX_CUSTOM_ATTRIBUTES


def test_a_refused_creation_registers_nothing(backend):
    with pytest.raises(InvalidParameterException) as raised:
        new_pool(
            backend,
            settings=PoolSettings(username_attributes=["email"], alias_attributes=["email"]),
        )
    assert (
        raised.value.message
        == "Only one of UsernameAttributes or AliasAttributes can be specified."
    )
    with pytest.raises(InvalidParameterException):
        new_pool(backend, schema=[AttributeRequest("x", required=True)])
    assert backend.pools == {}


def test_update_applies_the_settings_but_keeps_the_sign_in_settings(backend):
    with freeze_time("2024-01-01"):
        pool = new_pool(
            backend,
            settings=PoolSettings(alias_attributes=["email"], case_sensitive=False),
        )
    with freeze_time("2024-02-01"):
        user_pools.update_user_pool(
            pool,
            PoolSettings(
                password_policy=PasswordPolicy(minimum_length=12),
                mfa_configuration="OPTIONAL",
                username_attributes=["phone_number"],
                case_sensitive=True,
            ),
        )
    assert pool.password_policy.minimum_length == 12
    assert pool.mfa_configuration == "OPTIONAL"
    assert (pool.alias_attributes, pool.username_attributes, pool.case_sensitive) == (
        ["email"],
        None,
        False,
    )
    assert pool.modified > pool.created


def test_delete_drops_the_pool_and_its_clients_from_the_backend(backend):
    pool = new_pool(backend)
    kept = new_pool(backend)
    client = create_user_pool_client(backend, pool, "web", ClientSettings())
    other = create_user_pool_client(backend, kept, "web", ClientSettings())
    user_pools.delete_user_pool(backend, pool)
    assert list(backend.pools) == [kept.id]
    assert client.client_id not in backend.clients
    assert backend.clients[other.client_id] is other


def test_deletion_protection_keeps_the_pool(backend):
    pool = new_pool(backend, settings=PoolSettings(deletion_protection="ACTIVE"))
    with pytest.raises(InvalidParameterException):
        user_pools.delete_user_pool(backend, pool)
    assert backend.pools[pool.id] is pool
