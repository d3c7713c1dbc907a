"""Client secret rotation: AddUserPoolClientSecret, ListUserPoolClientSecrets,
DeleteUserPoolClientSecret, and the checks of every call that takes a secret.

A confidential app client holds one or two secrets. While it holds two, either one
authenticates it (SECRET_HASH, ClientSecret, the token endpoint), which is what lets an
application move to a new secret with no moment in which its requests fail.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from . import clock, ids
from .errors import (
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
    ServiceError,
    UnauthorizedException,
)
from .models import AppClient, ClientSecret

#: AWS's limit of secrets per app client.
MAX_SECRETS = 2

NO_SECRET = (
    "The app client {client_id} has no client secret: secrets can only be added to a "
    "client created with one."
)
TOO_MANY = "The app client {client_id} already has the maximum of 2 client secrets."
LAST_SECRET = "You cannot delete the last remaining client secret of the app client {client_id}."
UNKNOWN_SECRET = "Client secret {secret_id} does not exist for the app client {client_id}."
#: A client secret operation on a registered (DCR) client: AWS documents the refusal, not its
#: wording (see docs/fidelity.md).
REGISTERED_CLIENT = (
    "The app client {client_id} was created through dynamic client registration and does "
    "not support client secret operations."
)
#: RevokeToken and GetTokensFromRefreshToken for a client with a secret, without ClientSecret.
MISSING_CLIENT_SECRET = "Client {client_id} is configured for secret but secret was not received"
#: RevokeToken and GetTokensFromRefreshToken with a ClientSecret the client does not hold.
WRONG_CLIENT_SECRET = "Client secret does not match for the client: {client_id}"


def new_secret(client: AppClient, value: str) -> ClientSecret:
    """A secret for ``client``, with the id ``<client-id>--<epoch seconds>``.

    Two secrets made in the same second would share that id, and an id that once named a
    deleted secret must not name a new one (a retried Delete would remove the wrong secret).
    So an id's second is the creation second or, when that is taken, one past the newest id
    issued: ids stay unique and in creation order, while ``created`` keeps the true time.
    """
    now = clock.now()
    second = max(int(now), client.last_secret_second + 1)
    client.last_secret_second = second
    return ClientSecret(f"{client.client_id}--{second}", value, now)


def check_secret_operation(client: AppClient) -> None:
    """Refuse Add/List/DeleteUserPoolClientSecret (and publishing the secret) on a client an
    application registered itself: AWS documents that such clients support none of them."""
    if client.client_type == "DCR":
        raise InvalidParameterException(REGISTERED_CLIENT.format(client_id=client.client_id))


def add_client_secret(client: AppClient, value: str | None) -> tuple[ClientSecret, bool]:
    """Add a secret (``value``, or a generated one); also whether it was generated, which is
    the only case in which AWS returns its value."""
    check_secret_operation(client)
    if not client.secrets:
        raise InvalidParameterException(NO_SECRET.format(client_id=client.client_id))
    if len(client.secrets) >= MAX_SECRETS:
        raise LimitExceededException(TOO_MANY.format(client_id=client.client_id))
    secret = new_secret(client, value if value is not None else ids.client_secret())
    client.secrets = [*client.secrets, secret]
    return secret, value is None


def delete_client_secret(client: AppClient, secret_id: str) -> None:
    check_secret_operation(client)
    kept = [secret for secret in client.secrets if secret.secret_id != secret_id]
    if len(kept) == len(client.secrets):
        raise ResourceNotFoundException(
            UNKNOWN_SECRET.format(secret_id=secret_id, client_id=client.client_id)
        )
    if not kept:
        raise InvalidParameterException(LAST_SECRET.format(client_id=client.client_id))
    client.secrets = kept


def matches_any_secret(client: AppClient, proof: Callable[[str], str], given: str) -> bool:
    """Whether ``given`` equals ``proof(secret)`` for one of the client's active secrets.

    ``proof`` is the identity for a ClientSecret, the SECRET_HASH computation for a hash. Every
    secret is compared, in constant time, so that timing does not tell which one matched.
    """
    expected = given.encode("utf-8")
    found = False
    for secret in client.secrets:
        found |= hmac.compare_digest(expected, proof(secret.value).encode("utf-8"))
    return found


def is_client_secret(client: AppClient, given: str) -> bool:
    """Whether ``given`` is one of the client's active secrets."""
    return matches_any_secret(client, lambda secret: secret, given)


def check_client_secret(
    client: AppClient, given: str | None, error: type[ServiceError] = UnauthorizedException
) -> None:
    """The ``ClientSecret`` member of RevokeToken and GetTokensFromRefreshToken: a client with
    secrets must send one of them; ``error`` is the exception type the operation models."""
    if not client.secrets:
        return
    if not given:
        raise error(MISSING_CLIENT_SECRET.format(client_id=client.client_id))
    if not is_client_secret(client, given):
        raise error(WRONG_CLIENT_SECRET.format(client_id=client.client_id))
