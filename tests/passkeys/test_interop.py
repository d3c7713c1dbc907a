"""An independent WebAuthn implementation agrees with the mock: py_webauthn (Duo's), which
shares no code with python-fido2 (the mock's), verifies what the software authenticator makes
for Cognito's options, registration and sign-in, and reads the same public key as the mock."""

from __future__ import annotations

import json

import cbor2
import pytest
from support.model import requires_operation
from support.passkeys import RP_ID
from webauthn import verify_authentication_response, verify_registration_response
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import InvalidRegistrationResponse

from pytest_cognito_mock.backend import passkeys

pytestmark = requires_operation("StartWebAuthnRegistration")

ORIGIN = f"https://{RP_ID}"


@pytest.mark.parametrize(
    "settings",
    [{}, {"algorithm": -257}, {"attestation": "packed"}, {"attachment": "platform"}],
    ids=["es256", "rs256", "packed", "platform"],
)
def test_py_webauthn_verifies_the_software_authenticator(
    cognito_idp, cognito_mock, pool_id, access_token, options, settings
):
    authenticator = cognito_mock.passkey(**settings)
    credential = authenticator.create(options)
    verified = verify_registration_response(
        credential=credential,
        expected_challenge=base64url_to_bytes(options["challenge"]),
        expected_rp_id=options["rp"]["id"],
        expected_origin=ORIGIN,
        require_user_verification=True,
    )
    assert verified.credential_id == base64url_to_bytes(credential["id"])
    # The mock accepts the same registration, and keeps the same key.
    cognito_idp.complete_web_authn_registration(AccessToken=access_token, Credential=credential)
    with cognito_mock._service.transaction() as backend:
        pool = backend.pools[pool_id]
        user = pool.users["ada"]
        (stored,) = user.passkeys
        assert cbor2.loads(stored.public_key) == cbor2.loads(verified.credential_public_key)
        request_options, state = passkeys.assertion_options(pool, user)
    # A sign-in: py_webauthn verifies the assertion the mock's sign-in takes.
    answer = authenticator.get(request_options)
    request = json.loads(request_options)
    checked = verify_authentication_response(
        credential=json.loads(answer),
        expected_challenge=base64url_to_bytes(request["challenge"]),
        expected_rp_id=request["rpId"],
        expected_origin=ORIGIN,
        credential_public_key=verified.credential_public_key,
        credential_current_sign_count=verified.sign_count,
        require_user_verification=True,
    )
    assert checked.new_sign_count == 1
    with cognito_mock._service.transaction() as backend:
        pool = backend.pools[pool_id]
        passkeys.verify_assertion(pool, pool.users["ada"], answer, state)


def test_py_webauthn_refuses_what_the_mock_refuses(cognito_mock, options):
    """A tampered attestation is refused by both (the mock's refusal is tested elsewhere)."""
    credential = cognito_mock.passkey(attestation="packed", tamper=True).create(options)
    with pytest.raises(InvalidRegistrationResponse, match=r"(?i)signature"):
        verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(options["challenge"]),
            expected_rp_id=options["rp"]["id"],
            expected_origin=ORIGIN,
        )
