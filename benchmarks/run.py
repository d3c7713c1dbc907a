"""What a Cognito call costs under pytest-cognito-mock, next to its peers, in one run.


    python benchmarks/run.py            # full run (a couple of minutes, mostly moto)
    python benchmarks/run.py --quick    # smoke run: same code paths, tiny counts
    python benchmarks/run.py --write    # also write the table to benchmarks/latest.md
    python benchmarks/run.py --only jp  # only the sections with these letters

Contenders, all driven through real boto3 ``cognito-idp`` clients:

* **Stubber** - ``botocore.stub.Stubber``: answers at ``before-call``, so it skips serialize,
  sign and parse. Shown for reference only; it keeps no state.
* **floor** - a ``before-send`` handler returning a canned ``AWSResponse``: botocore's own
  serialize + sign + parse and nothing else. No mock that goes through botocore can be cheaper.
* **mock** - ``pytest_cognito_mock.CognitoMock``.
* **moto** - ``moto.mock_aws``.

Method: every comparison runs in rounds; in each round every contender sets up (untimed),
warms up, then times a few batches with ``time.perf_counter_ns``. Interleaving rounds spreads
machine noise over all contenders instead of penalising whoever runs during a slow spell. A
sample is the mean cost per operation over one batch; the table reports the median and the
minimum sample, and ratios of medians. Memory is measured in fresh child processes.

Nothing here touches the network: fake credentials and a region are set for the run, and a
guard refuses any connection outside loopback while it lasts (the import jobs' upload server
is the mock's, on 127.0.0.1).

The measurements live next to this script: ``send_path`` (a), ``lifecycle`` (b, c, f),
``pool_growth`` (d, e), ``import_jobs`` and ``import_tables`` (g, h), ``import_calls`` (i),
``auth`` (j, k), ``state_growth`` (l), ``loopback`` (m: servers in processes of their own, over
loopback HTTP, with ``loopback_floor.py`` and ``node/``), ``aio_send_path`` (n),
``oauth_endpoints`` (o), ``user_auth`` (p);
``harness`` holds what they share and ``table`` the report's formatting.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import botocore
import import_jobs
from aio_send_path import aio_describe_section, measure_aio_describe
from auth import create_pool_section, measure_create_pool, measure_sign_in, sign_in_section
from harness import FULL, QUICK, Settings, fake_aws_environment, loopback_only, moto
from import_calls import import_calls_section, measure_import_calls
from import_tables import import_section, max_import_section
from lifecycle import (
    cycle_section,
    first_run_child,
    first_run_section,
    measure_first_run,
    measure_fixture_cycle,
    measure_scenario,
    scenario_section,
)
from loopback import loopback_section, measure_loopback
from oauth_endpoints import measure_oauth_endpoints, oauth_section
from pool_growth import growth_section, measure_growth, measure_memory, memory_child, memory_section
from send_path import describe_section, measure_describe
from state_growth import measure_state_growth, state_growth_section
from table import Section, render, targets_summary
from user_auth import measure_user_auth, user_auth_section

import pytest_cognito_mock
from pytest_cognito_mock import CognitoMock

LATEST_MD = Path(__file__).resolve().parent / "latest.md"

#: What ``run.py --child NAME ARGS`` runs in a fresh interpreter (see harness.in_child).
CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "memory": lambda kind, pools: memory_child(kind, int(pools)),
    "first-run": first_run_child,
    **import_jobs.CHILDREN,
}

NOTES = """\
How to read this:

* Times are per operation: the median and the minimum over all timed batches (each batch is a
  mean over back-to-back calls), measured with time.perf_counter_ns after a warm-up, in
  interleaved rounds. Ratios are ratios of medians.
* (a) The floor is botocore answering DescribeUserPoolClient from a canned before-send
  response: serialize + sign + parse and nothing else. The Stubber skips all three, which is
  why it is cheaper than the floor; it is shown for reference, not as a target.
* (b) Comparison basis: the cognito_idp fixture creates a boto3 client once per region and
  reuses it in every test, so "mock, shared client" is what a test using the fixture pays
  (minus pytest's own fixture bookkeeping, which is the same for any plugin). moto is shown
  both ways: with one client reused across cycles (like for like with the fixture) and with a
  client created inside each mock_aws() (moto's documented pattern; moto also resets boto3's
  default session on start, so that client is built from a cold session). The >=5x target is
  checked like for like: reused vs shared, and per-cycle vs per-cycle.
* (c) Timed call by call inside an already started mock, one fresh mock per round; a step
  the mock does not implement yet is reported as "not yet implemented" instead of timed.
* (d) Each contender runs in a fresh child interpreter. RSS growth includes memory outside
  Python's allocator; the Python heap figure is tracemalloc's retained size after a second,
  smaller batch, scaled to the stated pool count. moto figures are extrapolated linearly from
  fewer pools (one moto pool costs a large fraction of a second), as each row says. The mock's
  figures include the Call record it keeps for every answered call (CognitoMock.calls).
* (e) The same mock gains pools between checkpoints; the describe target stays the first pool.
* (f) One run of the scenario in a fresh interpreter, then a second: the difference is what a
  process pays once (model loading, compiled validation patterns, signing keys), which a lone
  test pays in full and a long suite pays once per process (per xdist worker).
* (g) One whole import as a test drives it: GetCSVHeader, build the CSV from that header (rows
  with cognito:username, email, email_verified=true; the test's own work, included in the
  total), CreateUserImportJob, PUT the file to PreSignedUrl with requests and
  x-amz-server-side-encryption: aws:kms, StartUserImportJob, DescribeUserImportJob until
  Succeeded. One fresh mock per round, the pool made untimed; the cyclic GC's share is timed
  with gc.callbacks inside the same runs. AdminCreateUser one at a time is timed per call on
  the same kind of user (email, email_verified=true, MessageAction=SUPPRESS) as a pool fills,
  and scaled linearly to the file's row count: extrapolated, as the rows say. Linear scaling is
  fair to moto: in a pool without UsernameAttributes its AdminCreateUser finds the username in
  a dict, so a call does not get dearer as the pool fills. moto has no import jobs (the row
  shows what it raises). When the >= 100x target is not met, the section adds cProfile's
  largest self times in the DescribeUserImportJob call that imports every row (cProfile's
  overhead inflates small functions, so the shares are indicative).
* (h) The same import of the largest file AWS accepts, in a fresh interpreter. Its peak RSS is
  /proc's VmHWM of that process: it includes the interpreter, boto3, botocore's model and the
  mock (the "before" row), the test's CSV and the mock's copy of it. getrusage's ru_maxrss is
  not used on Linux because exec carries the spawning process's high-water mark into it.
  MiB = 1024 x 1024 bytes. When the peak is over the target, tracemalloc's largest allocation
  sites (on at most 100,000 rows) are added.
* (i) As (a), for the import's two read operations; the floor's canned body has the shape of
  the mock's answer (a finished job: every member, a presigned URL with a session token) and
  about its size, as the rows show. Both floors use compact JSON, as AWS sends it.
* (j) AdminInitiateAuth per call, as a test signs in (ADMIN_USER_PASSWORD_AUTH, a user with
  email and email_verified) and refreshes (REFRESH_TOKEN_AUTH with that sign-in's refresh
  token). Each floor answers with the mock's own body for that flow, captured before the
  timing (three tokens for the sign-in, two for the refresh), to the mock's own request. A
  sign-in or a refresh signs an ID and an access token: "two RS256 signatures" times
  cryptography's RSA-2048 PKCS#1 v1.5 SHA-256 on those tokens' signing inputs, in the same
  interleaved rounds; the budget is floor + two signatures, sums of medians. "In one
  operation" runs the floor's call and the two signatures back to back, for what they cost
  together (each evicts the other from the CPU caches, as in a real call). The mock's median
  is then split: its seam and botocore (a CognitoMock whose service answer_api() returns the
  captured body), its answer (CognitoService.answer_api on a captured request, no botocore), and
  the rest (differences of medians, so indicative). moto signs two tokens per call too, so
  moto / (floor + 2 signatures) bounds what moto / mock can reach. When a target is missed,
  cProfile's self time by area and the tree of what CognitoService.answer_api calls (the time each
  function spent when called from its parent; library functions are not opened) follow;
  cProfile inflates Python functions next to the native signing, so shares are indicative.
* (k) CreateUserPool per call in one mock that holds the stated number of pools (filled
  untimed between checkpoints; the pools a timed batch creates are deleted after it, so each
  batch starts at the checkpoint), next to a floor answering with the mock's own
  CreateUserPool body. Pools get signing keys on first use only; the last row counts the
  pools that have any once the section is done.
* (l) One pool fills between checkpoints (untimed: AdminCreateUser with MessageAction=SUPPRESS,
  or CreateUserImportJob up to AWS's 1,000 jobs per pool); at each checkpoint the probes are
  timed as in (a), the floor answering with the mock's own body at that checkpoint (the mock is
  stopped, its state kept, while the floor runs). The listings ask for one item per page so
  that the answer is the same size at every checkpoint and only finding the page could grow.
  The target is flatness: the probe's median with the most state over its median with the
  least, at most 1.2x (noise only). moto fills its own pool the same way; it has no import
  jobs.
* (m) Servers in processes of their own on 127.0.0.1, each called sequentially by one client
  over one kept-alive connection (the last rows count the connections each client opened per
  round: moto's server answers "Connection: close", so it opens one per call; and they say how
  each server ended: SIGTERM, then its port checked closed). Rates are calls per second of the
  median batch, ratios are the mock's rate over the other's (above 1: the mock is faster). The
  floor is a stdlib ThreadingHTTPServer with TCP_NODELAY answering every call with the mock's
  own body for it (captured before the timing) and the mock's headers. moto is its server mode
  (python -m moto.server, the moto[server] extra), cognito-local the npm package run by node
  (npm ci --prefix benchmarks/node), its data in a temporary folder and its pools without the
  email username it gives them by default. botocore runs in this process with endpoint_url and
  no mock active; the JavaScript SDK v3 (same node_modules) runs in one node process per round
  and server, timing its own loop. Each batch fills a time budget at the warm-up's pace (at most
  a set number of calls), so a slow server gets fewer calls per batch; rounds interleave the
  servers, first one rotating. Sign-in rows show the first and the last batch: a server whose
  state grows with every sign-in slows down over the run. A contender that cannot run here says
  why ("not available: ...").
* (n) (a) for aiobotocore: its own floor (a canned response at before-send, so aiobotocore
  serializes, signs and parses and nothing else) next to the mock; both run each call to the end
  on an event loop of their own, so the loop's cost is in both.
* (o) The token endpoint in process at the real domain URL, posted with requests. Its floor is
  the same session, form and URL answered by a canned transport (an adapter building the answer
  with requests' own build_response, as the mock's adapter does) plus the RS256 signatures the
  grant needs: one for client_credentials; none for the code exchange, whose tokens are signed
  when the sign-in completes (the exchange's codes are made untimed before each batch). The
  form sign-in (GET authorize, GET the form, POST it, exchange the code) is timed per run,
  without a target.
* (p) As (j), per operation, for choice-based sign-in and a rotating refresh. The pool (the
  default Essentials tier) allows PASSWORD and EMAIL_OTP first factors; the user has a verified
  email. PASSWORD: one InitiateAuth (USER_AUTH, PREFERRED_CHALLENGE=PASSWORD with the password)
  returns the tokens. EMAIL_OTP: InitiateAuth returns the EMAIL_OTP challenge, the test reads
  the code with cognito_mock.last_code, RespondToAuthChallenge returns the tokens: the floor
  makes the same two calls (each answered with the mock's own body). Rotation:
  GetTokensFromRefreshToken through a client with RefreshTokenRotation ENABLED and no grace
  period, each call sending the refresh token the previous one returned (the floor sends one
  captured token). Each operation's tokens need two RS256 signatures (ID and access); the
  rotated refresh token is sealed with AES-GCM, not signed, so that is the mock's own work. The
  "answer" row replays the operation's requests to CognitoService.answer_api, feeding each
  request what the previous answer handed out (for EMAIL_OTP, last_code included). moto
  implements none of these (its row says what it answers).
"""


def environment_summary(quick: bool) -> str:
    moto_version = (
        getattr(moto, "__version__", "not installed") if moto is not None else "not installed"
    )
    return (
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}) on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
        f"pytest-cognito-mock {pytest_cognito_mock.__version__}, boto3 {boto3.__version__}, "
        f"botocore {botocore.__version__}, moto {moto_version}; "
        f"mode: {'quick (smoke run, numbers are indicative only)' if quick else 'full'}"
        f"{load_average()}"
    )


def load_average() -> str:
    """The machine's load when the report is made: other work running skews every figure."""
    try:
        loads = os.getloadavg()
    except (AttributeError, OSError):  # not on Windows
        return ""
    return "; load average over 1, 5, 15 min at the end: " + ", ".join(f"{x:.2f}" for x in loads)


def _growth(settings: Settings) -> Section:
    growth = {
        "mock": measure_growth(
            CognitoMock, settings.growth_checkpoints, settings.describe_calls, settings
        )
    }
    if moto is not None:
        growth["moto"] = measure_growth(
            moto.mock_aws,
            settings.moto_growth_checkpoints,
            settings.moto_describe_calls,
            settings,
        )
    return growth_section(growth)


def measurements(settings: Settings) -> list[tuple[str, str, Callable[[], Section]]]:
    """Every section: (letter, what the progress line says, how to measure and render it)."""
    s = settings
    pools = ", ".join(f"{n:,}" for n in s.create_pool_checkpoints)
    users = ", ".join(f"{n:,}" for n in s.user_checkpoints)
    return [
        ("a", "DescribeUserPoolClient per call", lambda: describe_section(measure_describe(s))),
        ("b", "fixture cycle", lambda: cycle_section(measure_fixture_cycle(s))),
        ("c", "scenario", lambda: scenario_section(measure_scenario(s))),
        (
            "d",
            "memory, in child processes",
            lambda: memory_section(measure_memory(s), s.memory_target_pools),
        ),
        ("e", "describe cost as pools accumulate", lambda: _growth(s)),
        (
            "f",
            "one-time costs, in child processes",
            lambda: first_run_section(measure_first_run()),
        ),
        (
            "g",
            f"{s.import_rows:,}-row import vs AdminCreateUser one at a time",
            lambda: import_section(import_jobs.measure_import(s)),
        ),
        (
            "h",
            f"{s.max_import_rows:,}-row import, in a child process",
            lambda: max_import_section(import_jobs.measure_max_import(s)),
        ),
        (
            "i",
            "GetCSVHeader and DescribeUserImportJob per call",
            lambda: import_calls_section(measure_import_calls(s)),
        ),
        (
            "j",
            "AdminInitiateAuth per call: password sign-in and refresh",
            lambda: sign_in_section(measure_sign_in(s)),
        ),
        (
            "k",
            f"CreateUserPool per call at {pools} existing pools",
            lambda: create_pool_section(measure_create_pool(s)),
        ),
        (
            "l",
            f"per call with {users} users and with import jobs in one pool",
            lambda: state_growth_section(measure_state_growth(s)),
        ),
        (
            "m",
            "loopback endpoint: calls per second, servers in processes of their own",
            lambda: loopback_section(measure_loopback(s)),
        ),
        (
            "n",
            "aiobotocore: DescribeUserPoolClient per call",
            lambda: aio_describe_section(measure_aio_describe(s)),
        ),
        (
            "o",
            "OAuth 2.0 token endpoint per request, and the form sign-in per run",
            lambda: oauth_section(measure_oauth_endpoints(s)),
        ),
        (
            "p",
            "USER_AUTH (PASSWORD, EMAIL_OTP) and rotating GetTokensFromRefreshToken per call",
            lambda: user_auth_section(measure_user_auth(s)),
        ),
    ]


def collect(
    settings: Settings, progress: Callable[[str], None] = print, only: str | None = None
) -> list[Section]:
    """Run every measurement (or those whose letters ``only`` names); the table's sections."""
    chosen = measurements(settings)
    if only is not None:
        unknown = set(only) - {letter for letter, _, _ in chosen}
        if unknown:
            raise ValueError(f"no section {', '.join(sorted(unknown))}")
        chosen = [entry for entry in chosen if entry[0] in only]
    sections = []
    with fake_aws_environment(), loopback_only():
        for letter, label, measure in chosen:
            progress(f"({letter}) {label}")
            sections.append(measure())
    return sections


def markdown_report(sections: list[Section], quick: bool, command: str) -> str:
    return (
        "# pytest-cognito-mock benchmarks\n\n"
        f"`{command}`: {environment_summary(quick)}\n\n"
        f"{render(sections)}\n\n{targets_summary(sections)}\n\n{NOTES}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run with tiny counts")
    parser.add_argument("--write", action="store_true", help=f"also write {LATEST_MD.name}")
    parser.add_argument(
        "--only",
        metavar="LETTERS",
        help="run only the sections with these letters (e.g. jp); not with --write",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.only is not None and args.write:
        parser.error(f"--only writes no {LATEST_MD.name}: the report would lack sections")
    if args.child:
        name, *arguments = args.child
        print(json.dumps(CHILDREN[name](*arguments)))
        return 0

    settings = QUICK if args.quick else FULL
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    if args.only is not None:
        command += f" --only {args.only}"
    try:
        sections = collect(
            settings,
            progress=lambda step: print(f"measuring {step} ...", file=sys.stderr, flush=True),
            only=args.only,
        )
    except ValueError as exc:
        parser.error(str(exc))
    report = markdown_report(sections, args.quick, command)
    print(report)
    if args.write:
        LATEST_MD.write_text(report, encoding="utf-8")
        print(f"written to {LATEST_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
