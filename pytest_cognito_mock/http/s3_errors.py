"""S3's error answers: codes, HTTP statuses, messages and the XML body S3 sends.

The loopback upload server speaks for an S3 bucket, so its refusals look like S3's: an
``application/xml`` body ``<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId>
<HostId>…</HostId></Error>``, with the extra elements S3 adds for some codes (``<Expires>`` on an
expired URL, ``<StringToSign>`` on a signature mismatch, ``<ProposedSize>`` on a too-large body).
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

#: HTTP status and S3's default message per error code (the codes this server can answer).
S3_ERRORS: dict[str, tuple[int, str]] = {
    "AccessDenied": (403, "Access Denied"),
    "AuthorizationQueryParametersError": (
        400,
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
        "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    ),
    "BadRequest": (400, "An error occurred when parsing the HTTP request."),
    "EntityTooLarge": (400, "Your proposed upload exceeds the maximum allowed size"),
    "IncompleteBody": (
        400,
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
    ),
    "InternalError": (500, "We encountered an internal error. Please try again."),
    "InvalidAccessKeyId": (
        403,
        "The AWS Access Key Id you provided does not exist in our records.",
    ),
    "MethodNotAllowed": (405, "The specified method is not allowed against this resource."),
    "MissingContentLength": (411, "You must provide the Content-Length HTTP header."),
    "NoSuchBucket": (404, "The specified bucket does not exist"),
    "NoSuchKey": (404, "The specified key does not exist."),
    "NotImplemented": (
        501,
        "A header you provided implies functionality that is not implemented",
    ),
    "RequestTimeout": (
        400,
        "Your socket connection to the server was not read from or written to within the "
        "timeout period. Idle connections will be closed.",
    ),
    "SignatureDoesNotMatch": (
        403,
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
    ),
}


@dataclass(frozen=True)
class S3Error:
    """One S3 error answer.

    ``details`` are the extra XML elements S3 puts between ``<Message>`` and ``<RequestId>``,
    in order, as (element name, text) pairs.
    """

    code: str
    status: int
    message: str
    details: tuple[tuple[str, str], ...] = ()

    def detail(self, name: str) -> str | None:
        """The text of the extra element ``name``, or None."""
        return next((text for element, text in self.details if element == name), None)

    def xml(self, request_id: str, host_id: str) -> bytes:
        """The XML body S3 sends with this error."""
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>',
            f"<Code>{escape(self.code)}</Code>",
            f"<Message>{escape(self.message)}</Message>",
        ]
        parts.extend(f"<{name}>{escape(text)}</{name}>" for name, text in self.details)
        parts.append(f"<RequestId>{escape(request_id)}</RequestId>")
        parts.append(f"<HostId>{escape(host_id)}</HostId></Error>")
        return "".join(parts).encode("utf-8")


def s3_error(
    code: str, message: str | None = None, details: Sequence[tuple[str, str]] = ()
) -> S3Error:
    """The S3 error ``code`` with S3's status and (unless given) its default message.

    A code this module does not know answers ``InternalError`` (HTTP 500), so a typo in a
    caller shows up as a server fault rather than as a plausible S3 refusal.
    """
    if code not in S3_ERRORS:
        status, default = S3_ERRORS["InternalError"]
        return S3Error("InternalError", status, default)
    status, default = S3_ERRORS[code]
    return S3Error(code, status, default if message is None else message, tuple(details))


_REQUEST_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def new_request_id() -> str:
    """A fresh ``x-amz-request-id``: 16 upper-case letters and digits, like S3's."""
    return "".join(secrets.choice(_REQUEST_ID_ALPHABET) for _ in range(16))


def new_host_id() -> str:
    """A fresh ``x-amz-id-2`` (the ``<HostId>``): opaque base64, like S3's."""
    return base64.b64encode(os.urandom(56)).decode("ascii")
