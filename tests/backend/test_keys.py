"""Pool signing keys: kid shapes, the JWKS document, and lazy, race-free creation."""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest

from pytest_cognito_mock.backend import keys
from pytest_cognito_mock.backend.keys import KeyMaterial, PoolKeys, jwks, pool_keys

T = TypeVar("T")

STANDARD_BASE64_44 = re.compile(r"[A-Za-z0-9+/]{43}=")
BASE64URL_UNPADDED = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class Owner:
    """Stands in for UserPool, which holds ``keys: PoolKeys | None = None``."""

    keys: PoolKeys | None = None


def b64url_int(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def race(threads: int, action: Callable[[], T]) -> list[T]:
    """Run ``action`` in ``threads`` threads released together; their results."""
    barrier = threading.Barrier(threads)
    results: list[T] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        result = action()
        with lock:
            results.append(result)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def test_kid_is_44_characters_of_standard_base64_over_32_bytes() -> None:
    kid = keys.new_kid()

    assert STANDARD_BASE64_44.fullmatch(kid)
    assert len(base64.b64decode(kid)) == 32


def test_a_pool_signs_id_and_access_tokens_with_different_rsa_keys_and_kids() -> None:
    pool = PoolKeys.create()

    assert pool.id.kid != pool.access.kid
    assert pool.id.material.n != pool.access.material.n
    assert (pool.id.token_use, pool.access.token_use) == ("id", "access")
    assert pool.for_use("id") is pool.id
    assert pool.for_use("access") is pool.access


def test_pools_share_key_material_but_never_kids() -> None:
    first, second = PoolKeys.create(), PoolKeys.create()

    # Sharing is deliberate: one RSA key per token use per process keeps pool creation free.
    assert first.id.material is second.id.material
    assert first.access.material is second.access.material
    kids = {first.id.kid, first.access.kid, second.id.kid, second.access.kid}
    assert len(kids) == 4


def test_pool_keys_are_created_on_first_need_and_then_kept() -> None:
    owner = Owner()

    created = pool_keys(owner)

    assert owner.keys is created
    assert pool_keys(owner) is created


def test_jwks_lists_the_id_key_then_the_access_key_in_cognito_shape() -> None:
    pool = PoolKeys.create()

    document = jwks(pool)

    assert list(document) == ["keys"]
    assert [key["kid"] for key in document["keys"]] == [pool.id.kid, pool.access.kid]
    for entry in document["keys"]:
        assert list(entry) == ["alg", "e", "kid", "kty", "n", "use"]
        assert (entry["alg"], entry["e"], entry["kty"], entry["use"]) == (
            "RS256",
            "AQAB",
            "RSA",
            "sig",
        )
        assert BASE64URL_UNPADDED.fullmatch(entry["n"])


@pytest.mark.parametrize("token_use", ["id", "access"])
def test_jwk_modulus_is_the_signing_keys_public_modulus(token_use: keys.TokenUse) -> None:
    key = PoolKeys.create().for_use(token_use)

    entry = key.jwk()

    numbers = key.material.private_key.public_key().public_numbers()
    assert b64url_int(entry["n"]) == numbers.n
    assert b64url_int(entry["e"]) == numbers.e == 65537
    assert numbers.n.bit_length() == 2048


def test_racing_threads_generate_each_shared_key_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "_materials", {})
    generated: list[KeyMaterial] = []
    real_generate = KeyMaterial.generate

    def counting_generate() -> KeyMaterial:
        material = real_generate()
        generated.append(material)
        return material

    monkeypatch.setattr(KeyMaterial, "generate", staticmethod(counting_generate))

    results = race(8, lambda: keys.shared_material("id"))

    assert len(generated) == 1
    assert all(result is generated[0] for result in results)


def test_racing_threads_give_one_pool_the_same_keys() -> None:
    owner = Owner()

    results = race(8, lambda: pool_keys(owner))

    assert owner.keys is not None
    assert all(result is owner.keys for result in results)
