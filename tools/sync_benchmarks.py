"""Copy the latest benchmark report (benchmarks/latest.md) into docs/benchmarks.md.

Run after ``python benchmarks/run.py --write``; the test suite fails while the two disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "benchmarks" / "latest.md"
PAGE = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- latest report: start -->", "<!-- latest report: end -->"


def report_body() -> str:
    """The report without its own top-level title."""
    lines = REPORT.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()


def render(page: str) -> str:
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n\n{report_body()}\n\n{END}{tail}"


def main() -> int:
    PAGE.write_text(render(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
