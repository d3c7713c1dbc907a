"""CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AdminAddUserToGroup,
AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup."""

from __future__ import annotations

from ..backend import groups, pagination
from ..backend.errors import InvalidParameterException
from ..backend.models import Group
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp, without_none
from .users import user_type

# Page sizes when the request has no Limit. ListGroups answers 25 groups a page without one;
# the other two are the mock's choice (see docs/fidelity.md).
_DEFAULT_LIMITS = {
    "ListGroups": 25,
    "AdminListGroupsForUser": 25,
    "ListUsersInGroup": 60,
}


def group_shape(group: Group) -> Response:
    """GroupType: Description, RoleArn and Precedence appear only when set."""
    return without_none(
        {
            "GroupName": group.name,
            "UserPoolId": group.user_pool_id,
            "Description": group.description,
            "RoleArn": group.role_arn,
            "Precedence": group.precedence,
            "LastModifiedDate": timestamp(group.modified),
            "CreationDate": timestamp(group.created),
        }
    )


def _page_size(operation_name: str, params: Params) -> int:
    limit = params.get("Limit")
    if limit is None:
        return _DEFAULT_LIMITS[operation_name]
    if limit == 0:
        # The model allows 0, but the service refuses it under an internal member name.
        raise InvalidParameterException(
            "1 validation error detected: Value '0' at 'maxItems' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1"
        )
    return int(limit)


@operation("CreateGroup")
def create_group(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    group = groups.create_group(
        pool,
        params["GroupName"],
        description=params.get("Description"),
        role_arn=params.get("RoleArn"),
        precedence=params.get("Precedence"),
    )
    return {"Group": group_shape(group)}


@operation("GetGroup")
def get_group(ctx: RequestContext, params: Params) -> Response:
    return {"Group": group_shape(groups.get_group(ctx.pool(params), params["GroupName"]))}


@operation("UpdateGroup")
def update_group(ctx: RequestContext, params: Params) -> Response:
    group = groups.update_group(
        ctx.pool(params),
        params["GroupName"],
        description=params.get("Description"),
        role_arn=params.get("RoleArn"),
        precedence=params.get("Precedence"),
    )
    return {"Group": group_shape(group)}


@operation("DeleteGroup")
def delete_group(ctx: RequestContext, params: Params) -> Response:
    groups.delete_group(ctx.pool(params), params["GroupName"])
    return {}


@operation("ListGroups")
def list_groups(ctx: RequestContext, params: Params) -> Response:
    limit = _page_size("ListGroups", params)
    pool = ctx.pool(params)
    page, next_token = pagination.page(
        groups.list_groups(pool),
        scope=f"groups:{pool.id}",
        limit=limit,
        token=params.get("NextToken"),
    )
    return without_none({"Groups": [group_shape(g) for g in page], "NextToken": next_token})


@operation("AdminAddUserToGroup")
def admin_add_user_to_group(ctx: RequestContext, params: Params) -> Response:
    groups.add_user_to_group(ctx.pool(params), params["GroupName"], params["Username"])
    return {}


@operation("AdminRemoveUserFromGroup")
def admin_remove_user_from_group(ctx: RequestContext, params: Params) -> Response:
    groups.remove_user_from_group(ctx.pool(params), params["GroupName"], params["Username"])
    return {}


@operation("AdminListGroupsForUser")
def admin_list_groups_for_user(ctx: RequestContext, params: Params) -> Response:
    limit = _page_size("AdminListGroupsForUser", params)
    pool = ctx.pool(params)
    member_of = groups.groups_of_user(pool, params["Username"])
    page, next_token = pagination.page(
        member_of,
        scope=f"user-groups:{pool.id}:{pool.user_key(params['Username'])}",
        limit=limit,
        token=params.get("NextToken"),
    )
    return without_none({"Groups": [group_shape(g) for g in page], "NextToken": next_token})


@operation("ListUsersInGroup")
def list_users_in_group(ctx: RequestContext, params: Params) -> Response:
    limit = _page_size("ListUsersInGroup", params)
    pool = ctx.pool(params)
    members = groups.users_in_group(pool, params["GroupName"])
    page, next_token = pagination.page(
        members,
        scope=f"group-users:{pool.id}:{groups.group_key(params['GroupName'])}",
        limit=limit,
        token=params.get("NextToken"),
    )
    return without_none({"Users": [user_type(u) for u in page], "NextToken": next_token})
