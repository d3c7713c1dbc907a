"""Model-driven input validation: the checks AWS makes before any Cognito logic runs.

botocore checks only required members, types and minimums on the client (and nothing at all
with ``parameter_validation=False``), so the mock checks every constraint of the installed
botocore's ``cognito-idp`` model on the server side, as AWS does:

* a body member of the wrong JSON type fails deserialization: ``SerializationException``;
* every broken constraint (required, length, range, pattern, enum, list and map limits, at any
  depth) becomes one entry of a single ``InvalidParameterException`` in AWS's format,
  ``2 validation errors detected: Value '61' at 'maxResults' failed to satisfy constraint: ...;
  ...``, with lowerCamelCase member paths, ``.1.member.`` for list elements and without the
  value for sensitive members.

Each operation's input shape is compiled once, on first use, into nested closures (the model
is loaded lazily, once per process); a call then costs a few microseconds. Output shapes are
never validated, and members the model does not know are ignored, as AWS ignores them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import botocore.session

from ._java_regex import compile_java
from .backend.errors import InvalidParameterException, SerializationException, ServiceError

__all__ = ["model_has_member", "model_operations", "validate_request"]

#: Validates one present value: ``(value, parent_path, name, errors)``; appends violations to
#: ``errors`` and raises :class:`SerializationException` for a value of the wrong JSON type.
Check = Callable[[Any, str, str, list[str]], None]
#: How a value appears in a message (Java's ``toString``), or None when it must not be echoed.
Render = Callable[[Any], str | None]
#: One constraint: a predicate that is true for a valid value, and AWS's text for it.
Rule = tuple[Callable[[Any], bool], str]

_VALIDATORS: dict[str, Check | None] = {}
_CHECKS: dict[tuple[str, bool], Check] = {}
_MODEL: dict[str, Any] | None = None
# Compiling is serialized: a half-built shape (see _check_for) must never be seen by another
# thread. The per-call path reads _VALIDATORS without the lock.
_COMPILE_LOCK = threading.Lock()

_NUMBER_TYPES = (int, float)
# How type errors name the JSON type a model type needs, and the JSON type that was sent.
_EXPECTED_NAME = {
    "string": "string",
    "blob": "string",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "timestamp": "number",
    "boolean": "boolean",
    "list": "list",
    "map": "object",
    "structure": "object",
}
_JSON_NAME = {str: "string", bool: "boolean", int: "integer", float: "number"}
#: Shapes whose model pattern AWS does not apply as written: DomainType's pattern admits only a
#: prefix, but the same member takes a custom domain's dotted name, and a bad prefix gets its
#: own message. The operation checks these (backend/domains.py).
PATTERNS_CHECKED_BY_OPERATIONS = frozenset({"DomainType"})
#: Enum values AWS accepts that a botocore model may not list yet (botocore does not check
#: enums, so such a value reaches the service). ALLOW_CLIENT_TOKEN_AUTH, GetClientToken's flow,
#: came after that operation in the models; the token-exchange flows came with botocore 1.44. A
#: refusal still quotes the model's own values.
ENUM_VALUES_NEWER_THAN_MODELS: dict[str, frozenset[str]] = {
    "ExplicitAuthFlowsType": frozenset(
        {
            "ALLOW_CLIENT_TOKEN_AUTH",
            "ALLOW_TOKEN_EXCHANGE_DELEGATION",
            "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
        }
    ),
}


def validate_request(operation: str, params: dict[str, Any]) -> None:
    """Raise the AWS error for ``params`` if they break the input shape of ``operation``.

    A member of the wrong JSON type raises ``SerializationException``; otherwise every broken
    constraint is listed, in model member order, in one ``InvalidParameterException``.
    Operations the installed model does not define are not checked.
    """
    try:
        check = _VALIDATORS[operation]
    except KeyError:
        check = _compile_operation(operation)
    if check is None:
        return
    errors: list[str] = []
    check(params, "", "", errors)
    if errors:
        count = len(errors)
        plural = "s" if count > 1 else ""
        raise InvalidParameterException(
            f"{count} validation error{plural} detected: " + "; ".join(errors)
        )


def _service_model() -> dict[str, Any]:
    global _MODEL
    if _MODEL is None:
        # Loaded by the first call, not at import: a one-off cost of tens of milliseconds.
        loader = botocore.session.get_session().get_component("data_loader")
        _MODEL = dict(loader.load_service_model("cognito-idp", "service-2"))
    return _MODEL


@cache
def model_operations() -> frozenset[str]:
    """The names of every operation the installed botocore's cognito-idp model defines."""
    return frozenset(_service_model()["operations"])


@cache
def model_has_member(shape: str, member: str) -> bool:
    """Whether the installed model's structure ``shape`` has ``member``: members that newer
    models add are neither honoured in requests nor put in answers under an older model, so a
    mock on that botocore answers as it always did."""
    return member in _service_model()["shapes"].get(shape, {}).get("members", {})


def _compile_operation(operation: str) -> Check | None:
    with _COMPILE_LOCK:
        if operation not in _VALIDATORS:
            spec = _service_model()["operations"].get(operation)
            has_input = spec is not None and "input" in spec
            check = _check_for(spec["input"]["shape"], redacted=False) if has_input else None
            _VALIDATORS[operation] = check
        return _VALIDATORS[operation]


# -- messages ------------------------------------------------------------------------------


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _violation(shown: str | None, path: str, constraint: str) -> str:
    if shown is None:
        return f"Value at '{path}' failed to satisfy constraint: {constraint}"
    return f"Value '{shown}' at '{path}' failed to satisfy constraint: {constraint}"


def _null(path: str) -> str:
    return f"Value null at '{path}' failed to satisfy constraint: Member must not be null"


def _wrong_type(value: Any, expected: str, path: str) -> ServiceError:
    if isinstance(value, list):
        actual = "list"
    elif isinstance(value, dict):
        actual = "object"
    else:
        actual = _JSON_NAME.get(type(value), type(value).__name__)
    return SerializationException(
        f"Unexpected JSON type at '{path}': expected {expected}, got {actual}"
    )


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


# -- constraints ---------------------------------------------------------------------------


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return compile_java(pattern)


def _pattern_predicate(pattern: str) -> Callable[[Any], bool]:
    # Compiled on the first value that reaches it: the \p{..} patterns take milliseconds to
    # compile and many members are rarely sent.
    fullmatch: Callable[[str], object] | None = None

    def matches(value: Any) -> bool:
        nonlocal fullmatch
        if fullmatch is None:
            fullmatch = _compiled(pattern).fullmatch
        return fullmatch(value) is not None

    return matches


def _rules(
    shape: dict[str, Any], *, pattern_checked: bool = True, name: str = ""
) -> tuple[Rule, ...]:
    """A shape's own constraints, in the order AWS lists them (max before min, then pattern)."""
    kind = shape["type"]
    low, high = shape.get("min"), shape.get("max")
    rules: list[Rule] = []
    if kind in ("string", "list", "map"):
        if high is not None:
            rules.append(
                (lambda v: len(v) <= high, f"Member must have length less than or equal to {high}")
            )
        if low is not None:
            rules.append(
                (lambda v: len(v) >= low, f"Member must have length greater than or equal to {low}")
            )
    elif kind in ("integer", "long", "float", "double"):
        if high is not None:
            rules.append(
                (lambda v: v <= high, f"Member must have value less than or equal to {high}")
            )
        if low is not None:
            rules.append(
                (lambda v: v >= low, f"Member must have value greater than or equal to {low}")
            )
    if kind == "string" and "pattern" in shape and pattern_checked:
        pattern = shape["pattern"]
        rules.append(
            (
                _pattern_predicate(pattern),
                f"Member must satisfy regular expression pattern: {pattern}",
            )
        )
    if kind == "string" and "enum" in shape:
        values = shape["enum"]
        accepted = frozenset(values) | ENUM_VALUES_NEWER_THAN_MODELS.get(name, frozenset())
        rules.append(
            (
                accepted.__contains__,
                f"Member must satisfy enum value set: [{', '.join(values)}]",
            )
        )
    return tuple(rules)


def _accepts(kind: str) -> Callable[[Any], bool]:
    if kind in ("string", "blob"):
        return lambda v: isinstance(v, str)
    if kind in ("integer", "long"):
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if kind in ("float", "double", "timestamp"):
        return lambda v: isinstance(v, _NUMBER_TYPES) and not isinstance(v, bool)
    if kind == "boolean":
        return lambda v: isinstance(v, bool)
    return lambda v: True


def _is_scalar(shape: dict[str, Any]) -> bool:
    return shape["type"] not in ("structure", "list", "map")


# -- rendering values as Java's toString would -----------------------------------------------


def _hidden(value: Any) -> str | None:
    return None


def _render_scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _renderer(name: str, redacted: bool) -> Render:
    shape = _service_model()["shapes"][name]
    kind = shape["type"]
    # Structures are never echoed (their Java toString is not meaningful to a caller).
    if redacted or shape.get("sensitive") or kind == "structure":
        return _hidden
    if kind == "list":
        element = _renderer(shape["member"]["shape"], False)

        def render_list(value: Any) -> str | None:
            parts = []
            for item in value:
                shown = "null" if item is None else element(item)
                if shown is None:
                    return None
                parts.append(shown)
            return "[" + ", ".join(parts) + "]"

        return render_list
    if kind == "map":
        key_render = _renderer(shape["key"]["shape"], False)
        value_render = _renderer(shape["value"]["shape"], False)

        def render_map(value: Any) -> str | None:
            parts = []
            for key, item in value.items():
                shown_key = key_render(key)
                shown = "null" if item is None else value_render(item)
                if shown is None or shown_key is None:
                    return None
                parts.append(f"{shown_key}={shown}")
            return "{" + ", ".join(parts) + "}"

        return render_map
    return _render_scalar


# -- compiling shapes into checks ----------------------------------------------------------


def _check_for(name: str, redacted: bool) -> Check:
    """The check of shape ``name``; ``redacted`` when inside a sensitive shape (never echoed)."""
    key = (name, redacted)
    existing = _CHECKS.get(key)
    if existing is not None:
        return existing
    # A forward reference first, so a shape that (indirectly) contains itself terminates.
    target: list[Check] = []

    def forward(value: Any, parent: str, member: str, errors: list[str]) -> None:
        target[0](value, parent, member, errors)

    _CHECKS[key] = forward
    shape = _service_model()["shapes"][name]
    redacted = redacted or bool(shape.get("sensitive"))
    builder = _BUILDERS.get(shape["type"], _scalar_check)
    check = builder(name, shape, redacted)
    target.append(check)
    _CHECKS[key] = check
    return check


def _satisfies(value: Any, rules: Sequence[tuple[Callable[[Any], bool], str]]) -> bool:
    # A plain loop: all() over a generator costs more than the rules on short keys and values.
    for valid, _ in rules:  # noqa: SIM110 - see above
        if not valid(value):
            return False
    return True


def _scalar_check(name: str, shape: dict[str, Any], redacted: bool) -> Check:
    accepts = _accepts(shape["type"])
    expected = _EXPECTED_NAME.get(shape["type"], shape["type"])
    # Blob constraints count decoded bytes; the mock does not check them.
    rules = (
        ()
        if shape["type"] == "blob"
        else _rules(shape, pattern_checked=name not in PATTERNS_CHECKED_BY_OPERATIONS, name=name)
    )
    render = _hidden if redacted else _render_scalar

    def check(value: Any, parent: str, member: str, errors: list[str]) -> None:
        if not accepts(value):
            raise _wrong_type(value, expected, _join(parent, member))
        for valid, text in rules:
            if not valid(value):
                errors.append(_violation(render(value), _join(parent, member), text))

    return check


def _structure_check(name: str, shape: dict[str, Any], redacted: bool) -> Check:
    if shape.get("document"):
        return _no_check
    required = set(shape.get("required", ()))
    members = tuple(
        (key, _lower_first(key), key in required, _check_for(ref["shape"], redacted))
        for key, ref in shape.get("members", {}).items()
    )

    def check(value: Any, parent: str, member: str, errors: list[str]) -> None:
        if not isinstance(value, dict):
            raise _wrong_type(value, "object", _join(parent, member))
        path = _join(parent, member)
        for key, lower, is_required, member_check in members:
            item = value.get(key)
            if item is None:  # JSON null is an absent member
                if is_required:
                    errors.append(_null(_join(path, lower)))
                continue
            member_check(item, path, lower, errors)

    return check


def _list_check(name: str, shape: dict[str, Any], redacted: bool) -> Check:
    element_name = shape["member"]["shape"]
    element_shape = _service_model()["shapes"][element_name]
    element_check = _check_for(element_name, redacted)
    own_rules = _rules(shape)
    render = _renderer(name, redacted)
    # Constraints on scalar elements are reported once, at the list, all listed in brackets.
    element_rules = _rules(element_shape, name=element_name) if _is_scalar(element_shape) else ()
    accepts = _accepts(element_shape["type"])
    expected = _EXPECTED_NAME.get(element_shape["type"], element_shape["type"])
    element_text = (
        "Member must satisfy constraint: [" + ", ".join(text for _, text in element_rules) + "]"
    )

    def check(value: Any, parent: str, member: str, errors: list[str]) -> None:
        path = _join(parent, member)
        if not isinstance(value, list):
            raise _wrong_type(value, "list", path)
        found: list[str] = []
        broken = False
        for index, item in enumerate(value, 1):
            if item is None:
                found.append(_null(f"{path}.{index}.member"))
            elif element_rules:
                if not accepts(item):
                    raise _wrong_type(item, expected, f"{path}.{index}.member")
                broken = broken or not _satisfies(item, element_rules)
            else:
                element_check(item, path, f"{index}.member", found)
        for valid, text in own_rules:
            if not valid(value):
                errors.append(_violation(render(value), path, text))
        if broken:
            errors.append(_violation(render(value), path, element_text))
        errors.extend(found)

    return check


def _map_check(name: str, shape: dict[str, Any], redacted: bool) -> Check:
    shapes = _service_model()["shapes"]
    key_rules = _rules(shapes[shape["key"]["shape"]])
    value_name = shape["value"]["shape"]
    value_shape = shapes[value_name]
    value_check = _check_for(value_name, redacted)
    value_rules = _rules(value_shape) if _is_scalar(value_shape) else ()
    accepts = _accepts(value_shape["type"])
    expected = _EXPECTED_NAME.get(value_shape["type"], value_shape["type"])
    own_rules = _rules(shape)
    render = _renderer(name, redacted)
    keys_text = "Map keys must satisfy constraint: [" + ", ".join(t for _, t in key_rules) + "]"
    values_text = (
        "Map value must satisfy constraint: [" + ", ".join(t for _, t in value_rules) + "]"
    )

    def check(value: Any, parent: str, member: str, errors: list[str]) -> None:
        path = _join(parent, member)
        if not isinstance(value, dict):
            raise _wrong_type(value, "object", path)
        found: list[str] = []
        keys_broken = values_broken = False
        for key, item in value.items():
            if key_rules and not keys_broken:
                keys_broken = not _satisfies(key, key_rules)
            if item is None:
                found.append(_null(f"{path}.{key}"))
            elif value_rules:
                if not accepts(item):
                    raise _wrong_type(item, expected, f"{path}.{key}")
                values_broken = values_broken or not _satisfies(item, value_rules)
            else:
                value_check(item, path, key, found)
        for valid, text in own_rules:
            if not valid(value):
                errors.append(_violation(render(value), path, text))
        if keys_broken:
            errors.append(_violation(render(value), path, keys_text))
        if values_broken:
            errors.append(_violation(render(value), path, values_text))
        errors.extend(found)

    return check


def _no_check(value: Any, parent: str, member: str, errors: list[str]) -> None:
    """Documents are free-form JSON: nothing to check."""


_BUILDERS: dict[str, Callable[[str, dict[str, Any], bool], Check]] = {
    "structure": _structure_check,
    "list": _list_check,
    "map": _map_check,
}
