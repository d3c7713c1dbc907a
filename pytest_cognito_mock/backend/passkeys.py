"""Passkeys (WebAuthn): the pool's relying party, the passkeys users register, and the two
steps of a passkey sign-in.

* The pool's ``WebAuthnConfiguration`` (SetUserPoolMfaConfig): a relying party id, whether
  user verification is ``required`` or ``preferred``, and whether a passkey is one factor or
  MFA. The relying party id is the configured one, else the pool's custom domain, else its
  prefix domain (``<prefix>.auth.<region>.amazoncognito.com``).
* Registration is two calls with the user's access token: :func:`start_registration` hands out
  CredentialCreationOptions and keeps their challenge (one per user, 60 s of mock time, tied to
  the token's app client); :func:`complete_registration` checks the browser's
  RegistrationResponseJSON against it and stores the passkey.
* Sign-in (USER_AUTH's ``WEB_AUTHN`` challenge): :func:`assertion_options` makes the
  ``CREDENTIAL_REQUEST_OPTIONS`` and the state the sign-in session keeps;
  :func:`verify_assertion` checks the ``CREDENTIAL`` answer against that state.

Origins a credential may come from: ``https://<rp id>`` and ``https://<any subdomain>.<rp id>``,
plus the exact origins of :attr:`CognitoBackend.passkey_origins` (for apps served from
``http://localhost:<port>`` in tests). Parsing and signature checks are :mod:`.webauthn`'s
(python-fido2); this module decides what each finding means.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import clock, domains
from .errors import (
    InvalidParameterException,
    LimitExceededException,
    NotAuthorizedException,
    ResourceNotFoundException,
    WebAuthnChallengeNotFoundException,
    WebAuthnClientMismatchException,
    WebAuthnConfigurationMissingException,
    WebAuthnCredentialNotSupportedException,
    WebAuthnNotEnabledException,
    WebAuthnOriginNotAllowedException,
    WebAuthnRelyingPartyMismatchException,
)
from .user_data_history import before_user_change

if TYPE_CHECKING:
    from .models import User, UserPool

#: The sign-in factor (``Policies.SignInPolicy.AllowedFirstAuthFactors``) that turns passkeys on.
WEB_AUTHN = "WEB_AUTHN"
REQUIRED = "required"
PREFERRED = "preferred"
#: The pool's FactorConfiguration that lets users turn on passkey MFA.
MULTI_FACTOR = "MULTI_FACTOR_WITH_USER_VERIFICATION"
SINGLE_FACTOR = "SINGLE_FACTOR"
#: Passkeys one user may register (ListWebAuthnCredentials' MaxResults maximum).
MAX_PASSKEYS = 20
#: The ``timeout`` of the options, and how long a registration challenge is kept.
TIMEOUT_MILLISECONDS = 60_000
#: COSE algorithms Cognito offers (pubKeyCredParams) and accepts: ES256 and RS256.
ALGORITHMS = (-7, -257)
_CHALLENGE_BYTES = 32

# The model's sentence for each error, as a message.
NOT_ENABLED = "The passkey feature isn't enabled for the user pool."
CONFIGURATION_MISSING = (
    "The user pool doesn't have a configured relying party id or a user pool domain."
)
CHALLENGE_NOT_FOUND = "The challenge from StartWebAuthn registration has expired."
CLIENT_MISMATCH = (
    "The access token is for a different client than the one in the original "
    "StartWebAuthnRegistration request."
)
RELYING_PARTY_MISMATCH = (
    "The given passkey credential is associated with a different relying party ID than the "
    "user pool relying party ID."
)
ORIGIN_NOT_ALLOWED = (
    "The passkey credential's registration origin does not align with the user pool relying "
    "party id."
)
CREDENTIAL_NOT_SUPPORTED = (
    "The user presented passkey credentials from an unsupported device or provider."
)
# The mock's own wording where AWS's is not known (docs/fidelity.md).
TOO_MANY_PASSKEYS = f"The user already has the maximum of {MAX_PASSKEYS} passkeys."
NOT_A_REGISTRATION = "The Credential is not a valid RegistrationResponseJSON."
ALREADY_REGISTERED = "The passkey credential is already registered."
NO_SUCH_PASSKEY = "Credential does not exist."
INVALID_PASSKEY = "Invalid passkey credential."

#: FriendlyCredentialName by authenticatorAttachment.
_FRIENDLY_NAMES = {"cross-platform": "Roaming passkey", "platform": "Platform passkey"}


@dataclass(frozen=True)
class WebAuthnConfiguration:
    """The pool's ``WebAuthnConfiguration``: None members were not given."""

    relying_party_id: str | None = None
    user_verification: str = PREFERRED
    #: ``SINGLE_FACTOR`` or ``MULTI_FACTOR_WITH_USER_VERIFICATION``; None: never set (a
    #: single factor).
    factor_configuration: str | None = None


@dataclass(frozen=True)
class Passkey:
    """One registered passkey of a user."""

    credential_id: str  # base64url, as the browser's ``id``
    #: The credential's public key, a COSE_Key (CBOR).
    public_key: bytes
    algorithm: int
    #: The authenticator's signature counter last seen (0: the authenticator keeps none).
    sign_count: int
    relying_party_id: str
    transports: tuple[str, ...]
    attachment: str | None
    friendly_name: str
    created: float


@dataclass(frozen=True)
class PendingRegistration:
    """The challenge of a user's last StartWebAuthnRegistration, until completed or expired."""

    challenge: str  # base64url
    client_id: str
    relying_party_id: str
    user_verification: str
    expires: float


# -- the pool's configuration -------------------------------------------------------------------


def configuration(pool: UserPool) -> WebAuthnConfiguration:
    """The pool's WebAuthn settings (AWS's defaults until SetUserPoolMfaConfig sets some)."""
    return pool.webauthn_configuration or WebAuthnConfiguration()


def passkey_mfa_applies(pool: UserPool, user: User) -> bool:
    """Whether the user's passkey sign-in is multi-factor: the pool's FactorConfiguration is
    ``MULTI_FACTOR_WITH_USER_VERIFICATION`` and the user turned passkey MFA on. The sign-in then
    requires user verification whatever the pool's UserVerification says."""
    return user.passkey_mfa and configuration(pool).factor_configuration == MULTI_FACTOR


def set_configuration(pool: UserPool, config: WebAuthnConfiguration) -> None:
    pool.webauthn_configuration = config
    pool.modified = clock.now()


def relying_party_id(pool: UserPool) -> str:
    """The pool's relying party id: configured, else its custom domain, else its prefix
    domain; WebAuthnConfigurationMissingException when it has none of them."""
    configured = configuration(pool).relying_party_id
    if configured:
        return configured
    if pool.custom_domain is not None:
        return pool.custom_domain
    if pool.domain is not None:
        return domains.prefix_host(pool.domain, pool.region)
    raise WebAuthnConfigurationMissingException(CONFIGURATION_MISSING)


def passkeys_enabled(pool: UserPool) -> bool:
    """Whether ``WEB_AUTHN`` is one of the pool's allowed first sign-in factors."""
    return WEB_AUTHN in pool.allowed_first_auth_factors


def origin_allowed(origin: str, rp_id: str, extra_origins: Collection[str] = ()) -> bool:
    """``https://<rp id>`` or ``https://<subdomain>.<rp id>`` (any port), or one of
    ``extra_origins`` exactly."""
    if origin in extra_origins:
        return True
    try:
        parts = urlsplit(origin)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a port that is not one
    except ValueError:
        return False
    if parts.scheme != "https" or not host or parts.path or parts.query or parts.fragment:
        return False
    rp = rp_id.lower()
    return host == rp or host.endswith("." + rp)


# -- registration -------------------------------------------------------------------------------


def start_registration(pool: UserPool, user: User, client_id: str) -> dict[str, Any]:
    """StartWebAuthnRegistration: the CredentialCreationOptions (a JSON object) for ``user``.

    The challenge replaces any earlier one of the user and is answered with an access token of
    the same app client ``client_id`` within :data:`TIMEOUT_MILLISECONDS`.
    """
    if not passkeys_enabled(pool):
        raise WebAuthnNotEnabledException(NOT_ENABLED)
    rp_id = relying_party_id(pool)
    if len(user.passkeys) >= MAX_PASSKEYS:
        raise LimitExceededException(TOO_MANY_PASSKEYS)
    user_verification = configuration(pool).user_verification
    challenge = _new_challenge()
    user.passkey_registration = PendingRegistration(
        challenge=challenge,
        client_id=client_id,
        relying_party_id=rp_id,
        user_verification=user_verification,
        expires=clock.now() + TIMEOUT_MILLISECONDS / 1000,
    )
    return {
        "authenticatorSelection": {
            "requireResidentKey": True,
            "residentKey": "required",
            "userVerification": user_verification,
        },
        "challenge": challenge,
        "excludeCredentials": [
            {"id": passkey.credential_id, "type": "public-key"} for passkey in user.passkeys
        ],
        "pubKeyCredParams": [{"alg": alg, "type": "public-key"} for alg in ALGORITHMS],
        "rp": {"id": rp_id, "name": rp_id},
        "timeout": TIMEOUT_MILLISECONDS,
        "user": {
            "displayName": user.username,
            "id": _encode(user.sub.encode("utf-8")),
            "name": user.username,
        },
    }


def complete_registration(
    pool: UserPool,
    user: User,
    client_id: str,
    credential: object,
    *,
    extra_origins: Collection[str] = (),
) -> Passkey:
    """CompleteWebAuthnRegistration: check ``credential`` (a RegistrationResponseJSON, as the
    request's ``Credential`` document) against the user's pending challenge and store it.

    A refused credential leaves the challenge pending, so the browser may try again until it
    expires; a stored one uses it up.
    """
    from . import webauthn  # the library loads on first use, not with the plugin

    if not passkeys_enabled(pool):
        raise WebAuthnNotEnabledException(NOT_ENABLED)
    pending = user.passkey_registration
    if pending is None or clock.now() >= pending.expires:
        raise WebAuthnChallengeNotFoundException(CHALLENGE_NOT_FOUND)
    if client_id != pending.client_id:
        raise WebAuthnClientMismatchException(CLIENT_MISMATCH)
    try:
        registration = webauthn.read_registration(credential)
    except webauthn.MalformedCredential:
        raise InvalidParameterException(NOT_A_REGISTRATION) from None
    client_data = registration.client_data
    if client_data.type != webauthn.CREATE:
        raise InvalidParameterException(NOT_A_REGISTRATION)
    if not hmac.compare_digest(client_data.challenge, _decode(pending.challenge)):
        raise WebAuthnChallengeNotFoundException(CHALLENGE_NOT_FOUND)
    if not origin_allowed(client_data.origin, pending.relying_party_id, extra_origins):
        raise WebAuthnOriginNotAllowedException(ORIGIN_NOT_ALLOWED)
    if not hmac.compare_digest(
        registration.rp_id_hash, webauthn.rp_id_hash(pending.relying_party_id)
    ):
        raise WebAuthnRelyingPartyMismatchException(RELYING_PARTY_MISMATCH)
    if (
        not registration.user_present
        or (pending.user_verification == REQUIRED and not registration.user_verified)
        or registration.algorithm not in ALGORITHMS
        or not registration.attestation_verifies
    ):
        raise WebAuthnCredentialNotSupportedException(CREDENTIAL_NOT_SUPPORTED)
    if any(p.credential_id == registration.credential_id for p in user.passkeys):
        raise InvalidParameterException(ALREADY_REGISTERED)
    # The limit is checked at the start: a user has one pending challenge, and nothing else
    # adds passkeys meanwhile.
    assert registration.algorithm is not None  # one of ALGORITHMS, checked above
    passkey = Passkey(
        credential_id=registration.credential_id,
        public_key=registration.public_key,
        algorithm=registration.algorithm,
        sign_count=registration.sign_count,
        relying_party_id=pending.relying_party_id,
        transports=registration.transports,
        attachment=registration.attachment,
        friendly_name=_FRIENDLY_NAMES.get(registration.attachment or "", "Passkey"),
        created=clock.now(),
    )
    before_user_change(pool, user)
    user.passkeys = (*user.passkeys, passkey)
    user.passkey_registration = None
    return passkey


def delete_passkey(pool: UserPool, user: User, credential_id: str) -> None:
    """DeleteWebAuthnCredential: ResourceNotFoundException when the user has no such passkey."""
    kept = tuple(p for p in user.passkeys if p.credential_id != credential_id)
    if len(kept) == len(user.passkeys):
        raise ResourceNotFoundException(NO_SUCH_PASSKEY)
    before_user_change(pool, user)
    user.passkeys = kept


# -- sign-in ------------------------------------------------------------------------------------


def assertion_options(pool: UserPool, user: User) -> tuple[str, dict[str, Any]]:
    """The ``WEB_AUTHN`` challenge of a passkey sign-in for ``user``.

    Returns ``(CREDENTIAL_REQUEST_OPTIONS, state)``: the challenge parameter, a JSON string of
    PublicKeyCredentialRequestOptions (``challenge``, ``rpId``, ``allowCredentials`` = the
    user's passkeys with their transports, ``timeout`` 60000, ``userVerification`` = the pool's
    setting, or ``required`` under passkey MFA), and a JSON-serialisable dict the sign-in session
    keeps until the answer, to pass to :func:`verify_assertion` unchanged. Whether the pool and
    user may sign in with a passkey at all (``WEB_AUTHN`` allowed, at least one passkey) is the
    caller's decision; raises WebAuthnConfigurationMissingException when the pool has no relying
    party id.
    """
    rp_id = relying_party_id(pool)
    user_verification = configuration(pool).user_verification
    if passkey_mfa_applies(pool, user):
        user_verification = REQUIRED
    challenge = _new_challenge()
    allowed = []
    for passkey in user.passkeys:
        descriptor: dict[str, Any] = {"type": "public-key", "id": passkey.credential_id}
        if passkey.transports:
            descriptor["transports"] = list(passkey.transports)
        allowed.append(descriptor)
    options = {
        "challenge": challenge,
        "rpId": rp_id,
        "allowCredentials": allowed,
        "timeout": TIMEOUT_MILLISECONDS,
        "userVerification": user_verification,
    }
    state = {"challenge": challenge, "rp_id": rp_id, "user_verification": user_verification}
    return json.dumps(options, separators=(",", ":")), state


def verify_assertion(
    pool: UserPool,
    user: User,
    credential_json: str,
    state: Mapping[str, Any],
    *,
    extra_origins: Collection[str] = (),
) -> None:
    """Check the ``CREDENTIAL`` answer (an AuthenticationResponseJSON as a JSON string) to the
    challenge :func:`assertion_options` made (``state``), and record the passkey's new
    signature counter.

    Raises NotAuthorizedException ``Invalid passkey credential.`` for anything but a good
    assertion: unreadable JSON, a credential the user has not registered, a user handle that
    is not the user's, another challenge, an origin not allowed for the relying party (pass the
    backend's :attr:`~CognitoBackend.passkey_origins` as ``extra_origins``), another relying
    party's hash, no user presence, no user verification where the pool requires it, a bad
    signature, or a signature counter that did not increase (a replay or a cloned
    authenticator; authenticators that keep no counter report 0 every time, and pass).
    """
    from . import webauthn  # the library loads on first use, not with the plugin

    try:
        assertion = webauthn.read_assertion(json.loads(credential_json))
    except (ValueError, TypeError):  # MalformedCredential is a ValueError, as is bad JSON
        raise NotAuthorizedException(INVALID_PASSKEY) from None
    rp_id = str(state.get("rp_id", ""))
    client_data = assertion.client_data
    passkey = next((p for p in user.passkeys if p.credential_id == assertion.credential_id), None)
    if (
        passkey is None
        or client_data.type != webauthn.GET
        or not hmac.compare_digest(client_data.challenge, _decode(str(state.get("challenge"))))
        or not origin_allowed(client_data.origin, rp_id, extra_origins)
        or not hmac.compare_digest(assertion.rp_id_hash, webauthn.rp_id_hash(rp_id))
        or not assertion.user_present
        or (state.get("user_verification") == REQUIRED and not assertion.user_verified)
        or (assertion.user_handle is not None and assertion.user_handle != user.sub.encode("utf-8"))
        or not webauthn.signature_verifies(
            passkey.public_key, assertion.signed_data, assertion.signature
        )
        or _replayed(passkey.sign_count, assertion.sign_count)
    ):
        raise NotAuthorizedException(INVALID_PASSKEY)
    user.passkeys = tuple(
        replace(p, sign_count=assertion.sign_count) if p is passkey else p for p in user.passkeys
    )


def _replayed(stored: int, presented: int) -> bool:
    # WebAuthn §6.1.1: a counter that is used at all must grow with every signature.
    return (stored != 0 or presented != 0) and presented <= stored


def _new_challenge() -> str:
    return _encode(secrets.token_bytes(_CHALLENGE_BYTES))


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""
