"""CreateResourceServer, DescribeResourceServer, ListResourceServers, UpdateResourceServer,
DeleteResourceServer."""

from __future__ import annotations

from ..backend import pagination, resource_servers
from ..backend.resource_servers import ResourceServer
from ._registry import Params, RequestContext, Response, operation
from ._shapes import without_none


def _scopes(params: Params) -> list[tuple[str, str]]:
    return [(s["ScopeName"], s["ScopeDescription"]) for s in params.get("Scopes", [])]


def server_shape(pool_id: str, server: ResourceServer) -> Response:
    return {
        "UserPoolId": pool_id,
        "Identifier": server.identifier,
        "Name": server.name,
        "Scopes": [
            {"ScopeName": name, "ScopeDescription": description}
            for name, description in server.scopes
        ],
    }


@operation("CreateResourceServer")
def create_resource_server(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    server = resource_servers.create_resource_server(
        pool, params["Identifier"], params["Name"], _scopes(params)
    )
    return {"ResourceServer": server_shape(pool.id, server)}


@operation("DescribeResourceServer")
def describe_resource_server(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    server = resource_servers.describe_resource_server(pool, params["Identifier"])
    return {"ResourceServer": server_shape(pool.id, server)}


@operation("UpdateResourceServer")
def update_resource_server(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    server = resource_servers.update_resource_server(
        pool, params["Identifier"], params["Name"], _scopes(params)
    )
    return {"ResourceServer": server_shape(pool.id, server)}


@operation("DeleteResourceServer")
def delete_resource_server(ctx: RequestContext, params: Params) -> Response:
    resource_servers.delete_resource_server(ctx.pool(params), params["Identifier"])
    return {}


@operation("ListResourceServers")
def list_resource_servers(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    servers, next_token = pagination.page(
        list(pool.resource_servers.values()),
        scope=f"resource-servers:{pool.id}",
        limit=params.get("MaxResults", 50),  # the mock's choice when omitted: the largest page
        token=params.get("NextToken"),
    )
    return without_none(
        {
            "ResourceServers": [server_shape(pool.id, server) for server in servers],
            "NextToken": next_token,
        }
    )
