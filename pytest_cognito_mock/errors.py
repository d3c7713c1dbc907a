"""Errors the mock raises in Python (not AWS errors, which reach code as botocore ClientErrors)."""

from __future__ import annotations

import threading

SUPPORTED_OPERATIONS_DOC = "docs/supported-operations.md in the pytest-cognito-mock documentation"


class CognitoMockError(Exception):
    """Base class of every error about using the mock itself."""


class UnsupportedOperationError(CognitoMockError, NotImplementedError):
    """A ``cognito-idp`` operation the mock does not implement was called.

    Raised in-band from the botocore call (one attempt, never retried) instead of answering
    with a 5xx that botocore would retry.
    """

    def __init__(
        self, operation: str, supported_count: int, *, botocore_lacks_it: str | None = None
    ) -> None:
        self.operation = operation
        if botocore_lacks_it is not None:
            # Implemented, but a request is checked against the installed model, which a client
            # on a newer model (through the loopback endpoint) can be ahead of.
            message = (
                f"pytest-cognito-mock implements the cognito-idp operation {operation!r}, but "
                f"the installed botocore {botocore_lacks_it} has no model of it, and the mock "
                "checks every request against that model: install a newer botocore where the "
                f"mock runs; see {SUPPORTED_OPERATIONS_DOC}."
            )
        else:
            message = (
                f"pytest-cognito-mock does not implement the cognito-idp operation {operation!r} "
                f"({supported_count} operations are supported); see {SUPPORTED_OPERATIONS_DOC}."
            )
        super().__init__(message)


class MockNotStartedError(CognitoMockError, RuntimeError):
    """``stop()`` (or a controller helper needing a running mock) was called before ``start()``."""


class AmbiguousMockError(CognitoMockError, RuntimeError):
    """A Cognito call came from a thread that started no mock while mocks are active in
    several other threads, so no mock can be chosen for it.

    A mock answers the thread that started it; other threads are answered only while every
    active mock belongs to one thread.
    """

    def __init__(self, thread: int, mock_threads: list[int]) -> None:
        self.thread = thread
        self.mock_threads = mock_threads
        names = {t.ident: t.name for t in threading.enumerate()}
        listing = ", ".join(f"{names.get(t, '?')} ({t})" for t in mock_threads)
        super().__init__(
            f"a Cognito call from thread {names.get(thread, '?')} ({thread}) cannot be answered: "
            f"mocks are active in several threads ({listing}) and this thread started none. "
            "A mock answers the thread that started it, and other threads only while every "
            "active mock was started in one thread; start the mock in the thread that makes "
            "the call. See docs/transports.md."
        )


class MockStoppedError(CognitoMockError, RuntimeError):
    """The mock stopped while a call inside it still needed it (say, its loopback endpoint)."""


class HostedSignInError(CognitoMockError):
    """A helper's sign-in through the hosted pages (``CognitoMock.authorization_code``) was
    refused. ``code`` is what Cognito would answer: the AWS error code of a refused sign-in
    (``NotAuthorizedException``), or the OAuth 2.0 error of a refused authorize request
    (``invalid_scope``, ``redirect_mismatch``)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


class NoCodeSentError(CognitoMockError, LookupError):
    """``cognito_mock.last_code`` found no code: the message says why (no such user, nothing
    sent to the user yet, a pool that sends no confirmation codes, another channel)."""


class PasskeyError(CognitoMockError):
    """The software authenticator (``cognito_mock.passkey()``) refused, as a browser's
    ``navigator.credentials`` rejects with a ``DOMException``: ``name`` is that exception's
    name (``InvalidStateError``, ``NotAllowedError``, ``NotSupportedError``)."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")
