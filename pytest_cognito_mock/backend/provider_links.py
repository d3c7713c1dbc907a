"""AdminLinkProviderForUser and AdminDisableProviderForUser: a federated identity linked to an
existing user, so that signing in with the provider signs in as that user, and undone again.

The link itself is kept by :mod:`identities` (the ``identities`` attribute and the index
``pool.provider_links``); this module decides which requests may make or undo one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidParameterException, LimitExceededException, UserNotFoundException
from .identities import add_link, identities_of, linked_identity, linked_user, remove_link
from .identity_providers import SOCIAL_TYPES, IdentityProvider
from .models import User, UserPool
from .user_data_history import before_user_change
from .users import USER_NOT_FOUND, get_user

#: How many federated identities one user may carry (AWS's documented limit).
MAX_IDENTITIES_PER_USER = 5
#: The ProviderAttributeName that stands for the IdP's own subject (and, for ProviderName
#: ``Cognito``, for the user name).
COGNITO_SUBJECT = "Cognito_Subject"

NATIVE_SOURCE = (
    "Invalid SourceUser: Cognito users with a username/password may not be passed in as a "
    "SourceUser, only as a DestinationUser"
)
ALREADY_SIGNED_UP = (
    "Merging is not currently supported, provide a SourceUser that has not been signed up in "
    "order to link"
)
ALREADY_LINKED = (
    "Merging is not currently supported, provide a SourceUser that has not been linked yet"
)


class ProviderFeatureNotImplementedError(NotImplementedError):
    """A documented variant of these operations the mock does not implement (raised in
    Python, never retried)."""


@dataclass(frozen=True)
class ProviderUser:
    """A ProviderUserIdentifierType as the request gave it (any member may be missing)."""

    provider_name: str | None
    attribute_name: str | None
    attribute_value: str | None


def link_provider_for_user(pool: UserPool, destination: ProviderUser, source: ProviderUser) -> None:
    """AdminLinkProviderForUser: checks the source, then the destination, then links.

    Linking an identity again to the user it is linked to changes nothing.
    """
    provider, user_id = _source(pool, source)
    user = _destination(pool, destination)
    federated = pool.users.get(pool.user_key(f"{provider.name}_{user_id}"))
    if source.attribute_name == COGNITO_SUBJECT and federated is not None:
        raise InvalidParameterException(ALREADY_SIGNED_UP)
    current = linked_user(pool, provider.name, user_id)
    if current is user:
        return
    if current is not None:
        raise InvalidParameterException(ALREADY_LINKED)
    if len(identities_of(user)) >= MAX_IDENTITIES_PER_USER:
        raise LimitExceededException(
            f"A user can be linked to at most {MAX_IDENTITIES_PER_USER} federated identities."
        )
    identity = linked_identity(provider.name, provider.provider_type, provider.issuer, user_id)
    add_link(pool, user, provider.name, identity)


def disable_provider_for_user(pool: UserPool, identity: ProviderUser) -> None:
    """AdminDisableProviderForUser: a linked identity is unlinked (its next sign-in makes a new
    user); a federated user of its own is disabled."""
    if _is_cognito(identity.provider_name):
        get_user(pool, identity.attribute_value or "")
        raise ProviderFeatureNotImplementedError(
            "pytest-cognito-mock does not implement AdminDisableProviderForUser for "
            "ProviderName Cognito (turning off a user's password sign-in) yet."
        )
    provider, user_id = _identity(pool, identity, "User")
    if remove_link(pool, provider.name, user_id):
        return
    federated = pool.users.get(pool.user_key(f"{provider.name}_{user_id}"))
    if federated is None:
        raise UserNotFoundException(USER_NOT_FOUND)
    before_user_change(pool, federated)
    federated.enabled = False


def _source(pool: UserPool, source: ProviderUser) -> tuple[IdentityProvider, str]:
    if _is_cognito(source.provider_name):
        raise InvalidParameterException(NATIVE_SOURCE)
    return _identity(pool, source, "SourceUser")


def _identity(pool: UserPool, given: ProviderUser, member: str) -> tuple[IdentityProvider, str]:
    """The provider and the IdP-side user id a federated ProviderUser names."""
    if not (given.provider_name and given.attribute_name and given.attribute_value):
        raise InvalidParameterException(
            f"Invalid {member}: ProviderName, ProviderAttributeName and ProviderAttributeValue "
            "are all required."
        )
    provider = pool.identity_providers.get(given.provider_name)
    if provider is None:
        raise InvalidParameterException(
            f"The provider {given.provider_name} does not exist for User Pool {pool.id}"
        )
    # Social providers only identify users by their subject; OIDC and SAML providers may also
    # be linked through a mapped attribute (AWS documents that for SAML).
    if provider.provider_type in SOCIAL_TYPES and given.attribute_name != COGNITO_SUBJECT:
        raise InvalidParameterException(
            f"Invalid {member}: ProviderAttributeName must be {COGNITO_SUBJECT} for a "
            f"{provider.provider_type} provider."
        )
    return provider, given.attribute_value


def _destination(pool: UserPool, destination: ProviderUser) -> User:
    """The existing user a link goes to: a local user by user name, or a federated user by the
    provider's user id. Its ProviderAttributeName is not looked at, as AWS documents."""
    name, value = destination.provider_name, destination.attribute_value
    if not name or not value:
        raise InvalidParameterException(
            "Invalid DestinationUser: ProviderName and ProviderAttributeValue are both required."
        )
    if _is_cognito(name):
        return get_user(pool, value)
    user = pool.users.get(pool.user_key(f"{name}_{value}"))
    if user is None:
        raise UserNotFoundException(USER_NOT_FOUND)
    return user


def _is_cognito(provider_name: str | None) -> bool:
    # AWS's examples write "Cognito"; the upper-case spelling app clients use is accepted too.
    return provider_name is not None and provider_name.lower() == "cognito"
