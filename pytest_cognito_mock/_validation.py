"""Model-driven input validation (placeholder: replaced by the full validator)."""

from __future__ import annotations

from typing import Any


def validate_request(operation: str, params: dict[str, Any]) -> None:
    """Raise the AWS error for the first model constraint ``params`` breaks."""
