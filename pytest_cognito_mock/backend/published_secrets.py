"""App client secrets that Cognito keeps in AWS Secrets Manager
(``PublishSecretsInAWSSecretsManager`` of Create/UpdateUserPoolClient).

While a client's secret is published, its answers carry ``ClientSecretArn`` instead of
``ClientSecret``, and the Secrets Manager secret holds the SecretString
``{"userPoolId", "userPoolClientId", "clientSecretValue"}``, where ``clientSecretValue`` is the
client's newest secret. The mock keeps it in step with every change of the client's secrets
(rotations, AddUserPoolClientSecret, DeleteUserPoolClientSecret), so the value read from Secrets
Manager always authenticates the client.

Rotation, as AWS documents it: right away when UpdateUserPoolClient migrates a secret, then
every :data:`ROTATION_SECONDS`, driven by the clock (:func:`rotate_due`, run by every service
transaction once a published secret is due). A rotation adds a generated secret and, when the
client already holds two, first deletes the older one: the secret applications read before
keeps working until the next rotation.

Where the secret lives is behind ``backend.secrets_manager`` (see secrets_manager.py): moto's
Secrets Manager while moto is active, else the mock's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from . import CognitoBackend, client_secrets, clock, ids
from .models import AppClient

#: "Amazon Cognito ... rotates the secret every 7 days by default."
ROTATION_SECONDS = 7 * 86400


@dataclass
class PublishedSecret:
    """A client's secret as Secrets Manager holds it."""

    arn: str
    #: The ``clientSecretValue`` last written there.
    value: str
    #: When the next scheduled rotation is due (epoch seconds).
    next_rotation: float


def secret_name(client: AppClient) -> str:
    """The Secrets Manager name of a client's secret (the mock's choice; see docs/fidelity.md)."""
    return f"cognito-idp/{client.user_pool_id}/{client.client_id}"


def secret_string(client: AppClient, value: str) -> str:
    return json.dumps(
        {
            "userPoolId": client.user_pool_id,
            "userPoolClientId": client.client_id,
            "clientSecretValue": value,
        }
    )


def publish(backend: CognitoBackend, client: AppClient) -> None:
    """Store the client's newest secret in Secrets Manager (a client without a secret, or one
    already published, is left as it is: the member applies only to generated secrets)."""
    value = client.secret
    if value is None or client.published_secret is not None:
        return
    region = backend.pools[client.user_pool_id].region  # the pool's own region
    arn = backend.secrets_manager.create_secret(
        region, secret_name(client), secret_string(client, value)
    )
    due = clock.now() + ROTATION_SECONDS
    client.published_secret = PublishedSecret(arn, value, due)
    earliest = backend.next_secret_rotation
    backend.next_secret_rotation = due if earliest is None else min(earliest, due)


def unpublish(backend: CognitoBackend, client: AppClient) -> None:
    """Take the secret back from Secrets Manager, deleting it there at once (no recovery
    window): describing the client shows ``ClientSecret`` again."""
    published = client.published_secret
    if published is None:
        return
    client.published_secret = None
    backend.secrets_manager.delete_secret(published.arn)
    # backend.next_secret_rotation may now be early: rotate_due finds nothing and reschedules.


def set_published(backend: CognitoBackend, client: AppClient, published: bool) -> None:
    """UpdateUserPoolClient's PublishSecretsInAWSSecretsManager: true migrates the secret into
    Secrets Manager and rotates it right away; false moves it back and deletes the secret there.
    A client without a secret, or already where it is asked to be, is left as it is."""
    if not published:
        unpublish(backend, client)
    elif client.published_secret is None and client.secrets:
        publish(backend, client)
        rotate(backend, client)


def unpublish_all(backend: CognitoBackend, clients: Iterable[AppClient]) -> None:
    for client in list(clients):
        unpublish(backend, client)


def rotate(backend: CognitoBackend, client: AppClient) -> None:
    """One rotation: with two secrets the older goes, then a generated secret is added and
    written to Secrets Manager."""
    published = client.published_secret
    if published is None:
        return
    kept = client.secrets[-(client_secrets.MAX_SECRETS - 1) :]
    client.secrets = [*kept, client_secrets.new_secret(client, ids.client_secret())]
    published.next_rotation = clock.now() + ROTATION_SECONDS
    sync(backend, client)


def sync(backend: CognitoBackend, client: AppClient) -> None:
    """Write the client's newest secret to Secrets Manager if it is not the one there."""
    published = client.published_secret
    value = client.secret
    if published is None or value is None or value == published.value:
        return
    backend.secrets_manager.put_secret_value(published.arn, secret_string(client, value))
    published.value = value


def rotate_due(backend: CognitoBackend) -> None:
    """Run the scheduled rotations the clock has reached: one per client however far the clock
    moved (Secrets Manager does not catch up on missed schedules)."""
    now = clock.now()
    for client in list(backend.clients.values()):
        published = client.published_secret
        if published is not None and published.next_rotation <= now:
            rotate(backend, client)
    _schedule(backend)


def secret_value(backend: CognitoBackend, arn: str) -> dict[str, str]:
    """The SecretString (parsed) of the published secret ``arn``; KeyError when none."""
    for client in backend.clients.values():
        published = client.published_secret
        if published is not None and published.arn == arn:
            parsed: dict[str, str] = json.loads(secret_string(client, published.value))
            return parsed
    raise KeyError(f"no app client secret with the ARN {arn!r} in this mock")


def _schedule(backend: CognitoBackend) -> None:
    """Set ``backend.next_secret_rotation`` to the earliest due rotation (None: nothing
    published), so a transaction needs one comparison to know there is nothing to do. It may
    be early (a client unpublished since), never late."""
    due = [
        client.published_secret.next_rotation
        for client in backend.clients.values()
        if client.published_secret is not None
    ]
    backend.next_secret_rotation = min(due) if due else None
