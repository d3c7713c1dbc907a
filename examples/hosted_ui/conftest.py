"""The infrastructure the examples expect, made as the team's deployment code would make it:
a pool with a domain, a web client for the hosted UI, an M2M client and its resource server."""

from __future__ import annotations

import pytest

from hosted_ui.orders_api import RESOURCE
from hosted_ui.webapp import CognitoSettings

DOMAIN_URL = "https://shop.auth.us-east-1.amazoncognito.com"
PASSWORD = "Corr3ct-horse-battery!"


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="shop")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="shop")
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    return pool_id


def web_settings(cognito_idp, pool_id: str, app_url: str, domain_url: str) -> CognitoSettings:
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="shop-web",
        GenerateSecret=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[f"{app_url}/callback"],
        LogoutURLs=[f"{app_url}/"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    return CognitoSettings(
        domain_url=domain_url,
        region="us-east-1",
        user_pool_id=pool_id,
        client_id=client["ClientId"],
        client_secret=client["ClientSecret"],
        redirect_uri=f"{app_url}/callback",
        signed_out_uri=f"{app_url}/",
    )


@pytest.fixture
def machine_client(cognito_idp, pool_id) -> tuple[str, str]:
    cognito_idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier=RESOURCE,
        Name="Orders",
        Scopes=[{"ScopeName": "orders.read", "ScopeDescription": "Read orders"}],
    )
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="billing",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{RESOURCE}/orders.read"],
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    return client["ClientId"], client["ClientSecret"]
