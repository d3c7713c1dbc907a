"""Sign-in through an external identity provider, with the mock playing that provider.

A test registers users at a provider (:func:`register_external_user`); ``/oauth2/authorize``
with ``identity_provider`` (or ``idp_identifier``) then sends the browser to the provider's
sign-in, played by the domain itself, which answers ``/oauth2/idpresponse`` (OIDC and social
providers) or ``/saml2/idpresponse`` (SAML) as the real provider would. Cognito's side of the
return is real: the federated user is created as Cognito creates it (``<ProviderName>_<subject>``,
``EXTERNAL_PROVIDER``, the ``identities`` attribute, the attribute mapping, ``PreSignUp`` with
``PreSignUp_ExternalProvider``), or is the local user linked to it by AdminLinkProviderForUser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import CognitoBackend, clock, groups, identities, ids, sign_in, trigger_events, users
from .attributes import new_user_attributes
from .authorization import AuthorizeRequest
from .errors import ServiceError
from .identity_providers import IdentityProvider
from .models import User, UserPool
from .oauth import OAuthError
from .user_data_history import before_user_change

#: How long the provider's sign-in may take, and its code may wait (the mock's choice).
FEDERATION_SECONDS = 600
#: The claim each provider type names its users by, for the default ``username`` mapping.
SUBJECT_CLAIMS = {"Facebook": "id", "LoginWithAmazon": "user_id"}
SOCIAL_TYPES = frozenset({"Google", "Facebook", "LoginWithAmazon", "SignInWithApple"})


def provider(pool: UserPool, name: str) -> IdentityProvider | None:
    """The pool's identity provider ``name``, if it has one."""
    return pool.identity_providers.get(name)


def provider_named_by(pool: UserPool, identifier: str) -> str | None:
    """The name of the provider with the IdP identifier ``identifier`` (``idp_identifier``)."""
    for candidate in pool.identity_providers.values():
        if identifier in candidate.idp_identifiers:
            return candidate.name
    return None


@dataclass
class ExternalUser:
    """A user registered at an external provider by a test: its subject and its claims."""

    provider_name: str
    subject: str
    claims: dict[str, str] = field(default_factory=dict)


@dataclass
class PendingFederation:
    """An authorize request waiting for the provider to send the browser back."""

    pool_id: str
    request: AuthorizeRequest
    provider_name: str
    expires: float
    #: Set once the provider signed a user in: the subject, whose code the provider returned.
    subject: str | None = None
    code: str | None = None


def register_external_user(
    backend: CognitoBackend, provider_name: str, subject: str, claims: Mapping[str, str]
) -> ExternalUser:
    user = ExternalUser(provider_name, subject, {str(k): str(v) for k, v in claims.items()})
    backend.external_users[(provider_name, subject)] = user
    return user


def external_users_of(backend: CognitoBackend, provider_name: str) -> list[ExternalUser]:
    return [u for (name, _), u in backend.external_users.items() if name == provider_name]


def start(backend: CognitoBackend, pool: UserPool, request: AuthorizeRequest, provider: str) -> str:
    """Remember ``request`` while the provider signs the user in; the ``state`` naming it."""
    state = ids.random_bytes(18).hex()
    backend.pending_federations[state] = PendingFederation(
        pool.id, request, provider, clock.now() + FEDERATION_SECONDS
    )
    return state


def pending(backend: CognitoBackend, pool: UserPool, state: str | None) -> PendingFederation:
    record = backend.pending_federations.get(state or "")
    if record is None or record.pool_id != pool.id or clock.now() >= record.expires:
        raise OAuthError("invalid_request", "Invalid state")
    return record


def provider_signs_in(backend: CognitoBackend, record: PendingFederation, subject: str) -> str:
    """The provider's side: ``subject`` signed in; the code it sends back to Cognito."""
    if (record.provider_name, subject) not in backend.external_users:
        raise OAuthError("invalid_request", f"{record.provider_name} has no user {subject}")
    record.subject = subject
    record.code = ids.random_bytes(18).hex()
    return record.code


def complete(
    backend: CognitoBackend,
    pool: UserPool,
    provider: IdentityProvider,
    record: PendingFederation,
    code: str | None,
) -> tuple[User, sign_in.IssuedTokens]:
    """Cognito's side of the return: the provider's code is exchanged (the mock's provider
    knows it), the federated user made or updated, the tokens minted."""
    if record.code is None or code != record.code or record.subject is None:
        raise OAuthError("invalid_request", f"{provider.name} Error - 400 error getting token")
    record.code = None  # the provider's code is single-use too
    external = backend.external_users[(provider.name, record.subject)]
    user = federated_user(backend, pool, provider, external, record.request.client.client_id)
    issued = sign_in.issue_tokens(
        backend,
        pool,
        record.request.client,
        user,
        source="TokenGeneration_HostedAuth",
        grant=record.request.grant,
    )
    return user, issued


def federated_user(
    backend: CognitoBackend,
    pool: UserPool,
    provider: IdentityProvider,
    external: ExternalUser,
    client_id: str,
) -> User:
    """The pool's user for ``external``: the user linked to it, else ``<Provider>_<subject>``,
    created on the first sign-in; the mapped attributes are applied every time."""
    linked = identities.linked_user(pool, provider.name, external.subject)
    if linked is not None:
        return linked
    mapped = mapped_attributes(provider, external.claims)
    username = f"{provider.name}_{external.subject}"
    existing = users.find_user(pool, username)
    if existing is not None:
        if not existing.enabled:
            raise OAuthError("invalid_request", "User is disabled.")
        before_user_change(pool, existing)
        existing.attributes = {**existing.attributes, **mapped}
        existing.modified = clock.now()
        return existing
    identities_attribute = json.dumps(
        [
            {
                "userId": external.subject,
                "providerName": provider.name,
                "providerType": provider.provider_type,
                "issuer": provider.issuer,
                "primary": True,
                "dateCreated": int(clock.now() * 1000),
            }
        ],
        separators=(",", ":"),
    )
    trigger_events.run(
        backend,
        pool,
        trigger_events.PRE_SIGN_UP,
        "PreSignUp_ExternalProvider",
        user_name=username,
        client_id=client_id,
        given=trigger_events.EventInput(
            user_attributes={**mapped, "identities": identities_attribute}
        ),
    )
    try:
        attributes = new_user_attributes(pool, list(mapped.items()))
    except ServiceError as refused:
        raise OAuthError("invalid_request", f"Invalid user attributes: {refused.message}") from None
    user = users.add_user(
        pool,
        username,
        {**attributes, "identities": identities_attribute},
        "EXTERNAL_PROVIDER",
        None,
    )
    _join_provider_group(pool, provider, user)
    return user


def mapped_attributes(provider: IdentityProvider, claims: Mapping[str, str]) -> dict[str, str]:
    """The pool attributes the provider's claims give, by the provider's AttributeMapping (pool
    attribute -> provider claim); ``username`` is the subject, not an attribute."""
    return {
        attribute: claims[claim]
        for attribute, claim in provider.attribute_mapping.items()
        if attribute != "username" and claim in claims
    }


def _join_provider_group(pool: UserPool, provider: IdentityProvider, user: User) -> None:
    """Cognito adds federated users to the group ``<poolId>_<ProviderName>``, made on need."""
    name = f"{pool.id}_{provider.name}"
    if groups.group_key(name) not in pool.groups:
        groups.create_group(pool, name)
    groups.add_user_to_group(pool, name, user.username)
