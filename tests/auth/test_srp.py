"""USER_SRP_AUTH: the SRP-6a math, the PASSWORD_VERIFIER answer at the backend, and the whole
sign-in through boto3 with pycognito's ``AWSSRP`` helper computing the client side."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest
from freezegun import freeze_time
from pycognito.aws_srp import AWSSRP
from support.errors import error_of
from support.users import make_user

from pytest_cognito_mock.backend import flow_srp, srp
from pytest_cognito_mock.backend.errors import ServiceError

PASSWORD = "Corr3ct-horse!"

# -- the math, against vectors derived once with pycognito's client code ---------------------

A_SECRET = int.from_bytes(hashlib.sha256(b"a").digest() * 4, "big")
B_SECRET = int.from_bytes(hashlib.sha256(b"b").digest() * 4, "big")
SALT = 0x8CE8291892390F6B53A245933FAF6164
BLOCK = b"\x02\x05\x78" + bytes(range(32))
STAMP = "Sat Sep 5 09:03:07 UTC 2026"


def test_the_multiplier_is_cognitos():
    assert f"{srp.K:x}" == "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
    assert srp.N.bit_length() == 3072
    assert srp.G == 2


@pytest.mark.parametrize(
    ("value", "padded"),
    [(0, "00"), (0x7F, "7f"), (0x80, "0080"), (0xABC, "0abc"), (0x1FF, "01ff"), (0xFF00, "00ff00")],
)
def test_numbers_are_hashed_as_java_byte_arrays(value, padded):
    assert srp.pad_hex(value) == padded


def test_a_fixed_handshake_gives_the_known_key_and_signature():
    x = srp.private_key("Abc123XyZ", "ada", PASSWORD, SALT)
    assert f"{x:x}" == "7595879b60c1f2f0608888c2b51ee09e22f6d039826863e46a1fe69aebe6fe31"
    v = srp.verifier(x)
    server_public = srp.server_public(v, B_SECRET)
    client_public = pow(srp.G, A_SECRET, srp.N)
    u = srp.scrambler(client_public, server_public)
    assert f"{u:x}" == "99d2d53ddc9202ef0affff604ad44f854bf61cc246a21d8e6532c68cc614a163"
    key = srp.derive_key(srp.server_premaster(client_public, v, u, B_SECRET), u)
    assert key.hex() == "e3ead018759e80de750e6ed96da5bcb3"
    signature = srp.claim_signature(key, "Abc123XyZ", "ada", BLOCK, STAMP)
    assert signature == "JKNnau7htPS1sjb2EeEZQ6Sueu7kCpRdj/Rz9meTmA8="


def test_server_and_pycognito_derive_the_same_key_for_fresh_secrets():
    client = AWSSRP("ada", PASSWORD, "eu-west-1_Zz9", "client", client=object())
    salt = int.from_bytes(hashlib.sha256(b"salt").digest()[:16], "big")
    v = srp.verifier(srp.private_key("Zz9", "ada", PASSWORD, salt))
    b = srp.random_exponent()
    server_public = srp.server_public(v, b)
    u = srp.scrambler(client.large_a_value, server_public)
    server_key = srp.derive_key(srp.server_premaster(client.large_a_value, v, u, b), u)
    client_key = client.get_password_authentication_key(
        "ada", PASSWORD, server_public, srp.to_hex(salt)
    )
    assert server_key == bytes(client_key)
    wrong_key = client.get_password_authentication_key(
        "ada", "not-it", server_public, srp.to_hex(salt)
    )
    assert server_key != bytes(wrong_key)


def test_timestamps_are_written_like_the_clients_write_them():
    moment = datetime(2026, 9, 5, 9, 3, 7, tzinfo=timezone.utc)
    assert srp.format_timestamp(moment) == STAMP
    assert AWSSRP.get_cognito_formatted_timestamp(moment) == STAMP
    assert srp.format_timestamp(datetime(2026, 11, 26, 23, 0, 0)) == "Thu Nov 26 23:00:00 UTC 2026"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        (STAMP, datetime(2026, 9, 5, 9, 3, 7, tzinfo=timezone.utc)),
        # readable, but not how the server writes it: such a claim parses and fails to verify
        ("Sat Sep 05 09:03:07 UTC 2026", datetime(2026, 9, 5, 9, 3, 7, tzinfo=timezone.utc)),
        ("Mon Sep 5 09:03:07 UTC 2026", datetime(2026, 9, 5, 9, 3, 7, tzinfo=timezone.utc)),
        ("2026-09-05T09:03:07Z", None),
        ("Sat Sep 5 09:03:07 PST 2026", None),
        ("Sat Sept 5 09:03:07 UTC 2026", None),
        ("Sat Feb 31 09:03:07 UTC 2026", None),
        ("sat sep 5 09:03:07 UTC 2026", None),
    ],
)
def test_timestamps_are_parsed_strictly_but_for_the_day_width(text, parsed):
    assert srp.parse_timestamp(text) == parsed


@pytest.mark.parametrize(("text", "value"), [("ff", 255), ("0A", 10), ("0x10", None), ("", None)])
def test_hex_on_the_wire_is_plain_hex(text, value):
    assert srp.parse_hex(text) == value


# -- helpers for the service-level tests -------------------------------------------------------


def make_pool(cognito_idp, **kwargs) -> str:
    return cognito_idp.create_user_pool(PoolName="app", **kwargs)["UserPool"]["Id"]


def make_client(cognito_idp, pool_id, **kwargs) -> dict:
    return cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **kwargs)[
        "UserPoolClient"
    ]


def start_srp(cognito_idp, pool_id, client, username="ada", password=PASSWORD, admin=False):
    """InitiateAuth(USER_SRP_AUTH) through boto3; returns (helper, response, answer)."""
    helper = AWSSRP(
        username,
        password,
        pool_id,
        client["ClientId"],
        client=cognito_idp,
        client_secret=client.get("ClientSecret"),
    )
    parameters = helper.get_auth_params()
    if admin:
        response = cognito_idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client["ClientId"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters=parameters,
        )
    else:
        response = cognito_idp.initiate_auth(
            ClientId=client["ClientId"], AuthFlow="USER_SRP_AUTH", AuthParameters=parameters
        )
    answer = helper.process_challenge(response["ChallengeParameters"], parameters)
    return helper, response, answer


def answer_in_backend(cognito_mock, pool_id, client_id, answer):
    """The PASSWORD_VERIFIER answer checked by the backend directly (no RespondToAuthChallenge)."""
    backend = cognito_mock._service.backend
    pool = backend.pools[pool_id]
    client = pool.clients[client_id]
    with cognito_mock._service.lock:
        session = flow_srp.password_verifier_session(backend, client, None, answer)
        return flow_srp.answer_password_verifier(backend, pool, client, session, answer)


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def resign(helper, challenge, answer, timestamp):
    """``answer`` signed again over another TIMESTAMP text, as a careless client would."""
    user_id = challenge["USER_ID_FOR_SRP"]
    key = helper.get_password_authentication_key(
        user_id, helper.password, int(challenge["SRP_B"], 16), challenge["SALT"]
    )
    message = (
        helper.pool_id.split("_")[1].encode()
        + user_id.encode()
        + base64.b64decode(challenge["SECRET_BLOCK"])
        + timestamp.encode()
    )
    signature = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    return {**answer, "TIMESTAMP": timestamp, "PASSWORD_CLAIM_SIGNATURE": signature}


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return make_pool(cognito_idp)


@pytest.fixture
def client(cognito_idp, pool_id) -> dict:
    return make_client(cognito_idp, pool_id)


# -- InitiateAuth: the challenge ---------------------------------------------------------------


def test_srp_sign_in_starts_with_a_password_verifier_challenge(cognito_idp, pool_id, client):
    make_user(cognito_idp, pool_id)
    _, response, _ = start_srp(cognito_idp, pool_id, client)
    assert response["ChallengeName"] == "PASSWORD_VERIFIER"
    assert "Session" not in response  # the secret block ties the answer to the challenge
    parameters = response["ChallengeParameters"]
    assert sorted(parameters) == ["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"]
    assert parameters["USERNAME"] == parameters["USER_ID_FOR_SRP"] == "ada"
    assert srp.parse_hex(parameters["SALT"]) is not None
    assert 0 < int(parameters["SRP_B"], 16) < srp.N
    assert base64.b64decode(parameters["SECRET_BLOCK"])[:3] == b"\x02\x05\x78"


def test_the_salt_stays_while_the_password_does(cognito_idp, pool_id, client):
    make_user(cognito_idp, pool_id)
    first = start_srp(cognito_idp, pool_id, client)[1]["ChallengeParameters"]
    second = start_srp(cognito_idp, pool_id, client)[1]["ChallengeParameters"]
    assert first["SALT"] == second["SALT"]
    assert first["SRP_B"] != second["SRP_B"]
    assert first["SECRET_BLOCK"] != second["SECRET_BLOCK"]


def test_unknown_user_is_refused_at_initiate(cognito_idp, pool_id, client):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        start_srp(cognito_idp, pool_id, client, username="nobody")
    assert error_of(raised) == ("UserNotFoundException", "User does not exist.")


def signed_up(cognito_idp, client) -> None:
    """An UNCONFIRMED user (SignUp, no confirmation)."""
    cognito_idp.sign_up(ClientId=client["ClientId"], Username="ada", Password=PASSWORD)


@pytest.mark.parametrize("password", [PASSWORD, "Wr0ng-password!"], ids=["right", "wrong"])
def test_an_unconfirmed_user_is_refused_at_initiate_whatever_the_password(
    cognito_idp, cognito_mock, pool_id, client, password
):
    signed_up(cognito_idp, client)
    before = len(cognito_mock.calls)
    # pycognito's whole sign-in: the refusal comes from InitiateAuth, before any proof is sent.
    helper = AWSSRP("ada", password, pool_id, client["ClientId"], client=cognito_idp)
    with pytest.raises(cognito_idp.exceptions.UserNotConfirmedException) as raised:
        helper.authenticate_user()
    assert error_of(raised) == ("UserNotConfirmedException", "User is not confirmed.")
    assert [(c.operation, c.error_code) for c in cognito_mock.calls[before:]] == [
        ("InitiateAuth", "UserNotConfirmedException")
    ]


@pytest.mark.parametrize("flow", ["USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH"])
def test_an_unconfirmed_user_is_told_so_even_with_a_wrong_password(cognito_idp, pool_id, flow):
    client = make_client(
        cognito_idp,
        pool_id,
        ExplicitAuthFlows=[f"ALLOW_{flow}", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    signed_up(cognito_idp, client)
    parameters = {"USERNAME": "ada", "PASSWORD": "Wr0ng-password!"}
    with pytest.raises(cognito_idp.exceptions.UserNotConfirmedException) as raised:
        if flow.startswith("ADMIN_"):
            cognito_idp.admin_initiate_auth(
                UserPoolId=pool_id,
                ClientId=client["ClientId"],
                AuthFlow=flow,
                AuthParameters=parameters,
            )
        else:
            cognito_idp.initiate_auth(
                ClientId=client["ClientId"], AuthFlow=flow, AuthParameters=parameters
            )
    assert error_of(raised) == ("UserNotConfirmedException", "User is not confirmed.")


def test_unknown_user_with_prevented_existence_errors(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, PreventUserExistenceErrors="ENABLED")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        start_srp(cognito_idp, pool_id, client, username="nobody")
    assert error_of(raised)[1] == "Incorrect username or password."


def test_a_client_without_srp_refuses_the_flow(cognito_idp, pool_id):
    client = make_client(
        cognito_idp,
        pool_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        start_srp(cognito_idp, pool_id, client)
    assert error_of(raised)[1] == "USER_SRP_AUTH flow not enabled for this client"


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"USERNAME": "ada"}, "Missing required parameter SRP_A"),
        ({"SRP_A": "ab"}, "Missing required parameter USERNAME"),
        ({"USERNAME": "ada", "SRP_A": "0x12"}, flow_srp.INVALID_SRP_A),
        ({"USERNAME": "ada", "SRP_A": srp.N_HEX}, flow_srp.INVALID_SRP_A),  # A = 0 mod N
    ],
)
def test_bad_srp_parameters(cognito_idp, cognito_mock, pool_id, client, parameters, message):
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client["ClientId"], AuthFlow="USER_SRP_AUTH", AuthParameters=parameters
        )
    assert error_of(raised)[1] == message
    assert cognito_mock._service.backend.sessions == {}


def test_a_secret_client_needs_the_hash_to_start(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client["ClientId"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "ada", "SRP_A": "ab"},
        )
    assert error_of(raised)[1] == f"Unable to verify secret hash for client {client['ClientId']}"


# -- the answer, checked by the backend directly -------------------------------------------------


def test_backend_accepts_the_right_password(cognito_idp, cognito_mock, pool_id, client):
    make_user(cognito_idp, pool_id)
    _, _, answer = start_srp(cognito_idp, pool_id, client)
    outcome = answer_in_backend(cognito_mock, pool_id, client["ClientId"], answer)
    assert outcome.tokens is not None
    assert claims(outcome.tokens.access_token)["username"] == "ada"
    assert cognito_mock._service.backend.sessions == {}  # the challenge is used up


def test_backend_refuses_the_wrong_password(cognito_idp, cognito_mock, pool_id, client):
    make_user(cognito_idp, pool_id)
    _, _, answer = start_srp(cognito_idp, pool_id, client, password="Wr0ng-horse!")
    with pytest.raises(ServiceError) as raised:
        answer_in_backend(cognito_mock, pool_id, client["ClientId"], answer)
    assert (raised.value.code, raised.value.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )


def test_backend_checks_the_secret_hash_of_the_answer(cognito_idp, cognito_mock, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    make_user(cognito_idp, pool_id)
    _, _, answer = start_srp(cognito_idp, pool_id, client)
    del answer["SECRET_HASH"]
    with pytest.raises(ServiceError) as raised:
        answer_in_backend(cognito_mock, pool_id, client["ClientId"], answer)
    assert raised.value.message == f"Unable to verify secret hash for client {client['ClientId']}"


def test_backend_finds_an_alias_user_by_the_internal_name(cognito_idp, cognito_mock):
    pool_id = make_pool(cognito_idp, UsernameAttributes=["email"])
    client = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, username="ada@example.com", email="ada@example.com")
    sub = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada@example.com")["Username"]
    _, response, answer = start_srp(cognito_idp, pool_id, client, username="ada@example.com")
    assert response["ChallengeParameters"]["USER_ID_FOR_SRP"] == sub
    outcome = answer_in_backend(cognito_mock, pool_id, client["ClientId"], answer)
    assert outcome.tokens is not None
    assert claims(outcome.tokens.id_token)["cognito:username"] == sub


def test_backend_refuses_an_expired_challenge(cognito_idp, cognito_mock, pool_id, client):
    make_user(cognito_idp, pool_id)
    with freeze_time("2026-09-05 09:00:00") as clock:
        _, _, answer = start_srp(cognito_idp, pool_id, client)
        clock.tick(3 * 60)
        with pytest.raises(ServiceError) as raised:
            answer_in_backend(cognito_mock, pool_id, client["ClientId"], answer)
    assert raised.value.message == "Invalid session for the user, session is expired."


# -- the answer through RespondToAuthChallenge ---------------------------------------------------


def respond(cognito_idp, client, answer, admin_pool_id=None, **extra):
    if admin_pool_id is not None:
        return cognito_idp.admin_respond_to_auth_challenge(
            UserPoolId=admin_pool_id,
            ClientId=client["ClientId"],
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=answer,
            **extra,
        )
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client["ClientId"],
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=answer,
        **extra,
    )


def test_srp_sign_in_returns_tokens(cognito_idp, pool_id, client):
    make_user(cognito_idp, pool_id, email="ada@example.com")
    _, _, answer = start_srp(cognito_idp, pool_id, client)
    response = respond(cognito_idp, client, answer)
    assert response["ChallengeParameters"] == {}
    result = response["AuthenticationResult"]
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(result)
    assert claims(result["IdToken"])["email"] == "ada@example.com"
    assert claims(result["AccessToken"])["client_id"] == client["ClientId"]


def test_admin_srp_sign_in_returns_tokens(cognito_idp, pool_id, client):
    make_user(cognito_idp, pool_id)
    _, _, answer = start_srp(cognito_idp, pool_id, client, admin=True)
    response = respond(cognito_idp, client, answer, admin_pool_id=pool_id)
    assert claims(response["AuthenticationResult"]["AccessToken"])["username"] == "ada"


def test_srp_wrong_password(cognito_idp, pool_id, client):
    make_user(cognito_idp, pool_id)
    _, _, answer = start_srp(cognito_idp, pool_id, client, password="Wr0ng-horse!")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        respond(cognito_idp, client, answer)
    assert error_of(raised)[1] == "Incorrect username or password."


def test_a_secret_block_answers_once(cognito_idp, pool_id, client):
    make_user(cognito_idp, pool_id)
    _, _, answer = start_srp(cognito_idp, pool_id, client)
    respond(cognito_idp, client, answer)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        respond(cognito_idp, client, answer)
    assert error_of(raised)[1] == "Incorrect username or password."


@pytest.mark.parametrize(
    ("stamp", "code", "message"),
    [
        (
            "Sat Sep 05 09:03:07 UTC 2026",
            "NotAuthorizedException",
            "Incorrect username or password.",
        ),
        (
            "Mon Sep 5 09:03:07 UTC 2026",
            "NotAuthorizedException",
            "Incorrect username or password.",
        ),
        ("2026-09-05T09:03:07Z", "InvalidParameterException", flow_srp.TIMESTAMP_FORMAT_MESSAGE),
    ],
)
def test_the_timestamp_must_be_written_the_servers_way(
    cognito_idp, pool_id, client, stamp, code, message
):
    make_user(cognito_idp, pool_id)
    with freeze_time("2026-09-05 09:03:07"):
        helper, response, answer = start_srp(cognito_idp, pool_id, client)
        challenge = response["ChallengeParameters"]
        with pytest.raises(cognito_idp.exceptions.ClientError) as raised:
            respond(cognito_idp, client, resign(helper, challenge, answer, stamp))
    assert error_of(raised) == (code, message)


def test_srp_with_a_secret_client(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    make_user(cognito_idp, pool_id)
    _, _, answer = start_srp(cognito_idp, pool_id, client)
    assert "AuthenticationResult" in respond(cognito_idp, client, answer)
    _, _, answer = start_srp(cognito_idp, pool_id, client)
    answer["SECRET_HASH"] = "bm90IGl0"
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        respond(cognito_idp, client, answer)
    assert error_of(raised)[1] == f"Unable to verify secret hash for client {client['ClientId']}"


def test_srp_sign_in_by_email_alias(cognito_idp):
    pool_id = make_pool(cognito_idp, AliasAttributes=["email"])
    client = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, email="ada@example.com", email_verified="true")
    _, response, answer = start_srp(cognito_idp, pool_id, client, username="ada@example.com")
    assert response["ChallengeParameters"]["USER_ID_FOR_SRP"] == "ada"
    result = respond(cognito_idp, client, answer)["AuthenticationResult"]
    assert claims(result["IdToken"])["cognito:username"] == "ada"


def test_srp_for_a_user_who_must_change_the_password(cognito_idp, pool_id, client):
    make_user(cognito_idp, pool_id, permanent=False)
    _, _, answer = start_srp(cognito_idp, pool_id, client)
    response = respond(cognito_idp, client, answer)
    assert response["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert response["ChallengeParameters"]["USER_ID_FOR_SRP"] == "ada"


def test_srp_answer_after_the_session_expired(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, AuthSessionValidity=5)
    make_user(cognito_idp, pool_id)
    with freeze_time("2026-09-05 09:00:00") as clock:
        _, _, answer = start_srp(cognito_idp, pool_id, client)
        clock.tick(5 * 60)
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            respond(cognito_idp, client, answer)
    assert error_of(raised)[1] == "Invalid session for the user, session is expired."
