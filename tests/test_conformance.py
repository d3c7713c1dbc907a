"""Every constraint of every implemented operation's input shape is enforced, at the right path.

For each operation in the registry, a valid request is synthesized from the installed botocore
model (every member set, recursively) and must pass validation; then, for each constrained
member at any depth, one violating request per constraint must be refused with an
``InvalidParameterException`` naming the member's lowerCamelCase path and the constraint.
Expectations are derived from the raw model here, independently of the validator's code.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import botocore.session
import pytest

from pytest_cognito_mock._java_regex import compile_java, translate
from pytest_cognito_mock._validation import PATTERNS_CHECKED_BY_OPERATIONS, validate_request
from pytest_cognito_mock.backend.errors import InvalidParameterException, ServiceError
from pytest_cognito_mock.operations import OPERATIONS

try:  # the parser behind ``re``: samples are generated from a pattern's parse tree
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]

MODEL = (
    botocore.session.get_session()
    .get_component("data_loader")
    .load_service_model("cognito-idp", "service-2")
)
SHAPES = MODEL["shapes"]
DELETE = object()

# Tried in order to break a pattern; the first that fails to match is used.
PATTERN_BREAKERS = ("\x00", " ", "_", "a b", "\n")


# -- valid strings, generated from each pattern ---------------------------------------------
#
# Every model pattern gets its samples from its own parse tree, so the tests follow whatever
# patterns the installed botocore brings. Each character class yields its first character in
# PREFERRED_CHARACTERS order (else its lowest code point from "!" on), each alternation its
# first branch and each repeat its minimum; then repeats are lengthened one at a time, in
# pattern order, to reach the wanted length. Every result is checked with ``fullmatch`` (which
# also settles anchors, \b and lookarounds), so a pattern this cannot serve fails loudly.

PREFERRED_CHARACTERS = "a0A"
CLASS_CATEGORIES = {
    sre_parse.CATEGORY_DIGIT: re.compile(r"\d", re.ASCII),
    sre_parse.CATEGORY_NOT_DIGIT: re.compile(r"\D", re.ASCII),
    sre_parse.CATEGORY_SPACE: re.compile(r"\s", re.ASCII),
    sre_parse.CATEGORY_NOT_SPACE: re.compile(r"\S", re.ASCII),
    sre_parse.CATEGORY_WORD: re.compile(r"\w", re.ASCII),
    sre_parse.CATEGORY_NOT_WORD: re.compile(r"\W", re.ASCII),
}
ZERO_WIDTH = (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT)
REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)


def in_class(char: str, items: tuple[tuple[Any, Any], ...]) -> bool:
    negated = bool(items) and items[0][0] == sre_parse.NEGATE
    code = ord(char)
    found = any(
        (op == sre_parse.LITERAL and code == arg)
        or (op == sre_parse.RANGE and arg[0] <= code <= arg[1])
        or (op == sre_parse.CATEGORY and CLASS_CATEGORIES[arg].match(char) is not None)
        for op, arg in items
    )
    return found != negated


@cache
def class_character(items: tuple[tuple[Any, Any], ...]) -> str:
    for code in itertools.chain(map(ord, PREFERRED_CHARACTERS), range(0x21, 0x110000)):
        if in_class(chr(code), items):
            return chr(code)
    raise AssertionError(f"empty character class {items}")


def repeats_in(nodes: Any) -> Iterator[tuple[Any, ...]]:
    """The repeat nodes' arguments ``(least, most, body)``, outermost first."""
    for op, arg in nodes:
        if op in REPEATS:
            yield arg
            yield from repeats_in(arg[2])
        elif op == sre_parse.SUBPATTERN:
            yield from repeats_in(arg[-1])
        elif op == sre_parse.BRANCH:
            yield from repeats_in(arg[1][0])


def render(nodes: Any, counts: dict[int, int]) -> str:
    """The string ``nodes`` generate, each repeat taken ``counts[id(args)]`` (or least) times."""
    out = []
    for op, arg in nodes:
        if op == sre_parse.LITERAL:
            out.append(chr(arg))
        elif op == sre_parse.NOT_LITERAL:
            out.append("b" if arg == ord("a") else "a")
        elif op == sre_parse.ANY:
            out.append("a")
        elif op == sre_parse.IN:
            out.append(class_character(tuple(arg)))
        elif op == sre_parse.BRANCH:
            out.append(render(arg[1][0], counts))
        elif op == sre_parse.SUBPATTERN:
            out.append(render(arg[-1], counts))
        elif op in REPEATS:
            out.append(render(arg[2], counts) * counts.get(id(arg), arg[0]))
        elif op not in ZERO_WIDTH:  # zero-width assertions are settled by fullmatch
            raise AssertionError(f"no sample generator for {op} in a model pattern")
    return "".join(out)


@cache
def matching(pattern: str, low: int, high: int | None) -> str | None:
    """A short string that fully matches Java ``pattern``, with ``low <= length <= high``."""
    tree = sre_parse.parse(translate(pattern), re.ASCII)
    counts: dict[int, int] = {}
    value = render(tree, counts)
    for repeat in repeats_in(tree):
        if len(value) >= low:
            break
        least, most, _ = repeat
        current = counts.get(id(repeat), least)
        step = len(render(tree, {**counts, id(repeat): current + 1})) - len(value)
        if current < most and step > 0:
            counts[id(repeat)] = min(most, current + -(-(low - len(value)) // step))
            value = render(tree, counts)
    fits = low <= len(value) <= (len(value) if high is None else high)
    return value if fits and compile_java(pattern).fullmatch(value) else None


def valid_string(shape: dict[str, Any]) -> str:
    if "enum" in shape:
        return str(shape["enum"][0])
    low, high = shape.get("min", 0), shape.get("max")
    if "pattern" not in shape:
        return "a" * max(low, 1)
    # Non-empty where the shape allows it: a value to truncate and one that exercises the pattern.
    value = matching(shape["pattern"], max(low, 1), high)
    if value is None:
        value = matching(shape["pattern"], low, high)
    assert value is not None, f"no sample for {shape['pattern']!r} of length {low}..{high}"
    return value


def too_long_string(shape: dict[str, Any]) -> str:
    """A string longer than the shape's maximum, matching its pattern where the pattern can."""
    high = shape["max"]
    value = matching(shape["pattern"], high + 1, None) if "pattern" in shape else None
    if value is None:  # a fixed-length pattern or an enum: padding breaks those too
        valid = valid_string(shape)
        value = valid + "a" * (high + 1 - len(valid))
    return value


def valid_value(name: str, stack: tuple[str, ...] = ()) -> Any:
    """A value of shape ``name`` satisfying every constraint, with every member set."""
    shape = SHAPES[name]
    kind = shape["type"]
    if kind == "string":
        return valid_string(shape)
    if kind in ("integer", "long"):
        value = max(1, shape.get("min", 1))
        return min(value, shape["max"]) if "max" in shape else value
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1700000000
    if kind == "blob":
        return "AAAA"
    if kind == "list":
        return [
            valid_value(shape["member"]["shape"], stack) for _ in range(max(1, shape.get("min", 1)))
        ]
    if kind == "map":
        key = valid_value(shape["key"]["shape"], stack)
        return {key: valid_value(shape["value"]["shape"], stack)}
    if shape.get("document"):
        return {"free": ["form"]}
    return {
        member: valid_value(ref["shape"], (*stack, name))
        for member, ref in shape["members"].items()
        if ref["shape"] not in stack or member in shape.get("required", ())
    }


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def own_texts(shape: dict[str, Any]) -> list[str]:
    """The constraint texts of a shape, in AWS's order (max before min)."""
    kind = shape["type"]
    texts = []
    word = "length" if kind in ("string", "list", "map") else "value"
    if "max" in shape:
        texts.append(f"Member must have {word} less than or equal to {shape['max']}")
    if "min" in shape:
        texts.append(f"Member must have {word} greater than or equal to {shape['min']}")
    if "pattern" in shape:
        texts.append(f"Member must satisfy regular expression pattern: {shape['pattern']}")
    if "enum" in shape:
        texts.append(f"Member must satisfy enum value set: [{', '.join(shape['enum'])}]")
    return texts


def scalar_breakers(shape: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """(violating value, constraint text) for each constraint of a scalar shape."""
    kind = shape["type"]
    if kind == "string":
        low, high = shape.get("min", 0), shape.get("max")
        valid = valid_string(shape)
        if high is not None:
            yield too_long_string(shape), f"Member must have length less than or equal to {high}"
        if low > 0:
            yield valid[: low - 1], f"Member must have length greater than or equal to {low}"
        if "pattern" in shape:
            compiled = compile_java(shape["pattern"])
            for breaker in PATTERN_BREAKERS:
                bad = breaker * max(1, low)
                if compiled.fullmatch(bad) is None:
                    yield bad, own_texts({"type": "string", "pattern": shape["pattern"]})[0]
                    break
        if "enum" in shape:
            yield "NOT_A_MODEL_VALUE", own_texts({"type": "string", "enum": shape["enum"]})[0]
    elif kind in ("integer", "long"):
        if "max" in shape:
            yield shape["max"] + 1, f"Member must have value less than or equal to {shape['max']}"
        if "min" in shape:
            yield (
                shape["min"] - 1,
                f"Member must have value greater than or equal to {shape['min']}",
            )


def is_scalar(shape: dict[str, Any]) -> bool:
    return shape["type"] not in ("structure", "list", "map")


def violations(name: str, where: tuple[Any, ...], path: str, stack: tuple[str, ...] = ()):
    """(json location, replacement or DELETE, expected message fragment) for every constraint
    of the members of structure ``name`` located at ``where`` (message path ``path``)."""
    shape = SHAPES[name]
    if shape.get("document") or name in stack:
        return
    required = shape.get("required", ())
    for member, ref in shape["members"].items():
        location = (*where, member)
        member_path = f"{path}.{lower_first(member)}" if path else lower_first(member)
        at = f"at '{member_path}' failed to satisfy constraint: "
        if member in required:
            yield location, DELETE, f"Value null {at}Member must not be null"
        yield from member_violations(ref["shape"], location, member_path, (*stack, name))


def member_violations(name: str, location: tuple[Any, ...], path: str, stack: tuple[str, ...]):
    shape = SHAPES[name]
    kind = shape["type"]
    at = f"at '{path}' failed to satisfy constraint: "
    if kind == "structure":
        yield from violations(name, location, path, stack)
    elif kind == "blob":
        return
    elif is_scalar(shape):
        for bad, text in scalar_breakers(shape):
            if name in PATTERNS_CHECKED_BY_OPERATIONS and "regular expression" in text:
                continue  # the operation applies its own rule and message (tested with it)
            yield location, bad, at + text
    elif kind == "list":
        element_name = shape["member"]["shape"]
        element = SHAPES[element_name]
        one = valid_value(element_name, stack)
        if "max" in shape:
            yield location, [one] * (shape["max"] + 1), at + own_texts(shape)[0]
        if shape.get("min", 0) > 0:
            yield location, [one] * (shape["min"] - 1), at + own_texts(shape)[-1]
        if is_scalar(element):
            bracket = f"{at}Member must satisfy constraint: [{', '.join(own_texts(element))}]"
            for bad, _ in scalar_breakers(element):
                yield location, [bad], bracket
        else:
            yield from member_violations(element_name, (*location, 0), f"{path}.1.member", stack)
    elif kind == "map":
        key_shape, value_shape = SHAPES[shape["key"]["shape"]], SHAPES[shape["value"]["shape"]]
        key, value = valid_value(shape["key"]["shape"]), valid_value(shape["value"]["shape"])
        if "max" in shape:
            entries = {f"{key}{index}": value for index in range(shape["max"] + 1)}
            yield location, entries, at + own_texts(shape)[0]
        if shape.get("min", 0) > 0:
            yield location, {}, at + own_texts(shape)[-1]
        keys_text = f"{at}Map keys must satisfy constraint: [{', '.join(own_texts(key_shape))}]"
        for bad, _ in scalar_breakers(key_shape):
            yield location, {bad: value}, keys_text
        values_text = (
            f"{at}Map value must satisfy constraint: [{', '.join(own_texts(value_shape))}]"
        )
        for bad, _ in scalar_breakers(value_shape):
            yield location, {key: bad}, values_text


def replaced(document: Any, location: tuple[Any, ...], value: Any) -> Any:
    result = copy.deepcopy(document)
    parent = result
    for step in location[:-1]:
        parent = parent[step]
    if value is DELETE:
        del parent[location[-1]]
    else:
        parent[location[-1]] = value
    return result


def input_shape(operation: str) -> str:
    return MODEL["operations"][operation]["input"]["shape"]


IMPLEMENTED = sorted(op for op in OPERATIONS if "input" in MODEL["operations"].get(op, {}))


@pytest.mark.parametrize("operation", sorted(MODEL["operations"]))
def test_a_synthesized_valid_request_passes(operation):
    spec = MODEL["operations"][operation]
    if "input" in spec:
        validate_request(operation, valid_value(spec["input"]["shape"]))


@pytest.mark.parametrize("operation", IMPLEMENTED)
def test_every_constraint_of_the_input_is_enforced_at_its_path(operation):
    shape_name = input_shape(operation)
    baseline = valid_value(shape_name)
    cases = list(violations(shape_name, (), ""))
    assert cases or not SHAPES[shape_name]["members"]
    for location, value, expected in cases:
        with pytest.raises(InvalidParameterException) as raised:
            validate_request(operation, replaced(baseline, location, value))
        message = raised.value.message
        assert expected in message, (location, message)
        assert message.split(":", 1)[0].endswith(("validation error detected", "errors detected"))


@pytest.mark.parametrize("operation", IMPLEMENTED)
def test_sensitive_members_are_never_echoed(operation):
    shape_name = input_shape(operation)
    baseline = valid_value(shape_name)
    for member, ref in SHAPES[shape_name]["members"].items():
        shape = SHAPES[ref["shape"]]
        if shape["type"] != "string" or not shape.get("sensitive"):
            continue
        for bad, _ in scalar_breakers(shape):
            with pytest.raises(InvalidParameterException) as raised:
                validate_request(operation, replaced(baseline, (member,), bad))
            assert f"Value at '{lower_first(member)}'" in raised.value.message
            assert f"Value '{bad}'" not in raised.value.message


def test_every_model_pattern_compiles_and_has_a_valid_sample():
    patterned = [shape for shape in SHAPES.values() if "pattern" in shape]
    assert patterned
    for shape in patterned:
        compiled = compile_java(shape["pattern"])
        value = valid_string(shape)
        assert compiled.fullmatch(value), (shape["pattern"], value)
        assert shape.get("min", 0) <= len(value) <= shape.get("max", len(value))


# Real values against patterns that cognito-idp models have used (botocore 1.42 to 1.44). The
# generated samples come from the translated pattern, so they cannot catch a wrong translation;
# these do, whichever model is installed.
ROLE_ARN = r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?"
ROLE_ARN += r"(:[\w+=/,.@-]+)?"
UUID_WITH_BOUNDARIES = r"^[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}$"
REAL_VALUES = [
    (ROLE_ARN, "arn:aws:iam::123456789012:role/service-role/CognitoSMS", True),
    (ROLE_ARN, "arn:aws:lambda:us-east-1:123456789012:function:PreSignUp", True),
    (f"({ROLE_ARN})?", "", True),
    (
        r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:::[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
        "arn:aws:s3:::my-bucket",
        True,
    ),
    (
        r"^arn\:(aws|aws-us-gov|aws-eusc)\:secretsmanager\:([\d\w\-]+):(\d{12})\:secret\/"
        r"[\w+=\/,.@\-]+$",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret/Idp-AbC1",
        True,
    ),
    (r"[\w-]+_[0-9a-zA-Z]+", "us-east-1_AbCdE1234", True),
    (r"[\w-]+_[0-9a-zA-Z]+", "us-east-1-AbCdE1234", False),
    (r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "jane.doe@example.com", True),
    (r".*\{####\}.*", "Your code is {####}", True),
    (
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*##\}"
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*",
        "Please click {##Verify Email##} to confirm",
        True,
    ),
    (
        r"^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|japanese"
        r"|korean|portuguese-brazil|chinese-(simplified|traditional))$",
        "cognito:chinese-simplified",
        True,
    ),
    (r"^cognito:(default|english|french)$", "cognito:englishx", False),
    (
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
        "0f2a3b4c-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
        True,
    ),
    (UUID_WITH_BOUNDARIES, "3f2504e0-4f89-41d3-9a0c-0305e82c3301", True),
    (UUID_WITH_BOUNDARIES, "3F2504E0-4F89-41D3-9A0C-0305E82C3301", False),
    (r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+", "LoginWithAmazon", True),
    (r"^(terms-of-use|privacy-policy)$", "privacy-policy", True),
    (r"import-[0-9a-zA-Z-]+", "import-Ab3De4Fg5H", True),
    (r"Level[1-4]", "Level3", True),
    (r"Level[1-4]", "Level5", False),
    (r"^(tkn|sso)[a-z0-9]{25}$", "tkn0123456789abcdefghijklmno", True),
    (r"^(tkn|sso)[a-z0-9]{25}$", "TKN0123456789abcdefghijklmno", False),
    (r"^https://[^\s]+$", "https://auth.example.com/logo.png", True),
    (r"^https://[^\s]+$", "http://auth.example.com/logo.png", False),
    (r"^https://[!$-;=@-\[\]_a-z~]+$", "https://auth.example.com/callback", True),
    (r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", "my-app-auth", True),
    (r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", "my-app-", False),
    (r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "my.bucket-name_1", True),
]


@pytest.mark.parametrize(("pattern", "value", "matches"), REAL_VALUES)
def test_real_values_against_model_patterns(pattern, value, matches):
    assert (compile_java(pattern).fullmatch(value) is not None) is matches


ODD_VALUES = (None, True, 0, -1, 2**63, 1.5, "", "x", [], [None], [1], [[]], [{}], {}, {"k": None})


def locations(value: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every member, element and map entry position inside a synthesized request."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*where, key)
            yield from locations(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*where, index)
            yield from locations(item, (*where, index))


@pytest.mark.parametrize("operation", IMPLEMENTED)
def test_odd_values_anywhere_give_an_aws_error_never_a_python_exception(operation):
    request = valid_value(input_shape(operation))
    outcomes = set()
    for location in list(locations(request)):
        parent = request
        for step in location[:-1]:
            parent = parent[step]
        original = parent[location[-1]]
        for odd in ODD_VALUES:
            parent[location[-1]] = odd
            try:
                validate_request(operation, request)
                outcomes.add("accepted")
            except ServiceError as error:  # anything else fails the test with its traceback
                outcomes.add(error.code)
        parent[location[-1]] = original
    assert outcomes <= {"accepted", "InvalidParameterException", "SerializationException"}
    assert "SerializationException" in outcomes
    validate_request(operation, request)


# -- every operation of the model has a handler ----------------------------------------------


def test_every_model_operation_has_a_handler():
    missing = sorted(set(MODEL["operations"]) - set(OPERATIONS))
    assert missing == []
