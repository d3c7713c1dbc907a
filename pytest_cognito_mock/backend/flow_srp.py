"""The USER_SRP_AUTH flow (being written)."""

from __future__ import annotations

from .auth import AuthOutcome, AuthRequest, FlowNotImplementedError


def start(request: AuthRequest) -> AuthOutcome:
    raise FlowNotImplementedError("pytest-cognito-mock does not implement USER_SRP_AUTH yet.")
