"""Resource servers and the OAuth settings of app clients that use their scopes, through boto3."""

from __future__ import annotations

import pytest
from support.errors import refused

API = "https://api.example.com"
SCOPES = [
    {"ScopeName": "read", "ScopeDescription": "Read things"},
    {"ScopeName": "write", "ScopeDescription": "Write things"},
]


@pytest.fixture
def api(cognito_idp, pool_id) -> str:
    cognito_idp.create_resource_server(
        UserPoolId=pool_id, Identifier=API, Name="Things API", Scopes=SCOPES
    )
    return API


def test_a_resource_server_reads_back_as_created(cognito_idp, cognito_mock, pool_id):
    created = cognito_idp.create_resource_server(
        UserPoolId=pool_id, Identifier=API, Name="Things API", Scopes=SCOPES
    )["ResourceServer"]
    assert created == {
        "UserPoolId": pool_id,
        "Identifier": API,
        "Name": "Things API",
        "Scopes": SCOPES,
    }
    described = cognito_mock.client().describe_resource_server(UserPoolId=pool_id, Identifier=API)
    assert described["ResourceServer"] == created


def test_a_resource_server_without_scopes_has_an_empty_list(cognito_idp, pool_id):
    created = cognito_idp.create_resource_server(UserPoolId=pool_id, Identifier="bare", Name="Bare")
    assert created["ResourceServer"]["Scopes"] == []


def test_an_identifier_is_taken_once_per_pool(cognito_idp, pool_id, api):
    refused(
        cognito_idp.create_resource_server,
        "InvalidParameterException",
        f"{API} already exists in user pool {pool_id}.",
        UserPoolId=pool_id,
        Identifier=API,
        Name="Again",
    )
    other = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    cognito_idp.create_resource_server(UserPoolId=other, Identifier=API, Name="Same id elsewhere")


def test_duplicate_scope_names_are_refused(cognito_idp, pool_id):
    refused(
        cognito_idp.create_resource_server,
        "InvalidParameterException",
        "Duplicate scope name read in the request.",
        UserPoolId=pool_id,
        Identifier="dup",
        Name="Dup",
        Scopes=[SCOPES[0], SCOPES[0]],
    )
    assert (
        cognito_idp.list_resource_servers(UserPoolId=pool_id, MaxResults=50)["ResourceServers"]
        == []
    )


def test_a_scope_name_with_a_slash_breaks_the_model_pattern(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.create_resource_server(
            UserPoolId=pool_id,
            Identifier="x",
            Name="X",
            Scopes=[{"ScopeName": "a/b", "ScopeDescription": "d"}],
        )
    assert "at 'scopes.1.member.scopeName' failed to satisfy constraint" in str(raised.value)


def test_update_replaces_name_and_scopes(cognito_idp, pool_id, api):
    updated = cognito_idp.update_resource_server(
        UserPoolId=pool_id, Identifier=api, Name="Renamed", Scopes=SCOPES[:1]
    )["ResourceServer"]
    assert (updated["Name"], updated["Scopes"]) == ("Renamed", SCOPES[:1])
    cleared = cognito_idp.update_resource_server(UserPoolId=pool_id, Identifier=api, Name="R")
    assert cleared["ResourceServer"]["Scopes"] == []


@pytest.mark.parametrize("operation", ["describe_resource_server", "delete_resource_server"])
def test_an_unknown_identifier_is_not_found(cognito_idp, pool_id, operation):
    refused(
        getattr(cognito_idp, operation),
        "ResourceNotFoundException",
        "Resource server nope does not exist.",
        UserPoolId=pool_id,
        Identifier="nope",
    )


def test_listing_pages_through_every_server(cognito_idp, pool_id):
    for index in range(5):
        cognito_idp.create_resource_server(UserPoolId=pool_id, Identifier=f"api-{index}", Name="A")
    seen, token = [], None
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = cognito_idp.list_resource_servers(UserPoolId=pool_id, MaxResults=2, **kwargs)
        assert len(page["ResourceServers"]) <= 2
        seen += [server["Identifier"] for server in page["ResourceServers"]]
        token = page.get("NextToken")
        if token is None:
            break
    assert seen == [f"api-{index}" for index in range(5)]


def test_the_26th_resource_server_exceeds_the_quota(cognito_idp, pool_id):
    for index in range(25):
        cognito_idp.create_resource_server(UserPoolId=pool_id, Identifier=f"s{index}", Name="S")
    refused(
        cognito_idp.create_resource_server,
        "LimitExceededException",
        "The user pool has reached its quota of 25 resource servers.",
        UserPoolId=pool_id,
        Identifier="one-more",
        Name="S",
    )


# --- app clients using the scopes ---------------------------------------------------------------


def m2m_client(cognito_idp, pool_id: str, scopes: list[str], **overrides):
    settings = {
        "UserPoolId": pool_id,
        "ClientName": "machine",
        "GenerateSecret": True,
        "AllowedOAuthFlows": ["client_credentials"],
        "AllowedOAuthScopes": scopes,
        "AllowedOAuthFlowsUserPoolClient": True,
        **overrides,
    }
    return cognito_idp.create_user_pool_client(**settings)["UserPoolClient"]


def test_an_m2m_client_takes_the_servers_scopes(cognito_idp, pool_id, api):
    client = m2m_client(cognito_idp, pool_id, [f"{api}/read", f"{api}/write"])
    assert client["AllowedOAuthScopes"] == [f"{api}/read", f"{api}/write"]
    assert client["AllowedOAuthFlows"] == ["client_credentials"]


def test_a_scope_no_server_defines_is_refused(cognito_idp, pool_id, api):
    refused(
        cognito_idp.create_user_pool_client,
        "ScopeDoesNotExistException",
        f"Invalid scope requested: {api}/delete",
        UserPoolId=pool_id,
        ClientName="web",
        AllowedOAuthScopes=["openid", f"{api}/delete", "nonsense"],
    )
    assert cognito_idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"] == []


def test_a_scope_whose_server_was_deleted_cannot_be_given_again(cognito_idp, pool_id, api):
    client = m2m_client(cognito_idp, pool_id, [f"{api}/read"])
    cognito_idp.delete_resource_server(UserPoolId=pool_id, Identifier=api)
    # The client keeps it (inactive); a new client cannot be given it.
    described = cognito_idp.describe_user_pool_client(
        UserPoolId=pool_id, ClientId=client["ClientId"]
    )["UserPoolClient"]
    assert described["AllowedOAuthScopes"] == [f"{api}/read"]
    refused(
        cognito_idp.create_user_pool_client,
        "ScopeDoesNotExistException",
        f"Invalid scope requested: {api}/read",
        UserPoolId=pool_id,
        ClientName="late",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{api}/read"],
        AllowedOAuthFlowsUserPoolClient=True,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {
                "AllowedOAuthFlows": ["client_credentials", "code"],
                "CallbackURLs": ["https://a.b/c"],
            },
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ),
        (
            {"GenerateSecret": False},
            "client_credentials flow can not be selected if client does not have a client secret.",
        ),
        (
            {"AllowedOAuthScopes": ["openid"]},
            "openid is not supported with client_credentials flow",
        ),
    ],
)
def test_m2m_clients_are_refused_as_aws_refuses_them(cognito_idp, pool_id, api, overrides, message):
    settings = {"AllowedOAuthScopes": [f"{api}/read"], **overrides}
    scopes = settings.pop("AllowedOAuthScopes")
    with pytest.raises(cognito_idp.exceptions.InvalidOAuthFlowException) as raised:
        m2m_client(cognito_idp, pool_id, scopes, **settings)
    assert raised.value.response["Error"]["Message"] == message


def code_client(cognito_idp, pool_id: str, **overrides):
    settings = {
        "UserPoolId": pool_id,
        "ClientName": "web",
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "CallbackURLs": ["https://app.example.com/callback"],
        "SupportedIdentityProviders": ["COGNITO"],
        **overrides,
    }
    return cognito_idp.create_user_pool_client(**settings)["UserPoolClient"]


def test_a_code_client_needs_callback_urls(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidOAuthFlowException) as raised:
        code_client(cognito_idp, pool_id, CallbackURLs=[])
    assert raised.value.response["Error"]["Message"] == (
        "CallbackUrls can not be empty when code flow or implicit flow is selected"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/cb",
        "http://localhost:3000/cb",
        "http://127.0.0.1:8080/",
        "http://[::1]:9000/cb",
        "myapp://callback",
    ],
)
def test_callback_urls_aws_accepts(cognito_idp, pool_id, url):
    assert code_client(cognito_idp, pool_id, CallbackURLs=[url])["CallbackURLs"] == [url]


@pytest.mark.parametrize(
    "url", ["http://app.example.com/cb", "https://app.example.com/cb#frag", "/relative", "https://"]
)
def test_callback_urls_aws_refuses(cognito_idp, pool_id, url):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        code_client(cognito_idp, pool_id, CallbackURLs=[url])
    assert raised.value.response["Error"]["Message"] == (
        f"{url} is not a valid CallbackURL: a CallbackURL must be an absolute URI without a "
        "fragment, using HTTPS unless its host is localhost, 127.0.0.1 or [::1]."
    )


def test_logout_urls_follow_the_same_rules(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        code_client(cognito_idp, pool_id, LogoutURLs=["http://example.com/bye"])
    assert "is not a valid LogoutURL" in raised.value.response["Error"]["Message"]


def test_update_checks_scopes_against_the_servers_too(cognito_idp, pool_id, api):
    client = code_client(cognito_idp, pool_id)
    refused(
        cognito_idp.update_user_pool_client,
        "ScopeDoesNotExistException",
        f"Invalid scope requested: {api}/admin",
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        AllowedOAuthScopes=[f"{api}/admin"],
    )
    updated = cognito_idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", f"{api}/read"],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=["https://app.example.com/callback"],
    )["UserPoolClient"]
    assert updated["AllowedOAuthScopes"] == ["openid", f"{api}/read"]


def test_supported_identity_providers_must_exist(cognito_idp, pool_id):
    refused(
        cognito_idp.create_user_pool_client,
        "InvalidParameterException",
        f"The provider Okta does not exist for User Pool {pool_id}",
        UserPoolId=pool_id,
        ClientName="web",
        SupportedIdentityProviders=["COGNITO", "Okta"],
    )
    cognito_idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Okta",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": "c",
            "client_secret": "s",
            "attributes_request_method": "GET",
            "oidc_issuer": "https://okta.example.com",
            "authorize_scopes": "openid",
        },
    )
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", SupportedIdentityProviders=["COGNITO", "Okta"]
    )["UserPoolClient"]
    assert client["SupportedIdentityProviders"] == ["COGNITO", "Okta"]
