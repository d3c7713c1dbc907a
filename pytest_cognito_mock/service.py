"""The Cognito service: one backend, its lock, and the work every entry into it does.

Every way into a mock's state goes through :meth:`CognitoService.transaction`: the JSON 1.1 API
(from botocore's seam, from the HTTP router, from the loopback endpoint), every helper of
:class:`~pytest_cognito_mock.CognitoMock`, the ``.well-known`` documents and the upload sink.
A transaction holds the lock, first brings running import jobs (and the rotation of client
secrets published in Secrets Manager) up to the clock, and on the way out writes new import log
lines to moto's CloudWatch Logs when moto is active, so what a test sees next (through any door,
moto's included) is already consistent.

The service also owns the loopback endpoint (started on first need, never after
:meth:`CognitoService.close`) and the record of answered calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import botocore

from . import _moto_services, _well_known, _wire
from ._options import MockOptions
from ._validation import model_operations, validate_request
from .backend import (
    CognitoBackend,
    clock,
    domains,
    import_jobs,
    point_in_time,
    published_secrets,
    replicas,
)
from .backend.errors import ServiceError
from .backend.import_jobs import ImportSettings
from .backend.point_in_time_settings import RecoverySettings
from .backend.sign_in_settings import SignInSettings
from .errors import MockStoppedError, UnsupportedOperationError
from .hosted import LOOPBACK_PREFIX
from .http.presign import presigned_put_url
from .http.router import CognitoRouter
from .http.server import LoopbackServer
from .operations import OPERATIONS, RequestContext


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


class ServiceLock:
    """A re-entrant lock that its owner can lend out while a Lambda trigger runs.

    A trigger handler may hand work to another thread (a thread pool, ``run_in_executor``)
    that calls Cognito and wait for it; holding the lock meanwhile would deadlock. While a
    handler runs, the lock is released at every depth and taken back afterwards
    (:meth:`released`), as a real Lambda runs while Cognito serves other calls.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> None:
        me = threading.get_ident()
        if self._owner == me:
            self._depth += 1
            return
        self._lock.acquire()
        self._owner, self._depth = me, 1

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()

    @contextmanager
    def released(self) -> Iterator[None]:
        if self._owner != threading.get_ident():  # not inside a transaction: nothing to lend
            yield
            return
        depth = self._depth
        self._owner, self._depth = None, 0
        self._lock.release()
        try:
            yield
        finally:
            self._lock.acquire()
            self._owner, self._depth = threading.get_ident(), depth


class CognitoService:
    """The state of one mock and the one door into it."""

    def __init__(self, options: MockOptions, *, record_calls: bool = True) -> None:
        self.options = options
        #: False for the standalone server, which runs for days and is never asked.
        self._record_calls = record_calls
        self.backend = CognitoBackend(
            options.account_id,
            ImportSettings(
                rate=options.import_rate,
                stop_delay=options.import_stop_delay,
                expiry_seconds=options.import_job_expiry_hours * 3600,
                failure_threshold=options.import_failure_threshold,
            ),
        )
        self.backend.sign_in_settings = SignInSettings(
            code_lifetime_seconds=options.sign_in_code_lifetime,
            code_attempts=options.sign_in_code_attempts,
            codes_need_verified_contact=options.sign_in_codes_need_verified_contact,
            email_mfa_needs_ses=options.email_mfa_requires_ses,
        )
        self.backend.admin_create_user_requires_attributes = (
            options.admin_create_user_requires_attributes
        )
        self.backend.secrets_manager = _moto_services.SecretsManagerStore(options.account_id)
        self.backend.recovery_settings = RecoverySettings(
            generation_seconds=options.point_in_time_preview_seconds,
            restore_seconds=options.point_in_time_restore_seconds,
        )
        self.lock = ServiceLock()
        self.backend.while_trigger_runs = self.lock.released
        #: Every API call answered, in order.
        self.calls: list[Call] = []
        #: How many log lines of each job were already written to moto's CloudWatch Logs.
        self._shipped_log_lines: dict[tuple[str, str], int] = {}
        self.router = CognitoRouter(self)
        self._endpoint: LoopbackServer | None = None
        self._endpoint_lock = threading.Lock()
        self._closed = True

    # -- the transaction -----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[CognitoBackend]:
        """Hold the service for one entry: running import jobs are brought up to the clock
        first; new import log lines reach moto's CloudWatch Logs on the way out, even when the
        entry fails."""
        with self.lock:
            backend = self.backend
            if backend.running_import_jobs:
                import_jobs.advance_all(backend)
            due = backend.next_secret_rotation
            if due is not None and due <= clock.now():
                published_secrets.rotate_due(backend)
            try:
                yield backend
            finally:
                if backend.import_jobs:
                    self._ship_import_logs()

    def read(self, action: Callable[[CognitoBackend], Any]) -> Any:
        """``action(backend)`` inside one transaction; its result."""
        with self.transaction() as backend:
            return action(backend)

    # -- the JSON 1.1 API ----------------------------------------------------------------------

    def answer_api(
        self, target: str | bytes | None, body: bytes | str | None, region: str | None
    ) -> _wire.WireResponse:
        """Answer one JSON 1.1 request. ``region`` None: the request's own ids tell (a pool id
        or an app client's pool), else the mock's region. An operation the mock does not
        implement raises :class:`UnsupportedOperationError` (loud, never retried)."""
        operation = _wire.operation_name(target)
        handler = OPERATIONS.get(operation) if operation is not None else None
        if operation is None or handler is None:
            raise UnsupportedOperationError(operation or "<no X-Amz-Target>", len(OPERATIONS))
        if operation not in model_operations():
            # Implemented, but a client on a newer model than the installed botocore's named it.
            raise UnsupportedOperationError(
                operation, len(OPERATIONS), botocore_lacks_it=botocore.__version__
            )
        request_id = _wire.new_request_id()
        params: dict[str, Any] = {}
        where = region or self.options.region
        try:
            params = _wire.parse_body(body)
            validate_request(operation, params)
            if _wire.may_hold_nulls(body):
                params = _wire.without_nulls(params)
            with self.transaction() as backend:
                if region is None:
                    where = self._region_of(backend, params)
                replicas.admit(backend, operation, where, params)  # a secondary region's limits
                point_in_time.admit(backend, operation, params)  # writes paused by a recovery
                with replicas.serving(where):
                    result = handler(RequestContext(backend, where, request_id, self), params)
        except ServiceError as exc:
            if self._record_calls:
                self.calls.append(Call(operation, params, where, exc.code, exc.message))
            return _wire.error(exc, request_id)
        if self._record_calls:
            self.calls.append(Call(operation, params, where))
        return _wire.success(result, request_id)

    def _region_of(self, backend: CognitoBackend, params: dict[str, Any]) -> str:
        # A request with no SigV4 scope (an unsigned call to the loopback endpoint) still names
        # its pool: directly, or through its app client.
        pool_id = params.get("UserPoolId")
        arn = params.get("ResourceArn")
        if pool_id is None and isinstance(arn, str) and ":userpool/" in arn:
            pool_id = arn.rpartition(":userpool/")[2]  # the tag operations name a pool's ARN
        named = backend.region_named_by(pool_id, params.get("ClientId"))
        return named or self.options.region

    # -- services offered to the operation handlers (operations._registry.MockServices) --------

    def presigned_url(self, region: str, pool_id: str, job_id: str, created: float) -> str:
        key = f"{self.backend.account_id}/{pool_id}/{job_id}"
        return presigned_put_url(
            self.endpoint_url(), region, upload_bucket(region), key, now=created
        )

    def role_exists(self, role_arn: str) -> bool | None:
        return _moto_services.role_exists(role_arn)

    def log_destination_exists(self, member: str, arn: str) -> bool | None:
        return _moto_services.log_destination_exists(member, arn)

    # -- the upload sink and the documents (for the router) ------------------------------------

    def accept_upload(self, bucket: str, key: str, body: bytes) -> str | None:
        """Store a presigned PUT's body; the S3 error code when the job takes no file."""
        account, _, rest = key.partition("/")
        pool_id, _, job_id = rest.partition("/")
        with self.transaction() as backend:
            try:
                _, job = import_jobs.find_job(backend, pool_id, job_id)
            except KeyError:
                return "AccessDenied"
            if account != backend.account_id or not import_jobs.store_upload(job, body):
                return "AccessDenied"
            return None

    def well_known(
        self, pool_id: str, name: str, *, region: str | None, base_url: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Status and JSON body of ``GET /<pool_id>/.well-known/<name>``. ``region`` is the
        region of the host asked (None: any, as on the loopback endpoint)."""
        with self.transaction() as backend:
            try:
                pool = (
                    backend.find_pool(pool_id) if region is None else backend.pool(region, pool_id)
                )
            except (KeyError, ServiceError):
                return 404, {"message": f"User pool {pool_id} does not exist."}
            domain_url = None
            pool_domains = domains.domains_of(backend, pool)
            if pool_domains:  # the custom domain when there is one: apps publish that
                host = pool_domains[0].host
                domain_url = (
                    f"{base_url.rstrip('/')}{LOOPBACK_PREFIX}{host}"
                    if base_url
                    else f"https://{host}"
                )
            return 200, _well_known.document(pool, name, base_url, domain_url, region)

    # -- the loopback endpoint -----------------------------------------------------------------

    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>`` of the loopback endpoint, started on first use."""
        with self._endpoint_lock:
            if self._closed:
                raise MockStoppedError(
                    "this Cognito mock has stopped: its loopback endpoint cannot be started "
                    "(a call still running when stop() was called needed it)"
                )
            if self._endpoint is None:
                self._endpoint = LoopbackServer(self.router.loopback)
            return self._endpoint.start()

    @property
    def endpoint_started(self) -> bool:
        return self._endpoint is not None

    def open(self) -> None:
        """Allow the loopback endpoint to start (again): the mock is starting."""
        with self._endpoint_lock:
            self._closed = False

    def close(self) -> None:
        """Stop the loopback endpoint; nothing may start it until :meth:`open`."""
        with self._endpoint_lock:
            self._closed = True
            endpoint, self._endpoint = self._endpoint, None
        if endpoint is not None:
            endpoint.stop()

    # -- moto's CloudWatch Logs ----------------------------------------------------------------

    def _ship_import_logs(self) -> None:
        """Write new import log lines to moto's CloudWatch Logs, while moto is active."""
        if not _moto_services.active():
            return
        backend = self.backend
        for pool_id, jobs in backend.import_jobs.items():
            pool = backend.pools.get(pool_id)
            for job in jobs.values():
                shipped = self._shipped_log_lines.get((pool_id, job.job_id), 0)
                if pool is None or job.processed <= shipped:
                    continue
                _moto_services.write_log_lines(
                    pool.region,
                    _moto_services.log_group_name(pool.id, pool.name),
                    _moto_services.log_stream_name(job.job_id, job.job_name),
                    job.log_lines(shipped),
                )
                self._shipped_log_lines[(pool_id, job.job_id)] = job.processed


def upload_bucket(region: str) -> str:
    # AWS uploads to a bucket of its own per region (aws-cognito-idp-user-import-<airport code>).
    return f"aws-cognito-idp-user-import-{region}"
