"""Identifiers in the shapes AWS uses (see docs/fidelity.md for the formats)."""

from __future__ import annotations

import random
import string
import uuid

_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits

# A module-level generator seeded from the OS: ids must not collide across mocks in one process
# (a client id cached by user code must never match a later test's client by accident).
_random = random.SystemRandom()


def user_pool_id(region: str) -> str:
    """``<region>_<9 alphanumerics, mixed case>``, e.g. ``us-east-1_d0IcP4EV2``."""
    return f"{region}_{''.join(_random.choices(_ALNUM, k=9))}"


def client_id() -> str:
    """26 characters of ``[a-z0-9]``, e.g. ``6udtb0hvv8oa2r6b0lkchm2hnq``."""
    return "".join(_random.choices(_LOWER_ALNUM, k=26))


def client_secret() -> str:
    """51 characters of ``[a-z0-9]``: inside the model's 24..64 and ``[\\w+]+``."""
    return "".join(_random.choices(_LOWER_ALNUM, k=51))


def import_job_id() -> str:
    """``import-`` + 10 alphanumerics, e.g. ``import-mAgUtd8PMm``."""
    return "import-" + "".join(_random.choices(_ALNUM, k=10))


def sub() -> str:
    return str(uuid.uuid4())


def confirmation_code() -> str:
    return "".join(_random.choices(string.digits, k=6))


def temporary_password() -> str:
    # Satisfies any password policy AWS allows (length <= 99 and all four character classes).
    body = "".join(_random.choices(_ALNUM, k=10))
    return f"Tmp{body}9!a"


def user_pool_arn(region: str, account_id: str, pool_id: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{account_id}:userpool/{pool_id}"
