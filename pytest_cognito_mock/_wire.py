"""The AWS JSON 1.1 protocol as Cognito speaks it.

Reads the operation from ``X-Amz-Target`` and the parameters from the body; writes success
bodies and error bodies (``{"__type": code, "message": text}``) that botocore's own parser turns
into the modelled ``client.exceptions.<Code>``. Nothing else in the package knows these details.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .backend import ids
from .backend.errors import SerializationException, ServiceError, UnknownOperationException

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
CONTENT_TYPE = "application/x-amz-json-1.1"


@dataclass(frozen=True)
class WireResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def operation_name(target: str | bytes | None) -> str | None:
    """``AWSCognitoIdentityProviderService.AdminGetUser`` -> ``AdminGetUser``."""
    if isinstance(target, bytes):
        target = target.decode("utf-8", "replace")
    if not target or not target.startswith(TARGET_PREFIX):
        return None
    return target[len(TARGET_PREFIX) :]


#: The deepest nesting of arrays and objects a body may have (Jackson's default ceiling; no
#: Cognito input shape comes near it). Deeper bodies are refused before anything recurses.
MAX_NESTING_DEPTH = 1000


def parse_body(body: bytes | str | None) -> dict[str, Any]:
    """The request parameters; a body that is not a JSON object is a SerializationException."""
    if not body:
        return {}
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if raw.count(b"[") + raw.count(b"{") > MAX_NESTING_DEPTH and _nesting(raw) > MAX_NESTING_DEPTH:
        raise SerializationException(
            f"The request body is nested deeper than {MAX_NESTING_DEPTH} levels."
        )
    try:
        params = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SerializationException("Unable to parse the request body as JSON.") from None
    if not isinstance(params, dict):
        raise SerializationException("Start of structure or map found where not expected.")
    escaped = b"\\u" in body if isinstance(body, bytes) else "\\u" in body
    if escaped and _has_lone_surrogate(params):
        # A "\ud800" escape alone decodes to a string no UTF-8 can carry back.
        raise SerializationException("Invalid UTF-16 surrogate in a string of the request body.")
    return params


def _nesting(raw: bytes) -> int:
    """The deepest nesting of ``[`` and ``{`` in a JSON text, strings skipped (no recursion:
    only bodies with many brackets come here)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _has_lone_surrogate(params: dict[str, Any]) -> bool:
    try:
        json.dumps(params, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def may_hold_nulls(body: bytes | str | None) -> bool:
    """Whether a request body could contain a JSON null (most never do: skip the walk)."""
    if isinstance(body, bytes):
        return b"null" in body
    return body is not None and "null" in body


def without_nulls(value: Any) -> Any:
    """JSON null means "not given" to AWS's front end (validation has already refused the nulls
    it must): the handlers never see a None member."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def unknown_operation(target: str | bytes | None) -> WireResponse:
    """What an AWS JSON service answers a request whose ``X-Amz-Target`` names no operation
    of it (or is missing)."""
    if isinstance(target, bytes):
        target = target.decode("utf-8", "replace")
    message = (
        "The request has no X-Amz-Target header."
        if not target
        else f"{target} is not an operation of cognito-idp."
    )
    return error(UnknownOperationException(message), new_request_id())


def new_request_id() -> str:
    return ids.uuid4()


#: Compact JSON, as AWS sends it; made once (json.dumps builds an encoder per call otherwise).
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def success(result: dict[str, Any], request_id: str) -> WireResponse:
    body = _COMPACT_JSON.encode(result).encode("utf-8")
    return WireResponse(200, _headers(request_id, len(body)), body)


def error(exc: ServiceError, request_id: str) -> WireResponse:
    body = json.dumps({"__type": exc.code, "message": exc.message}).encode("utf-8")
    headers = _headers(request_id, len(body))
    headers["x-amzn-ErrorType"] = f"{exc.code}:"
    return WireResponse(500 if exc.fault else 400, headers, body)


def _headers(request_id: str, length: int) -> dict[str, str]:
    return {
        "Content-Type": CONTENT_TYPE,
        "Content-Length": str(length),
        "x-amzn-RequestId": request_id,
    }
