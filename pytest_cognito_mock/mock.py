"""CognitoMock: the one activation object behind every entry point.

The pytest fixtures, the ``mock_cognito_import`` decorator and context manager, and direct
``start()``/``stop()`` calls all drive this class. Each instance owns a fresh backend; the only
process-wide state is the seam's stack of active mocks.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from . import _intercept, _well_known, _wire
from ._credentials import EnvironmentPatch, patch_environment
from ._import_controls import ImportJobControls
from ._options import MockOptions, make_options
from ._validation import validate_request
from .backend import CognitoBackend, import_jobs, keys, users
from .backend.errors import ServiceError
from .backend.import_jobs import ImportSettings
from .backend.triggers import TriggerHandler
from .errors import MockNotStartedError, UnsupportedOperationError
from .operations import OPERATIONS, RequestContext

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Call:
    """One ``cognito-idp`` call the mock answered, as recorded in :attr:`CognitoMock.calls`."""

    operation: str
    params: dict[str, Any]
    region: str
    #: The AWS error code the call was answered with, or None for success.
    error_code: str | None = None
    error_message: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.error_code is None


class CognitoMock(ImportJobControls):
    """An in-memory Cognito user pool service, active between :meth:`start` and :meth:`stop`.

    Use it as a context manager (``with CognitoMock() as cognito: ...``), start and stop it
    yourself, or get it from the ``cognito_mock`` fixture. Keyword options are those of the
    ``cognito_mock`` marker (see docs/configuration.md).
    """

    def __init__(self, **options: Any) -> None:
        self.options: MockOptions = make_options(**options)
        self.backend = CognitoBackend(
            self.options.account_id,
            ImportSettings(
                rate=self.options.import_rate,
                stop_delay=self.options.import_stop_delay,
                expiry_seconds=self.options.import_job_expiry_hours * 3600,
                failure_threshold=self.options.import_failure_threshold,
            ),
        )
        self._upload_server = None
        self._server_lock = threading.Lock()
        self._shipped_log_lines = {}
        #: Every call answered while active, in order.
        self.calls: list[Call] = []
        self._environment: EnvironmentPatch | None = None
        self._lock = threading.Lock()

    # -- activation ------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._environment is not None

    def start(self) -> CognitoMock:
        """Route every ``cognito-idp`` call in the process to this mock. Returns ``self``."""
        with self._lock:
            if self._environment is not None:
                raise RuntimeError("this CognitoMock is already started")
            environment = (
                patch_environment(self.options.region)
                if self.options.fake_credentials
                else EnvironmentPatch()
            )
            self._environment = environment
            _intercept.push(self)
            _well_known.push(self)
        return self

    def stop(self) -> None:
        """Stop answering; botocore is restored when the last active mock stops."""
        with self._lock:
            environment = self._environment
            if environment is None:
                raise MockNotStartedError("stop() called on a CognitoMock that is not started")
            self._environment = None
            _intercept.remove(self)
            _well_known.remove(self)
            environment.restore()
        self._stop_upload_server()

    def __enter__(self) -> CognitoMock:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> CognitoMock:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @overload
    def __call__(self, target: type[Any]) -> type[Any]: ...

    @overload
    def __call__(self, target: F) -> F: ...

    def __call__(self, target: Any) -> Any:
        """Decorate a function, coroutine function or ``unittest.TestCase`` class.

        Every call (every test, for a TestCase) runs inside a fresh mock with these options.
        """
        return decorate(target, self.options)

    # -- answering calls (the seam's Responder protocol) -------------------------------------

    def respond(self, request: Any, region: str | None) -> _wire.WireResponse:
        region = region or self.options.region
        operation = _wire.operation_name(request.headers.get("X-Amz-Target"))
        handler = OPERATIONS.get(operation) if operation is not None else None
        if operation is None or handler is None:
            raise UnsupportedOperationError(operation or "<no X-Amz-Target>", len(OPERATIONS))
        request_id = _wire.new_request_id()
        params: dict[str, Any] = {}
        try:
            params = _wire.parse_body(request.body)
            validate_request(operation, params)
            if _wire.may_hold_nulls(request.body):
                params = _wire.without_nulls(params)
            with self.backend.lock:
                if self.backend.running_import_jobs:
                    # A started job moves on before the next call is answered (mock time).
                    import_jobs.advance_all(self.backend)
                context = RequestContext(self.backend, region, request_id, services=self)
                try:
                    result = handler(context, params)
                finally:
                    # Rows a call imported reach moto's logs even when the call itself fails.
                    self._ship_import_logs()
        except ServiceError as exc:
            self.calls.append(Call(operation, params, region, exc.code, exc.message))
            return _wire.error(exc, request_id)
        self.calls.append(Call(operation, params, region))
        return _wire.success(result, request_id)

    # -- helpers for tests -------------------------------------------------------------------

    def client(self, region: str | None = None) -> CognitoIdentityProviderClient:
        """A new boto3 ``cognito-idp`` client in ``region`` (default: the mock's), with test
        credentials of its own."""
        import boto3

        client: CognitoIdentityProviderClient = boto3.client(
            "cognito-idp",
            region_name=region or self.options.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        return client

    def register_lambda(self, function_arn: str, handler: TriggerHandler) -> None:
        """Answer invocations of ``function_arn`` (as named in a pool's LambdaConfig) with
        ``handler(event, context)``, which returns the event with its ``response`` filled in."""
        with self.backend.lock:
            self.backend.lambda_handlers[function_arn] = handler

    def jwks(self, user_pool_id: str) -> dict[str, Any]:
        """The pool's JSON Web Key Set, as served at ``/.well-known/jwks.json``."""
        with self.backend.lock:
            pool = self.backend.pools.get(user_pool_id)
            if pool is None:
                raise KeyError(f"no user pool {user_pool_id!r} in this mock")
            return keys.jwks(keys.pool_keys(pool))

    def well_known_response(
        self,
        pool_id: str,
        document: str,
        *,
        region: str | None = None,
        base_url: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Status and JSON body of ``GET /<pool_id>/.well-known/<document>`` (``jwks.json`` or
        ``openid-configuration``), as answered in process and by the loopback server."""
        return _well_known.respond(
            self.backend, pool_id, document, region=region, base_url=base_url
        )

    def last_code(self, user_pool_id: str, username: str) -> str | None:
        """The latest confirmation or verification code Cognito would have sent the user."""
        with self.backend.lock:
            pool = self.backend.pools.get(user_pool_id)
            if pool is None:
                raise KeyError(f"no user pool {user_pool_id!r} in this mock")
            # Any sign-in name works: the username, an email/phone alias, or the sub.
            user = users.find_user(pool, username)
            key = pool.user_key(user.username) if user is not None else pool.user_key(username)
            return pool.last_codes.get(key)


def decorate(target: Any, options: MockOptions) -> Any:
    """Wrap ``target`` so that each call runs inside a fresh ``CognitoMock(**options)``."""
    kwargs = {name: getattr(options, name) for name in options.__dataclass_fields__}
    if inspect.isclass(target):
        return _decorate_test_case(target, kwargs)
    if inspect.iscoroutinefunction(target):

        @functools.wraps(target)
        async def run_async(*args: Any, **kw: Any) -> Any:
            async with CognitoMock(**kwargs):
                return await target(*args, **kw)

        return run_async

    @functools.wraps(target)
    def run(*args: Any, **kw: Any) -> Any:
        with CognitoMock(**kwargs):
            return target(*args, **kw)

    return run


def _decorate_test_case(cls: type[Any], kwargs: dict[str, Any]) -> type[Any]:
    import unittest

    if not issubclass(cls, unittest.TestCase):
        raise TypeError(
            f"mock_cognito_import can decorate functions, coroutine functions and "
            f"unittest.TestCase classes, not {cls.__qualname__}"
        )
    original_set_up = cls.setUp

    def setUp(self: unittest.TestCase) -> None:
        mock = CognitoMock(**kwargs).start()
        self.addCleanup(mock.stop)
        self.cognito_mock = mock  # type: ignore[attr-defined]
        original_set_up(self)

    cls.setUp = setUp  # type: ignore[method-assign]
    return cls


@overload
def mock_cognito_import(target: F, /) -> F: ...


@overload
def mock_cognito_import(target: None = None, /, **options: Any) -> CognitoMock: ...


def mock_cognito_import(target: Any = None, /, **options: Any) -> Any:
    """A Cognito mock as a decorator or a context manager, with or without parentheses.

    ``@mock_cognito_import`` and ``@mock_cognito_import(region="eu-west-1")`` decorate functions,
    coroutine functions and ``unittest.TestCase`` classes (each call or test gets a fresh mock;
    a TestCase finds it at ``self.cognito_mock``). ``with mock_cognito_import() as cognito:``
    yields the :class:`CognitoMock` controller. Options are the marker's keywords.
    """
    if target is not None:
        if options:
            raise TypeError("pass options as mock_cognito_import(**options), then decorate")
        return decorate(target, make_options())
    return CognitoMock(**options)
