"""Users operations (filled in by the users area)."""

from __future__ import annotations
