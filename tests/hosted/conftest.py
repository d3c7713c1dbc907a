"""A pool with a domain, a resource server, and app clients for each OAuth 2.0 flow."""

from __future__ import annotations

import pytest
from support.hosted import (
    API,
    CALLBACK,
    DOMAIN,
    PASSWORD,
    SIGNED_OUT,
    Client,
    HostedPool,
    add_resource_server,
    machine_client,
)


@pytest.fixture
def hosted(cognito_idp) -> HostedPool:
    pool_id = cognito_idp.create_user_pool(PoolName="hosted")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    add_resource_server(cognito_idp, pool_id)
    machine = machine_client(cognito_idp, pool_id, [f"{API}/read", f"{API}/write"])
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
        machine,
        Client(web["ClientId"], web["ClientSecret"]),
        Client(spa["ClientId"], None),
    )
