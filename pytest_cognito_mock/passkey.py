"""A software authenticator for tests: what a browser's ``navigator.credentials`` answers.

``cognito_mock.passkey()`` returns a :class:`SoftwarePasskey`. Give its ``create`` the
``CredentialCreationOptions`` of StartWebAuthnRegistration and pass what it returns to
CompleteWebAuthnRegistration as ``Credential``; give its ``get`` the
``CREDENTIAL_REQUEST_OPTIONS`` of a ``WEB_AUTHN`` challenge and answer with what it returns as
``CREDENTIAL``. It keeps the credentials it made (resident keys, as passkeys are), so one
authenticator registers and later signs in.

The authenticator data, attestation objects, client data and COSE keys are built with
python-fido2, and the keys are made and used with ``cryptography``; the responses are the
WebAuthn Level 3 JSON forms (``PublicKeyCredential.toJSON()``), so any WebAuthn server library
accepts them. Its attributes make it misbehave on purpose, to test refusals: another origin or
relying party, a tampered signature, a signature counter that does not increase, no user
verification, an algorithm the relying party does not take.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from fido2.cose import ES256, RS256, CoseKey, EdDSA
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from .errors import PasskeyError

__all__ = ["PasskeyError", "SoftwareCredential", "SoftwarePasskey"]

_PrivateKey: TypeAlias = (
    "ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey"
)

#: COSE algorithms the authenticator can make keys for: ES256, RS256 and EdDSA (Ed25519).
SUPPORTED_ALGORITHMS = (-7, -257, -8)
#: The AAGUID it reports: all zeros, as authenticators that do not identify themselves do.
AAGUID = Aaguid.NONE
_FLAG = AuthenticatorData.FLAG


@dataclass
class SoftwareCredential:
    """A credential the authenticator holds (a resident key)."""

    credential_id: str  # base64url, as the response's ``id``
    rp_id: str
    #: The ``user.id`` of the creation options (Cognito's: the user's ``sub``).
    user_handle: bytes
    algorithm: int
    sign_count: int
    private_key: _PrivateKey = field(repr=False)


class SoftwarePasskey:
    """A software authenticator answering as a browser's ``navigator.credentials`` would.

    Every argument is also an attribute a test may change between calls (register well, then
    sign in with ``tamper = True``, say).

    :param origin: the origin of the page calling it, written into ``clientDataJSON``;
        default ``https://<rp id>`` of the options.
    :param rp_id: hash this relying party id into the authenticator data instead of the one in
        the options (a credential for another relying party).
    :param algorithm: the COSE algorithm of new keys: ``-7`` (ES256), ``-257`` (RS256) or ``-8``
        (EdDSA, which Cognito does not take). Default: the first of the options'
        ``pubKeyCredParams`` it supports.
    :param attachment: ``authenticatorAttachment``: ``"platform"``, ``"cross-platform"`` or None.
    :param transports: the ``transports`` reported at registration.
    :param user_present: set the user-present (UP) flag (every real authenticator does).
    :param user_verified: set the user-verified (UV) flag.
    :param sign_count: None: a signature counter that starts at 0 and grows by one with every
        sign-in; an int: report this value every time (0 is what passkeys that keep no counter
        report; any other value is a counter that does not increase, as a replay shows).
    :param tamper: flip a bit of every signature it makes (assertions, packed attestations).
    :param attestation: ``"none"`` (what browsers send when, as Cognito does, the relying party
        asks for no attestation) or ``"packed"`` (self attestation).
    """

    def __init__(
        self,
        origin: str | None = None,
        *,
        rp_id: str | None = None,
        algorithm: int | None = None,
        attachment: Literal["platform", "cross-platform"] | None = "cross-platform",
        transports: Sequence[str] = ("usb",),
        user_present: bool = True,
        user_verified: bool = True,
        sign_count: int | None = None,
        tamper: bool = False,
        attestation: Literal["none", "packed"] = "none",
    ) -> None:
        if algorithm is not None and algorithm not in SUPPORTED_ALGORITHMS:
            raise ValueError(
                f"algorithm must be one of {SUPPORTED_ALGORITHMS} (COSE), got {algorithm!r}"
            )
        self.origin = origin
        self.rp_id = rp_id
        self.algorithm = algorithm
        self.attachment = attachment
        self.transports = tuple(transports)
        self.user_present = user_present
        self.user_verified = user_verified
        self.sign_count = sign_count
        self.tamper = tamper
        self.attestation = attestation
        #: The credentials it holds, oldest first.
        self.credentials: list[SoftwareCredential] = []

    def __repr__(self) -> str:
        return f"<SoftwarePasskey with {len(self.credentials)} credential(s)>"

    # -- navigator.credentials.create --------------------------------------------------------

    def create(self, creation_options: Mapping[str, Any]) -> dict[str, Any]:
        """Make a credential for ``creation_options`` (StartWebAuthnRegistration's
        ``CredentialCreationOptions``, or ``{"publicKey": ...}`` around them) and return the
        RegistrationResponseJSON: ``id``, ``rawId``, ``type``, ``response`` (``clientDataJSON``,
        ``attestationObject``, ``transports``, ``authenticatorData``, ``publicKey``,
        ``publicKeyAlgorithm``), ``authenticatorAttachment``, ``clientExtensionResults``.

        Raises :class:`PasskeyError` ``InvalidStateError`` when it already holds a credential
        the options exclude, and ``NotSupportedError`` when it supports none of their
        algorithms, as a browser rejects the call.
        """
        options = _public_key(creation_options)
        rp_id = str(options["rp"]["id"])
        excluded = {str(c.get("id")) for c in options.get("excludeCredentials") or ()}
        held = [c.credential_id for c in self.credentials if c.rp_id == rp_id]
        if excluded.intersection(held):
            raise PasskeyError(
                "InvalidStateError",
                f"the authenticator already holds a credential for {rp_id} that the options "
                "exclude (excludeCredentials): the user has registered this passkey",
            )
        algorithm = self._algorithm_for(options)
        private_key = _new_key(algorithm)
        raw_id = self._new_credential_id()
        sign_count = 0 if self.sign_count is None else self.sign_count
        cose_key = _cose_key(algorithm, private_key)
        auth_data = AuthenticatorData.create(
            _sha256(self.rp_id or rp_id),
            self._flags() | _FLAG.AT,
            sign_count,
            AttestedCredentialData.create(AAGUID, raw_id, cose_key),
        )
        client_data = CollectedClientData.create(
            type=CollectedClientData.TYPE.CREATE.value,
            challenge=str(options["challenge"]),
            origin=self._origin(rp_id),
        )
        statement: dict[str, Any] = {}
        if self.attestation == "packed":
            signature = _sign(private_key, bytes(auth_data) + client_data.hash)
            statement = {"alg": algorithm, "sig": self._maybe_tampered(signature)}
        attestation_object = AttestationObject.create(self.attestation, auth_data, statement)
        credential_id = websafe_encode(raw_id)
        self.credentials.append(
            SoftwareCredential(
                credential_id=credential_id,
                rp_id=rp_id,
                user_handle=websafe_decode(str(options["user"]["id"])),
                algorithm=algorithm,
                sign_count=sign_count,
                private_key=private_key,
            )
        )
        public_key = private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        response = {
            "clientDataJSON": client_data.b64,
            "attestationObject": websafe_encode(attestation_object),
            "transports": list(self.transports),
            "authenticatorData": websafe_encode(auth_data),
            "publicKey": websafe_encode(public_key),
            "publicKeyAlgorithm": algorithm,
        }
        return _credential_json(credential_id, response, self.attachment)

    # -- navigator.credentials.get -----------------------------------------------------------

    def get(
        self, request_options: str | Mapping[str, Any], credential_id: str | None = None
    ) -> str:
        """Sign ``request_options`` (the ``CREDENTIAL_REQUEST_OPTIONS`` of a ``WEB_AUTHN``
        challenge: its JSON string, or the object) with a credential it holds, and return the
        AuthenticationResponseJSON as a JSON string, the form ``CREDENTIAL`` takes.

        The credential is ``credential_id`` if given, else the newest it holds for the options'
        ``rpId`` among their ``allowCredentials`` (any of them when that list is empty).
        Raises :class:`PasskeyError` ``NotAllowedError`` when it holds none.
        """
        given = json.loads(request_options) if isinstance(request_options, str) else request_options
        options = _public_key(given)
        rp_id = str(options["rpId"])
        credential = self._credential_for(rp_id, options, credential_id)
        if self.sign_count is None:
            credential.sign_count += 1
        else:
            credential.sign_count = self.sign_count
        auth_data = AuthenticatorData.create(
            _sha256(self.rp_id or rp_id), self._flags(), credential.sign_count
        )
        client_data = CollectedClientData.create(
            type=CollectedClientData.TYPE.GET.value,
            challenge=str(options["challenge"]),
            origin=self._origin(rp_id),
        )
        signature = _sign(credential.private_key, bytes(auth_data) + client_data.hash)
        response = {
            "authenticatorData": websafe_encode(auth_data),
            "clientDataJSON": client_data.b64,
            "signature": websafe_encode(self._maybe_tampered(signature)),
            "userHandle": websafe_encode(credential.user_handle),
        }
        return json.dumps(_credential_json(credential.credential_id, response, self.attachment))

    # -- internals ---------------------------------------------------------------------------

    def _credential_for(
        self, rp_id: str, options: Mapping[str, Any], credential_id: str | None
    ) -> SoftwareCredential:
        allowed = {str(c.get("id")) for c in options.get("allowCredentials") or ()}
        candidates = [
            c
            for c in self.credentials
            if c.rp_id == rp_id
            and (not allowed or c.credential_id in allowed)
            and (credential_id is None or c.credential_id == credential_id)
        ]
        if not candidates:
            held = ", ".join(f"{c.credential_id} ({c.rp_id})" for c in self.credentials)
            raise PasskeyError(
                "NotAllowedError",
                f"the authenticator holds no credential for {rp_id} that the options allow "
                f"(allowCredentials: {sorted(allowed) or 'any'}); it holds: {held or 'none'}",
            )
        return candidates[-1]

    def _new_credential_id(self) -> bytes:
        return os.urandom(32)

    def _algorithm_for(self, options: Mapping[str, Any]) -> int:
        if self.algorithm is not None:
            return self.algorithm  # forced, even one the relying party did not offer
        offered = [p.get("alg") for p in options.get("pubKeyCredParams") or ()]
        for alg in offered:
            if alg in SUPPORTED_ALGORITHMS:
                return int(alg)
        raise PasskeyError(
            "NotSupportedError",
            f"the authenticator supports none of the offered algorithms {offered} "
            f"(it makes {list(SUPPORTED_ALGORITHMS)})",
        )

    def _flags(self) -> AuthenticatorData.FLAG:
        flags = _FLAG(0)
        if self.user_present:
            flags |= _FLAG.UP
        if self.user_verified:
            flags |= _FLAG.UV
        return flags

    def _origin(self, rp_id: str) -> str:
        return self.origin if self.origin is not None else f"https://{rp_id}"

    def _maybe_tampered(self, signature: bytes) -> bytes:
        if not self.tamper:
            return signature
        return bytes([signature[0] ^ 0x01]) + signature[1:]


def _public_key(options: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = options.get("publicKey")
    return inner if isinstance(inner, Mapping) else options


def _credential_json(
    credential_id: str, response: dict[str, Any], attachment: str | None
) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "id": credential_id,
        "rawId": credential_id,
        "type": "public-key",
        "response": response,
    }
    if attachment is not None:
        credential["authenticatorAttachment"] = attachment
    credential["clientExtensionResults"] = {}
    return credential


def _new_key(algorithm: int) -> _PrivateKey:
    if algorithm == -7:
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == -257:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ed25519.Ed25519PrivateKey.generate()


def _cose_key(algorithm: int, private_key: _PrivateKey) -> CoseKey:
    kinds: dict[int, type[CoseKey]] = {-7: ES256, -257: RS256, -8: EdDSA}
    return kinds[algorithm].from_cryptography_key(private_key.public_key())


def _sign(private_key: _PrivateKey, data: bytes) -> bytes:
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        return private_key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(private_key, rsa.RSAPrivateKey):
        return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return private_key.sign(data)


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
