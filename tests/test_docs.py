"""The documentation that is generated from code must match the code."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from support.model import service_model

ROOT = Path(__file__).resolve().parent.parent


def test_supported_operations_page_matches_the_registry():
    spec = importlib.util.spec_from_file_location(
        "supported_operations", ROOT / "tools" / "supported_operations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "supported-operations.md").read_text(encoding="utf-8")
    assert page == module.render(), "run: python tools/supported_operations.py"


def test_supported_operations_page_lists_every_model_operation():
    # The page follows the registry; this holds the registry to the installed model, so an
    # operation botocore knows and the mock lacks shows up here as well as in the conformance
    # tests.
    page = (ROOT / "docs" / "supported-operations.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- `(\w+)`", page, flags=re.MULTILINE))
    assert listed, "the page's list changed: update this test's pattern"
    missing = set(service_model().operation_names) - listed
    assert sorted(missing) == []


def test_benchmarks_page_shows_the_latest_report():
    spec = importlib.util.spec_from_file_location(
        "sync_benchmarks", ROOT / "tools" / "sync_benchmarks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert page == module.render(page), "run: python tools/sync_benchmarks.py"
