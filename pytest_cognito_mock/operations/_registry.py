"""The explicit table of supported operations: name -> handler.

Handlers map a request dict (already validated against the model) to backend calls, and backend
objects to the response dict. Registering happens by decorating the handler; the table also drives
the supported-operations page and the conformance tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..backend import CognitoBackend
from ..backend.models import UserPool

Params = dict[str, Any]
Response = dict[str, Any]


class MockServices(Protocol):
    """What the running mock offers handlers beyond the domain: its loopback upload server and,
    when moto is active, moto's IAM and its log destinations (CloudWatch Logs, S3, Firehose)."""

    def presigned_url(self, region: str, pool_id: str, job_id: str, created: float) -> str: ...

    def role_exists(self, role_arn: str) -> bool | None:
        """Whether moto's IAM has the role; None when that cannot be told."""
        ...

    def log_destination_exists(self, member: str, arn: str) -> bool | None:
        """Whether moto has the log group, bucket or stream; None when that cannot be told."""
        ...


@dataclass(frozen=True)
class RequestContext:
    """What a handler knows about the call besides its parameters."""

    backend: CognitoBackend
    region: str
    request_id: str
    services: MockServices | None = None

    def pool(self, params: Params) -> UserPool:
        """The pool named by the request's ``UserPoolId``, in the caller's region."""
        return self.backend.pool(self.region, params["UserPoolId"])


Handler = Callable[[RequestContext, Params], Response]

OPERATIONS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the implementation of the Cognito operation ``name``."""

    def register(handler: Handler) -> Handler:
        if name in OPERATIONS:
            raise RuntimeError(f"operation {name} registered twice")
        OPERATIONS[name] = handler
        return handler

    return register
