"""Signing in with a passkey through USER_AUTH: offered once the user has one, the WEB_AUTHN
challenge answered by the software authenticator (and by py_webauthn-checked credentials), and
the assertions AWS refuses."""

from __future__ import annotations

import json

import pytest
from support.errors import error_of
from support.passkeys import make_user, passkey_pool, register, sign_in

FLOWS = ["ALLOW_USER_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def setup(cognito_idp, cognito_mock):
    pool_id = passkey_pool(cognito_idp)
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    make_user(cognito_idp, pool_id)
    authenticator = cognito_mock.passkey()
    register(cognito_idp, sign_in(cognito_idp, pool_id, client_id), authenticator)
    return pool_id, client_id, authenticator


def _start(cognito_idp, client_id, **parameters):
    return cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada", **parameters}
    )


def _answer(cognito_idp, client_id, challenge, credential):
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="WEB_AUTHN",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "CREDENTIAL": credential},
    )


def test_a_user_without_a_passkey_is_not_offered_one(cognito_idp):
    pool_id = passkey_pool(cognito_idp)
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    make_user(cognito_idp, pool_id)
    assert _start(cognito_idp, client_id)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


def test_sign_in_with_the_registered_passkey(cognito_idp, setup):
    _, client_id, authenticator = setup
    select = _start(cognito_idp, client_id)
    assert select["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]
    challenge = _start(cognito_idp, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert options["rpId"] == "auth.example.com"
    [allowed] = options["allowCredentials"]
    tokens = _answer(cognito_idp, client_id, challenge, authenticator.get(options))
    access = tokens["AuthenticationResult"]["AccessToken"]
    assert cognito_idp.get_user(AccessToken=access)["Username"] == "ada"
    listed = cognito_idp.list_web_authn_credentials(AccessToken=access)["Credentials"]
    assert [c["CredentialId"] for c in listed] == [allowed["id"]]


def test_choosing_the_passkey_in_select_challenge(cognito_idp, setup):
    _, client_id, authenticator = setup
    select = _start(cognito_idp, client_id)
    challenge = cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=select["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "WEB_AUTHN"},
    )
    options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    result = _answer(cognito_idp, client_id, challenge, authenticator.get(options))
    assert "IdToken" in result["AuthenticationResult"]


def test_a_replayed_assertion_is_refused(cognito_idp, setup):
    _, client_id, authenticator = setup
    challenge = _start(cognito_idp, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    credential = authenticator.get(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    _answer(cognito_idp, client_id, challenge, credential)
    again = _start(cognito_idp, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        _answer(cognito_idp, client_id, again, credential)  # signed over the old challenge
    assert error_of(raised)[1] == "Invalid passkey credential."


@pytest.mark.parametrize(
    "misbehaviour",
    [{"origin": "https://evil.example.net"}, {"rp_id": "example.net"}, {"tamper": True}],
)
def test_assertions_from_the_wrong_place_or_tampered_are_refused(
    cognito_idp, cognito_mock, setup, misbehaviour
):
    _, client_id, authenticator = setup
    for name, value in misbehaviour.items():
        setattr(authenticator, name, value)
    challenge = _start(cognito_idp, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    credential = authenticator.get(options)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        _answer(cognito_idp, client_id, challenge, credential)
    assert error_of(raised)[1] == "Invalid passkey credential."


def test_another_authenticator_cannot_answer(cognito_idp, cognito_mock, setup):
    pool_id, client_id, _ = setup
    stranger = cognito_mock.passkey()
    make_user(cognito_idp, pool_id, "grace")
    register(cognito_idp, sign_in(cognito_idp, pool_id, client_id, "grace"), stranger)
    challenge = _start(cognito_idp, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    options["allowCredentials"] = []  # a discoverable credential of another user
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        _answer(cognito_idp, client_id, challenge, stranger.get(options))


def test_passkey_sign_in_skips_mfa(cognito_idp, cognito_mock, setup):
    pool_id, client_id, authenticator = setup
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
        WebAuthnConfiguration={"RelyingPartyId": "auth.example.com"},
    )
    challenge = _start(cognito_idp, client_id, PREFERRED_CHALLENGE="WEB_AUTHN")
    options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    result = _answer(cognito_idp, client_id, challenge, authenticator.get(options))
    assert "AccessToken" in result["AuthenticationResult"]
