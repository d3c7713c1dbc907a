"""CognitoMock: the one activation object behind every entry point, and the test helpers.

The pytest fixtures, the ``mock_cognito_import`` decorator and context manager, and direct
``start()``/``stop()`` calls all drive this class. Each instance owns a fresh
:class:`~pytest_cognito_mock.service.CognitoService`; every helper here is one transaction of
that service. The only process-wide state is the registry of active mocks (``_active``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, overload

from . import _active, assertions, transports
from ._credentials import EnvironmentPatch, patch_environment, subprocess_environment
from ._entry_points import decorate
from ._options import MockOptions, make_options
from .backend import (
    auth_events,
    cimd,
    federation,
    import_jobs,
    keys,
    messages,
    published_secrets,
    users,
)
from .backend.csv_import import csv_file, csv_header
from .backend.import_jobs import ImportJob
from .backend.messages import SentMessage
from .backend.models import User, UserPool
from .backend.triggers import TriggerHandler
from .errors import MockNotStartedError, NoCodeSentError
from .hosted import helpers as hosted_helpers
from .service import Call, CognitoService

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

    from .passkey import SoftwarePasskey

F = TypeVar("F", bound=Callable[..., Any])

#: What `upload_csv` accepts: the file as text or bytes, a path to it, or rows as dicts.
CsvData: TypeAlias = "str | bytes | os.PathLike[str] | Iterable[Mapping[str, Any]]"
#: A risk level threat protection may assess (``set_sign_in_risk``).
RiskLevel: TypeAlias = Literal["Low", "Medium", "High"]

__all__ = ["Call", "CognitoMock", "CsvData", "RiskLevel"]

# Importing the adapters registers their install/uninstall with the registry of active mocks.
assert transports.ADAPTERS


class CognitoMock:
    """An in-memory Cognito user pool service, active between :meth:`start` and :meth:`stop`.

    Use it as a context manager (``with CognitoMock() as cognito: ...``), start and stop it
    yourself, or get it from the ``cognito_mock`` fixture. Keyword options are those of the
    ``cognito_mock`` marker (see docs/configuration.md).
    """

    def __init__(self, **options: Any) -> None:
        self.options: MockOptions = make_options(**options)
        self._service = CognitoService(self.options)
        self._environment: EnvironmentPatch | None = None
        #: Set by the pytest fixture: its ``monkeypatch.setenv``, so the test's own
        #: monkeypatching and ours unwind in one order (see _credentials).
        self._setenv: Callable[[str, str], None] | None = None
        self._lock = threading.Lock()

    # -- activation ------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._environment is not None

    def start(self) -> CognitoMock:
        """Route every Cognito request of the process to this mock. Returns ``self``."""
        with self._lock:
            if self._environment is not None:
                raise RuntimeError("this CognitoMock is already started")
            environment = (
                patch_environment(self.options.region, self._setenv)
                if self.options.fake_credentials
                else EnvironmentPatch()
            )
            self._environment = environment
            self._service.open()
            _active.register(self._service)
        return self

    def stop(self) -> None:
        """Stop answering; the libraries are restored when the last active mock stops."""
        with self._lock:
            environment = self._environment
            if environment is None:
                raise MockNotStartedError("stop() called on a CognitoMock that is not started")
            self._environment = None
            _active.unregister(self._service)
            environment.restore()
        self._service.close()

    def __enter__(self) -> CognitoMock:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> CognitoMock:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @overload
    def __call__(self, target: type[Any]) -> type[Any]: ...

    @overload
    def __call__(self, target: F) -> F: ...

    def __call__(self, target: Any) -> Any:
        """Decorate a function, coroutine function or ``unittest.TestCase`` class.

        Every call (every test, for a TestCase) runs inside a fresh mock with these options.
        """
        return decorate(target, self.options)

    # -- what the mock answered ------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every API call answered while active, in order, through every transport."""
        return self._service.calls

    # -- reaching the mock from other processes --------------------------------------------

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>``: the loopback endpoint serving this mock over real HTTP
        (the JSON API, the ``.well-known`` documents, the import uploads) to other processes
        and languages. Started on first use; stopped with the mock."""
        self._require_active("endpoint_url")
        return self._service.endpoint_url()

    def subprocess_env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """Environment variables for a child process (the aws CLI, a node or Go service) so that
        an unmodified AWS SDK reaches this mock: ``base`` (default: this process's environment)
        with the Cognito endpoint variable, test credentials and the mock's region set, and
        whatever would point the child at a real account removed."""
        return subprocess_environment(
            os.environ if base is None else base, self.endpoint_url, self.options.region
        )

    def loopback_url(self, url: str) -> str:
        """``url``, a real Cognito URL (``https://<domain>/oauth2/authorize?...``, an issuer's
        ``.well-known`` document), as the loopback endpoint serves it: for a browser or another
        process. Pages served there link and redirect within the loopback endpoint."""
        endpoint = self.endpoint_url
        with self._service.transaction() as backend:
            return hosted_helpers.loopback_url(endpoint, url, backend.domains)

    # -- helpers for tests -------------------------------------------------------------------

    def client(self, region: str | None = None) -> CognitoIdentityProviderClient:
        """A new boto3 ``cognito-idp`` client in ``region`` (default: the mock's), with test
        credentials of its own."""
        import boto3

        client: CognitoIdentityProviderClient = boto3.client(
            "cognito-idp",
            region_name=region or self.options.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        return client

    def register_lambda(self, function_arn: str, handler: TriggerHandler) -> None:
        """Answer invocations of ``function_arn`` (as named in a pool's LambdaConfig) with
        ``handler(event, context)``, which returns the event with its ``response`` filled in."""
        with self._service.transaction() as backend:
            backend.lambda_handlers[function_arn] = handler

    def jwks(self, user_pool_id: str) -> dict[str, Any]:
        """The pool's JSON Web Key Set, as served at ``/.well-known/jwks.json``."""
        with self._service.transaction() as backend:
            return keys.jwks(keys.pool_keys(backend.find_pool(user_pool_id)))

    def secrets_manager_secret(self, secret_arn: str) -> dict[str, str]:
        """The SecretString, parsed, of an app client secret Cognito keeps in Secrets Manager
        (the client's ``ClientSecretArn``): ``userPoolId``, ``userPoolClientId`` and
        ``clientSecretValue``, whether moto's Secrets Manager holds it or the mock's own does.
        Raises KeyError when no client's secret has that ARN."""
        with self._service.transaction() as backend:
            return published_secrets.secret_value(backend, secret_arn)

    def last_code(self, user_pool_id: str, username: str, channel: str | None = None) -> str:
        """The latest code Cognito would have sent the user (named by any sign-in name: the
        username, an email or phone alias, the sub): a confirmation, verification, password
        reset, MFA or sign-in code. ``channel`` (``"EMAIL"`` or ``"SMS"``) narrows it to one
        channel. Raises :class:`~pytest_cognito_mock.NoCodeSentError` saying why when there is
        none."""
        with self._service.transaction() as backend:
            pool = backend.find_pool(user_pool_id)
            user = users.find_user(pool, username)
            code, reason = messages.last_code(pool, user, username, channel)
        if code is None:
            raise NoCodeSentError(reason)
        return code

    def messages(self, user_pool_id: str, username: str | None = None) -> list[SentMessage]:
        """Every email and SMS message the pool would have sent, oldest first (only the user's,
        named by any sign-in name, when ``username`` is given). Nothing is ever sent."""
        with self._service.transaction() as backend:
            pool = backend.find_pool(user_pool_id)
            if username is None:
                return messages.messages_of(pool, None)
            user = users.find_user(pool, username)
            return messages.messages_of(pool, user) if user is not None else []

    def set_sign_in_risk(
        self,
        user_pool_id: str,
        username: str,
        level: RiskLevel | None,
        *,
        compromised_credentials: bool = False,
    ) -> None:
        """Have threat protection assess the user's later sign-ins at ``level`` (``"Low"``,
        ``"Medium"``, ``"High"``; None: no risk, the default), and, with
        ``compromised_credentials``, find their password among leaked ones. The user is named
        by any sign-in name. It holds until changed; in ENFORCED mode the pool's (or the app
        client's) risk configuration acts on it: BLOCK refuses the sign-in, MFA_IF_CONFIGURED
        and MFA_REQUIRED ask for a code. Raises KeyError for an unknown pool or user."""
        with self._service.transaction() as backend:
            user = self._user(backend.find_pool(user_pool_id), username)
            auth_events.set_risk(user, level, compromised_credentials)

    def auth_event_feedback_token(self, user_pool_id: str, username: str, event_id: str) -> str:
        """The FeedbackToken of one of the user's auth events (AdminListUserAuthEvents'
        ``EventId``): what the one-click feedback links of Cognito's notification email carry,
        for UpdateAuthEventFeedback. Raises KeyError for an unknown pool, user or event."""
        with self._service.transaction() as backend:
            user = self._user(backend.find_pool(user_pool_id), username)
            event = auth_events.find_event(user, event_id)
            if event is None:
                raise KeyError(f"no auth event {event_id!r} for user {username!r}")
            return event.feedback_token

    @staticmethod
    def _user(pool: UserPool, username: str) -> User:
        user = users.find_user(pool, username)
        if user is None:
            raise KeyError(f"no user {username!r} in user pool {pool.id!r}")
        return user

    def authorization_code(
        self,
        client_id: str,
        username: str,
        password: str,
        *,
        redirect_uri: str | None = None,
        scopes: Sequence[str] | None = None,
        code_challenge: str | None = None,
        code_challenge_method: str | None = None,
        nonce: str | None = None,
        state: str | None = None,
    ) -> str:
        """Sign ``username`` in as the hosted sign-in form does (same checks and triggers) and
        return the authorization ``code`` Cognito would redirect to the app with, ready for
        ``POST /oauth2/token``. ``redirect_uri`` defaults to the client's DefaultRedirectURI,
        else its first callback URL; ``scopes`` to all of the client's. Raises
        :class:`~pytest_cognito_mock.HostedSignInError` with Cognito's answer when refused."""
        with self._service.transaction() as backend:
            return hosted_helpers.authorization_code(
                backend,
                client_id,
                username,
                password,
                redirect_uri=redirect_uri,
                scopes=scopes,
                code_challenge=code_challenge,
                code_challenge_method=code_challenge_method,
                nonce=nonce,
                state=state,
            )

    def external_user(
        self, provider_name: str, subject: str, attributes: Mapping[str, str] | None = None
    ) -> None:
        """Register a user at the external identity provider ``provider_name`` (as named in
        CreateIdentityProvider), with its ``subject`` and claims (``email``, ``name``, ...).
        ``/oauth2/authorize?identity_provider=<provider_name>`` then signs that user in, the
        mock playing the provider; ``login_hint=<subject>`` skips the provider's chooser page."""
        with self._service.transaction() as backend:
            federation.register_external_user(backend, provider_name, subject, attributes or {})

    def serve_client_metadata(
        self, url: str, document: Mapping[str, Any] | None, *, max_age: int | None = None
    ) -> None:
        """Serve ``document``, a client ID metadata document (``client_id``, ``redirect_uris``,
        ``grant_types``...), at the ``https`` URL ``url``: what Cognito retrieves when an OAuth
        client presents that URL as its ``client_id`` and a CIMD policy's pattern matches it.
        ``max_age`` is the ``Cache-Control: max-age`` it is served with (between one day and
        one year it overrides the policy's CacheDuration). None stops serving the URL. Nothing
        is ever fetched from the network."""
        with self._service.transaction() as backend:
            if document is None:
                backend.client_metadata_documents.pop(url, None)
            else:
                backend.client_metadata_documents[url] = cimd.ServedDocument(
                    dict(document), max_age
                )

    # -- passkeys ----------------------------------------------------------------------------

    def passkey(
        self,
        origin: str | None = None,
        *,
        rp_id: str | None = None,
        algorithm: int | None = None,
        attachment: Literal["platform", "cross-platform"] | None = "cross-platform",
        transports: Sequence[str] = ("usb",),
        user_present: bool = True,
        user_verified: bool = True,
        sign_count: int | None = None,
        tamper: bool = False,
        attestation: Literal["none", "packed"] = "none",
    ) -> SoftwarePasskey:
        """A new software authenticator, answering as a browser's ``navigator.credentials``:
        ``create(CredentialCreationOptions)`` gives the ``Credential`` of
        CompleteWebAuthnRegistration, ``get(CREDENTIAL_REQUEST_OPTIONS)`` the ``CREDENTIAL`` of
        a ``WEB_AUTHN`` challenge. ``origin`` defaults to ``https://<rp id>``; the other
        arguments make it misbehave on purpose (see
        :class:`~pytest_cognito_mock.passkey.SoftwarePasskey`). It needs no started mock."""
        from .passkey import SoftwarePasskey  # python-fido2 loads on first use

        return SoftwarePasskey(
            origin,
            rp_id=rp_id,
            algorithm=algorithm,
            attachment=attachment,
            transports=transports,
            user_present=user_present,
            user_verified=user_verified,
            sign_count=sign_count,
            tamper=tamper,
            attestation=attestation,
        )

    @property
    def passkey_origins(self) -> frozenset[str]:
        """Origins passkeys may come from besides ``https://<rp id>`` and its subdomains, in
        every pool, matched exactly: set ``{"http://localhost:3000"}`` for an app under test
        served there. Empty by default."""
        return self._service.backend.passkey_origins

    @passkey_origins.setter
    def passkey_origins(self, origins: Iterable[str]) -> None:
        if isinstance(origins, str):
            raise TypeError("passkey_origins takes a collection of origins, not one string")
        with self._service.transaction() as backend:
            backend.passkey_origins = frozenset(origins)

    # -- import jobs -------------------------------------------------------------------------

    @property
    def import_rate(self) -> float | None:
        """Users per second of mock time a started job imports (None: all at once)."""
        return self._service.backend.import_settings.rate

    @import_rate.setter
    def import_rate(self, rate: float | None) -> None:
        make_options(import_rate=rate)  # the option's own check: None or a finite number >= 0
        with self._service.transaction() as backend:
            backend.import_settings.rate = rate

    def upload_csv(self, user_pool_id: str, job_id: str, data: CsvData) -> None:
        """Upload a job's CSV without HTTP: text, bytes, a path, or rows as dicts (keys are
        header columns; missing ones are left empty, commas are escaped for you)."""
        with self._service.transaction() as backend:
            pool, job = import_jobs.find_job(backend, user_pool_id, job_id)
            if isinstance(data, bytes):
                body = data
            elif isinstance(data, str):
                body = data.encode("utf-8")
            elif isinstance(data, os.PathLike):
                body = Path(data).read_bytes()
            else:
                body = csv_file(csv_header(pool), data)
            if not import_jobs.store_upload(job, body):
                raise ValueError(f"import job {job_id} takes no upload: its status is {job.status}")

    def import_log(self, user_pool_id: str, job_id: str) -> list[str]:
        """The job's log lines so far, one per processed row, in order."""
        with self._service.transaction() as backend:
            return import_jobs.find_job(backend, user_pool_id, job_id)[1].log_lines()

    def step_import_job(self, user_pool_id: str, job_id: str, rows: int = 1) -> None:
        """Import up to ``rows`` more rows of a started job now, whatever the rate."""
        with self._service.transaction() as backend:
            pool, job = import_jobs.find_job(backend, user_pool_id, job_id)
            import_jobs.step(backend, pool, job, rows)

    def import_job(self, user_pool_id: str, job_id: str) -> ImportJob:
        """The job's current state (brought up to the clock first)."""
        with self._service.transaction() as backend:
            return import_jobs.find_job(backend, user_pool_id, job_id)[1]

    def assert_import_job_status(self, user_pool_id: str, job_id: str, status: str) -> None:
        __tracebackhide__ = True
        assertions.assert_import_job_status(self.import_job(user_pool_id, job_id), status)

    def assert_import_job_succeeded(self, user_pool_id: str, job_id: str) -> None:
        __tracebackhide__ = True
        assertions.assert_import_job_succeeded(self.import_job(user_pool_id, job_id))

    def assert_user_imported(
        self, user_pool_id: str, username: str, attributes: Mapping[str, str] | None = None
    ) -> None:
        __tracebackhide__ = True
        with self._service.transaction() as backend:
            assertions.assert_user_imported(backend.find_pool(user_pool_id), username, attributes)

    def _require_active(self, what: str) -> None:
        if self._environment is None:
            raise MockNotStartedError(f"{what} needs a started CognitoMock (call start() first)")
