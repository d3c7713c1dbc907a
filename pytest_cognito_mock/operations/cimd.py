"""CreateCIMDPolicy, DescribeCIMDPolicy, UpdateCIMDPolicy, DeleteCIMDPolicy, ListCIMDPolicies,
ListClientMetadataURLs, UpdateClientMetadataURLState."""

from __future__ import annotations

from ..backend import cimd, pagination
from ..backend.cimd import CIMDPolicy
from ..backend.models import UserPool
from ._registry import Params, RequestContext, Response, operation
from ._shapes import listing, timestamp

#: A listing's page when MaxResults is not given: the model's ceiling.
DEFAULT_PAGE = 60


def _summary(pool: UserPool, policy: CIMDPolicy) -> Response:
    """CIMDPolicySummaryType; ClientId is left out once the app client is gone, as AWS does."""
    shape: Response = {"CIMDPolicyId": policy.policy_id}
    client_id = cimd.client_of(pool, policy)
    if client_id is not None:
        shape["ClientId"] = client_id
    shape.update(
        PolicyName=policy.name,
        CacheDuration=policy.cache_duration,
        CreationDate=timestamp(policy.created),
        LastModifiedDate=timestamp(policy.modified),
    )
    return shape


def policy_shape(pool: UserPool, policy: CIMDPolicy) -> Response:
    """CIMDPolicyType: the summary with the pool and the URL patterns."""
    return {"UserPoolId": pool.id, **_summary(pool, policy), "URLPatterns": policy.url_patterns}


@operation("CreateCIMDPolicy")
def create_cimd_policy(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    policy = cimd.create_policy(
        pool,
        params["ClientId"],
        params["PolicyName"],
        params["URLPatterns"],
        params.get("CacheDuration"),
    )
    return {"CIMDPolicy": policy_shape(pool, policy)}


@operation("DescribeCIMDPolicy")
def describe_cimd_policy(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    return {"CIMDPolicy": policy_shape(pool, cimd.describe_policy(pool, params["CIMDPolicyId"]))}


@operation("UpdateCIMDPolicy")
def update_cimd_policy(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    policy = cimd.update_policy(
        pool,
        params["CIMDPolicyId"],
        params["ClientId"],
        params["URLPatterns"],
        params.get("PolicyName"),
        params.get("CacheDuration"),
    )
    return {"CIMDPolicy": policy_shape(pool, policy)}


@operation("DeleteCIMDPolicy")
def delete_cimd_policy(ctx: RequestContext, params: Params) -> Response:
    cimd.delete_policy(ctx.pool(params), params["CIMDPolicyId"])
    return {}


@operation("ListCIMDPolicies")
def list_cimd_policies(ctx: RequestContext, params: Params) -> Response:
    """Every CIMD policy of the pool, oldest first."""
    pool = ctx.pool(params)
    page, next_token = pagination.page(
        list(pool.cimd_policies.values()),
        f"ListCIMDPolicies:{pool.id}",
        params.get("MaxResults", DEFAULT_PAGE),
        params.get("NextToken"),
    )
    return listing("CIMDPolicies", [_summary(pool, policy) for policy in page], next_token)


@operation("ListClientMetadataURLs")
def list_client_metadata_urls(ctx: RequestContext, params: Params) -> Response:
    """The URLs the policy received, in the order first received; the dates while cached."""
    pool = ctx.pool(params)
    policy = cimd.describe_policy(pool, params["CIMDPolicyId"])
    page, next_token = pagination.page(
        list(policy.urls.values()),
        f"ListClientMetadataURLs:{pool.id}:{policy.policy_id}",
        params.get("MaxResults", DEFAULT_PAGE),
        params.get("NextToken"),
    )
    urls = []
    for entry in page:
        shown: Response = {"URL": entry.url}
        if entry.cached is not None and entry.expires is not None:
            shown.update(
                CachedDate=timestamp(entry.cached), ExpirationDate=timestamp(entry.expires)
            )
        urls.append(shown)
    return listing("ClientMetadataURLs", urls, next_token)


@operation("UpdateClientMetadataURLState")
def update_client_metadata_url_state(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    cimd.update_url_state(
        ctx.backend, pool, params["CIMDPolicyId"], params["URL"], params["Action"]
    )
    return {}
