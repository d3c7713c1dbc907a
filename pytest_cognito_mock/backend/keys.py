"""RSA signing keys for a user pool's ID and access tokens, and the pool's JWKS.

Cognito signs a pool's ID tokens and access tokens with two different RSA keys, each named by a
``kid`` published in the pool's JWKS. Generating an RSA-2048 key costs tens of milliseconds, and
a test suite creates many pools, so the mock never generates a key per pool. Instead:

* the process holds one RSA key per token use (ID, access), generated on first need, under a
  lock so racing threads share one key;
* each pool gets, also on first need, a :class:`PoolKeys`: two :class:`SigningKey` handles, each
  with its own random ``kid``, pointing at that shared material.

So pools share key material but never kids. Verifiers that pick the key by ``kid`` (the
documented way, and what JWT libraries do) still reject a token of one pool against another
pool's JWKS. A verifier that tried every key of a JWKS regardless of ``kid`` would wrongly accept
it: the price of not paying for a key per pool. Within one pool the ID key and the access key
are always different RSA keys, as in AWS.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import os
import threading
from dataclasses import dataclass
from typing import Literal, Protocol

from cryptography.hazmat.primitives.asymmetric import rsa

TokenUse = Literal["id", "access"]

#: Token uses in the order the JWKS lists their keys.
TOKEN_USES: tuple[TokenUse, ...] = ("id", "access")

_KEY_SIZE = 2048
_PUBLIC_EXPONENT = 65537


#: Standard base64's two symbols swapped for the URL-safe ones.
_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def b64url(data: bytes) -> str:
    """Base64url without ``=`` padding, as JOSE (JWS, JWE, JWK) encodes bytes."""
    # binascii directly: a sign-in encodes about ten values, and base64's wrappers add up.
    encoded = binascii.b2a_base64(data, newline=False).translate(_URL_SAFE)
    return encoded.rstrip(b"=").decode("ascii")


def _uint_b64url(value: int) -> str:
    """A JWK integer (``n``, ``e``): big-endian, minimal length, base64url without padding."""
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass(frozen=True)
class KeyMaterial:
    """One process-wide RSA key with its public numbers pre-encoded for JWKs."""

    private_key: rsa.RSAPrivateKey
    n: str
    e: str

    @classmethod
    def generate(cls) -> KeyMaterial:
        private_key = rsa.generate_private_key(public_exponent=_PUBLIC_EXPONENT, key_size=_KEY_SIZE)
        numbers = private_key.public_key().public_numbers()
        return cls(private_key, _uint_b64url(numbers.n), _uint_b64url(numbers.e))

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()


_materials: dict[TokenUse, KeyMaterial] = {}
_materials_lock = threading.Lock()


def shared_material(token_use: TokenUse) -> KeyMaterial:
    """The process-wide key for ``token_use`` tokens, generated on the first call."""
    material = _materials.get(token_use)
    if material is None:
        with _materials_lock:
            material = _materials.get(token_use)
            if material is None:
                material = _materials[token_use] = KeyMaterial.generate()
    return material


def new_kid() -> str:
    """A key id shaped like AWS's: 32 random bytes in standard base64, 44 characters with ``=``."""
    return base64.b64encode(os.urandom(32)).decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """A pool's handle on one signing key: its own ``kid`` over shared material."""

    kid: str
    token_use: TokenUse
    material: KeyMaterial

    @functools.cached_property
    def jws_header(self) -> str:
        """The encoded JWS header of every token signed with this key: ``kid`` before ``alg``
        and no ``typ``, as Cognito's tokens have it."""
        header = json.dumps({"kid": self.kid, "alg": "RS256"}, separators=(",", ":"))
        return b64url(header.encode("ascii"))

    def jwk(self) -> dict[str, str]:
        """The public key as a JWKS entry, members in the order Cognito's JWKS shows them."""
        return {
            "alg": "RS256",
            "e": self.material.e,
            "kid": self.kid,
            "kty": "RSA",
            "n": self.material.n,
            "use": "sig",
        }


@dataclass(frozen=True)
class PoolKeys:
    """The two signing keys of one user pool."""

    id: SigningKey
    access: SigningKey

    @classmethod
    def create(cls) -> PoolKeys:
        """Fresh kids for a pool; generates the shared material if this process has none yet."""
        return cls(
            id=SigningKey(new_kid(), "id", shared_material("id")),
            access=SigningKey(new_kid(), "access", shared_material("access")),
        )

    def for_use(self, token_use: TokenUse) -> SigningKey:
        return self.id if token_use == "id" else self.access

    def all(self) -> tuple[SigningKey, ...]:
        return tuple(self.for_use(use) for use in TOKEN_USES)


class KeyOwner(Protocol):
    """Anything holding lazily created pool keys (``UserPool`` has ``keys: PoolKeys | None``)."""

    keys: PoolKeys | None


_owners_lock = threading.Lock()


def pool_keys(owner: KeyOwner) -> PoolKeys:
    """``owner``'s keys, created and stored on the first call; racing threads get the same keys."""
    keys = owner.keys
    if keys is None:
        with _owners_lock:
            keys = owner.keys
            if keys is None:
                keys = owner.keys = PoolKeys.create()
    return keys


def jwks(keys: PoolKeys) -> dict[str, list[dict[str, str]]]:
    """The pool's ``/.well-known/jwks.json`` document."""
    return {"keys": [key.jwk() for key in keys.all()]}
