"""Registering passkeys through boto3: StartWebAuthnRegistration's options, the software
authenticator's answer to them, CompleteWebAuthnRegistration, and what ListWebAuthnCredentials
and DeleteWebAuthnCredential then see."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
import time_machine
from support.errors import error_of
from support.model import requires_operation
from support.passkeys import RP_ID, listed, make_user, register, sign_in

from pytest_cognito_mock import PasskeyError

pytestmark = requires_operation("StartWebAuthnRegistration")

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sub(cognito_idp, pool_id: str, username: str = "ada") -> str:
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=username)
    return next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")


def test_start_answers_the_credential_creation_options(cognito_idp, pool_id, options):
    challenge = options.pop("challenge")
    assert options == {
        "authenticatorSelection": {
            "requireResidentKey": True,
            "residentKey": "required",
            "userVerification": "preferred",
        },
        "excludeCredentials": [],
        "pubKeyCredParams": [
            {"alg": -7, "type": "public-key"},
            {"alg": -257, "type": "public-key"},
        ],
        "rp": {"id": RP_ID, "name": RP_ID},
        "timeout": 60000,
        "user": {
            "displayName": "ada",
            "id": base64.urlsafe_b64encode(_sub(cognito_idp, pool_id).encode()).decode(),
            "name": "ada",
        },
    }
    # A base64url challenge (no padding) of random bytes, new every time.
    assert "=" not in challenge
    assert len(_b64decode(challenge)) >= 16


def test_every_start_has_a_new_challenge(cognito_idp, access_token, options):
    again = cognito_idp.start_web_authn_registration(AccessToken=access_token)
    assert again["CredentialCreationOptions"]["challenge"] != options["challenge"]


def test_a_registered_passkey_is_listed(cognito_idp, cognito_mock, access_token):
    authenticator = cognito_mock.passkey()
    with time_machine.travel(NOW, tick=False):
        credential = register(cognito_idp, access_token, authenticator)
    assert listed(cognito_idp, access_token) == [
        {
            "CredentialId": credential["id"],
            "FriendlyCredentialName": "Roaming passkey",
            "RelyingPartyId": RP_ID,
            "AuthenticatorAttachment": "cross-platform",
            "AuthenticatorTransports": ["usb"],
            "CreatedAt": NOW,
        }
    ]


@pytest.mark.parametrize(
    ("settings", "attachment", "name", "transports"),
    [
        ({"attachment": "platform", "transports": ("internal", "hybrid")}, "platform",
         "Platform passkey", ["internal", "hybrid"]),
        ({"attachment": None, "transports": ()}, None, "Passkey", []),
        ({"algorithm": -257}, "cross-platform", "Roaming passkey", ["usb"]),
        ({"attestation": "packed"}, "cross-platform", "Roaming passkey", ["usb"]),
    ],
)  # fmt: skip
def test_what_the_authenticator_reports_is_kept(
    cognito_idp, cognito_mock, access_token, settings, attachment, name, transports
):
    register(cognito_idp, access_token, cognito_mock.passkey(**settings))
    (description,) = listed(cognito_idp, access_token)
    assert description.get("AuthenticatorAttachment") == attachment
    assert description["FriendlyCredentialName"] == name
    assert description["AuthenticatorTransports"] == transports


def test_a_second_passkey_excludes_the_first(cognito_idp, cognito_mock, access_token):
    phone = cognito_mock.passkey(attachment="platform")
    first = register(cognito_idp, access_token, phone)
    options = cognito_idp.start_web_authn_registration(AccessToken=access_token)[
        "CredentialCreationOptions"
    ]
    assert options["excludeCredentials"] == [{"id": first["id"], "type": "public-key"}]
    # The authenticator that made the first passkey refuses, as a browser does...
    with pytest.raises(PasskeyError) as refused:
        phone.create(options)
    assert refused.value.name == "InvalidStateError"
    # ...and another one registers a second passkey.
    second = cognito_mock.passkey().create(options)
    cognito_idp.complete_web_authn_registration(AccessToken=access_token, Credential=second)
    assert [c["CredentialId"] for c in listed(cognito_idp, access_token)] == [
        first["id"],
        second["id"],
    ]


def test_passkeys_belong_to_their_user(cognito_idp, cognito_mock, pool_id, client_id, access_token):
    register(cognito_idp, access_token, cognito_mock.passkey())
    make_user(cognito_idp, pool_id, "bob")
    bob = sign_in(cognito_idp, pool_id, client_id, "bob")
    assert listed(cognito_idp, bob) == []
    options = cognito_idp.start_web_authn_registration(AccessToken=bob)
    assert options["CredentialCreationOptions"]["excludeCredentials"] == []


def test_delete_a_passkey(cognito_idp, cognito_mock, access_token):
    first = register(cognito_idp, access_token, cognito_mock.passkey())
    second = register(cognito_idp, access_token, cognito_mock.passkey())
    cognito_idp.delete_web_authn_credential(AccessToken=access_token, CredentialId=first["id"])
    assert [c["CredentialId"] for c in listed(cognito_idp, access_token)] == [second["id"]]
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        cognito_idp.delete_web_authn_credential(AccessToken=access_token, CredentialId=first["id"])
    assert error_of(raised) == ("ResourceNotFoundException", "Credential does not exist.")


def test_another_users_passkey_cannot_be_deleted(
    cognito_idp, cognito_mock, pool_id, client_id, access_token
):
    credential = register(cognito_idp, access_token, cognito_mock.passkey())
    make_user(cognito_idp, pool_id, "bob")
    bob = sign_in(cognito_idp, pool_id, client_id, "bob")
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException):
        cognito_idp.delete_web_authn_credential(AccessToken=bob, CredentialId=credential["id"])
    assert len(listed(cognito_idp, access_token)) == 1


def test_the_listing_pages(cognito_idp, cognito_mock, access_token):
    ids = [register(cognito_idp, access_token, cognito_mock.passkey())["id"] for _ in range(3)]
    first = cognito_idp.list_web_authn_credentials(AccessToken=access_token, MaxResults=2)
    assert [c["CredentialId"] for c in first["Credentials"]] == ids[:2]
    rest = cognito_idp.list_web_authn_credentials(
        AccessToken=access_token, MaxResults=2, NextToken=first["NextToken"]
    )
    assert [c["CredentialId"] for c in rest["Credentials"]] == ids[2:]
    assert "NextToken" not in rest
    # MaxResults 0 (or none) is the maximum page.
    everything = cognito_idp.list_web_authn_credentials(AccessToken=access_token, MaxResults=0)
    assert len(everything["Credentials"]) == 3
    assert "NextToken" not in everything


def test_listing_refuses_a_forged_token_and_a_page_too_large(cognito_idp, access_token):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
        cognito_idp.list_web_authn_credentials(AccessToken=access_token, NextToken="forged")
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.list_web_authn_credentials(AccessToken=access_token, MaxResults=21)
    assert "Member must have value less than or equal to 20" in error_of(raised)[1]


def test_twenty_passkeys_at_most(cognito_idp, cognito_mock, access_token):
    for _ in range(20):
        register(cognito_idp, access_token, cognito_mock.passkey())
    with pytest.raises(cognito_idp.exceptions.LimitExceededException) as raised:
        cognito_idp.start_web_authn_registration(AccessToken=access_token)
    assert error_of(raised) == (
        "LimitExceededException",
        "The user already has the maximum of 20 passkeys.",
    )
    assert len(listed(cognito_idp, access_token)) == 20
    # Deleting one makes room again.
    first = listed(cognito_idp, access_token)[0]["CredentialId"]
    cognito_idp.delete_web_authn_credential(AccessToken=access_token, CredentialId=first)
    register(cognito_idp, access_token, cognito_mock.passkey())


def test_every_operation_needs_a_valid_access_token(cognito_idp):
    calls = [
        lambda token: cognito_idp.start_web_authn_registration(AccessToken=token),
        lambda token: cognito_idp.complete_web_authn_registration(AccessToken=token, Credential={}),
        lambda token: cognito_idp.list_web_authn_credentials(AccessToken=token),
        lambda token: cognito_idp.delete_web_authn_credential(AccessToken=token, CredentialId="x"),
    ]
    for call in calls:
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            call("not.a.token")
        assert error_of(raised) == ("NotAuthorizedException", "Invalid Access Token")


def test_the_credential_is_sent_as_a_json_document(cognito_idp, cognito_mock, access_token):
    """The Credential member is a Document: botocore sends the object as JSON, as the AWS SDKs
    send ``credential.toJSON()``; a string holding the JSON is not a registration."""
    options = cognito_idp.start_web_authn_registration(AccessToken=access_token)[
        "CredentialCreationOptions"
    ]
    credential = cognito_mock.passkey().create(options)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
        cognito_idp.complete_web_authn_registration(
            AccessToken=access_token, Credential=json.dumps(credential)
        )
    cognito_idp.complete_web_authn_registration(AccessToken=access_token, Credential=credential)
