"""The one place the backend reads the time.

Time is read at call time, never cached, so freezegun and time-machine move the whole mock:
``time.time`` is what both of them patch.
"""

from __future__ import annotations

import time


def now() -> float:
    """Seconds since the epoch, as a float."""
    return time.time()
