"""A backend ``UserPool`` for tests of backend modules, built by keyword: the identity a test
does not care about is filled in, the rest (``schema``, ``case_sensitive``, ``lambda_config``,
...) given by name."""

from __future__ import annotations

from typing import Any

from pytest_cognito_mock.backend.models import UserPool
from pytest_cognito_mock.backend.schema import standard_attributes


def backend_pool(pool_id: str = "us-east-1_Test0Pool", **fields: Any) -> UserPool:
    """A pool with the standard attributes (unless ``schema`` says otherwise), in us-east-1."""
    fields.setdefault("schema", standard_attributes())
    return UserPool(
        id=pool_id,
        region=pool_id.split("_", 1)[0],
        arn=f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool_id}",
        name="p",
        created=0,
        modified=0,
        **fields,
    )
