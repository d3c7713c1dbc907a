"""Device sign-in: a remembered device proves itself with SRP in place of an MFA code.

In a pool whose ``DeviceConfiguration`` has ``ChallengeRequiredOnNewDevice``, a sign-in that
names a confirmed, remembered device (``DEVICE_KEY``) and would be asked for an MFA code is asked
``DEVICE_SRP_AUTH`` instead. The client answers with an ``SRP_A``; Cognito sends
``DEVICE_PASSWORD_VERIFIER`` with ``SRP_B``, the salt ConfirmDevice stored and a secret block;
the client proves it holds the device's secret with the same HMAC as a password proof
(:mod:`.flow_srp`), the device group key taking the pool name's place and the device key the
user id's. Then tokens, on that device, with no new device metadata.

Both challenges come with a ``Session``. pycognito answers them without one (as it answers
PASSWORD_VERIFIER), so an answer without ``Session`` finds its challenge by the device key
(DEVICE_SRP_AUTH) or by the secret block (DEVICE_PASSWORD_VERIFIER).

CUSTOM_AUTH may ask for the same two steps from DefineAuthChallenge; :mod:`.flow_custom` opens
them with :func:`begin_proof` and checks them with :func:`check_proof`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from . import CognitoBackend, devices, mfa, sessions, sign_in, srp
from .auth import INCORRECT_CREDENTIALS, AuthOutcome, required_parameter
from .devices import DEVICE_NOT_FOUND, Device
from .errors import InvalidParameterException, NotAuthorizedException, ResourceNotFoundException
from .flow_srp import CLAIM_PARAMETERS, check_claim, server_handshake
from .models import AppClient, User, UserPool
from .sessions import AuthSession

DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"
DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"
#: Key of this flow's state inside ``AuthSession.data``.
SESSION_KEY = "device_srp"
#: Pre token generation's triggerSource after a device proved itself.
TOKEN_SOURCE = "TokenGeneration_AuthenticateDevice"
MISSING_SESSION = "Missing required parameter Session"
#: Key, in an MFA challenge's session data, of the sign-in's DEVICE_KEY.
DEVICE_KEY_DATA = "device_key"


def challenge_after_password(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    device_key: str | None,
) -> mfa.MfaChallenge | None:
    """The second step after a verified password: DEVICE_SRP_AUTH when a remembered device
    stands in for the MFA code the user would be asked, else the MFA challenge (or None)."""
    step = mfa.mfa_step(pool, user)
    if step is not None and step != mfa.MFA_SETUP:
        device = devices.standing_in_for_mfa(pool, user, device_key)
        if device is not None:
            session = sessions.open_session(
                backend, pool, client, user, DEVICE_SRP_AUTH, {SESSION_KEY: {"key": device.key}}
            )
            return mfa.MfaChallenge(DEVICE_SRP_AUTH, session, {"USERNAME": user.username})
    # The device key travels with the challenge: the code's answer signs in on that device.
    carried = {DEVICE_KEY_DATA: device_key} if device_key else None
    return mfa.challenge_after_password(backend, pool, client, user, carried)


def device_of(user: User, responses: Mapping[str, str]) -> Device:
    """The device an answer names with ``DEVICE_KEY``: one of the user's, confirmed, with the
    verifier ConfirmDevice registered."""
    key = required_parameter(responses, "DEVICE_KEY")
    device = user.devices.get(key)
    if device is None:
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    if not device.confirmed or device.password_verifier is None or device.salt is None:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    return device


def begin_proof(device: Device, srp_a: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The server's half of the device's SRP handshake: DEVICE_PASSWORD_VERIFIER's challenge
    parameters (without USERNAME) and the state its session keeps under :data:`SESSION_KEY`."""
    verifier, salt = _decoded(device.password_verifier), _decoded(device.salt)
    if verifier is None or salt is None:  # ConfirmDevice stored something that is not base64
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    parameters, state = server_handshake(srp_a, verifier)
    state["key"] = device.key
    return {**parameters, "SALT": srp.to_hex(salt), "DEVICE_KEY": device.key}, state


def check_proof(user: User, state: Mapping[str, Any], responses: Mapping[str, str]) -> Device:
    """Check a DEVICE_PASSWORD_VERIFIER answer against the handshake in ``state``; the device
    it proves. A wrong proof, or another device's key: ``Incorrect username or password.``."""
    for name in CLAIM_PARAMETERS:
        required_parameter(responses, name)
    device = device_of(user, responses)
    if device.key != state.get("key") or not check_claim(
        state, device.group_key, device.key, responses
    ):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    return device


def answer_device_srp(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    session: AuthSession,
    user: User,
    responses: Mapping[str, str],
) -> AuthOutcome:
    """RespondToAuthChallenge with ``ChallengeName=DEVICE_SRP_AUTH``: ``DEVICE_KEY`` and
    ``SRP_A`` start the device's handshake; DEVICE_PASSWORD_VERIFIER follows."""
    device = device_of(user, responses)
    if device.key != session.data[SESSION_KEY].get("key"):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    parameters, state = begin_proof(device, required_parameter(responses, "SRP_A"))
    next_session = sessions.open_session(
        backend, pool, client, user, DEVICE_PASSWORD_VERIFIER, {SESSION_KEY: state}
    )
    return AuthOutcome(
        challenge_name=DEVICE_PASSWORD_VERIFIER,
        session=next_session,
        challenge_parameters={**parameters, "USERNAME": user.username},
    )


def answer_device_password_verifier(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    session: AuthSession,
    user: User,
    responses: Mapping[str, str],
    *,
    client_metadata: Mapping[str, str] | None = None,
    grant: sign_in.OAuthGrant | None = None,
) -> AuthOutcome:
    """RespondToAuthChallenge with ``ChallengeName=DEVICE_PASSWORD_VERIFIER``: the proof, then
    tokens on the device."""
    device = check_proof(user, session.data[SESSION_KEY], responses)
    return AuthOutcome(
        tokens=sign_in.issue_tokens(
            backend,
            pool,
            client,
            user,
            device_key=device.key,
            source=TOKEN_SOURCE,
            client_metadata=client_metadata,
            grant=grant,
        )
    )


def find_device_srp_session(
    backend: CognitoBackend, client: AppClient, session: str | None, responses: Mapping[str, str]
) -> AuthSession:
    """The pending DEVICE_SRP_AUTH challenge an answer refers to, consumed: by ``Session``, or
    without one by the device key it was issued for."""
    if not session:
        key = responses.get("DEVICE_KEY")
        session = _pending(backend, client, DEVICE_SRP_AUTH, "key", key)
    return sessions.take_session(backend, session, client)


def find_device_verifier_session(
    backend: CognitoBackend, client: AppClient, session: str | None, responses: Mapping[str, str]
) -> AuthSession:
    """The pending DEVICE_PASSWORD_VERIFIER challenge an answer refers to, consumed: by
    ``Session``, or without one by the secret block it was issued with."""
    if not session:
        block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
        session = _pending(backend, client, DEVICE_PASSWORD_VERIFIER, "secret_block", block)
    return sessions.take_session(backend, session, client)


def _pending(
    backend: CognitoBackend, client: AppClient, challenge: str, field: str, value: str | None
) -> str:
    if value:
        # Pending sessions are few (one per unanswered challenge), so a scan is cheap.
        for key, record in backend.sessions.items():
            state = record.data.get(SESSION_KEY)
            if (
                record.challenge_name == challenge
                and record.client_id == client.client_id
                and isinstance(state, dict)
                and state.get(field) == value
            ):
                return key
    raise InvalidParameterException(MISSING_SESSION)


def _decoded(text: str | None) -> int | None:
    """A base64 number as ConfirmDevice's DeviceSecretVerifierConfig carries it."""
    if not text:
        return None
    try:
        return int.from_bytes(base64.b64decode(text + "=" * (-len(text) % 4)), "big")
    except (binascii.Error, ValueError):
        return None
