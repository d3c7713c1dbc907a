"""(j) What a sign-in costs: AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH and with
REFRESH_TOKEN_AUTH, per call, next to the send-path floor plus the two RS256 signatures every
token pair needs (timed in the same run), moto, and the Stubber for reference. (k) CreateUserPool
per call next to its floor as pools accumulate in one mock (no signing key is made per pool).

The floors' canned bodies and request parameters are the mock's own, captured once before any
timing: same members, same token sizes, so the floor parses exactly what the mock sends.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from harness import (
    REGION,
    Contender,
    ProfileLine,
    Settings,
    Timing,
    call_tree,
    compare,
    create_app,
    moto,
    new_client,
    profile_calls,
    self_time_by_area,
)
from import_jobs import _where
from send_path import floor_contender, stubber_contender
from table import TARGETS, TIMES, Row, Section, duration, ratio, timed

from pytest_cognito_mock import CognitoMock

PASSWORD = "Corr3ct-horse!"
USERNAME = "ada"
#: A user as an app would have one: the ID token carries the email claims.
USER_ATTRIBUTES = [
    {"Name": "email", "Value": "ada@example.com"},
    {"Name": "email_verified", "Value": "true"},
]
SIGN_IN, REFRESH = "ADMIN_USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"
FLOWS = (SIGN_IN, REFRESH)
#: The targets' names in table.TARGETS.
BUDGET, MOTO, CREATE = "mock / (floor + 2 signatures)", "moto / mock, sign-in", "create / floor"
PACKAGE = "pytest_cognito_mock"
#: Where the mock's time goes, by the module that spends it (first match wins).
AREAS = (
    ("RSA signing (cryptography)", ("of 'cryptography", "cryptography/")),
    ("pytest_cognito_mock", ("pytest_cognito_mock/",)),
    ("botocore, boto3, urllib3", ("botocore/", "boto3/", "urllib3/")),
    ("json", ("json/", "_json")),
)


# -- the app every contender signs in to -------------------------------------------------------


@dataclass(frozen=True)
class App:
    pool_id: str
    client_id: str
    refresh_token: str

    def params(self, flow: str) -> dict[str, Any]:
        """AdminInitiateAuth's parameters for ``flow``."""
        parameters = (
            {"USERNAME": USERNAME, "PASSWORD": PASSWORD}
            if flow == SIGN_IN
            else {"REFRESH_TOKEN": self.refresh_token}
        )
        return {
            "UserPoolId": self.pool_id,
            "ClientId": self.client_id,
            "AuthFlow": flow,
            "AuthParameters": parameters,
        }


def make_app(client: Any) -> App:
    """A pool, an app client with APP_FLOWS, a confirmed user, and one sign-in's refresh token."""
    pool_id, client_id = create_app(client)
    client.admin_create_user(
        UserPoolId=pool_id,
        Username=USERNAME,
        MessageAction="SUPPRESS",
        UserAttributes=USER_ATTRIBUTES,
    )
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=USERNAME, Password=PASSWORD, Permanent=True
    )
    signed_in = client.admin_initiate_auth(**App(pool_id, client_id, "").params(SIGN_IN))
    return App(pool_id, client_id, signed_in["AuthenticationResult"]["RefreshToken"])


@dataclass(frozen=True)
class Capture:
    """One mock answer as it went over the wire, and as boto3 returned it."""

    params: dict[str, Any]
    wire: bytes
    parsed: dict[str, Any]


def capture_mock_answers() -> dict[str, Capture]:
    """The mock's AdminInitiateAuth answers for both flows, and its CreateUserPool answer."""
    bodies: list[bytes] = []
    client = new_client()
    client.meta.events.register(
        "after-call.cognito-identity-provider.*",
        lambda http_response, **_: bodies.append(http_response.content),
    )
    captured: dict[str, Capture] = {}
    with CognitoMock():
        app = make_app(client)
        for flow in FLOWS:
            parsed = client.admin_initiate_auth(**app.params(flow))
            captured[flow] = Capture(app.params(flow), bodies[-1], _without_metadata(parsed))
        created = client.create_user_pool(PoolName="bench")
        captured["CreateUserPool"] = Capture(
            {"PoolName": "bench"}, bodies[-1], _without_metadata(created)
        )
    return captured


def _without_metadata(parsed: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in parsed.items() if name != "ResponseMetadata"}


# -- contenders ---------------------------------------------------------------------------------


def _app_contender(
    activate: Callable[[], contextlib.AbstractContextManager[Any]], flow: str
) -> Contender:
    """AdminInitiateAuth with ``flow`` under ``activate`` (the mock or moto)."""

    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        with activate():
            client = new_client()
            params = make_app(client).params(flow)
            yield lambda: client.admin_initiate_auth(**params)

    return contender


@dataclass(frozen=True)
class _Answer:
    """What the seam reads from a mock's answer (status, headers, body)."""

    status: int
    headers: dict[str, str]
    body: bytes


class _CannedAnswerMock(CognitoMock):
    """The mock's seam and botocore with the mock's work taken out: every call, once the app
    is set up, gets the captured answer. Its cost is the mock's own send-path floor."""

    def __init__(self, capture: Capture) -> None:
        super().__init__()
        self._canned = _Answer(
            200,
            {
                "Content-Type": "application/x-amz-json-1.1",
                "Content-Length": str(len(capture.wire)),
                "x-amzn-RequestId": "3b7d3d3e-2f4c-4a7e-9a53-3f5f2c2b8f11",
            },
            capture.wire,
        )
        self.canned = False
        answer_api = self._service.answer_api

        def answer(*args: Any) -> Any:
            return self._canned if self.canned else answer_api(*args)

        self._service.answer_api = answer  # type: ignore[method-assign]


def _seam_contender(flow: str, capture: Capture) -> Contender:
    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        mock = _CannedAnswerMock(capture)
        with mock:
            client = new_client()
            params = make_app(client).params(flow)
            mock.canned = True
            yield lambda: client.admin_initiate_auth(**params)

    return contender


def _respond_contender(flow: str) -> Contender:
    """The service answering a captured request, with no botocore around it."""

    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        requests: list[Any] = []
        client = new_client()
        client.meta.events.register(
            "before-sign.cognito-identity-provider.AdminInitiateAuth",
            lambda request, **_: requests.append(request),
        )
        with CognitoMock() as mock:
            client.admin_initiate_auth(**make_app(client).params(flow))
            request = requests[-1]
            target, answer_api = request.headers.get("X-Amz-Target"), mock._service.answer_api
            if answer_api(target, request.body, REGION).status != 200:
                raise RuntimeError(f"the captured {flow} request was refused")
            yield lambda: answer_api(target, request.body, REGION)

    return contender


def _signer(key: rsa.RSAPrivateKey, capture: Capture) -> Callable[[], object]:
    """Two RS256 signatures (PKCS#1 v1.5, SHA-256), of the captured tokens' signing inputs."""
    pkcs1, sha256 = padding.PKCS1v15(), hashes.SHA256()
    result = capture.parsed["AuthenticationResult"]
    first, second = (result[name].rsplit(".", 1)[0].encode() for name in ("IdToken", "AccessToken"))
    return lambda: (key.sign(first, pkcs1, sha256), key.sign(second, pkcs1, sha256))


@contextlib.contextmanager
def two_signatures(key: rsa.RSAPrivateKey, capture: Capture) -> Iterator[Callable[[], object]]:
    yield _signer(key, capture)


@contextlib.contextmanager
def floor_and_signatures(
    key: rsa.RSAPrivateKey, capture: Capture
) -> Iterator[Callable[[], object]]:
    """The floor's call and the two signatures in one operation: what they cost together,
    when each evicts the other's code and data from the CPU caches as a real call would."""
    sign = _signer(key, capture)
    with floor_contender(
        "AdminInitiateAuth", "admin_initiate_auth", capture.params, _wire_json(capture)
    ) as call:
        yield lambda: (call(), sign())


# -- (j) AdminInitiateAuth per call -------------------------------------------------------------


@dataclass
class FlowResult:
    timings: dict[str, Timing]
    body_bytes: int
    #: Only when a target is missed: where the mock's time goes under cProfile.
    areas: list[tuple[str, float]] | None = None
    tree: list[ProfileLine] | None = None
    calls_profiled: int = 0


def measure_sign_in(settings: Settings) -> dict[str, FlowResult]:
    """(j) Per-call AdminInitiateAuth for both flows, every contender in the same interleaved
    rounds (the signatures too, so that the budget is taken under the same machine load)."""
    captured = capture_mock_answers()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    results: dict[str, FlowResult] = {}
    for flow in FLOWS:
        capture = captured[flow]
        contenders: dict[str, Contender] = {
            "stubber": functools.partial(
                stubber_contender, "admin_initiate_auth", capture.params, capture.parsed
            ),
            "floor": functools.partial(
                floor_contender,
                "AdminInitiateAuth",
                "admin_initiate_auth",
                capture.params,
                _wire_json(capture),
            ),
            "2 signatures": functools.partial(two_signatures, key, capture),
            "floor and signatures": functools.partial(floor_and_signatures, key, capture),
            "mock": _app_contender(CognitoMock, flow),
            "seam": _seam_contender(flow, capture),
            "respond": _respond_contender(flow),
        }
        counts = dict.fromkeys(contenders, settings.auth_calls)
        if moto is not None:
            contenders["moto"] = _app_contender(moto.mock_aws, flow)
            counts["moto"] = settings.moto_auth_calls
        result = FlowResult(compare(contenders, counts, settings), len(capture.wire))
        if not sign_in_targets_met(result):
            result.calls_profiled = settings.auth_calls
            result.areas, result.tree = profile_sign_in(flow, settings.auth_calls)
        results[flow] = result
    return results


def _wire_json(capture: Capture) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(capture.wire)
    return parsed  # canned_body() re-encodes it compactly: the same bytes the mock sent


def floor_plus_signatures(result: FlowResult) -> float:
    """The budget's base: the floor's median plus the two signatures' median."""
    return result.timings["floor"].median + result.timings["2 signatures"].median


def sign_in_targets_met(result: FlowResult) -> bool:
    mock = result.timings["mock"].median
    met = mock / floor_plus_signatures(result) <= TARGETS[BUDGET][1]
    if "moto" in result.timings:
        met = met and result.timings["moto"].median / mock >= TARGETS[MOTO][1]
    return met


def profile_sign_in(flow: str, calls: int) -> tuple[list[tuple[str, float]], list[ProfileLine]]:
    """cProfile over ``calls`` mock calls: self time by area over the whole call, and the tree
    of what the service's ``answer_api`` spends its time in (the package's functions only)."""
    with CognitoMock():
        client = new_client()
        params = make_app(client).params(flow)
        profiler = profile_calls(lambda: client.admin_initiate_auth(**params), calls)
    root = (f"{PACKAGE}/service.py", "answer_api")
    return self_time_by_area(profiler, AREAS), call_tree(profiler, root, f"{PACKAGE}/", calls)


def sign_in_section(results: dict[str, FlowResult]) -> Section:
    section = Section(
        "(j) AdminInitiateAuth, per call: password sign-in and refresh (two RS256 signatures each)"
    )
    for flow, result in results.items():
        t = result.timings
        floor, mock = t["floor"].median, t["mock"].median
        budget = floor_plus_signatures(result)
        together = t["floor and signatures"]
        section.rows += [
            timed(
                f"{flow}: botocore Stubber (reference)",
                t["stubber"],
                ratio(f"{flow}: stubber / floor", t["stubber"].median, floor),
            ),
            timed(f"{flow}: send-path floor (canned {result.body_bytes:,}-byte body)", t["floor"]),
            timed(f"{flow}: two RS256 signatures (cryptography, RSA-2048)", t["2 signatures"]),
            Row(f"{flow}: floor + two signatures (sum of medians: the budget)", duration(budget)),
            timed(
                f"{flow}: floor and two signatures in one operation (reference)",
                together,
                ratio(f"{flow}: together / sum", together.median, budget),
            ),
            timed(
                f"{flow}: pytest-cognito-mock",
                t["mock"],
                ratio(f"{flow}: {BUDGET}", mock, budget, BUDGET)
                + "; "
                + ratio(f"{flow}: mock / (floor and signatures together)", mock, together.median)
                + "; "
                + ratio(f"{flow}: mock / floor", mock, floor),
            ),
            *_decomposition(flow, t),
        ]
        if "moto" in t:
            moto_median = t["moto"].median
            section.rows.append(
                timed(
                    f"{flow}: moto mock_aws (signs two tokens too)",
                    t["moto"],
                    ratio(f"{flow}: moto / mock", moto_median, mock, MOTO)
                    + "; "
                    + ratio(f"{flow}: moto / (floor + 2 signatures)", moto_median, budget)
                    + " (the most any mock that signs its tokens could reach)",
                )
            )
        else:
            section.rows.append(Row(f"{flow}: moto mock_aws", "moto not installed"))
        section.rows += _sign_in_diagnosis(flow, result)
    return section


def _decomposition(flow: str, t: dict[str, Timing]) -> list[Row]:
    """The mock's median in parts: its seam and botocore (measured with a canned answer), its
    answer (respond, measured alone), and what is left when both run in one call."""
    mock, seam, respond = t["mock"].median, t["seam"].median, t["respond"].median
    own = respond - t["2 signatures"].median
    return [
        timed(
            f"{flow}: of which the mock's seam and botocore (the mock answering a canned body)",
            t["seam"],
            ratio(f"{flow}: seam / floor", seam, t["floor"].median),
        ),
        timed(
            f"{flow}: of which the mock's answer (CognitoService.answer_api timed alone)",
            t["respond"],
            f"respond - 2 signatures = {duration(own)} of the mock's own work",
        ),
        Row(
            f"{flow}: of which the rest (mock - seam - respond: the parts slow each other down)",
            duration(mock - seam - respond),
        ),
    ]


def _sign_in_diagnosis(flow: str, result: FlowResult) -> list[Row]:
    """Where the mock's time goes; only present when a target is missed."""
    if result.areas is None or result.tree is None:
        return []
    bound = TARGETS[BUDGET][1]
    allowed = floor_plus_signatures(result) * bound
    over = result.timings["mock"].median - allowed
    rows = [
        Row(
            f"{flow}: what the {bound:g}{TIMES} budget allows the mock",
            duration(allowed),
            "",
            f"the mock's median is {duration(over)} over" if over > 0 else "within it",
        )
    ]
    profiled = f"cProfile, {result.calls_profiled:,} calls"
    rows += [
        Row(f"{flow}: {profiled}: self time in {area}", f"{share:.1%}", "", "of the whole call")
        for area, share in result.areas
    ]
    rows += [
        Row(
            f"{flow}: {profiled}: " + ". " * line.depth + _where(line.key),
            f"{line.share:.1%}",
            "",
            f"{duration(line.per_call)} per call under cProfile"
            + (" (= 100%)" if line.depth == 0 else ""),
        )
        for line in result.tree
    ]
    return rows


# -- (k) CreateUserPool as pools accumulate -----------------------------------------------------


@dataclass
class CreatePoolResults:
    body_bytes: int
    #: Existing pools -> {"floor": Timing, "mock": Timing}.
    by_pools: dict[int, dict[str, Timing]] = field(default_factory=dict)
    #: Pools holding signing keys once every checkpoint is timed (keys are made on first use).
    pools_with_keys: int = 0


def measure_create_pool(settings: Settings) -> CreatePoolResults:
    """(k) CreateUserPool per call in one mock holding 1, ... pools, next to the floor.

    One mock object gains pools between checkpoints; it is started for its batches and stopped
    for the floor's (the mock skips ``before-send``, where the floor answers). The pools a
    timed batch creates are deleted after it, untimed, so every batch starts at its checkpoint.
    """
    capture = capture_mock_answers()["CreateUserPool"]
    results = CreatePoolResults(len(capture.wire))
    mock = CognitoMock()
    existing = 0
    names = itertools.count()

    @contextlib.contextmanager
    def mock_contender() -> Iterator[Callable[[], object]]:
        created: list[str] = []
        with mock:
            client = new_client()

            def create() -> object:
                response = client.create_user_pool(PoolName=f"bench-{next(names)}")
                created.append(response["UserPool"]["Id"])
                return response

            yield create
            for pool_id in created:
                client.delete_user_pool(UserPoolId=pool_id)

    contenders: dict[str, Contender] = {
        "floor": functools.partial(
            floor_contender,
            "CreateUserPool",
            "create_user_pool",
            capture.params,
            _wire_json(capture),
        ),
        "mock": mock_contender,
    }
    counts = dict.fromkeys(contenders, settings.create_pool_calls)
    for checkpoint in settings.create_pool_checkpoints:
        with mock:
            client = new_client()
            for _ in range(checkpoint - existing):
                client.create_user_pool(PoolName=f"filler-{next(names)}")
            existing = checkpoint
            if len(mock._service.backend.pools) != existing:
                raise RuntimeError(f"{len(mock._service.backend.pools)} pools, expected {existing}")
        gc.collect()
        results.by_pools[checkpoint] = compare(contenders, counts, settings)
    results.pools_with_keys = sum(
        pool.keys is not None for pool in mock._service.backend.pools.values()
    )
    return results


def create_pool_section(results: CreatePoolResults) -> Section:
    section = Section(
        "(k) CreateUserPool per call as pools accumulate in one mock (no key generated per pool)"
    )
    for pools, timings in results.by_pools.items():
        floor, mock = timings["floor"], timings["mock"]
        label = f"{pools:,} existing pool{'s' * (pools > 1)}"
        section.rows += [
            timed(
                f"{label}: send-path floor (canned {results.body_bytes:,}-byte body)",
                floor,
            ),
            timed(
                f"{label}: pytest-cognito-mock",
                mock,
                ratio(f"{label}: mock / floor", mock.median, floor.median, CREATE),
            ),
        ]
    section.rows.append(
        Row(
            "pools holding signing keys after the run (made on first sign-in or JWKS request)",
            f"{results.pools_with_keys:,}",
        )
    )
    return section
