"""HTTP: the values transports exchange, the loopback server, the S3 side of import jobs, and
the Cognito router (the one module here that knows Cognito).

* :mod:`.messages`: :class:`HttpRequest`, :class:`HttpResponse`, the :class:`Endpoint` protocol;
* :mod:`.server`: :class:`LoopbackServer`, a real HTTP server on loopback for any endpoint;
* :mod:`.s3_upload`, :mod:`.presign`, :mod:`.s3_errors`: the S3 bucket behind presigned PUT
  URLs, signed and checked with botocore's SigV4 query signer;
* :mod:`.router`: everything Cognito serves over HTTP (imported on its own: it needs the
  service).
"""

from __future__ import annotations

from .messages import Endpoint, HttpRequest, HttpResponse, NoSuchHostError
from .presign import (
    DEFAULT_EXPIRES,
    MOCK_CREDENTIALS,
    SIGNED_HEADERS,
    SSE_HEADER,
    SSE_VALUE,
    VerifyResult,
    object_path,
    presigned_put_url,
    verify_presigned_put,
)
from .s3_errors import S3_ERRORS, S3Error, s3_error
from .s3_upload import MAX_UPLOAD_BYTES, PresignedUploads, UploadSink
from .server import LoopbackServer

__all__ = [
    "DEFAULT_EXPIRES",
    "MAX_UPLOAD_BYTES",
    "MOCK_CREDENTIALS",
    "S3_ERRORS",
    "SIGNED_HEADERS",
    "SSE_HEADER",
    "SSE_VALUE",
    "Endpoint",
    "HttpRequest",
    "HttpResponse",
    "LoopbackServer",
    "NoSuchHostError",
    "PresignedUploads",
    "S3Error",
    "UploadSink",
    "VerifyResult",
    "object_path",
    "presigned_put_url",
    "s3_error",
    "verify_presigned_put",
]
