"""How much of the suite runs: the quick default `pytest`, or the full run CI makes
(`pytest --full`): every hypothesis example and the tests marked ``slow``.

``FULL`` is set by tests/conftest.py before any test module is imported, so a property's
``@settings(max_examples=examples(...))`` reads the run's choice.
"""

from __future__ import annotations

FULL = False


def examples(full: int) -> int:
    """Hypothesis examples for a property: ``full`` in the full run, a tenth by default."""
    return full if FULL else max(1, full // 10)
