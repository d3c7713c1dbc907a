"""Pre sign-up and post confirmation triggers around SignUp, AdminCreateUser, ConfirmSignUp and
AdminConfirmSignUp, with Python handlers registered for the pool's function ARNs."""

from __future__ import annotations

import copy

import pytest
from support.errors import error_of

from pytest_cognito_mock import NoCodeSentError

PASSWORD = "Corr3ct-horse!"
PRE_SIGN_UP = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"
POST_CONFIRMATION = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation"


class Recorder:
    """A trigger handler that keeps a copy of every event and lets a test fill the response."""

    def __init__(self, respond=None) -> None:
        self.events: list[dict] = []
        self.respond = respond

    def __call__(self, event, context):
        self.events.append(copy.deepcopy(event))
        if self.respond is not None:
            self.respond(event)
        return event


def attributes(user: dict) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(
        PoolName="signups",
        AutoVerifiedAttributes=["email"],
        LambdaConfig={"PreSignUp": PRE_SIGN_UP, "PostConfirmation": POST_CONFIRMATION},
    )["UserPool"]["Id"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]


@pytest.fixture
def post_confirmation(cognito_mock) -> Recorder:
    recorder = Recorder()
    cognito_mock.register_lambda(POST_CONFIRMATION, recorder)
    return recorder


def sign_up(cognito_idp, client_id, username="ada", **extra) -> dict:
    return cognito_idp.sign_up(
        ClientId=client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
        **extra,
    )


def auto_confirm(event) -> None:
    event["response"]["autoConfirmUser"] = True
    event["response"]["autoVerifyEmail"] = "email" in event["request"]["userAttributes"]


def test_pre_sign_up_sees_the_request_and_can_confirm_and_verify(
    cognito_idp, cognito_mock, pool_id, client_id, post_confirmation
):
    pre_sign_up = Recorder(auto_confirm)
    cognito_mock.register_lambda(PRE_SIGN_UP, pre_sign_up)

    response = sign_up(
        cognito_idp,
        client_id,
        ValidationData=[{"Name": "invite", "Value": "X-42"}],
        ClientMetadata={"campaign": "spring"},
    )

    assert response["UserConfirmed"] is True
    assert "CodeDeliveryDetails" not in response  # nothing to confirm, no code sent
    [event] = pre_sign_up.events
    assert event["triggerSource"] == "PreSignUp_SignUp"
    assert event["userName"] == "ada"
    assert event["userPoolId"] == pool_id
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"] == {
        "userAttributes": {"email": "ada@example.com"},
        "validationData": {"invite": "X-42"},
        "clientMetadata": {"campaign": "spring"},
    }
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"
    assert attributes(user)["email_verified"] == "true"
    with pytest.raises(NoCodeSentError):
        cognito_mock.last_code(pool_id, "ada")
    # An auto-confirmed user reaches post confirmation at once, and can sign in.
    [confirmed] = post_confirmation.events
    assert confirmed["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert confirmed["request"]["clientMetadata"] == {"campaign": "spring"}
    tokens = cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    assert "IdToken" in tokens["AuthenticationResult"]


def test_without_an_answer_the_user_signs_up_unconfirmed_with_null_validation_data(
    cognito_idp, cognito_mock, pool_id, client_id, post_confirmation
):
    pre_sign_up = Recorder()
    cognito_mock.register_lambda(PRE_SIGN_UP, pre_sign_up)

    response = sign_up(cognito_idp, client_id)

    assert response["UserConfirmed"] is False
    assert response["CodeDeliveryDetails"]["AttributeName"] == "email"
    [event] = pre_sign_up.events
    assert event["request"] == {
        "userAttributes": {"email": "ada@example.com"},
        "validationData": None,
    }
    assert event["response"] == {
        "autoConfirmUser": False,
        "autoVerifyEmail": False,
        "autoVerifyPhone": False,
    }
    assert post_confirmation.events == []


def test_a_refusing_pre_sign_up_creates_nobody(cognito_idp, cognito_mock, pool_id, client_id):
    def refuse(event, context):
        raise PermissionError("Sign-ups are by invitation only")

    cognito_mock.register_lambda(PRE_SIGN_UP, refuse)

    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        sign_up(cognito_idp, client_id)

    assert error_of(raised) == (
        "UserLambdaValidationException",
        "PreSignUp failed with error Sign-ups are by invitation only.",
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []
    with pytest.raises(NoCodeSentError):
        cognito_mock.last_code(pool_id, "ada")


def test_an_invalid_request_never_reaches_pre_sign_up(cognito_idp, cognito_mock, client_id):
    pre_sign_up = Recorder()
    cognito_mock.register_lambda(PRE_SIGN_UP, pre_sign_up)

    with pytest.raises(cognito_idp.exceptions.InvalidPasswordException):
        cognito_idp.sign_up(ClientId=client_id, Username="ada", Password="short")

    assert pre_sign_up.events == []


def test_auto_verifying_without_confirming_is_refused(
    cognito_idp, cognito_mock, pool_id, client_id
):
    def verify_only(event) -> None:
        event["response"]["autoVerifyEmail"] = True

    cognito_mock.register_lambda(PRE_SIGN_UP, Recorder(verify_only))

    with pytest.raises(cognito_idp.exceptions.InvalidLambdaResponseException) as raised:
        sign_up(cognito_idp, client_id)

    assert raised.value.response["Error"]["Message"] == (
        "Phone or email cannot be auto verified, when user is not being auto confirmed."
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_auto_verifying_a_missing_phone_number_is_refused(
    cognito_idp, cognito_mock, pool_id, client_id
):
    def verify_phone(event) -> None:
        event["response"].update(autoConfirmUser=True, autoVerifyPhone=True)

    cognito_mock.register_lambda(PRE_SIGN_UP, Recorder(verify_phone))

    with pytest.raises(cognito_idp.exceptions.InvalidLambdaResponseException):
        sign_up(cognito_idp, client_id)

    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_post_confirmation_receives_the_confirmed_user(
    cognito_idp, cognito_mock, pool_id, client_id, post_confirmation
):
    cognito_mock.register_lambda(PRE_SIGN_UP, Recorder())
    sub = sign_up(cognito_idp, client_id)["UserSub"]

    cognito_idp.confirm_sign_up(
        ClientId=client_id,
        Username="ada",
        ConfirmationCode=cognito_mock.last_code(pool_id, "ada"),
        ClientMetadata={"source": "email-link"},
    )

    [event] = post_confirmation.events
    assert event["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert event["userName"] == "ada"
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"] == {
        "userAttributes": {
            "sub": sub,
            "email": "ada@example.com",
            "email_verified": "true",
            "cognito:user_status": "CONFIRMED",
        },
        "clientMetadata": {"source": "email-link"},
    }


def test_a_failing_post_confirmation_still_leaves_the_user_confirmed(
    cognito_idp, cognito_mock, pool_id, client_id
):
    def fail(event, context):
        raise RuntimeError("CRM is down")

    cognito_mock.register_lambda(PRE_SIGN_UP, Recorder())
    cognito_mock.register_lambda(POST_CONFIRMATION, fail)
    sign_up(cognito_idp, client_id)

    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        cognito_idp.confirm_sign_up(
            ClientId=client_id,
            Username="ada",
            ConfirmationCode=cognito_mock.last_code(pool_id, "ada"),
        )

    assert raised.value.response["Error"]["Message"] == (
        "PostConfirmation failed with error CRM is down."
    )
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"


def test_admin_confirm_sign_up_runs_post_confirmation(
    cognito_idp, cognito_mock, pool_id, client_id, post_confirmation
):
    cognito_mock.register_lambda(PRE_SIGN_UP, Recorder())
    sign_up(cognito_idp, client_id)

    cognito_idp.admin_confirm_sign_up(
        UserPoolId=pool_id, Username="ada", ClientMetadata={"approved_by": "ops"}
    )

    [event] = post_confirmation.events
    assert event["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert event["request"]["clientMetadata"] == {"approved_by": "ops"}
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"


def test_admin_create_user_runs_pre_sign_up_and_ignores_its_answer(
    cognito_idp, cognito_mock, pool_id
):
    pre_sign_up = Recorder(auto_confirm)
    cognito_mock.register_lambda(PRE_SIGN_UP, pre_sign_up)

    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="grace",
        UserAttributes=[{"Name": "email", "Value": "grace@example.com"}],
        ValidationData=[{"Name": "ticket", "Value": "HR-7"}],
        ClientMetadata={"by": "admin"},
        MessageAction="SUPPRESS",
    )

    [event] = pre_sign_up.events
    assert event["triggerSource"] == "PreSignUp_AdminCreateUser"
    assert event["userName"] == "grace"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert event["request"] == {
        "userAttributes": {"email": "grace@example.com"},
        "validationData": {"ticket": "HR-7"},
        "clientMetadata": {"by": "admin"},
    }
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="grace")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert "email_verified" not in attributes(user)


def test_a_refusing_pre_sign_up_stops_admin_create_user(cognito_idp, cognito_mock, pool_id):
    def refuse(event, context):
        raise ValueError("Domain not allowed")

    cognito_mock.register_lambda(PRE_SIGN_UP, refuse)

    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username="grace")

    assert raised.value.response["Error"]["Message"] == (
        "PreSignUp failed with error Domain not allowed."
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_in_an_email_username_pool_pre_sign_up_names_the_user_by_its_future_sub(
    cognito_idp, cognito_mock
):
    pool_id = cognito_idp.create_user_pool(
        PoolName="by-email",
        UsernameAttributes=["email"],
        LambdaConfig={"PreSignUp": PRE_SIGN_UP},
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
    pre_sign_up = Recorder()
    cognito_mock.register_lambda(PRE_SIGN_UP, pre_sign_up)

    response = cognito_idp.sign_up(
        ClientId=client_id, Username="ada@example.com", Password=PASSWORD
    )

    [event] = pre_sign_up.events
    assert event["userName"] == response["UserSub"]
    assert event["request"]["userAttributes"] == {"email": "ada@example.com"}
