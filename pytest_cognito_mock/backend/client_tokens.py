"""GetClientToken: a machine-to-machine access token through the API, without a domain.

It is the token endpoint's client_credentials grant by another door (AWS: "the same
functionality"), so the token is the one :func:`oauth.machine_token` builds, pre token
generation trigger (version 3) included. What differs is the gate: the app client needs a
secret and ``ALLOW_CLIENT_TOKEN_AUTH`` (its only flow), not ``AllowedOAuthFlows``, and the
refusals are the API's exceptions rather than OAuth error codes. The wording of those
refusals is the mock's (docs/fidelity.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import CognitoBackend, auth_flows, resource_servers
from .client_secrets import is_client_secret
from .errors import InvalidParameterException, NotAuthorizedException
from .models import AppClient, UserPool
from .oauth import ClientToken, machine_token

NO_SECRET = "Client {client_id} is not configured with a client secret."
#: Modelled on AWS's "Unable to verify secret hash for client ..." of the sign-in flows.
WRONG_SECRET = "Unable to verify secret for client {client_id}"
FLOW_NOT_ENABLED = "CLIENT_TOKEN_AUTH flow not enabled for this client"
#: The text AWS gives a scope no resource server defines (CreateUserPoolClient's).
INVALID_SCOPE = "Invalid scope requested: {scope}"
NO_SCOPES = "The app client {client_id} has no custom scopes to authorize."


def get_client_token(
    backend: CognitoBackend,
    region: str,
    client_id: str,
    secret: str,
    scopes: Sequence[str] | None,
    client_metadata: Mapping[str, str] | None,
) -> ClientToken:
    """The client's M2M access token for ``scopes`` (all of the client's custom scopes when
    None or empty). Checked in order: the client exists, its secret, its flow, the scopes."""
    pool, client = backend.client(region, client_id)
    if not client.secrets:
        raise NotAuthorizedException(NO_SECRET.format(client_id=client_id))
    # While a secret is being rotated, either of the client's two secrets authenticates it.
    if not is_client_secret(client, secret):
        raise NotAuthorizedException(WRONG_SECRET.format(client_id=client_id))
    if not auth_flows.allows_client_token(client):
        raise InvalidParameterException(FLOW_NOT_ENABLED)
    granted = _granted_scopes(pool, client, scopes)
    return machine_token(backend, pool, client, granted, client_metadata)


def _granted_scopes(
    pool: UserPool, client: AppClient, requested: Sequence[str] | None
) -> list[str]:
    """Custom scopes only: a machine token has no user, so no OpenID or user pools API scope.

    A requested scope must be one of the client's (AllowedOAuthScopes); one the client holds
    but whose resource server or scope was deleted since is left out of the token, as AWS
    documents for inactive scopes, while any other is refused.
    """
    allowed = [
        s
        for s in client.settings.allowed_oauth_scopes or []
        if s not in resource_servers.STANDARD_SCOPES
    ]
    active = set(resource_servers.active_scopes(pool, allowed))
    if not requested:
        granted = [s for s in allowed if s in active]
        if not granted:
            raise InvalidParameterException(NO_SCOPES.format(client_id=client.client_id))
        return granted
    for scope in requested:
        if scope not in allowed:
            raise InvalidParameterException(INVALID_SCOPE.format(scope=scope))
    granted = [s for s in dict.fromkeys(requested) if s in active]
    if not granted:
        raise InvalidParameterException(INVALID_SCOPE.format(scope=requested[0]))
    return granted
