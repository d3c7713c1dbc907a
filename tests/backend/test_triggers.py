"""Lambda triggers without botocore: how an invocation fails, the event it sends, and how the
events module reads what a handler answers."""

from __future__ import annotations

import pytest
from support.pools import backend_pool

from pytest_cognito_mock.backend import CognitoBackend, trigger_events, triggers
from pytest_cognito_mock.backend.errors import (
    InvalidLambdaResponseException,
    UnexpectedLambdaException,
    UserLambdaValidationException,
)
from pytest_cognito_mock.backend.models import UserPool
from pytest_cognito_mock.backend.trigger_events import EventInput, GroupConfiguration

ARN = "arn:aws:lambda:us-east-1:123456789012:function:pre-auth"


def _pool(**lambda_config: object) -> UserPool:
    return backend_pool("us-east-1_Trig9ers0", lambda_config=dict(lambda_config))


def _invoke(backend: CognitoBackend, pool: UserPool, trigger: str = "PreAuthentication") -> dict:
    return triggers.invoke(
        backend,
        pool,
        trigger,
        f"{trigger}_Authentication",
        user_name="ada",
        client_id="client",
        request={"userAttributes": {"sub": "s"}},
    )


def test_a_handler_that_raises_refuses_with_its_message():
    backend, pool = CognitoBackend("123456789012"), _pool(PreAuthentication=ARN)

    def handler(event, context):
        raise ValueError("Sign-in is closed on Sundays")

    backend.lambda_handlers[ARN] = handler
    with pytest.raises(UserLambdaValidationException) as raised:
        _invoke(backend, pool)
    assert raised.value.message == (
        "PreAuthentication failed with error Sign-in is closed on Sundays."
    )


@pytest.mark.parametrize(
    "returned",
    ["OK", 42, [], {"response": "yes"}, {"response": None}, {"request": {}}],
    ids=["string", "number", "list", "string-response", "null-response", "no-response"],
)
def test_an_answer_without_a_response_object_is_unrecognizable(returned):
    backend, pool = CognitoBackend("123456789012"), _pool(PreAuthentication=ARN)
    backend.lambda_handlers[ARN] = lambda event, context: returned
    with pytest.raises(InvalidLambdaResponseException) as raised:
        _invoke(backend, pool)
    assert raised.value.message == "Unrecognizable lambda output"


def test_an_arn_without_a_registered_handler_says_how_to_register_one():
    backend, pool = CognitoBackend("123456789012"), _pool(PreAuthentication=ARN)
    with pytest.raises(UnexpectedLambdaException) as raised:
        _invoke(backend, pool)
    assert ARN in raised.value.message
    assert "cognito_mock.register_lambda" in raised.value.message


def test_the_event_carries_the_envelope_and_a_copy_of_the_request():
    backend, pool = CognitoBackend("123456789012"), _pool(PreAuthentication=ARN)
    seen = []

    def handler(event, context):
        seen.append((event, context))
        event["request"]["userAttributes"]["sub"] = "changed by the handler"
        return event

    backend.lambda_handlers[ARN] = handler
    request = {"userAttributes": {"sub": "s"}}
    answer = triggers.invoke(
        backend,
        pool,
        "PreAuthentication",
        "PreAuthentication_Authentication",
        user_name="ada",
        client_id=None,
        request=request,
    )
    event, context = seen[0]
    assert answer == {}
    assert request == {"userAttributes": {"sub": "s"}}  # the handler changed its own copy
    assert {k: event[k] for k in ("version", "triggerSource", "region", "userPoolId")} == {
        "version": "1",
        "triggerSource": "PreAuthentication_Authentication",
        "region": "us-east-1",
        "userPoolId": "us-east-1_Trig9ers0",
    }
    assert event["userName"] == "ada"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert context.invoked_function_arn == ARN
    assert context.function_name == "pre-auth"


def test_a_handler_that_fills_the_event_in_place_and_returns_nothing_is_understood():
    backend, pool = CognitoBackend("123456789012"), _pool(PreSignUp=ARN)

    def handler(event, context):
        event["response"]["autoConfirmUser"] = True

    backend.lambda_handlers[ARN] = handler
    answer = trigger_events.run(
        backend,
        pool,
        trigger_events.PRE_SIGN_UP,
        "PreSignUp_SignUp",
        user_name="ada",
        client_id="client",
        given=EventInput({"email": "ada@example.com"}),
    )
    assert answer == trigger_events.PreSignUpAnswer(auto_confirm=True)


def test_run_does_nothing_for_a_trigger_the_pool_does_not_configure():
    backend, pool = CognitoBackend("123456789012"), _pool()
    backend.lambda_handlers[ARN] = lambda event, context: pytest.fail("must not be called")
    answer = trigger_events.run(
        backend,
        pool,
        trigger_events.PRE_SIGN_UP,
        "PreSignUp_SignUp",
        user_name="ada",
        client_id=None,
        given=EventInput(),
    )
    assert answer is None


@pytest.mark.parametrize(
    ("spec", "response"),
    [
        (trigger_events.PRE_SIGN_UP, {"autoConfirmUser": "yes"}),
        (trigger_events.USER_MIGRATION, {"userAttributes": {"email": {"nested": 1}}}),
        (trigger_events.USER_MIGRATION, {"userAttributes": {"a": "b"}, "finalUserStatus": "OK"}),
        (trigger_events.PRE_TOKEN_GENERATION_V1, {"claimsOverrideDetails": []}),
        (
            trigger_events.PRE_TOKEN_GENERATION_V1,
            {"claimsOverrideDetails": {"claimsToSuppress": "email"}},
        ),
        (
            trigger_events.PRE_TOKEN_GENERATION_V2,
            {"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {"scopesToAdd": [1]}}},
        ),
    ],
    ids=["flag", "attribute", "status", "details", "suppress", "scopes"],
)
def test_readers_refuse_values_cognito_could_not_use(spec, response):
    with pytest.raises(InvalidLambdaResponseException) as raised:
        spec.read(response)
    assert raised.value.message == "Unrecognizable lambda output"


def test_the_migration_reader_treats_an_empty_response_as_no_user():
    assert trigger_events.USER_MIGRATION.read(dict(trigger_events.USER_MIGRATION.response)) is None
    migrated = trigger_events.USER_MIGRATION.read(
        {"userAttributes": {"email": "ada@example.com", "email_verified": True}}
    )
    assert migrated == trigger_events.MigrationAnswer(
        attributes={"email": "ada@example.com", "email_verified": "true"}
    )


def test_a_group_override_replaces_the_groups_only_when_present():
    read = trigger_events.PRE_TOKEN_GENERATION_V1.read
    assert read({"claimsOverrideDetails": {"claimsToSuppress": ["email"]}}).groups is None
    assert read({"claimsOverrideDetails": {"groupOverrideDetails": None}}).groups == (
        GroupConfiguration()
    )
    assert read(
        {"claimsOverrideDetails": {"groupOverrideDetails": {"groupsToOverride": ["a", "b"]}}}
    ).groups == GroupConfiguration(groups=("a", "b"))


def test_scopes_are_added_in_order_and_suppressed_last():
    customization = trigger_events.PRE_TOKEN_GENERATION_V2.read(
        {
            "claimsAndScopeOverrideDetails": {
                "accessTokenGeneration": {
                    "scopesToAdd": ["photos/read", "photos/write", "photos/read"],
                    "scopesToSuppress": ["photos/write"],
                }
            }
        }
    )
    assert customization.scopes(["aws.cognito.signin.user.admin"]) == [
        "aws.cognito.signin.user.admin",
        "photos/read",
    ]


def test_the_pool_chooses_the_pre_token_generation_event_version():
    assert trigger_events.pre_token_generation(_pool(PreTokenGeneration=ARN)).version == "1"
    for lambda_version, version in (("V1_0", "1"), ("V2_0", "2"), ("V3_0", "3")):
        config = {"LambdaArn": ARN, "LambdaVersion": lambda_version}
        pool = _pool(PreTokenGenerationConfig=config)
        assert trigger_events.pre_token_generation(pool).version == version
