"""CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, ListUserPoolClients,
DeleteUserPoolClient."""

from __future__ import annotations

from typing import Any

from .._validation import model_has_member
from ..backend import app_clients, client_secrets, pagination, published_secrets
from ..backend.models import AppClient, ClientSettings
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp, without_none

# Request member -> ClientSettings field. Create and Update share these members.
_SETTINGS_MEMBERS = {
    "ExplicitAuthFlows": "explicit_auth_flows",
    "RefreshTokenValidity": "refresh_token_validity",
    "AccessTokenValidity": "access_token_validity",
    "IdTokenValidity": "id_token_validity",
    "TokenValidityUnits": "token_validity_units",
    "ReadAttributes": "read_attributes",
    "WriteAttributes": "write_attributes",
    "SupportedIdentityProviders": "supported_identity_providers",
    "CallbackURLs": "callback_urls",
    "LogoutURLs": "logout_urls",
    "DefaultRedirectURI": "default_redirect_uri",
    "AllowedOAuthFlows": "allowed_oauth_flows",
    "AllowedOAuthScopes": "allowed_oauth_scopes",
    "AllowedOAuthFlowsUserPoolClient": "allowed_oauth_flows_user_pool_client",
    "AnalyticsConfiguration": "analytics_configuration",
    "PreventUserExistenceErrors": "prevent_user_existence_errors",
    "EnableTokenRevocation": "enable_token_revocation",
    "EnablePropagateAdditionalUserContextData": "enable_propagate_additional_user_context_data",
    "AuthSessionValidity": "auth_session_validity",
    "RefreshTokenRotation": "refresh_token_rotation",
}


def _settings(params: Params) -> ClientSettings:
    # Lists and maps are copied so the stored client never aliases the caller's request.
    given: dict[str, Any] = {
        field: _copied(params[member])
        for member, field in _SETTINGS_MEMBERS.items()
        if member in params
    }
    return ClientSettings(**given)


def _copied(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    return dict(value) if isinstance(value, dict) else value


def _publish_member(request_shape: str, params: Params) -> bool | None:
    """PublishSecretsInAWSSecretsManager as given (None: omitted), honoured only under a model
    that has it: on an older botocore the mock answers as it always did."""
    member = "PublishSecretsInAWSSecretsManager"
    if member not in params or not model_has_member(request_shape, member):
        return None
    return bool(params[member])


def client_shape(client: AppClient) -> Response:
    """UserPoolClientType: optional members appear only when set (see docs/fidelity.md)."""
    settings = client.settings
    published = client.published_secret
    shape = {
        "UserPoolId": client.user_pool_id,
        "ClientName": client.name,
        "ClientId": client.client_id,
        # A secret kept in Secrets Manager is answered by its ARN, never its value.
        "ClientSecret": client.secret if published is None else None,
        "ClientSecretArn": published.arn if published is not None else None,
        "LastModifiedDate": timestamp(client.modified),
        "CreationDate": timestamp(client.created),
    }
    for member, field in _SETTINGS_MEMBERS.items():
        shape[member] = getattr(settings, field)
    if model_has_member("UserPoolClientType", "ClientType"):
        shape["ClientType"] = client.client_type
    return without_none(shape)


@operation("CreateUserPoolClient")
def create_user_pool_client(ctx: RequestContext, params: Params) -> Response:
    client = app_clients.create_user_pool_client(
        ctx.backend,
        ctx.pool(params),
        params["ClientName"],
        _settings(params),
        generate_secret=params.get("GenerateSecret", False),
        client_secret=params.get("ClientSecret"),
        publish_secret=bool(_publish_member("CreateUserPoolClientRequest", params)),
    )
    return {"UserPoolClient": client_shape(client)}


@operation("DescribeUserPoolClient")
def describe_user_pool_client(ctx: RequestContext, params: Params) -> Response:
    client = app_clients.describe_user_pool_client(ctx.pool(params), params["ClientId"])
    return {"UserPoolClient": client_shape(client)}


@operation("UpdateUserPoolClient")
def update_user_pool_client(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    publish = _publish_member("UpdateUserPoolClientRequest", params)
    if publish:  # publishing is a client secret operation, which a registered client refuses
        client_secrets.check_secret_operation(
            app_clients.describe_user_pool_client(pool, params["ClientId"])
        )
    client = app_clients.update_user_pool_client(
        pool, params["ClientId"], params.get("ClientName"), _settings(params)
    )
    if publish is not None:  # omitted: the secret stays where it is
        published_secrets.set_published(ctx.backend, client, publish)
    return {"UserPoolClient": client_shape(client)}


@operation("DeleteUserPoolClient")
def delete_user_pool_client(ctx: RequestContext, params: Params) -> Response:
    app_clients.delete_user_pool_client(ctx.backend, ctx.pool(params), params["ClientId"])
    return {}


@operation("ListUserPoolClients")
def list_user_pool_clients(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    clients, next_token = pagination.page(
        list(pool.clients.values()),
        scope=f"clients:{pool.id}",
        limit=params.get("MaxResults", 60),
        token=params.get("NextToken"),
    )
    client_type = params.get("ClientType")
    if client_type is not None and model_has_member("ListUserPoolClientsRequest", "ClientType"):
        # The filter applies to each page, as AWS documents: a page may hold fewer clients
        # than MaxResults, or none, and still carry a NextToken.
        clients = [c for c in clients if c.client_type == client_type]
    summaries = [
        {"ClientId": c.client_id, "UserPoolId": c.user_pool_id, "ClientName": c.name}
        for c in clients
    ]
    return without_none({"UserPoolClients": summaries, "NextToken": next_token})
