"""Fixtures shared by the operation tests; a module overrides ``pool_id`` when it needs a pool
configured differently."""

from __future__ import annotations

import pytest


@pytest.fixture
def pool_id(cognito_idp) -> str:
    """A user pool with every setting at its default."""
    return cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    """An app client of ``pool_id`` with every setting at its default."""
    return cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
