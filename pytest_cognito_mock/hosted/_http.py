"""Reading form posts and credentials, and writing the answers the domain endpoints give."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from ..backend.oauth import OAuthError
from ..http.messages import HttpRequest, HttpResponse

JSON_TYPE = "application/json;charset=UTF-8"
FORM_TYPE = "application/x-www-form-urlencoded"
Headers = tuple[tuple[str, str], ...]
#: What RFC 6749 asks of every answer carrying tokens or credentials.
NO_STORE: Headers = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


def query(request: HttpRequest) -> dict[str, str]:
    """The query parameters (the first of a repeated name), decoded."""
    return _pairs(request.parts.query)


def form(request: HttpRequest) -> dict[str, str]:
    """The body of a form post, decoded (an undecodable byte becomes U+FFFD)."""
    return _pairs(request.body.decode("utf-8", "replace"))


def form_values(request: HttpRequest, name: str) -> list[str]:
    """Every value of ``name`` in a form post, in order (RFC 8693 lets ``audience`` and
    ``resource`` repeat)."""
    encoded = request.body.decode("utf-8", "replace")
    return [value for key, value in parse_qsl(encoded, keep_blank_values=True) if key == name]


def is_form(request: HttpRequest) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower() == FORM_TYPE


def _pairs(encoded: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in parse_qsl(encoded, keep_blank_values=True):
        found.setdefault(name, value)
    return found


def basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    """(client id, secret) from ``Authorization: Basic``, None when the header is absent.
    RFC 6749 form-encodes both before base64; an unreadable header is ``invalid_client``."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_client")
    return unquote_plus(client_id), unquote_plus(secret)


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def json_answer(
    status: int, body: Mapping[str, Any], headers: Iterable[tuple[str, str]] = ()
) -> HttpResponse:
    data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return HttpResponse(status, (("Content-Type", JSON_TYPE), *headers), data)


def oauth_error(error: OAuthError, headers: Iterable[tuple[str, str]] = ()) -> HttpResponse:
    body = {"error": error.error}
    if error.description:
        body["error_description"] = error.description
    return json_answer(error.status, body, headers)


def redirect(location: str, headers: Iterable[tuple[str, str]] = ()) -> HttpResponse:
    return HttpResponse(302, (("Location", location), *headers))


def html_page(status: int, page: str, headers: Iterable[tuple[str, str]] = ()) -> HttpResponse:
    return HttpResponse(
        status, (("Content-Type", "text/html;charset=UTF-8"), *headers), page.encode("utf-8")
    )


def with_parameters(
    url: str, parameters: Mapping[str, str | None], *, fragment: bool = False
) -> str:
    """``url`` with ``parameters`` (None values left out) added to its query, or set as its
    fragment."""
    present = {name: value for name, value in parameters.items() if value is not None}
    parts = urlsplit(url)
    if fragment:
        return urlunsplit(parts._replace(fragment=urlencode(present)))
    query_string = "&".join(filter(None, (parts.query, urlencode(present))))
    return urlunsplit(parts._replace(query=query_string))
