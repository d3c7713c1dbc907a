"""Registrations Cognito refuses, each with its error code and message: passkeys not enabled,
no relying party, a challenge that is gone, another app client, another relying party or
origin, an authenticator Cognito does not take, a credential that is not one."""

from __future__ import annotations

import base64
import json

import pytest
import time_machine
from support.errors import error_of
from support.model import requires_operation
from support.passkeys import (
    RP_ID,
    listed,
    make_client,
    make_user,
    passkey_pool,
    register,
    sign_in,
)

from pytest_cognito_mock.backend import passkeys

pytestmark = requires_operation("StartWebAuthnRegistration")

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd"


def complete(cognito_idp, access_token, credential):
    return cognito_idp.complete_web_authn_registration(
        AccessToken=access_token, Credential=credential
    )


def refused(cognito_idp, access_token, credential, code: str) -> str:
    """Complete with ``credential``: refused with ``code``; the message."""
    with pytest.raises(getattr(cognito_idp.exceptions, code)) as raised:
        complete(cognito_idp, access_token, credential)
    assert error_of(raised)[0] == code
    return error_of(raised)[1]


def token_in(cognito_idp, pool_id: str) -> str:
    make_user(cognito_idp, pool_id)
    return sign_in(cognito_idp, pool_id, make_client(cognito_idp, pool_id))


# -- the pool ----------------------------------------------------------------------------------


def test_passkeys_need_web_authn_among_the_first_factors(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": RP_ID}
    )
    token = token_in(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.WebAuthnNotEnabledException) as raised:
        cognito_idp.start_web_authn_registration(AccessToken=token)
    assert error_of(raised) == (
        "WebAuthnNotEnabledException",
        "The passkey feature isn't enabled for the user pool.",
    )
    # Listing works all the same (it has no such error), and lists nothing.
    assert listed(cognito_idp, token) == []


def test_passkeys_turned_off_between_start_and_complete(
    cognito_idp, cognito_mock, pool_id, access_token, options
):
    credential = cognito_mock.passkey().create(options)
    cognito_idp.update_user_pool(
        UserPoolId=pool_id, Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}}
    )
    message = refused(cognito_idp, access_token, credential, "WebAuthnNotEnabledException")
    assert message == passkeys.NOT_ENABLED


def test_an_update_leaving_out_the_sign_in_policy_keeps_it(cognito_idp, pool_id, access_token):
    cognito_idp.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"])
    policy = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert policy["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}
    cognito_idp.start_web_authn_registration(AccessToken=access_token)


def test_no_relying_party_and_no_domain(cognito_idp):
    pool_id = passkey_pool(cognito_idp, rp_id=None)
    token = token_in(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.WebAuthnConfigurationMissingException) as raised:
        cognito_idp.start_web_authn_registration(AccessToken=token)
    assert error_of(raised) == (
        "WebAuthnConfigurationMissingException",
        "The user pool doesn't have a configured relying party id or a user pool domain.",
    )


def test_the_relying_party_defaults_to_the_pool_domain(cognito_idp, cognito_mock):
    pool_id = passkey_pool(cognito_idp, rp_id=None)
    token = token_in(cognito_idp, pool_id)
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="shop")
    prefix_host = "shop.auth.us-east-1.amazoncognito.com"
    options = cognito_idp.start_web_authn_registration(AccessToken=token)
    assert options["CredentialCreationOptions"]["rp"] == {"id": prefix_host, "name": prefix_host}
    # A custom domain, when there is one, is the relying party.
    cognito_idp.create_user_pool_domain(
        UserPoolId=pool_id,
        Domain="login.shop.example",
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )
    options = cognito_idp.start_web_authn_registration(AccessToken=token)
    assert options["CredentialCreationOptions"]["rp"]["id"] == "login.shop.example"
    credential = register(cognito_idp, token, cognito_mock.passkey())
    assert credential["id"] == listed(cognito_idp, token)[0]["CredentialId"]
    assert listed(cognito_idp, token)[0]["RelyingPartyId"] == "login.shop.example"


# -- the challenge -----------------------------------------------------------------------------


def test_complete_without_start(cognito_idp, access_token):
    message = refused(cognito_idp, access_token, {}, "WebAuthnChallengeNotFoundException")
    assert message == "The challenge from StartWebAuthn registration has expired."


def test_a_completed_challenge_is_used_up(cognito_idp, cognito_mock, access_token, options):
    credential = cognito_mock.passkey().create(options)
    complete(cognito_idp, access_token, credential)
    refused(cognito_idp, access_token, credential, "WebAuthnChallengeNotFoundException")


def test_the_challenge_expires_after_sixty_seconds(cognito_idp, cognito_mock, access_token):
    with time_machine.travel("2026-03-01 12:00:00", tick=False) as traveller:
        options = cognito_idp.start_web_authn_registration(AccessToken=access_token)
        credential = cognito_mock.passkey().create(options["CredentialCreationOptions"])
        traveller.shift(60)
        refused(cognito_idp, access_token, credential, "WebAuthnChallengeNotFoundException")
    with time_machine.travel("2026-03-01 12:10:00", tick=False) as traveller:
        options = cognito_idp.start_web_authn_registration(AccessToken=access_token)
        credential = cognito_mock.passkey().create(options["CredentialCreationOptions"])
        traveller.shift(59)
        complete(cognito_idp, access_token, credential)


def test_a_new_start_replaces_the_challenge(cognito_idp, cognito_mock, access_token, options):
    cognito_idp.start_web_authn_registration(AccessToken=access_token)
    stale = cognito_mock.passkey().create(options)
    refused(cognito_idp, access_token, stale, "WebAuthnChallengeNotFoundException")


def test_a_refused_answer_leaves_the_challenge_pending(
    cognito_idp, cognito_mock, access_token, options
):
    wrong = cognito_mock.passkey(origin="https://evil.example").create(options)
    refused(cognito_idp, access_token, wrong, "WebAuthnOriginNotAllowedException")
    complete(cognito_idp, access_token, cognito_mock.passkey().create(options))


def test_start_and_complete_with_tokens_of_two_clients(
    cognito_idp, cognito_mock, pool_id, access_token, options
):
    mobile = make_client(cognito_idp, pool_id, "mobile")
    other_token = sign_in(cognito_idp, pool_id, mobile)
    credential = cognito_mock.passkey().create(options)
    message = refused(cognito_idp, other_token, credential, "WebAuthnClientMismatchException")
    assert message == (
        "The access token is for a different client than the one in the original "
        "StartWebAuthnRegistration request."
    )
    complete(cognito_idp, access_token, credential)


# -- the credential ----------------------------------------------------------------------------


def test_a_credential_for_another_relying_party(cognito_idp, cognito_mock, access_token, options):
    credential = cognito_mock.passkey(rp_id="example.com").create(options)
    message = refused(
        cognito_idp, access_token, credential, "WebAuthnRelyingPartyMismatchException"
    )
    assert message == (
        "The given passkey credential is associated with a different relying party ID than the "
        "user pool relying party ID."
    )


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://auth.example.com",
        "https://auth.example.com.evil.example",
        "https://example.com",
        "https://xauth.example.com",
        "http://localhost:3000",
        "https://auth.example.com/path",
        "https://auth.example.com:notaport",
    ],
)
def test_origins_not_allowed(cognito_idp, cognito_mock, access_token, options, origin):
    credential = cognito_mock.passkey(origin=origin).create(options)
    message = refused(cognito_idp, access_token, credential, "WebAuthnOriginNotAllowedException")
    assert message == (
        "The passkey credential's registration origin does not align with the user pool "
        "relying party id."
    )


@pytest.mark.parametrize(
    "origin",
    ["https://auth.example.com", "https://shop.auth.example.com", "https://auth.example.com:8443"],
)
def test_origins_allowed(cognito_idp, cognito_mock, access_token, options, origin):
    complete(cognito_idp, access_token, cognito_mock.passkey(origin=origin).create(options))


def test_extra_origins_for_an_app_on_localhost(cognito_idp, cognito_mock, access_token, options):
    assert cognito_mock.passkey_origins == frozenset()
    cognito_mock.passkey_origins = {"http://localhost:3000"}
    assert cognito_mock.passkey_origins == {"http://localhost:3000"}
    wrong_port = cognito_mock.passkey(origin="http://localhost:3001").create(options)
    refused(cognito_idp, access_token, wrong_port, "WebAuthnOriginNotAllowedException")
    complete(
        cognito_idp,
        access_token,
        cognito_mock.passkey(origin="http://localhost:3000").create(options),
    )
    with pytest.raises(TypeError):
        cognito_mock.passkey_origins = "http://localhost:3000"


@pytest.mark.parametrize(
    "settings",
    [
        {"algorithm": -8},
        {"algorithm": -8, "attestation": "packed"},
        {"attestation": "packed", "tamper": True},
    ],
)
def test_credentials_cognito_does_not_take(
    cognito_idp, cognito_mock, access_token, options, settings
):
    credential = cognito_mock.passkey(**settings).create(options)
    message = refused(
        cognito_idp, access_token, credential, "WebAuthnCredentialNotSupportedException"
    )
    assert message == (
        "The user presented passkey credentials from an unsupported device or provider."
    )


def test_user_verification_when_the_pool_requires_it(cognito_idp, cognito_mock):
    pool_id = passkey_pool(cognito_idp, UserVerification="required")
    token = token_in(cognito_idp, pool_id)
    options = cognito_idp.start_web_authn_registration(AccessToken=token)[
        "CredentialCreationOptions"
    ]
    assert options["authenticatorSelection"]["userVerification"] == "required"
    unverified = cognito_mock.passkey(user_verified=False).create(options)
    refused(cognito_idp, token, unverified, "WebAuthnCredentialNotSupportedException")
    complete(cognito_idp, token, cognito_mock.passkey().create(options))


def test_user_verification_is_optional_when_preferred(
    cognito_idp, cognito_mock, access_token, options
):
    complete(cognito_idp, access_token, cognito_mock.passkey(user_verified=False).create(options))


def test_a_presence_less_credential_is_not_taken(cognito_idp, cognito_mock, access_token, options):
    credential = cognito_mock.passkey(user_present=False).create(options)
    refused(cognito_idp, access_token, credential, "WebAuthnCredentialNotSupportedException")


def test_the_same_credential_twice(cognito_idp, cognito_mock, access_token, options):
    authenticator = cognito_mock.passkey()
    authenticator._new_credential_id = lambda: b"\x01" * 32
    complete(cognito_idp, access_token, authenticator.create(options))
    again = cognito_idp.start_web_authn_registration(AccessToken=access_token)
    authenticator.credentials.clear()  # forgets it, so it does not refuse the exclusion
    credential = authenticator.create(again["CredentialCreationOptions"])
    message = refused(cognito_idp, access_token, credential, "InvalidParameterException")
    assert message == "The passkey credential is already registered."


def _mangled(credential, path, value):
    mangled = {**credential, "response": dict(credential["response"])}
    target = mangled
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return mangled


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("type",), "password"),
        (("rawId",), "AAAA"),
        (("response", "attestationObject"), "not-cbor"),
        (("response", "attestationObject"), ...),
        (("response", "clientDataJSON"), "e30"),  # {}
        (("response",), "text"),
    ],
)
def test_credentials_that_are_not_registrations(
    cognito_idp, cognito_mock, access_token, options, path, value
):
    credential = _mangled(cognito_mock.passkey().create(options), path, value)
    message = refused(cognito_idp, access_token, credential, "InvalidParameterException")
    assert message == "The Credential is not a valid RegistrationResponseJSON."


def _client_data(**members) -> str:
    return base64.urlsafe_b64encode(json.dumps(members).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "client_data",
    [
        {"type": "webauthn.get", "origin": f"https://{RP_ID}"},
        {"type": "webauthn.create", "origin": 443},
        {"type": ["webauthn.create"], "origin": f"https://{RP_ID}"},
    ],
)
def test_client_data_of_no_registration(
    cognito_idp, cognito_mock, access_token, options, client_data
):
    data = _client_data(challenge=options["challenge"], **client_data)
    credential = _mangled(
        cognito_mock.passkey().create(options), ("response", "clientDataJSON"), data
    )
    message = refused(cognito_idp, access_token, credential, "InvalidParameterException")
    assert message == "The Credential is not a valid RegistrationResponseJSON."


def test_a_credential_id_that_is_not_the_attested_one(
    cognito_idp, cognito_mock, access_token, options
):
    credential = {**cognito_mock.passkey().create(options), "id": "AAAA", "rawId": "AAAA"}
    refused(cognito_idp, access_token, credential, "InvalidParameterException")


def test_transports_that_are_not_a_list_are_not_kept(
    cognito_idp, cognito_mock, access_token, options
):
    credential = cognito_mock.passkey().create(options)
    complete(cognito_idp, access_token, _mangled(credential, ("response", "transports"), "usb"))
    assert listed(cognito_idp, access_token)[0]["AuthenticatorTransports"] == []


@pytest.mark.parametrize("credential", [{}, [], "text", 7, True])
def test_documents_that_are_not_credentials(cognito_idp, access_token, options, credential):
    refused(cognito_idp, access_token, credential, "InvalidParameterException")


def test_an_assertion_is_not_a_registration(cognito_idp, cognito_mock, access_token, options):
    """A ``webauthn.get`` answer (a sign-in) sent to CompleteWebAuthnRegistration."""
    authenticator = cognito_mock.passkey()
    complete(cognito_idp, access_token, authenticator.create(options))
    again = cognito_idp.start_web_authn_registration(AccessToken=access_token)
    challenge = again["CredentialCreationOptions"]["challenge"]
    assertion = json.loads(authenticator.get({"challenge": challenge, "rpId": RP_ID}))
    refused(cognito_idp, access_token, assertion, "InvalidParameterException")
