"""The pre token generation trigger: version 1 customises the ID token, version 2 both tokens;
the claims it asks for are in the signed JWTs the sign-in and refresh return."""

from __future__ import annotations

import copy

import jwt
import pytest

PASSWORD = "Corr3ct-horse!"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:pre-token"
ADMIN_ROLE = "arn:aws:iam::123456789012:role/admins"
READER_ROLE = "arn:aws:iam::123456789012:role/readers"
API_SCOPE = "aws.cognito.signin.user.admin"


class Recorder:
    """A trigger handler that keeps a copy of every event and sets the response a test gives."""

    def __init__(self, response: dict | None = None) -> None:
        self.events: list[dict] = []
        self.response = response

    def __call__(self, event, context):
        self.events.append(copy.deepcopy(event))
        if self.response is not None:
            event["response"] = copy.deepcopy(self.response)
        return event


def make_pool(cognito_idp, lambda_config: dict) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="tokens", LambdaConfig=lambda_config)[
        "UserPool"
    ]["Id"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "ada@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": "Ada"},
        ],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    groups = (("admins", 1, ADMIN_ROLE), ("readers", 2, READER_ROLE))
    for name, precedence, role in groups:
        cognito_idp.create_group(
            UserPoolId=pool_id, GroupName=name, Precedence=precedence, RoleArn=role
        )
        cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username="ada", GroupName=name)
    return pool_id


@pytest.fixture
def v1_pool(cognito_idp) -> str:
    return make_pool(cognito_idp, {"PreTokenGeneration": FUNCTION})


@pytest.fixture
def v2_pool(cognito_idp) -> str:
    config = {"LambdaArn": FUNCTION, "LambdaVersion": "V2_0"}
    return make_pool(cognito_idp, {"PreTokenGenerationConfig": config})


def make_client(cognito_idp, pool_id) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]


def sign_in(cognito_idp, pool_id, client_id) -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        ClientMetadata={"not": "for pre token generation"},
    )["AuthenticationResult"]


def verified(cognito_mock, pool_id, token) -> dict:
    """The token's claims, after checking its signature against the pool's JWKS."""
    header = jwt.get_unverified_header(token)
    [key] = [k for k in cognito_mock.jwks(pool_id)["keys"] if k["kid"] == header["kid"]]
    return jwt.decode(
        token, jwt.PyJWK(key).key, algorithms=["RS256"], options={"verify_aud": False}
    )


def test_without_a_trigger_group_roles_reach_the_id_token(cognito_idp, cognito_mock):
    pool_id = make_pool(cognito_idp, {})
    client_id = make_client(cognito_idp, pool_id)

    result = sign_in(cognito_idp, pool_id, client_id)

    id_claims = verified(cognito_mock, pool_id, result["IdToken"])
    assert id_claims["cognito:groups"] == ["admins", "readers"]
    assert id_claims["cognito:roles"] == [ADMIN_ROLE, READER_ROLE]
    assert id_claims["cognito:preferred_role"] == ADMIN_ROLE
    access_claims = verified(cognito_mock, pool_id, result["AccessToken"])
    assert access_claims["cognito:groups"] == ["admins", "readers"]
    assert "cognito:roles" not in access_claims


def test_v1_adds_overrides_and_suppresses_id_token_claims(cognito_idp, cognito_mock, v1_pool):
    client_id = make_client(cognito_idp, v1_pool)
    handler = Recorder(
        {
            "claimsOverrideDetails": {
                "claimsToAddOrOverride": {
                    "tenant": "acme",
                    "name": "Countess of Lovelace",
                    "email": "also-suppressed@example.com",
                    "sub": "not-a-sub",
                    "aud": "another-audience",
                    "token_use": "access",
                },
                "claimsToSuppress": ["email", "email_verified", "iss"],
            }
        }
    )
    cognito_mock.register_lambda(FUNCTION, handler)

    result = sign_in(cognito_idp, v1_pool, client_id)

    id_claims = verified(cognito_mock, v1_pool, result["IdToken"])
    assert id_claims["tenant"] == "acme"
    assert id_claims["name"] == "Countess of Lovelace"
    assert "email" not in id_claims  # suppressed wins over overridden
    assert "email_verified" not in id_claims
    # Reserved claims stay what Cognito makes them.
    assert id_claims["aud"] == client_id
    assert id_claims["token_use"] == "id"
    assert id_claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{v1_pool}"
    assert id_claims["sub"] == handler.events[0]["request"]["userAttributes"]["sub"]
    assert id_claims["cognito:groups"] == ["admins", "readers"]  # no group override asked
    # Version 1 leaves the access token alone.
    access_claims = verified(cognito_mock, v1_pool, result["AccessToken"])
    assert "tenant" not in access_claims
    assert access_claims["scope"] == API_SCOPE


def test_v1_event_describes_the_user_and_its_groups(cognito_idp, cognito_mock, v1_pool):
    client_id = make_client(cognito_idp, v1_pool)
    handler = Recorder()
    cognito_mock.register_lambda(FUNCTION, handler)

    sign_in(cognito_idp, v1_pool, client_id)

    [event] = handler.events
    assert event["version"] == "1"
    assert event["triggerSource"] == "TokenGeneration_Authentication"
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["groupConfiguration"] == {
        "groupsToOverride": ["admins", "readers"],
        "iamRolesToOverride": [ADMIN_ROLE, READER_ROLE],
        "preferredRole": ADMIN_ROLE,
    }
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert event["request"]["userAttributes"]["email_verified"] == "true"
    assert "clientMetadata" not in event["request"]  # InitiateAuth's does not come here
    assert event["response"] == {"claimsOverrideDetails": None}


def test_v1_group_override_replaces_the_group_claims_of_both_tokens(
    cognito_idp, cognito_mock, v1_pool
):
    client_id = make_client(cognito_idp, v1_pool)
    override = {
        "groupsToOverride": ["auditors"],
        "iamRolesToOverride": ["arn:aws:iam::123456789012:role/auditors"],
        "preferredRole": "arn:aws:iam::123456789012:role/auditors",
    }
    details = {"claimsOverrideDetails": {"groupOverrideDetails": override}}
    cognito_mock.register_lambda(FUNCTION, Recorder(details))

    result = sign_in(cognito_idp, v1_pool, client_id)

    id_claims = verified(cognito_mock, v1_pool, result["IdToken"])
    assert id_claims["cognito:groups"] == ["auditors"]
    assert id_claims["cognito:roles"] == ["arn:aws:iam::123456789012:role/auditors"]
    assert id_claims["cognito:preferred_role"] == "arn:aws:iam::123456789012:role/auditors"
    access_claims = verified(cognito_mock, v1_pool, result["AccessToken"])
    assert access_claims["cognito:groups"] == ["auditors"]


def test_an_empty_group_override_suppresses_the_groups(cognito_idp, cognito_mock, v1_pool):
    client_id = make_client(cognito_idp, v1_pool)
    details = {"claimsOverrideDetails": {"groupOverrideDetails": None}}
    cognito_mock.register_lambda(FUNCTION, Recorder(details))

    result = sign_in(cognito_idp, v1_pool, client_id)

    id_claims = verified(cognito_mock, v1_pool, result["IdToken"])
    assert {"cognito:groups", "cognito:roles", "cognito:preferred_role"}.isdisjoint(id_claims)
    access_claims = verified(cognito_mock, v1_pool, result["AccessToken"])
    assert "cognito:groups" not in access_claims


def test_refreshing_runs_the_trigger_again_as_token_refresh(cognito_idp, cognito_mock, v1_pool):
    client_id = make_client(cognito_idp, v1_pool)
    handler = Recorder({"claimsOverrideDetails": {"claimsToAddOrOverride": {"tier": "gold"}}})
    cognito_mock.register_lambda(FUNCTION, handler)
    refresh_token = sign_in(cognito_idp, v1_pool, client_id)["RefreshToken"]

    result = cognito_idp.admin_initiate_auth(
        UserPoolId=v1_pool,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )["AuthenticationResult"]

    assert [e["triggerSource"] for e in handler.events] == [
        "TokenGeneration_Authentication",
        "TokenGeneration_RefreshTokens",
    ]
    assert verified(cognito_mock, v1_pool, result["IdToken"])["tier"] == "gold"


def test_v2_changes_the_access_token_and_its_scopes(cognito_idp, cognito_mock, v2_pool):
    client_id = make_client(cognito_idp, v2_pool)
    handler = Recorder(
        {
            "claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {
                    "claimsToAddOrOverride": {"plan": "pro"},
                    "claimsToSuppress": ["name"],
                },
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {
                        "tenant": {"id": "acme", "regions": ["eu", "us"]},
                        "features": ["export", "sso"],
                        "client_id": "someone-else",
                        "username": "mallory",
                    },
                    "claimsToSuppress": ["auth_time", "origin_jti", "event_id"],
                    "scopesToAdd": ["photos/read", "photos/write"],
                    "scopesToSuppress": [API_SCOPE, "photos/write"],
                },
            }
        }
    )
    cognito_mock.register_lambda(FUNCTION, handler)

    result = sign_in(cognito_idp, v2_pool, client_id)

    [event] = handler.events
    assert event["version"] == "2"
    assert event["request"]["scopes"] == [API_SCOPE]
    assert event["response"] == {"claimsAndScopeOverrideDetails": None}
    access_claims = verified(cognito_mock, v2_pool, result["AccessToken"])
    assert access_claims["tenant"] == {"id": "acme", "regions": ["eu", "us"]}
    assert access_claims["features"] == ["export", "sso"]
    assert access_claims["scope"] == "photos/read"
    assert access_claims["client_id"] == client_id
    assert access_claims["username"] == "ada"
    assert "event_id" not in access_claims
    assert "auth_time" in access_claims and "origin_jti" in access_claims  # reserved
    id_claims = verified(cognito_mock, v2_pool, result["IdToken"])
    assert id_claims["plan"] == "pro"
    assert "name" not in id_claims
    assert "tenant" not in id_claims


def test_suppressing_every_scope_leaves_no_scope_claim(cognito_idp, cognito_mock, v2_pool):
    client_id = make_client(cognito_idp, v2_pool)
    details = {"accessTokenGeneration": {"scopesToSuppress": [API_SCOPE]}}
    cognito_mock.register_lambda(FUNCTION, Recorder({"claimsAndScopeOverrideDetails": details}))

    result = sign_in(cognito_idp, v2_pool, client_id)

    assert "scope" not in verified(cognito_mock, v2_pool, result["AccessToken"])


def test_a_failing_trigger_fails_the_sign_in(cognito_idp, cognito_mock, v1_pool):
    client_id = make_client(cognito_idp, v1_pool)

    def fail(event, context):
        raise KeyError("entitlements")

    cognito_mock.register_lambda(FUNCTION, fail)

    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        sign_in(cognito_idp, v1_pool, client_id)

    assert raised.value.response["Error"]["Message"] == (
        "PreTokenGeneration failed with error 'entitlements'."
    )


def test_a_malformed_answer_is_unrecognizable(cognito_idp, cognito_mock, v1_pool):
    client_id = make_client(cognito_idp, v1_pool)
    details = {"claimsOverrideDetails": {"claimsToSuppress": "email"}}
    cognito_mock.register_lambda(FUNCTION, Recorder(details))

    with pytest.raises(cognito_idp.exceptions.InvalidLambdaResponseException) as raised:
        sign_in(cognito_idp, v1_pool, client_id)

    assert raised.value.response["Error"]["Message"] == "Unrecognizable lambda output"


def test_a_new_password_challenge_passes_its_client_metadata(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="invited", LambdaConfig={"PreTokenGeneration": FUNCTION}
    )["UserPool"]["Id"]
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="ada", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    handler = Recorder()
    cognito_mock.register_lambda(FUNCTION, handler)
    challenge = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )

    cognito_idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "NEW_PASSWORD": "N3w-battery-staple!"},
        ClientMetadata={"invite": "HR-7"},
    )

    [event] = handler.events
    assert event["triggerSource"] == "TokenGeneration_NewPasswordChallenge"
    assert event["request"]["clientMetadata"] == {"invite": "HR-7"}
