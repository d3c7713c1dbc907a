"""The benchmark script still runs end to end (its figures are not checked: no wall-clock
limits in the suite)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
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
    if importlib.util.find_spec("aiobotocore") is not None:
        assert "aio mock / floor =" in result.stdout
    else:  # tox -e newest leaves it out: the section says so instead of a ratio
        assert "aiobotocore not installed" in result.stdout
    # (o) the token endpoint beside a canned transport plus the signatures it needs.
    assert "(o) OAuth 2.0 token endpoint" in result.stdout
    assert "form sign-in (authorize, form, post, exchange" in result.stdout
    # (p) choice-based sign-in and a rotating refresh beside their floors plus two signatures.
    assert "(p) USER_AUTH (PASSWORD; EMAIL_OTP, two calls)" in result.stdout
    for flow in (
        "USER_AUTH, PASSWORD",
        "USER_AUTH, EMAIL_OTP",
        "GetTokensFromRefreshToken, rotation",
    ):
        assert f"{flow}: mock / (floor + 2 signatures) =" in result.stdout
    assert "USER_AUTH, EMAIL_OTP: send-path floor, 2 calls" in result.stdout


@pytest.mark.slow
def test_only_runs_the_named_sections_and_refuses_unknown_letters():
    run = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--only"]
    unknown = subprocess.run([*run, "z"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert unknown.returncode == 2
    assert "no section z" in unknown.stderr
    only = subprocess.run([*run, "a"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert only.returncode == 0, only.stderr
    assert "(a) DescribeUserPoolClient, per call" in only.stdout
    assert "(b)" not in only.stdout.split("How to read this:")[0]
