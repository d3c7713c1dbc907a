"""The import-job half of the CognitoMock controller: the loopback upload target, moto's logs,
and the helpers tests use (``upload_csv``, ``import_log``, ``step_import_job``, assertions)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

from . import _moto_services, assertions
from .backend import CognitoBackend, import_jobs
from .backend.csv_import import csv_header
from .backend.import_jobs import ImportJob
from .backend.models import UserPool
from .http.presign import presigned_put_url
from .http.server import LoopbackServer

#: What `upload_csv` accepts: the file as text or bytes, a path to it, or rows as dicts.
CsvData: TypeAlias = "str | bytes | os.PathLike[str] | Iterable[Mapping[str, Any]]"


class ImportJobControls:
    """Mixed into CognitoMock; relies on its ``backend`` and ``options``."""

    backend: CognitoBackend
    _upload_server: LoopbackServer | None
    _server_lock: threading.Lock
    #: How many log lines of each job were already written to moto's CloudWatch Logs.
    _shipped_log_lines: dict[tuple[str, str], int]

    # -- services offered to the operation handlers (operations._registry.MockServices) -----

    def presigned_url(self, region: str, pool_id: str, job_id: str, created: float) -> str:
        with self._server_lock:
            if self._upload_server is None:
                self._upload_server = LoopbackServer(self)
            base_url = self._upload_server.start()
        key = f"{self.backend.account_id}/{pool_id}/{job_id}"
        return presigned_put_url(base_url, region, upload_bucket(region), key, now=created)

    def role_exists(self, role_arn: str) -> bool | None:
        return _moto_services.role_exists(role_arn)

    # -- the upload server's sink (http.server.UploadSink) -----------------------------------

    def accept_upload(self, bucket: str, key: str, body: bytes) -> str | None:
        """Store a presigned PUT's body; an S3 error code when the job takes no file."""
        account, _, rest = key.partition("/")
        pool_id, _, job_id = rest.partition("/")
        with self.backend.lock:
            job = self.backend.import_jobs.get(pool_id, {}).get(job_id)
            pool = self.backend.pools.get(pool_id)
            if job is None or pool is None or account != self.backend.account_id:
                return "AccessDenied"
            import_jobs.advance(self.backend, pool, job)
            return None if import_jobs.store_upload(job, body) else "AccessDenied"

    def _stop_upload_server(self) -> None:
        with self._server_lock:
            if self._upload_server is not None:
                self._upload_server.stop()
                self._upload_server = None

    def _ship_import_logs(self) -> None:
        """Write new import log lines to moto's CloudWatch Logs, while moto is active."""
        if not self.backend.import_jobs or not _moto_services.active():
            return
        for pool_id, jobs in self.backend.import_jobs.items():
            pool = self.backend.pools.get(pool_id)
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

    # -- helpers for tests -------------------------------------------------------------------

    @property
    def import_rate(self) -> float | None:
        """Users per second of mock time a started job imports (None: all at once)."""
        return self.backend.import_settings.rate

    @import_rate.setter
    def import_rate(self, rate: float | None) -> None:
        with self.backend.lock:
            self.backend.import_settings.rate = rate

    def upload_csv(self, user_pool_id: str, job_id: str, data: CsvData) -> None:
        """Upload a job's CSV without HTTP: text, bytes, a path, or rows as dicts (keys are
        header columns; missing ones are left empty, commas are escaped for you)."""
        with self.backend.lock:
            pool, job = self._job(user_pool_id, job_id)
            body = _csv_bytes(pool, data)
            import_jobs.advance(self.backend, pool, job)
            if not import_jobs.store_upload(job, body):
                raise ValueError(f"import job {job_id} takes no upload: its status is {job.status}")

    def import_log(self, user_pool_id: str, job_id: str) -> list[str]:
        """The job's log lines so far, one per processed row, in order."""
        with self.backend.lock:
            pool, job = self._job(user_pool_id, job_id)
            import_jobs.advance(self.backend, pool, job)
            return job.log_lines()

    def step_import_job(self, user_pool_id: str, job_id: str, rows: int = 1) -> None:
        """Import up to ``rows`` more rows of a started job now, whatever the rate."""
        with self.backend.lock:
            pool, job = self._job(user_pool_id, job_id)
            import_jobs.step(self.backend, pool, job, rows)
            self._ship_import_logs()

    def import_job(self, user_pool_id: str, job_id: str) -> ImportJob:
        """The job's current state (brought up to the clock first)."""
        with self.backend.lock:
            pool, job = self._job(user_pool_id, job_id)
            import_jobs.advance(self.backend, pool, job)
            return job

    def assert_import_job_status(self, user_pool_id: str, job_id: str, status: str) -> None:
        __tracebackhide__ = True
        assertions.assert_import_job_status(self.import_job(user_pool_id, job_id), status)

    def assert_import_job_succeeded(self, user_pool_id: str, job_id: str) -> None:
        __tracebackhide__ = True
        assertions.assert_import_job_succeeded(self.import_job(user_pool_id, job_id))

    def assert_user_imported(
        self, user_pool_id: str, username: str, attributes: Mapping[str, str] | None = None
    ) -> None:
        __tracebackhide__ = True
        with self.backend.lock:
            pool = self.backend.pools.get(user_pool_id)
            if pool is None:
                raise KeyError(f"no user pool {user_pool_id!r} in this mock")
            assertions.assert_user_imported(pool, username, attributes)

    def _job(self, user_pool_id: str, job_id: str) -> tuple[UserPool, ImportJob]:
        pool = self.backend.pools.get(user_pool_id)
        job = self.backend.import_jobs.get(user_pool_id, {}).get(job_id)
        if pool is None or job is None:
            raise KeyError(f"no import job {job_id!r} in user pool {user_pool_id!r}")
        return pool, job


def upload_bucket(region: str) -> str:
    # AWS uploads to a bucket of its own per region (aws-cognito-idp-user-import-<airport code>).
    return f"aws-cognito-idp-user-import-{region}"


def _csv_bytes(pool: UserPool, data: CsvData) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, os.PathLike):
        return Path(data).read_bytes()
    header = csv_header(pool)
    lines = [",".join(header)]
    for row in data:
        unknown = set(row) - set(header)
        if unknown:
            raise ValueError(f"row has columns not in the CSV header: {sorted(unknown)}")
        lines.append(",".join(_escape(str(row.get(column, ""))) for column in header))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _escape(value: str) -> str:
    return value.replace(",", "\\,")
