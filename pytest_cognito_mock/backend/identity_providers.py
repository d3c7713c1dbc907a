"""Identity providers of a user pool (SAML, OIDC and the social ones), and the pool's SAML
signing certificate.

A provider is stored in ``pool.identity_providers`` under its name, which is case sensitive.
Cognito completes the ``ProviderDetails`` it is given: the fixed endpoints of each social
provider, the endpoints of an OIDC issuer, the endpoints read from SAML metadata. The mock does
the same, without any network access (see docs/fidelity.md for what it assumes instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import certificates, clock, identities, saml_metadata
from .errors import (
    DuplicateProviderException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from .models import UserPool

#: AWS's quota of identity providers per user pool.
MAX_PROVIDERS = 300
#: The name app clients use for the pool's own users (not an identity provider).
COGNITO = "COGNITO"

SOCIAL_TYPES = frozenset({"Google", "Facebook", "LoginWithAmazon", "SignInWithApple"})

#: Keys each type must have in ProviderDetails (non-empty).
REQUIRED_DETAILS: dict[str, tuple[str, ...]] = {
    "Google": ("client_id", "client_secret", "authorize_scopes"),
    "Facebook": ("client_id", "client_secret", "authorize_scopes"),
    "LoginWithAmazon": ("client_id", "client_secret", "authorize_scopes"),
    "SignInWithApple": ("client_id", "team_id", "key_id", "private_key", "authorize_scopes"),
    "OIDC": (
        "client_id",
        "client_secret",
        "attributes_request_method",
        "oidc_issuer",
        "authorize_scopes",
    ),
}

#: The IdP claim Cognito maps ``username`` to when the request maps no ``username``.
SUBJECT_CLAIMS = {
    "OIDC": "sub",
    "Google": "sub",
    "SignInWithApple": "sub",
    "Facebook": "id",
    "LoginWithAmazon": "user_id",
}

#: The fixed details Cognito adds for each social provider (Facebook's depend on its API
#: version, see :func:`_facebook_details`).
SOCIAL_DETAILS: dict[str, dict[str, str]] = {
    "Google": {
        "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oidc_issuer": "https://accounts.google.com",
        "token_request_method": "POST",
        "token_url": "https://www.googleapis.com/oauth2/v4/token",
    },
    "LoginWithAmazon": {
        "attributes_url": "https://api.amazon.com/user/profile",
        "attributes_url_add_attributes": "false",
        "authorize_url": "https://www.amazon.com/ap/oa",
        "token_request_method": "POST",
        "token_url": "https://api.amazon.com/auth/o2/token",
    },
    "SignInWithApple": {
        "attributes_url_add_attributes": "false",
        "authorize_url": "https://appleid.apple.com/auth/authorize",
        "oidc_issuer": "https://appleid.apple.com",
        "token_request_method": "POST",
        "token_url": "https://appleid.apple.com/auth/token",
    },
}
#: Facebook's Graph API version when the request names none (the mock's choice).
DEFAULT_FACEBOOK_API_VERSION = "v17.0"

#: Where an OIDC provider's endpoints are assumed to be when the request gives only the issuer:
#: the mock cannot read the issuer's discovery document, so it uses these paths under it.
OIDC_ENDPOINTS = {
    "authorize_url": "/authorize",
    "token_url": "/token",
    "attributes_url": "/userinfo",
    "jwks_uri": "/.well-known/jwks.json",
}
OIDC_ATTRIBUTES_REQUEST_METHODS = frozenset({"GET", "POST"})

#: Details Cognito computes for SAML providers; given ones are ignored and recomputed.
SAML_COMPUTED_DETAILS = (
    "SSORedirectBindingURI",
    "SLORedirectBindingURI",
    "ActiveEncryptionCertificate",
)
#: Details stored but never answered: Apple's signing key stays with Cognito.
HIDDEN_DETAILS: dict[str, frozenset[str]] = {"SignInWithApple": frozenset({"private_key"})}


@dataclass
class IdentityProvider:
    name: str
    provider_type: str
    #: Everything Describe answers, plus the hidden details (see :func:`described_details`).
    details: dict[str, str]
    attribute_mapping: dict[str, str]
    idp_identifiers: list[str]
    created: float
    modified: float
    acr_mapping: dict[str, str] | None = None
    #: The ``issuer`` of this provider's identities: the OIDC issuer or the SAML entity ID
    #: (None for social providers, and for SAML metadata the mock could not read).
    issuer: str | None = None


def create_identity_provider(
    pool: UserPool,
    name: str,
    provider_type: str,
    details: Mapping[str, str],
    *,
    attribute_mapping: Mapping[str, str] | None = None,
    idp_identifiers: Iterable[str] | None = None,
    acr_mapping: Mapping[str, str] | None = None,
) -> IdentityProvider:
    """CreateIdentityProvider: checks everything before it stores anything."""
    _check_name(name, provider_type)
    if name in pool.identity_providers:
        raise DuplicateProviderException(f"{name} already exists in user pool {pool.id}.")
    completed, issuer = _completed_details(provider_type, details, previous=None)
    identifiers = _checked_identifiers(pool, name, idp_identifiers or ())
    if len(pool.identity_providers) >= MAX_PROVIDERS:
        raise LimitExceededException(
            f"The user pool has reached its quota of {MAX_PROVIDERS} identity providers."
        )
    now = clock.now()
    provider = IdentityProvider(
        name=name,
        provider_type=provider_type,
        details=completed,
        attribute_mapping=_with_default_mapping(provider_type, attribute_mapping or {}),
        idp_identifiers=identifiers,
        created=now,
        modified=now,
        acr_mapping=dict(acr_mapping) if acr_mapping is not None else None,
        issuer=issuer,
    )
    pool.identity_providers[name] = provider
    return provider


def describe_identity_provider(pool: UserPool, name: str) -> IdentityProvider:
    provider = pool.identity_providers.get(name)
    if provider is None:
        raise ResourceNotFoundException(f"Identity provider {name} does not exist.")
    return provider


def list_identity_providers(pool: UserPool) -> list[IdentityProvider]:
    """Every provider, in creation order (the order pages are cut in)."""
    return list(pool.identity_providers.values())


def update_identity_provider(
    pool: UserPool,
    name: str,
    *,
    details: Mapping[str, str] | None = None,
    attribute_mapping: Mapping[str, str] | None = None,
    idp_identifiers: Iterable[str] | None = None,
    acr_mapping: Mapping[str, str] | None = None,
) -> IdentityProvider:
    """UpdateIdentityProvider: what is given replaces what was (``None``: not in the request,
    kept); given details are checked and completed as on creation."""
    provider = describe_identity_provider(pool, name)
    completed, issuer = (
        _completed_details(provider.provider_type, details, previous=provider)
        if details is not None
        else (provider.details, provider.issuer)
    )
    identifiers = (
        _checked_identifiers(pool, name, idp_identifiers)
        if idp_identifiers is not None
        else provider.idp_identifiers
    )
    provider.details, provider.issuer, provider.idp_identifiers = completed, issuer, identifiers
    if attribute_mapping is not None:
        provider.attribute_mapping = _with_default_mapping(
            provider.provider_type, attribute_mapping
        )
    if acr_mapping is not None:
        provider.acr_mapping = dict(acr_mapping)
    provider.modified = clock.now()
    return provider


def delete_identity_provider(pool: UserPool, name: str) -> None:
    """DeleteIdentityProvider: the provider goes, and with it every link to its users (the
    users it signed in stay, as on AWS)."""
    describe_identity_provider(pool, name)
    identities.remove_links_of_provider(pool, name)
    del pool.identity_providers[name]


def provider_by_identifier(pool: UserPool, identifier: str) -> IdentityProvider:
    """GetIdentityProviderByIdentifier (identifiers compare without regard to case)."""
    for provider in pool.identity_providers.values():
        if identifier.lower() in (known.lower() for known in provider.idp_identifiers):
            return provider
    raise ResourceNotFoundException(
        f"Identity provider with identifier {identifier} does not exist."
    )


def described_details(provider: IdentityProvider) -> dict[str, str]:
    """ProviderDetails as Describe answers them: without the hidden details."""
    hidden = HIDDEN_DETAILS.get(provider.provider_type, frozenset())
    return {key: value for key, value in provider.details.items() if key not in hidden}


def unknown_providers(pool: UserPool, names: Iterable[str]) -> list[str]:
    """The names of a client's SupportedIdentityProviders that name nothing in this pool:
    neither ``COGNITO`` nor one of its identity providers. In the order given, once each."""
    unknown: list[str] = []
    for name in names:
        if name != COGNITO and name not in pool.identity_providers and name not in unknown:
            unknown.append(name)
    return unknown


def signing_certificate(pool: UserPool) -> str:
    """GetSigningCertificate: made on the first request, the same for the pool's lifetime."""
    if pool.signing_certificate is None:
        pool.signing_certificate = certificates.self_signed(pool.id)
    return pool.signing_certificate


# -- checks and completion ---------------------------------------------------------------------


def _check_name(name: str, provider_type: str) -> None:
    # A social provider is named after its type, which is how AWS keeps one of each per pool;
    # the mock also keeps those names for their types.
    if (provider_type in SOCIAL_TYPES or name in SOCIAL_TYPES) and name != provider_type:
        raise InvalidParameterException(f"Provider {name} cannot be of type {provider_type}.")


def _completed_details(
    provider_type: str, given: Mapping[str, str], previous: IdentityProvider | None
) -> tuple[dict[str, str], str | None]:
    """The details to store, and the provider's issuer."""
    details = dict(given)
    if previous is not None:
        # Describe never answers hidden details, so an update built from a Describe could never
        # send them back: they are kept when omitted.
        for key in HIDDEN_DETAILS.get(provider_type, frozenset()):
            if key in previous.details and not details.get(key):
                details[key] = previous.details[key]
    if provider_type == "SAML":
        return _saml_details(details, previous)
    _check_required(provider_type, details)
    if provider_type == "OIDC":
        return _oidc_details(details), details["oidc_issuer"]
    if provider_type == "Facebook":
        details.update(
            _facebook_details(details.get("api_version") or DEFAULT_FACEBOOK_API_VERSION)
        )
    else:
        details.update(SOCIAL_DETAILS[provider_type])
    return details, None


def _check_required(provider_type: str, details: Mapping[str, str]) -> None:
    required = REQUIRED_DETAILS[provider_type]
    if any(not details.get(key) for key in required):
        listed = f"{', '.join(required[:-1])} and {required[-1]}"
        raise InvalidParameterException(f"{listed} are all required idp details.")


def _oidc_details(details: dict[str, str]) -> dict[str, str]:
    method = details["attributes_request_method"]
    if method not in OIDC_ATTRIBUTES_REQUEST_METHODS:
        raise InvalidParameterException(
            f"attributes_request_method must be GET or POST, not {method}."
        )
    issuer = details["oidc_issuer"].rstrip("/")
    for key, path in OIDC_ENDPOINTS.items():
        if not details.get(key):
            details[key] = issuer + path
    details["attributes_url_add_attributes"] = "false"
    return details


def _facebook_details(api_version: str) -> dict[str, str]:
    return {
        "api_version": api_version,
        "attributes_url": f"https://graph.facebook.com/{api_version}/me?fields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": f"https://www.facebook.com/{api_version}/dialog/oauth",
        "token_request_method": "GET",
        "token_url": f"https://graph.facebook.com/{api_version}/oauth/access_token",
    }


def _saml_details(
    details: dict[str, str], previous: IdentityProvider | None
) -> tuple[dict[str, str], str | None]:
    for key in SAML_COMPUTED_DETAILS:
        details.pop(key, None)
    url, document = details.get("MetadataURL"), details.get("MetadataFile")
    if not url and not document:
        raise InvalidParameterException(
            "At least one of the MetadataURL or MetadataFile should be provided."
        )
    if url and document:
        raise InvalidParameterException(
            "Only one of the MetadataURL or MetadataFile may be provided."
        )
    issuer = None
    if document:
        metadata = saml_metadata.parse(document)
        issuer = metadata.entity_id
        for key, value in (
            ("SSORedirectBindingURI", metadata.sso_redirect_uri),
            ("SLORedirectBindingURI", metadata.slo_redirect_uri),
        ):
            if value is not None:
                details[key] = value
    if details.get("EncryptedResponses") == "true":
        # Kept across updates: the IdP encrypts to it, so it must not change under it.
        kept = previous.details.get("ActiveEncryptionCertificate") if previous else None
        details["ActiveEncryptionCertificate"] = kept or certificates.self_signed("SAML encryption")
    return details, issuer


def _checked_identifiers(pool: UserPool, name: str, identifiers: Iterable[str]) -> list[str]:
    """The identifiers, refused when one is repeated or names another provider already."""
    taken = {
        known.lower(): other.name
        for other in pool.identity_providers.values()
        if other.name != name
        for known in other.idp_identifiers
    }
    checked: list[str] = []
    for identifier in identifiers:
        owner = taken.get(identifier.lower())
        if owner is not None:
            raise InvalidParameterException(
                f"The IdP identifier {identifier} is already used by the provider {owner}."
            )
        if identifier.lower() in (seen.lower() for seen in checked):
            raise InvalidParameterException(f"The IdP identifier {identifier} is given twice.")
        checked.append(identifier)
    return checked


def _with_default_mapping(provider_type: str, mapping: Mapping[str, str]) -> dict[str, str]:
    # Cognito maps the user name to the IdP's subject unless told otherwise.
    claim = SUBJECT_CLAIMS.get(provider_type)
    mapped = dict(mapping)
    if claim is not None and "username" not in mapped:
        mapped["username"] = claim
    return mapped
