"""CreateIdentityProvider, DescribeIdentityProvider, ListIdentityProviders,
UpdateIdentityProvider, DeleteIdentityProvider, GetIdentityProviderByIdentifier,
GetSigningCertificate, AdminLinkProviderForUser, AdminDisableProviderForUser."""

from __future__ import annotations

from typing import Any

from ..backend import identity_providers, pagination, provider_links
from ..backend.errors import InvalidParameterException
from ..backend.identity_providers import IdentityProvider
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp, without_none

#: ListIdentityProviders' page size when MaxResults is omitted (the model's maximum).
DEFAULT_PAGE_SIZE = 60


def provider_shape(pool_id: str, provider: IdentityProvider) -> Response:
    """IdentityProviderType: AcrMapping only when set; IdpIdentifiers always (``[]``)."""
    return without_none(
        {
            "UserPoolId": pool_id,
            "ProviderName": provider.name,
            "ProviderType": provider.provider_type,
            "ProviderDetails": identity_providers.described_details(provider),
            "AttributeMapping": dict(provider.attribute_mapping),
            "IdpIdentifiers": list(provider.idp_identifiers),
            "AcrMapping": dict(provider.acr_mapping) if provider.acr_mapping is not None else None,
            "LastModifiedDate": timestamp(provider.modified),
            "CreationDate": timestamp(provider.created),
        }
    )


def _description(provider: IdentityProvider) -> Response:
    return {
        "ProviderName": provider.name,
        "ProviderType": provider.provider_type,
        "LastModifiedDate": timestamp(provider.modified),
        "CreationDate": timestamp(provider.created),
    }


@operation("CreateIdentityProvider")
def create_identity_provider(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    provider = identity_providers.create_identity_provider(
        pool,
        params["ProviderName"],
        params["ProviderType"],
        params["ProviderDetails"],
        attribute_mapping=params.get("AttributeMapping"),
        idp_identifiers=params.get("IdpIdentifiers"),
        acr_mapping=params.get("AcrMapping"),
    )
    return {"IdentityProvider": provider_shape(pool.id, provider)}


@operation("DescribeIdentityProvider")
def describe_identity_provider(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    provider = identity_providers.describe_identity_provider(pool, params["ProviderName"])
    return {"IdentityProvider": provider_shape(pool.id, provider)}


@operation("UpdateIdentityProvider")
def update_identity_provider(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    provider = identity_providers.update_identity_provider(
        pool,
        params["ProviderName"],
        details=params.get("ProviderDetails"),
        attribute_mapping=params.get("AttributeMapping"),
        idp_identifiers=params.get("IdpIdentifiers"),
        acr_mapping=params.get("AcrMapping"),
    )
    return {"IdentityProvider": provider_shape(pool.id, provider)}


@operation("DeleteIdentityProvider")
def delete_identity_provider(ctx: RequestContext, params: Params) -> Response:
    identity_providers.delete_identity_provider(ctx.pool(params), params["ProviderName"])
    return {}


@operation("ListIdentityProviders")
def list_identity_providers(ctx: RequestContext, params: Params) -> Response:
    limit = params.get("MaxResults", DEFAULT_PAGE_SIZE)
    if limit == 0:
        # The model allows 0; a page of nothing could never advance, so it is refused as the
        # other listings of the mock refuse it (see docs/fidelity.md).
        raise InvalidParameterException(
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1"
        )
    pool = ctx.pool(params)
    page, next_token = pagination.page(
        identity_providers.list_identity_providers(pool),
        scope=f"identity-providers:{pool.id}",
        limit=int(limit),
        token=params.get("NextToken"),
    )
    return without_none({"Providers": [_description(p) for p in page], "NextToken": next_token})


@operation("GetIdentityProviderByIdentifier")
def get_identity_provider_by_identifier(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    provider = identity_providers.provider_by_identifier(pool, params["IdpIdentifier"])
    return {"IdentityProvider": provider_shape(pool.id, provider)}


@operation("GetSigningCertificate")
def get_signing_certificate(ctx: RequestContext, params: Params) -> Response:
    return {"Certificate": identity_providers.signing_certificate(ctx.pool(params))}


def _provider_user(member: dict[str, Any]) -> provider_links.ProviderUser:
    return provider_links.ProviderUser(
        provider_name=member.get("ProviderName"),
        attribute_name=member.get("ProviderAttributeName"),
        attribute_value=member.get("ProviderAttributeValue"),
    )


@operation("AdminLinkProviderForUser")
def admin_link_provider_for_user(ctx: RequestContext, params: Params) -> Response:
    provider_links.link_provider_for_user(
        ctx.pool(params),
        _provider_user(params["DestinationUser"]),
        _provider_user(params["SourceUser"]),
    )
    return {}


@operation("AdminDisableProviderForUser")
def admin_disable_provider_for_user(ctx: RequestContext, params: Params) -> Response:
    provider_links.disable_provider_for_user(ctx.pool(params), _provider_user(params["User"]))
    return {}
