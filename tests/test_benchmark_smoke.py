"""The benchmark script still runs end to end (its figures are not checked: no wall-clock
limits in the suite)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_quick_benchmark_runs_and_reports_ratios():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for ratio in ("mock / floor =", "moto / mock =", "stubber / floor ="):
        assert ratio in result.stdout
    # (l): the per-call cost as state grows is reported against the smallest state.
    assert "ListUsers, Limit=1: 30 users / 1 user =" in result.stdout
    assert "DescribeUserImportJob: 10 import jobs / 1 import job =" in result.stdout
    # (m) the loopback endpoint beside its floor; (n) aiobotocore beside its own floor.
    assert "(m) loopback endpoint" in result.stdout
    assert "(n) aiobotocore: DescribeUserPoolClient, per call" in result.stdout
    assert "aio mock / floor =" in result.stdout
    # (o) the token endpoint beside a canned transport plus the signatures it needs.
    assert "(o) OAuth 2.0 token endpoint" in result.stdout
    assert "form sign-in (authorize, form, post, exchange" in result.stdout
