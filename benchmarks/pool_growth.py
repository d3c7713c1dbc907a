"""(d) memory and time for many user pools, each contender in a fresh interpreter, and (e) the
per-call cost as pools accumulate in one mock."""

from __future__ import annotations

import contextlib
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from harness import (
    Settings,
    Timing,
    create_app,
    fake_aws_environment,
    in_child,
    loopback_only,
    moto,
    new_client,
    rss_bytes,
    time_batch,
)
from table import TIMES, Row, Section, duration, ratio, size, timed

from pytest_cognito_mock import CognitoMock

# -- (d) memory, in child processes -----------------------------------------------------------


def memory_child(kind: str, pools: int) -> dict[str, Any]:
    """In a fresh process: RSS growth and Python heap retained while creating ``pools`` pools.

    Pass 1 (untraced) gives RSS growth, which also sees memory outside Python's allocator
    (OpenSSL keys, for instance) and the creation time; pass 2 repeats it under tracemalloc
    for the Python heap retained (current) and the transient peak.
    """
    activate = CognitoMock if kind == "mock" else moto.mock_aws
    traced_pools = max(2, pools // 5)
    with fake_aws_environment(), loopback_only(), activate():
        client = new_client()
        client.create_user_pool(PoolName="warm-up")  # lazy imports and caches first
        gc.collect()
        rss_before = rss_bytes()
        start = time.perf_counter_ns()
        for index in range(pools):
            client.create_user_pool(PoolName=f"pool-{index}")
        elapsed = time.perf_counter_ns() - start
        gc.collect()
        rss_after = rss_bytes()

        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        for index in range(traced_pools):
            client.create_user_pool(PoolName=f"traced-{index}")
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "kind": kind,
        "pools": pools,
        "create_ns_per_pool": elapsed / pools,
        "rss_growth": None if rss_before is None or rss_after is None else rss_after - rss_before,
        "traced_pools": traced_pools,
        "traced_retained": current - baseline,
        "traced_peak": peak - baseline,
    }


def measure_memory(settings: Settings) -> dict[str, dict[str, Any]]:
    """(d) memory_child for each contender, each in its own interpreter."""
    runs = {"mock": settings.memory_pools}
    if moto is not None:
        runs["moto"] = settings.moto_memory_pools
    return {kind: in_child("memory", kind, str(pools)) for kind, pools in runs.items()}


# -- (e) describe cost as pools accumulate ----------------------------------------------------


def measure_growth(
    activate: Callable[[], contextlib.AbstractContextManager[Any]],
    checkpoints: tuple[int, ...],
    calls: int,
    settings: Settings,
) -> tuple[dict[int, Timing], Timing]:
    """Describe cost with 1, ... pools in one mock; also CreateUserPool cost along the way."""
    by_pools: dict[int, Timing] = {}
    create = Timing()
    with activate():
        client = new_client()
        pool_id, client_id = create_app(client)
        pools = 1

        def describe() -> object:
            return client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)

        time_batch(describe, calls)  # warm-up: one whole batch, discarded
        for checkpoint in checkpoints:
            added = checkpoint - pools
            if added > 0:
                create.samples.append(
                    time_batch(lambda: client.create_user_pool(PoolName="filler"), added)
                )
                pools = checkpoint
            gc.collect()
            by_pools[checkpoint] = Timing(
                [time_batch(describe, calls) for _ in range(settings.rounds * settings.batches)]
            )
    return by_pools, create


def memory_section(results: dict[str, dict[str, Any]], target_pools: int) -> Section:
    section = Section(f"(d) memory and time for {target_pools:,} user pools")
    per_pool: dict[str, dict[str, float]] = {}
    for kind, result in results.items():
        pools, traced = result["pools"], result["traced_pools"]
        scale = target_pools / pools
        basis = (
            "measured" if scale == 1 else f"measured on {pools:,}, extrapolated {TIMES}{scale:g}"
        )
        heap = result["traced_retained"] / traced
        rss = result["rss_growth"] / pools if result["rss_growth"] is not None else None
        per_pool[kind] = {"heap": heap, "rss": rss or 0.0, "create": result["create_ns_per_pool"]}
        vs_mock = kind != "mock" and "mock" in per_pool

        def versus(what: str, kind: str = kind, vs_mock: bool = vs_mock) -> str:
            mine, mock = per_pool[kind][what], per_pool["mock"][what] if vs_mock else 0.0
            return "; " + ratio(f"{kind} / mock", mine, mock) if vs_mock and mock > 0 else ""

        if rss is not None:
            section.rows.append(
                Row(
                    f"{kind}: RSS growth ({basis})",
                    size(rss * target_pools),
                    "",
                    f"{size(rss)} per pool" + versus("rss"),
                )
            )
        section.rows.append(
            Row(
                f"{kind}: Python heap retained (tracemalloc on {traced:,} more pools, "
                f"extrapolated {TIMES}{target_pools / traced:g})",
                size(heap * target_pools),
                "",
                f"{size(heap)} per pool, transient peak {size(result['traced_peak'])}"
                + versus("heap"),
            )
        )
        section.rows.append(
            Row(
                f"{kind}: time to create them ({basis})",
                duration(result["create_ns_per_pool"] * target_pools),
                "",
                f"{duration(result['create_ns_per_pool'])} per CreateUserPool" + versus("create"),
            )
        )
    return section


def growth_section(growth: dict[str, tuple[dict[int, Timing], Timing]]) -> Section:
    section = Section("(e) DescribeUserPoolClient per call as pools accumulate in one mock")
    for name, (by_pools, create) in growth.items():
        first = by_pools[min(by_pools)]
        for pools, timing in by_pools.items():
            note = (
                ""
                if timing is first
                else ratio(f"{pools:,} pools / 1 pool", timing.median, first.median)
            )
            section.rows.append(timed(f"{name}, {pools:,} pool{'s' * (pools > 1)}", timing, note))
        if create.samples:
            section.rows.append(timed(f"{name}, CreateUserPool while filling", create))
    return section
