"""pytest-cognito-mock: an in-memory Amazon Cognito user pool service behind real boto3 clients.

Public API: :class:`CognitoMock` (the controller), :func:`mock_cognito_import` (decorator and
context manager), and the errors. The pytest fixtures ``cognito_idp`` and ``cognito_mock`` and
the ``cognito_mock`` marker come from the plugin, loaded automatically by pytest.
"""

from __future__ import annotations

from ._version import __version__
from .errors import CognitoMockError, MockNotStartedError, UnsupportedOperationError
from .mock import Call, CognitoMock, mock_cognito_import

__all__ = [
    "Call",
    "CognitoMock",
    "CognitoMockError",
    "MockNotStartedError",
    "UnsupportedOperationError",
    "__version__",
    "mock_cognito_import",
]
