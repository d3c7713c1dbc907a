"""pytest-cognito-mock: an in-memory Amazon Cognito user pool service behind real boto3 clients.

Public API: :class:`CognitoMock` (the controller), :func:`mock_cognito_import` (decorator and
context manager), and the errors. The pytest fixtures ``cognito_idp`` and ``cognito_mock`` and
the ``cognito_mock`` marker come from the plugin, loaded automatically by pytest.
"""

from __future__ import annotations

from ._entry_points import mock_cognito_import
from ._version import __version__
from .backend.messages import SentMessage
from .errors import (
    AmbiguousMockError,
    CognitoMockError,
    HostedSignInError,
    MockNotStartedError,
    MockStoppedError,
    NoCodeSentError,
    PasskeyError,
    UnsupportedOperationError,
)
from .mock import Call, CognitoMock

__all__ = [
    "AmbiguousMockError",
    "Call",
    "CognitoMock",
    "CognitoMockError",
    "HostedSignInError",
    "MockNotStartedError",
    "MockStoppedError",
    "NoCodeSentError",
    "PasskeyError",
    "SentMessage",
    "UnsupportedOperationError",
    "__version__",
    "mock_cognito_import",
]
