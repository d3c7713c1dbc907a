"""Client ID Metadata Document (CIMD) policies: the control plane (Create, Describe, Update,
Delete, List), the cache of retrieved documents (ListClientMetadataURLs,
UpdateClientMetadataURLState), and an OAuth client whose client_id is an https URL signing a
user in through the code flow, its tokens checked by PyJWT against the pool's JWKS."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
import requests
from freezegun import freeze_time
from support.errors import refused
from support.model import requires_operation
from support.users import PASSWORD, make_user

from pytest_cognito_mock import HostedSignInError

pytestmark = [
    requires_operation("CreateCIMDPolicy"),
    requires_operation("ListClientMetadataURLs"),
    requires_operation("UpdateClientMetadataURLState"),
]

DOMAIN = "cimd-app"
TOKEN_URL = f"https://{DOMAIN}.auth.us-east-1.amazoncognito.com/oauth2/token"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/{pool}"
CLIENT_URL = "https://agent.example.com/oauth/client.json"
CALLBACK = "https://agent.example.com/callback"
DAY, YEAR = 86_400, 31_556_952


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="agents",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=["https://app.example.com/callback"],
    )["UserPoolClient"]["ClientId"]


def create(
    cognito_idp,
    pool_id,
    client_id,
    name="agents",
    patterns=("https://*.example.com/oauth/*",),
    **kwargs,
):
    return cognito_idp.create_cimd_policy(
        UserPoolId=pool_id,
        ClientId=client_id,
        PolicyName=name,
        URLPatterns=list(patterns),
        **kwargs,
    )["CIMDPolicy"]


def document(url=CLIENT_URL, **members):
    return {
        "client_id": url,
        "client_name": "Agent",
        "redirect_uris": [CALLBACK],
        "token_endpoint_auth_method": "none",
        **members,
    }


def sign_in(cognito_mock, url=CLIENT_URL) -> str:
    """The code flow of the CIMD client, through the hosted sign-in helper."""
    return cognito_mock.authorization_code(
        url, "ada", PASSWORD, scopes=["openid", "email"], redirect_uri=CALLBACK
    )


def exchange(code, url=CLIENT_URL, **extra):
    return requests.post(
        TOKEN_URL,
        data={
            "grant_type": "authorization_code",
            "client_id": url,
            "code": code,
            "redirect_uri": CALLBACK,
            **extra,
        },
        timeout=10,
    )


def test_a_policy_reads_back_everywhere(cognito_idp, pool_id, client_id):
    policy = create(cognito_idp, pool_id, client_id)
    assert policy["UserPoolId"] == pool_id
    assert policy["ClientId"] == client_id
    assert policy["PolicyName"] == "agents"
    assert policy["CacheDuration"] == DAY  # the documented default
    assert policy["URLPatterns"] == ["https://*.example.com/oauth/*"]
    assert policy["CIMDPolicyId"].isalnum() and policy["CIMDPolicyId"].islower()
    described = cognito_idp.describe_cimd_policy(
        UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"]
    )["CIMDPolicy"]
    assert described == policy
    listed = cognito_idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"]
    assert listed == [{k: v for k, v in policy.items() if k not in ("UserPoolId", "URLPatterns")}]


def test_update_replaces_patterns_and_client_and_keeps_what_is_omitted(
    cognito_idp, pool_id, client_id
):
    policy = create(cognito_idp, pool_id, client_id, CacheDuration=2 * DAY)
    other = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="other")[
        "UserPoolClient"
    ]["ClientId"]
    updated = cognito_idp.update_cimd_policy(
        UserPoolId=pool_id,
        CIMDPolicyId=policy["CIMDPolicyId"],
        ClientId=other,
        URLPatterns=["https://tools.example.org/*.json", "https://example.net/client"],
    )["CIMDPolicy"]
    assert updated["ClientId"] == other
    assert updated["URLPatterns"] == [
        "https://tools.example.org/*.json",
        "https://example.net/client",
    ]
    assert updated["PolicyName"] == "agents"
    assert updated["CacheDuration"] == 2 * DAY
    assert updated["LastModifiedDate"] >= policy["LastModifiedDate"]
    assert (
        cognito_idp.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"])[
            "CIMDPolicy"
        ]
        == updated
    )


def test_the_client_id_is_omitted_once_the_client_is_deleted(cognito_idp, pool_id, client_id):
    policy = create(cognito_idp, pool_id, client_id)
    cognito_idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    described = cognito_idp.describe_cimd_policy(
        UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"]
    )["CIMDPolicy"]
    assert "ClientId" not in described
    assert "ClientId" not in cognito_idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"][0]


def test_delete_and_unknown_ids(cognito_idp, pool_id, client_id):
    policy = create(cognito_idp, pool_id, client_id)
    cognito_idp.delete_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"])
    assert cognito_idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"] == []
    missing = f"CIMD policy {policy['CIMDPolicyId']} does not exist."
    for call in (cognito_idp.describe_cimd_policy, cognito_idp.delete_cimd_policy):
        refused(
            call,
            "ResourceNotFoundException",
            missing,
            UserPoolId=pool_id,
            CIMDPolicyId=policy["CIMDPolicyId"],
        )
    refused(
        cognito_idp.list_client_metadata_urls,
        "ResourceNotFoundException",
        missing,
        UserPoolId=pool_id,
        CIMDPolicyId=policy["CIMDPolicyId"],
    )


def test_create_refusals(cognito_idp, pool_id, client_id):
    create(cognito_idp, pool_id, client_id)
    refused(
        cognito_idp.create_cimd_policy,
        "InvalidParameterException",
        f"A CIMD policy named agents already exists in user pool {pool_id}.",
        UserPoolId=pool_id,
        ClientId=client_id,
        PolicyName="agents",
        URLPatterns=["https://a.example.com/x"],
    )
    refused(
        cognito_idp.create_cimd_policy,
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
        UserPoolId=pool_id,
        ClientId="nosuchclient",
        PolicyName="other",
        URLPatterns=["https://a.example.com/x"],
    )
    refused(
        cognito_idp.create_cimd_policy,
        "InvalidParameterException",
        "URLPatterns contains https://a.example.com/x more than once.",
        UserPoolId=pool_id,
        ClientId=client_id,
        PolicyName="other",
        URLPatterns=["https://a.example.com/x", "https://a.example.com/x"],
    )
    # The model's constraints the service checks (botocore checks the minimums itself): https
    # only, no query, at most five patterns, at most a year of caching.
    for patterns in (
        ["http://a.example.com/x"],
        ["https://a.example.com/x?y"],
        ["https://a.b/c"] * 6,
    ):
        with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
            create(cognito_idp, pool_id, client_id, name="other", patterns=patterns)
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
        create(cognito_idp, pool_id, client_id, name="other", CacheDuration=YEAR + 1)
    assert len(cognito_idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"]) == 1


def test_a_pool_holds_at_most_twenty_policies(cognito_idp, pool_id, client_id):
    for n in range(20):
        create(
            cognito_idp, pool_id, client_id, name=f"p{n}", patterns=[f"https://p{n}.example.com/c"]
        )
    refused(
        cognito_idp.create_cimd_policy,
        "LimitExceededException",
        "The user pool has reached its quota of 20 CIMD policies.",
        UserPoolId=pool_id,
        ClientId=client_id,
        PolicyName="one-too-many",
        URLPatterns=["https://x.example.com/c"],
    )
    first = cognito_idp.list_cimd_policies(UserPoolId=pool_id, MaxResults=15)
    rest = cognito_idp.list_cimd_policies(UserPoolId=pool_id, NextToken=first["NextToken"])
    names = [p["PolicyName"] for p in first["CIMDPolicies"] + rest["CIMDPolicies"]]
    assert names == [f"p{n}" for n in range(20)]
    assert "NextToken" not in rest


def test_a_cimd_client_signs_a_user_in(cognito_idp, cognito_mock, pool_id, client_id):
    make_user(cognito_idp, pool_id, "ada", email="ada@example.com")
    create(cognito_idp, pool_id, client_id)
    cognito_mock.serve_client_metadata(CLIENT_URL, document())
    answer = exchange(sign_in(cognito_mock))
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    issuer = ISSUER.format(pool=pool_id)
    jwks = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")
    token = tokens["access_token"]
    claims = jwt.decode(
        token, jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"], issuer=issuer
    )
    assert claims["client_id"] == client_id  # the policy's app client
    assert claims["scope"] == "openid email"
    assert claims["username"] == "ada"


def test_a_cimd_client_is_public_and_gets_only_what_its_document_allows(
    cognito_idp, cognito_mock, pool_id, client_id
):
    make_user(cognito_idp, pool_id, "ada")
    create(cognito_idp, pool_id, client_id)
    cognito_mock.serve_client_metadata(CLIENT_URL, document())
    answer = exchange(sign_in(cognito_mock), client_secret="s" * 40)
    assert (answer.status_code, answer.json()) == (400, {"error": "invalid_client"})
    # A redirect URI of the app client, not of the document.
    with pytest.raises(HostedSignInError, match="redirect_mismatch"):
        cognito_mock.authorization_code(
            CLIENT_URL, "ada", PASSWORD, redirect_uri="https://app.example.com/callback"
        )
    cognito_mock.serve_client_metadata(
        "https://agent.example.com/oauth/other.json",
        document("https://agent.example.com/oauth/other.json", grant_types=["refresh_token"]),
    )
    with pytest.raises(HostedSignInError, match="unauthorized_client"):
        sign_in(cognito_mock, "https://agent.example.com/oauth/other.json")
    # A document naming another URL as its client_id is no registration; neither is a URL no
    # pattern matches (the wildcard keeps to one path segment).
    for url in ("https://agent.example.com/oauth/bad.json", "https://agent.example.com/oauth/a/b"):
        cognito_mock.serve_client_metadata(url, document(CLIENT_URL))
        with pytest.raises(HostedSignInError) as raised:
            sign_in(cognito_mock, url)
        assert raised.value.code == "invalid_request"


def test_retrieved_documents_are_cached_listed_refreshed_and_invalidated(
    cognito_idp, cognito_mock, pool_id, client_id
):
    make_user(cognito_idp, pool_id, "ada")
    policy_id = create(cognito_idp, pool_id, client_id, CacheDuration=2 * DAY)["CIMDPolicyId"]
    listing = {"UserPoolId": pool_id, "CIMDPolicyId": policy_id}
    assert cognito_idp.list_client_metadata_urls(**listing)["ClientMetadataURLs"] == []
    state = {"UserPoolId": pool_id, "CIMDPolicyId": policy_id, "URL": CLIENT_URL}
    refused(
        cognito_idp.update_client_metadata_url_state,
        "CachedCIMDURLDoesNotExistException",
        f"There is no cached client metadata document for {CLIENT_URL} in CIMD policy {policy_id}.",
        Action="REFRESH",
        **state,
    )
    cognito_mock.serve_client_metadata(CLIENT_URL, document())
    with freeze_time("2027-01-01 00:00:00") as frozen:
        sign_in(cognito_mock)
        (entry,) = cognito_idp.list_client_metadata_urls(**listing)["ClientMetadataURLs"]
        assert entry["URL"] == CLIENT_URL
        assert entry["ExpirationDate"] - entry["CachedDate"] == timedelta(days=2)

        # The cached document is used while it lasts: a changed document is not seen...
        cognito_mock.serve_client_metadata(
            CLIENT_URL, document(redirect_uris=["https://x.example.com/cb"])
        )
        sign_in(cognito_mock)
        # ...until a REFRESH, which retrieves it again (with its own max-age this time).
        frozen.tick(3600)
        cognito_mock.serve_client_metadata(CLIENT_URL, document(), max_age=10 * DAY)
        cognito_idp.update_client_metadata_url_state(Action="REFRESH", **state)
        (entry,) = cognito_idp.list_client_metadata_urls(**listing)["ClientMetadataURLs"]
        assert entry["ExpirationDate"] - entry["CachedDate"] == timedelta(days=10)

        cognito_idp.update_client_metadata_url_state(Action="INVALIDATE", **state)
        assert cognito_idp.list_client_metadata_urls(**listing)["ClientMetadataURLs"] == [
            {"URL": CLIENT_URL}
        ]
        refused(
            cognito_idp.update_client_metadata_url_state,
            "CachedCIMDURLDoesNotExistException",
            f"There is no cached client metadata document for {CLIENT_URL} in CIMD policy "
            f"{policy_id}.",
            Action="INVALIDATE",
            **state,
        )
        # Retrieved again on the next sign-in; a URL no longer served then refuses REFRESH.
        sign_in(cognito_mock)
        cognito_mock.serve_client_metadata(CLIENT_URL, None)
        refused(
            cognito_idp.update_client_metadata_url_state,
            "InvalidParameterException",
            f"Amazon Cognito couldn't retrieve a valid client metadata document from {CLIENT_URL}.",
            Action="REFRESH",
            **state,
        )
        assert cognito_idp.list_client_metadata_urls(**listing)["ClientMetadataURLs"] == [
            {"URL": CLIENT_URL}
        ]


def test_an_expired_document_is_retrieved_again(cognito_idp, cognito_mock, pool_id, client_id):
    make_user(cognito_idp, pool_id, "ada")
    create(cognito_idp, pool_id, client_id)
    cognito_mock.serve_client_metadata(CLIENT_URL, document())
    with freeze_time("2027-01-01 00:00:00") as frozen:
        sign_in(cognito_mock)
        cognito_mock.serve_client_metadata(CLIENT_URL, None)
        frozen.tick(DAY - 1)
        sign_in(cognito_mock)  # still cached
        frozen.tick(1)
        with pytest.raises(HostedSignInError) as raised:
            sign_in(cognito_mock)
        assert raised.value.code == "invalid_request"


def test_a_refused_cimd_client_is_sent_to_its_own_redirect_uri_only(
    cognito_idp, cognito_mock, pool_id, client_id
):
    """The redirect URI is checked against the document before the grant types: a document
    without the code grant is refused at its own redirect URI, any other on the error page."""
    create(cognito_idp, pool_id, client_id)
    cognito_mock.serve_client_metadata(CLIENT_URL, document(grant_types=["refresh_token"]))
    authorize = f"https://{DOMAIN}.auth.us-east-1.amazoncognito.com/oauth2/authorize"
    error_page = f"https://{DOMAIN}.auth.us-east-1.amazoncognito.com/error"
    asked = {"client_id": CLIENT_URL, "response_type": "code"}
    for redirect_uri in ({}, {"redirect_uri": "https://elsewhere.example.com/cb"}):
        answer = requests.get(
            authorize, params={**asked, **redirect_uri}, allow_redirects=False, timeout=10
        )
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith(f"{error_page}?error=redirect_mismatch&")
    answer = requests.get(
        authorize, params={**asked, "redirect_uri": CALLBACK}, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"{CALLBACK}?error=unauthorized_client"
