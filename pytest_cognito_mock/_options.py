"""The options of a mock: one keyword-only set shared by the marker, the decorator, the context
manager and :class:`CognitoMock` itself, so a typo fails the same way everywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True, kw_only=True)
class MockOptions:
    #: The region of `cognito_mock.client()` and of calls whose region cannot be told.
    region: str = DEFAULT_REGION
    #: The account in every ARN the mock produces.
    account_id: str = DEFAULT_ACCOUNT_ID
    #: Supply test credentials (and a default region) through the environment while the mock is
    #: active, when none are configured, so signed calls work without real credentials.
    fake_credentials: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.region, str) or not _REGION.match(self.region):
            raise ValueError(f"region must look like 'us-east-1', got {self.region!r}")
        if not isinstance(self.account_id, str) or not _ACCOUNT_ID.match(self.account_id):
            raise ValueError(f"account_id must be 12 digits, got {self.account_id!r}")


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(MockOptions))


def make_options(**given: Any) -> MockOptions:
    """MockOptions from keywords, with an error that names the valid keywords on a typo."""
    unknown = sorted(set(given) - set(OPTION_NAMES))
    if unknown:
        raise TypeError(
            f"unknown pytest-cognito-mock option(s) {', '.join(unknown)}; "
            f"valid options are: {', '.join(OPTION_NAMES)}"
        )
    return MockOptions(**given)
