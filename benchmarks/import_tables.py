"""The table sections of (g) the import next to AdminCreateUser one at a time and (h) the
500,000-row maximum's time and peak RSS."""

from __future__ import annotations

from typing import Any

from import_jobs import PEAK_RSS_TARGET, PHASES, ImportResult
from table import TARGETS, TIMES, Row, Section, duration, ratio, size, timed

#: The row counts the issue states its targets for.
ISSUE_IMPORT_ROWS = 100_000
ISSUE_MAX_ROWS = 500_000


def _short(rows: int) -> str:
    return f"{rows // 1000}k" if rows % 1000 == 0 else f"{rows:,}"


def _per_second(rows: int, nanoseconds: float) -> str:
    return f"{rows / (nanoseconds / 1e9):,.0f} users/s; {duration(nanoseconds / rows)} per user"


def import_section(result: ImportResult) -> Section:
    rows = result.rows
    title = f"(g) user import job: a {rows:,}-row CSV uploaded over HTTP, started, completed"
    if rows != ISSUE_IMPORT_ROWS:
        title += f" (quick mode; the issue's figure is {ISSUE_IMPORT_ROWS:,} rows)"
    section = Section(title)
    notes = {
        PHASES[1]: f"{size(result.body_bytes)} file",
        PHASES[5]: f"{result.describes} call{'s' * (result.describes != 1)}",
    }
    for phase in PHASES:
        section.rows.append(timed(f"mock: {phase}", result.phases[phase], notes.get(phase, "")))
    total = result.total
    section.rows += [
        timed(
            "mock: whole import, GetCSVHeader to Succeeded", total, _per_second(rows, total.median)
        ),
        timed(
            "mock: of which the cyclic garbage collector (gc.callbacks)",
            result.gc_time,
            f"{result.gc_time.median / total.median:.0%} of the import",
        ),
    ]
    for kind, timing in result.create_user.items():
        batch = result.sample_sizes[kind]
        label = f"{kind} AdminCreateUser {TIMES}{_short(rows)} / mock import"
        target = "import" if kind == "moto" else None
        section.rows.append(
            Row(
                f"{kind}: AdminCreateUser one at a time {TIMES}{rows:,} "
                f"(extrapolated: per-call time {TIMES} {rows:,}, from batches of {batch} calls)",
                duration(timing.median * rows),
                duration(timing.minimum * rows),
                f"{duration(timing.median)} per call; "
                + ratio(label, timing.median * rows, total.median, target),
            )
        )
    if "moto" not in result.create_user:
        section.rows.append(Row("moto: AdminCreateUser one at a time", "moto not installed"))
    elif result.moto_missing:
        section.rows.append(
            Row("moto: the import job itself", "moto: not implemented", "", result.moto_missing)
        )
    section.rows += _import_diagnosis(result)
    return section


def _import_diagnosis(result: ImportResult) -> list[Row]:
    """Where the import's time goes; only present when its target is not met."""
    if result.profile is None:
        return []
    needed = result.create_user["moto"].median * result.rows / TARGETS["import"][1]
    rows = [
        Row(
            f"mock: what the {TARGETS['import'][1]:g}{TIMES} target needs",
            duration(needed),
            "",
            f"the whole import at {duration(needed / result.rows)} per user",
        )
    ]
    rows += [
        Row(f"mock: cProfile self time in the importing call: {where}", f"{share:.1%}")
        for where, share in result.profile
    ]
    return rows


def max_import_section(result: dict[str, Any]) -> Section:
    rows = result["rows"]
    full_size = rows >= ISSUE_MAX_ROWS
    title = f"(h) the {rows:,}-row import in a child process: time and peak RSS"
    if not full_size:
        title += f" (quick mode; the issue's figure is {ISSUE_MAX_ROWS:,} rows)"
    section = Section(title)
    peak, bound = result["peak"], PEAK_RSS_TARGET
    if full_size:
        met = "met" if peak <= bound else "NOT met"
        verdict = f"peak RSS = {size(peak)} (target \u2264 {size(bound)}: {met})"
    else:
        verdict = f"the \u2264 {size(bound)} target is for {ISSUE_MAX_ROWS:,} rows: not checked"
    spawn_note = ""
    if result["ru_maxrss"] > peak * 1.01:
        spawn_note = (
            f"; ru_maxrss reads {size(result['ru_maxrss'])}, the parent's peak it inherited "
            "at spawn"
        )
    section.rows += [
        Row(
            "mock: whole import, GetCSVHeader to Succeeded",
            duration(result["total_ns"]),
            "",
            _per_second(rows, result["total_ns"]) + f"; {size(result['body_bytes'])} file",
        ),
        Row("mock: peak RSS of the child process (VmHWM)", size(peak), "", verdict + spawn_note),
        Row(
            "mock: peak RSS before the import (interpreter, boto3, botocore's model, the mock)",
            size(result["peak_before"]),
        ),
    ]
    if result["rss_before"] is not None and result["rss_after"] is not None:
        held = result["rss_after"] - result["rss_before"]
        section.rows.append(
            Row(
                "mock: RSS still held once Succeeded (the users, the job's log)",
                size(held),
                "",
                f"{size(held / rows)} per user",
            )
        )
    profile = result.get("profile")
    if profile:
        traced = profile["rows"]
        section.rows.append(
            Row(
                f"mock: tracemalloc, {traced:,}-row import: Python heap retained",
                size(profile["retained"]),
                "",
                f"{size(profile['retained'] / traced)} per user; traced peak "
                f"{size(profile['peak'])}",
            )
        )
        section.rows += [
            Row(
                f"mock: tracemalloc top: {where}",
                size(held_bytes),
                "",
                f"{held_bytes / traced:.0f} B per user",
            )
            for where, held_bytes in profile["top"]
        ]
    return section
