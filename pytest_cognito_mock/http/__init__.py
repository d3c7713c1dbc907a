"""The S3 side of user import jobs: presigned PUT URLs and the loopback server behind them.

Nothing here knows about Cognito. :func:`presigned_put_url` signs a URL for a bucket and key
with the mock's fixed credentials; :class:`LoopbackServer` answers PUTs to such URLs as S3
would and hands verified bodies to an :class:`UploadSink` (the import-job owner).
"""

from __future__ import annotations

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
from .server import MAX_UPLOAD_BYTES, LoopbackServer, UploadSink

__all__ = [
    "DEFAULT_EXPIRES",
    "MAX_UPLOAD_BYTES",
    "MOCK_CREDENTIALS",
    "S3_ERRORS",
    "SIGNED_HEADERS",
    "SSE_HEADER",
    "SSE_VALUE",
    "LoopbackServer",
    "S3Error",
    "UploadSink",
    "VerifyResult",
    "object_path",
    "presigned_put_url",
    "s3_error",
    "verify_presigned_put",
]
