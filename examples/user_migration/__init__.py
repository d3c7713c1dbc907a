"""An example application package: moving users from a legacy database into Amazon Cognito."""

from __future__ import annotations
