"""GetDerivedToken: RFC 8693 token exchange through the API. A user's token of the pool is
exchanged for a narrower one bound to one audience; with an actor token the issued token names
the actor in ``act`` (delegation), without one it reads as the user's own (impersonation). Every
issued token is checked by PyJWT against the JWKS the issuer publishes."""

from __future__ import annotations

import jwt
import pytest
import requests
from freezegun import freeze_time
from support.errors import refused
from support.hosted import add_resource_server
from support.model import requires_operation
from support.users import PASSWORD, make_user

pytestmark = requires_operation("GetDerivedToken")

API = "https://api.example.com"
OTHER_API = "https://other.example.com"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/{pool}"
CALLBACK = "https://app.example.com/callback"
DOMAIN = "derived-tokens"
TOKEN_URL = f"https://{DOMAIN}.auth.us-east-1.amazoncognito.com/oauth2/token"
REVOKE_URL = f"https://{DOMAIN}.auth.us-east-1.amazoncognito.com/oauth2/revoke"
EXCHANGE = ["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_TOKEN_EXCHANGE_DELEGATION"]
REFRESH = ["ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="exchange")["UserPool"]["Id"]
    for identifier in (API, OTHER_API):
        add_resource_server(cognito_idp, pool_id, identifier)
    make_user(cognito_idp, pool_id, "ada", email="ada@example.com", email_verified="true")
    return pool_id


def app_client(cognito_idp, pool_id, *, flows, scopes=None, secret=False, name="svc"):
    kwargs = {"AllowedOAuthScopes": scopes} if scopes is not None else {}
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=name,
        GenerateSecret=secret,
        ExplicitAuthFlows=flows,
        **kwargs,
    )["UserPoolClient"]


@pytest.fixture
def web(cognito_idp, pool_id):
    """The user's app: password sign-in through the API, and a code-flow OAuth client."""
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", *REFRESH],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", f"{API}/read", f"{API}/write", f"{OTHER_API}/read"],
        CallbackURLs=[CALLBACK],
    )["UserPoolClient"]


@pytest.fixture
def service(cognito_idp, pool_id):
    """The downstream-calling service: both exchange flows and the API's scopes."""
    return app_client(
        cognito_idp,
        pool_id,
        flows=[*EXCHANGE, *REFRESH],
        scopes=["openid", f"{API}/read", f"{API}/write", f"{OTHER_API}/read"],
    )


def api_tokens(cognito_idp, client_id) -> dict:
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


def hosted_tokens(cognito_mock, web, scopes) -> dict:
    """The user's tokens from the code flow: the access token carries ``scopes``."""
    code = cognito_mock.authorization_code(web["ClientId"], "ada", PASSWORD, scopes=scopes)
    answer = requests.post(
        TOKEN_URL,
        data={
            "grant_type": "authorization_code",
            "client_id": web["ClientId"],
            "code": code,
            "redirect_uri": CALLBACK,
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def verified(token: str, pool_id: str, **options) -> dict:
    """The claims of ``token``, checked by PyJWT against the JWKS fetched from the issuer."""
    issuer = ISSUER.format(pool=pool_id)
    key = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer, **options)


def test_impersonation_narrows_the_scopes_and_binds_the_resource(
    cognito_idp, cognito_mock, pool_id, web, service
):
    subject = hosted_tokens(cognito_mock, web, ["openid", f"{API}/read", f"{OTHER_API}/read"])
    result = cognito_idp.get_derived_token(
        ClientId=service["ClientId"],
        SubjectToken=subject["access_token"],
        SubjectTokenType="ACCESS_TOKEN",
        Resources=[API],
    )
    assert result["IssuedTokenType"] == "ACCESS_TOKEN"
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    # The API's write scope is the service's but not the subject's; the other API's is not
    # the resource's.
    assert result["Scopes"] == [f"{API}/read"]
    claims = verified(result["IssuedToken"], pool_id, audience=API)
    original = verified(subject["access_token"], pool_id)
    assert claims["token_use"] == "access"
    assert claims["scope"] == f"{API}/read"
    assert claims["client_id"] == service["ClientId"]
    assert claims["sub"] == original["sub"]
    assert claims["username"] == "ada"
    assert claims["origin_jti"] == original["origin_jti"]
    assert "act" not in claims
    assert claims["exp"] - claims["iat"] == 3600


def test_requested_scopes_are_intersected_with_the_subjects_and_the_clients(
    cognito_idp, cognito_mock, pool_id, web, service
):
    subject = hosted_tokens(cognito_mock, web, ["openid", f"{API}/read", f"{API}/write"])
    narrow = app_client(cognito_idp, pool_id, flows=[*EXCHANGE, *REFRESH], scopes=[f"{API}/write"])
    result = cognito_idp.get_derived_token(
        ClientId=narrow["ClientId"],
        SubjectToken=subject["access_token"],
        SubjectTokenType="ACCESS_TOKEN",
        Scopes=[f"{API}/read", f"{API}/write", f"{OTHER_API}/read"],
        Audiences=["billing"],
    )
    assert result["Scopes"] == [f"{API}/write"]
    claims = verified(result["IssuedToken"], pool_id, audience="billing")
    assert claims["aud"] == "billing"
    assert claims["scope"] == f"{API}/write"


def test_delegation_names_the_actor_in_an_act_claim(
    cognito_idp, cognito_mock, pool_id, web, service
):
    subject = hosted_tokens(cognito_mock, web, ["openid", f"{API}/read"])
    machine = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="agent",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{OTHER_API}/read"],
    )["UserPoolClient"]
    actor = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        auth=(machine["ClientId"], machine["ClientSecret"]),
        timeout=10,
    ).json()["access_token"]
    result = cognito_idp.get_derived_token(
        ClientId=service["ClientId"],
        SubjectToken=subject["access_token"],
        SubjectTokenType="ACCESS_TOKEN",
        ActorToken=actor,
        ActorTokenType="ACCESS_TOKEN",
    )
    claims = verified(result["IssuedToken"], pool_id)
    assert claims["act"] == {"sub": machine["ClientId"], "client_id": machine["ClientId"]}
    assert claims["username"] == "ada"
    assert result["Scopes"] == ["openid", f"{API}/read"]

    # Exchanged again, by a user acting as actor: the earlier actor is nested.
    helper = api_tokens(cognito_idp, web["ClientId"])
    again = cognito_idp.get_derived_token(
        ClientId=service["ClientId"],
        SubjectToken=result["IssuedToken"],
        SubjectTokenType="ACCESS_TOKEN",
        ActorToken=helper["IdToken"],
        ActorTokenType="ID_TOKEN",
    )
    nested = verified(again["IssuedToken"], pool_id)["act"]
    assert nested["username"] == "ada"
    assert nested["client_id"] == web["ClientId"]
    assert nested["act"] == claims["act"]


def test_an_id_token_is_issued_from_an_id_token(cognito_idp, pool_id, web, service):
    subject = api_tokens(cognito_idp, web["ClientId"])
    result = cognito_idp.get_derived_token(
        ClientId=service["ClientId"],
        SubjectToken=subject["IdToken"],
        SubjectTokenType="ID_TOKEN",
        RequestedTokenType="ID_TOKEN",
    )
    assert result["IssuedTokenType"] == "ID_TOKEN"
    assert result["TokenType"] == "N_A"
    claims = verified(result["IssuedToken"], pool_id, audience=service["ClientId"])
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == "ada"
    assert claims["email"] == "ada@example.com"
    assert claims["email_verified"] is True


def test_an_api_access_token_with_no_scope_in_common_is_refused(cognito_idp, pool_id, web, service):
    subject = api_tokens(cognito_idp, web["ClientId"])  # scope: aws.cognito.signin.user.admin
    refused(
        cognito_idp.get_derived_token,
        "InvalidParameterException",
        "The requested scopes, the scopes of the SubjectToken and the scopes allowed for the app "
        f"client {service['ClientId']} have none in common.",
        ClientId=service["ClientId"],
        SubjectToken=subject["AccessToken"],
        SubjectTokenType="ACCESS_TOKEN",
    )


def test_after_a_move_to_lite_the_exchange_is_refused(cognito_idp, pool_id, web, service):
    subject = api_tokens(cognito_idp, web["ClientId"])
    cognito_idp.update_user_pool(UserPoolId=pool_id, UserPoolTier="LITE")
    refused(
        cognito_idp.get_derived_token,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Token Exchange",
        ClientId=service["ClientId"],
        SubjectToken=subject["AccessToken"],
        SubjectTokenType="ACCESS_TOKEN",
    )


def test_each_exchange_needs_its_own_flow(cognito_idp, cognito_mock, pool_id, web):
    subject = hosted_tokens(cognito_mock, web, ["openid"])["access_token"]
    only_impersonation = app_client(
        cognito_idp,
        pool_id,
        flows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", *REFRESH],
        scopes=["openid"],
    )
    refused(
        cognito_idp.get_derived_token,
        "InvalidParameterException",
        "TOKEN_EXCHANGE_DELEGATION flow not enabled for this client",
        ClientId=only_impersonation["ClientId"],
        SubjectToken=subject,
        SubjectTokenType="ACCESS_TOKEN",
        ActorToken=subject,
        ActorTokenType="ACCESS_TOKEN",
    )
    refused(
        cognito_idp.get_derived_token,
        "InvalidParameterException",
        "TOKEN_EXCHANGE_IMPERSONATION flow not enabled for this client",
        ClientId=web["ClientId"],
        SubjectToken=subject,
        SubjectTokenType="ACCESS_TOKEN",
    )


def test_a_client_with_a_secret_must_present_it(cognito_idp, cognito_mock, pool_id, web):
    subject = hosted_tokens(cognito_mock, web, ["openid"])["access_token"]
    confidential = app_client(
        cognito_idp, pool_id, flows=[*EXCHANGE, *REFRESH], scopes=["openid"], secret=True
    )
    base = {
        "ClientId": confidential["ClientId"],
        "SubjectToken": subject,
        "SubjectTokenType": "ACCESS_TOKEN",
    }
    refused(
        cognito_idp.get_derived_token,
        "NotAuthorizedException",
        f"Client {confidential['ClientId']} is configured for secret but secret was not received",
        **base,
    )
    refused(
        cognito_idp.get_derived_token,
        "NotAuthorizedException",
        f"Client secret does not match for the client: {confidential['ClientId']}",
        ClientSecret="x" * 40,
        **base,
    )
    issued = cognito_idp.get_derived_token(ClientSecret=confidential["ClientSecret"], **base)
    assert issued["Scopes"] == ["openid"]


def test_presented_tokens_are_checked(cognito_idp, cognito_mock, pool_id, web, service):
    tokens = hosted_tokens(cognito_mock, web, ["openid"])
    base = {"ClientId": service["ClientId"], "SubjectTokenType": "ACCESS_TOKEN"}
    call = cognito_idp.get_derived_token
    refused(call, "NotAuthorizedException", "Invalid Access Token", SubjectToken="a.b.c", **base)
    # An ID token presented as an access token.
    refused(
        call,
        "NotAuthorizedException",
        "Invalid Access Token",
        SubjectToken=tokens["id_token"],
        **base,
    )
    refused(
        call,
        "NotAuthorizedException",
        "ActorToken: Invalid ID Token",
        SubjectToken=tokens["access_token"],
        ActorToken=tokens["access_token"],
        ActorTokenType="ID_TOKEN",
        **base,
    )
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    make_user(cognito_idp, other_pool, "ada")
    other_web = app_client(
        cognito_idp, other_pool, flows=["ALLOW_USER_PASSWORD_AUTH", *REFRESH], name="web"
    )
    foreign = api_tokens(cognito_idp, other_web["ClientId"])["AccessToken"]
    refused(call, "NotAuthorizedException", "Invalid Access Token", SubjectToken=foreign, **base)


def test_revoked_expired_and_deleted(cognito_idp, cognito_mock, pool_id, web, service):
    with freeze_time() as frozen:
        tokens = hosted_tokens(cognito_mock, web, ["openid"])
        base = {
            "ClientId": service["ClientId"],
            "SubjectTokenType": "ACCESS_TOKEN",
            "SubjectToken": tokens["access_token"],
        }
        frozen.tick(3601)
        refused(
            cognito_idp.get_derived_token,
            "NotAuthorizedException",
            "Access Token has expired",
            **base,
        )

    fresh = hosted_tokens(cognito_mock, web, ["openid"])
    base["SubjectToken"] = fresh["access_token"]
    derived = cognito_idp.get_derived_token(**base)["IssuedToken"]
    requests.post(
        REVOKE_URL,
        data={"token": fresh["refresh_token"], "client_id": web["ClientId"]},
        timeout=10,
    ).raise_for_status()
    refused(
        cognito_idp.get_derived_token,
        "NotAuthorizedException",
        "Access Token has been revoked",
        **base,
    )
    # What was derived from the revoked family is revoked with it.
    refused(
        cognito_idp.get_user,
        "NotAuthorizedException",
        "Access Token has been revoked",
        AccessToken=derived,
    )

    fresh = hosted_tokens(cognito_mock, web, ["openid"])
    cognito_idp.admin_disable_user(UserPoolId=pool_id, Username="ada")
    base["SubjectToken"] = fresh["access_token"]
    # AdminDisableUser revokes the user's access tokens.
    refused(
        cognito_idp.get_derived_token,
        "NotAuthorizedException",
        "Access Token has been revoked",
        **base,
    )
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="ada")
    refused(cognito_idp.get_derived_token, "UserNotFoundException", "User does not exist.", **base)


def test_request_shape_and_audience_refusals(cognito_idp, cognito_mock, pool_id, web, service):
    subject = hosted_tokens(cognito_mock, web, ["openid", f"{API}/read"])["access_token"]
    base = {
        "ClientId": service["ClientId"],
        "SubjectToken": subject,
        "SubjectTokenType": "ACCESS_TOKEN",
    }
    call = cognito_idp.get_derived_token
    refused(
        call,
        "InvalidParameterException",
        "Audiences and Resources can't both be provided in the same request.",
        Audiences=["billing"],
        Resources=[API],
        **base,
    )
    refused(
        call,
        "InvalidParameterException",
        "Invalid resource requested: https://nowhere.example.com",
        Resources=["https://nowhere.example.com"],
        **base,
    )
    refused(
        call,
        "InvalidParameterException",
        "Invalid scope requested: https://api.example.com/delete",
        Scopes=[f"{API}/delete"],
        **base,
    )
    refused(
        call,
        "InvalidParameterException",
        "ActorTokenType is required when ActorToken is provided.",
        ActorToken=subject,
        **base,
    )
    refused(
        call,
        "InvalidParameterException",
        "ActorToken is required when ActorTokenType is provided.",
        ActorTokenType="ACCESS_TOKEN",
        **base,
    )
    refused(
        call,
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
        **{**base, "ClientId": "nosuchclient"},
    )


def test_third_party_tokens_are_refused(cognito_idp, pool_id, service):
    call = cognito_idp.get_derived_token
    base = {"ClientId": service["ClientId"], "SubjectToken": "PHNhbWw+"}
    refused(
        call,
        "InvalidParameterException",
        "SubjectToken from a third-party identity provider can't be exchanged: "
        "pytest-cognito-mock exchanges only this user pool's own access and ID tokens.",
        SubjectTokenType="SAML2",
        **base,
    )
    refused(
        call,
        "InvalidParameterException",
        f"The provider Okta does not exist for User Pool {pool_id}",
        SubjectTokenType="ID_TOKEN",
        SubjectTokenProviderName="Okta",
        **base,
    )


def test_a_machine_token_cannot_be_the_subject(cognito_idp, pool_id, service):
    machine = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
        AllowedOAuthScopes=[f"{API}/read"],
    )["UserPoolClient"]
    token = cognito_idp.get_client_token(
        ClientId=machine["ClientId"], Secret=machine["ClientSecret"]
    )["ClientAuthenticationResult"]["AccessToken"]
    refused(
        cognito_idp.get_derived_token,
        "NotAuthorizedException",
        "A SubjectToken must represent a user: a client credentials token can't be one.",
        ClientId=service["ClientId"],
        SubjectToken=token,
        SubjectTokenType="ACCESS_TOKEN",
    )


def test_the_exchange_flows_need_the_essentials_plan(cognito_idp):
    lite = cognito_idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    refused(
        cognito_idp.create_user_pool_client,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Token Exchange",
        UserPoolId=lite,
        ClientName="svc",
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_DELEGATION", *REFRESH],
    )
    assert (
        cognito_idp.list_user_pool_clients(UserPoolId=lite, MaxResults=10)["UserPoolClients"] == []
    )


def test_the_flows_read_back_on_the_client(cognito_idp, pool_id, service):
    described = cognito_idp.describe_user_pool_client(
        UserPoolId=pool_id, ClientId=service["ClientId"]
    )["UserPoolClient"]
    assert described["ExplicitAuthFlows"] == [*EXCHANGE, *REFRESH]
    updated = cognito_idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=service["ClientId"],
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_DELEGATION", *REFRESH],
    )["UserPoolClient"]
    assert updated["ExplicitAuthFlows"] == ["ALLOW_TOKEN_EXCHANGE_DELEGATION", *REFRESH]
