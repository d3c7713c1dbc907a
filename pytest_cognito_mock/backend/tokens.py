"""Cognito's tokens: RS256-signed ID and access JWTs, and opaque refresh tokens.

ID and access tokens carry the claims real Cognito puts in API-issued tokens, in the order real
tokens show them. They are signed with the pool's keys (:mod:`.keys`) so that code under test can
verify them against the pool's JWKS exactly as it would in production.

Refresh tokens look like Cognito's (a JWE in compact form with the same protected header, about
1.7 kB) but only carry the id of the mock's own record of the token. The payload is really
encrypted, with AES-GCM under a key that lives only in this process: the tag makes any token this
process did not mint recognisable, and the record id stays unreadable to code under test.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import clock, ids
from .keys import PoolKeys, SigningKey, TokenUse, b64url

#: The scope of every token issued through the API (OAuth scopes belong to the hosted UI).
API_SCOPE = "aws.cognito.signin.user.admin"

#: User attributes that Cognito stores as "true"/"false" but writes into ID tokens as booleans.
BOOLEAN_ATTRIBUTES = ("email_verified", "phone_number_verified")

#: Claims a pre token generation trigger can neither add, override nor suppress: the ones AWS
#: documents as reserved, and the group claims, which only ``groupOverrideDetails`` changes.
_GROUP_CLAIMS = frozenset({"cognito:groups", "cognito:roles", "cognito:preferred_role"})
RESERVED_ID_CLAIMS = _GROUP_CLAIMS | frozenset(
    {"acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat"}
    | {"identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use"}
)
#: The access token also keeps who it is for and what it grants (scopes change only through
#: ``scopesToAdd``/``scopesToSuppress``).
RESERVED_ACCESS_CLAIMS = RESERVED_ID_CLAIMS | frozenset(
    {"client_id", "device_key", "scope", "username", "version"}
)


def issuer(region: str, pool_id: str) -> str:
    """The ``iss`` claim of a pool's tokens."""
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def new_jti() -> str:
    return ids.uuid4()


@dataclass(frozen=True)
class Issuance:
    """What one sign-in (or one refresh of it) stamps into both tokens of a pair.

    ``auth_time`` is the original authentication, kept across refreshes; ``origin_jti`` ties
    the pair to its refresh token family (revoking the refresh token revokes them);
    ``event_id`` is shared by the ID and the access token of one issuance.
    """

    region: str
    pool_id: str
    client_id: str
    sub: str
    #: The internal username (the ``sub`` in pools that sign in with email or phone).
    username: str
    auth_time: int
    origin_jti: str
    event_id: str
    groups: tuple[str, ...] = field(default=())
    #: The OAuth 2.0 scopes granted through the hosted endpoints; None for API sign-ins,
    #: whose access token carries the API scope only.
    scopes: tuple[str, ...] | None = None
    #: The ``nonce`` of the authorization request, copied into the ID token.
    nonce: str | None = None


class TokenPair(NamedTuple):
    id_token: str
    access_token: str


@dataclass(frozen=True)
class ClaimOverrides:
    """Claims a pre token generation trigger adds, overrides or suppresses in one token.

    Reserved claims are left alone (see :data:`RESERVED_ID_CLAIMS`); a claim both overridden
    and suppressed is suppressed, as AWS documents.
    """

    add_or_override: Mapping[str, Any] = field(default_factory=dict)
    suppress: frozenset[str] = frozenset()

    def apply(self, claims: dict[str, Any], reserved: frozenset[str]) -> None:
        for name, value in self.add_or_override.items():
            if name not in reserved:
                claims[name] = value
        for name in self.suppress:
            if name not in reserved:
                claims.pop(name, None)


# --- minting ----------------------------------------------------------------------------------


#: Compact JSON, made once: json.dumps builds a new encoder whenever options are given.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def _json_b64(value: Mapping[str, Any]) -> str:
    return b64url(_COMPACT_JSON.encode(value).encode("utf-8"))


def _sign(key: SigningKey, claims: Mapping[str, Any]) -> str:
    signing_input = f"{key.jws_header}.{_json_b64(claims)}"
    signature = key.material.private_key.sign(
        signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
    )
    return f"{signing_input}.{b64url(signature)}"


def _id_claims(
    issuance: Issuance,
    attributes: Mapping[str, str],
    issued_at: int,
    lifetime: int,
    roles: Sequence[str],
    preferred_role: str | None,
    overrides: ClaimOverrides | None = None,
    at_hash: str | None = None,
) -> dict[str, Any]:
    claims: dict[str, Any] = {"at_hash": at_hash} if at_hash is not None else {}
    claims["sub"] = issuance.sub
    if issuance.groups:
        claims["cognito:groups"] = list(issuance.groups)
    for name in BOOLEAN_ATTRIBUTES:
        if name in attributes:
            claims[name] = attributes[name].lower() == "true"
    if preferred_role is not None:
        claims["cognito:preferred_role"] = preferred_role
    claims["iss"] = issuer(issuance.region, issuance.pool_id)
    claims["cognito:username"] = issuance.username
    claims["origin_jti"] = issuance.origin_jti
    if roles:
        claims["cognito:roles"] = list(roles)
    claims["aud"] = issuance.client_id
    if issuance.nonce is not None:
        claims["nonce"] = issuance.nonce
    claims.update(
        event_id=issuance.event_id,
        token_use="id",
        auth_time=issuance.auth_time,
        exp=issued_at + lifetime,
        iat=issued_at,
        jti=new_jti(),
    )
    if "identities" in attributes:
        claims["identities"] = identities_claim(attributes["identities"])
    # Custom attributes go in as strings too, as Cognito documents; they follow the fixed claims.
    for name, value in attributes.items():
        if name not in claims and name not in BOOLEAN_ATTRIBUTES:
            claims[name] = value
    if overrides is not None:
        overrides.apply(claims, RESERVED_ID_CLAIMS)
    return claims


def identities_claim(stored: str) -> list[dict[str, Any]]:
    """A federated user's ``identities`` attribute (a JSON string) as its ID-token claim: the
    array itself, with ``primary`` and ``dateCreated`` as strings, as Cognito writes them."""
    try:
        entries = json.loads(stored)
    except ValueError:
        return []
    if not isinstance(entries, list):
        return []
    claim = []
    for entry in entries:
        if isinstance(entry, dict):
            shown = dict(entry)
            for name in ("primary", "dateCreated"):
                if name in shown:
                    value = shown[name]
                    shown[name] = str(value).lower() if isinstance(value, bool) else str(value)
            claim.append(shown)
    return claim


def _access_claims(
    issuance: Issuance,
    issued_at: int,
    lifetime: int,
    device_key: str | None,
    scopes: Sequence[str] | None = None,
    overrides: ClaimOverrides | None = None,
) -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": issuance.sub}
    if device_key is not None:
        claims["device_key"] = device_key
    if issuance.groups:
        claims["cognito:groups"] = list(issuance.groups)
    claims["iss"] = issuer(issuance.region, issuance.pool_id)
    if issuance.scopes is not None:
        claims["version"] = 2  # tokens of the OAuth 2.0 endpoints say which format they are
    if scopes is None:
        scopes = issuance.scopes if issuance.scopes is not None else (API_SCOPE,)
    claims.update(
        client_id=issuance.client_id,
        origin_jti=issuance.origin_jti,
        event_id=issuance.event_id,
        token_use="access",
        scope=" ".join(scopes),
        auth_time=issuance.auth_time,
        exp=issued_at + lifetime,
        iat=issued_at,
        jti=new_jti(),
        username=issuance.username,
    )
    if not claims["scope"]:
        del claims["scope"]  # every scope suppressed
    if overrides is not None:
        overrides.apply(claims, RESERVED_ACCESS_CLAIMS)
    return claims


def mint_id_token(
    keys: PoolKeys,
    issuance: Issuance,
    *,
    attributes: Mapping[str, str],
    lifetime: int,
    roles: Sequence[str] = (),
    preferred_role: str | None = None,
) -> str:
    """An ID token issued now, valid ``lifetime`` seconds.

    ``attributes`` are the user attributes the app client may read (the caller filters them);
    ``sub`` among them is ignored, the issuance's ``sub`` is the claim. ``roles`` and
    ``preferred_role`` are the IAM roles of the user's groups, when they have any.
    """
    issued_at = int(clock.now())
    claims = _id_claims(issuance, attributes, issued_at, lifetime, roles, preferred_role)
    return _sign(keys.id, claims)


def mint_access_token(
    keys: PoolKeys, issuance: Issuance, *, lifetime: int, device_key: str | None = None
) -> str:
    """An access token issued now, valid ``lifetime`` seconds; ``device_key`` when tracked."""
    issued_at = int(clock.now())
    return _sign(keys.access, _access_claims(issuance, issued_at, lifetime, device_key))


def mint_token_pair(
    keys: PoolKeys,
    issuance: Issuance,
    *,
    attributes: Mapping[str, str],
    id_lifetime: int,
    access_lifetime: int,
    device_key: str | None = None,
    roles: Sequence[str] = (),
    preferred_role: str | None = None,
    id_overrides: ClaimOverrides | None = None,
    access_overrides: ClaimOverrides | None = None,
    scopes: Sequence[str] | None = None,
) -> TokenPair:
    """The ID and access token of one issuance, sharing one ``iat`` as real pairs do.

    ``id_overrides``/``access_overrides`` and ``scopes`` (the access token's ``scope``, default
    the API scope) are what a pre token generation trigger asked for.
    """
    id_token, access_token = mint_tokens(
        keys,
        issuance,
        attributes=attributes,
        id_lifetime=id_lifetime,
        access_lifetime=access_lifetime,
        with_id_token=True,
        device_key=device_key,
        roles=roles,
        preferred_role=preferred_role,
        id_overrides=id_overrides,
        access_overrides=access_overrides,
        scopes=scopes,
    )
    assert id_token is not None
    return TokenPair(id_token, access_token)


def mint_tokens(
    keys: PoolKeys,
    issuance: Issuance,
    *,
    attributes: Mapping[str, str],
    id_lifetime: int,
    access_lifetime: int,
    with_id_token: bool,
    device_key: str | None = None,
    roles: Sequence[str] = (),
    preferred_role: str | None = None,
    id_overrides: ClaimOverrides | None = None,
    access_overrides: ClaimOverrides | None = None,
    scopes: Sequence[str] | None = None,
) -> tuple[str | None, str]:
    """(ID token or None, access token) of one issuance, sharing one ``iat``.

    For the OAuth 2.0 endpoints (``issuance.scopes`` set) the access token carries the granted
    scopes and the ID token, minted only ``with_id_token`` (the ``openid`` scope), the access
    token's ``at_hash`` and the request's ``nonce``; API-issued ID tokens have no ``at_hash``.
    """
    issued_at = int(clock.now())
    access_claims = _access_claims(
        issuance, issued_at, access_lifetime, device_key, scopes, access_overrides
    )
    access_token = _sign(keys.access, access_claims)
    if not with_id_token:
        return None, access_token
    id_claims = _id_claims(
        issuance,
        attributes,
        issued_at,
        id_lifetime,
        roles,
        preferred_role,
        id_overrides,
        at_hash=access_token_hash(access_token) if issuance.scopes is not None else None,
    )
    return _sign(keys.id, id_claims), access_token


def access_token_hash(access_token: str) -> str:
    """OpenID Connect's ``at_hash``: the left half of the token's SHA-256, base64url."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return b64url(digest[: len(digest) // 2])


def mint_client_token(
    keys: PoolKeys,
    *,
    region: str,
    pool_id: str,
    client_id: str,
    scopes: Sequence[str],
    lifetime: int,
    overrides: ClaimOverrides | None = None,
) -> str:
    """A machine-to-machine access token (the client_credentials grant): its subject is the
    app client itself, so there is no username, group or origin claim."""
    issued_at = int(clock.now())
    claims: dict[str, Any] = {
        "sub": client_id,
        "token_use": "access",
        "scope": " ".join(scopes),
        "auth_time": issued_at,
        "iss": issuer(region, pool_id),
        "exp": issued_at + lifetime,
        "iat": issued_at,
        "version": 2,
        "jti": new_jti(),
        "client_id": client_id,
    }
    if not claims["scope"]:
        del claims["scope"]
    if overrides is not None:
        overrides.apply(claims, RESERVED_ACCESS_CLAIMS)
    return _sign(keys.access, claims)


def mint_derived_token(
    keys: PoolKeys,
    issuance: Issuance,
    *,
    token_use: TokenUse,
    lifetime: int,
    attributes: Mapping[str, str],
    audience: str | None,
    act: Mapping[str, Any] | None,
    roles: Sequence[str] = (),
    preferred_role: str | None = None,
) -> str:
    """GetDerivedToken's issued token (RFC 8693): an ordinary access or ID token of the
    ``issuance`` (its ``scopes`` are the granted ones), bound to ``audience`` when one was asked
    for and naming the actor in ``act`` for a delegation."""
    issued_at = int(clock.now())
    if token_use == "access":
        claims = _access_claims(issuance, issued_at, lifetime, None)
    else:
        claims = _id_claims(issuance, attributes, issued_at, lifetime, roles, preferred_role)
    if audience is not None:
        claims["aud"] = audience
    if act is not None:
        claims["act"] = dict(act)
    return _sign(keys.for_use(token_use), claims)


# --- verifying --------------------------------------------------------------------------------

#: The base64url alphabet: what a strict decode accepts (no padding).
_B64URL_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_ISSUER = re.compile(r"https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/([\w-]+)")

#: Finds a pool's keys by pool id; None when the pool does not exist (any more).
KeysLookup = Callable[[str], PoolKeys | None]


#: The URL-safe alphabet's two symbols back to standard base64's.
_FROM_URL_SAFE = bytes.maketrans(b"-_", b"+/")


def _b64url_decode(part: str) -> bytes:
    """Strict base64url (no padding, URL alphabet only); ValueError otherwise."""
    raw = part.encode("ascii")  # UnicodeEncodeError is a ValueError
    if raw.translate(None, _B64URL_ALPHABET):  # what is left is outside the alphabet
        raise ValueError("not base64url")
    padded = (raw + b"=" * (-len(raw) % 4)).translate(_FROM_URL_SAFE)
    return binascii.a2b_base64(padded)  # binascii.Error is a ValueError


def _json_object(part: str) -> dict[str, Any] | None:
    try:
        value = json.loads(_b64url_decode(part))
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def decode_token(token: str, lookup: KeysLookup, token_use: TokenUse) -> dict[str, Any] | None:
    """The claims of a ``token_use`` token signed by its pool's key; None for anything else.

    The pool is the one named by the token's ``iss``; ``lookup`` maps its id to the pool's keys.
    Expiry is not checked: callers decide what an expired token means to them.
    """
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    header, claims = _json_object(parts[0]), _json_object(parts[1])
    if header is None or claims is None or header.get("alg") != "RS256":
        return None
    match = _ISSUER.fullmatch(str(claims.get("iss")))
    keys = lookup(match.group(1)) if match else None
    if keys is None:
        return None
    key = keys.for_use(token_use)
    if header.get("kid") != key.kid or claims.get("token_use") != token_use:
        return None
    try:
        signature = _b64url_decode(parts[2])
        key.material.public_key.verify(
            signature, f"{parts[0]}.{parts[1]}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
        )
    except (ValueError, InvalidSignature):
        return None
    return claims


def decode_access_token(token: str, lookup: KeysLookup) -> dict[str, Any] | None:
    """The claims of a genuine access token of an existing pool, else None (no expiry check)."""
    return decode_token(token, lookup, "access")


def decode_id_token(token: str, lookup: KeysLookup) -> dict[str, Any] | None:
    """The claims of a genuine ID token of an existing pool, else None (no expiry check)."""
    return decode_token(token, lookup, "id")


# --- refresh tokens ---------------------------------------------------------------------------

#: base64url of ``{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}``, which every real refresh
#: token starts with.
REFRESH_TOKEN_HEADER = b64url(b'{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}')

# Sizes of a real RSA-OAEP/A256GCM JWE: a 2048-bit wrapped key, a 96-bit IV, a 128-bit tag. The
# plaintext size brings the whole token to about 1.76 kB, like real ones.
_WRAPPED_KEY_BYTES = 256
_IV_BYTES = 12
_PLAINTEXT_BYTES = 990
_LENGTH_PREFIX = struct.Struct(">H")

# Lives and dies with the process: tokens from another process (or made up) fail the GCM tag.
_refresh_cipher = AESGCM(AESGCM.generate_key(bit_length=256))


def mint_refresh_token(record_id: str) -> str:
    """An opaque refresh token standing for the mock's record ``record_id``."""
    encoded = record_id.encode("utf-8")
    if len(encoded) > _PLAINTEXT_BYTES - _LENGTH_PREFIX.size:
        raise ValueError("refresh token record id too long")
    plaintext = (_LENGTH_PREFIX.pack(len(encoded)) + encoded).ljust(_PLAINTEXT_BYTES, b"\0")
    iv = ids.random_bytes(_IV_BYTES)
    sealed = _refresh_cipher.encrypt(iv, plaintext, REFRESH_TOKEN_HEADER.encode("ascii"))
    ciphertext, tag = sealed[:-16], sealed[-16:]
    # The wrapped-key part is random: there is no content key to wrap, only the look of one.
    parts = (REFRESH_TOKEN_HEADER, b64url(ids.random_bytes(_WRAPPED_KEY_BYTES)), b64url(iv))
    return ".".join((*parts, b64url(ciphertext), b64url(tag)))


def refresh_token_id(token: str) -> str | None:
    """The record id inside a refresh token this process minted; None for any other string."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 5 or parts[0] != REFRESH_TOKEN_HEADER:
        return None
    try:
        iv, ciphertext, tag = (_b64url_decode(part) for part in parts[2:])
        if len(iv) != _IV_BYTES:
            return None
        plaintext = _refresh_cipher.decrypt(iv, ciphertext + tag, parts[0].encode("ascii"))
        (length,) = _LENGTH_PREFIX.unpack_from(plaintext)
        return plaintext[_LENGTH_PREFIX.size : _LENGTH_PREFIX.size + length].decode("utf-8")
    except (ValueError, InvalidTag, struct.error):
        return None
