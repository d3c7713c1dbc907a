"""The user migration trigger: a sign-in name the pool does not know is looked up in the legacy
directory by a Python handler, and the user it returns is created and signed in."""

from __future__ import annotations

import copy

import pytest
from support.errors import error_of

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:migrate-user"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
#: The legacy directory: username -> (password, email). Its passwords predate any policy.
LEGACY = {"ada": ("legacy-pw", "ada@example.com"), "grace": ("hopper", "grace@example.com")}


class LegacyDirectory:
    """A migration handler in the style of AWS's example: it checks the password at sign-in and
    raises ``Bad password`` when it is wrong."""

    def __init__(self, final_status: str = "CONFIRMED") -> None:
        self.events: list[dict] = []
        self.final_status = final_status

    def __call__(self, event, context):
        self.events.append(copy.deepcopy(event))
        account = LEGACY.get(event["userName"].split("@")[0])
        if account is None:
            return event  # nobody to migrate: the response stays empty
        password, email = account
        if event["request"].get("password") != password:
            raise ValueError("Bad password")
        event["response"].update(
            userAttributes={"email": email, "email_verified": "true"},
            finalUserStatus=self.final_status,
            messageAction="SUPPRESS",
        )
        return event


def attributes(user: dict) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(
        PoolName="migrating", LambdaConfig={"UserMigration": FUNCTION}
    )["UserPool"]["Id"]


def make_client(cognito_idp, pool_id, **settings) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS, **settings
    )["UserPoolClient"]["ClientId"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)


@pytest.fixture
def legacy(cognito_mock) -> LegacyDirectory:
    handler = LegacyDirectory()
    cognito_mock.register_lambda(FUNCTION, handler)
    return handler


def sign_in(cognito_idp, client_id, username="ada", password="legacy-pw", **extra) -> dict:
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
        **extra,
    )


def test_the_first_sign_in_migrates_the_user_and_signs_it_in(
    cognito_idp, pool_id, client_id, legacy
):
    response = sign_in(cognito_idp, client_id, ClientMetadata={"app": "ios"})

    assert "IdToken" in response["AuthenticationResult"]
    [event] = legacy.events
    assert event["triggerSource"] == "UserMigration_Authentication"
    assert event["userName"] == "ada"
    assert event["callerContext"]["clientId"] == client_id
    # InitiateAuth's ClientMetadata arrives as validationData.
    assert event["request"] == {"password": "legacy-pw", "validationData": {"app": "ios"}}
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"
    assert attributes(user) == {
        "sub": attributes(user)["sub"],
        "email": "ada@example.com",
        "email_verified": "true",
    }


def test_a_migrated_user_signs_in_without_the_trigger_next_time(
    cognito_idp, pool_id, client_id, legacy
):
    sign_in(cognito_idp, client_id)

    # The legacy password (shorter than the pool's policy allows) was kept as it was.
    response = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": "legacy-pw"},
    )

    assert "AccessToken" in response["AuthenticationResult"]
    assert len(legacy.events) == 1


def test_a_wrong_password_rejected_by_the_handler_migrates_nobody(
    cognito_idp, pool_id, client_id, legacy
):
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        sign_in(cognito_idp, client_id, password="guess")

    assert error_of(raised) == (
        "UserLambdaValidationException",
        "UserMigration failed with error Bad password.",
    )
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_nobody_to_migrate_is_an_incorrect_sign_in_when_the_client_hides_users(
    cognito_idp, pool_id, legacy
):
    client_id = make_client(cognito_idp, pool_id, PreventUserExistenceErrors="ENABLED")

    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        sign_in(cognito_idp, client_id, username="mallory")

    assert error_of(raised) == ("NotAuthorizedException", "Incorrect username or password.")
    assert len(legacy.events) == 1
    assert cognito_idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_nobody_to_migrate_names_the_migration_on_a_legacy_client(
    cognito_idp, pool_id, client_id, legacy
):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        sign_in(cognito_idp, client_id, username="mallory")

    assert error_of(raised) == (
        "UserNotFoundException",
        f"Exception migrating user in app client {client_id}",
    )


def test_a_user_migrated_for_a_reset_must_reset_the_password(
    cognito_idp, cognito_mock, pool_id, client_id
):
    cognito_mock.register_lambda(FUNCTION, LegacyDirectory(final_status="RESET_REQUIRED"))

    with pytest.raises(cognito_idp.exceptions.PasswordResetRequiredException):
        sign_in(cognito_idp, client_id)

    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "RESET_REQUIRED"


def test_in_an_email_username_pool_the_user_is_found_by_email_afterwards(
    cognito_idp, cognito_mock, legacy
):
    pool_id = cognito_idp.create_user_pool(
        PoolName="by-email",
        UsernameAttributes=["email"],
        LambdaConfig={"UserMigration": FUNCTION},
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)

    sign_in(cognito_idp, client_id, username="grace@example.com", password="hopper")
    sign_in(cognito_idp, client_id, username="grace@example.com", password="hopper")

    assert len(legacy.events) == 1
    [user] = cognito_idp.list_users(UserPoolId=pool_id)["Users"]
    assert user["Username"] == attributes({"UserAttributes": user["Attributes"]})["sub"]
    assert attributes({"UserAttributes": user["Attributes"]})["email"] == "grace@example.com"


def test_a_taken_alias_stops_the_migration_unless_forced(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="aliases",
        AliasAttributes=["email"],
        LambdaConfig={"UserMigration": FUNCTION},
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada-new",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "ada@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    handler = LegacyDirectory()
    cognito_mock.register_lambda(FUNCTION, handler)

    with pytest.raises(cognito_idp.exceptions.AliasExistsException):
        sign_in(cognito_idp, client_id)
    assert len(cognito_idp.list_users(UserPoolId=pool_id)["Users"]) == 1

    def forcing(event, context):
        handler(event, context)
        event["response"]["forceAliasCreation"] = True
        return event

    cognito_mock.register_lambda(FUNCTION, forcing)
    sign_in(cognito_idp, client_id)

    moved_from = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada-new")
    assert attributes(moved_from)["email_verified"] == "false"
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == (
        "CONFIRMED"
    )


def test_existing_users_never_reach_the_trigger(cognito_idp, pool_id, client_id, legacy):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password="Corr3ct-horse!", Permanent=True
    )

    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        sign_in(cognito_idp, client_id)

    assert legacy.events == []
