"""Fixtures of the custom-auth tests: a pool whose three auth-challenge triggers run a one-time
code sign-in (see support/custom_auth.py), and an app client of it."""

from __future__ import annotations

import pytest
from support.custom_auth import OneTimeCode, make_client, make_pool


@pytest.fixture
def otp() -> OneTimeCode:
    return OneTimeCode()


@pytest.fixture
def pool_id(cognito_idp, cognito_mock, otp) -> str:
    return make_pool(cognito_idp, cognito_mock, otp)


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)["ClientId"]
