"""Small helpers shared by the handlers to build AWS response shapes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def timestamp(seconds: float) -> float:
    """Epoch seconds with millisecond precision, as Cognito serialises dates."""
    return round(seconds, 3)


def without_none(members: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unset members: Cognito omits them rather than sending null."""
    return {name: value for name, value in members.items() if value is not None}


def attribute_list(attributes: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Name": name, "Value": value} for name, value in attributes.items()]


def attribute_dict(items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``[{"Name": n, "Value": v}, ...]`` as a dict (a missing Value is the empty string)."""
    return {item["Name"]: item.get("Value", "") for item in items}


def listing(key: str, items: list[Any], next_token: str | None) -> dict[str, Any]:
    """A list operation's answer: ``items`` under ``key``, and ``NextToken`` while more follow."""
    answer: dict[str, Any] = {key: items}
    if next_token is not None:
        answer["NextToken"] = next_token
    return answer
