"""The report: one Markdown table of sections and rows, durations, sizes and ratios with their
targets."""

from __future__ import annotations

from dataclasses import dataclass, field

from harness import Timing

TIMES = "\u00d7"  # multiplication sign
MICRO = "\u00b5"  # micro sign


@dataclass
class Row:
    contender: str
    median: str
    minimum: str = ""
    ratio: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


def duration(nanoseconds: float) -> str:
    if nanoseconds < 1_000_000:
        return f"{nanoseconds / 1_000:.1f} {MICRO}s"
    if nanoseconds < 1_000_000_000:
        return f"{nanoseconds / 1_000_000:.2f} ms"
    return f"{nanoseconds / 1_000_000_000:.2f} s"


def size(num_bytes: float) -> str:
    if abs(num_bytes) < 1024 * 1024:
        return f"{num_bytes / 1024:.1f} KiB"
    return f"{num_bytes / (1024 * 1024):.2f} MiB"


#: Targets: (comparison, bound). "<=" means the ratio must not exceed the bound.
TARGETS = {
    "mock / floor": ("<=", 1.3),
    # (a): botocore's own send path, the call every test makes most.
    "mock / floor, botocore": ("<=", 1.2),
    "aio mock / floor": ("<=", 1.3),
    "moto / mock": (">=", 3.0),
    "cycle": (">=", 5.0),
    "scenario": (">=", 20.0),
    "import": (">=", 100.0),
    "mock / (floor + 2 signatures)": ("<=", 1.3),
    "moto / mock, sign-in": (">=", 2.5),
    "create / floor": ("<=", 1.5),
    # Per-call cost with the most state / with the least: "flat" allows machine noise only.
    "state growth": ("<=", 1.2),
    # (m) Ratios of calls per second over loopback HTTP: the mock's over the other server's.
    "mock / floor, loopback": (">=", 0.8),
    "mock / moto, loopback sign-in": (">=", 1.0),
    "mock / cognito-local, loopback sign-in": (">=", 1.0),
    # (o) The token endpoint over the same client answered by a canned transport (+ signatures).
    "token endpoint / (floor + signatures)": ("<=", 1.3),
}
_SYMBOLS = {"<=": "\u2264", ">=": "\u2265"}


def ratio(label: str, numerator: float, denominator: float, target: str | None = None) -> str:
    """'mock / floor = 1.12x', plus the target and whether it is met when one is named."""
    value = numerator / denominator
    text = f"{label} = {value:.2f}{TIMES}"
    if target is not None:
        op, bound = TARGETS[target]
        met = value <= bound if op == "<=" else value >= bound
        text += f" (target {_SYMBOLS[op]} {bound:g}{TIMES}: {'met' if met else 'NOT met'})"
    return text


def timed(contender: str, timing: Timing, ratio_text: str = "") -> Row:
    return Row(contender, duration(timing.median), duration(timing.minimum), ratio_text)


def render(sections: list[Section]) -> str:
    """One Markdown table, padded so that it reads as well in a terminal."""
    header = Row("Contender", "Median", "Min", "Ratio")
    rows = [header, *(row for s in sections for row in s.rows)]  # titles may overflow
    columns = ("contender", "median", "minimum", "ratio")
    widths = [max(len(getattr(row, c)) for row in rows) for c in columns]

    def line(cells: list[str]) -> str:
        return (
            "| " + " | ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)) + " |"
        )

    lines = [line([getattr(header, c) for c in columns])]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for section in sections:
        lines.append(line([f"**{section.title}**", "", "", ""]))
        lines += [line([getattr(row, c) for c in columns]) for row in section.rows]
    return "\n".join(lines)


def targets_summary(sections: list[Section]) -> str:
    """Every ratio that has a target, one line each."""
    lines = [
        f"* {section.title.split(':')[0]}: {part.strip()}"
        for section in sections
        for row in section.rows
        for part in row.ratio.split(";")
        if "(target" in part
    ]
    return "Targets:\n\n" + "\n".join(lines) if lines else "Targets: none measured."
