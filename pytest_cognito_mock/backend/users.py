"""Users of a pool: lookup, creation, sign-up and confirmation, attributes, passwords, deletion.

A user is stored in ``pool.users`` under the user key of its internal username
(:meth:`UserPool.user_key`), in ``pool.users_by_sub`` by sub, and in ``pool.aliases`` under each
of its sign-in aliases (see :func:`attributes.sign_in_aliases`), so every way of naming a user
is a dictionary lookup. Functions check everything before they change anything.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from . import CognitoBackend, clock, identities, ids, messages, trigger_events
from .attributes import (
    CONTACT_ATTRIBUTES,
    GivenAttributes,
    attribute_changes,
    attribute_deletions,
    claim_aliases,
    index_aliases,
    is_email,
    is_phone_number,
    new_user_attributes,
    replace_attributes,
    take_over_aliases,
    unindex_aliases,
)
from .errors import (
    AliasExistsException,
    CodeMismatchException,
    ExpiredCodeException,
    InvalidParameterException,
    NotAuthorizedException,
    UnsupportedUserStateException,
    UsernameExistsException,
    UserNotFoundException,
)
from .models import AppClient, PendingCode, User, UserPool
from .passwords import ADMIN_CREATE_USER_PREFIX, SET_PASSWORD_PREFIX, SIGN_UP_PREFIX, check_password
from .schema import NEVER_WRITABLE
from .secret_hash import check_secret_hash
from .trigger_events import EventInput, MigrationAnswer, PreSignUpAnswer
from .user_data_history import before_user_change

USER_NOT_FOUND = "User does not exist."
#: The unknown-user text of the app-client operations that take a username (ForgotPassword,
#: ConfirmForgotPassword, ResendConfirmationCode, ConfirmSignUp).
USERNAME_CLIENT_NOT_FOUND = "Username/client id combination not found."
CODE_MISMATCH = "Invalid verification code provided, please try again."
CODE_EXPIRED = "Invalid code provided, please request a code again."
#: Confirmation and verification codes are accepted for 24 hours.
CODE_VALIDITY_SECONDS = 24 * 3600
_DAY = 24 * 3600

#: How a sign-in name of each UsernameAttributes kind is recognised, in the order tried.
SIGN_IN_FORMATS: dict[str, Callable[[str], bool]] = {
    "email": is_email,
    "phone_number": is_phone_number,
}
#: AliasAttributes pools refuse usernames that look like one of their aliases.
ALIAS_LOOKALIKES: dict[str, tuple[Callable[[str], bool], str]] = {
    "email": (
        is_email,
        "Username cannot be of email format, since user pool is configured for email alias.",
    ),
    "phone_number": (
        is_phone_number,
        "Username cannot be of phone number format, since user pool is configured for "
        "phone number alias.",
    ),
}
#: Where a code goes when the pool auto-verifies the attribute: SMS wins when both qualify.
_DELIVERY_MEDIUMS: tuple[tuple[str, str], ...] = (("phone_number", "SMS"), ("email", "EMAIL"))


@dataclass(frozen=True)
class CodeDelivery:
    """Where a code was sent: the medium (EMAIL/SMS), the attribute and its (unmasked) value."""

    medium: str
    attribute: str
    destination: str


# -- lookup ------------------------------------------------------------------------------------


def find_user(pool: UserPool, name: str) -> User | None:
    """The user a request names: by username, by sign-in alias, or by ``sub``."""
    user = pool.users.get(pool.user_key(name))
    if user is not None:
        return user
    for attribute in pool.username_attributes or pool.alias_attributes or ():
        key = pool.aliases.get((attribute, pool.user_key(name)))
        if key is not None:
            return pool.users.get(key)
    by_sub = pool.users_by_sub.get(name)
    return pool.users.get(by_sub) if by_sub is not None else None


def get_user(pool: UserPool, name: str) -> User:
    """Like :func:`find_user`, raising AWS's ``UserNotFoundException`` when there is none."""
    user = find_user(pool, name)
    if user is None:
        raise UserNotFoundException(USER_NOT_FOUND)
    return user


def _client_user(pool: UserPool, name: str) -> User:
    """The user an app-client operation names; unknown: AWS's wording for those operations."""
    user = find_user(pool, name)
    if user is None:
        raise UserNotFoundException(USERNAME_CLIENT_NOT_FOUND)
    return user


# -- creation ----------------------------------------------------------------------------------


def admin_create_user(
    pool: UserPool,
    username: str,
    given: GivenAttributes,
    *,
    temporary_password: str | None = None,
    force_alias_creation: bool = False,
    backend: CognitoBackend | None = None,
    validation_data: Mapping[str, str] | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> User:
    """AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password (given, or
    made up), or, without one in a pool where users may sign in with codes, a CONFIRMED user
    with no password.

    With ``backend``, the pool's pre sign-up trigger runs first (``PreSignUp_AdminCreateUser``);
    AWS ignores its auto-confirm and auto-verify answers here.
    """
    internal, implied = _new_username(pool, username)
    if internal is not None and pool.user_key(internal) in pool.users:
        raise UsernameExistsException("User account already exists")
    requires = backend is None or backend.admin_create_user_requires_attributes
    attributes = new_user_attributes(
        pool, _with_implied(given, implied), required_attributes_checked=requires
    )
    passwordless = not temporary_password and passwordless_available(pool)
    if temporary_password:
        check_password(pool.password_policy, temporary_password, ADMIN_CREATE_USER_PREFIX)
    # AdminCreateUser models no AliasExistsException: a taken alias is a taken name here.
    takeovers = claim_aliases(
        pool, attributes, None, force=force_alias_creation, error=UsernameExistsException
    )
    sub = _unused_sub(pool)
    trigger_events.run(
        backend,
        pool,
        trigger_events.PRE_SIGN_UP,
        "PreSignUp_AdminCreateUser",  # whose answer AWS ignores
        user_name=internal or sub,
        client_id=None,
        given=EventInput(
            user_attributes=attributes,
            validation_data=validation_data,
            client_metadata=client_metadata,
        ),
    )
    take_over_aliases(pool, takeovers)
    if passwordless:
        return add_user(pool, internal, attributes, "CONFIRMED", None, sub=sub)
    user = add_user(
        pool,
        internal,
        attributes,
        "FORCE_CHANGE_PASSWORD",
        temporary_password or ids.temporary_password(),
        sub=sub,
    )
    user.temporary_password_expires = user.created + _temporary_validity(pool)
    return user


def passwordless_available(pool: UserPool) -> bool:
    """Whether users may have no password: the pool lets them sign in with an emailed or texted
    code (``EMAIL_OTP`` or ``SMS_OTP`` among its AllowedFirstAuthFactors), as the API reference
    of SignUp's Password and AdminCreateUser's TemporaryPassword puts it."""
    return any(f in pool.allowed_first_auth_factors for f in ("EMAIL_OTP", "SMS_OTP"))


def resend_invitation(pool: UserPool, username: str, temporary_password: str | None) -> User:
    """AdminCreateUser with MessageAction RESEND: a fresh temporary password for the user."""
    user = get_user(pool, username)
    if user.status != "FORCE_CHANGE_PASSWORD":
        raise UnsupportedUserStateException(
            f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD"
        )
    if temporary_password is not None:
        check_password(pool.password_policy, temporary_password, ADMIN_CREATE_USER_PREFIX)
    before_user_change(pool, user)
    user.password = temporary_password or ids.temporary_password()
    user.temporary_password_expires = clock.now() + _temporary_validity(pool)
    return user


def sign_up(
    pool: UserPool,
    client: AppClient,
    username: str,
    password: str | None,
    given: GivenAttributes,
    secret_hash: str | None = None,
    *,
    backend: CognitoBackend | None = None,
    validation_data: Mapping[str, str] | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> tuple[User, CodeDelivery | None]:
    """SignUp: an UNCONFIRMED user, and where its confirmation code went (None: nowhere).

    With ``backend``, the pool's pre sign-up trigger runs once the request is found valid
    (``PreSignUp_SignUp``); it may refuse the user (nothing is created), or confirm it and verify
    its email/phone number, in which case no code is sent and post confirmation runs.
    """
    check_secret_hash(client, username, secret_hash)
    if pool.echoed_settings.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly"):
        raise NotAuthorizedException("SignUp is not permitted for this user pool")
    internal, implied = _new_username(pool, username)
    attributes = new_user_attributes(pool, _with_implied(given, implied))
    _check_client_may_write(pool, client, [name for name, _ in given])
    if not password:
        if not passwordless_available(pool):
            raise InvalidParameterException("Password cannot be empty")
        password = None  # a passwordless user: it signs in with codes (USER_AUTH)
    else:
        check_password(pool.password_policy, password, SIGN_UP_PREFIX)
    if internal is not None and pool.user_key(internal) in pool.users:
        raise UsernameExistsException("User already exists")
    claim_aliases(pool, attributes, None, force=False, error=UsernameExistsException)
    sub = _unused_sub(pool)
    answer = (
        trigger_events.run(
            backend,
            pool,
            trigger_events.PRE_SIGN_UP,
            "PreSignUp_SignUp",
            user_name=internal or sub,
            client_id=client.client_id,
            given=EventInput(
                user_attributes=attributes,
                validation_data=validation_data,
                client_metadata=client_metadata,
            ),
        )
        or PreSignUpAnswer()
    )
    attributes = answer.verified(attributes)
    # An auto-verified email/phone number alias moves to the new user, as AWS documents.
    takeovers = claim_aliases(pool, attributes, None, force=True, error=UsernameExistsException)
    take_over_aliases(pool, takeovers)
    status = "CONFIRMED" if answer.auto_confirm else "UNCONFIRMED"
    user = add_user(pool, internal, attributes, status, password, sub=sub)
    if answer.auto_confirm:
        _post_confirmation(backend, pool, user, client.client_id, client_metadata)
        return user, None
    return user, _send_confirmation_code(
        pool, user, backend=backend, client_id=client.client_id, client_metadata=client_metadata
    )


def _post_confirmation(
    backend: CognitoBackend | None,
    pool: UserPool,
    user: User,
    client_id: str | None,
    client_metadata: Mapping[str, str] | None,
) -> None:
    """The post confirmation trigger. The user stays confirmed when it raises, as on AWS."""
    trigger_events.run(
        backend,
        pool,
        trigger_events.POST_CONFIRMATION,
        "PostConfirmation_ConfirmSignUp",
        user_name=user.username,
        client_id=client_id,
        given=trigger_events.for_user(user, client_metadata=client_metadata),
    )


def _new_username(pool: UserPool, username: str) -> tuple[str | None, dict[str, str]]:
    """The internal username of a new user (None: its sub) and the attributes it implies."""
    if pool.username_attributes:
        for attribute in pool.username_attributes:
            if SIGN_IN_FORMATS[attribute](username):
                return None, {attribute: username}
        raise InvalidParameterException("Username should be either an email or a phone number.")
    for attribute in pool.alias_attributes or ():
        lookalike = ALIAS_LOOKALIKES.get(attribute)
        if lookalike is not None and lookalike[0](username):
            raise InvalidParameterException(lookalike[1])
    return username, {}


def _with_implied(given: GivenAttributes, implied: Mapping[str, str]) -> GivenAttributes:
    # The sign-in name wins over an attribute of the same name in the request.
    return [(n, v) for n, v in given if n not in implied] + list(implied.items())


def _check_client_may_write(pool: UserPool, client: AppClient, names: Sequence[str]) -> None:
    allowed = client.settings.write_attributes
    for name in names:
        definition = pool.attribute(name)
        developer_only = definition is not None and definition.developer_only
        if (
            name in NEVER_WRITABLE
            or developer_only
            or (allowed is not None and name not in allowed)
        ):
            raise NotAuthorizedException("A client attempted to write unauthorized attribute")


def _unused_sub(pool: UserPool) -> str:
    sub = ids.sub()
    while sub in pool.users_by_sub:  # pragma: no cover - uuid4
        sub = ids.sub()
    return sub


def add_user(
    pool: UserPool,
    username: str | None,
    attributes: Mapping[str, str],
    status: str,
    password: str | None,
    *,
    sub: str | None = None,
) -> User:
    """Store a new user and index it (sub, aliases); ``username`` None makes the sub the
    internal username. Every user, created by a call or imported from a file, is added here."""
    now = clock.now()
    sub = sub or _unused_sub(pool)
    user = User(
        username=username if username is not None else sub,
        sub=sub,
        created=now,
        modified=now,
        attributes={"sub": sub, **attributes},
        status=status,
        password=password,
    )
    key = pool.user_key(user.username)
    pool.users[key] = user
    pool.users_by_sub[sub] = key
    index_aliases(pool, user)
    return user


def _temporary_validity(pool: UserPool) -> float:
    return pool.password_policy.temporary_password_validity_days * _DAY


# -- confirmation ------------------------------------------------------------------------------


def confirm_sign_up(
    pool: UserPool,
    client: AppClient,
    username: str,
    code: str,
    secret_hash: str | None = None,
    *,
    force_alias_creation: bool = False,
    backend: CognitoBackend | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> User:
    """ConfirmSignUp: the latest code confirms the user and verifies where it was sent.

    With ``backend``, the pool's post confirmation trigger runs after the confirmation.
    """
    check_secret_hash(client, username, secret_hash)
    user = _client_user(pool, username)
    _require_unconfirmed(user)
    pending = user.confirmation
    if pending is None or not hmac.compare_digest(pending.code.encode(), code.encode()):
        raise CodeMismatchException(CODE_MISMATCH)
    if clock.now() > pending.expires:
        raise ExpiredCodeException(CODE_EXPIRED)
    after = dict(user.attributes)
    if pending.attribute is not None:
        after[f"{pending.attribute}_verified"] = "true"
    key = pool.user_key(user.username)
    takeovers = claim_aliases(
        pool, after, key, force=force_alias_creation, error=AliasExistsException
    )
    take_over_aliases(pool, takeovers)
    before_user_change(pool, user)
    replace_attributes(pool, user, after)
    user.status = "CONFIRMED"
    user.confirmation = None
    _post_confirmation(backend, pool, user, client.client_id, client_metadata)
    return user


def admin_confirm_sign_up(
    pool: UserPool,
    username: str,
    *,
    backend: CognitoBackend | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> User:
    """AdminConfirmSignUp: confirms without a code (and verifies nothing); with ``backend``, the
    post confirmation trigger runs (``PostConfirmation_ConfirmSignUp`` too)."""
    user = get_user(pool, username)
    _require_unconfirmed(user)
    before_user_change(pool, user)
    user.status = "CONFIRMED"
    user.confirmation = None
    user.modified = clock.now()
    _post_confirmation(backend, pool, user, None, client_metadata)
    return user


def migrate_user(
    pool: UserPool, username: str, migrated: MigrationAnswer, password: str | None
) -> User:
    """The user a user migration trigger brought over, under the name it was looked up by.

    Sign-in (``password`` given) keeps that password, whatever the pool's policy, when the user
    ends CONFIRMED; the forgot-password flow (no password) always leaves it RESET_REQUIRED.
    A taken email/phone number alias moves only with ``forceAliasCreation``.
    """
    internal, implied = _new_username(pool, username)
    if internal is not None and pool.user_key(internal) in pool.users:
        raise UsernameExistsException("User account already exists")
    given = [(name, value) for name, value in migrated.attributes.items()]
    attributes = new_user_attributes(pool, _with_implied(given, implied))
    takeovers = claim_aliases(
        pool, attributes, None, force=migrated.force_alias_creation, error=AliasExistsException
    )
    take_over_aliases(pool, takeovers)
    confirmed = password is not None and migrated.final_status == "CONFIRMED"
    status = "CONFIRMED" if confirmed else "RESET_REQUIRED"
    return add_user(pool, internal, attributes, status, password if confirmed else None)


def resend_confirmation_code(
    pool: UserPool,
    client: AppClient,
    username: str,
    secret_hash: str | None = None,
    *,
    backend: CognitoBackend | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> CodeDelivery:
    """ResendConfirmationCode: a new code replaces the old one."""
    check_secret_hash(client, username, secret_hash)
    user = _client_user(pool, username)
    if user.status != "UNCONFIRMED":
        raise InvalidParameterException("User is already confirmed.")
    delivery = _send_confirmation_code(
        pool,
        user,
        messages.RESEND_CODE,
        backend=backend,
        client_id=client.client_id,
        client_metadata=client_metadata,
    )
    if delivery is None:
        raise InvalidParameterException("Cannot resend codes. Auto verification not turned on.")
    return delivery


def _require_unconfirmed(user: User) -> None:
    if user.status != "UNCONFIRMED":
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status}")


def _delivery_for(
    pool: UserPool, attributes: Mapping[str, str], only: Sequence[str]
) -> list[CodeDelivery]:
    verified = pool.auto_verified_attributes or []
    return [
        CodeDelivery(medium, attribute, attributes[attribute])
        for attribute, medium in _DELIVERY_MEDIUMS
        if attribute in verified and attribute in only and attributes.get(attribute)
    ]


def _send_confirmation_code(
    pool: UserPool,
    user: User,
    kind: str = messages.SIGN_UP,
    *,
    backend: CognitoBackend | None = None,
    client_id: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> CodeDelivery | None:
    deliveries = _delivery_for(pool, user.attributes, CONTACT_ATTRIBUTES)
    if not deliveries:
        return None
    delivery = deliveries[0]
    code = ids.confirmation_code()
    # Sent first: a CustomMessage or sender trigger that fails leaves the old code in place.
    send(backend, pool, user, delivery, code, kind, client_id, client_metadata)
    user.confirmation = PendingCode(code, clock.now() + CODE_VALIDITY_SECONDS, delivery.attribute)
    return delivery


def send(
    backend: CognitoBackend | None,
    pool: UserPool,
    user: User,
    delivery: CodeDelivery,
    code: str,
    kind: str,
    client_id: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> None:
    """Deliver ``code`` where ``delivery`` says (captured, see messages.py)."""
    messages.send_code(
        backend,
        pool,
        user,
        delivery.medium,
        delivery.destination,
        code,
        kind,
        client_id=client_id,
        client_metadata=client_metadata,
    )


# -- attributes --------------------------------------------------------------------------------


def update_user_attributes(
    pool: UserPool,
    username: str,
    given: GivenAttributes,
    *,
    backend: CognitoBackend | None = None,
    client_id: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> list[CodeDelivery]:
    """AdminUpdateUserAttributes; returns where verification codes for new contacts went
    (through the CustomMessage and sender triggers, given ``backend``).

    A changed email or phone number is unverified unless the same request verifies it. In an
    AliasAttributes pool a verified email/phone number another user holds moves to this user
    (the other user keeps it, unverified); elsewhere a taken sign-in name is refused.
    """
    user = get_user(pool, username)
    to_set, to_delete = attribute_changes(pool, user.attributes, given)
    after = _without(user.attributes, to_delete)
    after.update(to_set)
    changed = [a for a in CONTACT_ATTRIBUTES if a in to_set and to_set[a] != user.attributes.get(a)]
    for attribute in changed:
        if f"{attribute}_verified" not in to_set:
            after[f"{attribute}_verified"] = "false"
    key = pool.user_key(user.username)
    takeovers = claim_aliases(pool, after, key, force=True, error=AliasExistsException)
    take_over_aliases(pool, takeovers)
    replace_attributes(pool, user, after)
    unverified = [a for a in changed if after.get(f"{a}_verified") != "true"]
    deliveries = _delivery_for(pool, after, unverified)
    for delivery in deliveries:
        code = ids.confirmation_code()
        kind = messages.UPDATE_USER_ATTRIBUTE
        send(backend, pool, user, delivery, code, kind, client_id, client_metadata)
        user.verification_codes[delivery.attribute] = PendingCode(
            code, clock.now() + CODE_VALIDITY_SECONDS, delivery.attribute
        )
    return deliveries


def delete_user_attributes(pool: UserPool, username: str, names: Sequence[str]) -> None:
    """AdminDeleteUserAttributes."""
    user = get_user(pool, username)
    deletions = attribute_deletions(pool, names)
    replace_attributes(pool, user, _without(user.attributes, deletions))


def _without(attributes: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    # An email or phone number takes its verification flag (and pending code) with it.
    gone = set(names) | {f"{a}_verified" for a in CONTACT_ATTRIBUTES if a in names}
    return {name: value for name, value in attributes.items() if name not in gone}


# -- password, status, deletion ----------------------------------------------------------------


def set_user_password(pool: UserPool, username: str, password: str, *, permanent: bool) -> User:
    """AdminSetUserPassword: permanent (CONFIRMED) or temporary (FORCE_CHANGE_PASSWORD)."""
    user = get_user(pool, username)
    check_password(pool.password_policy, password, SET_PASSWORD_PREFIX)
    before_user_change(pool, user)
    user.password = password
    now = clock.now()
    if permanent:
        user.status = "CONFIRMED"
        user.temporary_password_expires = None
    else:
        user.status = "FORCE_CHANGE_PASSWORD"
        user.temporary_password_expires = now + _temporary_validity(pool)
    user.confirmation = None
    user.modified = now
    return user


def set_user_enabled(pool: UserPool, username: str, enabled: bool) -> User:
    """AdminEnableUser / AdminDisableUser."""
    user = get_user(pool, username)
    before_user_change(pool, user)
    user.enabled = enabled
    user.modified = clock.now()
    return user


def delete_user(pool: UserPool, user: User) -> None:
    """Remove ``user`` from every index of the pool (group memberships are the caller's)."""
    key = pool.user_key(user.username)
    before_user_change(pool, user)
    unindex_aliases(pool, user)
    if pool.provider_links:  # a later user of the same name must not inherit its links
        identities.forget_user(pool, user)
    del pool.users[key]
    pool.users_by_sub.pop(user.sub, None)
    pool.last_codes.pop(key, None)
