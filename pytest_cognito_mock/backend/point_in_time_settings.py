"""How long a point-in-time recovery takes in mock time (see point_in_time.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecoverySettings:
    """Seconds of mock time a recovery preview takes to generate, and a restore to run.

    0 (the default) is at once: InitiatePointInTimeRecovery answers PREVIEW_GENERATED with the
    preview, and StartPointInTimeRecovery RESTORE_COMPLETED.
    """

    generation_seconds: float = 0.0
    restore_seconds: float = 0.0
