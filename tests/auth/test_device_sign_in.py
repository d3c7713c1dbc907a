"""Remembered-device sign-in: DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER in place of MFA.

The clients are pycognito's ``AWSSRP`` (its device helpers make the device secret and verifier,
confirm the device over plain HTTP, and answer both device challenges without a Session, as it
answers PASSWORD_VERIFIER) and pyotp for the authenticator app; the sequence is AWS's MFA
sign-in scenario: sign up, confirm, set up TOTP, sign in with a code, remember the device, sign
in with the device.
"""

from __future__ import annotations

import base64
import json

import pytest
import time_machine
from pycognito.aws_srp import AWSSRP, SoftwareTokenMFAChallengeException
from support.errors import error_of
from support.mfa import totp

PASSWORD = "Corr3ct-horse!"
START = "2026-03-02 09:00:00"
FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def make_pool(cognito_idp, mfa="ON", **device_configuration) -> tuple[str, str]:
    """A pool with TOTP MFA (``mfa``) that remembers devices, and its public SRP client."""
    configuration = device_configuration or {
        "ChallengeRequiredOnNewDevice": True,
        "DeviceOnlyRememberedOnUserPrompt": False,
    }
    pool_id = cognito_idp.create_user_pool(
        PoolName="devices", AutoVerifiedAttributes=["email"], DeviceConfiguration=configuration
    )["UserPool"]["Id"]
    if mfa != "OFF":
        cognito_idp.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration=mfa,
        )
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


class Scenario:
    """AWS's MFA scenario up to a remembered device, driven by pycognito and pyotp."""

    def __init__(self, cognito_idp, cognito_mock, traveller, pool_id: str, client_id: str):
        self.idp, self.mock, self.traveller = cognito_idp, cognito_mock, traveller
        self.pool_id, self.client_id = pool_id, client_id

    def srp(self, **device) -> AWSSRP:
        return AWSSRP("ada", PASSWORD, self.pool_id, self.client_id, client=self.idp, **device)

    def enrol(self) -> dict:
        """Sign up, confirm, then the first sign-in sets up TOTP: its tokens."""
        self.idp.sign_up(
            ClientId=self.client_id,
            Username="ada",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
        )
        code = self.mock.last_code(self.pool_id, "ada")
        self.idp.confirm_sign_up(ClientId=self.client_id, Username="ada", ConfirmationCode=code)
        setup = self.srp().authenticate_user()
        assert setup["ChallengeName"] == "MFA_SETUP"
        associated = self.idp.associate_software_token(Session=setup["Session"])
        self.secret = associated["SecretCode"]
        verified = self.idp.verify_software_token(
            Session=associated["Session"], UserCode=totp(self.secret), FriendlyDeviceName="phone"
        )
        assert verified["Status"] == "SUCCESS"
        return self.idp.respond_to_auth_challenge(
            ClientId=self.client_id,
            ChallengeName="MFA_SETUP",
            Session=verified["Session"],
            ChallengeResponses={"USERNAME": "ada"},
        )["AuthenticationResult"]

    def sign_in_with_code(self, srp: AWSSRP) -> dict:
        """A password sign-in that MFA stops; answered with the next TOTP code."""
        with pytest.raises(SoftwareTokenMFAChallengeException) as raised:
            srp.authenticate_user()
        challenge = raised.value.get_tokens()
        self.traveller.shift(30)  # a fresh code: each is taken once
        return self.idp.respond_to_auth_challenge(
            ClientId=self.client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": totp(self.secret)},
        )["AuthenticationResult"]

    def remember(self, tokens: dict) -> dict[str, str]:
        """pycognito confirms the device the tokens were issued on; the device's credentials."""
        srp = self.srp()
        response, device_password = srp.confirm_device(
            {"AuthenticationResult": tokens}, device_name="ada-laptop"
        )
        assert response.status_code == 200, response.text
        return {
            "device_key": srp.device_key,
            "device_group_key": srp.device_group_key,
            "device_password": device_password,
        }


@pytest.fixture
def scenario(cognito_idp, cognito_mock):
    with time_machine.travel(START, tick=False) as traveller:
        yield Scenario(cognito_idp, cognito_mock, traveller, *make_pool(cognito_idp))


def test_aws_mfa_scenario_ends_with_the_device_standing_in_for_mfa(scenario, cognito_mock):
    enrolled = scenario.enrol()
    # A sign-in right after setup asks for the code (not for setup again), on a new device.
    tokens = scenario.sign_in_with_code(scenario.srp())
    device = scenario.remember(tokens)
    assert device["device_key"] == tokens["NewDeviceMetadata"]["DeviceKey"]
    assert enrolled["NewDeviceMetadata"]["DeviceKey"] != device["device_key"]

    scenario.traveller.shift(3600)
    signed_in = scenario.srp(**device).authenticate_user()
    result = signed_in["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result  # the same device, not a new one
    assert claims(result["AccessToken"])["device_key"] == device["device_key"]
    assert claims(result["IdToken"])["cognito:username"] == "ada"
    answered = [c.params["ChallengeName"] for c in cognito_mock.calls[-3:]]
    assert answered == ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]
    # The device's tokens refresh with its key, as any device's do.
    refreshed = scenario.idp.initiate_auth(
        ClientId=scenario.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={
            "REFRESH_TOKEN": result["RefreshToken"],
            "DEVICE_KEY": device["device_key"],
        },
    )["AuthenticationResult"]
    assert claims(refreshed["AccessToken"])["device_key"] == device["device_key"]
    # ListDevices shows the device, authenticated just now.
    [listed] = scenario.idp.list_devices(AccessToken=result["AccessToken"])["Devices"]
    assert listed["DeviceKey"] == device["device_key"]
    assert listed["DeviceLastAuthenticatedDate"].timestamp() == claims(result["AccessToken"])["iat"]


def test_the_device_challenge_comes_instead_of_mfa_and_carries_a_session(scenario):
    """The challenge step by step, answered with Sessions as the AWS SDKs pass them."""
    scenario.enrol()
    device = scenario.remember(scenario.sign_in_with_code(scenario.srp()))
    srp = scenario.srp(**device)
    started = scenario.idp.initiate_auth(
        ClientId=scenario.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params()
    )
    answer = srp.process_challenge(started["ChallengeParameters"], srp.get_auth_params())
    challenge = scenario.idp.respond_to_auth_challenge(
        ClientId=scenario.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
    )
    assert challenge["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert challenge["ChallengeParameters"] == {"USERNAME": "ada"}
    assert len(challenge["Session"]) >= 20
    verifier = scenario.idp.respond_to_auth_challenge(
        ClientId=scenario.client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=challenge["Session"],
        ChallengeResponses={
            "USERNAME": "ada",
            "DEVICE_KEY": device["device_key"],
            "SRP_A": format(srp.large_a_value, "x"),
        },
    )
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    parameters = verifier["ChallengeParameters"]
    assert set(parameters) == {"SRP_B", "SALT", "SECRET_BLOCK", "USERNAME", "DEVICE_KEY"}
    assert parameters["USERNAME"] == "ada"
    assert parameters["DEVICE_KEY"] == device["device_key"]
    tokens = scenario.idp.respond_to_auth_challenge(
        ClientId=scenario.client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=srp.process_device_challenge(parameters),
    )
    assert (
        claims(tokens["AuthenticationResult"]["AccessToken"])["device_key"]
        == (device["device_key"])
    )


def test_a_wrong_device_secret_is_refused(scenario):
    scenario.enrol()
    device = scenario.remember(scenario.sign_in_with_code(scenario.srp()))
    impostor = scenario.srp(**{**device, "device_password": "not-the-device-secret"})
    with pytest.raises(scenario.idp.exceptions.NotAuthorizedException) as raised:
        impostor.authenticate_user()
    assert error_of(raised) == ("NotAuthorizedException", "Incorrect username or password.")


def test_an_unknown_device_key_in_the_answer_is_refused(scenario):
    scenario.enrol()
    device = scenario.remember(scenario.sign_in_with_code(scenario.srp()))
    srp = scenario.srp(**device)
    started = scenario.idp.initiate_auth(
        ClientId=scenario.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params()
    )
    challenge = scenario.idp.respond_to_auth_challenge(
        ClientId=scenario.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.process_challenge(
            started["ChallengeParameters"], srp.get_auth_params()
        ),
    )
    with pytest.raises(scenario.idp.exceptions.ResourceNotFoundException) as raised:
        scenario.idp.respond_to_auth_challenge(
            ClientId=scenario.client_id,
            ChallengeName="DEVICE_SRP_AUTH",
            Session=challenge["Session"],
            ChallengeResponses={
                "USERNAME": "ada",
                "DEVICE_KEY": "us-east-1_00000000-0000-0000-0000-000000000000",
                "SRP_A": format(srp.large_a_value, "x"),
            },
        )
    assert error_of(raised) == ("ResourceNotFoundException", "Device does not exist.")


def test_an_answer_without_session_or_pending_challenge_names_the_session(scenario):
    scenario.enrol()
    device = scenario.remember(scenario.sign_in_with_code(scenario.srp()))
    with pytest.raises(scenario.idp.exceptions.InvalidParameterException) as raised:
        scenario.idp.respond_to_auth_challenge(
            ClientId=scenario.client_id,
            ChallengeName="DEVICE_SRP_AUTH",
            ChallengeResponses={
                "USERNAME": "ada",
                "DEVICE_KEY": device["device_key"],
                "SRP_A": "a1",
            },
        )
    assert error_of(raised) == ("InvalidParameterException", "Missing required parameter Session")


@pytest.mark.parametrize("how", ["forgotten", "not_remembered"])
def test_a_forgotten_or_unremembered_device_passes_mfa_again(scenario, how):
    scenario.enrol()
    tokens = scenario.sign_in_with_code(scenario.srp())
    device = scenario.remember(tokens)
    if how == "forgotten":
        scenario.idp.forget_device(
            AccessToken=tokens["AccessToken"], DeviceKey=device["device_key"]
        )
    else:
        scenario.idp.update_device_status(
            AccessToken=tokens["AccessToken"],
            DeviceKey=device["device_key"],
            DeviceRememberedStatus="not_remembered",
        )
    again = scenario.sign_in_with_code(scenario.srp(**device))  # MFA, not the device
    if how == "forgotten":
        assert again["NewDeviceMetadata"]["DeviceKey"] != device["device_key"]
    else:
        assert "NewDeviceMetadata" not in again


def test_without_challenge_required_on_new_device_mfa_is_always_asked(cognito_idp, cognito_mock):
    pool_id, client_id = make_pool(
        cognito_idp, ChallengeRequiredOnNewDevice=False, DeviceOnlyRememberedOnUserPrompt=False
    )
    with time_machine.travel(START, tick=False) as traveller:
        scenario = Scenario(cognito_idp, cognito_mock, traveller, pool_id, client_id)
        scenario.enrol()
        device = scenario.remember(scenario.sign_in_with_code(scenario.srp()))
        again = scenario.sign_in_with_code(scenario.srp(**device))
    assert claims(again["AccessToken"])["device_key"] == device["device_key"]


def test_with_mfa_off_a_remembered_device_signs_in_at_once(cognito_idp, cognito_mock):
    """Remembered devices only stand in for MFA: without MFA the password is enough."""
    pool_id, client_id = make_pool(cognito_idp, mfa="OFF")
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    first = AWSSRP("ada", PASSWORD, pool_id, client_id, client=cognito_idp).authenticate_user()
    srp = AWSSRP("ada", PASSWORD, pool_id, client_id, client=cognito_idp)
    response, device_password = srp.confirm_device(first)
    assert response.status_code == 200
    again = AWSSRP(
        "ada",
        PASSWORD,
        pool_id,
        client_id,
        client=cognito_idp,
        device_key=srp.device_key,
        device_group_key=srp.device_group_key,
        device_password=device_password,
    ).authenticate_user()
    assert "ChallengeName" not in again or again["ChallengeName"] is None
    assert claims(again["AuthenticationResult"]["AccessToken"])["device_key"] == srp.device_key
    assert [c.params.get("ChallengeName") for c in cognito_mock.calls[-1:]] == ["PASSWORD_VERIFIER"]


def test_pre_token_generation_sees_the_device_authentication(scenario, cognito_mock):
    sources: list[str] = []

    def pre_token(event, context):
        sources.append(event["triggerSource"])
        return event

    arn = "arn:aws:lambda:us-east-1:123456789012:function:pre-token"
    cognito_mock.register_lambda(arn, pre_token)
    scenario.enrol()
    device = scenario.remember(scenario.sign_in_with_code(scenario.srp()))
    described = scenario.idp.describe_user_pool(UserPoolId=scenario.pool_id)["UserPool"]
    scenario.idp.update_user_pool(
        UserPoolId=scenario.pool_id,
        LambdaConfig={"PreTokenGeneration": arn},
        MfaConfiguration=described["MfaConfiguration"],
        DeviceConfiguration=described["DeviceConfiguration"],
        AutoVerifiedAttributes=described["AutoVerifiedAttributes"],
    )
    scenario.srp(**device).authenticate_user()
    assert sources == ["TokenGeneration_AuthenticateDevice"]
