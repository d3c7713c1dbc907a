"""AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret."""

from __future__ import annotations

from ..backend import app_clients, client_secrets, published_secrets
from ..backend.models import ClientSecret
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp


def _descriptor(secret: ClientSecret, *, with_value: bool = False) -> Response:
    """ClientSecretDescriptorType. The value is shown once: when Cognito generated it."""
    shape: Response = {"ClientSecretId": secret.secret_id}
    if with_value:
        shape["ClientSecretValue"] = secret.value
    shape["ClientSecretCreateDate"] = timestamp(secret.created)
    return shape


@operation("AddUserPoolClientSecret")
def add_user_pool_client_secret(ctx: RequestContext, params: Params) -> Response:
    client = app_clients.describe_user_pool_client(ctx.pool(params), params["ClientId"])
    secret, generated = client_secrets.add_client_secret(client, params.get("ClientSecret"))
    published_secrets.sync(ctx.backend, client)  # Secrets Manager holds the newest secret
    return {"ClientSecretDescriptor": _descriptor(secret, with_value=generated)}


@operation("ListUserPoolClientSecrets")
def list_user_pool_client_secrets(ctx: RequestContext, params: Params) -> Response:
    # Never a NextToken: a client has at most two secrets, and both fit one page.
    client = app_clients.describe_user_pool_client(ctx.pool(params), params["ClientId"])
    client_secrets.check_secret_operation(client)
    return {"ClientSecrets": [_descriptor(secret) for secret in client.secrets]}


@operation("DeleteUserPoolClientSecret")
def delete_user_pool_client_secret(ctx: RequestContext, params: Params) -> Response:
    client = app_clients.describe_user_pool_client(ctx.pool(params), params["ClientId"])
    client_secrets.delete_client_secret(client, params["ClientSecretId"])
    published_secrets.sync(ctx.backend, client)
    return {}
