"""CUSTOM_AUTH asking for Cognito's own steps: DefineAuthChallenge may name SMS_MFA,
SOFTWARE_TOKEN_MFA, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER or ADMIN_NO_SRP_AUTH, and each is
run as in any sign-in, its result joining the history the next DefineAuthChallenge sees.

SRP and device proofs are pycognito's; TOTP codes pyotp's."""

from __future__ import annotations

import json

import pytest
import time_machine
from pycognito.aws_srp import AWSSRP, generate_hash_device
from support.custom_auth import ARN, PASSWORD
from support.errors import error_of
from support.mfa import totp

START = "2026-04-01 10:00:00"


class Plan:
    """A DefineAuthChallenge that asks for ``steps`` in order, then issues tokens; a failed
    step fails the sign-in. (SRP_A, sent with InitiateAuth, is not a step.)"""

    def __init__(self, *steps: str) -> None:
        self.steps = steps
        self.sessions: list[list[dict]] = []

    def define(self, event, context):
        session = event["request"]["session"]
        self.sessions.append(json.loads(json.dumps(session)))
        done = [s for s in session if s["challengeName"] != "SRP_A"]
        if done and not done[-1]["challengeResult"]:
            event["response"].update(issueTokens=False, failAuthentication=True)
        elif len(done) == len(self.steps):
            event["response"].update(issueTokens=True, failAuthentication=False)
        else:
            event["response"].update(challengeName=self.steps[len(done)], issueTokens=False)
        return event


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as travelling:
        yield travelling


def make_pool(cognito_idp, cognito_mock, plan: Plan, **kwargs) -> tuple[str, str]:
    cognito_mock.register_lambda(ARN.format("define"), plan.define)
    pool_id = cognito_idp.create_user_pool(
        PoolName="steps", LambdaConfig={"DefineAuthChallenge": ARN.format("define")}, **kwargs
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=[
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    return pool_id, client_id


def admin_tokens(cognito_idp, pool_id, client_id) -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


def respond(cognito_idp, client_id, challenge, name, **responses):
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=name,
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", **responses},
    )


def test_password_then_totp(cognito_idp, cognito_mock, traveller):
    plan = Plan("PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA")
    pool_id, client_id = make_pool(cognito_idp, cognito_mock, plan)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    access = admin_tokens(cognito_idp, pool_id, client_id)["AccessToken"]
    secret = cognito_idp.associate_software_token(AccessToken=access)["SecretCode"]
    cognito_idp.verify_software_token(AccessToken=access, UserCode=totp(secret))
    traveller.shift(30)

    srp = AWSSRP("ada", PASSWORD, pool_id, client_id, client=cognito_idp)
    parameters = {**srp.get_auth_params(), "CHALLENGE_NAME": "SRP_A"}
    started = cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=parameters
    )
    assert started["ChallengeName"] == "PASSWORD_VERIFIER"
    proof = srp.process_challenge(started["ChallengeParameters"], parameters)
    mfa = cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=started["Session"],
        ChallengeResponses=proof,
    )
    assert mfa["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert mfa["ChallengeParameters"]["USER_ID_FOR_SRP"] == "ada"
    signed_in = respond(
        cognito_idp, client_id, mfa, "SOFTWARE_TOKEN_MFA", SOFTWARE_TOKEN_MFA_CODE=totp(secret)
    )
    assert "AccessToken" in signed_in["AuthenticationResult"]
    assert [s["challengeName"] for s in plan.sessions[-1]] == [
        "SRP_A",
        "PASSWORD_VERIFIER",
        "SOFTWARE_TOKEN_MFA",
    ]
    assert plan.sessions[-1][-1] == {
        "challengeName": "SOFTWARE_TOKEN_MFA",
        "challengeResult": True,
        "challengeMetadata": None,
    }


def test_an_sms_code_with_a_wrong_try_first(cognito_idp, cognito_mock):
    plan = Plan("SMS_MFA")
    pool_id, client_id = make_pool(cognito_idp, cognito_mock, plan)
    challenge = cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ada"}
    )
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    code = cognito_mock.last_code(pool_id, "ada", channel="SMS")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        respond(cognito_idp, client_id, challenge, "SMS_MFA", SMS_MFA_CODE=wrong)
    # A wrong code leaves the challenge open, as in any MFA step.
    signed_in = respond(cognito_idp, client_id, challenge, "SMS_MFA", SMS_MFA_CODE=code)
    assert "IdToken" in signed_in["AuthenticationResult"]
    assert plan.sessions[-1] == [
        {"challengeName": "SMS_MFA", "challengeResult": True, "challengeMetadata": None}
    ]


def test_totp_for_a_user_without_an_authenticator(cognito_idp, cognito_mock):
    _, client_id = make_pool(cognito_idp, cognito_mock, Plan("SOFTWARE_TOKEN_MFA"))
    with pytest.raises(cognito_idp.exceptions.MFAMethodNotFoundException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ada"}
        )
    assert error_of(raised) == (
        "MFAMethodNotFoundException",
        "No MFA method is set up for the user.",
    )


def test_a_remembered_device_proves_itself(cognito_idp, cognito_mock):
    plan = Plan("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER")
    pool_id, client_id = make_pool(
        cognito_idp,
        cognito_mock,
        plan,
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True},
    )
    first = admin_tokens(cognito_idp, pool_id, client_id)
    key = first["NewDeviceMetadata"]["DeviceKey"]
    group = first["NewDeviceMetadata"]["DeviceGroupKey"]
    device_password, verifier = generate_hash_device(group, key)
    cognito_idp.confirm_device(
        AccessToken=first["AccessToken"], DeviceKey=key, DeviceSecretVerifierConfig=verifier
    )
    srp = AWSSRP(
        "ada",
        PASSWORD,
        pool_id,
        client_id,
        client=cognito_idp,
        device_key=key,
        device_group_key=group,
        device_password=device_password,
    )
    challenge = cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "ada", "DEVICE_KEY": key},
    )
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH"
    verifier_step = respond(
        cognito_idp,
        client_id,
        challenge,
        "DEVICE_SRP_AUTH",
        DEVICE_KEY=key,
        SRP_A=format(srp.large_a_value, "x"),
    )
    assert verifier_step["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    signed_in = cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=verifier_step["Session"],
        ChallengeResponses=srp.process_device_challenge(verifier_step["ChallengeParameters"]),
    )["AuthenticationResult"]
    assert "NewDeviceMetadata" not in signed_in
    assert [s["challengeName"] for s in plan.sessions[-1]] == [
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
    ]


def test_the_device_proof_needs_the_device_step_first(cognito_idp, cognito_mock):
    _, client_id = make_pool(cognito_idp, cognito_mock, Plan("DEVICE_PASSWORD_VERIFIER"))
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "ada"}
        )
    assert error_of(raised) == ("InvalidParameterException", "Missing required parameter SRP_A")


def test_the_password_in_plain(cognito_idp, cognito_mock):
    plan = Plan("ADMIN_NO_SRP_AUTH")
    pool_id, client_id = make_pool(cognito_idp, cognito_mock, plan)

    def start():
        return cognito_idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="CUSTOM_AUTH",
            AuthParameters={"USERNAME": "ada"},
        )

    def answer(challenge, password):
        return cognito_idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=client_id,
            ChallengeName="ADMIN_NO_SRP_AUTH",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "ada", "PASSWORD": password},
        )

    challenge = start()
    assert challenge["ChallengeName"] == "ADMIN_NO_SRP_AUTH"
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(challenge, "not-the-password")
    assert error_of(raised) == ("NotAuthorizedException", "Incorrect username or password.")
    assert "AccessToken" in answer(start(), PASSWORD)["AuthenticationResult"]
    assert plan.sessions[-1] == [
        {"challengeName": "ADMIN_NO_SRP_AUTH", "challengeResult": True, "challengeMetadata": None}
    ]
