"""CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain."""

from __future__ import annotations

from ..backend import domains
from ..backend.domains import Domain
from ._registry import Params, RequestContext, Response, operation
from ._shapes import without_none


def _options(params: Params) -> domains.DomainOptions:
    """What Create and Update both take: the custom domain's certificate, the version, routing."""
    return domains.DomainOptions(
        custom_domain_config=params.get("CustomDomainConfig"),
        managed_login_version=params.get("ManagedLoginVersion"),
        routing=params.get("Routing"),
    )


def _change_answer(domain: Domain, params: Params) -> Response:
    # A prefix domain has no CloudFront distribution of its own to report; the version is
    # echoed when the request set it.
    return without_none(
        {
            "CloudFrontDomain": domain.cloudfront_domain if domain.custom else None,
            "ManagedLoginVersion": (
                domain.managed_login_version if "ManagedLoginVersion" in params else None
            ),
            "Routing": domain.routing if "Routing" in params else None,
        }
    )


def domain_description(domain: Domain) -> Response:
    """DomainDescriptionType, as DescribeUserPoolDomain reports an existing domain."""
    return without_none(
        {
            "UserPoolId": domain.user_pool_id,
            "AWSAccountId": domain.account_id,
            "Domain": domain.name,
            "S3Bucket": domains.asset_bucket(domain.region),
            "CloudFrontDistribution": domain.cloudfront_domain,
            "Version": domain.version,
            "Status": "ACTIVE",
            "CustomDomainConfig": domain.custom_domain_config or {},
            "ManagedLoginVersion": domain.managed_login_version,
            "Routing": domain.routing,
        }
    )


@operation("CreateUserPoolDomain")
def create_user_pool_domain(ctx: RequestContext, params: Params) -> Response:
    domain = domains.create_domain(
        ctx.backend, ctx.pool(params), params["Domain"], _options(params)
    )
    return _change_answer(domain, params)


@operation("DescribeUserPoolDomain")
def describe_user_pool_domain(ctx: RequestContext, params: Params) -> Response:
    domain = domains.describe_domain(ctx.backend, ctx.region, params["Domain"])
    # A domain nobody has is not an error: the description is empty.
    return {"DomainDescription": domain_description(domain) if domain is not None else {}}


@operation("UpdateUserPoolDomain")
def update_user_pool_domain(ctx: RequestContext, params: Params) -> Response:
    domain = domains.update_domain(
        ctx.backend, ctx.pool(params), params["Domain"], _options(params)
    )
    return _change_answer(domain, params)


@operation("DeleteUserPoolDomain")
def delete_user_pool_domain(ctx: RequestContext, params: Params) -> Response:
    domains.delete_domain(ctx.backend, ctx.pool(params), params["Domain"])
    return {}
