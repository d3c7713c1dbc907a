"""JavaScript Cognito clients nobody here wrote, run by node against the loopback endpoint:
the AWS SDK for JavaScript v3 configured by the environment alone, and
amazon-cognito-identity-js doing its own SRP. What they create and the tokens they get must
be the same Cognito a boto3 client in the test sees (scripts in tests/node)."""

from __future__ import annotations

import jwt
import pytest
from support.node import node_or_skip, run_script

PASSWORD = "Corr3ct-horse!"
SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def run_node(cognito_mock):
    """``run_node(script, *args)``: a tests/node script run against this test's mock."""
    node = node_or_skip()
    return lambda script, *args: run_script(node, cognito_mock.subprocess_env(), script, *args)


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
