"""ID and access JWTs, their verification, and opaque refresh tokens.

Signatures are checked with ``cryptography`` against the pool's JWKS, the way a service
verifying Cognito tokens would, so nothing here depends on a JWT library.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from freezegun import freeze_time

from pytest_cognito_mock.backend import keys, tokens
from pytest_cognito_mock.backend.keys import PoolKeys, jwks
from pytest_cognito_mock.backend.tokens import (
    Issuance,
    decode_access_token,
    decode_id_token,
    mint_access_token,
    mint_id_token,
    mint_refresh_token,
    mint_token_pair,
    refresh_token_id,
)

POOL_ID = "eu-west-1_zD4CSIZ6i"
CLIENT_ID = "6udtb0hvv8oa2r6b0lkchm2hnq"
SUB = "077a1c6f-313f-428f-8283-142adba18b7e"
FROZEN_EPOCH = 1704164645  # 2024-01-02 03:04:05 UTC

KEYS = PoolKeys.create()
OTHER_POOL_KEYS = PoolKeys.create()

ISSUANCE = Issuance(
    region="eu-west-1",
    pool_id=POOL_ID,
    client_id=CLIENT_ID,
    sub=SUB,
    username="alice",
    auth_time=1704160000,
    origin_jti="2749e652-e4d3-4ab0-8a2f-1e111486eb25",
    event_id="7a257043-1788-482f-ac87-150245049187",
)
ATTRIBUTES = {
    "sub": SUB,
    "email": "alice@example.com",
    "email_verified": "true",
    "phone_number": "+15555550100",
    "phone_number_verified": "false",
    "custom:tier": "7",
}

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
TOKEN_MODEL_PATTERN = re.compile(r"[A-Za-z0-9-_=.]+")


def lookup(pool_id: str) -> PoolKeys | None:
    return KEYS if pool_id == POOL_ID else None


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims of a JWT, unverified."""
    header, claims, _ = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(claims))


def verify_with_jwks(token: str, document: dict[str, list[dict[str, str]]]) -> bool:
    """Verify as a resource server would: the JWKS key named by the header's kid, RS256."""
    header_part, claims_part, signature_part = token.split(".")
    header = json.loads(b64url_decode(header_part))
    matching = [key for key in document["keys"] if key["kid"] == header["kid"]]
    if header["alg"] != "RS256" or len(matching) != 1:
        return False
    jwk = matching[0]
    public_numbers = RSAPublicNumbers(
        int.from_bytes(b64url_decode(jwk["e"]), "big"),
        int.from_bytes(b64url_decode(jwk["n"]), "big"),
    )
    try:
        public_numbers.public_key().verify(
            b64url_decode(signature_part),
            f"{header_part}.{claims_part}".encode("ascii"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature:
        return False
    return True


def id_token(**overrides: Any) -> str:
    arguments: dict[str, Any] = {"attributes": ATTRIBUTES, "lifetime": 3600} | overrides
    return mint_id_token(KEYS, ISSUANCE, **arguments)


def access_token(**overrides: Any) -> str:
    return mint_access_token(KEYS, ISSUANCE, **({"lifetime": 3600} | overrides))


# --- headers and signatures -------------------------------------------------------------------


def test_headers_name_the_kid_then_the_algorithm_and_nothing_else() -> None:
    for token, key in ((id_token(), KEYS.id), (access_token(), KEYS.access)):
        header_part = token.split(".")[0]

        assert b64url_decode(header_part) == f'{{"kid":"{key.kid}","alg":"RS256"}}'.encode()
        assert "=" not in token


def test_tokens_verify_against_the_pools_jwks() -> None:
    document = jwks(KEYS)

    assert verify_with_jwks(id_token(), document)
    assert verify_with_jwks(access_token(), document)


def test_tokens_do_not_verify_against_another_pools_jwks() -> None:
    assert not verify_with_jwks(access_token(), jwks(OTHER_POOL_KEYS))


def test_a_token_resigned_under_the_other_kid_does_not_verify() -> None:
    # The ID and access keys are different RSA keys: swapping the kid breaks the signature.
    token = id_token()
    _, claims_part, signature_part = token.split(".")
    swapped_header = base64.urlsafe_b64encode(
        f'{{"kid":"{KEYS.access.kid}","alg":"RS256"}}'.encode()
    ).rstrip(b"=")

    forged = f"{swapped_header.decode()}.{claims_part}.{signature_part}"

    assert not verify_with_jwks(forged, jwks(KEYS))


# --- claims -----------------------------------------------------------------------------------


@freeze_time("2024-01-02 03:04:05")
def test_id_token_claims_in_cognito_order_and_types() -> None:
    groups = Issuance(**{**ISSUANCE.__dict__, "groups": ("admins", "readers")})

    _, claims = parts(mint_id_token(KEYS, groups, attributes=ATTRIBUTES, lifetime=1800))

    assert list(claims) == [
        "sub",
        "cognito:groups",
        "email_verified",
        "phone_number_verified",
        "iss",
        "cognito:username",
        "origin_jti",
        "aud",
        "event_id",
        "token_use",
        "auth_time",
        "exp",
        "iat",
        "jti",
        "email",
        "phone_number",
        "custom:tier",
    ]
    assert claims["sub"] == SUB
    assert claims["cognito:groups"] == ["admins", "readers"]
    assert claims["email_verified"] is True
    assert claims["phone_number_verified"] is False
    assert claims["iss"] == f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
    assert claims["cognito:username"] == "alice"
    assert claims["aud"] == CLIENT_ID
    assert claims["token_use"] == "id"
    assert claims["origin_jti"] == ISSUANCE.origin_jti
    assert claims["event_id"] == ISSUANCE.event_id
    assert claims["auth_time"] == ISSUANCE.auth_time
    assert (claims["iat"], claims["exp"]) == (FROZEN_EPOCH, FROZEN_EPOCH + 1800)
    assert UUID.fullmatch(claims["jti"])
    assert claims["custom:tier"] == "7"
    assert claims["email"] == "alice@example.com"


@freeze_time("2024-01-02 03:04:05")
def test_access_token_claims_in_cognito_order_and_types() -> None:
    groups = Issuance(**{**ISSUANCE.__dict__, "groups": ("admins",)})
    device_key = "eu-west-1_b2ed4f4b-dd34-48ef-a3cd-e6e20df58219"

    _, claims = parts(mint_access_token(KEYS, groups, lifetime=300, device_key=device_key))

    assert claims == {
        "sub": SUB,
        "device_key": device_key,
        "cognito:groups": ["admins"],
        "iss": f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}",
        "client_id": CLIENT_ID,
        "origin_jti": ISSUANCE.origin_jti,
        "event_id": ISSUANCE.event_id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": ISSUANCE.auth_time,
        "exp": FROZEN_EPOCH + 300,
        "iat": FROZEN_EPOCH,
        "jti": claims["jti"],
        "username": "alice",
    }
    assert list(claims) == [
        "sub",
        "device_key",
        "cognito:groups",
        "iss",
        "client_id",
        "origin_jti",
        "event_id",
        "token_use",
        "scope",
        "auth_time",
        "exp",
        "iat",
        "jti",
        "username",
    ]
    assert UUID.fullmatch(claims["jti"])


def test_groups_and_device_key_are_omitted_when_absent() -> None:
    _, id_claims = parts(id_token(attributes={}))
    _, access_claims = parts(access_token())

    assert "cognito:groups" not in id_claims
    assert {"cognito:groups", "device_key"}.isdisjoint(access_claims)
    assert {"aud", "cognito:username"}.isdisjoint(access_claims)
    assert {"client_id", "username", "scope"}.isdisjoint(id_claims)


def test_the_sub_attribute_cannot_override_the_sub_claim() -> None:
    token = id_token(attributes={"sub": "someone-else", "email": "a@example.com"})

    raw_claims = b64url_decode(token.split(".")[1])
    assert raw_claims.count(b'"sub":') == 1
    assert parts(token)[1]["sub"] == SUB


def test_id_token_carries_group_roles_when_given() -> None:
    role = "arn:aws:iam::123456789012:role/admins"

    _, claims = parts(id_token(roles=[role], preferred_role=role))

    assert claims["cognito:roles"] == [role]
    assert claims["cognito:preferred_role"] == role


def test_attribute_values_outside_ascii_survive() -> None:
    claims = decode_id_token(id_token(attributes={"name": "Zoë 山田"}), lookup)

    assert claims is not None
    assert claims["name"] == "Zoë 山田"


def test_the_time_is_read_when_minting() -> None:
    with freeze_time("2024-01-02 03:04:05") as frozen:
        _, first = parts(access_token())
        frozen.tick(600)
        _, later = parts(access_token(lifetime=7200))

    assert (first["iat"], first["exp"]) == (FROZEN_EPOCH, FROZEN_EPOCH + 3600)
    assert (later["iat"], later["exp"]) == (FROZEN_EPOCH + 600, FROZEN_EPOCH + 600 + 7200)
    assert later["auth_time"] == first["auth_time"] == ISSUANCE.auth_time


def test_a_pair_shares_iat_origin_and_event_but_not_jti() -> None:
    pair = mint_token_pair(
        KEYS, ISSUANCE, attributes=ATTRIBUTES, id_lifetime=600, access_lifetime=900
    )

    (id_header, id_claims), (access_header, access_claims) = map(parts, pair)

    assert id_header["kid"] == KEYS.id.kid
    assert access_header["kid"] == KEYS.access.kid
    assert id_claims["iat"] == access_claims["iat"]
    assert id_claims["exp"] - id_claims["iat"] == 600
    assert access_claims["exp"] - access_claims["iat"] == 900
    assert id_claims["origin_jti"] == access_claims["origin_jti"]
    assert id_claims["event_id"] == access_claims["event_id"]
    assert id_claims["jti"] != access_claims["jti"]


# --- decoding ---------------------------------------------------------------------------------


def test_decode_returns_the_claims_of_genuine_tokens() -> None:
    access, identity = access_token(), id_token()

    assert decode_access_token(access, lookup) == parts(access)[1]
    assert decode_id_token(identity, lookup) == parts(identity)[1]


def test_decode_does_not_check_expiry() -> None:
    with freeze_time("2001-01-01"):
        token = access_token(lifetime=300)

    claims = decode_access_token(token, lookup)

    assert claims is not None
    assert claims["exp"] < FROZEN_EPOCH


def test_decode_refuses_a_token_of_the_other_use() -> None:
    assert decode_access_token(id_token(), lookup) is None
    assert decode_id_token(access_token(), lookup) is None


def test_decode_refuses_a_token_of_an_unknown_or_different_pool() -> None:
    token = access_token()

    assert decode_access_token(token, lambda pool_id: None) is None
    assert decode_access_token(token, lambda pool_id: OTHER_POOL_KEYS) is None


def test_decode_refuses_tampered_claims() -> None:
    header_part, _, signature_part = access_token().split(".")
    claims = parts(access_token())[1] | {"username": "mallory"}
    forged_claims = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    assert decode_access_token(f"{header_part}.{forged_claims}.{signature_part}", lookup) is None


def test_decode_refuses_a_tampered_signature() -> None:
    header_part, claims_part, signature_part = access_token().split(".")
    flipped = "A" if signature_part[10] != "A" else "B"
    signature = signature_part[:10] + flipped + signature_part[11:]

    assert decode_access_token(f"{header_part}.{claims_part}.{signature}", lookup) is None


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not a token",
        "a.b.c",
        "a.b",
        "eyJ9.eyJ9.eyJ9",
        "W10.W10.AAAA",  # JSON arrays instead of objects
        "e30.e30.",  # empty objects, empty signature
        "eyJraWQiOiJ4IiwiYWxnIjoibm9uZSJ9.e30.",  # alg none
        "a.b.c.d.e",
        "!!!.???.***",
    ],
)
def test_decode_returns_none_for_garbage(garbage: str) -> None:
    assert decode_access_token(garbage, lookup) is None
    assert decode_id_token(garbage, lookup) is None


def test_decode_returns_none_for_a_signature_in_the_wrong_alphabet() -> None:
    header_part, claims_part, signature_part = access_token().split(".")

    padded = f"{header_part}.{claims_part}.{signature_part}=="

    assert decode_access_token(padded, lookup) is None


# --- refresh tokens ---------------------------------------------------------------------------


def test_refresh_token_looks_like_cognitos_jwe() -> None:
    token = mint_refresh_token("record-1")

    assert token.startswith("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.")
    assert len(token.split(".")) == 5
    assert 1700 <= len(token) <= 2000
    assert TOKEN_MODEL_PATTERN.fullmatch(token)
    assert json.loads(b64url_decode(token.split(".")[0])) == {
        "cty": "JWT",
        "enc": "A256GCM",
        "alg": "RSA-OAEP",
    }


@pytest.mark.parametrize(
    "record_id", ["record-1", "2749e652-e4d3-4ab0-8a2f-1e111486eb25", "é/☃", ""]
)
def test_refresh_token_maps_back_to_its_record(record_id: str) -> None:
    assert refresh_token_id(mint_refresh_token(record_id)) == record_id


def test_refresh_tokens_for_one_record_differ_and_hide_the_id() -> None:
    first, second = mint_refresh_token("record-1"), mint_refresh_token("record-1")

    assert first != second
    assert b"record-1" not in b"".join(b64url_decode(part) for part in first.split("."))


def test_refresh_token_record_id_has_a_limit() -> None:
    with pytest.raises(ValueError, match="too long"):
        mint_refresh_token("x" * 2000)


def tampered(token: str, index: int) -> str:
    pieces = token.split(".")
    piece = pieces[index]
    pieces[index] = piece[:5] + ("A" if piece[5] != "A" else "B") + piece[6:]
    return ".".join(pieces)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "garbage",
        "a.b.c.d.e",
        "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d",
        "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ....",
        "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.!.!.!.!",
    ],
)
def test_refresh_token_id_is_none_for_garbage(garbage: str) -> None:
    assert refresh_token_id(garbage) is None


@pytest.mark.parametrize("index", [2, 3, 4])
def test_refresh_token_id_is_none_for_a_tampered_token(index: int) -> None:
    assert refresh_token_id(tampered(mint_refresh_token("record-1"), index)) is None


def test_refresh_token_id_is_none_for_an_access_token() -> None:
    assert refresh_token_id(access_token()) is None


def test_refresh_token_from_another_process_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    # Another process has its own key: simulate one by minting under a different key.
    monkeypatch.setattr(tokens, "_refresh_cipher", AESGCM(AESGCM.generate_key(bit_length=256)))
    foreign = mint_refresh_token("record-1")
    monkeypatch.undo()

    assert refresh_token_id(foreign) is None


# --- dependencies -----------------------------------------------------------------------------


@pytest.mark.parametrize("module", [keys, tokens])
def test_token_modules_need_only_the_standard_library_and_cryptography(module: Any) -> None:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }

    third_party = {name.split(".")[0] for name in imported} - set(sys.stdlib_module_names)

    assert third_party == {"cryptography"}
