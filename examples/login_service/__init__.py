"""An example application package: the login endpoints of a small web backend, on Amazon Cognito."""

from __future__ import annotations
