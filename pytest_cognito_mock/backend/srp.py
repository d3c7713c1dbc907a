"""SRP-6a arithmetic exactly as Amazon Cognito user pools run it for USER_SRP_AUTH.

The client library (amazon-cognito-identity-js, and its Python ports pycognito and warrant-lite)
fixes every detail, so the server side here mirrors it byte for byte:

* the 3072-bit group of RFC 3526 with ``g = 2``; ``k = H(pad(N) | pad(g))``;
* numbers are hashed as the big-endian two's-complement bytes of Java's
  ``BigInteger.toByteArray`` (:func:`pad_hex`), and travel as unpadded lower-case hex;
* ``x = H(pad(salt) | H(poolName + userId + ":" + password))`` where ``poolName`` is the part
  of the pool id after the underscore and ``userId`` is ``USER_ID_FOR_SRP``;
* ``u = H(pad(A) | pad(B))``; the server's premaster secret is ``S = (A * v^u)^b mod N``;
* the key is HKDF-SHA256 with salt ``pad(u)``, input ``pad(S)``, info ``"Caldera Derived Key"``,
  16 bytes;
* the claim is ``Base64(HMAC-SHA256(key, poolName + userId + secretBlock + timestamp))`` with the
  timestamp written ``EEE MMM d HH:mm:ss UTC yyyy`` in English (day of month not zero-padded).

Pure functions of integers and strings: no clock, no randomness except :func:`random_exponent`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timezone

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
#: The group's prime modulus (RFC 3526, 3072 bits).
N = int(N_HEX, 16)
#: The group's generator.
G = 2
INFO = b"Caldera Derived Key"
#: Length of the derived key, in bytes.
KEY_LENGTH = 16

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Lenient about the width of the day (Java's "d" also reads "05"), strict about the rest.
_TIMESTAMP = re.compile(
    r"(?P<weekday>[A-Z][a-z]{2}) (?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2}) UTC (?P<year>\d{4})"
)
_HEX = re.compile(r"[0-9a-fA-F]+")


def pad_hex(value: int) -> str:
    """``value`` as the hex of Java's ``BigInteger.toByteArray``: whole bytes, and a leading
    ``00`` byte when the top bit is set (so the number reads as positive)."""
    text = f"{value:x}"
    if len(text) % 2:
        return "0" + text
    if text[0] in "89abcdef":
        return "00" + text
    return text


def hash_hex(hex_text: str) -> str:
    """SHA-256 of the bytes spelled by ``hex_text``, as 64 lower-case hex digits."""
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


#: The SRP-6a multiplier ``k = H(pad(N) | pad(g))``.
K = int(hash_hex(pad_hex(N) + pad_hex(G)), 16)


def parse_hex(text: str) -> int | None:
    """A hex-encoded number as sent on the wire, or None if ``text`` is not plain hex."""
    if not _HEX.fullmatch(text):
        return None
    return int(text, 16)


def to_hex(value: int) -> str:
    """A number as Cognito writes it in ChallengeParameters (lower-case, no leading zeros)."""
    return f"{value:x}"


def pool_name(user_pool_id: str) -> str:
    """The part of ``us-east-1_AbC123`` that enters the hashes: ``AbC123``."""
    return user_pool_id.split("_", 1)[1]


def private_key(pool: str, user_id: str, password: str, salt: int) -> int:
    """``x``: what the password contributes; ``pool`` is :func:`pool_name` of the pool id."""
    identity = hashlib.sha256(f"{pool}{user_id}:{password}".encode()).hexdigest()
    return int(hash_hex(pad_hex(salt) + identity), 16)


def verifier(x: int) -> int:
    """``v = g^x mod N``: what the server keeps instead of the password."""
    return pow(G, x, N)


@functools.lru_cache(maxsize=1024)
def password_verifier(pool: str, user_id: str, password: str, salt: int) -> int:
    """``v`` for a password, remembered: Cognito stores it once per password, and a suite that
    signs the same user in many times should not pay the exponentiation each time."""
    return verifier(private_key(pool, user_id, password, salt))


def random_exponent() -> int:
    """A fresh secret exponent ``b`` for the server, 256 bits with the top bit set.

    Shorter than the 1024 bits the client libraries draw for ``a``: the handshake is the same
    and nothing a client sees tells the sizes apart, while each ``g^b`` costs a quarter of the
    time. (A test double has no secret worth the longer exponent.)
    """
    return secrets.randbits(256) | (1 << 255)


def server_public(v: int, b: int) -> int:
    """``B = (k*v + g^b) mod N``."""
    return (K * v + pow(G, b, N)) % N


def scrambler(client_public: int, server_public_value: int) -> int:
    """``u = H(pad(A) | pad(B))``."""
    return int(hash_hex(pad_hex(client_public) + pad_hex(server_public_value)), 16)


def server_premaster(client_public: int, v: int, u: int, b: int) -> int:
    """``S = (A * v^u)^b mod N``: equal to the client's ``(B - k*g^x)^(a + u*x)``."""
    return pow(client_public * pow(v, u, N) % N, b, N)


def derive_key(premaster: int, u: int) -> bytes:
    """HKDF-SHA256 (extract with salt ``pad(u)``, one expand block) cut to 16 bytes."""
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(premaster)), "sha256")
    okm = hmac.new(prk.digest(), INFO + b"\x01", "sha256").digest()
    return okm[:KEY_LENGTH]


def claim_signature(
    key: bytes, pool: str, user_id: str, secret_block: bytes, timestamp: str
) -> str:
    """``PASSWORD_CLAIM_SIGNATURE``: Base64 of the HMAC over what the client claims."""
    message = pool.encode() + user_id.encode() + secret_block + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, "sha256").digest()).decode("ascii")


def format_timestamp(moment: datetime) -> str:
    """``moment`` (UTC) in the claim's format, e.g. ``Sat Sep 5 09:03:07 UTC 2026``.

    Spelled out by hand rather than with ``strftime`` so the result never depends on the
    process locale or on the platform's way of dropping the zero of the day.
    """
    return (
        f"{_WEEKDAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} UTC {moment.year}"
    )


def parse_timestamp(text: str) -> datetime | None:
    """The moment a claim's ``TIMESTAMP`` names, or None if it is not in the claim's format.

    The weekday is read but not checked against the date, and ``05`` is accepted for the day:
    the server signs :func:`format_timestamp` of the result, so such a claim parses but does
    not verify.
    """
    found = _TIMESTAMP.fullmatch(text)
    if found is None:
        return None
    if found["weekday"] not in _WEEKDAYS or found["month"] not in _MONTHS:
        return None
    try:
        return datetime(
            int(found["year"]),
            _MONTHS.index(found["month"]) + 1,
            int(found["day"]),
            int(found["hour"]),
            int(found["minute"]),
            int(found["second"]),
            tzinfo=timezone.utc,
        )
    except ValueError:  # 31 February, hour 25, ...
        return None
