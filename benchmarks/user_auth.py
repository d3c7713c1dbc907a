"""(p) What choice-based sign-in and a rotating refresh cost, per call: InitiateAuth with
``AuthFlow=USER_AUTH`` and the password in the same request (tokens at once), USER_AUTH with an
emailed code (InitiateAuth gets the EMAIL_OTP challenge, the test reads the code from the mock,
RespondToAuthChallenge gets the tokens: a pair of calls), and GetTokensFromRefreshToken on a
client that rotates refresh tokens (every call hands out the refresh token the next one uses).

As in (j), each is timed next to its send-path floor (botocore answered at ``before-send`` with
the mock's own bodies, captured once before any timing, for the mock's own requests) plus the
two RS256 signatures its tokens need (ID and access token; the refresh token is an AES-GCM
sealed JWE, see backend/tokens.py, which no RSA key signs), and decomposed into the mock's seam
and its answer. moto implements neither USER_AUTH nor GetTokensFromRefreshToken: its rows say
what it answers.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from auth import (
    AREAS,
    BUDGET,
    PACKAGE,
    PASSWORD,
    USER_ATTRIBUTES,
    USERNAME,
    Capture,
    FlowResult,
    _Answer,
    _decomposition,
    _sign_in_diagnosis,
    _signer,
    _without_metadata,
    floor_plus_signatures,
)
from botocore import xform_name
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from cryptography.hazmat.primitives.asymmetric import rsa
from harness import (
    REGION,
    Contender,
    ProfileLine,
    Settings,
    call_tree,
    compare,
    moto,
    new_client,
    profile_calls,
    self_time_by_area,
)
from send_path import _CannedBody, canned_body
from table import TARGETS, Row, Section, duration, ratio, timed

from pytest_cognito_mock import CognitoMock

PASSWORD_FLOW = "USER_AUTH, PASSWORD"
EMAIL_OTP_FLOW = "USER_AUTH, EMAIL_OTP"
ROTATION_FLOW = "GetTokensFromRefreshToken, rotation"
FLOWS = (PASSWORD_FLOW, EMAIL_OTP_FLOW, ROTATION_FLOW)
#: What one timed operation of each flow is, as the rows say it.
OPERATIONS = {
    PASSWORD_FLOW: "InitiateAuth with PREFERRED_CHALLENGE=PASSWORD and PASSWORD: tokens at once",
    EMAIL_OTP_FLOW: (
        "InitiateAuth with PREFERRED_CHALLENGE=EMAIL_OTP, cognito_mock.last_code, "
        "RespondToAuthChallenge with EMAIL_OTP_CODE: a pair of calls"
    ),
    ROTATION_FLOW: "each call exchanges the refresh token the previous call handed out",
}
#: The send-path calls one operation of each flow makes (the floor makes as many).
CALLS = {PASSWORD_FLOW: 1, EMAIL_OTP_FLOW: 2, ROTATION_FLOW: 1}

SIGN_IN_POLICY = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
USER_AUTH_FLOWS = ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
#: A rotating client need not allow REFRESH_TOKEN_AUTH: it refreshes with
#: GetTokensFromRefreshToken. No grace period: each token works once.
ROTATION = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}


# -- the app every contender signs in to -------------------------------------------------------


@dataclass(frozen=True)
class App:
    pool_id: str
    #: Allows USER_AUTH (and REFRESH_TOKEN_AUTH); does not rotate.
    client_id: str
    #: Allows USER_AUTH; rotates refresh tokens.
    rotating_client_id: str
    #: One sign-in's refresh token through the rotating client.
    refresh_token: str


def _password_params(client_id: str) -> dict[str, Any]:
    return {
        "ClientId": client_id,
        "AuthFlow": "USER_AUTH",
        "AuthParameters": {
            "USERNAME": USERNAME,
            "PREFERRED_CHALLENGE": "PASSWORD",
            "PASSWORD": PASSWORD,
        },
    }


def _email_otp_params(client_id: str) -> dict[str, Any]:
    return {
        "ClientId": client_id,
        "AuthFlow": "USER_AUTH",
        "AuthParameters": {"USERNAME": USERNAME, "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    }


def _answer_params(client_id: str, session: str, code: str) -> dict[str, Any]:
    return {
        "ClientId": client_id,
        "ChallengeName": "EMAIL_OTP",
        "Session": session,
        "ChallengeResponses": {"USERNAME": USERNAME, "EMAIL_OTP_CODE": code},
    }


def make_app(client: Any) -> App:
    """An Essentials pool (the default tier) whose sign-in policy allows PASSWORD and
    EMAIL_OTP, a plain and a rotating USER_AUTH client, a confirmed user with a verified email,
    and one sign-in's refresh token through the rotating client."""
    pool_id = client.create_user_pool(PoolName="bench", Policies=SIGN_IN_POLICY)["UserPool"]["Id"]
    client_id = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=USER_AUTH_FLOWS
    )["UserPoolClient"]["ClientId"]
    rotating_client_id = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="rotating",
        ExplicitAuthFlows=["ALLOW_USER_AUTH"],
        RefreshTokenRotation=ROTATION,
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(
        UserPoolId=pool_id,
        Username=USERNAME,
        MessageAction="SUPPRESS",
        UserAttributes=USER_ATTRIBUTES,
    )
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=USERNAME, Password=PASSWORD, Permanent=True
    )
    signed_in = client.initiate_auth(**_password_params(rotating_client_id))
    refresh_token = signed_in["AuthenticationResult"]["RefreshToken"]
    return App(pool_id, client_id, rotating_client_id, refresh_token)


def flow_operation(
    flow: str, client: Any, app: App, last_code: Callable[[], str]
) -> Callable[[], Any]:
    """One operation of ``flow`` as a test makes it, through ``client``; ``last_code`` reads
    the EMAIL_OTP code the mock captured. Its result is the last call's answer (the tokens)."""
    if flow == PASSWORD_FLOW:
        params = _password_params(app.client_id)
        return lambda: client.initiate_auth(**params)
    if flow == EMAIL_OTP_FLOW:
        start = _email_otp_params(app.client_id)

        def email_otp() -> Any:
            challenge = client.initiate_auth(**start)
            answer = _answer_params(app.client_id, challenge["Session"], last_code())
            return client.respond_to_auth_challenge(**answer)

        return email_otp
    token = [app.refresh_token]

    def rotate() -> Any:
        result = client.get_tokens_from_refresh_token(
            ClientId=app.rotating_client_id, RefreshToken=token[0]
        )
        token[0] = result["AuthenticationResult"]["RefreshToken"]
        return result

    return rotate


@dataclass(frozen=True)
class Step:
    """One call of a captured operation: its botocore operation and method names, and the
    mock's answer as it went over the wire (Capture.params, .wire, .parsed)."""

    operation: str
    method: str
    capture: Capture


def capture_flow(flow: str) -> list[Step]:
    """Every call of one ``flow`` operation in a fresh mock: parameters, wire body, parsed."""
    steps: list[Step] = []
    pending: list[dict[str, Any]] = []
    client = new_client()
    with CognitoMock() as mock:
        app = make_app(client)
        operation = flow_operation(flow, client, app, lambda: mock.last_code(app.pool_id, USERNAME))
        client.meta.events.register(
            "provide-client-params.cognito-identity-provider.*",
            lambda params, **_: pending.append(json.loads(json.dumps(params))),
        )

        def record(http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
            capture = Capture(pending.pop(), http_response.content, _without_metadata(parsed))
            steps.append(Step(model.name, xform_name(model.name), capture))

        client.meta.events.register("after-call.cognito-identity-provider.*", record)
        operation()
    if len(steps) != CALLS[flow] or "AuthenticationResult" not in steps[-1].capture.parsed:
        raise RuntimeError(f"{flow}: captured {[s.operation for s in steps]}, expected tokens")
    return steps


# -- contenders ---------------------------------------------------------------------------------


def _replay(client: Any, steps: list[Step]) -> Callable[[], object]:
    """Every step's call with its captured parameters, in order."""
    calls = [(getattr(client, step.method), step.capture.params) for step in steps]

    def replay() -> object:
        result = None
        for call, params in calls:
            result = call(**params)
        return result

    return replay


@contextlib.contextmanager
def floor_contender(steps: list[Step]) -> Iterator[Callable[[], object]]:
    """The send-path floor: one client, each operation answered at ``before-send`` with the
    mock's captured body (serialize, sign when the operation is signed, parse: nothing else)."""
    client = new_client()
    for step in steps:
        body = canned_body(json.loads(step.capture.wire))  # compact: the bytes the mock sent
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "Content-Length": str(len(body)),
            "x-amzn-RequestId": "3b7d3d3e-2f4c-4a7e-9a53-3f5f2c2b8f11",
        }

        def answer(request: Any, body: bytes = body, headers: Any = headers, **_: Any) -> Any:
            return AWSResponse(request.url, 200, headers, _CannedBody(body))

        client.meta.events.register(
            f"before-send.cognito-identity-provider.{step.operation}", answer
        )
    yield _replay(client, steps)


@contextlib.contextmanager
def stubber_contender(steps: list[Step]) -> Iterator[Callable[[], object]]:
    """botocore's Stubber answering every step with the mock's parsed answer (reference)."""
    client = new_client()
    replay = _replay(client, steps)
    with Stubber(client) as stubber:

        def stubbed() -> object:
            for step in steps:
                stubber.add_response(step.method, step.capture.parsed, step.capture.params)
            return replay()

        yield stubbed


@contextlib.contextmanager
def two_signatures(key: rsa.RSAPrivateKey, steps: list[Step]) -> Iterator[Callable[[], object]]:
    yield _signer(key, steps[-1].capture)


@contextlib.contextmanager
def floor_and_signatures(
    key: rsa.RSAPrivateKey, steps: list[Step]
) -> Iterator[Callable[[], object]]:
    """The floor's calls and the two signatures in one operation (see (j))."""
    sign = _signer(key, steps[-1].capture)
    with floor_contender(steps) as calls:
        yield lambda: (calls(), sign())


def _mock_contender(flow: str) -> Contender:
    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        with CognitoMock() as mock:
            client = new_client()
            app = make_app(client)
            yield flow_operation(flow, client, app, lambda: mock.last_code(app.pool_id, USERNAME))

    return contender


class _CannedAnswersMock(CognitoMock):
    """The mock's seam and botocore with the mock's work taken out: once ``canned`` is set,
    every call gets the captured answer of its operation (see (j)'s _CannedAnswerMock)."""

    def __init__(self, steps: list[Step]) -> None:
        super().__init__()
        self._canned = {
            step.operation: _Answer(
                200,
                {
                    "Content-Type": "application/x-amz-json-1.1",
                    "Content-Length": str(len(step.capture.wire)),
                    "x-amzn-RequestId": "3b7d3d3e-2f4c-4a7e-9a53-3f5f2c2b8f11",
                },
                step.capture.wire,
            )
            for step in steps
        }
        self.canned = False
        answer_api = self._service.answer_api

        def answer(target: Any, *args: Any) -> Any:
            if self.canned:  # botocore's header values are bytes
                name = target.decode() if isinstance(target, bytes) else str(target)
                return self._canned[name.rpartition(".")[2]]
            return answer_api(target, *args)

        self._service.answer_api = answer  # type: ignore[method-assign,assignment]


def _seam_contender(steps: list[Step]) -> Contender:
    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        mock = _CannedAnswersMock(steps)
        with mock:
            client = new_client()
            make_app(client)
            mock.canned = True
            yield _replay(client, steps)

    return contender


def _respond_contender(flow: str) -> Contender:
    """The service answering the flow's requests with no botocore around it: the first
    operation's requests are captured, then replayed with what each answer hands the next
    request (the Session and the emailed code; the rotated refresh token)."""

    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        requests: list[Any] = []
        client = new_client()
        client.meta.events.register(
            "before-sign.cognito-identity-provider.*",
            lambda request, **_: requests.append(request),
        )
        with CognitoMock() as mock:
            app = make_app(client)
            del requests[:]
            last_code = functools.partial(mock.last_code, app.pool_id, USERNAME)
            tokens = flow_operation(flow, client, app, last_code)()["AuthenticationResult"]
            answer_api = mock._service.answer_api
            sent = [(r.headers.get("X-Amz-Target"), r.body) for r in requests]
            yield _answering(flow, answer_api, sent, tokens.get("RefreshToken"), last_code)

    return contender


def _answering(
    flow: str,
    answer_api: Callable[..., Any],
    sent: list[tuple[Any, Any]],
    refresh_token: str | None,
    last_code: Callable[[], str],
) -> Callable[[], object]:
    """``sent``: the operation's requests (X-Amz-Target, body); ``refresh_token``: the last one
    its answer handed out (the rotation's next request sends it)."""

    def checked(target: Any, body: Any) -> Any:
        answer = answer_api(target, body, REGION)
        if answer.status != 200:
            raise RuntimeError(f"{flow}: the mock refused a replayed request: {answer.body!r}")
        return answer

    if flow == PASSWORD_FLOW:
        ((target, body),) = sent
        return lambda: checked(target, body)
    if flow == EMAIL_OTP_FLOW:
        (start_target, start_body), (answer_target, answer_body) = sent
        template = json.loads(answer_body)

        def email_otp() -> object:
            session = json.loads(checked(start_target, start_body).body)["Session"]
            answer = {**template, "Session": session}
            answer["ChallengeResponses"] = {
                **template["ChallengeResponses"],
                "EMAIL_OTP_CODE": last_code(),
            }
            return checked(answer_target, json.dumps(answer).encode())

        return email_otp
    ((target, body),) = sent
    template = json.loads(body)
    token = [refresh_token]

    def rotate() -> object:
        answer = checked(target, json.dumps({**template, "RefreshToken": token[0]}).encode())
        token[0] = json.loads(answer.body)["AuthenticationResult"]["RefreshToken"]
        return answer

    return rotate


def moto_answer(flow: str) -> str:
    """What moto answers the flow's first call (it implements neither)."""
    if moto is None:
        return "moto not installed"
    with moto.mock_aws():
        client = new_client()
        try:
            pool_id = client.create_user_pool(PoolName="bench", Policies=SIGN_IN_POLICY)[
                "UserPool"
            ]["Id"]
            client_id = client.create_user_pool_client(
                UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=USER_AUTH_FLOWS
            )["UserPoolClient"]["ClientId"]
            if flow == ROTATION_FLOW:
                client.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken="x" * 64)
            else:
                client.admin_create_user(
                    UserPoolId=pool_id,
                    Username=USERNAME,
                    MessageAction="SUPPRESS",
                    UserAttributes=USER_ATTRIBUTES,
                )
                client.admin_set_user_password(
                    UserPoolId=pool_id, Username=USERNAME, Password=PASSWORD, Permanent=True
                )
                params = (
                    _password_params(client_id)
                    if flow == PASSWORD_FLOW
                    else _email_otp_params(client_id)
                )
                client.initiate_auth(**params)
        except Exception as exc:  # the row reports whatever moto raises
            error = getattr(exc, "response", {}).get("Error", {})
            said = (
                f"{error['Code']}: {error.get('Message', '')}"
                if error
                else f"{type(exc).__name__}: {exc}"
            )
            return "not implemented: " + (said if len(said) <= 120 else said[:119] + "\u2026")
    return "answered (not timed here)"


# -- (p) measurement and report ------------------------------------------------------------------


@dataclass
class UserAuthResult(FlowResult):
    #: What moto answers the flow (it is not timed: it implements none of them).
    moto: str = ""


def measure_user_auth(settings: Settings) -> dict[str, UserAuthResult]:
    """(p) Per operation, every contender of a flow in the same interleaved rounds."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    results: dict[str, UserAuthResult] = {}
    for flow in FLOWS:
        steps = capture_flow(flow)
        contenders: dict[str, Contender] = {
            "stubber": functools.partial(stubber_contender, steps),
            "floor": functools.partial(floor_contender, steps),
            "2 signatures": functools.partial(two_signatures, key, steps),
            "floor and signatures": functools.partial(floor_and_signatures, key, steps),
            "mock": _mock_contender(flow),
            "seam": _seam_contender(steps),
            "respond": _respond_contender(flow),
        }
        counts = dict.fromkeys(contenders, settings.auth_calls)
        result = UserAuthResult(
            compare(contenders, counts, settings), sum(len(s.capture.wire) for s in steps)
        )
        result.moto = moto_answer(flow)
        if not targets_met(result):
            result.calls_profiled = settings.auth_calls
            result.areas, result.tree = profile_flow(flow, settings.auth_calls)
        results[flow] = result
    return results


def targets_met(result: FlowResult) -> bool:
    return result.timings["mock"].median / floor_plus_signatures(result) <= TARGETS[BUDGET][1]


def profile_flow(flow: str, calls: int) -> tuple[list[tuple[str, float]], list[ProfileLine]]:
    """cProfile over ``calls`` mock operations: self time by area, and the tree of what the
    service's ``answer_api`` spends its time in (the package's functions only)."""
    with CognitoMock() as mock:
        client = new_client()
        app = make_app(client)
        operation = flow_operation(flow, client, app, lambda: mock.last_code(app.pool_id, USERNAME))
        profiler = profile_calls(operation, calls)
    root = (f"{PACKAGE}/service.py", "answer_api")
    return self_time_by_area(profiler, AREAS), call_tree(profiler, root, f"{PACKAGE}/", calls)


def user_auth_section(results: dict[str, UserAuthResult]) -> Section:
    section = Section(
        "(p) USER_AUTH (PASSWORD; EMAIL_OTP, two calls) and GetTokensFromRefreshToken with "
        "rotation, per operation (two RS256 signatures each)"
    )
    for flow, result in results.items():
        t = result.timings
        floor, mock = t["floor"].median, t["mock"].median
        budget = floor_plus_signatures(result)
        together = t["floor and signatures"]
        calls = CALLS[flow]
        floor_label = (
            f"send-path floor (canned {result.body_bytes:,}-byte body)"
            if calls == 1
            else f"send-path floor, {calls} calls (canned bodies, {result.body_bytes:,} bytes)"
        )
        section.rows += [
            Row(f"{flow}: one operation is", "", "", OPERATIONS[flow]),
            timed(
                f"{flow}: botocore Stubber (reference)",
                t["stubber"],
                ratio(f"{flow}: stubber / floor", t["stubber"].median, floor),
            ),
            timed(f"{flow}: {floor_label}", t["floor"]),
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
            Row(f"{flow}: moto mock_aws", result.moto),
        ]
        section.rows += _sign_in_diagnosis(flow, result)
    return section
