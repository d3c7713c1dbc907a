"""RespondToAuthChallenge / AdminRespondToAuthChallenge: NEW_PASSWORD_REQUIRED after
AdminCreateUser, and what every answer is checked for (session, challenge name, user)."""

from __future__ import annotations

import base64
import json

import pytest
from freezegun import freeze_time
from support.errors import error_of

TEMPORARY = "Temp-0rary!"
NEW_PASSWORD = "Br4nd-new-pass!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)


def make_client(cognito_idp, pool_id, **kwargs) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS, **kwargs
    )["UserPoolClient"]["ClientId"]


def invite(cognito_idp, pool_id, username="ada", **attributes) -> None:
    """AdminCreateUser with a temporary password: the user must choose a new one."""
    given = {"email": f"{username}@example.com", **attributes}
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in given.items()],
    )


def sign_in(cognito_idp, client_id, username="ada", password=TEMPORARY):
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def new_password(cognito_idp, client_id, session, password=NEW_PASSWORD, username="ada", **extra):
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": password, **extra},
    )


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_new_password_completes_the_first_sign_in(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    challenge = sign_in(cognito_idp, client_id)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    response = new_password(cognito_idp, client_id, challenge["Session"])
    assert response["ChallengeParameters"] == {}
    assert claims(response["AuthenticationResult"]["IdToken"])["cognito:username"] == "ada"
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"
    # The new password is the password now; the temporary one is gone.
    assert (
        "AccessToken"
        in sign_in(cognito_idp, client_id, password=NEW_PASSWORD)["AuthenticationResult"]
    )
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        sign_in(cognito_idp, client_id)
    assert error_of(raised)[1] == "Incorrect username or password."


def test_the_admin_operation_answers_too(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    challenge = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": TEMPORARY},
    )
    response = cognito_idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
    )
    assert claims(response["AuthenticationResult"]["AccessToken"])["username"] == "ada"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("no-upper-c4se!", "Password must have uppercase characters"),
        ("No-digits-here!", "Password must have numeric characters"),
        ("N0symbolsatall", "Password must have symbol characters"),
    ],
)
def test_the_new_password_must_follow_the_policy(cognito_idp, pool_id, client_id, password, reason):
    invite(cognito_idp, pool_id)
    challenge = sign_in(cognito_idp, client_id)
    with pytest.raises(cognito_idp.exceptions.InvalidPasswordException) as raised:
        new_password(cognito_idp, client_id, challenge["Session"], password=password)
    assert error_of(raised)[1] == f"Password does not conform to policy: {reason}"
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == (
        "FORCE_CHANGE_PASSWORD"
    )
    # A refused answer leaves the challenge pending.
    response = new_password(cognito_idp, client_id, challenge["Session"])
    assert "IdToken" in response["AuthenticationResult"]


def test_attributes_can_be_given_with_the_new_password(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    challenge = sign_in(cognito_idp, client_id)
    response = new_password(
        cognito_idp, client_id, challenge["Session"], **{"userAttributes.given_name": "Ada"}
    )
    assert claims(response["AuthenticationResult"]["IdToken"])["given_name"] == "Ada"
    attributes = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    assert {"Name": "given_name", "Value": "Ada"} in attributes


def test_a_required_attribute_cannot_be_removed_with_the_new_password(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="app",
        Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True}],
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    invite(cognito_idp, pool_id, name="Ada Lovelace")
    challenge = sign_in(cognito_idp, client_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        new_password(cognito_idp, client_id, challenge["Session"], **{"userAttributes.name": ""})
    assert error_of(raised)[1] == "user.name: Required attribute cannot be deleted.\n"


def test_the_challenge_parameters_describe_the_user(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    parameters = sign_in(cognito_idp, client_id)["ChallengeParameters"]
    assert parameters["USER_ID_FOR_SRP"] == "ada"
    assert parameters["requiredAttributes"] == "[]"
    assert json.loads(parameters["userAttributes"]) == {"email": "ada@example.com"}


@pytest.mark.cognito_mock(admin_create_user_requires_attributes=False)
def test_required_attributes_lists_the_required_attributes_the_user_lacks(cognito_idp):
    required = [
        {"Name": name, "AttributeDataType": "String", "Required": True}
        for name in ("name", "given_name", "family_name")
    ]
    pool_id = cognito_idp.create_user_pool(PoolName="app", Schema=required)["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    # AWS's API reference: AdminCreateUser may leave required attributes to the user.
    invite(cognito_idp, pool_id, name="Ada Lovelace")

    challenge = sign_in(cognito_idp, client_id)

    assert json.loads(challenge["ChallengeParameters"]["requiredAttributes"]) == [
        "userAttributes.given_name",
        "userAttributes.family_name",
    ]
    # Answering without them is refused, naming each; answering with them signs in.
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        new_password(cognito_idp, client_id, challenge["Session"])
    assert error_of(raised)[1] == "Invalid attributes given, given_name and family_name is missing"
    answers = {"userAttributes.given_name": "Ada", "userAttributes.family_name": "Lovelace"}
    response = new_password(cognito_idp, client_id, challenge["Session"], **answers)
    assert claims(response["AuthenticationResult"]["IdToken"])["family_name"] == "Lovelace"


# -- what every answer is checked for ------------------------------------------------------------


def test_an_answer_needs_a_session(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
        )
    assert error_of(raised)[1] == "Missing required parameter Session"


def test_an_unknown_session_is_refused(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        new_password(cognito_idp, client_id, "AYABe" + "x" * 40)
    assert error_of(raised)[1] == "Invalid session for the user."


def test_a_session_answers_once(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    session = sign_in(cognito_idp, client_id)["Session"]
    new_password(cognito_idp, client_id, session)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        new_password(cognito_idp, client_id, session, password="An0ther-pass!")
    assert error_of(raised)[1] == "Invalid session for the user."


def test_a_session_expires(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    with freeze_time("2026-03-01 12:00:00") as clock:
        session = sign_in(cognito_idp, client_id)["Session"]
        clock.tick(3 * 60)
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            new_password(cognito_idp, client_id, session)
    assert error_of(raised)[1] == "Invalid session for the user, session is expired."
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_a_session_belongs_to_its_client(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    other = make_client(cognito_idp, pool_id)
    session = sign_in(cognito_idp, client_id)["Session"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        new_password(cognito_idp, other, session)
    assert error_of(raised)[1] == "Invalid session for the user."


def test_the_challenge_name_must_be_the_sessions(cognito_idp, pool_id, client_id):
    invite(cognito_idp, pool_id)
    session = sign_in(cognito_idp, client_id)["Session"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=session,
            ChallengeResponses={"USERNAME": "ada", "ANSWER": "x"},
        )
    assert error_of(raised)[1] == "Invalid session for the user."
    assert "IdToken" in new_password(cognito_idp, client_id, session)["AuthenticationResult"]


@pytest.mark.parametrize(
    ("responses", "code", "message"),
    [
        (
            {"NEW_PASSWORD": NEW_PASSWORD},
            "InvalidParameterException",
            "Missing required parameter USERNAME",
        ),
        (
            {"USERNAME": "ada"},
            "InvalidParameterException",
            "Missing required parameter NEW_PASSWORD",
        ),
        (
            {"USERNAME": "nobody", "NEW_PASSWORD": NEW_PASSWORD},
            "UserNotFoundException",
            "User does not exist.",
        ),
        (
            {"USERNAME": "bob", "NEW_PASSWORD": NEW_PASSWORD},
            "NotAuthorizedException",
            "Incorrect username or password.",
        ),
    ],
)
def test_the_answer_must_name_the_sessions_user(
    cognito_idp, pool_id, client_id, responses, code, message
):
    invite(cognito_idp, pool_id)
    invite(cognito_idp, pool_id, username="bob")
    session = sign_in(cognito_idp, client_id)["Session"]
    with pytest.raises(cognito_idp.exceptions.ClientError) as raised:
        cognito_idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses=responses,
        )
    assert error_of(raised) == (code, message)
    assert "IdToken" in new_password(cognito_idp, client_id, session)["AuthenticationResult"]


def test_an_alias_names_the_user_too(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app", UsernameAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada@example.com",
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
    )
    challenge = sign_in(cognito_idp, client_id, username="ada@example.com")
    sub = challenge["ChallengeParameters"]["USER_ID_FOR_SRP"]
    response = new_password(
        cognito_idp, client_id, challenge["Session"], username="ada@example.com"
    )
    assert claims(response["AuthenticationResult"]["IdToken"])["cognito:username"] == sub


@pytest.mark.parametrize("operation", ["respond_to_auth_challenge", "admin"])
def test_an_unknown_client(cognito_idp, pool_id, operation):
    kwargs = {
        "ClientId": "1example23456789abcdefghij",
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": "AYABe" + "x" * 40,
        "ChallengeResponses": {"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD},
    }
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        if operation == "admin":
            cognito_idp.admin_respond_to_auth_challenge(UserPoolId=pool_id, **kwargs)
        else:
            cognito_idp.respond_to_auth_challenge(**kwargs)
    assert error_of(raised)[1] == "User pool client 1example23456789abcdefghij does not exist."


def test_another_clients_answer_does_not_spend_the_session(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="two-clients")["UserPool"]["Id"]
    flows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    first, second = (
        cognito_idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName=name, ExplicitAuthFlows=flows
        )["UserPoolClient"]["ClientId"]
        for name in ("first", "second")
    )
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        TemporaryPassword="Temp0rary!x",
        MessageAction="SUPPRESS",
    )
    session = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=first,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": "Temp0rary!x"},
    )["Session"]
    answer = {"USERNAME": "ada", "NEW_PASSWORD": "N3w-passw0rd!"}
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.respond_to_auth_challenge(
            ClientId=second,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses=answer,
        )
    assert raised.value.response["Error"]["Message"] == "Invalid session for the user."
    result = cognito_idp.respond_to_auth_challenge(
        ClientId=first,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses=answer,
    )
    assert "AccessToken" in result["AuthenticationResult"]
