"""The knobs of sign-in where AWS's behaviour is not published: one place, set from the mock's
options (see docs/configuration.md and docs/fidelity.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SignInSettings:
    #: How long a code sent for a passwordless sign-in (EMAIL_OTP / SMS_OTP) is good for.
    code_lifetime_seconds: float = 180.0
    #: Wrong codes a passwordless sign-in takes before its session is spent.
    code_attempts: int = 3
    #: Whether an email (phone number) must be verified to sign in with a code sent to it.
    codes_need_verified_contact: bool = True
    #: Whether email MFA needs the pool's own SES sending (EmailSendingAccount DEVELOPER).
    email_mfa_needs_ses: bool = True
