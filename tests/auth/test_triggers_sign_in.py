"""Pre authentication and post authentication triggers around password sign-in."""

from __future__ import annotations

import copy

import pytest
from support.errors import error_of

PASSWORD = "Corr3ct-horse!"
PRE_AUTH = "arn:aws:lambda:us-east-1:123456789012:function:pre-auth"
POST_AUTH = "arn:aws:lambda:us-east-1:123456789012:function:post-auth"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


class Recorder:
    """A trigger handler that keeps a copy of every event it gets."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def __call__(self, event, context):
        self.events.append(copy.deepcopy(event))
        return event


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = cognito_idp.create_user_pool(
        PoolName="sign-ins",
        LambdaConfig={"PreAuthentication": PRE_AUTH, "PostAuthentication": POST_AUTH},
    )["UserPool"]["Id"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "ada@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    return pool_id


def make_client(cognito_idp, pool_id, **settings) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS, **settings
    )["UserPoolClient"]["ClientId"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)


@pytest.fixture
def pre_auth(cognito_mock) -> Recorder:
    recorder = Recorder()
    cognito_mock.register_lambda(PRE_AUTH, recorder)
    return recorder


@pytest.fixture
def post_auth(cognito_mock) -> Recorder:
    recorder = Recorder()
    cognito_mock.register_lambda(POST_AUTH, recorder)
    return recorder


def sign_in(cognito_idp, pool_id, client_id, password=PASSWORD, **extra) -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": password},
        **extra,
    )


def test_pre_authentication_gets_the_user_and_client_metadata_as_validation_data(
    cognito_idp, pool_id, client_id, pre_auth, post_auth
):
    sign_in(cognito_idp, pool_id, client_id, ClientMetadata={"ip": "203.0.113.9"})

    [event] = pre_auth.events
    assert event["triggerSource"] == "PreAuthentication_Authentication"
    assert event["userName"] == "ada"
    assert event["callerContext"]["clientId"] == client_id
    user_attributes = event["request"]["userAttributes"]
    assert user_attributes["cognito:user_status"] == "CONFIRMED"
    assert user_attributes["email_verified"] == "true"
    assert user_attributes["email"] == "ada@example.com"
    assert "sub" in user_attributes
    # InitiateAuth's ClientMetadata arrives as validationData; the client hides nothing, so
    # there is no userNotFound.
    assert event["request"] == {
        "userAttributes": user_attributes,
        "validationData": {"ip": "203.0.113.9"},
    }


def test_pre_authentication_can_deny_a_correct_password(
    cognito_idp, cognito_mock, pool_id, client_id, post_auth
):
    def deny(event, context):
        raise PermissionError("Account locked by the fraud team")

    cognito_mock.register_lambda(PRE_AUTH, deny)

    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        sign_in(cognito_idp, pool_id, client_id)

    assert error_of(raised) == (
        "UserLambdaValidationException",
        "PreAuthentication failed with error Account locked by the fraud team.",
    )
    # It runs before the password is judged: a wrong password gets the same answer.
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException):
        sign_in(cognito_idp, pool_id, client_id, password="wrong-Passw0rd!")
    assert post_auth.events == []


def test_pre_authentication_sees_user_not_found_false_when_the_client_hides_users(
    cognito_idp, pool_id, pre_auth, post_auth
):
    client_id = make_client(cognito_idp, pool_id, PreventUserExistenceErrors="ENABLED")

    sign_in(cognito_idp, pool_id, client_id)

    assert pre_auth.events[0]["request"]["userNotFound"] is False
    assert pre_auth.events[0]["request"]["validationData"] is None


def test_post_authentication_runs_once_per_successful_sign_in(
    cognito_idp, pool_id, client_id, pre_auth, post_auth
):
    sign_in(cognito_idp, pool_id, client_id, ClientMetadata={"ip": "203.0.113.9"})
    result = cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        sign_in(cognito_idp, pool_id, client_id, password="wrong-Passw0rd!")
    cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
    )

    assert len(pre_auth.events) == 3  # every attempt, the wrong password too
    assert len(post_auth.events) == 2  # the two sign-ins that succeeded; refreshing is not one
    event = post_auth.events[0]
    assert event["triggerSource"] == "PostAuthentication_Authentication"
    assert event["callerContext"]["clientId"] == client_id
    # InitiateAuth's ClientMetadata does not reach post authentication.
    assert set(event["request"]) == {"userAttributes", "newDeviceUsed"}
    assert event["request"]["newDeviceUsed"] is False
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"


def test_a_failing_post_authentication_returns_no_tokens(
    cognito_idp, cognito_mock, pool_id, client_id, pre_auth
):
    def fail(event, context):
        raise RuntimeError("audit log unavailable")

    cognito_mock.register_lambda(POST_AUTH, fail)

    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        sign_in(cognito_idp, pool_id, client_id)

    assert raised.value.response["Error"]["Message"] == (
        "PostAuthentication failed with error audit log unavailable."
    )


def test_unconfirmed_users_and_wrong_passwords_never_reach_post_authentication(
    cognito_idp, pool_id, client_id, pre_auth, post_auth
):
    cognito_idp.sign_up(ClientId=client_id, Username="grace", Password=PASSWORD)

    with pytest.raises(cognito_idp.exceptions.UserNotConfirmedException):
        cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "grace", "PASSWORD": PASSWORD},
        )

    assert [e["request"]["userAttributes"]["cognito:user_status"] for e in pre_auth.events] == [
        "UNCONFIRMED"
    ]
    assert post_auth.events == []


def test_an_unregistered_function_fails_the_sign_in(cognito_idp, pool_id, client_id):
    with pytest.raises(cognito_idp.exceptions.UnexpectedLambdaException) as raised:
        sign_in(cognito_idp, pool_id, client_id)

    assert PRE_AUTH in raised.value.response["Error"]["Message"]


def test_post_authentication_says_when_the_sign_in_is_on_a_new_device(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="devices",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": False},
        LambdaConfig={"PostAuthentication": POST_AUTH},
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    post_auth = Recorder()
    cognito_mock.register_lambda(POST_AUTH, post_auth)

    first = sign_in(cognito_idp, pool_id, client_id)["AuthenticationResult"]
    device_key = first["NewDeviceMetadata"]["DeviceKey"]
    cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD, "DEVICE_KEY": device_key},
    )

    assert [e["request"]["newDeviceUsed"] for e in post_auth.events] == [True, False]


def test_pre_authentication_runs_for_srp_sign_ins_too(cognito_idp, cognito_mock):
    from pycognito.aws_srp import AWSSRP

    arn = "arn:aws:lambda:us-east-1:123456789012:function:pre-auth"
    seen: list[str] = []

    def handler(event, context):
        seen.append(event["triggerSource"])
        return event

    cognito_mock.register_lambda(arn, handler)
    pool_id = cognito_idp.create_user_pool(PoolName="srp", LambdaConfig={"PreAuthentication": arn})[
        "UserPool"
    ]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password="Passw0rd!x", Permanent=True
    )
    srp = AWSSRP(
        username="ada",
        password="Passw0rd!x",
        pool_id=pool_id,
        client_id=client_id,
        client=cognito_idp,
    )
    tokens = srp.authenticate_user()
    assert "IdToken" in tokens["AuthenticationResult"]
    assert seen == ["PreAuthentication_Authentication"]
