"""JavaScript Cognito clients nobody here wrote, run by node against the loopback endpoint:
the AWS SDK for JavaScript v3 configured by the environment alone, amazon-cognito-identity-js
doing its own SRP, and Amplify JavaScript (aws-amplify) signing in with an emailed code. What
they create and the tokens they get must be the same Cognito a boto3 client in the test sees
(scripts in tests/node)."""

from __future__ import annotations

import re

import botocore
import jwt
import pytest
from botocore.exceptions import ClientError
from support import user_auth
from support.model import has_operation, requires_operation
from support.node import converse, node_or_skip, run_script
from support.users import PASSWORD as USER_PASSWORD
from support.users import make_user

PASSWORD = "Corr3ct-horse!"
SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
#: A client with refresh-token rotation and no grace period: an exchanged token dies at once.
ROTATION = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}


@pytest.fixture
def run_node(cognito_mock):
    """``run_node(script, *args)``: a tests/node script run against this test's mock."""
    node = node_or_skip()
    return lambda script, *args: run_script(node, cognito_mock.subprocess_env(), script, *args)


@pytest.fixture
def converse_node(cognito_mock):
    """``converse_node(script, *args, answer=...)``: a tests/node script that asks the test
    questions on the way (tests/node/converse.mjs), run against this test's mock."""
    node = node_or_skip()
    env = cognito_mock.subprocess_env()
    return lambda script, *args, answer: converse(node, env, script, *args, answer=answer)


def verified(cognito_mock, token, *, pool_id, region, client_id, token_use) -> dict:
    """The token's claims once PyJWT has checked its signature against the pool's JWKS, its
    issuer, expiry and (ID tokens) audience."""
    keys = jwt.PyJWKSet.from_dict(cognito_mock.jwks(pool_id))
    # The key itself, not the PyJWK: PyJWT takes a PyJWK as the key only from 2.9 on.
    key = keys[jwt.get_unverified_header(token)["kid"]].key
    claims = jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        issuer=f"https://cognito-idp.{region}.amazonaws.com/{pool_id}",
        audience=client_id if token_use == "id" else None,
        options={"require": ["exp", "iat", "iss", "sub", "token_use"]},
    )
    assert claims["token_use"] == token_use
    if token_use == "access":
        assert claims["client_id"] == client_id
    return claims


def assert_tokens(cognito_mock, tokens, *, pool_id, region, client_id, username) -> None:
    """``tokens`` (camelCase or Cognito's own keys) are an ID and an access token of
    ``username`` that verify."""
    id_token = tokens.get("IdToken") or tokens["idToken"]
    access_token = tokens.get("AccessToken") or tokens["accessToken"]
    where = {"pool_id": pool_id, "region": region, "client_id": client_id}
    id_claims = verified(cognito_mock, id_token, token_use="id", **where)
    access_claims = verified(cognito_mock, access_token, token_use="access", **where)
    assert id_claims["cognito:username"] == access_claims["username"] == username
    assert id_claims["sub"] == access_claims["sub"]


def srp_pool(client, **pool_settings) -> tuple[str, str]:
    """(pool id, client id) of a pool whose app client allows SRP and refresh."""
    pool_id = client.create_user_pool(PoolName="app", **pool_settings)["UserPool"]["Id"]
    client_id = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=SRP_FLOWS
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def node_calls(cognito_mock) -> list[tuple[str, str | None]]:
    """(operation, error code) of every call the mock answered, in order."""
    return [(call.operation, call.error_code) for call in cognito_mock.calls]


def auth_steps(calls) -> list[tuple[str, str | None, str | None]]:
    """(operation, AuthFlow or ChallengeName, error code) of ``calls``."""
    return [
        (c.operation, c.params.get("AuthFlow") or c.params.get("ChallengeName"), c.error_code)
        for c in calls
    ]


def passwordless_pool(cognito_idp) -> tuple[str, str]:
    """(pool id, client id): a pool whose users may sign in with an emailed code, its client
    allowing USER_AUTH only and rotating refresh tokens; ``ada`` has a verified email."""
    pool_id = user_auth.make_pool(cognito_idp, factors=("PASSWORD", "EMAIL_OTP"))
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_AUTH"],
        RefreshTokenRotation=ROTATION,
    )["UserPoolClient"]["ClientId"]
    user_auth.make_user(cognito_idp, pool_id)
    return pool_id, client_id


def emailed_code(cognito_mock, pool_id: str, asked: list[dict]):
    """An ``answer`` for :func:`converse`: records the question and answers ``emailCode`` with
    the code the mock last emailed the user named in it."""

    def answer(question: dict) -> str:
        asked.append(question)
        assert question["ask"] == "emailCode"
        return cognito_mock.last_code(pool_id, question["username"], channel="EMAIL")

    return answer


def refresh_refusal(cognito_idp, client_id: str, refresh_token: str) -> tuple[str, str]:
    """(code, message) of the error boto3's GetTokensFromRefreshToken gets for the token."""
    with pytest.raises(ClientError) as raised:
        cognito_idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=refresh_token)
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


# -- AWS SDK for JavaScript v3 ------------------------------------------------------------------


def test_sdk_v3_finds_the_mock_from_the_environment_alone(run_node, cognito_mock, cognito_idp):
    result = run_node("sdk_v3.mjs", "ada", PASSWORD)

    # Every request went to the loopback endpoint named by the environment variable.
    assert result["region"] == cognito_mock.options.region == "us-east-1"
    assert result["requests"] == [f"{cognito_mock.endpoint_url}/"] * 7
    assert node_calls(cognito_mock) == [
        ("CreateUserPool", None),
        ("CreateUserPoolClient", None),
        ("AdminCreateUser", None),
        ("AdminSetUserPassword", None),
        ("AdminInitiateAuth", None),
        ("InitiateAuth", None),
        ("AdminGetUser", "UserNotFoundException"),
    ]
    assert {call.region for call in cognito_mock.calls} == {"us-east-1"}

    # What node created is what the in-process boto3 client sees.
    pool_id, client_id = result["poolId"], result["clientId"]
    pool = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert (pool["Name"], pool["Arn"]) == ("node-sdk", result["poolArn"])
    app_client = cognito_idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert sorted(app_client["UserPoolClient"]["ExplicitAuthFlows"]) == sorted(
        result["explicitAuthFlows"]
    )
    assert result["userStatus"] == "FORCE_CHANGE_PASSWORD"
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email", "Value": "ada@example.com"} in user["UserAttributes"]

    # Both sign-ins gave tokens that verify, and node's refresh token works from boto3.
    where = {"pool_id": pool_id, "region": "us-east-1", "client_id": client_id, "username": "ada"}
    for auth in (result["adminAuth"], result["userAuth"]):
        assert (auth["TokenType"], auth["ExpiresIn"]) == ("Bearer", 3600)
        assert_tokens(cognito_mock, auth, **where)
    refreshed = cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["userAuth"]["RefreshToken"]},
    )["AuthenticationResult"]
    assert_tokens(cognito_mock, refreshed, **where)
    assert cognito_idp.get_user(AccessToken=result["adminAuth"]["AccessToken"])["Username"] == "ada"


def test_sdk_v3_raises_its_modelled_exception_with_cognitos_message(run_node):
    error = run_node("sdk_v3.mjs", "ada", PASSWORD)["error"]

    assert error == {
        "name": "UserNotFoundException",
        "message": "User does not exist.",
        "modelled": True,
        "fault": "client",
        "httpStatusCode": 400,
    }


def test_sdk_v3_signs_in_with_an_emailed_code_and_rotates_its_refresh_token(
    converse_node, cognito_mock, cognito_idp
):
    pool_id, client_id = passwordless_pool(cognito_idp)
    before = len(cognito_mock.calls)
    asked: list[dict] = []

    result = converse_node(
        "sdk_v3_user_auth.mjs", client_id, "ada", answer=emailed_code(cognito_mock, pool_id, asked)
    )

    # USER_AUTH offered the user's factors; the SDK chose EMAIL_OTP and the code went to her
    # email, shown masked. The script asked for it once, and got the code the mock sent.
    assert result["started"] == {
        "challengeName": "SELECT_CHALLENGE",
        "availableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"],
    }
    delivery = {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "a***@e***",
        "USER_ID_FOR_SRP": "ada",
    }
    assert result["chosen"] == {"challengeName": "EMAIL_OTP", "challengeParameters": delivery}
    assert asked == [{"ask": "emailCode", "username": "ada", "challengeParameters": delivery}]
    [message] = cognito_mock.messages(pool_id)
    assert (message.channel, message.destination) == ("EMAIL", user_auth.EMAIL)
    assert message.trigger_source == "CustomMessage_Authentication"
    assert re.fullmatch(r"\d{8}", message.code)

    # The code signed ada in; the refresh exchanged her refresh token for a new one.
    where = {"pool_id": pool_id, "region": "us-east-1", "client_id": client_id, "username": "ada"}
    signed_in, refreshed = result["signedIn"], result["refreshed"]
    assert signed_in["challengeName"] is None
    assert_tokens(cognito_mock, signed_in, **where)
    assert_tokens(cognito_mock, refreshed, **where)
    assert refreshed["RefreshToken"] != signed_in["RefreshToken"]
    assert refreshed["AccessToken"] != signed_in["AccessToken"]

    # The exchanged token is refused at once, and the refresh flow on a rotating client, both
    # as the SDK's modelled exceptions.
    assert result["reused"] == {
        "name": "RefreshTokenReuseException",
        "message": "Refresh Token has been used.",
        "modelled": True,
    }
    assert result["refreshFlow"] == {
        "name": "InvalidParameterException",
        "message": "REFRESH_TOKEN_AUTH flow not enabled for this client",
        "modelled": True,
    }
    assert auth_steps(cognito_mock.calls[before:]) == [
        ("InitiateAuth", "USER_AUTH", None),
        ("RespondToAuthChallenge", "SELECT_CHALLENGE", None),
        ("RespondToAuthChallenge", "EMAIL_OTP", None),
        ("GetTokensFromRefreshToken", None, None),
        ("GetTokensFromRefreshToken", None, "RefreshTokenReuseException"),
        ("InitiateAuth", "REFRESH_TOKEN_AUTH", "InvalidParameterException"),
    ]

    # The rotated token is the live one, for boto3 too.
    again = cognito_idp.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=refreshed["RefreshToken"]
    )["AuthenticationResult"]
    assert_tokens(cognito_mock, again, **where)


# -- amazon-cognito-identity-js -----------------------------------------------------------------


def test_identity_js_signs_in_with_its_own_srp(run_node, cognito_mock, cognito_idp):
    pool_id, client_id = srp_pool(cognito_idp)
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    before = len(cognito_mock.calls)

    result = run_node("identity_js.mjs", "sign-in", pool_id, client_id, "ada", PASSWORD)

    assert result["wrongPassword"] == {
        "name": "NotAuthorizedException",
        "code": "NotAuthorizedException",
        "message": "Incorrect username or password.",
    }
    assert result["challenge"] is None
    where = {"pool_id": pool_id, "region": "us-east-1", "client_id": client_id, "username": "ada"}
    assert_tokens(cognito_mock, result["signIn"], **where)
    # getSession gives back the session just stored; refreshSession gets new tokens.
    assert result["session"] == {"valid": True, **result["signIn"]}
    assert_tokens(cognito_mock, result["refreshed"], **where)
    assert result["refreshed"]["refreshToken"] == result["signIn"]["refreshToken"]
    # The JWKS node fetched from the endpoint is the pool's.
    assert result["jwks"] == {"status": 200, "body": cognito_mock.jwks(pool_id)}

    calls = cognito_mock.calls[before:]
    assert [
        (c.operation, c.params.get("AuthFlow") or c.params.get("ChallengeName")) for c in calls
    ] == [
        ("InitiateAuth", "USER_SRP_AUTH"),
        ("RespondToAuthChallenge", "PASSWORD_VERIFIER"),
        ("InitiateAuth", "USER_SRP_AUTH"),
        ("RespondToAuthChallenge", "PASSWORD_VERIFIER"),
        ("InitiateAuth", "REFRESH_TOKEN_AUTH"),
    ]
    assert [c.error_code for c in calls] == [None, "NotAuthorizedException", None, None, None]
    # The access token node holds is good for boto3.
    assert cognito_idp.get_user(AccessToken=result["refreshed"]["accessToken"])["Username"] == "ada"


def test_identity_js_reaches_a_pool_of_another_region_and_sets_a_new_password(
    run_node, cognito_mock
):
    # The mock's region is us-east-1; unsigned calls find the pool's region from the client id.
    eu = cognito_mock.client("eu-west-1")
    pool_id, client_id = srp_pool(eu)
    eu.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        TemporaryPassword="Temp0rary-pass!",
        MessageAction="SUPPRESS",
    )

    result = run_node(
        "identity_js.mjs", "sign-in", pool_id, client_id, "bob", "Temp0rary-pass!", "N3w-pass-word!"
    )

    assert pool_id.startswith("eu-west-1_")
    assert result["challenge"] == "NEW_PASSWORD_REQUIRED"
    where = {"pool_id": pool_id, "region": "eu-west-1", "client_id": client_id, "username": "bob"}
    assert_tokens(cognito_mock, result["signIn"], **where)
    assert eu.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == "CONFIRMED"
    answered = [
        (c.params["ChallengeName"], c.error_code)
        for c in cognito_mock.calls
        if c.operation == "RespondToAuthChallenge"
    ]
    assert answered == [
        ("PASSWORD_VERIFIER", "NotAuthorizedException"),  # the wrong password
        ("PASSWORD_VERIFIER", None),
        ("NEW_PASSWORD_REQUIRED", None),
    ]
    assert {c.region for c in cognito_mock.calls} == {"eu-west-1"}


def test_identity_js_signs_up_and_confirms(run_node, cognito_mock, cognito_idp):
    pool_id, client_id = srp_pool(cognito_idp, AutoVerifiedAttributes=["email"])

    signed_up = run_node(
        "identity_js.mjs", "sign-up", pool_id, client_id, "carol", PASSWORD, "carol@example.com"
    )

    assert node_calls(cognito_mock)[-1] == ("SignUp", None)
    assert signed_up["userConfirmed"] is False
    delivery = signed_up["codeDeliveryDetails"]
    assert (delivery["DeliveryMedium"], delivery["AttributeName"]) == ("EMAIL", "email")
    assert delivery["Destination"].startswith("c***@")  # masked, never the address itself
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="carol")
    assert user["UserStatus"] == "UNCONFIRMED"
    assert {"Name": "sub", "Value": signed_up["userSub"]} in user["UserAttributes"]
    code = cognito_mock.last_code(pool_id, "carol")
    assert code is not None

    confirmed = run_node("identity_js.mjs", "confirm", pool_id, client_id, "carol", code)

    assert node_calls(cognito_mock)[-2:] == [
        ("ConfirmSignUp", "CodeMismatchException"),
        ("ConfirmSignUp", None),
    ]
    assert confirmed == {
        "wrongCode": {
            "name": "CodeMismatchException",
            "code": "CodeMismatchException",
            "message": "Invalid verification code provided, please try again.",
        },
        "confirmed": "SUCCESS",
    }
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="carol")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]


@pytest.mark.slow  # the library's own retries of the refused refresh take about six seconds
def test_identity_js_has_no_user_auth_and_its_refresh_is_refused_by_a_rotating_client(
    run_node, cognito_mock, cognito_idp
):
    # amazon-cognito-identity-js (6.3) predates choice-based sign-in and
    # GetTokensFromRefreshToken: refreshSession is InitiateAuth with REFRESH_TOKEN_AUTH, which
    # works on other clients (test_identity_js_signs_in_with_its_own_srp) but not this one.
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
        RefreshTokenRotation=ROTATION,
    )["UserPoolClient"]["ClientId"]
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    before = len(cognito_mock.calls)

    result = run_node("identity_js.mjs", "refresh", pool_id, client_id, "ada", PASSWORD)

    # The library refuses USER_AUTH itself, before any request.
    assert result["userAuth"] == {
        "name": "Error",
        "message": "Authentication flow type is invalid.",
    }
    where = {"pool_id": pool_id, "region": "us-east-1", "client_id": client_id, "username": "ada"}
    assert_tokens(cognito_mock, result["signIn"], **where)
    assert result["refreshed"] is None
    assert result["refreshError"] == {
        "name": "InvalidParameterException",
        "code": "InvalidParameterException",
        "message": "REFRESH_TOKEN_AUTH flow not enabled for this client",
    }
    assert auth_steps(cognito_mock.calls[before:]) == [
        ("InitiateAuth", "USER_SRP_AUTH", None),
        ("RespondToAuthChallenge", "PASSWORD_VERIFIER", None),
        # refreshSession retries whatever error it gets, five times over about six seconds.
        *[("InitiateAuth", "REFRESH_TOKEN_AUTH", "InvalidParameterException")] * 6,
    ]
    # The refresh token it holds is good, through the operation a rotating client refreshes by.
    rotated = cognito_idp.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=result["signIn"]["refreshToken"]
    )["AuthenticationResult"]
    assert_tokens(cognito_mock, rotated, **where)
    assert rotated["RefreshToken"] != result["signIn"]["refreshToken"]


# -- Amplify JavaScript (aws-amplify) -----------------------------------------------------------


def test_amplify_signs_in_with_an_emailed_code_and_refreshes_by_rotation(
    converse_node, cognito_mock, cognito_idp
):
    pool_id, client_id = passwordless_pool(cognito_idp)
    attributes = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    sub = next(a["Value"] for a in attributes if a["Name"] == "sub")
    before = len(cognito_mock.calls)
    asked: list[dict] = []

    result = converse_node(
        "amplify.mjs", pool_id, client_id, "ada", answer=emailed_code(cognito_mock, pool_id, asked)
    )

    # signIn asked for the emailed code, as Amplify's UI would; a mistyped code was refused and
    # the right one, typed next, finished the sign-in.
    next_step = {
        "signInStep": "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
        "codeDeliveryDetails": {"deliveryMedium": "EMAIL", "destination": "a***@e***"},
    }
    assert result["signIn"] == {"isSignedIn": False, "nextStep": next_step}
    assert asked == [{"ask": "emailCode", "username": "ada", "nextStep": next_step}]
    assert result["wrongCode"] == {
        "name": "CodeMismatchException",
        "message": "Invalid code or auth state for the user.",
    }
    assert result["confirmed"] == {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}
    assert result["currentUser"] == {
        "username": "ada",
        "userId": sub,
        "signInDetails": {"loginId": "ada", "authFlowType": "USER_AUTH"},
    }

    # The session Amplify holds is ada's; forceRefresh got new tokens and a new refresh token.
    where = {"pool_id": pool_id, "region": "us-east-1", "client_id": client_id, "username": "ada"}
    session, refreshed = result["session"], result["refreshed"]
    assert session["userSub"] == refreshed["userSub"] == sub
    assert_tokens(cognito_mock, session, **where)
    assert_tokens(cognito_mock, refreshed, **where)
    assert refreshed["refreshToken"] != session["refreshToken"]
    assert refreshed["accessToken"] != session["accessToken"]

    calls = cognito_mock.calls[before:]
    assert auth_steps(calls) == [
        ("InitiateAuth", "USER_AUTH", None),
        ("RespondToAuthChallenge", "EMAIL_OTP", "CodeMismatchException"),
        ("RespondToAuthChallenge", "EMAIL_OTP", None),
        ("GetTokensFromRefreshToken", None, None),
    ]
    assert calls[0].params["AuthParameters"] == {
        "USERNAME": "ada",
        "PREFERRED_CHALLENGE": "EMAIL_OTP",
    }
    assert calls[-1].params["ClientId"] == client_id
    assert calls[-1].params["RefreshToken"] == session["refreshToken"]

    # The token Amplify exchanged is dead (no grace period); the one it stored is live.
    assert refresh_refusal(cognito_idp, client_id, session["refreshToken"]) == (
        "RefreshTokenReuseException",
        "Refresh Token has been used.",
    )
    again = cognito_idp.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=refreshed["refreshToken"]
    )["AuthenticationResult"]
    assert_tokens(cognito_mock, again, **where)


def test_amplify_sign_out_revokes_the_rotated_refresh_token(
    converse_node, cognito_mock, cognito_idp
):
    pool_id, client_id = passwordless_pool(cognito_idp)
    asked: list[dict] = []

    result = converse_node(
        "amplify.mjs",
        pool_id,
        client_id,
        "ada",
        "sign-out",
        answer=emailed_code(cognito_mock, pool_id, asked),
    )

    # signOut revoked the token it held (RevokeToken) and forgot the session.
    [revoke] = [c for c in cognito_mock.calls if c.operation == "RevokeToken"]
    assert revoke.error_code is None
    assert revoke.params == {"ClientId": client_id, "Token": result["refreshed"]["refreshToken"]}
    assert cognito_mock.calls[-1] is revoke
    assert result["storedAfterSignOut"] == []
    # Revoking one token of a rotated family ends them all.
    for token in (result["session"]["refreshToken"], result["refreshed"]["refreshToken"]):
        assert refresh_refusal(cognito_idp, client_id, token) == (
            "NotAuthorizedException",
            "Refresh Token has been revoked",
        )


def password_client(cognito_idp) -> tuple[str, str]:
    """A pool with the user ada (``support.users.PASSWORD``) and a USER_PASSWORD_AUTH client."""
    pool_id = cognito_idp.create_user_pool(PoolName="node-sessions")["UserPool"]["Id"]
    make_user(cognito_idp, pool_id)
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="node",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


@requires_operation("ListUserSessions")
def test_sdk_v3_lists_and_revokes_its_own_sessions(run_node, cognito_idp):
    pool_id, client_id = password_client(cognito_idp)
    cognito_idp.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 20}
    )
    result = run_node("sdk_v3_sessions.mjs", client_id, "ada", USER_PASSWORD)
    before, after = result["before"], result["after"]
    assert [s["IsCurrentSession"] for s in before] == [True, False]
    assert {(s["SessionType"], s["ClientId"], s["created"]) for s in before} == {
        ("TOKEN", client_id, True)
    }
    assert [s["SessionId"] for s in after] == [before[0]["SessionId"]]
    # What the SDK revoked, boto3 sees: the session is gone and its refresh token is dead.
    listed = cognito_idp.admin_list_user_sessions(UserPoolId=pool_id, Username="ada")
    assert [s["SessionId"] for s in listed["Sessions"]] == [before[0]["SessionId"]]
    with pytest.raises(ClientError) as refused:
        cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": result["secondRefreshToken"]},
        )
    assert refused.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": "Refresh Token has been revoked",
    }


@pytest.mark.skipif(
    has_operation("ListUserSessions"),
    reason=f"botocore {botocore.__version__}'s model has ListUserSessions: this is of older ones",
)
def test_an_sdk_ahead_of_the_installed_botocore_is_told_to_upgrade_it(run_node, cognito_idp):
    # The SDK's model has the operation and the mock implements it, but the mock checks each
    # request against the installed botocore's model, which lacks it: a clear refusal, no guess.
    _, client_id = password_client(cognito_idp)
    error = run_node("sdk_v3_sessions.mjs", client_id, "ada", USER_PASSWORD)["error"]
    assert error == {
        "name": "UnsupportedOperation",
        "message": (
            "pytest-cognito-mock implements the cognito-idp operation 'ListUserSessions', but "
            f"the installed botocore {botocore.__version__} has no model of it, and the mock "
            "checks every request against that model: install a newer botocore where the mock "
            "runs; see docs/supported-operations.md in the pytest-cognito-mock documentation."
        ),
        "status": 501,
    }
