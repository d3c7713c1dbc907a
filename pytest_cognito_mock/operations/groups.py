"""Groups operations (filled in by the groups area)."""

from __future__ import annotations
