"""CUSTOM_AUTH end to end through boto3, with the three auth-challenge triggers as Python
handlers: a one-time code that CreateAuthChallenge "sends" and VerifyAuthChallengeResponse
checks, up to three attempts."""

from __future__ import annotations

import base64
import json

import pytest
from freezegun import freeze_time
from pycognito.aws_srp import AWSSRP
from support.custom_auth import (
    PASSWORD,
    TRIGGERS,
    answer,
    make_client,
    make_pool,
    make_user,
    start,
)
from support.errors import error_of


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_one_time_code_signs_the_user_in(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    challenge = start(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert challenge["Session"].startswith("AYABe")
    assert challenge["ChallengeParameters"] == {"delivery": "EMAIL", "USERNAME": "ada"}
    response = answer(cognito_idp, client_id, challenge, otp.codes[-1])
    assert response["ChallengeParameters"] == {}
    result = response["AuthenticationResult"]
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(result)
    assert claims(result["IdToken"])["cognito:username"] == "ada"
    assert cognito_idp.get_user(AccessToken=result["AccessToken"])["Username"] == "ada"


def test_the_trigger_events_have_the_documented_shape(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    sub = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    sub = next(a["Value"] for a in sub if a["Name"] == "sub")
    challenge = start(cognito_idp, client_id)
    answer(cognito_idp, client_id, challenge, otp.codes[-1])
    define, create, verify = (otp.events[name][0] for name in TRIGGERS)
    attributes = {
        "sub": sub,
        "email": "ada@example.com",
        "cognito:user_status": "CONFIRMED",
    }
    for event, source in zip((define, create, verify), TRIGGERS, strict=True):
        assert event["triggerSource"] == f"{source}_Authentication"
        assert event["userPoolId"] == pool_id
        assert event["userName"] == "ada"
        assert event["callerContext"]["clientId"] == client_id
        assert event["request"]["userAttributes"] == attributes
        assert event["request"]["userNotFound"] is False
    assert define["request"] == {"userAttributes": attributes, "session": [], "userNotFound": False}
    assert create["request"]["challengeName"] == "CUSTOM_CHALLENGE"
    assert create["request"]["session"] == []
    assert verify["request"]["privateChallengeParameters"] == {"code": otp.codes[0]}
    assert verify["request"]["challengeAnswer"] == otp.codes[0]


def test_a_wrong_answer_gets_a_new_challenge_then_the_right_one_signs_in(
    cognito_idp, pool_id, client_id, otp
):
    make_user(cognito_idp, pool_id)
    first = start(cognito_idp, client_id)
    second = answer(cognito_idp, client_id, first, "999999")
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert second["Session"] != first["Session"]
    response = answer(cognito_idp, client_id, second, otp.codes[-1])
    assert "AccessToken" in response["AuthenticationResult"]
    # Define saw each step, with Create's metadata; Create saw the history too.
    wrong = {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False}
    right = {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True}
    assert otp.events["DefineAuthChallenge"][-1]["request"]["session"] == [
        {**wrong, "challengeMetadata": "CODE-1"},
        {**right, "challengeMetadata": "CODE-2"},
    ]
    assert otp.events["CreateAuthChallenge"][1]["request"]["session"] == [
        {**wrong, "challengeMetadata": "CODE-1"}
    ]


def test_three_wrong_answers_fail_the_sign_in(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    challenge = start(cognito_idp, client_id)
    for _ in range(2):
        challenge = answer(cognito_idp, client_id, challenge, "000000")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(cognito_idp, client_id, challenge, "000000")
    assert error_of(raised)[1] == "Incorrect username or password."


def test_private_parameters_and_metadata_are_never_returned(
    cognito_mock, cognito_idp, pool_id, client_id, otp
):
    make_user(cognito_idp, pool_id)
    first = start(cognito_idp, client_id)
    second = answer(cognito_idp, client_id, first, "nope")
    for response in (first, second):
        text = json.dumps(response["ChallengeParameters"])
        assert "code" not in text
        assert "CODE-" not in text
        assert otp.codes[0] not in text
    assert [call.operation for call in cognito_mock.calls][-2:] == [
        "InitiateAuth",
        "RespondToAuthChallenge",
    ]


def test_a_used_session_cannot_answer_again(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    challenge = start(cognito_idp, client_id)
    answer(cognito_idp, client_id, challenge, "nope")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(cognito_idp, client_id, challenge, otp.codes[0])
    assert error_of(raised)[1] == "Invalid session for the user."


def test_an_expired_session_is_refused(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    with freeze_time("2026-03-01 12:00:00") as clock:
        challenge = start(cognito_idp, client_id)
        clock.tick(3 * 60)
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            answer(cognito_idp, client_id, challenge, otp.codes[0])
    assert error_of(raised)[1] == "Invalid session for the user, session is expired."


def test_the_session_lasts_the_clients_auth_session_validity(cognito_idp, pool_id, otp):
    client_id = make_client(cognito_idp, pool_id, AuthSessionValidity=10)["ClientId"]
    make_user(cognito_idp, pool_id)
    with freeze_time("2026-03-01 12:00:00") as clock:
        challenge = start(cognito_idp, client_id)
        clock.tick(9 * 60)
        response = answer(cognito_idp, client_id, challenge, otp.codes[0])
    assert "IdToken" in response["AuthenticationResult"]


def test_admin_operations_run_the_same_flow(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    challenge = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "ada"},
    )
    response = cognito_idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": otp.codes[-1]},
    )
    assert claims(response["AuthenticationResult"]["AccessToken"])["username"] == "ada"


def test_client_metadata_reaches_the_triggers_only_from_the_answer(
    cognito_idp, pool_id, client_id, otp
):
    make_user(cognito_idp, pool_id)
    challenge = start(cognito_idp, client_id, ClientMetadata={"from": "initiate"})
    answer(cognito_idp, client_id, challenge, otp.codes[-1], ClientMetadata={"from": "respond"})
    first_define, second_define = otp.events["DefineAuthChallenge"]
    assert "clientMetadata" not in first_define["request"]
    assert "clientMetadata" not in otp.events["CreateAuthChallenge"][0]["request"]
    assert otp.events["VerifyAuthChallengeResponse"][0]["request"]["clientMetadata"] == {
        "from": "respond"
    }
    assert second_define["request"]["clientMetadata"] == {"from": "respond"}


def test_an_email_pool_names_the_user_by_the_internal_username(cognito_idp, cognito_mock, otp):
    pool_id = make_pool(cognito_idp, cognito_mock, otp, UsernameAttributes=["email"])
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    make_user(cognito_idp, pool_id, username="ada@example.com")
    sub = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada@example.com")["Username"]
    challenge = start(cognito_idp, client_id, username="ada@example.com")
    assert challenge["ChallengeParameters"]["USERNAME"] == sub
    assert otp.events["DefineAuthChallenge"][0]["userName"] == sub
    response = answer(cognito_idp, client_id, challenge, otp.codes[-1], username=sub)
    assert claims(response["AuthenticationResult"]["IdToken"])["email"] == "ada@example.com"


def test_without_a_define_trigger_custom_auth_is_refused(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == "Custom auth lambda trigger is not configured for the user pool."


def test_an_unknown_user(cognito_idp, pool_id, client_id, otp):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        start(cognito_idp, client_id, username="nobody")
    assert error_of(raised)[1] == "User does not exist."
    assert otp.events["DefineAuthChallenge"] == []


def test_an_unknown_user_with_prevented_existence_errors_goes_through_the_triggers(
    cognito_idp, pool_id, otp
):
    client_id = make_client(cognito_idp, pool_id, PreventUserExistenceErrors="ENABLED")["ClientId"]
    challenge = start(cognito_idp, client_id, username="nobody")
    assert challenge["ChallengeParameters"] == {"delivery": "EMAIL", "USERNAME": "nobody"}
    define = otp.events["DefineAuthChallenge"][0]
    assert define["request"] == {"userAttributes": {}, "session": [], "userNotFound": True}
    assert define["userName"] == "nobody"
    # Even the "right" answer cannot sign in a user that does not exist.
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(cognito_idp, client_id, challenge, otp.codes[-1], username="nobody")
    assert error_of(raised)[1] == "Incorrect username or password."
    assert otp.events["VerifyAuthChallengeResponse"][0]["request"]["userNotFound"] is True


def test_password_then_code_with_the_srp_a_variant(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    helper = AWSSRP("ada", PASSWORD, pool_id, client_id, client=cognito_idp)
    parameters = {**helper.get_auth_params(), "CHALLENGE_NAME": "SRP_A"}
    verifier = cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=parameters
    )
    assert otp.events["DefineAuthChallenge"][0]["request"]["session"] == [
        {"challengeName": "SRP_A", "challengeResult": True, "challengeMetadata": None}
    ]
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    proof = helper.process_challenge(verifier["ChallengeParameters"], parameters)
    challenge = cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=proof,
    )
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert otp.events["DefineAuthChallenge"][1]["request"]["session"] == [
        {"challengeName": "SRP_A", "challengeResult": True, "challengeMetadata": None},
        {"challengeName": "PASSWORD_VERIFIER", "challengeResult": True, "challengeMetadata": None},
    ]
    response = answer(cognito_idp, client_id, challenge, otp.codes[-1])
    assert "RefreshToken" in response["AuthenticationResult"]


def test_the_srp_a_variant_refuses_a_wrong_password(cognito_idp, pool_id, client_id, otp):
    make_user(cognito_idp, pool_id)
    helper = AWSSRP("ada", "Wr0ng-horse!", pool_id, client_id, client=cognito_idp)
    parameters = {**helper.get_auth_params(), "CHALLENGE_NAME": "SRP_A"}
    verifier = cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=parameters
    )
    proof = helper.process_challenge(verifier["ChallengeParameters"], parameters)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=verifier["Session"],
            ChallengeResponses=proof,
        )
    assert error_of(raised)[1] == "Incorrect username or password."
    assert len(otp.events["DefineAuthChallenge"]) == 1
