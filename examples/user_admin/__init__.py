"""An example application package: Cognito user administration for a small SaaS backend."""

from __future__ import annotations
