"""Choice-based sign-in (USER_AUTH): what is offered, each first factor, and its errors."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from pycognito.aws_srp import AWSSRP
from support.errors import error_of
from support.model import requires_operation
from support.user_auth import (
    EMAIL,
    PASSWORD,
    answer,
    make_client,
    make_pool,
    make_user,
    start,
)

from pytest_cognito_mock import NoCodeSentError

START = datetime.datetime(2026, 3, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return make_pool(cognito_idp)


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    make_user(cognito_idp, pool_id)
    return make_client(cognito_idp, pool_id)


def test_a_username_alone_gets_the_choice_of_what_pool_and_user_allow(cognito_idp, client_id):
    select = start(cognito_idp, client_id)
    assert select["ChallengeName"] == "SELECT_CHALLENGE"
    assert select["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    assert select["ChallengeParameters"] == {"USERNAME": "ada"}
    assert select["Session"]


def test_the_admin_operation_offers_the_same(cognito_idp, pool_id, client_id):
    select = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ada"},
    )
    assert select["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]


def test_only_factors_the_user_has_are_offered(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, "linus", phone_number=None, phone_number_verified=None)
    assert start(cognito_idp, client_id, "linus")["AvailableChallenges"] == [
        "PASSWORD",
        "PASSWORD_SRP",
        "EMAIL_OTP",
    ]


def test_a_user_with_nothing_the_pool_allows_cannot_start(cognito_idp):
    pool_id = make_pool(cognito_idp, factors=("EMAIL_OTP",))
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, email_verified="false")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == "Incorrect username or password."


def test_the_pool_policy_limits_and_orders_the_factors(cognito_idp):
    pool_id = make_pool(cognito_idp, factors=("SMS_OTP", "PASSWORD"))
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    assert start(cognito_idp, client_id)["AvailableChallenges"] == [
        "SMS_OTP",
        "PASSWORD",
        "PASSWORD_SRP",
    ]


def test_a_preferred_password_signs_in_at_once(cognito_idp, client_id):
    result = start(cognito_idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    tokens = result["AuthenticationResult"]
    assert cognito_idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ada"
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        start(cognito_idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="wrong")
    assert error_of(raised)[1] == "Incorrect username or password."


def test_choosing_the_password_in_select_challenge(cognito_idp, client_id):
    select = start(cognito_idp, client_id)
    tokens = answer(
        cognito_idp, client_id, select, "SELECT_CHALLENGE", ANSWER="PASSWORD", PASSWORD=PASSWORD
    )["AuthenticationResult"]
    assert "RefreshToken" in tokens


def test_answering_select_challenge_with_the_password_challenge_name(cognito_idp, client_id):
    select = start(cognito_idp, client_id)
    tokens = answer(cognito_idp, client_id, select, "PASSWORD", PASSWORD=PASSWORD)
    assert "IdToken" in tokens["AuthenticationResult"]


def test_an_answer_outside_the_offer_is_refused_and_the_choice_stays_open(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=None, phone_number_verified=None)
    select = start(cognito_idp, client_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        answer(cognito_idp, client_id, select, "SELECT_CHALLENGE", ANSWER="SMS_OTP")
    assert error_of(raised)[1] == "The challenge answer is not an available challenge."
    chosen = answer(cognito_idp, client_id, select, "SELECT_CHALLENGE", ANSWER="EMAIL_OTP")
    assert chosen["ChallengeName"] == "EMAIL_OTP"


def test_a_preferred_challenge_the_user_lacks_falls_back_to_the_choice(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=None, phone_number_verified=None)
    select = start(cognito_idp, client_id, PREFERRED_CHALLENGE="SMS_OTP")
    assert select["ChallengeName"] == "SELECT_CHALLENGE"
    assert "SMS_OTP" not in select["AvailableChallenges"]


def test_a_preferred_challenge_that_is_no_first_factor_is_refused(cognito_idp, client_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        start(cognito_idp, client_id, PREFERRED_CHALLENGE="SOFTWARE_TOKEN_MFA")
    assert error_of(raised)[1].startswith("Invalid PREFERRED_CHALLENGE SOFTWARE_TOKEN_MFA")


def test_the_client_must_allow_user_auth(cognito_idp, pool_id):
    client_id = make_client(
        cognito_idp, pool_id, flows=("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
    )
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == "USER_AUTH flow not enabled for this client"


def test_unknown_and_disabled_users(cognito_idp, pool_id, client_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        start(cognito_idp, client_id, "nobody")
    cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="ada")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == "User is disabled."


# -- SRP ---------------------------------------------------------------------------------------


def test_password_srp_with_pycognitos_srp_math(cognito_idp, pool_id, client_id):
    srp = AWSSRP(
        username="ada",
        password=PASSWORD,
        pool_id=pool_id,
        client_id=client_id,
        client=cognito_idp,
    )
    srp_a = srp.get_auth_params()["SRP_A"]
    verifier = start(cognito_idp, client_id, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=srp_a)
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    assert verifier["Session"]
    responses = srp.process_challenge(verifier["ChallengeParameters"], srp.get_auth_params())
    result = cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=responses,
    )
    assert "AccessToken" in result["AuthenticationResult"]


def test_password_srp_chosen_in_select_challenge(cognito_idp, pool_id, client_id):
    srp = AWSSRP(
        username="ada", password=PASSWORD, pool_id=pool_id, client_id=client_id, client=cognito_idp
    )
    select = start(cognito_idp, client_id)
    verifier = answer(
        cognito_idp,
        client_id,
        select,
        "SELECT_CHALLENGE",
        ANSWER="PASSWORD_SRP",
        SRP_A=srp.get_auth_params()["SRP_A"],
    )
    responses = srp.process_challenge(verifier["ChallengeParameters"], srp.get_auth_params())
    result = cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=responses,
    )
    assert "IdToken" in result["AuthenticationResult"]


# -- codes by email and SMS --------------------------------------------------------------------


def test_an_email_code_signs_in_and_is_captured(cognito_idp, cognito_mock, pool_id, client_id):
    challenge = start(cognito_idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "a***@e***",
        "USER_ID_FOR_SRP": "ada",
    }
    [message] = cognito_mock.messages(pool_id, "ada")
    assert (message.channel, message.destination, message.kind) == (
        "EMAIL",
        EMAIL,
        "Authentication",
    )
    assert message.trigger_source == "CustomMessage_Authentication"
    assert len(message.code) == 8 and message.code.isdigit()
    assert message.code in message.text
    assert cognito_mock.last_code(pool_id, "ada", channel="EMAIL") == message.code
    result = answer(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_OTP_CODE=message.code)
    assert "AccessToken" in result["AuthenticationResult"]


def test_an_sms_code_signs_in_without_mfa(cognito_idp, cognito_mock, pool_id):
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    select = start(cognito_idp, client_id)
    challenge = answer(cognito_idp, client_id, select, "SELECT_CHALLENGE", ANSWER="SMS_OTP")
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0123"
    code = cognito_mock.last_code(pool_id, "ada", channel="SMS")
    result = answer(cognito_idp, client_id, challenge, "SMS_OTP", SMS_OTP_CODE=code)
    # MFA is ON, yet a passwordless first factor is not followed by an MFA challenge.
    assert "AccessToken" in result["AuthenticationResult"]
    # A password still is.
    mfa = start(cognito_idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert mfa["ChallengeName"] == "MFA_SETUP"


def test_wrong_codes_then_the_session_is_spent(cognito_idp, cognito_mock, pool_id, client_id):
    challenge = start(cognito_idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    for _ in range(2):
        with pytest.raises(cognito_idp.exceptions.CodeMismatchException) as raised:
            answer(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_OTP_CODE="00000000")
        assert error_of(raised)[1] == "Invalid code or auth state for the user."
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        answer(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_OTP_CODE="00000000")
    code = cognito_mock.last_code(pool_id, "ada")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        answer(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_OTP_CODE=code)
    assert error_of(raised)[1] == "Invalid session for the user."


@pytest.mark.cognito_mock(sign_in_code_attempts=1)
def test_the_number_of_attempts_is_an_option(cognito_idp, cognito_mock, pool_id, client_id):
    challenge = start(cognito_idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        answer(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_OTP_CODE="00000000")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        answer(
            cognito_idp,
            client_id,
            challenge,
            "EMAIL_OTP",
            EMAIL_OTP_CODE=cognito_mock.last_code(pool_id, "ada"),
        )


def test_a_code_expires_after_three_minutes(cognito_idp, cognito_mock, pool_id):
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="slow",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AuthSessionValidity=15,
    )["UserPoolClient"]["ClientId"]
    make_user(cognito_idp, pool_id)
    with time_machine.travel(START, tick=False) as traveller:
        challenge = start(cognito_idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
        traveller.shift(181)
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            answer(
                cognito_idp,
                client_id,
                challenge,
                "EMAIL_OTP",
                EMAIL_OTP_CODE=cognito_mock.last_code(pool_id, "ada"),
            )
    assert error_of(raised)[1] == "Invalid session for the user, session is expired."


def test_an_unverified_address_gets_no_sign_in_code(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id)
    make_user(
        cognito_idp, pool_id, email_verified="false", phone_number=None, phone_number_verified=None
    )
    select = start(cognito_idp, client_id)
    assert select["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


@pytest.mark.cognito_mock(sign_in_codes_need_verified_contact=False)
def test_unverified_addresses_get_codes_when_the_option_allows(cognito_idp, cognito_mock, pool_id):
    client_id = make_client(cognito_idp, pool_id)
    make_user(
        cognito_idp, pool_id, email_verified="false", phone_number=None, phone_number_verified=None
    )
    challenge = start(cognito_idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    answer(
        cognito_idp,
        client_id,
        challenge,
        "EMAIL_OTP",
        EMAIL_OTP_CODE=cognito_mock.last_code(pool_id, "ada"),
    )
    attributes = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    assert {"Name": "email_verified", "Value": "true"} in attributes


def test_last_code_says_why_there_is_none(cognito_idp, cognito_mock, pool_id, client_id):
    with pytest.raises(NoCodeSentError, match="has sent 'ada' no code yet"):
        cognito_mock.last_code(pool_id, "ada")
    with pytest.raises(NoCodeSentError, match="has no user named 'nobody'"):
        cognito_mock.last_code(pool_id, "nobody")
    start(cognito_idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    with pytest.raises(NoCodeSentError, match=r"no code by SMS .* went by EMAIL"):
        cognito_mock.last_code(pool_id, "ada", channel="SMS")


# -- feature plans -----------------------------------------------------------------------------


def test_new_pools_are_on_essentials_and_lite_refuses_passwordless(cognito_idp):
    pool_id = make_pool(cognito_idp)
    assert cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTier"] == (
        "ESSENTIALS"
    )
    with pytest.raises(cognito_idp.exceptions.FeatureUnavailableInTierException) as raised:
        make_pool(cognito_idp, UserPoolTier="LITE")
    assert error_of(raised)[1] == (
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Passwordless Sign-In"
    )


def test_downgrading_keeps_what_the_plan_allows(cognito_idp):
    pool_id = make_pool(cognito_idp, factors=("PASSWORD",))
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    cognito_idp.update_user_pool(UserPoolId=pool_id, UserPoolTier="LITE")
    described = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["UserPoolTier"] == "LITE"
    # An update that leaves the plan out keeps it.
    cognito_idp.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"])
    assert cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTier"] == (
        "LITE"
    )
    # A client made before the downgrade: choice-based sign-in is refused at sign-in too.
    with pytest.raises(cognito_idp.exceptions.FeatureUnavailableInTierException) as raised:
        start(cognito_idp, client_id)
    assert error_of(raised)[1] == (
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Choice-Based Sign-In"
    )


def test_threat_protection_needs_plus(cognito_idp):
    with pytest.raises(cognito_idp.exceptions.FeatureUnavailableInTierException) as raised:
        cognito_idp.create_user_pool(
            PoolName="app", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}
        )
    assert error_of(raised)[1] == (
        "The following features need to be disabled for the ESSENTIALS pricing tier "
        "configured: Threat Protection"
    )
    pool = cognito_idp.create_user_pool(
        PoolName="app", UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}
    )["UserPool"]
    assert pool["UserPoolTier"] == "PLUS"


# -- GetUserAuthFactors ------------------------------------------------------------------------


@requires_operation("AdminGetUserAuthFactors")
def test_auth_factors_of_a_user(cognito_idp, pool_id, client_id):
    described = cognito_idp.admin_get_user_auth_factors(UserPoolId=pool_id, Username="ada")
    described.pop("ResponseMetadata")
    assert described == {
        "Username": "ada",
        "ConfiguredUserAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"],
    }
    tokens = start(cognito_idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    own = cognito_idp.get_user_auth_factors(
        AccessToken=tokens["AuthenticationResult"]["AccessToken"]
    )
    assert own["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]


def test_lite_pools_refuse_choice_based_clients_and_rotation(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app", UserPoolTier="LITE")["UserPool"]["Id"]
    with pytest.raises(cognito_idp.exceptions.FeatureUnavailableInTierException) as raised:
        make_client(cognito_idp, pool_id)
    assert error_of(raised)[1].endswith("LITE pricing tier configured: Choice-Based Sign-In")
    with pytest.raises(cognito_idp.exceptions.FeatureUnavailableInTierException) as raised:
        cognito_idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
        )
    assert error_of(raised)[1].endswith("LITE pricing tier configured: Refresh Token Rotation")
    assert (
        cognito_idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=10)["UserPoolClients"]
        == []
    )


def test_the_session_of_confirm_sign_up_signs_in_once(cognito_idp, cognito_mock, pool_id):
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": EMAIL}],
    )
    confirmed = cognito_idp.confirm_sign_up(
        ClientId=client_id, Username="ada", ConfirmationCode=cognito_mock.last_code(pool_id, "ada")
    )
    signed_in = cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ada"},
        Session=confirmed["Session"],
    )
    assert "AccessToken" in signed_in["AuthenticationResult"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "ada"},
            Session=confirmed["Session"],
        )
    assert error_of(raised)[1] == "Invalid session for the user."
