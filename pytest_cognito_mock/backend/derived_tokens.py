"""OAuth 2.0 token exchange (RFC 8693): GetDerivedToken and the token endpoint's grant.

An app client presents a *subject token*, the user's own access or ID token of this pool, and
gets a new token for a downstream service: narrowed in scope, bound to one audience, and with no
refresh token. With an *actor token* as well (the service doing the exchange), the exchange is a
delegation and the issued token names the actor in an ``act`` claim; without one it is an
impersonation and the token reads as if the user acted directly. The requesting client needs
``ALLOW_TOKEN_EXCHANGE_DELEGATION`` or ``ALLOW_TOKEN_EXCHANGE_IMPERSONATION`` accordingly.

Presented tokens are checked as every access token the API accepts is (signature, expiry,
revocation, the user still there and enabled). Tokens of third-party identity providers
(``*TokenProviderName``, ``SAML2``) are refused: the mock cannot validate another issuer's
credentials. The wording of the refusals that AWS has not published is the mock's, listed in
docs/fidelity.md.

One exchange serves both doors. :func:`exchange` runs it for an app client already
authenticated and raises :class:`Refused`, which names both the modelled exception
GetDerivedToken raises (:func:`get_derived_token`) and the OAuth error code ``/oauth2/token``
answers (:func:`token_endpoint_grant`, the ``urn:ietf:params:oauth:grant-type:token-exchange``
grant, whose parameters are RFC 8693's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import (
    CognitoBackend,
    clock,
    feature_plans,
    ids,
    keys,
    replicas,
    resource_servers,
    sign_in,
    tokens,
)
from .access_tokens import is_revoked
from .app_clients import token_lifetime_seconds
from .auth_flows import (
    TOKEN_EXCHANGE_DELEGATION,
    TOKEN_EXCHANGE_IMPERSONATION,
    allows_token_exchange,
)
from .client_secrets import check_client_secret
from .errors import (
    FeatureUnavailableInTierException,
    InvalidParameterException,
    NotAuthorizedException,
    ServiceError,
    UserNotFoundException,
)
from .keys import TokenUse
from .models import AppClient, User, UserPool
from .oauth import OAuthError

ACCESS_TOKEN, ID_TOKEN, SAML2 = "ACCESS_TOKEN", "ID_TOKEN", "SAML2"
#: TokenTypeIdentifierType -> the ``token_use`` of a pool's own token of that type.
_TOKEN_USES: dict[str, TokenUse] = {ACCESS_TOKEN: "access", ID_TOKEN: "id"}
_LABELS = {ACCESS_TOKEN: "Access Token", ID_TOKEN: "ID Token"}

FLOW_NOT_ENABLED = "{flow} flow not enabled for this client"
ACTOR_TYPE_MISSING = "ActorTokenType is required when ActorToken is provided."
ACTOR_TOKEN_MISSING = "ActorToken is required when ActorTokenType is provided."
AUDIENCE_AND_RESOURCE = "Audiences and Resources can't both be provided in the same request."
THIRD_PARTY = (
    "{member} from a third-party identity provider can't be exchanged: pytest-cognito-mock "
    "exchanges only this user pool's own access and ID tokens."
)
UNKNOWN_PROVIDER = "The provider {name} does not exist for User Pool {pool_id}"
INVALID_SCOPE = "Invalid scope requested: {scope}"
INVALID_RESOURCE = "Invalid resource requested: {resource}"
NO_SCOPES = (
    "The requested scopes, the scopes of the SubjectToken and the scopes allowed for the app "
    "client {client_id} have none in common."
)
MACHINE_SUBJECT = "A SubjectToken must represent a user: a client credentials token can't be one."
USER_NOT_FOUND = "User does not exist."

#: The token endpoint's grant, and RFC 8693's token type identifiers for GetDerivedToken's.
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
TOKEN_TYPE_URNS = {
    ACCESS_TOKEN: "urn:ietf:params:oauth:token-type:access_token",
    ID_TOKEN: "urn:ietf:params:oauth:token-type:id_token",
    SAML2: "urn:ietf:params:oauth:token-type:saml2",
}
_TYPES_OF_URNS = {urn: token_type for token_type, urn in TOKEN_TYPE_URNS.items()}
_PRESENTABLE = (ACCESS_TOKEN, ID_TOKEN, SAML2)
_ISSUABLE = (ACCESS_TOKEN, ID_TOKEN)
MISSING_PARAMETER = "{name} is required."
UNSUPPORTED_TYPE = "Unsupported {name}: {value}"
ONE_TARGET = "Only one {name} can be requested."


class Refused(Exception):
    """An exchange refused, in the words of both doors: ``api`` is the modelled exception
    GetDerivedToken raises, ``oauth`` the error code the token endpoint answers (RFC 6749
    section 5.2, RFC 8693 section 2.2.2); ``message`` is the text of either."""

    def __init__(self, api: type[ServiceError], oauth: str, message: str) -> None:
        super().__init__(message)
        self.api = api
        self.oauth = oauth
        self.message = message


def _invalid(message: str, oauth: str = "invalid_request") -> Refused:
    return Refused(InvalidParameterException, oauth, message)


def _not_authorized(message: str) -> Refused:
    return Refused(NotAuthorizedException, "invalid_grant", message)


@dataclass(frozen=True)
class Presented:
    """A checked subject or actor token: its claims, and its user (None for a machine's)."""

    claims: dict[str, Any]
    user: User | None


@dataclass(frozen=True)
class DerivedToken:
    token: str
    token_type: str  # ACCESS_TOKEN or ID_TOKEN
    expires_in: int
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Exchange:
    """What an exchange asks for, in GetDerivedToken's terms (the token endpoint's grant
    translates its form parameters into these)."""

    subject_token: str
    subject_token_type: str
    subject_provider: str | None = None
    actor_token: str | None = None
    actor_token_type: str | None = None
    actor_provider: str | None = None
    scopes: Sequence[str] | None = None
    audiences: Sequence[str] | None = None
    resources: Sequence[str] | None = None
    requested_token_type: str = ACCESS_TOKEN


def get_derived_token(
    backend: CognitoBackend,
    region: str,
    client_id: str,
    client_secret: str | None,
    request: Exchange,
) -> DerivedToken:
    """GetDerivedToken: the client and its secret first, then the exchange; a refusal is the
    operation's modelled exception."""
    pool, client = backend.client(region, client_id)
    check_client_secret(client, client_secret, NotAuthorizedException)
    try:
        return exchange(backend, pool, client, request)
    except Refused as refused:
        raise refused.api(refused.message) from None


def token_endpoint_grant(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    form: Mapping[str, str],
    audiences: Sequence[str],
    resources: Sequence[str],
) -> DerivedToken:
    """``/oauth2/token``'s token-exchange grant for the authenticated ``client``: RFC 8693's
    form parameters (``audiences`` and ``resources`` are every value given), the exchange, and
    a refusal as the OAuth error, its text as the ``error_description``."""
    audiences = [value for value in audiences if value]
    resources = [value for value in resources if value]
    for name, values in (("audience", audiences), ("resource", resources)):
        if len(values) > 1:
            # Cognito binds the token to one target (Audiences and Resources hold one each).
            raise OAuthError("invalid_target", ONE_TARGET.format(name=name))
    subject_token = _required(form, "subject_token")
    subject_type = _token_type("subject_token_type", _required(form, "subject_token_type"))
    request = Exchange(
        subject_token=subject_token,
        subject_token_type=subject_type,
        actor_token=form.get("actor_token") or None,
        actor_token_type=_token_type("actor_token_type", form.get("actor_token_type")) or None,
        scopes=(form.get("scope") or "").split() or None,
        audiences=audiences or None,
        resources=resources or None,
        requested_token_type=_requested_type(form),
    )
    try:
        return exchange(backend, pool, client, request)
    except Refused as refused:
        raise OAuthError(refused.oauth, refused.message) from None


def _required(form: Mapping[str, str], name: str) -> str:
    value = form.get(name)
    if not value:
        raise OAuthError("invalid_request", MISSING_PARAMETER.format(name=name))
    return value


def _token_type(name: str, urn: str | None, accepted: Sequence[str] = _PRESENTABLE) -> str:
    """GetDerivedToken's name for the token type URN of parameter ``name`` ("" when the
    parameter is absent or empty); a type outside ``accepted`` is ``invalid_request``."""
    if not urn:
        return ""
    token_type = _TYPES_OF_URNS.get(urn)
    if token_type is None or token_type not in accepted:
        raise OAuthError("invalid_request", UNSUPPORTED_TYPE.format(name=name, value=urn))
    return token_type


def _requested_type(form: Mapping[str, str]) -> str:
    """An access token unless an ID token is asked for: Cognito issues no other type."""
    return (
        _token_type("requested_token_type", form.get("requested_token_type"), _ISSUABLE)
        or ACCESS_TOKEN
    )


def exchange(
    backend: CognitoBackend, pool: UserPool, client: AppClient, request: Exchange
) -> DerivedToken:
    """The exchange both doors share, for a ``client`` already authenticated. Checked in
    order: the request's shape, the client's flow, the tokens, the audience, the scopes; then
    the token is minted. Nothing is stored. Refusals raise :class:`Refused`."""
    delegation = _check_shape(request)
    flow = TOKEN_EXCHANGE_DELEGATION if delegation else TOKEN_EXCHANGE_IMPERSONATION
    if not allows_token_exchange(client, flow):
        raise _invalid(
            FLOW_NOT_ENABLED.format(flow=flow.removeprefix("ALLOW_")), "unauthorized_client"
        )
    try:
        # A client configured before its pool moved to LITE keeps the flow but cannot use it,
        # as choice-based sign-in is refused at sign-in after such a move.
        feature_plans.require_for_pool(pool, feature_plans.TOKEN_EXCHANGE)
    except FeatureUnavailableInTierException as refused:
        raise Refused(
            FeatureUnavailableInTierException, "unauthorized_client", refused.message
        ) from None
    subject = _presented(
        backend,
        pool,
        request.subject_token,
        request.subject_token_type,
        request.subject_provider,
        "SubjectToken",
    )
    if subject.user is None:
        raise _not_authorized(MACHINE_SUBJECT)
    actor = None
    if delegation:
        assert request.actor_token is not None and request.actor_token_type is not None
        actor = _presented(
            backend,
            pool,
            request.actor_token,
            request.actor_token_type,
            request.actor_provider,
            "ActorToken",
        )
    audience = _audience(pool, request)
    scopes = _granted_scopes(pool, client, request, subject, audience)
    return _mint(pool, client, subject.user, subject, actor, request, audience, scopes)


def _check_shape(request: Exchange) -> bool:
    """Refuse member combinations the model cannot express; True for a delegation."""
    if request.actor_token is not None and request.actor_token_type is None:
        raise _invalid(ACTOR_TYPE_MISSING)
    if request.actor_token is None and request.actor_token_type is not None:
        raise _invalid(ACTOR_TOKEN_MISSING)
    if request.audiences and request.resources:
        raise _invalid(AUDIENCE_AND_RESOURCE, "invalid_target")
    return request.actor_token is not None


def _presented(
    backend: CognitoBackend,
    pool: UserPool,
    token: str,
    token_type: str,
    provider: str | None,
    member: str,
) -> Presented:
    """The claims and user of a presented token of this pool, or the API's refusal.

    The subject's refusals are the texts AWS gives an access token elsewhere ("Invalid Access
    Token", "... has expired", "... has been revoked"); the actor's say ``ActorToken:`` first.
    """
    if provider is not None:
        if provider not in pool.identity_providers:
            raise _invalid(UNKNOWN_PROVIDER.format(name=provider, pool_id=pool.id))
        raise _invalid(THIRD_PARTY.format(member=member))
    if token_type == SAML2:
        raise _invalid(THIRD_PARTY.format(member=member))
    label = _LABELS[token_type]
    prefix = "" if member == "SubjectToken" else f"{member}: "
    claims = tokens.decode_token(
        token, lambda pool_id: pool.keys if pool_id == pool.id else None, _TOKEN_USES[token_type]
    )
    if claims is None:
        raise _not_authorized(f"{prefix}Invalid {label}")
    if clock.now() >= claims["exp"]:
        raise _not_authorized(f"{prefix}{label} has expired")
    if _is_machine_token(claims):
        return Presented(claims, None)
    user_key = pool.users_by_sub.get(str(claims.get("sub")))
    user = pool.users.get(user_key) if user_key is not None else None
    if user is None:
        raise Refused(UserNotFoundException, "invalid_grant", USER_NOT_FOUND)
    if is_revoked(backend, user, claims):
        raise _not_authorized(f"{prefix}{label} has been revoked")
    if not user.enabled:
        raise _not_authorized(sign_in.USER_DISABLED)
    return Presented(claims, user)


def _is_machine_token(claims: dict[str, Any]) -> bool:
    """A client credentials token: its subject is the app client itself, there is no user."""
    return claims.get("token_use") == "access" and "username" not in claims


def _audience(pool: UserPool, request: Exchange) -> str | None:
    """The one audience the token is bound to: a logical name, or a resource server of the
    pool; None when neither was asked for."""
    if request.resources:
        resource = request.resources[0]
        if resource not in pool.resource_servers:
            raise _invalid(INVALID_RESOURCE.format(resource=resource), "invalid_target")
        return resource
    return request.audiences[0] if request.audiences else None


def _granted_scopes(
    pool: UserPool,
    client: AppClient,
    request: Exchange,
    subject: Presented,
    audience: str | None,
) -> tuple[str, ...]:
    """The intersection AWS documents: the requested scopes (all, when none are), the subject
    token's and the client's AllowedOAuthScopes that still exist.

    An ID token carries no ``scope``, so it does not narrow the set. Bound to a resource server,
    the token keeps that server's scopes only (no OpenID ones). A scope the pool does not know
    at all is refused; an access token with nothing left is refused, an ID token needs none.
    """
    asked = list(dict.fromkeys(request.scopes or ()))
    unknown = resource_servers.unknown_scopes(pool, asked)
    if unknown:
        raise _invalid(INVALID_SCOPE.format(scope=unknown[0]), "invalid_scope")
    allowed = resource_servers.active_scopes(pool, client.settings.allowed_oauth_scopes or [])
    if "scope" in subject.claims or subject.claims.get("token_use") == "access":
        held = set(str(subject.claims.get("scope", "")).split())
        allowed = [scope for scope in allowed if scope in held]
    if request.resources and audience is not None:
        allowed = [scope for scope in allowed if scope.startswith(f"{audience}/")]
    granted = tuple(scope for scope in (asked or allowed) if scope in allowed)
    if not granted and request.requested_token_type == ACCESS_TOKEN:
        raise _invalid(NO_SCOPES.format(client_id=client.client_id), "invalid_scope")
    return granted


def _act_claim(subject: Presented, actor: Presented | None) -> dict[str, Any] | None:
    """RFC 8693's ``act``: the current actor, with any earlier actor of the subject token
    nested inside it. An impersonation keeps the subject's own ``act``, if it has one."""
    earlier = subject.claims.get("act")
    if actor is None:
        return dict(earlier) if isinstance(earlier, dict) else None
    claims = actor.claims
    act: dict[str, Any] = {"sub": claims["sub"]}
    # The actor's app client: an access token names it, an ID token is addressed to it.
    act["client_id"] = claims.get("client_id", claims.get("aud"))
    if actor.user is not None:
        act["username"] = actor.user.username
    if isinstance(earlier, dict):
        act["act"] = dict(earlier)
    return act


def _mint(
    pool: UserPool,
    client: AppClient,
    user: User,
    subject: Presented,
    actor: Presented | None,
    request: Exchange,
    audience: str | None,
    scopes: tuple[str, ...],
) -> DerivedToken:
    token_use = _TOKEN_USES[request.requested_token_type]
    groups = sign_in.group_configuration(pool, user)
    issuance = tokens.Issuance(
        region=replicas.issuing_region(pool),
        pool_id=pool.id,
        client_id=client.client_id,
        sub=user.sub,
        username=user.username,
        # The user's authentication is the subject token's; its token family too, so that
        # revoking the subject's refresh token revokes what was derived from it.
        auth_time=int(subject.claims.get("auth_time", clock.now())),
        origin_jti=str(subject.claims.get("origin_jti") or tokens.new_jti()),
        event_id=ids.uuid4(),
        groups=groups.groups,
        scopes=scopes,
    )
    lifetime = token_lifetime_seconds(client, "AccessToken" if token_use == "access" else "IdToken")
    token = tokens.mint_derived_token(
        keys.pool_keys(pool),
        issuance,
        token_use=token_use,
        lifetime=lifetime,
        attributes=sign_in.readable_attributes(client, user),
        audience=audience,
        act=_act_claim(subject, actor),
        roles=groups.iam_roles,
        preferred_role=groups.preferred_role,
    )
    return DerivedToken(token, request.requested_token_type, lifetime, scopes)
