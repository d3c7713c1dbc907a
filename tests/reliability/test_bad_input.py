"""Bad input for every implemented operation, generated from the botocore input shape.

Each hypothesis example starts a fresh mock seeded with a pool, two app clients, users, a group,
tokens and a pending session (and an import job for the import-job operations), then sends one
request built from the operation's input shape: valid, boundary and invalid values, wrong JSON
types, unknown members, huge and unicode strings, with seeded ids swapped in often enough that
requests reach the real code paths. A request goes one of three ways:

* ``botocore``: as keyword arguments of a client with ``parameter_validation=False``;
* ``wire``: as the JSON body itself, put in place of botocore's serialization by a
  ``before-call`` handler, so unknown members, nulls and wrong types at any depth reach the mock;
* ``bytes``: a body that is not a JSON object at all.

Every answer must be a success or a modelled AWS error with HTTP 400. A refused call must leave
the backend exactly as it was; a successful one must leave it readable by every read operation.
Allowed besides: an exception botocore raises on the client before the request is sent (its
serializer chokes on some wrong types with ``parameter_validation=False``: AttributeError,
KeyError, TypeError, ...), and the mock's documented ``NotImplementedError``s (see
``_documented_not_implemented``).
"""

from __future__ import annotations

import copy
import json
import os
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.model import requires_operation
from support.profile import examples

import pytest_cognito_mock
from pytest_cognito_mock import CognitoMock, UnsupportedOperationError
from pytest_cognito_mock._java_regex import compile_java
from pytest_cognito_mock.operations import OPERATIONS

REGION = "us-east-1"
PASSWORD = "Seed-passw0rd!"
TEMPORARY = "Temp-passw0rd!"
ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
PACKAGE_DIR = os.path.dirname(pytest_cognito_mock.__file__)
#: Operations whose refused answer may spend the request's Session (documented in
#: backend/challenges.py: an evaluated answer spends it).
SESSION_SPENDERS = {"RespondToAuthChallenge", "AdminRespondToAuthChallenge"}
MAX_DEPTH = 4

# When a hypothesis test fails, hypothesis may import libcst (to write a patch), which warns.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
)

#: The mock's operations, each as a case only where the installed botocore models it (older
#: botocore releases lack the newest ones: those cases are skipped, naming the operation).
MODELLED_OPERATIONS = [
    pytest.param(name, marks=requires_operation(name)) for name in sorted(OPERATIONS)
]


@dataclass(frozen=True)
class Seed:
    """A placeholder for a seeded value (pool id, client id, ...), resolved per example."""

    key: str
    index: int = 0


@dataclass(frozen=True)
class Request:
    mode: str  # "botocore", "wire" or "bytes"
    body: Any


class RecordingMock(CognitoMock):
    """A mock that counts the requests that reached it (to tell client-side failures apart)."""

    received = 0

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        answer_api = self._service.answer_api

        def counted(*args: Any) -> Any:
            self.received += 1
            return answer_api(*args)

        self._service.answer_api = counted  # type: ignore[method-assign]


class BodyInjector:
    """A ``before-call`` handler that replaces the serialized body of the next request."""

    def __init__(self) -> None:
        self.body: bytes | None = None

    def __call__(self, params: dict[str, Any], **_: Any) -> None:
        if self.body is not None:
            params["body"], self.body = self.body, None


@dataclass
class Wire:
    client: Any
    injector: BodyInjector


@pytest.fixture(scope="module")
def wire() -> Wire:
    client = boto3.client(
        "cognito-idp",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(parameter_validation=False, retries={"max_attempts": 1}),
    )
    injector = BodyInjector()
    client.meta.events.register("before-call.cognito-identity-provider", injector)
    return Wire(client, injector)


# -- strategies from the input shape ---------------------------------------------------------
#
# A body is first built valid (right JSON types, within every length, range, pattern and enum,
# seeded ids swapped in), then, for most examples, broken in one to three places: a value
# replaced by a bad one, a member removed, an unknown member added.

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
HUGE_TEXT = st.sampled_from([10_000, 300_000]).flatmap(
    lambda n: st.sampled_from(["a" * n, "é" * n, "\U0001f600" * (n // 4)])
)
ODD_TEXT = st.sampled_from(["", " ", "\x00", "\ud800", "a\udc80b", "Ω≈ç√", "'\"\\", "\n\t", "%s"])
EDGE_NUMBERS = st.sampled_from([0, -1, 2**31, -(2**31) - 1, 2**63, 10**30, 1.5, -0.0])
BAD_VALUES = st.one_of(ANY_JSON, HUGE_TEXT, ODD_TEXT, EDGE_NUMBERS, st.text())
UNKNOWN_MEMBERS = st.sampled_from(
    ["Unknown", "PasswordHashingAlgorithm", "__type", "userPoolId", "", "Ω"]
)
#: Any code point, lone surrogates included: JSON can carry them ("\ud800"), and botocore does.
ANY_CHARACTER = st.characters() | st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
#: Text that the model's \p{..} patterns (letters, marks, symbols, numbers, punctuation) accept.
PRINTABLE = st.characters(categories=("L", "M", "S", "N", "P"))
#: Members whose seeded values make a request reach real code paths.
SEEDED_MEMBERS = {
    "UserPoolId", "ClientId", "Username", "GroupName", "JobId", "AccessToken", "Session",
    "Token", "ClientSecret", "Password", "PreviousPassword", "ProposedPassword",
    "TemporaryPassword", "AttributeName", "Name",
}  # fmt: skip
AUTH_MAPS = st.sampled_from(
    [
        {"USERNAME": Seed("Username"), "PASSWORD": Seed("Password")},
        {"REFRESH_TOKEN": Seed("Token")},
        {"USERNAME": Seed("Username"), "SRP_A": "ab" * 64},
        {"USERNAME": Seed("Username", 1), "NEW_PASSWORD": "N3w-passw0rd!"},
        {"USERNAME": Seed("Username"), "SOFTWARE_TOKEN_MFA_CODE": "123456"},
    ]
)
PUBLIC_CLIENT = Seed("ClientId", 0)
#: Members that only make sense together: a flow and its parameters, a challenge and its answer.
COUPLED = {
    "AuthFlow": [
        {"AuthFlow": flow, "ClientId": PUBLIC_CLIENT, "AuthParameters": parameters}
        for flow, parameters in [
            ("USER_PASSWORD_AUTH", {"USERNAME": Seed("Username"), "PASSWORD": Seed("Password")}),
            ("ADMIN_USER_PASSWORD_AUTH", {"USERNAME": "ada", "PASSWORD": PASSWORD}),
            ("ADMIN_NO_SRP_AUTH", {"USERNAME": Seed("Username", 1), "PASSWORD": TEMPORARY}),
            ("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": Seed("Token")}),
            ("USER_SRP_AUTH", {"USERNAME": Seed("Username"), "SRP_A": "ab" * 128}),
            ("CUSTOM_AUTH", {"USERNAME": Seed("Username")}),
        ]
    ],
    "ChallengeName": [
        {
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "ClientId": PUBLIC_CLIENT,
            "Session": Seed("Session"),
            "ChallengeResponses": {"USERNAME": username, "NEW_PASSWORD": password},
        }
        for username in ("bob", Seed("Username"))
        for password in ("N3w-passw0rd!", "short")
    ],
}


@cache
def valid_body(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    return _structure(_service_model().operation_model(operation).input_shape, 0)


@cache
def request_strategy(operation: str) -> st.SearchStrategy[Request]:
    valid = valid_body(operation)
    body = weighted((valid, 1), (_broken(valid), 2))
    not_an_object = st.binary(max_size=20) | ANY_JSON.map(json.dumps)
    sent = st.builds(Request, st.sampled_from(["wire", "botocore"]), body)
    return weighted((sent, 5), (st.builds(Request, st.just("bytes"), not_an_object), 1))


def weighted(*choices: tuple[st.SearchStrategy[Any], int]) -> st.SearchStrategy[Any]:
    """One of the strategies, each as often as its weight (one_of draws them evenly)."""
    return st.sampled_from([s for s, weight in choices for _ in range(weight)]).flatmap(
        lambda strategy: strategy
    )


@cache
def _service_model() -> Any:
    return boto3.session.Session().client("cognito-idp", region_name=REGION).meta.service_model


@st.composite
def _broken(draw: Any, valid: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    body = copy.deepcopy(draw(valid))
    for _ in range(draw(st.integers(1, 3))):
        places = list(_places(body))
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "replace", "null", "remove", "add"]))
        if action == "add" and isinstance(container, dict):
            container[draw(UNKNOWN_MEMBERS)] = draw(ANY_JSON)
        elif action == "remove" and key is not None:
            del container[key]
        elif key is not None:
            # JSON null is an absent member to AWS (and to the mock's validation).
            container[key] = None if action == "null" else draw(BAD_VALUES)
    return body


def _places(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) of a body, plus (dict, None) for each dict (a place to add to)."""
    if isinstance(value, dict):
        yield value, None
        for key, item in value.items():
            yield value, key
            yield from _places(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _places(item)


def _value(shape: Any, member: str, depth: int) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, depth)
    if kind == "list":
        return _list(shape, depth)
    if kind == "map":
        return _map(shape, depth)
    if kind in ("integer", "long"):
        return _integer(shape)
    if kind == "boolean":
        return st.booleans()
    return _string(shape, member)


def _structure(shape: Any, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    if depth > MAX_DEPTH:
        return st.just({})
    required = set(shape.required_members)
    members = {name: _value(ref, name, depth + 1) for name, ref in shape.members.items()}
    body = st.fixed_dictionaries(
        {name: members[name] for name in members if name in required},
        optional={name: members[name] for name in members if name not in required},
    )
    for member, combinations in COUPLED.items():
        if member in members:
            coupled = st.builds(dict, st.sampled_from(combinations))  # a fresh dict each time
            return st.builds(_updated, body, weighted((coupled, 2), (st.just({}), 1)))
    return body


def _updated(body: dict[str, Any], members: dict[str, Any]) -> dict[str, Any]:
    return {**body, **members}


def _list(shape: Any, depth: int) -> st.SearchStrategy[Any]:
    low = shape.metadata.get("min", 0)
    return st.lists(_value(shape.member, "", depth + 1), min_size=low, max_size=max(low, 3))


def _map(shape: Any, depth: int) -> st.SearchStrategy[Any]:
    plain = st.dictionaries(_string(shape.key, ""), _value(shape.value, "", depth + 1), max_size=3)
    if shape.name in ("AuthParametersType", "ChallengeResponsesType"):
        return weighted((AUTH_MAPS, 3), (plain, 1))
    return plain


def _string(shape: Any, member: str) -> st.SearchStrategy[Any]:
    if "enum" in shape.metadata:
        options = [st.sampled_from(shape.enum)]
    else:
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max") or 10_000
        pattern = shape.metadata.get("pattern")
        free = st.text(ANY_CHARACTER, min_size=low, max_size=max(low, 30))
        options = [_matching(pattern, low, high) if pattern else free]
        lengths = st.sampled_from([low, high]).filter(lambda n: n <= 20_000)
        options.append(lengths.flatmap(lambda n: st.just("a" * n)).filter(_matcher(pattern)))
    generated = st.one_of(options)
    if member in SEEDED_MEMBERS:
        return weighted((st.builds(Seed, st.just(member), st.integers(0, 3)), 4), (generated, 1))
    return generated


@cache
def _matcher(pattern: str | None) -> Any:
    if pattern is None:
        return lambda text: True
    regex = compile_java(pattern)
    return lambda text: regex.fullmatch(text) is not None


def _matching(pattern: str, low: int, high: int) -> st.SearchStrategy[str]:
    """Strings the model's (Java) pattern accepts, within the member's lengths."""
    repeated = re.fullmatch(r"(\[(?:\\.|[^\]\\])*\]|\\.|[^\\])[+*]", pattern)
    if repeated:  # most patterns are one character class, repeated: respect the lengths
        characters = _pattern_text(repeated.group(1), 1, 1)
        return st.text(characters, min_size=max(low, 1), max_size=min(high, 40))
    return _pattern_text(pattern, low, high).filter(lambda text: low <= len(text) <= high)


@cache  # building a strategy from a pattern costs up to a second; many members share one
def _pattern_text(pattern: str, low: int, high: int) -> st.SearchStrategy[str]:
    try:
        strategy = st.from_regex(compile_java(pattern), fullmatch=True)
        strategy.validate()  # from_regex is lazy: find out now whether it can generate
    except Exception:
        # The \p{..} classes are too large for hypothesis; printable text matches them.
        strategy = st.text(PRINTABLE, min_size=max(low, 1), max_size=min(high, 40))
    return strategy.filter(_matcher(pattern))


def _integer(shape: Any) -> st.SearchStrategy[int]:
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    edges = [n for n in (low, high) if n is not None]
    return st.one_of(st.integers(low, high), *[st.just(n) for n in edges])


# -- one example -----------------------------------------------------------------------------


def seed(client: Any, with_job: bool) -> dict[str, list[Any]]:
    """Seed the active mock; the candidates for each seeded member."""
    pool_id = client.create_user_pool(
        PoolName="seeded",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]["Id"]
    flows = [
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH",
    ]  # fmt: skip
    public = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="public", ExplicitAuthFlows=flows
    )["UserPoolClient"]
    secret = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="secret", ExplicitAuthFlows=flows, GenerateSecret=True
    )["UserPoolClient"]
    attributes = [
        {"Name": "email", "Value": "ada@example.com"},
        {"Name": "custom:tier", "Value": "1"},
    ]
    sub = client.admin_create_user(
        UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS", UserAttributes=attributes
    )["User"]["Attributes"]
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    client.admin_create_user(
        UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS", TemporaryPassword=TEMPORARY
    )
    client.create_group(UserPoolId=pool_id, GroupName="admins")
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="ada", GroupName="admins")
    tokens = client.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=public["ClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    session = client.initiate_auth(
        ClientId=public["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": TEMPORARY},
    )["Session"]
    job_ids = ["import-0000000000"]
    if with_job:
        job = client.create_user_import_job(
            UserPoolId=pool_id, JobName="seeded", CloudWatchLogsRoleArn=ROLE_ARN
        )
        job_ids = [job["UserImportJob"]["JobId"]]
    sub_value = next(a["Value"] for a in sub if a["Name"] == "sub")
    return {
        "UserPoolId": [pool_id],
        "ClientId": [public["ClientId"], secret["ClientId"]],
        "Username": ["ada", "bob", sub_value, "nobody"],
        "GroupName": ["admins", "nobody"],
        "JobId": job_ids,
        "AccessToken": [tokens["AccessToken"], tokens["IdToken"]],
        "Session": [session],
        "Token": [tokens["RefreshToken"], tokens["AccessToken"]],
        "ClientSecret": [secret["ClientSecret"]],
        "Password": [PASSWORD, TEMPORARY],
        "PreviousPassword": [PASSWORD],
        "ProposedPassword": ["N3w-passw0rd!"],
        "TemporaryPassword": [TEMPORARY],
        "AttributeName": ["email", "custom:tier", "phone_number"],
        "Name": ["email", "custom:tier", "name", "sub", "email_verified", "tier"],
    }


@contextmanager
def seeded_mock(client: Any, with_job: bool) -> Iterator[tuple[RecordingMock, dict[str, Any]]]:
    with RecordingMock() as mock:
        yield mock, seed(client, with_job)


def resolve(value: Any, seeds: dict[str, list[Any]]) -> Any:
    if isinstance(value, Seed):
        candidates = seeds[value.key]
        return candidates[value.index % len(candidates)]
    if isinstance(value, dict):
        return {key: resolve(item, seeds) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, seeds) for item in value]
    return value


def send(wire: Wire, operation: str, request: Request, body: Any) -> Any:
    """Send ``body`` (the request's, seeds resolved) the request's way."""
    method = getattr(wire.client, xform_name(operation))
    if request.mode == "bytes":
        wire.injector.body = body.encode() if isinstance(body, str) else body
        return method()
    if request.mode == "wire":
        wire.injector.body = json.dumps(body).encode()
        return method()
    return method(**body)


def fingerprint(mock: CognitoMock, spent: object = None) -> tuple[str, ...]:
    """A cheap, copy-free picture of every piece of backend state a call may change (leaving
    out the session ``spent``)."""
    backend = mock._service.backend
    with mock._service.lock:
        pools = [
            repr([(f.name, getattr(pool, f.name)) for f in fields(pool) if f.name != "keys"])
            for pool in backend.pools.values()
        ]
        return (
            *pools,
            repr(sorted(backend.clients)),
            repr(backend.refresh_tokens),
            repr({k: v for k, v in backend.sessions.items() if k != spent}),
            repr(backend.import_jobs),
            repr(sorted(backend.running_import_jobs)),
            repr(backend.global_sign_outs),
            repr(sorted(backend.revoked_origin_jtis)),
        )


def read_everything(client: Any) -> None:
    """Every read operation on every pool, user and client: a success must leave the state
    readable (a value accepted but stored wrongly would make a later read crash)."""
    for pool in client.list_user_pools(MaxResults=60)["UserPools"]:
        pool_id = pool["Id"]
        client.describe_user_pool(UserPoolId=pool_id)
        client.get_user_pool_mfa_config(UserPoolId=pool_id)
        client.get_csv_header(UserPoolId=pool_id)
        client.list_user_import_jobs(UserPoolId=pool_id, MaxResults=60)
        for app in client.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]:
            client.describe_user_pool_client(UserPoolId=pool_id, ClientId=app["ClientId"])
        for group in client.list_groups(UserPoolId=pool_id)["Groups"]:
            client.list_users_in_group(UserPoolId=pool_id, GroupName=group["GroupName"])
        for user in client.list_users(UserPoolId=pool_id)["Users"]:
            client.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
            client.admin_list_groups_for_user(UserPoolId=pool_id, Username=user["Username"])


@cache
def modelled_codes() -> frozenset[str]:
    """Cognito's own error codes (botocore raises ``client.exceptions.<Code>`` for each), less
    the one fault, plus the JSON front end's SerializationException.

    Not only the operation's own list: the model leaves out some errors AWS does answer with
    (AdminGetDevice and AdminListDevices for an unknown user, say).
    """
    model = _service_model()
    codes = {
        s.name for name in model.operation_names for s in model.operation_model(name).error_shapes
    }
    return frozenset(codes - {"InternalErrorException"} | {"SerializationException"})


def _from_the_mock(exc: BaseException) -> bool:
    return any(
        frame.filename.startswith(PACKAGE_DIR) for frame in traceback.extract_tb(exc.__traceback__)
    )


def _documented_not_implemented(exc: BaseException) -> bool:
    """The mock's documented refusals of features it does not implement (docs/fidelity.md):
    password-hash imports (PasswordHashingAlgorithm in CreateUserImportJob)."""
    if isinstance(exc, UnsupportedOperationError):
        return False
    return isinstance(exc, NotImplementedError) and str(exc).startswith(
        "pytest-cognito-mock does not implement "
    )


#: Outcomes of a call besides success (None) and an AWS error code.
CLIENT_SIDE = "<refused by botocore before sending>"
NOT_IMPLEMENTED = "<documented NotImplementedError>"


def attempt(wire: Wire, mock: RecordingMock, operation: str, request: Request, body: Any) -> Any:
    """Send the request: None for success, the AWS error code, CLIENT_SIDE or NOT_IMPLEMENTED.

    Anything else (a Python exception from inside the mock, an error that is not a modelled
    4xx) fails the test.
    """
    received = mock.received
    try:
        send(wire, operation, request, body)
    except ClientError as error:
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        code = error.response["Error"]["Code"]
        assert (status, code in modelled_codes()) == (400, True), error.response
        return code
    except Exception as exc:
        if mock.received == received:
            # Raised by botocore on the client, before sending: not the mock's business.
            assert not _from_the_mock(exc), "".join(traceback.format_exception(exc))
            return CLIENT_SIDE
        if _documented_not_implemented(exc):
            return NOT_IMPLEMENTED
        raise
    return None


@pytest.mark.slow  # a mock per example, for every operation: the full run (`pytest --full`)
@pytest.mark.parametrize("operation", MODELLED_OPERATIONS)
@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)
@given(data=st.data())
def test_bad_input_gets_success_or_a_modelled_4xx(wire: Wire, operation: str, data: Any) -> None:
    request = data.draw(request_strategy(operation), label="request")
    with seeded_mock(wire.client, with_job="ImportJob" in operation) as (mock, seeds):
        body = resolve(request.body, seeds)
        # An evaluated challenge answer spends its session (backend/challenges.py), even refused.
        spent = body.get("Session") if isinstance(body, dict) else None
        spent = spent if operation in SESSION_SPENDERS else None
        before = fingerprint(mock, spent)
        outcome = attempt(wire, mock, operation, request, body)
        if outcome is None:
            read_everything(wire.client)
        elif outcome != CLIENT_SIDE:
            assert fingerprint(mock, spent) == before, "a refused call changed the backend"


@pytest.mark.slow  # a mock per example, for every operation: the full run (`pytest --full`)
@pytest.mark.parametrize("operation", MODELLED_OPERATIONS)
@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)
@given(data=st.data())
def test_a_null_member_is_an_absent_member(wire: Wire, operation: str, data: Any) -> None:
    """Every member left out of a valid request, sent as JSON null instead, at every depth:
    the answer is the same (the mock's validation, like AWS, reads null as absent)."""
    shape = _service_model().operation_model(operation).input_shape
    body = data.draw(valid_body(operation), label="body")
    outcomes = []
    for sent in (body, with_nulls(shape, body)):
        with seeded_mock(wire.client, with_job="ImportJob" in operation) as (mock, seeds):
            outcomes.append(
                attempt(wire, mock, operation, Request("wire", sent), resolve(sent, seeds))
            )
    assert outcomes[1] == outcomes[0]


def with_nulls(shape: Any, value: Any) -> Any:
    """``value`` with every member its structures leave out present as None."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        nulls: dict[str, Any] = {name: None for name in shape.members}
        nulls.update(
            {
                name: with_nulls(shape.members[name], item) if name in shape.members else item
                for name, item in value.items()
            }
        )
        return nulls
    if kind == "list" and isinstance(value, list):
        return [with_nulls(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: with_nulls(shape.value, item) for key, item in value.items()}
    return value


# -- directed cases that the generated ones found ---------------------------------------------

LONE_SURROGATE = "a\ud800b"  # valid JSON ("a\ud800b"); botocore sends it as it is


def _group_description(client: Any, pool_id: str) -> Any:
    client.create_group(UserPoolId=pool_id, GroupName="g", Description=LONE_SURROGATE)
    return client.get_group(UserPoolId=pool_id, GroupName="g")["Group"]["Description"]


def _pool_tag(client: Any, pool_id: str) -> Any:
    client.update_user_pool(UserPoolId=pool_id, UserPoolTags={"team": LONE_SURROGATE})
    return client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTags"]["team"]


def _user_attribute(client: Any, pool_id: str) -> Any:
    given = [{"Name": "name", "Value": LONE_SURROGATE}]
    client.admin_create_user(
        UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS", UserAttributes=given
    )
    attributes = client.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    return next(a["Value"] for a in attributes if a["Name"] == "name")


@pytest.mark.parametrize("store_and_read", [_group_description, _pool_tag, _user_attribute])
def test_a_lone_surrogate_is_echoed_or_refused_never_a_crash(cognito_idp, store_and_read):
    """With ordinary boto3 (parameter validation on), a free-text member holding a lone
    surrogate is either kept and sent back exactly, or refused with a 400: never a
    UnicodeEncodeError from inside the mock, and never a state a later read cannot send."""
    pool_id = cognito_idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    try:
        echoed = store_and_read(cognito_idp, pool_id)
    except ClientError as refused:
        assert refused.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        cognito_idp.describe_user_pool(UserPoolId=pool_id)  # and the pool is still readable
    else:
        assert echoed == LONE_SURROGATE
