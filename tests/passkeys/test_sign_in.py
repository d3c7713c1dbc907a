"""The two steps of a passkey sign-in, at the backend (USER_AUTH's WEB_AUTHN challenge calls
them): ``assertion_options`` makes CREDENTIAL_REQUEST_OPTIONS, ``verify_assertion`` checks the
CREDENTIAL answer. A good assertion passes; a replay, a tampered signature, another origin or
relying party, another challenge, an unknown credential are refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from support.model import requires_operation
from support.passkeys import RP_ID, make_user, register, sign_in

from pytest_cognito_mock.backend import passkeys
from pytest_cognito_mock.backend.errors import (
    NotAuthorizedException,
    WebAuthnConfigurationMissingException,
)
from pytest_cognito_mock.backend.models import User, UserPool

pytestmark = requires_operation("StartWebAuthnRegistration")


@contextmanager
def user_in(cognito_mock, pool_id: str, username: str = "ada") -> Iterator[tuple[UserPool, User]]:
    with cognito_mock._service.transaction() as backend:
        pool = backend.pools[pool_id]
        yield pool, pool.users[username]


@pytest.fixture
def authenticator(cognito_idp, cognito_mock, access_token):
    """A software authenticator holding ada's registered passkey."""
    authenticator = cognito_mock.passkey()
    register(cognito_idp, access_token, authenticator)
    return authenticator


def signs_in(cognito_mock, pool_id, authenticator, username="ada", **extra) -> None:
    """One whole passkey sign-in at the backend; NotAuthorizedException when refused."""
    with user_in(cognito_mock, pool_id, username) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
        passkeys.verify_assertion(pool, user, authenticator.get(options), state, **extra)


def refused(cognito_mock, pool_id, answer: str, state) -> None:
    with (
        user_in(cognito_mock, pool_id) as (pool, user),
        pytest.raises(NotAuthorizedException) as raised,
    ):
        passkeys.verify_assertion(pool, user, answer, state)
    assert raised.value.message == "Invalid passkey credential."


def test_the_request_options(cognito_mock, pool_id, authenticator):
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
    request = json.loads(options)
    assert list(request) == ["challenge", "rpId", "allowCredentials", "timeout", "userVerification"]
    assert request["rpId"] == RP_ID
    assert request["timeout"] == 60000
    assert request["userVerification"] == "preferred"
    (credential,) = authenticator.credentials
    assert request["allowCredentials"] == [
        {"type": "public-key", "id": credential.credential_id, "transports": ["usb"]}
    ]
    assert state == {
        "challenge": request["challenge"],
        "rp_id": RP_ID,
        "user_verification": "preferred",
    }
    json.dumps(state)  # kept in a sign-in session as it is


def test_a_good_assertion_passes_and_counts(cognito_mock, pool_id, authenticator):
    signs_in(cognito_mock, pool_id, authenticator)
    signs_in(cognito_mock, pool_id, authenticator)
    with user_in(cognito_mock, pool_id) as (_, user):
        assert [p.sign_count for p in user.passkeys] == [2]


def test_a_replayed_assertion_is_refused(cognito_mock, pool_id, authenticator):
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
        answer = authenticator.get(options)
        passkeys.verify_assertion(pool, user, answer, state)
    refused(cognito_mock, pool_id, answer, state)


def test_a_counter_that_does_not_grow_is_refused(cognito_mock, pool_id, authenticator):
    authenticator.sign_count = 5
    signs_in(cognito_mock, pool_id, authenticator)  # 0 -> 5
    with pytest.raises(NotAuthorizedException):
        signs_in(cognito_mock, pool_id, authenticator)  # 5 again


def test_an_authenticator_without_a_counter_signs_in_every_time(
    cognito_idp, cognito_mock, pool_id, access_token
):
    synced = cognito_mock.passkey(sign_count=0, attachment="platform")
    register(cognito_idp, access_token, synced)
    for _ in range(3):
        signs_in(cognito_mock, pool_id, synced)


@pytest.mark.parametrize(
    "misbehaviour",
    [
        {"tamper": True},
        {"origin": "https://evil.example"},
        {"origin": "http://auth.example.com"},
        {"rp_id": "example.com"},
        {"user_present": False},
    ],
)
def test_misbehaving_authenticators_are_refused(cognito_mock, pool_id, authenticator, misbehaviour):
    for name, value in misbehaviour.items():
        setattr(authenticator, name, value)
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
        answer = authenticator.get(options)
    refused(cognito_mock, pool_id, answer, state)


def test_an_answer_to_another_challenge_is_refused(cognito_mock, pool_id, authenticator):
    with user_in(cognito_mock, pool_id) as (pool, user):
        first, _ = passkeys.assertion_options(pool, user)
        _, second_state = passkeys.assertion_options(pool, user)
    refused(cognito_mock, pool_id, authenticator.get(first), second_state)


def test_an_unknown_credential_is_refused(
    cognito_idp, cognito_mock, pool_id, client_id, authenticator
):
    # Bob's passkey, offered for ada's sign-in.
    make_user(cognito_idp, pool_id, "bob")
    bobs = cognito_mock.passkey()
    register(cognito_idp, sign_in(cognito_idp, pool_id, client_id, "bob"), bobs)
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
    discoverable = {**json.loads(options), "allowCredentials": []}
    refused(cognito_mock, pool_id, bobs.get(discoverable), state)


def test_a_deleted_passkey_no_longer_signs_in(cognito_idp, cognito_mock, pool_id, access_token):
    authenticator = cognito_mock.passkey()
    credential = register(cognito_idp, access_token, authenticator)
    cognito_idp.delete_web_authn_credential(AccessToken=access_token, CredentialId=credential["id"])
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
    assert json.loads(options)["allowCredentials"] == []
    refused(cognito_mock, pool_id, authenticator.get(options), state)


def test_another_users_handle_is_refused(cognito_mock, pool_id, authenticator):
    authenticator.credentials[0].user_handle = b"someone else"
    with pytest.raises(NotAuthorizedException):
        signs_in(cognito_mock, pool_id, authenticator)


@pytest.mark.parametrize("answer", ["", "{", "[]", '{"type": "public-key"}', '"text"'])
def test_answers_that_are_not_assertions_are_refused(cognito_mock, pool_id, authenticator, answer):
    with user_in(cognito_mock, pool_id) as (pool, user):
        _, state = passkeys.assertion_options(pool, user)
    refused(cognito_mock, pool_id, answer, state)


@pytest.mark.parametrize("challenge", ["a", None])
def test_a_state_without_its_challenge_refuses(cognito_mock, pool_id, authenticator, challenge):
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
    refused(cognito_mock, pool_id, authenticator.get(options), {**state, "challenge": challenge})


def test_client_data_without_an_origin_refuses(cognito_mock, pool_id, authenticator):
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
    answer = json.loads(authenticator.get(options))
    client_data = {"type": "webauthn.get", "challenge": state["challenge"], "origin": None}
    encoded = base64.urlsafe_b64encode(json.dumps(client_data).encode()).decode().rstrip("=")
    answer["response"]["clientDataJSON"] = encoded
    refused(cognito_mock, pool_id, json.dumps(answer), state)


def test_passkeys_without_transports_are_allowed_without(
    cognito_idp, cognito_mock, pool_id, access_token
):
    register(cognito_idp, access_token, cognito_mock.passkey(transports=()))
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, _ = passkeys.assertion_options(pool, user)
    (allowed,) = json.loads(options)["allowCredentials"]
    assert set(allowed) == {"type", "id"}


def test_a_registration_is_not_an_assertion(cognito_idp, cognito_mock, pool_id, authenticator):
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
    request = json.loads(options)
    creation = {
        "challenge": request["challenge"],
        "rp": {"id": RP_ID, "name": RP_ID},
        "user": {"id": "dXNlcg", "name": "ada", "displayName": "ada"},
        "pubKeyCredParams": [{"alg": -7, "type": "public-key"}],
    }
    registration = cognito_mock.passkey().create(creation)
    refused(cognito_mock, pool_id, json.dumps(registration), state)


def test_user_verification_when_the_pool_requires_it(
    cognito_idp, cognito_mock, pool_id, authenticator
):
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        WebAuthnConfiguration={"RelyingPartyId": RP_ID, "UserVerification": "required"},
    )
    with user_in(cognito_mock, pool_id) as (pool, user):
        options, state = passkeys.assertion_options(pool, user)
    assert json.loads(options)["userVerification"] == "required"
    authenticator.user_verified = False
    refused(cognito_mock, pool_id, authenticator.get(options), state)
    authenticator.user_verified = True
    signs_in(cognito_mock, pool_id, authenticator)


def test_extra_origins(cognito_mock, pool_id, authenticator):
    authenticator.origin = "http://localhost:3000"
    with pytest.raises(NotAuthorizedException):
        signs_in(cognito_mock, pool_id, authenticator)
    signs_in(cognito_mock, pool_id, authenticator, extra_origins={"http://localhost:3000"})


def test_an_rs256_passkey_signs_in(cognito_idp, cognito_mock, pool_id, access_token):
    authenticator = cognito_mock.passkey(algorithm=-257)
    register(cognito_idp, access_token, authenticator)
    signs_in(cognito_mock, pool_id, authenticator)


def test_no_relying_party_no_options(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(PoolName="bare")["UserPool"]["Id"]
    make_user(cognito_idp, pool_id)
    with (
        user_in(cognito_mock, pool_id) as (pool, user),
        pytest.raises(WebAuthnConfigurationMissingException),
    ):
        passkeys.assertion_options(pool, user)
