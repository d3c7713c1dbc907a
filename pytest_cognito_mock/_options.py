"""The options of a mock: one keyword-only set shared by the marker, the decorator, the context
manager and :class:`CognitoMock` itself, so a typo fails the same way everywhere."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True, kw_only=True)
class MockOptions:
    #: The region of `cognito_mock.client()` and of calls whose region cannot be told.
    region: str = DEFAULT_REGION
    #: The account in every ARN the mock produces.
    account_id: str = DEFAULT_ACCOUNT_ID
    #: Supply test credentials (and a default region) through the environment while the mock is
    #: active, when none are configured, so signed calls work without real credentials.
    fake_credentials: bool = True
    #: Users a started import job imports per second of mock time. None: the whole file on the
    #: first call after Start; 0: only when stepped by hand (`step_import_job`).
    import_rate: float | None = None
    #: Seconds of mock time a stopped import job reports Stopping before Stopped.
    import_stop_delay: float = 0.0
    #: Hours after which a job that was never started has Expired (AWS: 24 to 48).
    import_job_expiry_hours: float = 24.0
    #: An import job fails when more than this share of its rows failed or were skipped.
    import_failure_threshold: float = 0.5
    #: Seconds a code sent for a passwordless sign-in (EMAIL_OTP, SMS_OTP) stays good.
    sign_in_code_lifetime: float = 180.0
    #: Wrong codes a passwordless sign-in takes before its session is spent.
    sign_in_code_attempts: int = 3
    #: Whether codes for sign-in go only to a verified email / phone number.
    sign_in_codes_need_verified_contact: bool = True
    #: Whether email MFA needs EmailSendingAccount DEVELOPER (AWS's rule; tests of pools with
    #: the default email configuration may turn it off).
    email_mfa_requires_ses: bool = True
    #: Whether AdminCreateUser refuses a user without the pool's required attributes, as AWS
    #: was seen doing in 2026; False follows AWS's API reference, where the user supplies them
    #: at the NEW_PASSWORD_REQUIRED challenge (its ``requiredAttributes``).
    admin_create_user_requires_attributes: bool = True
    #: Seconds of mock time a point-in-time recovery is PREVIEW_GENERATING before its preview
    #: is ready, and RESTORING after StartPointInTimeRecovery (0: at once).
    point_in_time_preview_seconds: float = 0.0
    point_in_time_restore_seconds: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.region, str) or not _REGION.match(self.region):
            raise ValueError(f"region must look like 'us-east-1', got {self.region!r}")
        if not isinstance(self.account_id, str) or not _ACCOUNT_ID.match(self.account_id):
            raise ValueError(f"account_id must be 12 digits, got {self.account_id!r}")
        if self.import_rate is not None and not (
            _is_number(self.import_rate) and self.import_rate >= 0
        ):
            raise ValueError(
                f"import_rate must be None or a finite number >= 0, got {self.import_rate!r}"
            )
        if not (_is_number(self.import_stop_delay) and self.import_stop_delay >= 0):
            raise ValueError(f"import_stop_delay must be >= 0, got {self.import_stop_delay!r}")
        if not (
            _is_number(self.import_job_expiry_hours) and 24 <= self.import_job_expiry_hours <= 48
        ):
            raise ValueError(
                "import_job_expiry_hours must be within AWS's 24 to 48 hours, "
                f"got {self.import_job_expiry_hours!r}"
            )
        threshold = self.import_failure_threshold
        if not (_is_number(threshold) and 0 <= threshold <= 1):
            raise ValueError(f"import_failure_threshold must be within 0 and 1, got {threshold!r}")
        if not (_is_number(self.sign_in_code_lifetime) and self.sign_in_code_lifetime > 0):
            raise ValueError(
                f"sign_in_code_lifetime must be > 0 seconds, got {self.sign_in_code_lifetime!r}"
            )
        for name in ("point_in_time_preview_seconds", "point_in_time_restore_seconds"):
            value = getattr(self, name)
            if not (_is_number(value) and value >= 0):
                raise ValueError(f"{name} must be >= 0 seconds, got {value!r}")
        attempts = self.sign_in_code_attempts
        if not (isinstance(attempts, int) and not isinstance(attempts, bool) and attempts >= 1):
            raise ValueError(f"sign_in_code_attempts must be an int >= 1, got {attempts!r}")


def _is_number(value: object) -> bool:
    """A finite int or float (not a bool): nan and infinity are refused like any non-number."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(MockOptions))


def make_options(**given: Any) -> MockOptions:
    """MockOptions from keywords, with an error that names the valid keywords on a typo."""
    unknown = sorted(set(given) - set(OPTION_NAMES))
    if unknown:
        raise TypeError(
            f"unknown pytest-cognito-mock option(s) {', '.join(unknown)}; "
            f"valid options are: {', '.join(OPTION_NAMES)}"
        )
    return MockOptions(**given)
