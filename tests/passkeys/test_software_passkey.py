"""The software authenticator itself (``cognito_mock.passkey()``): the JSON forms it answers
with, how it picks credentials, and how it refuses as a browser does. No Cognito calls here but
for the options of one registration."""

from __future__ import annotations

import base64
import json

import cbor2
import pytest
from cryptography.hazmat.primitives.serialization import load_der_public_key

from pytest_cognito_mock import CognitoMock, PasskeyError

RP_ID = "auth.example.com"
CREATION = {
    "challenge": "Y2hhbGxlbmdlLWNoYWxsZW5nZQ",
    "rp": {"id": RP_ID, "name": RP_ID},
    "user": {"id": "YWRh", "name": "ada", "displayName": "ada"},
    "pubKeyCredParams": [{"alg": -7, "type": "public-key"}, {"alg": -257, "type": "public-key"}],
    "excludeCredentials": [],
}


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _request(**members):
    return {"challenge": "c2lnbi1pbi1jaGFsbGVuZ2U", "rpId": RP_ID, **members}


def test_the_registration_response_json(cognito_mock):
    credential = cognito_mock.passkey().create(CREATION)
    assert list(credential) == [
        "id",
        "rawId",
        "type",
        "response",
        "authenticatorAttachment",
        "clientExtensionResults",
    ]
    assert credential["id"] == credential["rawId"]
    assert credential["type"] == "public-key"
    response = credential["response"]
    client_data = json.loads(_decode(response["clientDataJSON"]))
    assert client_data == {
        "type": "webauthn.create",
        "challenge": CREATION["challenge"],
        "origin": f"https://{RP_ID}",
        "crossOrigin": False,
    }
    attestation = cbor2.loads(_decode(response["attestationObject"]))
    assert attestation["fmt"] == "none"
    assert attestation["attStmt"] == {}
    assert attestation["authData"] == _decode(response["authenticatorData"])
    assert response["publicKeyAlgorithm"] == -7
    assert response["transports"] == ["usb"]
    load_der_public_key(_decode(response["publicKey"]))  # SubjectPublicKeyInfo


def test_it_takes_the_options_wrapped_as_a_browser_does(cognito_mock):
    authenticator = cognito_mock.passkey()
    authenticator.create({"publicKey": CREATION})
    assertion = json.loads(authenticator.get({"publicKey": _request()}))
    assert assertion["response"]["userHandle"] == "YWRh"


def test_the_authentication_response_json(cognito_mock):
    authenticator = cognito_mock.passkey(attachment=None)
    registered = authenticator.create(CREATION)
    assertion = json.loads(authenticator.get(json.dumps(_request())))
    assert list(assertion) == ["id", "rawId", "type", "response", "clientExtensionResults"]
    assert assertion["id"] == registered["id"]
    assert list(assertion["response"]) == [
        "authenticatorData",
        "clientDataJSON",
        "signature",
        "userHandle",
    ]
    client_data = json.loads(_decode(assertion["response"]["clientDataJSON"]))
    assert client_data["type"] == "webauthn.get"


def test_it_signs_with_the_newest_allowed_credential(cognito_mock):
    authenticator = cognito_mock.passkey()
    first = authenticator.create(CREATION)["id"]
    second = authenticator.create(CREATION)["id"]
    assert json.loads(authenticator.get(_request()))["id"] == second
    allowed = _request(allowCredentials=[{"type": "public-key", "id": first}])
    assert json.loads(authenticator.get(allowed))["id"] == first
    assert json.loads(authenticator.get(_request(), credential_id=first))["id"] == first


def test_it_refuses_without_a_credential_for_the_relying_party(cognito_mock):
    authenticator = cognito_mock.passkey()
    authenticator.create(CREATION)
    with pytest.raises(PasskeyError) as refused:
        authenticator.get(_request(rpId="other.example"))
    assert refused.value.name == "NotAllowedError"
    assert "holds no credential for other.example" in str(refused.value)
    with pytest.raises(PasskeyError):
        authenticator.get(_request(allowCredentials=[{"type": "public-key", "id": "AAAA"}]))


def test_it_refuses_algorithms_it_cannot_make(cognito_mock):
    options = {**CREATION, "pubKeyCredParams": [{"alg": -36, "type": "public-key"}]}
    with pytest.raises(PasskeyError) as refused:
        cognito_mock.passkey().create(options)
    assert refused.value.name == "NotSupportedError"
    with pytest.raises(ValueError, match="algorithm must be one of"):
        cognito_mock.passkey(algorithm=-36)


def test_the_counter(cognito_mock):
    authenticator = cognito_mock.passkey()
    authenticator.create(CREATION)
    counters = []
    for _ in range(3):
        assertion = json.loads(authenticator.get(_request()))
        auth_data = _decode(assertion["response"]["authenticatorData"])
        counters.append(int.from_bytes(auth_data[33:37], "big"))
    assert counters == [1, 2, 3]
    assert authenticator.credentials[0].sign_count == 3


def test_it_needs_no_started_mock():
    authenticator = CognitoMock().passkey(origin="http://localhost:3000")
    credential = authenticator.create(CREATION)
    origin = json.loads(_decode(credential["response"]["clientDataJSON"]))["origin"]
    assert origin == "http://localhost:3000"
    assert repr(authenticator) == "<SoftwarePasskey with 1 credential(s)>"
