"""Threat protection's user event history: every sign-in (and sign-up, password change,
forgotten password, resent code) is an auth event, listed newest first by
AdminListUserAuthEvents; feedback on events; and what a risk set with
``cognito_mock.set_sign_in_risk`` does in AUDIT and ENFORCED mode."""

from __future__ import annotations

from datetime import datetime, timezone

import boto3
import pytest
from freezegun import freeze_time
from pycognito.aws_srp import AWSSRP
from support.errors import refused
from support.mfa import SMS_CONFIGURATION
from support.model import requires_operation
from support.users import make_user

pytestmark = [
    requires_operation("AdminListUserAuthEvents"),
    requires_operation("AdminUpdateAuthEventFeedback"),
    requires_operation("UpdateAuthEventFeedback"),
    requires_operation("SetRiskConfiguration"),
]

PASSWORD = "Corr3ct-horse!"
PHONE = "+15555550100"
FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]
BLOCKED_SIGN_IN = "Unable to login because of security reasons."
NOT_ENABLED = "Advanced security features are not enabled for user pool {}."
NOON = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)


def make_pool(cognito_idp, mode: str | None = "ENFORCED", **kwargs) -> str:
    add_ons = {"UserPoolAddOns": {"AdvancedSecurityMode": mode}} if mode else {}
    return cognito_idp.create_user_pool(PoolName="app", UserPoolTier="PLUS", **add_ons, **kwargs)[
        "UserPool"
    ]["Id"]


def make_client(cognito_idp, pool_id: str, name: str = "web") -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName=name, ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]


def sign_in(cognito_idp, client_id: str, password: str = PASSWORD, **kwargs) -> dict:
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": password},
        **kwargs,
    )


def events(client, pool_id: str, username: str = "ada", **kwargs) -> list[dict]:
    return client.admin_list_user_auth_events(UserPoolId=pool_id, Username=username, **kwargs)[
        "AuthEvents"
    ]


def block_high(cognito_idp, pool_id: str, **kwargs) -> None:
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {"HighAction": {"Notify": False, "EventAction": "BLOCK"}}
        },
        **kwargs,
    )


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return make_pool(cognito_idp)


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    client = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    return client


# -- sign-in events ------------------------------------------------------------------------------


def test_a_wrong_then_a_right_password_are_two_events_newest_first(cognito_idp, pool_id, client_id):
    with freeze_time(NOON), pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        sign_in(cognito_idp, client_id, "wrong", UserContextData={"IpAddress": "192.0.2.1"})
    with freeze_time("2030-01-01 12:00:05"):
        sign_in(cognito_idp, client_id)

    other = boto3.client("cognito-idp", region_name="us-east-1")
    passed, failed = events(other, pool_id)
    assert passed["EventType"] == "SignIn"
    assert passed["EventResponse"] == "Pass"
    assert passed["CreationDate"] == datetime(2030, 1, 1, 12, 0, 5, tzinfo=timezone.utc)
    assert passed["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "CompromisedCredentialsDetected": False,
    }
    assert passed["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Success"}
    ]
    assert "EventContextData" not in passed
    assert "EventFeedback" not in passed

    assert failed["EventResponse"] == "Fail"
    assert failed["CreationDate"] == NOON
    assert failed["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Failure"}
    ]
    assert failed["EventContextData"] == {"IpAddress": "192.0.2.1"}
    assert passed["EventId"] != failed["EventId"]


def test_admin_sign_ins_take_the_ip_address_and_device_from_context_data(
    cognito_idp, pool_id, client_id
):
    cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        ContextData={
            "IpAddress": "198.51.100.7",
            "ServerName": "app.example.com",
            "ServerPath": "/login",
            "HttpHeaders": [{"headerName": "User-Agent", "headerValue": "Firefox 120"}],
        },
    )
    (event,) = events(cognito_idp, pool_id)
    assert event["EventContextData"] == {"IpAddress": "198.51.100.7", "DeviceName": "Firefox 120"}


def test_an_srp_sign_in_is_one_event(cognito_idp, pool_id, client_id):
    helper = AWSSRP("ada", PASSWORD, pool_id, client_id, client=cognito_idp)
    parameters = helper.get_auth_params()
    started = cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=parameters
    )
    assert events(cognito_idp, pool_id) == []  # the password's proof is still to come
    cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=helper.process_challenge(started["ChallengeParameters"], parameters),
    )
    (event,) = events(cognito_idp, pool_id)
    assert event["EventResponse"] == "Pass"
    assert event["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Success"}
    ]


def test_refreshing_tokens_is_no_sign_in_event(cognito_idp, pool_id, client_id):
    refresh = sign_in(cognito_idp, client_id)["AuthenticationResult"]["RefreshToken"]
    cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh},
    )
    assert len(events(cognito_idp, pool_id)) == 1


@pytest.fixture
def sms_pool(cognito_idp) -> tuple[str, str]:
    """An ENFORCED pool with optional SMS MFA and a user with a phone number (MFA not on)."""
    pool_id = make_pool(cognito_idp, SmsConfiguration=SMS_CONFIGURATION)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
        MfaConfiguration="OPTIONAL",
    )
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number=PHONE, phone_number_verified="true")
    return pool_id, client_id


def answer_sms(cognito_idp, client_id: str, session: str, code: str) -> dict:
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=session,
        ChallengeResponses={"USERNAME": "ada", "SMS_MFA_CODE": code},
    )


def test_an_mfa_sign_in_is_in_progress_then_passes_with_the_mfa_answer(
    cognito_idp, cognito_mock, sms_pool
):
    pool_id, client_id = sms_pool
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    session = sign_in(cognito_idp, client_id)["Session"]
    (pending,) = events(cognito_idp, pool_id)
    assert pending["EventResponse"] == "InProgress"
    assert pending["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Success"}
    ]

    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        answer_sms(cognito_idp, client_id, session, "000000")
    (failed,) = events(cognito_idp, pool_id)
    assert failed["EventId"] == pending["EventId"]
    assert failed["EventResponse"] == "Fail"
    assert failed["ChallengeResponses"][-1] == {
        "ChallengeName": "Mfa",
        "ChallengeResponse": "Failure",
    }

    code = cognito_mock.last_code(pool_id, "ada")
    assert "AuthenticationResult" in answer_sms(cognito_idp, client_id, session, code)
    (passed,) = events(cognito_idp, pool_id)
    assert passed["EventId"] == pending["EventId"]
    assert passed["EventResponse"] == "Pass"
    assert passed["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Success"},
        {"ChallengeName": "Mfa", "ChallengeResponse": "Success"},
    ]


# -- the other events ----------------------------------------------------------------------------


def test_sign_up_resend_password_change_and_forgot_password_are_events(cognito_idp, cognito_mock):
    pool_id = make_pool(cognito_idp, AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
        UserContextData={"IpAddress": "192.0.2.9"},
    )
    cognito_idp.resend_confirmation_code(ClientId=client_id, Username="ada")
    cognito_idp.confirm_sign_up(
        ClientId=client_id, Username="ada", ConfirmationCode=cognito_mock.last_code(pool_id, "ada")
    )
    access = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        cognito_idp.change_password(
            AccessToken=access, PreviousPassword="wrong", ProposedPassword="N3w-password!"
        )
    cognito_idp.change_password(
        AccessToken=access, PreviousPassword=PASSWORD, ProposedPassword="N3w-password!"
    )
    cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        cognito_idp.confirm_forgot_password(
            ClientId=client_id, Username="ada", ConfirmationCode="000000", Password="An0ther-one!"
        )
    cognito_idp.confirm_forgot_password(
        ClientId=client_id,
        Username="ada",
        ConfirmationCode=cognito_mock.last_code(pool_id, "ada"),
        Password="An0ther-one!",
    )
    listed = [(e["EventType"], e["EventResponse"]) for e in events(cognito_idp, pool_id)]
    assert listed == [
        ("ForgotPassword", "Pass"),
        ("ForgotPassword", "Fail"),
        ("ForgotPassword", "Pass"),
        ("PasswordChange", "Pass"),
        ("PasswordChange", "Fail"),
        ("SignIn", "Pass"),
        ("ResendCode", "Pass"),
        ("SignUp", "Pass"),
    ]
    assert events(cognito_idp, pool_id)[-1]["EventContextData"] == {"IpAddress": "192.0.2.9"}


# -- listing -------------------------------------------------------------------------------------


def test_pages_go_from_newest_to_oldest_and_new_events_shift_nothing(
    cognito_idp, pool_id, client_id
):
    for _ in range(3):
        sign_in(cognito_idp, client_id)
    everything = events(cognito_idp, pool_id)
    first = cognito_idp.admin_list_user_auth_events(
        UserPoolId=pool_id, Username="ada", MaxResults=2
    )
    assert first["AuthEvents"] == everything[:2]
    sign_in(cognito_idp, client_id)  # a newer event: the next page still goes on from there
    second = cognito_idp.admin_list_user_auth_events(
        UserPoolId=pool_id, Username="ada", MaxResults=2, NextToken=first["NextToken"]
    )
    assert second["AuthEvents"] == everything[2:]
    assert "NextToken" not in second
    # MaxResults 0 is the default page of 60.
    assert len(events(cognito_idp, pool_id, MaxResults=0)) == 4


def test_a_foreign_token_and_an_unknown_user_are_refused(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, "grace")
    for _ in range(2):
        sign_in(cognito_idp, client_id)
    token = cognito_idp.admin_list_user_auth_events(
        UserPoolId=pool_id, Username="ada", MaxResults=1
    )["NextToken"]
    refused(
        cognito_idp.admin_list_user_auth_events,
        "InvalidParameterException",
        "Invalid pagination token.",
        UserPoolId=pool_id,
        Username="grace",
        NextToken=token,
    )
    refused(
        cognito_idp.admin_list_user_auth_events,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pool_id,
        Username="nobody",
    )


def test_events_go_with_the_user(cognito_idp, pool_id, client_id):
    sign_in(cognito_idp, client_id)
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="ada")
    make_user(cognito_idp, pool_id)
    assert events(cognito_idp, pool_id) == []


def test_without_threat_protection_nothing_is_recorded_and_the_operations_are_refused(
    cognito_idp, cognito_mock
):
    pool_id = make_pool(cognito_idp, mode=None)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    sign_in(cognito_idp, client_id)
    message = NOT_ENABLED.format(pool_id)
    refused(
        cognito_idp.admin_list_user_auth_events,
        "UserPoolAddOnNotEnabledException",
        message,
        UserPoolId=pool_id,
        Username="ada",
    )
    for call, extra in (
        (cognito_idp.admin_update_auth_event_feedback, {}),
        (cognito_idp.update_auth_event_feedback, {"FeedbackToken": "abc"}),
    ):
        refused(
            call,
            "UserPoolAddOnNotEnabledException",
            message,
            UserPoolId=pool_id,
            Username="ada",
            EventId="some-event",
            FeedbackValue="Valid",
            **extra,
        )
    cognito_idp.update_user_pool(
        UserPoolId=pool_id, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"}
    )
    assert events(cognito_idp, pool_id) == []  # the sign-in before was not recorded


# -- feedback ------------------------------------------------------------------------------------


def test_admin_feedback_is_shown_on_the_event(cognito_idp, pool_id, client_id):
    sign_in(cognito_idp, client_id)
    (event,) = events(cognito_idp, pool_id)
    with freeze_time(NOON):
        cognito_idp.admin_update_auth_event_feedback(
            UserPoolId=pool_id, Username="ada", EventId=event["EventId"], FeedbackValue="Invalid"
        )
    (event,) = events(cognito_idp, pool_id)
    assert event["EventFeedback"] == {
        "FeedbackValue": "Invalid",
        "Provider": "Admin",
        "FeedbackDate": NOON,
    }


def test_user_feedback_needs_the_events_feedback_token(
    cognito_idp, cognito_mock, pool_id, client_id
):
    sign_in(cognito_idp, client_id)
    (event,) = events(cognito_idp, pool_id)
    token = cognito_mock.auth_event_feedback_token(pool_id, "ada", event["EventId"])
    unsigned = boto3.client("cognito-idp", region_name="us-east-1")
    refused(
        unsigned.update_auth_event_feedback,
        "NotAuthorizedException",
        "The feedback token is not valid for this auth event.",
        UserPoolId=pool_id,
        Username="ada",
        EventId=event["EventId"],
        FeedbackToken=token[:-2] + "00" if not token.endswith("00") else token[:-2] + "11",
        FeedbackValue="Valid",
    )
    assert "EventFeedback" not in events(cognito_idp, pool_id)[0]
    unsigned.update_auth_event_feedback(
        UserPoolId=pool_id,
        Username="ada",
        EventId=event["EventId"],
        FeedbackToken=token,
        FeedbackValue="Valid",
    )
    feedback = events(cognito_idp, pool_id)[0]["EventFeedback"]
    assert (feedback["FeedbackValue"], feedback["Provider"]) == ("Valid", "User")


def test_feedback_on_an_unknown_event_or_user_is_refused(cognito_idp, pool_id, client_id):
    refused(
        cognito_idp.admin_update_auth_event_feedback,
        "ResourceNotFoundException",
        "Auth event no-such-event does not exist for the user.",
        UserPoolId=pool_id,
        Username="ada",
        EventId="no-such-event",
        FeedbackValue="Valid",
    )
    refused(
        cognito_idp.admin_update_auth_event_feedback,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pool_id,
        Username="nobody",
        EventId="no-such-event",
        FeedbackValue="Valid",
    )


def test_the_feedback_token_helper_names_what_is_missing(cognito_mock, pool_id, client_id):
    with pytest.raises(KeyError, match="no auth event 'nope'"):
        cognito_mock.auth_event_feedback_token(pool_id, "ada", "nope")
    with pytest.raises(KeyError, match="no user 'nobody'"):
        cognito_mock.auth_event_feedback_token(pool_id, "nobody", "nope")


# -- risk ----------------------------------------------------------------------------------------


def test_enforced_block_refuses_a_risky_sign_in(cognito_idp, cognito_mock, pool_id, client_id):
    block_high(cognito_idp, pool_id)
    cognito_mock.set_sign_in_risk(pool_id, "ada", "High")
    refused(
        cognito_idp.initiate_auth,
        "NotAuthorizedException",
        BLOCKED_SIGN_IN,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    (event,) = events(cognito_idp, pool_id)
    assert event["EventResponse"] == "Fail"
    assert event["EventRisk"] == {
        "RiskDecision": "Block",
        "RiskLevel": "High",
        "CompromisedCredentialsDetected": False,
    }
    # A lower risk is not blocked; clearing the risk signs in again.
    cognito_mock.set_sign_in_risk(pool_id, "ada", "Low")
    sign_in(cognito_idp, client_id)
    assert events(cognito_idp, pool_id)[0]["EventRisk"]["RiskLevel"] == "Low"
    cognito_mock.set_sign_in_risk(pool_id, "ada", None)
    sign_in(cognito_idp, client_id)
    assert events(cognito_idp, pool_id)[0]["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "CompromisedCredentialsDetected": False,
    }


def test_a_wrong_password_is_a_plain_failure_even_at_risk(
    cognito_idp, cognito_mock, pool_id, client_id
):
    block_high(cognito_idp, pool_id)
    cognito_mock.set_sign_in_risk(pool_id, "ada", "High")
    refused(
        cognito_idp.initiate_auth,
        "NotAuthorizedException",
        "Incorrect username or password.",
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": "wrong"},
    )
    (event,) = events(cognito_idp, pool_id)
    assert event["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Failure"}
    ]


def test_audit_mode_reports_the_risk_and_does_nothing(cognito_idp, cognito_mock):
    pool_id = make_pool(cognito_idp, mode="AUDIT")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    block_high(cognito_idp, pool_id)
    cognito_mock.set_sign_in_risk(pool_id, "ada", "High", compromised_credentials=True)
    assert "AuthenticationResult" in sign_in(cognito_idp, client_id)
    (event,) = events(cognito_idp, pool_id)
    assert event["EventResponse"] == "Pass"
    assert event["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "RiskLevel": "High",
        "CompromisedCredentialsDetected": True,
    }


def test_an_app_clients_configuration_overrides_the_pools(
    cognito_idp, cognito_mock, pool_id, client_id
):
    lenient = make_client(cognito_idp, pool_id, "lenient")
    block_high(cognito_idp, pool_id)
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id,
        ClientId=lenient,
        AccountTakeoverRiskConfiguration={
            "Actions": {"HighAction": {"Notify": False, "EventAction": "NO_ACTION"}}
        },
    )
    cognito_mock.set_sign_in_risk(pool_id, "ada", "High")
    assert "AuthenticationResult" in sign_in(cognito_idp, lenient)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        sign_in(cognito_idp, client_id)


def test_compromised_credentials_are_blocked_when_configured(
    cognito_idp, cognito_mock, pool_id, client_id
):
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id,
        CompromisedCredentialsRiskConfiguration={"Actions": {"EventAction": "BLOCK"}},
    )
    cognito_mock.set_sign_in_risk(pool_id, "ada", None, compromised_credentials=True)
    refused(
        cognito_idp.initiate_auth,
        "NotAuthorizedException",
        BLOCKED_SIGN_IN,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    risk = events(cognito_idp, pool_id)[0]["EventRisk"]
    assert risk == {"RiskDecision": "Block", "CompromisedCredentialsDetected": True}


def _mfa_on(cognito_idp, pool_id: str, action: str) -> None:
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {"MediumAction": {"Notify": False, "EventAction": action}}
        },
    )


@pytest.mark.parametrize("action", ["MFA_IF_CONFIGURED", "MFA_REQUIRED"])
def test_risk_asks_for_mfa_the_user_can_receive(cognito_idp, cognito_mock, sms_pool, action):
    pool_id, client_id = sms_pool
    _mfa_on(cognito_idp, pool_id, action)
    assert "AuthenticationResult" in sign_in(cognito_idp, client_id)  # no risk: no MFA
    cognito_mock.set_sign_in_risk(pool_id, "ada", "Medium")
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "SMS_MFA"
    pending = events(cognito_idp, pool_id)[0]
    assert pending["EventResponse"] == "InProgress"
    assert pending["EventRisk"]["RiskDecision"] == "AccountTakeover"
    code = cognito_mock.last_code(pool_id, "ada")
    answer_sms(cognito_idp, client_id, challenge["Session"], code)
    assert events(cognito_idp, pool_id)[0]["EventResponse"] == "Pass"


def test_mfa_if_configured_lets_a_user_without_a_factor_in_and_mfa_required_does_not(
    cognito_idp, cognito_mock, pool_id, client_id
):
    cognito_mock.set_sign_in_risk(pool_id, "ada", "Medium")
    _mfa_on(cognito_idp, pool_id, "MFA_IF_CONFIGURED")
    assert "AuthenticationResult" in sign_in(cognito_idp, client_id)
    _mfa_on(cognito_idp, pool_id, "MFA_REQUIRED")
    refused(
        cognito_idp.initiate_auth,
        "NotAuthorizedException",
        BLOCKED_SIGN_IN,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    assert events(cognito_idp, pool_id)[0]["EventRisk"]["RiskDecision"] == "Block"


def test_ip_exception_lists(cognito_idp, cognito_mock, pool_id, client_id):
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {"HighAction": {"Notify": False, "EventAction": "BLOCK"}}
        },
        RiskExceptionConfiguration={
            "BlockedIPRangeList": ["203.0.113.0/24"],
            "SkippedIPRangeList": ["192.0.2.0/24"],
        },
    )
    refused(
        cognito_idp.initiate_auth,
        "NotAuthorizedException",
        "Request not allowed due to security reasons.",
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        UserContextData={"IpAddress": "203.0.113.9"},
    )
    assert events(cognito_idp, pool_id)[0]["EventRisk"]["RiskDecision"] == "Block"
    # From an always-allow address no risk is assessed, so the High risk blocks nothing.
    cognito_mock.set_sign_in_risk(pool_id, "ada", "High")
    sign_in(cognito_idp, client_id, UserContextData={"IpAddress": "192.0.2.44"})
    assert events(cognito_idp, pool_id)[0]["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "CompromisedCredentialsDetected": False,
    }


def test_the_risk_helper_checks_its_arguments(cognito_mock, pool_id, client_id):
    with pytest.raises(ValueError, match="risk level must be one of Low, Medium, High or None"):
        cognito_mock.set_sign_in_risk(pool_id, "ada", "Severe")  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="no user 'nobody'"):
        cognito_mock.set_sign_in_risk(pool_id, "nobody", "High")
