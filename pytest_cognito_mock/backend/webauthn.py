"""Reading and checking WebAuthn responses with python-fido2 (Yubico's maintained library).

This is the only backend module that touches the library: it turns a RegistrationResponseJSON
or an AuthenticationResponseJSON (the browser's ``PublicKeyCredential.toJSON()``) into plain
facts (the client data, the authenticator data's flags and counter, the credential's COSE key),
verifies attestation statements and assertion signatures, and nothing else. Which fact makes
which Cognito error is the business of :mod:`.passkeys`. No CBOR or COSE is written by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from fido2 import cbor
from fido2.attestation.base import Attestation
from fido2.cose import CoseKey
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AuthenticationResponse,
    CollectedClientData,
    RegistrationResponse,
)

CREATE = "webauthn.create"
GET = "webauthn.get"
PUBLIC_KEY = "public-key"
#: authenticatorAttachment values WebAuthn defines; anything else is not stored.
ATTACHMENTS = ("platform", "cross-platform")


class MalformedCredential(ValueError):
    """The response is not a WebAuthn response this module can read."""


@dataclass(frozen=True)
class ClientData:
    """The members of clientDataJSON the checks use."""

    type: str
    challenge: bytes
    origin: str


@dataclass(frozen=True)
class Registration:
    """A RegistrationResponseJSON, read (nothing about it checked yet but its form)."""

    credential_id: str  # base64url, no padding: the credential's ``id``
    client_data: ClientData
    rp_id_hash: bytes
    user_present: bool
    user_verified: bool
    sign_count: int
    algorithm: int | None
    #: The credential's public key as a COSE_Key (CBOR).
    public_key: bytes
    #: Whether the attestation statement verifies (``none``, ``packed``, ``fido-u2f``, ``tpm``,
    #: ``apple``, ``android-key``...: whatever fido2 knows); trust in its certificates is not
    #: asked for, as Cognito requests no attestation.
    attestation_verifies: bool
    transports: tuple[str, ...]
    attachment: str | None


@dataclass(frozen=True)
class Assertion:
    """An AuthenticationResponseJSON, read (nothing about it checked yet but its form)."""

    credential_id: str  # base64url, no padding
    client_data: ClientData
    rp_id_hash: bytes
    user_present: bool
    user_verified: bool
    sign_count: int
    user_handle: bytes | None
    #: authenticatorData ‖ SHA-256(clientDataJSON): what the signature covers.
    signed_data: bytes
    signature: bytes


def rp_id_hash(rp_id: str) -> bytes:
    return hashlib.sha256(rp_id.encode("utf-8")).digest()


def encode(data: bytes) -> str:
    """base64url without padding, as WebAuthn's JSON forms write bytes."""
    return websafe_encode(data)


def read_registration(credential: object) -> Registration:
    """Read a RegistrationResponseJSON; :class:`MalformedCredential` if it is not one."""
    if not isinstance(credential, Mapping) or credential.get("type") != PUBLIC_KEY:
        raise MalformedCredential("not a public-key credential")
    response = credential.get("response")
    try:
        parsed = RegistrationResponse.from_dict(credential)
        attestation = parsed.response.attestation_object
        client_data = _client_data(parsed.response.client_data)
    except MalformedCredential:
        raise
    except Exception as error:
        # The bytes come from the caller and pass through the library's CBOR, base64 and
        # dataclass parsing, whose exceptions (ValueError, KeyError, TypeError, struct.error,
        # IndexError...) are not part of its contract: any of them means "not readable".
        raise MalformedCredential(str(error)) from error
    auth_data = attestation.auth_data
    attested = auth_data.credential_data
    if attested is None or attested.credential_id != parsed.raw_id:
        raise MalformedCredential("no attested credential data for this credential id")
    algorithm = attested.public_key.get(3)
    return Registration(
        credential_id=encode(parsed.raw_id),
        client_data=client_data,
        rp_id_hash=auth_data.rp_id_hash,
        user_present=auth_data.is_user_present(),
        user_verified=auth_data.is_user_verified(),
        sign_count=auth_data.counter,
        algorithm=algorithm if isinstance(algorithm, int) else None,
        public_key=cbor.encode(dict(attested.public_key)),
        attestation_verifies=_attestation_verifies(attestation, parsed.response.client_data.hash),
        transports=_transports(response),
        attachment=_attachment(credential.get("authenticatorAttachment")),
    )


def read_assertion(credential: object) -> Assertion:
    """Read an AuthenticationResponseJSON; :class:`MalformedCredential` if it is not one."""
    if not isinstance(credential, Mapping) or credential.get("type") != PUBLIC_KEY:
        raise MalformedCredential("not a public-key credential")
    try:
        parsed = AuthenticationResponse.from_dict(credential)
        response = parsed.response
        client_data = _client_data(response.client_data)
        auth_data = response.authenticator_data
        signed_data = bytes(auth_data) + response.client_data.hash
    except MalformedCredential:
        raise
    except Exception as error:  # as in read_registration: any parsing failure
        raise MalformedCredential(str(error)) from error
    return Assertion(
        credential_id=encode(parsed.raw_id),
        client_data=client_data,
        rp_id_hash=auth_data.rp_id_hash,
        user_present=auth_data.is_user_present(),
        user_verified=auth_data.is_user_verified(),
        sign_count=auth_data.counter,
        user_handle=response.user_handle,
        signed_data=signed_data,
        signature=response.signature,
    )


def signature_verifies(public_key: bytes, signed_data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` over ``signed_data`` verifies with the COSE key ``public_key``."""
    try:
        CoseKey.parse(cast(Mapping[int, Any], cbor.decode(public_key))).verify(
            signed_data, signature
        )
    except Exception:
        # cryptography's InvalidSignature, or a key or signature the library cannot use.
        return False
    return True


def _client_data(collected: CollectedClientData) -> ClientData:
    if not isinstance(collected.type, str) or not isinstance(collected.origin, str):
        raise MalformedCredential("clientDataJSON lacks a type or an origin")
    return ClientData(collected.type, collected.challenge, collected.origin)


def _attestation_verifies(attestation: AttestationObject, client_data_hash: bytes) -> bool:
    verifier = Attestation.for_type(attestation.fmt)()
    try:
        verifier.verify(attestation.att_stmt, attestation.auth_data, client_data_hash)
    except Exception:
        # InvalidAttestation or UnsupportedType, or a statement too broken to be read.
        return False
    return True


def _transports(response: Any) -> tuple[str, ...]:
    given = response.get("transports") if isinstance(response, Mapping) else None
    if not isinstance(given, list):
        return ()
    return tuple(t for t in given if isinstance(t, str))


def _attachment(given: object) -> str | None:
    return given if isinstance(given, str) and given in ATTACHMENTS else None
