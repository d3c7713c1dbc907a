"""A pool with a domain, a resource server, and app clients for each OAuth 2.0 flow."""

from __future__ import annotations

import pytest
from support.hosted import API, CALLBACK, DOMAIN, PASSWORD, SIGNED_OUT, Client, HostedPool


@pytest.fixture
def hosted(cognito_idp) -> HostedPool:
    pool_id = cognito_idp.create_user_pool(PoolName="hosted")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    cognito_idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier=API,
        Name="Things",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "Read"},
            {"ScopeName": "write", "ScopeDescription": "Write"},
        ],
    )
    machine = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="machine",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read", f"{API}/write"],
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    web = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        GenerateSecret=True,
        AllowedOAuthFlows=["code", "implicit"],
        AllowedOAuthScopes=["openid", "email", "profile", f"{API}/read"],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[CALLBACK, "http://localhost:8000/cb"],
        LogoutURLs=[SIGNED_OUT],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    spa = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="spa",
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[
            {"Name": "email", "Value": "ada@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": "Ada Lovelace"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    return HostedPool(
        pool_id,
        Client(machine["ClientId"], machine["ClientSecret"]),
        Client(web["ClientId"], web["ClientSecret"]),
        Client(spa["ClientId"], None),
    )
