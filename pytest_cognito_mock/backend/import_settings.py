"""How import jobs progress in mock time: the settings a mock gives its backend."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ImportSettings:
    """How jobs progress in mock time (see docs/import-jobs.md)."""

    #: Users imported per second of mock time once started; None imports everything at once on
    #: the next call; 0 imports only when a test steps the job by hand.
    rate: float | None = None
    #: Seconds of mock time a stopped job reports ``Stopping`` before ``Stopped``.
    stop_delay: float = 0.0
    #: A job still ``Created`` this long after creation has ``Expired`` (AWS: 24 to 48 hours).
    expiry_seconds: float = 24 * 3600.0
    #: The job fails when more than this share of processed rows failed or were skipped.
    failure_threshold: float = 0.5
