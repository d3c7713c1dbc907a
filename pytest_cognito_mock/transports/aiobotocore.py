"""aiobotocore (and so aioboto3): the only module that touches aiobotocore's internals.

aiobotocore mirrors botocore with coroutines, so the adapter mirrors the botocore one: the
class-level ``AioEndpoint._do_get_response`` runs unchanged against a per-call view of the
endpoint whose ``_send`` answers from the service and whose (async) event emitter skips
``before-send``; ``AioRequestSigner.sign`` lends test credentials to cognito-idp requests of
clients that have none. aiobotocore still serializes, signs, parses and raises the modelled
``ClientError``s, and moto (whose fake lives in ``before-send``) never sees our requests.
"""

from __future__ import annotations

from typing import Any

from aiobotocore.awsrequest import AioAWSResponse
from aiobotocore.credentials import AioCredentials
from aiobotocore.endpoint import AioEndpoint
from aiobotocore.signers import AioRequestSigner

from .. import _active
from ._patch import ClassPatch
from .botocore import ENDPOINT_PREFIX, request_region

_TEST_CREDENTIALS = AioCredentials("testing", "testing")


async def _do_get_response(self: Any, request: Any, operation_model: Any, context: Any) -> Any:
    original = _ENDPOINT_PATCH.original
    if self._endpoint_prefix != ENDPOINT_PREFIX or not _active.any_active():
        return await original(self, request, operation_model, context)
    service = _active.current()
    if service is None:
        return await original(self, request, operation_model, context)
    view = _CognitoEndpointView(self, service, request_region(request.url, context))
    return await original(view, request, operation_model, context)


async def _sign(self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any) -> Any:
    # As for botocore: a client created without any credentials signs with test ones while a
    # mock answers, through this request's context only.
    if _active.any_active() and self._credentials is None and self._signing_name == ENDPOINT_PREFIX:
        signing = request.context.setdefault("signing", {})
        signing.setdefault("request_credentials", _TEST_CREDENTIALS)
    return await _SIGNER_PATCH.original(self, operation_name, request, *args, **kwargs)


_ENDPOINT_PATCH = ClassPatch(AioEndpoint, "_do_get_response", _do_get_response)
_SIGNER_PATCH = ClassPatch(AioRequestSigner, "sign", _sign)


def install() -> None:
    _ENDPOINT_PATCH.install()
    _SIGNER_PATCH.install()


def uninstall() -> None:
    _ENDPOINT_PATCH.uninstall()
    _SIGNER_PATCH.uninstall()


class _EmitterWithoutBeforeSend:
    """The endpoint's async event emitter, minus the ``before-send`` event."""

    __slots__ = ("_emitter",)

    def __init__(self, emitter: Any) -> None:
        self._emitter = emitter

    async def emit(self, event_name: str, **kwargs: Any) -> Any:
        if event_name.startswith("before-send."):
            return []
        return await self._emitter.emit(event_name, **kwargs)


class _CognitoEndpointView:
    """An endpoint as ``AioEndpoint._do_get_response`` sees it, with the service as network."""

    def __init__(self, endpoint: Any, service: Any, region: str | None) -> None:
        self._endpoint = endpoint
        self._service = service
        self._region = region
        self._event_emitter = _EmitterWithoutBeforeSend(endpoint._event_emitter)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)

    async def _send(self, request: Any) -> Any:
        answer = self._service.answer_api(
            request.headers.get("X-Amz-Target"), request.body, self._region
        )
        headers: Any = answer.headers
        return AioAWSResponse(request.url, answer.status, headers, _RawBody(answer.body))


class _RawBody:
    """The raw response aiobotocore awaits ``read()`` on."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self, *_: Any) -> bytes:
        data, self._data = self._data, b""
        return data
