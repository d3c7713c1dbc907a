"""The pure domain of the mock: user pools, app clients, users and groups.

No botocore and no JSON here. Operations call the area modules (`user_pools`, `app_clients`,
`users`, `groups`) with a :class:`CognitoBackend`, which owns the state of one mock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from .errors import ResourceNotFoundException
from .import_settings import ImportSettings
from .models import AppClient, UserPool
from .point_in_time_settings import RecoverySettings
from .secrets_manager import LocalSecretsManager, SecretsManager
from .sign_in_settings import SignInSettings

if TYPE_CHECKING:
    from .authorization import HostedSession
    from .cimd import ServedDocument
    from .domains import Domain
    from .federation import ExternalUser, PendingFederation
    from .import_jobs import ImportJob
    from .oauth import AuthorizationCode
    from .point_in_time import Restoration
    from .sessions import AuthSession
    from .sign_in import RefreshRecord
    from .triggers import TriggerHandler


class CognitoBackend:
    """All state of one mock: the pools of every region of one account."""

    def __init__(self, account_id: str, import_settings: ImportSettings | None = None) -> None:
        self.account_id = account_id
        self.pools: dict[str, UserPool] = {}  # pool id -> pool, every region
        self.clients: dict[str, AppClient] = {}  # client id -> client, for unsigned operations
        self.refresh_tokens: dict[str, RefreshRecord] = {}  # record id -> record
        self.sessions: dict[str, AuthSession] = {}  # Session string -> pending challenge
        #: OAuth 2.0 authorization codes awaiting their exchange at the token endpoint.
        self.authorization_codes: dict[str, AuthorizationCode] = {}
        #: ``cognito`` cookie value -> the browser session it stands for (hosted pages).
        self.hosted_sessions: dict[str, HostedSession] = {}
        #: (provider name, subject) -> a user a test registered at an external provider.
        self.external_users: dict[tuple[str, str], ExternalUser] = {}
        #: state -> an authorize request waiting for its external provider's answer.
        self.pending_federations: dict[str, PendingFederation] = {}
        self.import_jobs: dict[str, dict[str, ImportJob]] = {}  # pool id -> job id -> job
        #: pool id -> its jobs newest first, kept in order as jobs are created so that a
        #: listing's page costs the same with 1 job or 1,000.
        self.import_jobs_newest_first: dict[str, list[ImportJob]] = {}
        #: (pool id, job id) of jobs that move with the clock (started, or stopping).
        self.running_import_jobs: set[tuple[str, str]] = set()
        self.import_settings = import_settings or ImportSettings()
        self.sign_in_settings = SignInSettings()
        #: Whether AdminCreateUser refuses users lacking the pool's required attributes.
        self.admin_create_user_requires_attributes = True
        #: sub -> when the user was last signed out everywhere (tokens issued until then die).
        self.global_sign_outs: dict[str, float] = {}
        #: origin_jti of refresh-token families revoked by RevokeToken.
        self.revoked_origin_jtis: set[str] = set()
        #: Host name (``<prefix>.auth.<region>.amazoncognito.com`` or a custom domain) ->
        #: the domain answering on it, every region.
        self.domains: dict[str, Domain] = {}
        #: The custom domains among them, replaced whole on change so that transports on other
        #: threads can read it without the lock.
        self.custom_domain_hosts: frozenset[str] = frozenset()
        #: Origins a passkey may come from besides ``https://<rp id>`` and its subdomains, in
        #: every pool, matched exactly (``http://localhost:3000``, say; see passkeys.py).
        self.passkey_origins: frozenset[str] = frozenset()
        #: Lambda function ARN -> Python handler (see triggers.py).
        self.lambda_handlers: dict[str, TriggerHandler] = {}
        #: Wraps every trigger handler's run; the service lends its lock out meanwhile, so a
        #: handler may wait on other threads that call Cognito (see service.ServiceLock).
        self.while_trigger_runs: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext
        #: (region, API category) -> UpdateProvisionedLimit's value (see provisioned_limits.py).
        #: Replicas of every pool: while none exists, no call needs the secondary-region rules.
        self.replica_count = 0
        self.provisioned_limits: dict[tuple[str, str], int] = {}
        #: Metadata URL -> the client metadata document a test serves there (see cimd.py): the
        #: mock never fetches a URL, it "retrieves" these.
        self.client_metadata_documents: dict[str, ServedDocument] = {}
        #: Where published client secrets live: the mock's own Secrets Manager, or the
        #: service's store that uses moto's while moto is active (see published_secrets.py).
        self.secrets_manager: SecretsManager = LocalSecretsManager(account_id)
        #: When the earliest published client secret is due for rotation; None: none is.
        self.next_secret_rotation: float | None = None
        #: The risk assessed for the sign-in being handled, while its flow runs (see
        #: auth_events.py: the flows that verify a password do not carry the request's context).
        self.sign_in_risk: object | None = None
        #: Pool id -> its active point-in-time recovery; empty, no call pays for the pause.
        self.active_restorations: dict[str, Restoration] = {}
        self.recovery_settings = RecoverySettings()

    def pool(self, region: str, pool_id: str) -> UserPool:
        """The pool ``pool_id`` as seen from ``region`` (pools are regional)."""
        pool = self.pools.get(pool_id)
        if pool is None or not pool.serves(region):
            raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
        return pool

    def client(self, region: str, client_id: str) -> tuple[UserPool, AppClient]:
        """An app client by id alone, as unsigned operations (InitiateAuth, SignUp) name it."""
        client = self.clients.get(client_id)
        pool = self.pools.get(client.user_pool_id) if client is not None else None
        if client is None or pool is None or not pool.serves(region):
            raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
        return pool, client

    def find_pool(self, pool_id: str) -> UserPool:
        """The pool ``pool_id`` in any region, for the mock's helpers: KeyError when absent."""
        pool = self.pools.get(pool_id)
        if pool is None:
            raise KeyError(f"no user pool {pool_id!r} in this mock")
        return pool

    def region_named_by(self, pool_id: object, client_id: object) -> str | None:
        """The region a request's ids name: a pool id's prefix, or its app client's pool."""
        if isinstance(pool_id, str) and "_" in pool_id:
            return pool_id.split("_", 1)[0]
        client = self.clients.get(client_id) if isinstance(client_id, str) else None
        pool = self.pools.get(client.user_pool_id) if client is not None else None
        return pool.region if pool is not None else None

    def pools_in(self, region: str) -> list[UserPool]:
        return [p for p in self.pools.values() if p.serves(region)]
