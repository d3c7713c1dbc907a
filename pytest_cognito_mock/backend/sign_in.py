"""What a successful sign-in produces: tokens, and the refresh token's record.

A sign-in mints an ID token, an access token and a refresh token; refreshing mints a new ID and
access token from the refresh token's record, keeping the original ``auth_time`` and
``origin_jti``, and no new refresh token, unless the client rotates refresh tokens (see
token_refresh.py): then a new refresh token joins the family.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from . import (
    CognitoBackend,
    clock,
    devices,
    ids,
    keys,
    replicas,
    tokens,
    trigger_events,
    triggers,
    user_sessions,
)
from .app_clients import token_lifetime_seconds
from .errors import InvalidParameterException, NotAuthorizedException, RefreshTokenReuseException
from .groups import group_key, groups_for_token
from .models import AppClient, User, UserPool
from .trigger_events import GroupConfiguration, TokenCustomization

USER_DISABLED = "User is disabled."


@dataclass
class RefreshRecord:
    """The mock's memory of one refresh token (the token itself only carries the record id)."""

    record_id: str
    pool_id: str
    client_id: str
    sub: str
    auth_time: int
    origin_jti: str
    expires: float
    revoked: bool = False
    #: The device the token was issued on (device tracking): refreshing needs its DEVICE_KEY.
    device_key: str | None = None
    #: When the token was issued (exactly: GlobalSignOut revokes tokens issued until then).
    issued: float | None = None
    #: The OAuth 2.0 scopes of a sign-in through the hosted endpoints; None for the API's.
    scopes: tuple[str, ...] | None = None
    #: When a rotating client's exchange of this token stops it working: its first exchange
    #: plus the client's retry grace period. None while it was never exchanged so.
    rotated_out_at: float | None = None


#: A refresh token rotated out by an earlier GetTokensFromRefreshToken, past its grace period.
TOKEN_REUSED = "Refresh Token has been used."


@dataclass(frozen=True)
class OAuthGrant:
    """What a sign-in through the OAuth 2.0 endpoints adds: the granted scopes and the
    authorization request's ``nonce``."""

    scopes: tuple[str, ...]
    nonce: str | None = None


@dataclass(frozen=True)
class IssuedTokens:
    #: None only for an OAuth 2.0 sign-in without the ``openid`` scope.
    id_token: str | None
    access_token: str
    expires_in: int
    refresh_token: str | None = None
    #: (DeviceKey, DeviceGroupKey) of a device first seen at this sign-in: NewDeviceMetadata.
    new_device: tuple[str, str] | None = None


def issue_tokens(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    device_key: str | None = None,
    source: str = "TokenGeneration_Authentication",
    client_metadata: Mapping[str, str] | None = None,
    grant: OAuthGrant | None = None,
    post_authentication: bool = True,
) -> IssuedTokens:
    """A fresh sign-in of ``user`` through ``client``: all three tokens.

    ``device_key`` is the sign-in's DEVICE_KEY parameter: in a pool that tracks devices, a key of
    one of the user's devices signs in on it, anything else on a new device.

    The sign-in has succeeded, so the post authentication trigger runs, then pre token
    generation with ``source`` as its triggerSource (``TokenGeneration_NewPasswordChallenge``
    after NEW_PASSWORD_REQUIRED, ``TokenGeneration_AuthenticateDevice`` after device
    authentication). ``client_metadata`` is RespondToAuthChallenge's: InitiateAuth's reaches
    neither trigger. ``grant`` is set for sign-ins through the OAuth 2.0 endpoints;
    ``post_authentication`` False skips that trigger (a session cookie, not credentials).
    """
    new_device = devices.tracks_devices(pool) and (not device_key or device_key not in user.devices)
    if post_authentication and triggers.is_configured(
        pool, trigger_events.POST_AUTHENTICATION.trigger
    ):
        # Checked first: the event is not worth building on every sign-in of a pool without one.
        trigger_events.run(
            backend,
            pool,
            trigger_events.POST_AUTHENTICATION,
            "PostAuthentication_Authentication",
            user_name=user.username,
            client_id=client.client_id,
            given=trigger_events.for_user(
                user, new_device_used=new_device, client_metadata=client_metadata
            ),
        )
    scopes = grant.scopes if grant is not None else None
    customization = _customization(backend, pool, client, user, source, client_metadata, scopes)
    now = clock.now()
    device = devices.device_for_sign_in(pool, user, device_key)
    record = RefreshRecord(
        record_id=ids.uuid4(),
        pool_id=pool.id,
        client_id=client.client_id,
        sub=user.sub,
        auth_time=int(now),
        origin_jti=tokens.new_jti(),
        expires=now + token_lifetime_seconds(client, "RefreshToken"),
        device_key=device[0].key if device is not None else None,
        issued=now,
        scopes=scopes,
    )
    backend.refresh_tokens[record.record_id] = record
    tracking = pool.session_tracking
    if tracking is not None and tracking.enabled:  # session management: a new token session
        user_sessions.open_token_session(backend, tracking, record)
    nonce = grant.nonce if grant is not None else None
    issued = _mint(pool, client, user, record, customization, nonce)
    return IssuedTokens(
        issued.id_token,
        issued.access_token,
        issued.expires_in,
        tokens.mint_refresh_token(record.record_id),
        new_device=(device[0].key, device[0].group_key) if device and device[1] else None,
    )


def refresh_record(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    token: str | None,
    *,
    device_key: str | None = None,
) -> RefreshRecord:
    """The live record of ``token`` for ``client``, or the NotAuthorizedException AWS answers.

    ``device_key`` is the refresh's DEVICE_KEY parameter, required for tokens issued on a device.
    """
    if not token:
        raise InvalidParameterException("Missing required parameter REFRESH_TOKEN")
    record_id = tokens.refresh_token_id(token)
    record = backend.refresh_tokens.get(record_id) if record_id is not None else None
    if record is None or record.pool_id != pool.id:
        raise NotAuthorizedException("Invalid Refresh Token.")
    if record.client_id != client.client_id:
        raise NotAuthorizedException("Refresh Token has different Client")
    owner = pool.users.get(pool.users_by_sub.get(record.sub, ""))
    if owner is not None and not owner.enabled:
        # Disabling revoked the token too; while the user stays disabled, that is the reason.
        raise NotAuthorizedException(USER_DISABLED)
    # Revoking one token of a rotated family (RevokeToken) ends all of them: same origin_jti.
    if (
        record.revoked
        or record.origin_jti in backend.revoked_origin_jtis
        or _signed_out_since(backend, record)
    ):
        raise NotAuthorizedException("Refresh Token has been revoked")
    now = clock.now()
    if now >= record.expires:
        raise NotAuthorizedException("Refresh Token has expired")
    if record.rotated_out_at is not None and now >= record.rotated_out_at:
        raise RefreshTokenReuseException(TOKEN_REUSED)
    if record.device_key is not None and owner is not None:
        devices.check_refresh_device(owner, record.device_key, device_key)
    return record


def _signed_out_since(backend: CognitoBackend, record: RefreshRecord) -> bool:
    """Whether a global sign-out of the record's user came after the token was issued."""
    signed_out = backend.global_sign_outs.get(record.sub)
    issued = record.issued if record.issued is not None else record.auth_time
    return signed_out is not None and issued <= signed_out


def refreshed_tokens(
    pool: UserPool,
    client: AppClient,
    user: User,
    record: RefreshRecord,
    *,
    backend: CognitoBackend | None = None,
    client_metadata: Mapping[str, str] | None = None,
    rotated: bool = False,
) -> IssuedTokens:
    """New ID and access tokens from a refresh token's record (no new refresh token).

    With ``backend``, the pool's pre token generation trigger runs
    (``TokenGeneration_RefreshTokens``). ``rotated``: the refresh is a rotation (see
    :func:`rotated_tokens`), which session management counts as activity of an SSO session.
    """
    customization = None
    if backend is not None:
        source = "TokenGeneration_RefreshTokens"
        customization = _customization(
            backend, pool, client, user, source, client_metadata, record.scopes
        )
    issued = _mint(pool, client, user, record, customization)
    tracking = pool.session_tracking
    if tracking is not None and tracking.enabled:
        user_sessions.refreshed(tracking, record, rotated=rotated)
    return issued


def rotated_tokens(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    record: RefreshRecord,
    *,
    client_metadata: Mapping[str, str] | None = None,
) -> IssuedTokens:
    """New ID, access and refresh tokens from ``record`` (refresh-token rotation).

    The new refresh token belongs to the record's family: the same ``origin_jti`` (revoked
    together), ``auth_time``, device and scopes, and the same expiry, so rotating never extends
    a session. It is stored only once its tokens are minted: a failing pre token generation
    trigger leaves nothing behind.
    """
    # What dataclasses.replace does (every init field copied, some changed) for a third of its
    # cost: it looks the fields up anew on every call, and this runs on every exchange.
    successor = RefreshRecord(
        **{**vars(record), "record_id": ids.uuid4(), "issued": clock.now(), "rotated_out_at": None}
    )
    issued = refreshed_tokens(
        pool,
        client,
        user,
        successor,
        backend=backend,
        client_metadata=client_metadata,
        rotated=True,
    )
    backend.refresh_tokens[successor.record_id] = successor
    refresh_token = tokens.mint_refresh_token(successor.record_id)
    return IssuedTokens(**{**vars(issued), "refresh_token": refresh_token})


def _customization(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    user: User,
    source: str,
    client_metadata: Mapping[str, str] | None,
    scopes: tuple[str, ...] | None = None,
) -> TokenCustomization | None:
    """What the pool's pre token generation trigger changes (None: no trigger)."""
    spec = trigger_events.pre_token_generation(pool)
    if not triggers.is_configured(pool, spec.trigger):
        return None  # the common case: skip building an event nobody reads (per sign-in cost)
    given = trigger_events.for_user(
        user,
        group_configuration=group_configuration(pool, user),
        scopes=scopes if scopes is not None else (tokens.API_SCOPE,),
        client_metadata=client_metadata,
    )
    return trigger_events.run(
        backend,
        pool,
        spec,
        source,
        user_name=user.username,
        client_id=client.client_id,
        given=given,
    )


_NO_GROUPS = GroupConfiguration()


def group_configuration(pool: UserPool, user: User) -> GroupConfiguration:
    """The user's group claims: groups by precedence, their IAM roles, and the preferred role.

    The preferred role is the role of the group with the best (lowest) precedence; groups tied
    there with different roles leave it unset, as do groups without roles.
    """
    if not user.groups:
        return _NO_GROUPS  # most users: skip the lookups
    found = (pool.groups.get(group_key(name)) for name in groups_for_token(pool, user))
    in_order = [group for group in found if group is not None]
    with_roles = [group for group in in_order if group.role_arn]
    preferred = None
    if with_roles:
        best = with_roles[0].precedence  # token order: precedence first, unset last
        tied = {group.role_arn for group in with_roles if group.precedence == best}
        preferred = tied.pop() if len(tied) == 1 else None
    return GroupConfiguration(
        groups=tuple(group.name for group in in_order),
        iam_roles=tuple(dict.fromkeys(group.role_arn for group in with_roles if group.role_arn)),
        preferred_role=preferred,
    )


def _mint(
    pool: UserPool,
    client: AppClient,
    user: User,
    record: RefreshRecord,
    customization: TokenCustomization | None = None,
    nonce: str | None = None,
) -> IssuedTokens:
    claims = group_configuration(pool, user)
    if customization is not None and customization.groups is not None:
        claims = customization.groups
    issuance = tokens.Issuance(
        region=replicas.issuing_region(pool),  # a replica's region issues its own ``iss``
        pool_id=pool.id,
        client_id=client.client_id,
        sub=user.sub,
        username=user.username,
        auth_time=record.auth_time,
        origin_jti=record.origin_jti,
        event_id=ids.uuid4(),
        groups=claims.groups,
        scopes=record.scopes,
        nonce=nonce,
    )
    granted = list(record.scopes) if record.scopes is not None else [tokens.API_SCOPE]
    access_lifetime = token_lifetime_seconds(client, "AccessToken")
    mint = functools.partial(
        tokens.mint_tokens,
        keys.pool_keys(pool),
        issuance,
        attributes=readable_attributes(client, user, record.scopes),
        id_lifetime=token_lifetime_seconds(client, "IdToken"),
        access_lifetime=access_lifetime,
        device_key=record.device_key,
        roles=claims.iam_roles,
        preferred_role=claims.preferred_role,
        id_overrides=customization.id_token if customization else None,
        access_overrides=customization.access_token if customization else None,
        scopes=customization.scopes(granted) if customization else None,
    )
    # API sign-ins always get an ID token; OAuth 2.0 ones only with the openid scope.
    with_id_token = record.scopes is None or "openid" in record.scopes
    id_token, access_token = mint(with_id_token=with_id_token)
    return IssuedTokens(id_token, access_token, access_lifetime)


def readable_attributes(
    client: AppClient, user: User, scopes: tuple[str, ...] | None = None
) -> dict[str, str]:
    """The user attributes ``client`` may read: its ReadAttributes, or (unset) all but
    developer-only ones (see docs/fidelity.md). ``scopes`` of an OAuth 2.0 sign-in narrow
    them: ``openid`` alone gives every readable attribute; with ``email``, ``phone`` or
    ``profile`` only what those scopes cover."""
    allowed = client.settings.read_attributes
    if allowed is None:
        readable = {k: v for k, v in user.attributes.items() if not k.startswith("dev:")}
    else:
        permitted = set(allowed)
        readable = {k: v for k, v in user.attributes.items() if k in permitted}
    if scopes is None or "profile" in scopes:
        return readable
    covered = {name for scope in scopes for name in _SCOPE_ATTRIBUTES.get(scope, ())}
    if not covered:
        return readable  # openid alone
    # A federated user's identities are always in its ID token, whatever the scopes.
    return {k: v for k, v in readable.items() if k in covered or k == "identities"}


#: The attributes an OpenID scope other than ``profile`` (which covers every readable one)
#: releases into the ID token and userInfo.
_SCOPE_ATTRIBUTES = {
    "email": ("email", "email_verified"),
    "phone": ("phone_number", "phone_number_verified"),
}
