"""Identifiers in the shapes AWS uses (see docs/fidelity.md for the formats)."""

from __future__ import annotations

import os
import random
import string

_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits

# One generator for every id, seeded once from the OS and again in a forked child, so ids never
# collide across mocks or worker processes. Not the OS's generator per id: reading it is a system
# call that costs microseconds, and a 100,000-row import needs a sub per row. Nothing here is a
# secret (these are a test double's ids), so a seeded Mersenne Twister is enough.
_random = random.Random(os.urandom(32))
os.register_at_fork(after_in_child=lambda: _random.seed(os.urandom(32)))

_UUID_VERSION_4 = 0x4000 << 64
_UUID_VARIANT = 0x8000 << 48
_UUID_CLEARED = ~((0xF000 << 64) | (0xC000 << 48))


def user_pool_id(region: str) -> str:
    """``<region>_<9 alphanumerics, mixed case>``, e.g. ``us-east-1_d0IcP4EV2``."""
    return f"{region}_{''.join(_random.choices(_ALNUM, k=9))}"


def client_id() -> str:
    """26 characters of ``[a-z0-9]``, e.g. ``6udtb0hvv8oa2r6b0lkchm2hnq``."""
    return "".join(_random.choices(_LOWER_ALNUM, k=26))


def client_secret() -> str:
    """51 characters of ``[a-z0-9]``: inside the model's 24..64 and ``[\\w+]+``."""
    return "".join(_random.choices(_LOWER_ALNUM, k=51))


def secrets_manager_arn(region: str, account_id: str, name: str) -> str:
    """A Secrets Manager secret's ARN: the name, a hyphen and six random letters and digits,
    as Secrets Manager makes it."""
    suffix = "".join(_random.choices(_ALNUM, k=6))
    return f"arn:aws:secretsmanager:{region}:{account_id}:secret:{name}-{suffix}"


def import_job_id() -> str:
    """``import-`` + 10 alphanumerics, e.g. ``import-mAgUtd8PMm``."""
    return "import-" + "".join(_random.choices(_ALNUM, k=10))


def uuid4() -> str:
    """A random (version 4) UUID in its usual text form."""
    bits = (_random.getrandbits(128) & _UUID_CLEARED) | _UUID_VERSION_4 | _UUID_VARIANT
    # Hex in groups of four ("xxxx-xxxx-...-xxxx"), then the dashes UUIDs do not have dropped
    # (8-4-4-4-12): a third cheaper than formatting five slices, and an import makes one per user.
    grouped = bits.to_bytes(16, "big").hex("-", 2)
    return grouped[:4] + grouped[5:29] + grouped[30:34] + grouped[35:]


def random_bytes(count: int) -> bytes:
    return _random.randbytes(count)


def sub() -> str:
    return uuid4()


def confirmation_code() -> str:
    return "".join(_random.choices(string.digits, k=6))


def digit_code(digits: int) -> str:
    """``digits`` random decimal digits (leading zeros kept): one draw, then formatting, which
    costs a tenth of drawing each digit on its own."""
    return f"{_random.randrange(10**digits):0{digits}d}"


def temporary_password() -> str:
    # Satisfies any password policy AWS allows (length <= 99 and all four character classes).
    body = "".join(_random.choices(_ALNUM, k=10))
    return f"Tmp{body}9!a"


def user_pool_arn(region: str, account_id: str, pool_id: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{account_id}:userpool/{pool_id}"
