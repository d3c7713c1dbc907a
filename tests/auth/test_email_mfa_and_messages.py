"""Email MFA (EMAIL_OTP after a password), and the messages a pool sends: captured with their
channel, destination, code and kind; shaped by the CustomMessage trigger; handed to custom
sender triggers."""

from __future__ import annotations

import json

import pytest
from support.errors import error_of
from support.mfa import PASSWORD, make_client, respond, sign_in
from support.users import make_user

SES = {
    "EmailSendingAccount": "DEVELOPER",
    "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
}
EMAIL_MFA = {"Message": "Your code is {####}", "Subject": "Sign-in code"}
ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"


def email_mfa_pool(cognito_idp, mode="OPTIONAL", **kwargs) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="app", EmailConfiguration=SES, **kwargs)[
        "UserPool"
    ]["Id"]
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, EmailMfaConfiguration=EMAIL_MFA, MfaConfiguration=mode
    )
    return pool_id


def test_the_pool_reports_its_email_mfa(cognito_idp):
    pool_id = email_mfa_pool(cognito_idp)
    config = cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["EmailMfaConfiguration"] == EMAIL_MFA
    assert config["MfaConfiguration"] == "OPTIONAL"


def test_email_mfa_needs_the_pools_own_ses_sending(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, EmailMfaConfiguration=EMAIL_MFA, MfaConfiguration="ON"
        )
    assert error_of(raised)[1] == "Email MFA requires EmailSendingAccount DEVELOPER."
    assert "EmailMfaConfiguration" not in cognito_idp.get_user_pool_mfa_config(UserPoolId=pool_id)


@pytest.mark.cognito_mock(email_mfa_requires_ses=False)
def test_the_ses_rule_is_an_option(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, EmailMfaConfiguration=EMAIL_MFA, MfaConfiguration="ON"
    )


def test_email_mfa_with_mfa_off_is_refused(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app", EmailConfiguration=SES)["UserPool"]["Id"]
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, EmailMfaConfiguration=EMAIL_MFA, MfaConfiguration="OFF"
        )
    assert error_of(raised)[1] == (
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
    )


def test_lite_pools_have_no_email_mfa(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="app", EmailConfiguration=SES, UserPoolTier="LITE"
    )["UserPool"]["Id"]
    with pytest.raises(cognito_idp.exceptions.FeatureUnavailableInTierException) as raised:
        cognito_idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, EmailMfaConfiguration=EMAIL_MFA, MfaConfiguration="ON"
        )
    assert error_of(raised)[1].endswith("LITE pricing tier configured: Email MFA")


def test_a_user_with_email_mfa_gets_a_code_after_the_password(cognito_idp, cognito_mock):
    pool_id = email_mfa_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, email="ada@example.com")
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="ada",
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    assert user["PreferredMfaSetting"] == "EMAIL_OTP"
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "a***@e***",
    }
    [message] = cognito_mock.messages(pool_id, "ada")
    assert message.subject == "Sign-in code"
    assert message.text == f"Your code is {message.code}"
    assert len(message.code) == 6
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        respond(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_OTP_CODE="000000")
    result = respond(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_OTP_CODE=message.code)
    assert "AccessToken" in result["AuthenticationResult"]
    # The code proved the address.
    attributes = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    assert {"Name": "email_verified", "Value": "true"} in attributes


def test_the_older_email_mfa_names_are_accepted(cognito_idp, cognito_mock):
    pool_id = email_mfa_pool(cognito_idp)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        EmailMfaConfiguration=EMAIL_MFA,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, email="ada@example.com")
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="ada", EmailMfaSettings={"Enabled": True}
    )
    challenge = sign_in(cognito_idp, client_id)
    code = cognito_mock.last_code(pool_id, "ada", channel="EMAIL")
    result = respond(cognito_idp, client_id, challenge, "EMAIL_OTP", EMAIL_MFA_CODE=code)
    assert "IdToken" in result["AuthenticationResult"]


def test_a_required_email_mfa_asks_users_without_factors_for_an_email_code(cognito_idp):
    pool_id = email_mfa_pool(cognito_idp, mode="ON")
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, email="ada@example.com")
    assert sign_in(cognito_idp, client_id)["ChallengeName"] == "EMAIL_OTP"


def test_email_mfa_needs_an_email_to_turn_on(cognito_idp):
    pool_id = email_mfa_pool(cognito_idp)
    make_user(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_set_user_mfa_preference(
            UserPoolId=pool_id, Username="ada", EmailMfaSettings={"Enabled": True}
        )
    assert error_of(raised)[1] == "User does not have delivery config set to turn on EMAIL_OTP"


def test_select_mfa_type_offers_email(cognito_idp, cognito_mock):
    pool_id = email_mfa_pool(cognito_idp)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        EmailMfaConfiguration=EMAIL_MFA,
        SmsMfaConfiguration={
            "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}
        },
        MfaConfiguration="OPTIONAL",
    )
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, email="ada@example.com", phone_number="+15555550123")
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="ada",
        EmailMfaSettings={"Enabled": True},
        SMSMfaSettings={"Enabled": True},
    )
    select = sign_in(cognito_idp, client_id)
    assert select["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(select["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == ["SMS_MFA", "EMAIL_OTP"]
    challenge = respond(cognito_idp, client_id, select, "SELECT_MFA_TYPE", ANSWER="EMAIL_MFA")
    assert challenge["ChallengeName"] == "EMAIL_OTP"


# -- messages ----------------------------------------------------------------------------------


def test_sign_up_and_password_reset_messages_are_captured(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="app",
        AutoVerifiedAttributes=["email"],
        VerificationMessageTemplate={
            "EmailMessage": "Welcome! Code: {####}",
            "EmailSubject": "Confirm",
        },
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    cognito_idp.confirm_sign_up(
        ClientId=client_id, Username="ada", ConfirmationCode=cognito_mock.last_code(pool_id, "ada")
    )
    cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    sent = cognito_mock.messages(pool_id)
    assert [(m.kind, m.channel, m.destination) for m in sent] == [
        ("SignUp", "EMAIL", "ada@example.com"),
        ("ForgotPassword", "EMAIL", "ada@example.com"),
    ]
    assert sent[0].text == f"Welcome! Code: {sent[0].code}"
    assert sent[0].subject == "Confirm"
    assert cognito_mock.last_code(pool_id, "ada") == sent[1].code
    assert cognito_mock.messages(pool_id, "nobody") == []


def test_the_custom_message_trigger_writes_the_text(cognito_idp, cognito_mock):
    events = []

    def custom_message(event, context):
        events.append(event)
        event["response"]["emailSubject"] = "Hello"
        event["response"]["emailMessage"] = (
            f"Hi {event['request']['userAttributes']['email']}, use "
            f"{event['request']['codeParameter']}"
        )
        return event

    cognito_mock.register_lambda(ARN.format("custom-message"), custom_message)
    pool_id = cognito_idp.create_user_pool(
        PoolName="app",
        AutoVerifiedAttributes=["email"],
        LambdaConfig={"CustomMessage": ARN.format("custom-message")},
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
        ClientMetadata={"app": "web"},
    )
    [message] = cognito_mock.messages(pool_id, "ada")
    assert message.text == f"Hi ada@example.com, use {message.code}"
    assert message.subject == "Hello"
    [event] = events
    assert event["triggerSource"] == "CustomMessage_SignUp"
    assert event["request"]["codeParameter"] == "{####}"
    assert event["request"]["clientMetadata"] == {"app": "web"}
    assert event["callerContext"]["clientId"] == client_id


def test_a_custom_email_sender_gets_the_code(cognito_idp, cognito_mock):
    received = []

    def sender(event, context):
        received.append(event)

    cognito_mock.register_lambda(ARN.format("sender"), sender)
    pool_id = cognito_idp.create_user_pool(
        PoolName="app",
        AutoVerifiedAttributes=["email"],
        LambdaConfig={
            "CustomEmailSender": {"LambdaVersion": "V1_0", "LambdaArn": ARN.format("sender")},
            "KMSKeyID": "arn:aws:kms:us-east-1:123456789012:key/1234",
        },
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    [event] = received
    assert event["triggerSource"] == "CustomEmailSender_SignUp"
    assert event["request"]["type"] == "customEmailSenderRequestV1"
    assert event["request"]["code"] == cognito_mock.last_code(pool_id, "ada")


def test_every_code_message_goes_through_the_custom_message_trigger(cognito_idp, cognito_mock):
    """Resent confirmations, password resets (self-service and administrative), changed and
    re-verified attributes: each runs CustomMessage with its trigger source and metadata."""
    sources: list[tuple[str, dict | None]] = []

    def custom_message(event, context):
        sources.append((event["triggerSource"], event["request"].get("clientMetadata")))
        event["response"]["emailMessage"] = f"{event['triggerSource']}: {{####}}"
        return event

    cognito_mock.register_lambda(ARN.format("custom-message"), custom_message)
    pool_id = cognito_idp.create_user_pool(
        PoolName="app",
        AutoVerifiedAttributes=["email"],
        LambdaConfig={"CustomMessage": ARN.format("custom-message")},
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    meta = {"app": "web"}
    email = [{"Name": "email", "Value": "ada@example.com"}]
    cognito_idp.sign_up(ClientId=client_id, Username="ada", Password=PASSWORD, UserAttributes=email)
    cognito_idp.resend_confirmation_code(ClientId=client_id, Username="ada", ClientMetadata=meta)
    cognito_idp.confirm_sign_up(
        ClientId=client_id, Username="ada", ConfirmationCode=cognito_mock.last_code(pool_id, "ada")
    )
    cognito_idp.forgot_password(ClientId=client_id, Username="ada", ClientMetadata=meta)
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[{"Name": "email", "Value": "ada@example.org"}],
        ClientMetadata=meta,
    )
    access = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    cognito_idp.get_user_attribute_verification_code(
        AccessToken=access, AttributeName="email", ClientMetadata=meta
    )
    cognito_idp.update_user_attributes(
        AccessToken=access,
        UserAttributes=[{"Name": "email", "Value": "ada@example.net"}],
        ClientMetadata=meta,
    )
    cognito_idp.verify_user_attribute(
        AccessToken=access, AttributeName="email", Code=cognito_mock.last_code(pool_id, "ada")
    )
    cognito_idp.admin_reset_user_password(UserPoolId=pool_id, Username="ada", ClientMetadata=meta)
    expected = [
        "CustomMessage_SignUp",
        "CustomMessage_ResendCode",
        "CustomMessage_ForgotPassword",
        "CustomMessage_UpdateUserAttribute",
        "CustomMessage_VerifyUserAttribute",
        "CustomMessage_UpdateUserAttribute",
        "CustomMessage_ForgotPassword",
    ]
    assert [source for source, _ in sources] == expected
    assert [metadata for _, metadata in sources[1:]] == [meta] * 6
    sent = cognito_mock.messages(pool_id, "ada")
    assert len(sent) == len(expected)
    assert [m.text for m in sent] == [
        f"{source}: {m.code}" for source, m in zip(expected, sent, strict=True)
    ]
    assert [m.destination for m in sent][-3:] == [
        "ada@example.org",
        "ada@example.net",
        "ada@example.net",
    ]


def test_a_failing_custom_message_leaves_the_earlier_code_in_force(cognito_idp, cognito_mock):
    failing = {"on": False}

    def custom_message(event, context):
        if failing["on"]:
            raise RuntimeError("template store unavailable")
        return event

    cognito_mock.register_lambda(ARN.format("custom-message"), custom_message)
    pool_id = cognito_idp.create_user_pool(
        PoolName="app",
        AutoVerifiedAttributes=["email"],
        LambdaConfig={"CustomMessage": ARN.format("custom-message")},
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.sign_up(
        ClientId=client_id,
        Username="ada",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    first = cognito_mock.last_code(pool_id, "ada")
    failing["on"] = True
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        cognito_idp.resend_confirmation_code(ClientId=client_id, Username="ada")
    assert error_of(raised) == (
        "UserLambdaValidationException",
        "CustomMessage failed with error template store unavailable.",
    )
    assert len(cognito_mock.messages(pool_id, "ada")) == 1  # nothing was sent
    cognito_idp.confirm_sign_up(ClientId=client_id, Username="ada", ConfirmationCode=first)
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"
