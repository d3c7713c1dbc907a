"""Opaque pagination tokens.

A token names the position after the last item returned, bound to the listing it belongs to, so
a token from one listing (or a forged one) is refused rather than silently misread.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
from collections.abc import Collection, Sequence
from typing import TypeVar

from .errors import InvalidParameterException

T = TypeVar("T")

#: What a forged or foreign token gets, unless the listing has its own wording.
INVALID_TOKEN = "Invalid pagination token."


def encode(scope: str, position: int) -> str:
    raw = json.dumps([scope, position], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(scope: str, token: str, *, error_message: str = INVALID_TOKEN) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidParameterException(error_message) from None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or value[0] != scope
        or not isinstance(value[1], int)
        or value[1] < 0
    ):
        raise InvalidParameterException(error_message)
    return value[1]


def page(
    items: Collection[T],
    scope: str,
    limit: int,
    token: str | None,
    *,
    error_message: str = INVALID_TOKEN,
) -> tuple[list[T], str | None]:
    """Slice ``items`` from ``token``'s position; return the page and the next token (or None).

    ``items`` may be a view (a dict's values, say): a page is then read without copying the
    whole collection, so a first page costs the same in a pool of 1 user or 10,000.
    """
    start = decode(scope, token, error_message=error_message) if token is not None else 0
    end = start + limit
    next_token = encode(scope, end) if end < len(items) else None
    if isinstance(items, Sequence):
        return list(items[start:end]), next_token
    return list(itertools.islice(items, start, end)), next_token
