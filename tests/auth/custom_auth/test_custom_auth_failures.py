"""CUSTOM_AUTH answers the mock refuses (the challenge stays pending) and trigger functions
that fail or answer what Cognito cannot use."""

from __future__ import annotations

import pytest
from support.custom_auth import (
    ARN,
    answer,
    make_client,
    make_pool,
    make_user,
    start,
)
from support.errors import error_of

from pytest_cognito_mock.backend.secret_hash import compute_secret_hash


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ({"USERNAME": "ada"}, "Missing required parameter ANSWER"),
        ({"ANSWER": "1"}, "Missing required parameter USERNAME"),
    ],
)
def test_a_refused_answer_leaves_the_challenge_pending(
    cognito_idp, pool_id, client_id, otp, responses, message
):
    make_user(cognito_idp, pool_id)
    challenge = start(cognito_idp, client_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=challenge["Session"],
            ChallengeResponses=responses,
        )
    assert error_of(raised)[1] == message
    assert otp.events["VerifyAuthChallengeResponse"] == []
    assert (
        "IdToken"
        in answer(cognito_idp, client_id, challenge, otp.codes[-1])["AuthenticationResult"]
    )


def test_an_answer_for_another_user_is_refused(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, username="bob", email="bob@example.com")
    challenge = start(cognito_idp, client_id)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(cognito_idp, client_id, challenge, otp.codes[-1], username="bob")
    assert error_of(raised)[1] == "Incorrect username or password."


def test_a_secret_client_needs_the_hash_in_the_answer(cognito_idp, pool_id, otp):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    make_user(cognito_idp, pool_id)
    digest = compute_secret_hash(client["ClientSecret"], "ada", client["ClientId"])
    challenge = cognito_idp.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "ada", "SECRET_HASH": digest},
    )
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(cognito_idp, client["ClientId"], challenge, otp.codes[-1])
    assert error_of(raised)[1] == f"Unable to verify secret hash for client {client['ClientId']}"
    response = cognito_idp.respond_to_auth_challenge(
        ClientId=client["ClientId"],
        ChallengeName="CUSTOM_CHALLENGE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": otp.codes[-1], "SECRET_HASH": digest},
    )
    assert "AccessToken" in response["AuthenticationResult"]


# -- triggers that fail --------------------------------------------------------------------------


def broken(cognito_mock, trigger, handler) -> None:
    cognito_mock.register_lambda(ARN.format(trigger), handler)


def test_a_define_trigger_that_raises(cognito_idp, cognito_mock, pool_id, client_id):
    make_user(cognito_idp, pool_id)

    def define(event, context):
        raise ValueError("boom")

    broken(cognito_mock, "DefineAuthChallenge", define)
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == "DefineAuthChallenge failed with error boom."


def test_a_create_trigger_that_raises(cognito_idp, cognito_mock, pool_id, client_id):
    make_user(cognito_idp, pool_id)

    def create(event, context):
        return event["response"]["challengeMetaData"]  # a typo: KeyError

    broken(cognito_mock, "CreateAuthChallenge", create)
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == "CreateAuthChallenge failed with error 'challengeMetaData'."


def test_a_failed_verify_trigger_spends_the_session(
    cognito_idp, cognito_mock, pool_id, client_id, otp
):
    make_user(cognito_idp, pool_id)
    challenge = start(cognito_idp, client_id)

    def verify(event, context):
        raise RuntimeError("database down")

    broken(cognito_mock, "VerifyAuthChallengeResponse", verify)
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        answer(cognito_idp, client_id, challenge, otp.codes[-1])
    assert error_of(raised)[1] == "VerifyAuthChallengeResponse failed with error database down."
    broken(cognito_mock, "VerifyAuthChallengeResponse", otp.verify)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(cognito_idp, client_id, challenge, otp.codes[-1])
    assert error_of(raised)[1] == "Invalid session for the user."


def test_a_trigger_arn_without_a_registered_handler(cognito_idp, cognito_mock, otp):
    pool_id = make_pool(cognito_idp, cognito_mock, otp, triggers=("DefineAuthChallenge",))
    cognito_idp.update_user_pool(
        UserPoolId=pool_id,
        LambdaConfig={
            "DefineAuthChallenge": ARN.format("DefineAuthChallenge"),
            "CreateAuthChallenge": ARN.format("NeverRegistered"),
        },
    )
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.UnexpectedLambdaException):
        start(cognito_idp, client_id)
    assert len(otp.events["DefineAuthChallenge"]) == 1


@pytest.mark.parametrize(
    ("trigger", "handler"),
    [
        ("DefineAuthChallenge", lambda event, context: "not an event"),
        ("DefineAuthChallenge", lambda event, context: event),  # decides nothing
        (
            "DefineAuthChallenge",
            lambda event, context: {**event, "response": {"challengeName": "NOT_A_CHALLENGE"}},
        ),
        (
            "CreateAuthChallenge",
            lambda event, context: {**event, "response": {"publicChallengeParameters": {"n": 1}}},
        ),
    ],
    ids=["not-an-event", "no-decision", "unknown-challenge", "non-string-parameter"],
)
def test_output_cognito_cannot_use(cognito_idp, cognito_mock, pool_id, client_id, trigger, handler):
    make_user(cognito_idp, pool_id)
    broken(cognito_mock, trigger, handler)
    with pytest.raises(cognito_idp.exceptions.InvalidLambdaResponseException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == "Unrecognizable lambda output"
