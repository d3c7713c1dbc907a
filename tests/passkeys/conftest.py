"""Fixtures of the passkey tests: a pool that allows passkeys with the relying party
``auth.example.com``, an app client, and a signed-in user ``ada``."""

from __future__ import annotations

from typing import Any

import pytest
from support.passkeys import make_client, make_user, passkey_pool, sign_in


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = passkey_pool(cognito_idp)
    make_user(cognito_idp, pool_id)
    return pool_id


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)


@pytest.fixture
def access_token(cognito_idp, pool_id, client_id) -> str:
    return sign_in(cognito_idp, pool_id, client_id)


@pytest.fixture
def options(cognito_idp, access_token) -> dict[str, Any]:
    """The CredentialCreationOptions of a StartWebAuthnRegistration of ``ada``."""
    return cognito_idp.start_web_authn_registration(AccessToken=access_token)[
        "CredentialCreationOptions"
    ]
