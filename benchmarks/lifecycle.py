"""(b) the fixture cycle, (c) a sign-in scenario call by call, (f) the scenario's one-time costs
in a fresh interpreter."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from harness import (
    APP_FLOWS,
    Contender,
    Settings,
    Timing,
    compare,
    fake_aws_environment,
    in_child,
    loopback_only,
    moto,
    new_client,
)
from table import Row, Section, duration, ratio, timed

from pytest_cognito_mock import CognitoMock, UnsupportedOperationError

# -- (b) fixture cycle ------------------------------------------------------------------------


@contextlib.contextmanager
def mock_cycle_shared_client() -> Iterator[Callable[[], object]]:
    # The cognito_idp fixture keeps one client per region for the whole session and hands it
    # to every test; only the mock is new per test. So: one client, made before the loop.
    client = new_client()

    def cycle() -> None:
        with CognitoMock():
            client.create_user_pool(PoolName="bench")

    yield cycle


@contextlib.contextmanager
def mock_cycle_new_client() -> Iterator[Callable[[], object]]:
    def cycle() -> None:
        with CognitoMock() as mock:
            mock.client().create_user_pool(PoolName="bench")

    yield cycle


@contextlib.contextmanager
def moto_cycle_reused_client() -> Iterator[Callable[[], object]]:
    client = new_client()  # made after moto is imported, so moto's hook is on it

    def cycle() -> None:
        with moto.mock_aws():
            client.create_user_pool(PoolName="bench")

    yield cycle


@contextlib.contextmanager
def moto_cycle_new_client() -> Iterator[Callable[[], object]]:
    def cycle() -> None:
        with moto.mock_aws():  # moto's documented pattern: create clients inside the mock
            new_client().create_user_pool(PoolName="bench")

    yield cycle


def measure_fixture_cycle(settings: Settings) -> dict[str, Timing]:
    """(b) start -> client -> CreateUserPool -> stop, per cycle."""
    contenders: dict[str, Contender] = {
        "mock, shared client": mock_cycle_shared_client,
        "mock, client per cycle": mock_cycle_new_client,
    }
    counts = dict.fromkeys(contenders, settings.cycles)
    if moto is not None:
        contenders["moto, client reused"] = moto_cycle_reused_client
        contenders["moto, client per cycle"] = moto_cycle_new_client
        counts["moto, client reused"] = counts["moto, client per cycle"] = settings.moto_cycles
    return compare(contenders, counts, settings)


# -- (c) scenario -----------------------------------------------------------------------------

SCENARIO_STEPS = (
    "CreateUserPool",
    "CreateUserPoolClient",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminInitiateAuth",
)
SCENARIO_USER = "ada@example.com"
SCENARIO_PASSWORD = "Correct-Horse-Battery-9"


def run_scenario(client: Any) -> tuple[dict[str, int], str | None]:
    """Run the scenario once: (nanoseconds per completed step, first unsupported step or None).

    A step the contender does not implement (``UnsupportedOperationError`` from the mock,
    ``NotImplementedError`` from moto) ends the run there instead of failing the benchmark.
    """
    state: dict[str, str] = {}

    def create_pool() -> None:
        state["pool"] = client.create_user_pool(PoolName="bench")["UserPool"]["Id"]

    def create_client() -> None:
        state["client"] = client.create_user_pool_client(
            UserPoolId=state["pool"], ClientName="web", ExplicitAuthFlows=APP_FLOWS
        )["UserPoolClient"]["ClientId"]

    def create_user() -> None:
        client.admin_create_user(
            UserPoolId=state["pool"],
            Username=SCENARIO_USER,
            UserAttributes=[{"Name": "email", "Value": SCENARIO_USER}],
            MessageAction="SUPPRESS",
        )

    def set_password() -> None:
        client.admin_set_user_password(
            UserPoolId=state["pool"],
            Username=SCENARIO_USER,
            Password=SCENARIO_PASSWORD,
            Permanent=True,
        )

    def sign_in() -> None:
        result = client.admin_initiate_auth(
            UserPoolId=state["pool"],
            ClientId=state["client"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": SCENARIO_USER, "PASSWORD": SCENARIO_PASSWORD},
        )
        if "AccessToken" not in result.get("AuthenticationResult", {}):
            raise AssertionError(f"AdminInitiateAuth returned no tokens: {result!r}")

    steps = (create_pool, create_client, create_user, set_password, sign_in)
    spent: dict[str, int] = {}
    for name, step in zip(SCENARIO_STEPS, steps, strict=True):
        start = time.perf_counter_ns()
        try:
            step()
        except (UnsupportedOperationError, NotImplementedError):
            return spent, name
        spent[name] = time.perf_counter_ns() - start
    return spent, None


@dataclass
class ScenarioResult:
    #: Whole-scenario samples; only when every step ran.
    total: Timing = field(default_factory=Timing)
    steps: dict[str, Timing] = field(default_factory=lambda: {s: Timing() for s in SCENARIO_STEPS})
    #: The first operation the contender does not implement, if any.
    missing: str | None = None


def _scenario_rounds(
    activate: Callable[[], contextlib.AbstractContextManager[Any]], runs: int, settings: Settings
) -> ScenarioResult:
    result = ScenarioResult()
    client = new_client()
    for _ in range(settings.rounds):
        gc.collect()
        with activate():
            run_scenario(client)  # warm-up
            for _ in range(runs):
                spent, missing = run_scenario(client)
                result.missing = missing
                for step, nanoseconds in spent.items():
                    result.steps[step].samples.append(nanoseconds)
                if missing is None:
                    result.total.samples.append(sum(spent.values()))
    return result


def measure_scenario(settings: Settings) -> dict[str, ScenarioResult]:
    """(c) pool + app client + AdminCreateUser + AdminSetUserPassword + AdminInitiateAuth,
    timed call by call inside an already started mock (start/stop are (b)'s business)."""
    results = {"mock": _scenario_rounds(CognitoMock, settings.scenarios, settings)}
    if moto is not None:
        results["moto"] = _scenario_rounds(moto.mock_aws, settings.moto_scenarios, settings)
    return results


def first_run_child(kind: str) -> dict[str, Any]:
    """In a fresh process: the scenario's first run, then its second, step by step.

    The first run pays what a process pays once: loading botocore's model, compiling the
    mock's validation patterns, generating signing keys. A single test run by hand pays it.
    """
    activate = CognitoMock if kind == "mock" else moto.mock_aws
    with fake_aws_environment(), loopback_only():
        start = time.perf_counter_ns()
        with activate():
            client = new_client()
            ready = time.perf_counter_ns() - start
            first, missing = run_scenario(client)
            second, _ = run_scenario(client)
    return {"kind": kind, "ready_ns": ready, "first": first, "second": second, "missing": missing}


def measure_first_run() -> dict[str, dict[str, Any]]:
    """(f) first_run_child for each contender."""
    kinds = ["mock"] + (["moto"] if moto is not None else [])
    return {kind: in_child("first-run", kind) for kind in kinds}


def cycle_section(timings: dict[str, Timing]) -> Section:
    section = Section("(b) fixture cycle: start mock, client, CreateUserPool, stop")
    shared = timings["mock, shared client"]
    per_cycle = timings["mock, client per cycle"]
    section.rows += [
        timed("mock, one shared client (what the cognito_idp fixture does)", shared),
        timed(
            "mock, client created in every cycle",
            per_cycle,
            ratio("per-cycle client / shared client", per_cycle.median, shared.median),
        ),
    ]
    if "moto, client reused" not in timings:
        section.rows.append(Row("moto mock_aws", "moto not installed"))
        return section
    reused, new = timings["moto, client reused"], timings["moto, client per cycle"]
    section.rows += [
        timed(
            "moto, one client reused across cycles",
            reused,
            ratio("moto reused / mock shared", reused.median, shared.median, "cycle"),
        ),
        timed(
            "moto, client created in every cycle (moto's documented pattern)",
            new,
            ratio("moto per-cycle / mock per-cycle", new.median, per_cycle.median, "cycle")
            + "; "
            + ratio("moto per-cycle / mock shared", new.median, shared.median),
        ),
    ]
    return section


def scenario_section(results: dict[str, ScenarioResult]) -> Section:
    section = Section(
        "(c) scenario: pool, app client, AdminCreateUser, AdminSetUserPassword, AdminInitiateAuth"
    )
    mock = results["mock"]
    for name, result in results.items():
        if result.missing:
            section.rows.append(
                Row(f"{name}, whole scenario", f"not yet implemented ({result.missing})")
            )
            continue
        note = ""
        if name == "moto" and mock.total.samples:
            note = ratio("moto / mock", result.total.median, mock.total.median, "scenario")
        section.rows.append(timed(f"{name}, whole scenario", result.total, note))
    if "moto" not in results:
        section.rows.append(Row("moto mock_aws", "moto not installed"))
    for step in SCENARIO_STEPS:
        for name, result in results.items():
            timing = result.steps[step]
            if not timing.samples:
                why = "not yet implemented" if result.missing == step else "not reached"
                section.rows.append(Row(f"{name}: {step}", why))
                continue
            note = ""
            if name == "moto" and mock.steps[step].samples:
                note = ratio("moto / mock", timing.median, mock.steps[step].median)
            section.rows.append(timed(f"{name}: {step}", timing, note))
    return section


def first_run_section(results: dict[str, dict[str, Any]]) -> Section:
    section = Section("(f) one-time costs: the scenario's first run in a fresh interpreter")
    for kind, result in results.items():
        section.rows.append(Row(f"{kind}: start + first client", duration(result["ready_ns"])))
        for step in SCENARIO_STEPS:
            if step not in result["first"]:
                why = "not yet implemented" if result["missing"] == step else "not reached"
                section.rows.append(Row(f"{kind}: first {step}", why))
                continue
            first, second = result["first"][step], result["second"][step]
            section.rows.append(
                Row(
                    f"{kind}: first {step}",
                    duration(first),
                    "",
                    f"second run: {duration(second)}; "
                    f"one-time part {duration(max(0, first - second))}",
                )
            )
    return section
