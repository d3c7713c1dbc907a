"""USER_SRP_AUTH: the PASSWORD_VERIFIER challenge and the check of its answer.

InitiateAuth sends ``SRP_A``; the mock answers with ``SALT``, ``SRP_B`` and an opaque
``SECRET_BLOCK`` and keeps the server's side of the handshake in an
:class:`~.sessions.AuthSession`. The answer proves the password with an HMAC
(``PASSWORD_CLAIM_SIGNATURE``) keyed by the shared SRP secret; see :mod:`.srp` for the math.

Cognito returns no ``Session`` with this challenge, and pycognito and warrant-lite answer without
one: the secret block is what ties the answer to the challenge, so
:func:`password_verifier_session` finds the pending challenge by its block.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import CognitoBackend, sessions, srp
from .auth import (
    INCORRECT_CREDENTIALS,
    AuthOutcome,
    AuthRequest,
    after_password,
    check_auth_secret_hash,
    pre_authentication,
    refuse_before_the_password,
    required_parameter,
    signing_in_user,
)
from .errors import (
    InvalidParameterException,
    NotAuthorizedException,
)
from .models import AppClient, User, UserPool
from .sessions import AuthSession
from .users import find_user

CHALLENGE_NAME = "PASSWORD_VERIFIER"
#: Key of the SRP state inside ``AuthSession.data`` (flows that embed SRP keep their own keys).
SESSION_KEY = "srp"
TIMESTAMP_FORMAT_MESSAGE = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
INVALID_SRP_A = "SRP_A is not a valid SRP public value."
#: What an answer to an SRP proof must carry besides USERNAME.
CLAIM_PARAMETERS = ("PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP")
# Real secret blocks are AWS Encryption SDK messages, whose Base64 starts "AgV4"; the mock's
# are random bytes behind the same header, so they look alike and carry nothing.
_SECRET_BLOCK_HEADER = b"\x02\x05\x78"
_SECRET_BLOCK_RANDOM_BYTES = 189


def start(request: AuthRequest) -> AuthOutcome:
    """InitiateAuth / AdminInitiateAuth with ``AuthFlow=USER_SRP_AUTH``."""
    username = required_parameter(request.parameters, "USERNAME")
    srp_a = required_parameter(request.parameters, "SRP_A")
    check_auth_secret_hash(request.client, username, request.parameters)
    user = signing_in_user(request, username)
    pre_authentication(request, user)
    refuse_before_the_password(user)  # an imported user has no verifier until it resets
    challenge_parameters, session_data = begin_srp(request, user, srp_a)
    sessions.open_session(
        request.backend, request.pool, request.client, user, CHALLENGE_NAME, session_data
    )
    return AuthOutcome(challenge_name=CHALLENGE_NAME, challenge_parameters=challenge_parameters)


def begin_srp(
    request: AuthRequest, user: User, srp_a_hex: str
) -> tuple[dict[str, str], dict[str, Any]]:
    """The server's half of the handshake for ``user``, who sent ``srp_a_hex``.

    Returns the PASSWORD_VERIFIER ``ChallengeParameters`` and the data its session must hold
    (``{"srp": {...}}``, mergeable into a flow's own session data). Reusable by flows that
    embed SRP, such as CUSTOM_AUTH started with ``CHALLENGE_NAME=SRP_A``. Raises
    ``InvalidParameterException`` for an ``SRP_A`` that is not hex or is ``0 mod N``.
    """
    salt = _salt(request.pool, user)
    if user.password is None:
        # No password can match: a verifier nobody knows the exponent of.
        v = srp.verifier(srp.random_exponent())
    else:
        v = srp.password_verifier(
            srp.pool_name(request.pool.id), user.username, user.password, salt
        )
    server_parameters, state = server_handshake(srp_a_hex, v)
    challenge_parameters = {
        "SALT": srp.to_hex(salt),
        **server_parameters,
        "USERNAME": user.username,
        "USER_ID_FOR_SRP": user.username,
    }
    state.update(
        {
            "salt": srp.to_hex(salt),
            "user_id": user.username,
            "flow": request.flow,
            "admin": request.admin,
            # Device tracking: the key may come with InitiateAuth, the answer, or both.
            "device_key": request.parameters.get("DEVICE_KEY"),
        }
    )
    return challenge_parameters, {SESSION_KEY: state}


def server_handshake(srp_a_hex: str, v: int) -> tuple[dict[str, str], dict[str, Any]]:
    """The server's half of an SRP handshake against the verifier ``v``, for a client that sent
    ``srp_a_hex``: the ``SRP_B`` and ``SECRET_BLOCK`` challenge parameters, and the numbers the
    session must keep to check the proof (:func:`check_claim`).

    Shared by the password's handshake and a remembered device's (:mod:`.flow_device`).
    Raises ``InvalidParameterException`` for an ``SRP_A`` that is not hex or is ``0 mod N``.
    """
    client_public = srp.parse_hex(srp_a_hex)
    if client_public is None or client_public % srp.N == 0:
        raise InvalidParameterException(INVALID_SRP_A)
    while True:  # B = 0 mod N or u = 0 would void the proof; astronomically rare
        b = srp.random_exponent()
        server_public = srp.server_public(v, b)
        if server_public % srp.N and srp.scrambler(client_public, server_public):
            break
    secret_block = base64.b64encode(
        _SECRET_BLOCK_HEADER + os.urandom(_SECRET_BLOCK_RANDOM_BYTES)
    ).decode("ascii")
    parameters = {"SRP_B": srp.to_hex(server_public), "SECRET_BLOCK": secret_block}
    state = {
        "A": srp.to_hex(client_public),
        "B": srp.to_hex(server_public),
        "b": srp.to_hex(b),
        "verifier": srp.to_hex(v),
        "secret_block": secret_block,
    }
    return parameters, state


def password_verifier_session(
    backend: CognitoBackend,
    client: AppClient,
    session: str | None,
    responses: Mapping[str, str],
) -> AuthSession:
    """The pending PASSWORD_VERIFIER challenge an answer refers to, consumed.

    With a ``Session`` (CUSTOM_AUTH's SRP steps send one) that session; without one (plain
    USER_SRP_AUTH) the session holding ``PASSWORD_CLAIM_SECRET_BLOCK``. An unknown block is a
    failed proof; an expired or another client's session fails as in
    :func:`.sessions.take_session`.
    """
    if not session:
        block = required_parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
        session = _session_holding(backend, block)
        if session is None:
            raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    return sessions.take_session(backend, session, client)


def answer_password_verifier(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    session: AuthSession,
    responses: Mapping[str, str],
) -> AuthOutcome:
    """RespondToAuthChallenge with ``ChallengeName=PASSWORD_VERIFIER`` in USER_SRP_AUTH.

    ``session`` is the consumed challenge (see :func:`password_verifier_session`). A verified
    claim leads where a correct password does (tokens, NEW_PASSWORD_REQUIRED, ...).
    """
    user = verify_password_claim(pool, client, session, responses)
    state = session.data[SESSION_KEY]
    device_key = state.get("device_key")
    request = AuthRequest(
        backend,
        pool,
        client,
        flow=str(state.get("flow", "USER_SRP_AUTH")),
        parameters={**({"DEVICE_KEY": device_key} if device_key else {}), **responses},
        admin=bool(state.get("admin", False)),
    )
    return after_password(request, user)


def verify_password_claim(
    pool: UserPool,
    client: AppClient,
    session: AuthSession,
    responses: Mapping[str, str],
) -> User:
    """Check a PASSWORD_VERIFIER answer against ``session`` and return the user it proves.

    Wrong password, signature, secret block or user: ``NotAuthorizedException``
    ``Incorrect username or password.``. Reusable by flows that embed SRP.
    """
    state = session.data.get(SESSION_KEY)
    if not isinstance(state, dict):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)  # a session of another challenge
    username = required_parameter(responses, "USERNAME")
    for name in CLAIM_PARAMETERS:  # all present before any judgement, as AWS checks them
        required_parameter(responses, name)
    # The hash uses the name the answer gives (pycognito: the internal username; warrant-lite:
    # the name typed at sign-in), like every other answer.
    check_auth_secret_hash(client, username, responses)
    user = find_user(pool, username)
    if user is None or pool.user_key(user.username) != pool.user_key(session.username):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if not check_claim(state, srp.pool_name(pool.id), str(state["user_id"]), responses):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    return user


def check_claim(
    state: Mapping[str, Any], realm: str, user_id: str, responses: Mapping[str, str]
) -> bool:
    """Whether an answer's ``PASSWORD_CLAIM_SIGNATURE`` proves the secret behind ``state``
    (from :func:`server_handshake`).

    ``realm`` and ``user_id`` enter the signed message: the pool's name and the user id for a
    password, the device group key and the device key for a device. A ``TIMESTAMP`` in the
    wrong format raises ``InvalidParameterException``.
    """
    block, signature, timestamp = (required_parameter(responses, n) for n in CLAIM_PARAMETERS)
    if not hmac.compare_digest(block.encode(), str(state["secret_block"]).encode()):
        return False
    moment = srp.parse_timestamp(timestamp)
    if moment is None:
        raise InvalidParameterException(TIMESTAMP_FORMAT_MESSAGE)
    expected = _expected_signature(state, realm, user_id, moment)
    return hmac.compare_digest(signature.encode(), expected.encode())


def _expected_signature(
    state: Mapping[str, Any], realm: str, user_id: str, moment: datetime
) -> str:
    client_public = int(state["A"], 16)
    server_public = int(state["B"], 16)
    u = srp.scrambler(client_public, server_public)
    premaster = srp.server_premaster(
        client_public, int(state["verifier"], 16), u, int(state["b"], 16)
    )
    # The server signs its own rendering of the time: "Sep 05" or a wrong weekday parse but
    # do not verify.
    return srp.claim_signature(
        srp.derive_key(premaster, u),
        realm,
        user_id,
        base64.b64decode(state["secret_block"]),
        srp.format_timestamp(moment),
    )


def _salt(pool: UserPool, user: User) -> int:
    """The user's salt: stable while the password stays the same, as a stored verifier's is."""
    material = f"{pool.id}\x00{user.sub}\x00{user.password}".encode()
    return int.from_bytes(hashlib.sha256(material).digest()[:16], "big")


def _session_holding(backend: CognitoBackend, secret_block: str) -> str | None:
    # Pending sessions are few (one per unanswered challenge), so a scan is cheap.
    for key, record in backend.sessions.items():
        state = record.data.get(SESSION_KEY)
        if (
            record.challenge_name == CHALLENGE_NAME
            and isinstance(state, dict)
            and state.get("secret_block") == secret_block
        ):
            return key
    return None
