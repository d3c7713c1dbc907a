"""Errors the mock raises in Python (not AWS errors, which reach code as botocore ClientErrors)."""

from __future__ import annotations

SUPPORTED_OPERATIONS_DOC = "docs/supported-operations.md in the pytest-cognito-mock documentation"


class CognitoMockError(Exception):
    """Base class of every error about using the mock itself."""


class UnsupportedOperationError(CognitoMockError, NotImplementedError):
    """A ``cognito-idp`` operation the mock does not implement was called.

    Raised in-band from the botocore call (one attempt, never retried) instead of answering
    with a 5xx that botocore would retry.
    """

    def __init__(self, operation: str, supported_count: int) -> None:
        self.operation = operation
        super().__init__(
            f"pytest-cognito-mock does not implement the cognito-idp operation {operation!r} "
            f"({supported_count} operations are supported); see {SUPPORTED_OPERATIONS_DOC}."
        )


class MockNotStartedError(CognitoMockError, RuntimeError):
    """``stop()`` (or a controller helper needing a running mock) was called before ``start()``."""
