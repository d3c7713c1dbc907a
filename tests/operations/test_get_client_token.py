"""GetClientToken: the machine-to-machine access token through the API, the same token as the
token endpoint's client_credentials grant, checked with PyJWT against the pool's JWKS; and
ALLOW_CLIENT_TOKEN_AUTH, which must be an app client's only flow."""

from __future__ import annotations

import boto3
import jwt
import pytest
import requests
from support.errors import refused
from support.model import requires_operation

pytestmark = requires_operation("GetClientToken")

API = "https://api.example.com"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/{pool}"
M2M_FLOW = ["ALLOW_CLIENT_TOKEN_AUTH"]
NOT_ALONE = "ALLOW_CLIENT_TOKEN_AUTH can not be selected along with other authentication flows."


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="m2m")["UserPool"]["Id"]
    cognito_idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier=API,
        Name="api",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "read"},
            {"ScopeName": "write", "ScopeDescription": "write"},
            {"ScopeName": "admin", "ScopeDescription": "admin"},
        ],
    )
    return pool_id


def machine(cognito_idp, pool_id, flows=M2M_FLOW, secret=True, scopes=("read", "write")):
    """An app client as AWS's developer guide makes one for GetClientToken: a secret, the
    client-token flow and custom scopes, no OAuth flows."""
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="machine",
        GenerateSecret=secret,
        ExplicitAuthFlows=list(flows),
        AllowedOAuthScopes=[f"{API}/{s}" for s in scopes],
    )["UserPoolClient"]


def verified(token: str, pool_id: str) -> dict:
    """The claims of ``token``, checked by PyJWT against the JWKS fetched from the issuer."""
    issuer = ISSUER.format(pool=pool_id)
    key = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer)


def test_a_machine_gets_an_access_token_for_all_its_scopes(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    result = cognito_idp.get_client_token(
        ClientId=client["ClientId"], Secret=client["ClientSecret"]
    )["ClientAuthenticationResult"]
    assert (result["TokenType"], result["ExpiresIn"]) == ("Bearer", 3600)
    claims = verified(result["AccessToken"], pool_id)
    assert claims["sub"] == claims["client_id"] == client["ClientId"]
    assert claims["token_use"] == "access"
    assert claims["scope"] == f"{API}/read {API}/write"
    assert claims["version"] == 2
    assert claims["exp"] - claims["iat"] == 3600
    assert not {"username", "cognito:groups", "origin_jti", "event_id"} & set(claims)


def test_the_requested_scopes_narrow_the_token(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    result = cognito_idp.get_client_token(
        ClientId=client["ClientId"], Secret=client["ClientSecret"], Scopes=[f"{API}/write"]
    )["ClientAuthenticationResult"]
    assert verified(result["AccessToken"], pool_id)["scope"] == f"{API}/write"


def test_the_token_has_the_same_claims_as_the_client_credentials_grant(cognito_idp, pool_id):
    # One client allowed both doors: the API's flow and the OAuth client_credentials grant.
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="both",
        GenerateSecret=True,
        ExplicitAuthFlows=M2M_FLOW,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=[f"{API}/read"],
        AccessTokenValidity=15,
        TokenValidityUnits={"AccessToken": "minutes"},
    )["UserPoolClient"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="m2m-both")
    endpoint = "https://m2m-both.auth.us-east-1.amazoncognito.com/oauth2/token"
    answer = requests.post(
        endpoint,
        data={"grant_type": "client_credentials"},
        auth=(client["ClientId"], client["ClientSecret"]),
    )
    grant = verified(answer.json()["access_token"], pool_id)
    result = cognito_idp.get_client_token(
        ClientId=client["ClientId"], Secret=client["ClientSecret"]
    )["ClientAuthenticationResult"]
    api = verified(result["AccessToken"], pool_id)
    assert result["ExpiresIn"] == answer.json()["expires_in"] == 900
    different = {"jti", "iat", "exp", "auth_time"}
    assert set(api) == set(grant)
    assert {k: v for k, v in api.items() if k not in different} == {
        k: v for k, v in grant.items() if k not in different
    }


def test_either_secret_works_while_one_is_rotated(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    added = cognito_idp.add_user_pool_client_secret(
        UserPoolId=pool_id, ClientId=client["ClientId"]
    )["ClientSecretDescriptor"]["ClientSecretValue"]
    for secret in (client["ClientSecret"], added):
        result = cognito_idp.get_client_token(ClientId=client["ClientId"], Secret=secret)
        assert verified(result["ClientAuthenticationResult"]["AccessToken"], pool_id)


def test_a_v3_pre_token_trigger_gets_the_client_metadata(cognito_idp, cognito_mock, pool_id):
    events = []

    def customise(event, context):
        events.append(event)
        event["response"]["claimsAndScopeOverrideDetails"] = {
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {"tenant": event["request"]["clientMetadata"]["tenant"]},
                "scopesToSuppress": [f"{API}/write"],
            }
        }
        return event

    arn = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
    cognito_mock.register_lambda(arn, customise)
    cognito_idp.update_user_pool(
        UserPoolId=pool_id,
        LambdaConfig={"PreTokenGenerationConfig": {"LambdaVersion": "V3_0", "LambdaArn": arn}},
    )
    client = machine(cognito_idp, pool_id)
    result = cognito_idp.get_client_token(
        ClientId=client["ClientId"],
        Secret=client["ClientSecret"],
        ClientMetadata={"tenant": "acme"},
    )["ClientAuthenticationResult"]
    claims = verified(result["AccessToken"], pool_id)
    assert (claims["tenant"], claims["scope"]) == ("acme", f"{API}/read")
    (event,) = events
    assert event["triggerSource"] == "TokenGeneration_ClientCredentials"
    assert event["request"]["scopes"] == [f"{API}/read", f"{API}/write"]
    assert event["callerContext"]["clientId"] == client["ClientId"]


def test_a_wrong_secret_is_not_authorized(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    refused(
        cognito_idp.get_client_token,
        "NotAuthorizedException",
        f"Unable to verify secret for client {client['ClientId']}",
        ClientId=client["ClientId"],
        Secret="x" * 40,
    )


def test_an_unknown_client_is_not_found(cognito_idp, pool_id):
    refused(
        cognito_idp.get_client_token,
        "ResourceNotFoundException",
        "User pool client 1example23456789 does not exist.",
        ClientId="1example23456789",
        Secret="x" * 40,
    )


def test_a_client_of_another_region_is_not_found(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    west = boto3.client("cognito-idp", region_name="eu-west-1")
    refused(
        west.get_client_token,
        "ResourceNotFoundException",
        f"User pool client {client['ClientId']} does not exist.",
        ClientId=client["ClientId"],
        Secret=client["ClientSecret"],
    )


def test_a_client_without_a_secret_is_not_authorized(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id, secret=False)
    refused(
        cognito_idp.get_client_token,
        "NotAuthorizedException",
        f"Client {client['ClientId']} is not configured with a client secret.",
        ClientId=client["ClientId"],
        Secret="x" * 40,
    )


def test_a_client_without_the_flow_is_refused(cognito_idp, pool_id):
    client = machine(
        cognito_idp, pool_id, flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    refused(
        cognito_idp.get_client_token,
        "InvalidParameterException",
        "CLIENT_TOKEN_AUTH flow not enabled for this client",
        ClientId=client["ClientId"],
        Secret=client["ClientSecret"],
    )


@pytest.mark.parametrize(
    "scope",
    [
        f"{API}/admin",  # the pool's, but not the client's
        f"{API}/nothing",  # no resource server defines it
        "openid",  # no user, so no OpenID scope
        "aws.cognito.signin.user.admin",
    ],
)
def test_a_scope_the_client_does_not_have_is_refused(cognito_idp, pool_id, scope):
    client = machine(cognito_idp, pool_id)
    refused(
        cognito_idp.get_client_token,
        "InvalidParameterException",
        f"Invalid scope requested: {scope}",
        ClientId=client["ClientId"],
        Secret=client["ClientSecret"],
        Scopes=[f"{API}/read", scope],
    )


def test_a_deleted_scope_is_left_out_of_the_token(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    cognito_idp.update_resource_server(
        UserPoolId=pool_id,
        Identifier=API,
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}],
    )
    result = cognito_idp.get_client_token(
        ClientId=client["ClientId"],
        Secret=client["ClientSecret"],
        Scopes=[f"{API}/read", f"{API}/write"],
    )["ClientAuthenticationResult"]
    assert verified(result["AccessToken"], pool_id)["scope"] == f"{API}/read"


def test_a_client_with_no_custom_scopes_gets_no_token(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id, scopes=())
    refused(
        cognito_idp.get_client_token,
        "InvalidParameterException",
        f"The app client {client['ClientId']} has no custom scopes to authorize.",
        ClientId=client["ClientId"],
        Secret=client["ClientSecret"],
    )


# -- ALLOW_CLIENT_TOKEN_AUTH on the app client ---------------------------------------------------


def test_the_flow_is_kept_and_read_back_alone(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    assert client["ExplicitAuthFlows"] == M2M_FLOW
    other = boto3.client("cognito-idp", region_name="us-east-1")
    described = other.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert described["UserPoolClient"]["ExplicitAuthFlows"] == M2M_FLOW


@pytest.mark.parametrize(
    "flows",
    [
        ["ALLOW_CLIENT_TOKEN_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ["ALLOW_CLIENT_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_CLIENT_TOKEN_AUTH"],
    ],
)
def test_the_flow_with_user_flows_is_refused_on_create(cognito_idp, pool_id, flows):
    refused(
        cognito_idp.create_user_pool_client,
        "InvalidParameterException",
        NOT_ALONE,
        UserPoolId=pool_id,
        ClientName="mixed",
        GenerateSecret=True,
        ExplicitAuthFlows=flows,
    )
    assert cognito_idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"] == []


def test_the_flow_with_user_flows_is_refused_on_update(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    refused(
        cognito_idp.update_user_pool_client,
        "InvalidParameterException",
        NOT_ALONE,
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    described = cognito_idp.describe_user_pool_client(
        UserPoolId=pool_id, ClientId=client["ClientId"]
    )["UserPoolClient"]
    assert described["ExplicitAuthFlows"] == M2M_FLOW


def test_a_user_flow_client_can_switch_to_the_machine_flow(cognito_idp, pool_id):
    client = machine(
        cognito_idp, pool_id, flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    cognito_idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        ExplicitAuthFlows=M2M_FLOW,
        AllowedOAuthScopes=[f"{API}/read"],
    )
    result = cognito_idp.get_client_token(
        ClientId=client["ClientId"], Secret=client["ClientSecret"]
    )["ClientAuthenticationResult"]
    assert verified(result["AccessToken"], pool_id)["scope"] == f"{API}/read"


def test_a_machine_client_signs_no_user_in(cognito_idp, pool_id):
    client = machine(cognito_idp, pool_id)
    refused(
        cognito_idp.admin_initiate_auth,
        "InvalidParameterException",
        "Auth flow not enabled for this client",
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": "Passw0rd!", "SECRET_HASH": "x"},
    )
