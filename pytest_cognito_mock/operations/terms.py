"""CreateTerms, DescribeTerms, DescribeTermsByClient, UpdateTerms, DeleteTerms, ListTerms."""

from __future__ import annotations

from ..backend import pagination
from ..backend import terms as terms_domain
from ..backend.terms import Terms
from ._registry import Params, RequestContext, Response, operation
from ._shapes import listing, timestamp

#: ListTerms' page when MaxResults is not given: the model's ceiling.
DEFAULT_PAGE = 60


def terms_shape(pool_id: str, terms: Terms) -> Response:
    """TermsType: every member is required in the model, so all are always there."""
    return {
        "TermsId": terms.terms_id,
        "UserPoolId": pool_id,
        "ClientId": terms.client_id,
        "TermsName": terms.name,
        "TermsSource": terms.source,
        "Enforcement": terms.enforcement,
        "Links": dict(terms.links),
        "CreationDate": timestamp(terms.created),
        "LastModifiedDate": timestamp(terms.modified),
    }


def _description(terms: Terms) -> Response:
    """TermsDescriptionType, ListTerms' summary."""
    return {
        "TermsId": terms.terms_id,
        "TermsName": terms.name,
        "Enforcement": terms.enforcement,
        "CreationDate": timestamp(terms.created),
        "LastModifiedDate": timestamp(terms.modified),
    }


@operation("CreateTerms")
def create_terms(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    terms = terms_domain.create_terms(
        pool,
        params["ClientId"],
        params["TermsName"],
        source=params["TermsSource"],
        enforcement=params["Enforcement"],
        links=params.get("Links"),
    )
    return {"Terms": terms_shape(pool.id, terms)}


@operation("UpdateTerms")
def update_terms(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    terms = terms_domain.update_terms(
        pool,
        params["TermsId"],
        name=params.get("TermsName"),
        source=params.get("TermsSource"),
        enforcement=params.get("Enforcement"),
        links=params.get("Links"),
    )
    return {"Terms": terms_shape(pool.id, terms)}


@operation("DescribeTerms")
def describe_terms(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    return {"Terms": terms_shape(pool.id, terms_domain.describe_terms(pool, params["TermsId"]))}


@operation("DescribeTermsByClient")
def describe_terms_by_client(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    terms = terms_domain.describe_terms_by_client(pool, params["ClientId"], params["TermsName"])
    return {"Terms": terms_shape(pool.id, terms)}


@operation("DeleteTerms")
def delete_terms(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    terms_domain.delete_terms(pool, params["TermsId"])
    return {}


@operation("ListTerms")
def list_terms(ctx: RequestContext, params: Params) -> Response:
    """Every terms document of the pool, oldest first."""
    pool = ctx.pool(params)
    page, next_token = pagination.page(
        list(pool.terms.values()),
        f"ListTerms:{pool.id}",
        params.get("MaxResults", DEFAULT_PAGE),
        params.get("NextToken"),
    )
    return listing("Terms", [_description(terms) for terms in page], next_token)
