"""The port to AWS Secrets Manager for the client secrets Cognito publishes there (see
published_secrets.py), and the mock's own Secrets Manager behind it while moto is not active.
The service plugs in a store that uses moto's Secrets Manager while moto is active."""

from __future__ import annotations

from typing import Protocol

from . import ids


class SecretsManager(Protocol):
    """The three Secrets Manager calls Cognito makes for a published client secret."""

    def create_secret(self, region: str, name: str, secret_string: str) -> str:
        """Create the secret ``name``; its ARN."""
        ...

    def put_secret_value(self, arn: str, secret_string: str) -> None: ...

    def delete_secret(self, arn: str) -> None:
        """Delete at once, without a recovery window."""
        ...


class LocalSecretsManager:
    """The mock's own Secrets Manager, used while moto is not active: ARNs in Secrets
    Manager's format (the name, a hyphen and six random characters) and the values by ARN."""

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        self.values: dict[str, str] = {}

    def create_secret(self, region: str, name: str, secret_string: str) -> str:
        arn = ids.secrets_manager_arn(region, self.account_id, name)
        self.values[arn] = secret_string
        return arn

    def put_secret_value(self, arn: str, secret_string: str) -> None:
        self.values[arn] = secret_string

    def delete_secret(self, arn: str) -> None:
        self.values.pop(arn, None)
