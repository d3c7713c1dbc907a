"""Tenant apps and their users, administered through Amazon Cognito user pools.

Ordinary application code, written the way it would be without any test in mind: it talks to
Cognito through boto3 clients it makes itself, one when the module is imported and others on
demand, and it knows nothing about pytest-cognito-mock. The tests next to it show how the
plugin answers those clients anyway.

Each tenant app gets a user pool (users sign in with their email address; only administrators
create accounts) and one backend app client that signs users in server-side.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3

REGION = os.environ.get("AWS_REGION", "us-east-1")

# Made at import time: in a test run, while pytest collects the tests, before any mock starts.
cognito = boto3.client("cognito-idp", region_name=REGION)

#: Server-side password sign-in, and token refresh (Cognito insists on the latter).
AUTH_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

PASSWORD_POLICY = {
    "MinimumLength": 12,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
    "TemporaryPasswordValidityDays": 3,
}

#: What UpdateUserPoolClient accepts, from botocore's own model of the API.
_UPDATABLE_CLIENT_MEMBERS = frozenset(
    cognito.meta.service_model.operation_model("UpdateUserPoolClient").input_shape.members
)


@dataclass(frozen=True)
class App:
    pool_id: str
    client_id: str


def _cognito_in(region: str | None) -> Any:
    """The module's client, or a new client for another region (user pools are regional)."""
    if region is None or region == REGION:
        return cognito
    return boto3.client("cognito-idp", region_name=region)


def create_app(name: str, *, region: str | None = None) -> App:
    """A user pool for tenant app ``name`` and its backend app client."""
    client = _cognito_in(region)
    pool_id = client.create_user_pool(
        PoolName=name,
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        Policies={"PasswordPolicy": PASSWORD_POLICY},
    )["UserPool"]["Id"]
    client_id = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{name}-backend",
        ExplicitAuthFlows=AUTH_FLOWS,
        PreventUserExistenceErrors="ENABLED",
        RefreshTokenValidity=7,
    )["UserPoolClient"]["ClientId"]
    return App(pool_id, client_id)


def rename_client(pool_id: str, client_id: str, new_name: str) -> None:
    """Rename an app client and change nothing else.

    UpdateUserPoolClient is not a patch: every member the request leaves out goes back to its
    default (auth flows, token validity, attribute permissions, ...). So read the current
    configuration and send all of it back with the new name.
    """
    current = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    update = {
        member: value
        for member, value in current["UserPoolClient"].items()
        if member in _UPDATABLE_CLIENT_MEMBERS
    }
    update["ClientName"] = new_name
    cognito.update_user_pool_client(**update)


def invite_user(pool_id: str, email: str) -> str:
    """Create an account for ``email``; Cognito emails a temporary password. Returns the
    username, which in an email sign-in pool is the user's ``sub``, not the email."""
    user = cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    return str(user["Username"])


def set_permanent_password(pool_id: str, email: str, password: str) -> None:
    """For service accounts, which never go through the invitation email."""
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=email, Password=password, Permanent=True
    )


def sign_in(app: App, email: str, password: str) -> dict[str, Any]:
    """Server-side sign-in: the ``AuthenticationResult`` (tokens)."""
    response = cognito.admin_initiate_auth(
        UserPoolId=app.pool_id,
        ClientId=app.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return dict(response["AuthenticationResult"])


def deactivate_user(pool_id: str, email: str) -> None:
    """Lock the account: the user can no longer sign in, and is kept for the records."""
    cognito.admin_disable_user(UserPoolId=pool_id, Username=email)


def _users(pool_id: str, page_size: int) -> Iterator[dict[str, Any]]:
    pages = cognito.get_paginator("list_users").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": page_size}
    )
    for page in pages:
        yield from page["Users"]


def list_active_emails(pool_id: str, *, page_size: int = 60) -> list[str]:
    """Email addresses of the enabled users, sorted; reads every page of ListUsers."""
    emails = []
    for user in _users(pool_id, page_size):
        if user["Enabled"]:
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            emails.append(attributes["email"])
    return sorted(emails)
