"""The authorization endpoint and the hosted sign-in: checking an authorize request, signing
a user in on the form, the ``cognito`` session cookie, and what is sent back to the app.

Pure domain, like :mod:`.oauth` (whose scopes, codes and errors it uses): the ``hosted`` layer
reads the HTTP request and writes the redirect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import CognitoBackend, clock, ids, sign_in, user_sessions, users
from .models import AppClient, User, UserPool
from .oauth import OAuthError, allows_flow, granted_scopes, issue_code

if TYPE_CHECKING:
    from .auth import AuthOutcome


class ErrorPage(OAuthError):
    """An authorize request Cognito cannot send back to the app (unknown client, a redirect
    URI that is not the client's): the browser is shown the domain's error page instead."""


@dataclass(frozen=True)
class AuthorizeRequest:
    """A checked ``/oauth2/authorize`` request."""

    client: AppClient
    redirect_uri: str
    response_type: str
    scopes: tuple[str, ...]
    state: str | None = None
    nonce: str | None = None
    code_challenge: str | None = None
    #: The external provider to sign in with (``identity_provider``/``idp_identifier``).
    provider: str | None = None

    @property
    def grant(self) -> sign_in.OAuthGrant:
        return sign_in.OAuthGrant(self.scopes, self.nonce)


_RESPONSE_FLOWS = {"code": "code", "token": "implicit"}


def check_authorize(
    pool: UserPool, params: Mapping[str, str], backend: CognitoBackend | None = None
) -> AuthorizeRequest:
    """The authorize request ``params`` make, in Cognito's order of checks: the client and
    redirect URI first (:class:`ErrorPage`), then the rest, reported to the redirect URI
    (:class:`OAuthError`, see :func:`error_redirect`). With ``backend``, a ``client_id`` that
    is an ``https`` URL may name a CIMD client (see cimd.py)."""
    client_id = params.get("client_id", "")
    client = pool.clients.get(client_id)
    callbacks = client.settings.callback_urls if client is not None else None
    if client is None and backend is not None and pool.cimd_policies:
        client, callbacks = _cimd_client(backend, pool, client_id, params)
    if client is None:
        raise ErrorPage("invalid_request")
    redirect_uri = params.get("redirect_uri")
    if not redirect_uri or redirect_uri not in (callbacks or []):
        raise ErrorPage("redirect_mismatch")
    response_type = params.get("response_type")
    method, challenge = params.get("code_challenge_method"), params.get("code_challenge")
    if response_type not in _RESPONSE_FLOWS or bool(method) != bool(challenge):
        raise OAuthError("invalid_request")
    if method is not None and method != "S256":
        raise OAuthError("invalid_request")  # Cognito supports only S256, never "plain"
    if not allows_flow(client, _RESPONSE_FLOWS[response_type]):
        raise OAuthError("unauthorized_client")
    provider = _provider_asked(pool, client, params)
    return AuthorizeRequest(
        client=client,
        redirect_uri=redirect_uri,
        response_type=response_type,
        scopes=granted_scopes(pool, client, params.get("scope")),
        state=params.get("state"),
        nonce=params.get("nonce"),
        code_challenge=challenge,
        provider=provider,
    )


def _cimd_client(
    backend: CognitoBackend, pool: UserPool, url: str, params: Mapping[str, str]
) -> tuple[AppClient | None, list[str] | None]:
    """The app client a CIMD client's URL stands for and the redirect URIs of its metadata
    document; (None, None) when no policy accepts the URL. A grant needs both the app client
    and the document: the document's ``grant_types`` (by default ``authorization_code``)
    must allow the authorization code grant, the only one a CIMD client gets here. As for any
    client, a redirect URI that is not the document's is refused first, on the error page:
    no refusal is sent to a redirect URI the document does not list."""
    from . import cimd  # only pools with CIMD policies come here

    resolved = cimd.retrieve(backend, pool, url) if url.startswith("https://") else None
    if resolved is None:
        return None, None
    policy, document = resolved
    redirect_uris = list(document["redirect_uris"])
    if params.get("redirect_uri") not in redirect_uris:
        raise ErrorPage("redirect_mismatch")
    response_type = params.get("response_type")
    grants = document.get("grant_types", ["authorization_code"])
    if response_type == "code" and "authorization_code" not in grants:
        raise OAuthError("unauthorized_client")
    if response_type == "token":
        raise OAuthError("unauthorized_client")
    return pool.clients[policy.client_id], redirect_uris


def _provider_asked(pool: UserPool, client: AppClient, params: Mapping[str, str]) -> str | None:
    """The external provider an authorize request names (None: Cognito's own users), which
    must exist and be one of the client's SupportedIdentityProviders."""
    from . import federation  # federation signs in through this module's requests

    name = params.get("identity_provider")
    identifier = params.get("idp_identifier")
    if identifier and not name:
        name = federation.provider_named_by(pool, identifier)
        if name is None:
            raise OAuthError(
                "invalid_request", f"No identity provider has the identifier {identifier}"
            )
    supported = client.settings.supported_identity_providers or []
    if name is None or name == "COGNITO":
        if name is None and "COGNITO" not in supported and len(supported) == 1:
            name = supported[0]  # a client with one external provider goes there directly
        else:
            return None
    if name not in supported or federation.provider(pool, name) is None:
        raise OAuthError(
            "invalid_request", f"{name} is not an identity provider of this app client"
        )
    return name


def authorize_answer(
    backend: CognitoBackend,
    pool: UserPool,
    request: AuthorizeRequest,
    issued: sign_in.IssuedTokens,
) -> tuple[dict[str, str | None], bool]:
    """(parameters, in the fragment?) that send a completed sign-in back to the app: a code
    in the query, or (implicit flow) the tokens in the fragment, never a refresh token."""
    if request.response_type == "code":
        code = issue_code(
            backend, pool, request.client, request.redirect_uri, issued, request.code_challenge
        )
        return {"code": code, "state": request.state}, False
    return {
        "id_token": issued.id_token,
        "access_token": issued.access_token,
        "token_type": "bearer",
        "expires_in": str(issued.expires_in),
        "state": request.state,
    }, True


@dataclass
class HostedSession:
    """The ``cognito`` cookie of a browser signed in on a pool's pages."""

    pool_id: str
    sub: str
    expires: float
    #: The user's last fresh authentication in this browser (a sign-in on the form).
    authenticated: float = 0.0
    #: The SSO session session management recorded for it, if tracking was on.
    sso_session_id: str | None = None


#: Cognito's hosted-UI session lasts one hour (while session tracking is off; see
#: user_sessions.sso_lifetime_seconds).
HOSTED_SESSION_SECONDS = 3600


def open_hosted_session(
    backend: CognitoBackend, pool: UserPool, user: User, current: str | None = None
) -> str:
    """The browser session of a fresh sign-in of ``user``: the ``current`` cookie's session
    when it is the same user's (it is then as fresh as the sign-in), else a new one."""
    now = clock.now()
    expires = now + user_sessions.sso_lifetime_seconds(pool, HOSTED_SESSION_SECONDS)
    session = backend.hosted_sessions.get(current or "")
    if current and session is not None and hosted_session_user(backend, pool, current) is user:
        session.authenticated, session.expires = now, expires
        return current
    session_id = ids.random_bytes(24).hex()
    backend.hosted_sessions[session_id] = HostedSession(pool.id, user.sub, expires, now)
    return session_id


def hosted_session_user(
    backend: CognitoBackend,
    pool: UserPool,
    session_id: str | None,
    client: AppClient | None = None,
) -> User | None:
    """The user a ``cognito`` cookie signs in, while it is valid and the user may sign in;
    with ``client``, only while that app client may silently reuse the session (session
    management's MaxValidityMinutes)."""
    session = backend.hosted_sessions.get(session_id or "")
    if session is None or session.pool_id != pool.id:
        return None
    if clock.now() >= session.expires:
        del backend.hosted_sessions[session_id or ""]
        return None
    user = pool.users.get(pool.users_by_sub.get(session.sub, ""))
    if user is None or not user.enabled:
        return None
    signed_out = backend.global_sign_outs.get(user.sub)
    if signed_out is not None and session.authenticated <= signed_out:
        return None
    if client is not None and not user_sessions.may_reuse(pool, client, session.authenticated):
        return None
    return user


def close_hosted_session(backend: CognitoBackend, session_id: str | None) -> None:
    backend.hosted_sessions.pop(session_id or "", None)


def reauthorize(
    backend: CognitoBackend, pool: UserPool, request: AuthorizeRequest, user: User
) -> sign_in.IssuedTokens:
    """Tokens for a browser whose session cookie already signs ``user`` in: no credentials
    are asked, so no authentication trigger runs; pre token generation does."""
    return sign_in.issue_tokens(
        backend,
        pool,
        request.client,
        user,
        source="TokenGeneration_HostedAuth",
        grant=request.grant,
        post_authentication=False,
    )


class ChallengeRequired(Exception):
    """A hosted sign-in that needs a further step (a new password, an MFA code): the
    challenge, the session that answers it, and its parameters (for MFA_SETUP, the secret of
    the authenticator to set up)."""

    def __init__(
        self, challenge_name: str, session: str, parameters: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(challenge_name)
        self.challenge_name = challenge_name
        self.session = session
        self.parameters = dict(parameters or {})


def password_sign_in(
    backend: CognitoBackend,
    pool: UserPool,
    request: AuthorizeRequest,
    username: str,
    password: str,
) -> tuple[User, sign_in.IssuedTokens]:
    """A sign-in on the hosted form: the API's password checks and triggers, tokens with the
    request's scopes. Raises the backend's :class:`ServiceError` when Cognito refuses, and
    :class:`ChallengeRequired` when a further step is due."""
    from . import auth  # auth's flows build on this module's neighbours, not on it

    outcome = auth.hosted_sign_in(
        auth.AuthRequest(
            backend=backend,
            pool=pool,
            client=request.client,
            flow="HOSTED_UI",
            parameters={"USERNAME": username, "PASSWORD": password},
            admin=False,
            grant=request.grant,
        )
    )
    return _signed_in(backend, pool, username, outcome)


#: What each challenge's page posts, as the answer's ChallengeResponses member.
_ANSWER_FIELDS = {
    "SOFTWARE_TOKEN_MFA": {"code": "SOFTWARE_TOKEN_MFA_CODE"},
    "SMS_MFA": {"code": "SMS_MFA_CODE"},
    "SELECT_MFA_TYPE": {"mfa_type": "ANSWER"},
    "NEW_PASSWORD_REQUIRED": {"new_password": "NEW_PASSWORD"},
}


def answer_challenge(
    backend: CognitoBackend,
    pool: UserPool,
    request: AuthorizeRequest,
    username: str,
    challenge_name: str,
    session: str,
    fields: Mapping[str, str],
) -> tuple[User, sign_in.IssuedTokens]:
    """The answer a follow-on page posts (``fields`` as the page named them), through the same
    RespondToAuthChallenge the API runs; tokens, or :class:`ChallengeRequired` for the next
    step. A refused answer raises the backend's error and, where the API would, leaves the
    session answerable."""
    from . import challenges, mfa

    responses = {"USERNAME": username}
    for field_name, member in _ANSWER_FIELDS.get(challenge_name, {}).items():
        if fields.get(field_name):
            responses[member] = fields[field_name]
    for name, value in fields.items():  # NEW_PASSWORD_REQUIRED's missing required attributes
        if name.startswith("requiredAttributes[") and name.endswith("]") and value:
            responses[f"userAttributes.{name[len('requiredAttributes[') : -1]}"] = value
    if challenge_name == mfa.MFA_SETUP:
        session = mfa.verify_in_setup(
            backend, pool.region, session, fields.get("code", ""), fields.get("device_name") or None
        )
    outcome = challenges.respond(
        backend,
        pool,
        request.client,
        challenge_name,
        session,
        responses,
        None,
        admin=False,
        grant=request.grant,
    )
    return _signed_in(backend, pool, username, outcome)


def _signed_in(
    backend: CognitoBackend, pool: UserPool, username: str, outcome: AuthOutcome
) -> tuple[User, sign_in.IssuedTokens]:
    from . import mfa

    if outcome.tokens is None:
        name, session = outcome.challenge_name or "", outcome.session or ""
        parameters = dict(outcome.challenge_parameters)
        if name == mfa.MFA_SETUP:
            # The page shows the authenticator's secret at once, as AssociateSoftwareToken
            # with the session would give it.
            parameters["SECRET_CODE"], session = mfa.associate_in_setup(
                backend, pool.region, session
            )
        raise ChallengeRequired(name, session, parameters)
    user = users.find_user(pool, username)
    if user is None:  # pragma: no cover - the sign-in has just found it
        raise OAuthError("server_error")
    return user, outcome.tokens
