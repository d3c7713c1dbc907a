"""Passwords a user lost or changes: ForgotPassword, ConfirmForgotPassword,
AdminResetUserPassword and ChangePassword.

A reset code goes to a verified email or phone number, chosen by the pool's
AccountRecoverySetting; only the latest code counts, for one hour. ConfirmForgotPassword sets the
new password and ends a pending reset: an imported (RESET_REQUIRED) or reset user becomes
CONFIRMED. Every function checks everything before it changes anything.
"""

from __future__ import annotations

import hmac
import random
import string
from collections.abc import Mapping

from . import CognitoBackend, clock, ids, messages, trigger_events, triggers
from .attributes import is_email, is_phone_number
from .errors import (
    CodeMismatchException,
    ExpiredCodeException,
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotFoundException,
)
from .models import AppClient, PendingCode, User, UserPool
from .passwords import SET_PASSWORD_PREFIX, check_password
from .secret_hash import check_secret_hash
from .user_data_history import before_user_change
from .users import (
    CODE_EXPIRED,
    CODE_MISMATCH,
    USERNAME_CLIENT_NOT_FOUND,
    CodeDelivery,
    find_user,
    get_user,
    migrate_user,
    send,
)

#: Password-reset codes are accepted for one hour (confirmation codes: 24 hours).
RESET_CODE_VALIDITY_SECONDS = 3600

NO_VERIFIED_CONTACT = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
CANNOT_RESET_NOW = "User password cannot be reset in the current state."
ADMIN_ONLY_RECOVERY = "Contact administrator to reset password."
USER_DISABLED = "User is disabled."
INCORRECT_CREDENTIALS = "Incorrect username or password."
RESET_REQUIRED = "Password reset required for the user"

#: RecoveryMechanisms names -> (attribute the code goes to, delivery medium).
_MECHANISMS: dict[str, tuple[str, str]] = {
    "verified_email": ("email", "EMAIL"),
    "verified_phone_number": ("phone_number", "SMS"),
}
#: Without an AccountRecoverySetting, Cognito prefers a verified phone number to an email.
_LEGACY_ORDER = ("verified_phone_number", "verified_email")

_random = random.SystemRandom()


def _recovery_order(pool: UserPool) -> tuple[str, ...] | None:
    """The recovery mechanisms in priority order; None when only an administrator may reset."""
    setting = pool.echoed_settings.get("AccountRecoverySetting") or {}
    mechanisms = setting.get("RecoveryMechanisms") or []
    if not mechanisms:
        return _LEGACY_ORDER
    names = [m["Name"] for m in sorted(mechanisms, key=lambda m: m.get("Priority", 0))]
    if "admin_only" in names:
        return None
    return tuple(name for name in names if name in _MECHANISMS)


def _reset_delivery(user: User, order: tuple[str, ...]) -> CodeDelivery:
    for name in order:
        attribute, medium = _MECHANISMS[name]
        value = user.attributes.get(attribute)
        if value and user.attributes.get(f"{attribute}_verified") == "true":
            return CodeDelivery(medium, attribute, value)
    raise InvalidParameterException(NO_VERIFIED_CONTACT)


def _send_reset_code(
    pool: UserPool,
    user: User,
    delivery: CodeDelivery,
    *,
    backend: CognitoBackend | None,
    client_id: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> None:
    code = ids.confirmation_code()
    # Sent first: a CustomMessage or sender trigger that fails leaves no pending code behind.
    send(backend, pool, user, delivery, code, messages.FORGOT_PASSWORD, client_id, client_metadata)
    user.password_reset = PendingCode(
        code, clock.now() + RESET_CODE_VALIDITY_SECONDS, delivery.attribute
    )


def _simulated_delivery(order: tuple[str, ...], username: str) -> CodeDelivery:
    """What ForgotPassword answers for an unknown user when the client hides user existence:
    a delivery that looks like a real one (to the name itself when it is an email or phone
    number the pool recovers through; else through the pool's first mechanism, email when the
    pool has no AccountRecoverySetting)."""
    if is_email(username) and "verified_email" in order:
        return CodeDelivery("EMAIL", "email", username)
    if is_phone_number(username) and "verified_phone_number" in order:
        return CodeDelivery("SMS", "phone_number", username)
    name = "verified_email" if order == _LEGACY_ORDER or not order else order[0]
    attribute, medium = _MECHANISMS[name]
    if attribute == "email":
        return CodeDelivery(medium, attribute, f"{username}@example.com")
    return CodeDelivery(medium, attribute, "+1" + "".join(_random.choices(string.digits, k=10)))


def forgot_password(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    username: str,
    *,
    secret_hash: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> CodeDelivery:
    """ForgotPassword: send the user a reset code; returns where it went (unmasked).

    A name the pool does not know goes to the user migration trigger first, if there is one.
    """
    check_secret_hash(client, username, secret_hash)
    order = _recovery_order(pool)
    if order is None:
        raise NotAuthorizedException(ADMIN_ONLY_RECOVERY)
    user = find_user(pool, username)
    if user is None:
        user = _migrated_user(backend, pool, client, username, client_metadata)
    if user is None:
        if client.settings.prevent_user_existence_errors == "ENABLED":
            return _simulated_delivery(order, username)
        raise UserNotFoundException(USERNAME_CLIENT_NOT_FOUND)
    if not user.enabled:
        raise NotAuthorizedException(USER_DISABLED)
    if user.status == "FORCE_CHANGE_PASSWORD":
        raise NotAuthorizedException(CANNOT_RESET_NOW)
    delivery = _reset_delivery(user, order)
    _send_reset_code(
        pool,
        user,
        delivery,
        backend=backend,
        client_id=client.client_id,
        client_metadata=client_metadata,
    )
    return delivery


def _migrated_user(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    username: str,
    client_metadata: Mapping[str, str] | None,
) -> User | None:
    """The user a UserMigration_ForgotPassword trigger brings over (RESET_REQUIRED); None when
    there is no such trigger, or (hiding user existence) it brought nobody."""
    if not triggers.is_configured(pool, "UserMigration"):
        return None
    migrated = trigger_events.run(
        backend,
        pool,
        trigger_events.USER_MIGRATION,
        "UserMigration_ForgotPassword",
        user_name=username,
        client_id=client.client_id,
        given=trigger_events.EventInput(client_metadata=client_metadata),
    )
    if migrated is not None:
        return migrate_user(pool, username, migrated, None)
    if client.settings.prevent_user_existence_errors != "ENABLED":
        # As at sign-in, a function that brings nobody is named in the error.
        raise UserNotFoundException(f"Exception migrating user in app client {client.client_id}")
    return None


def admin_reset_user_password(
    pool: UserPool,
    username: str,
    *,
    backend: CognitoBackend | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> CodeDelivery:
    """AdminResetUserPassword: the user's password stops working (RESET_REQUIRED) and a reset
    code is sent (through the CustomMessage and sender triggers, given ``backend``)."""
    user = get_user(pool, username)
    if not user.enabled:
        raise NotAuthorizedException(USER_DISABLED)
    if user.status not in ("CONFIRMED", "RESET_REQUIRED"):
        raise NotAuthorizedException(CANNOT_RESET_NOW)
    # An administrator may reset even where users may not help themselves.
    delivery = _reset_delivery(user, _recovery_order(pool) or _LEGACY_ORDER)
    _send_reset_code(pool, user, delivery, backend=backend, client_metadata=client_metadata)
    before_user_change(pool, user)
    user.status = "RESET_REQUIRED"
    user.modified = clock.now()
    return delivery


def confirm_forgot_password(
    backend: CognitoBackend,
    pool: UserPool,
    client: AppClient,
    username: str,
    code: str,
    password: str,
    *,
    secret_hash: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> User:
    """ConfirmForgotPassword: the latest reset code sets a new password."""
    check_secret_hash(client, username, secret_hash)
    user = find_user(pool, username)
    if user is None:
        if client.settings.prevent_user_existence_errors == "ENABLED":
            raise CodeMismatchException(CODE_MISMATCH)
        raise UserNotFoundException(USERNAME_CLIENT_NOT_FOUND)
    pending = user.password_reset
    if pending is None or not hmac.compare_digest(pending.code.encode(), code.encode()):
        raise CodeMismatchException(CODE_MISMATCH)
    if clock.now() > pending.expires:
        raise ExpiredCodeException(CODE_EXPIRED)
    check_password(pool.password_policy, password, SET_PASSWORD_PREFIX)
    before_user_change(pool, user)
    user.password = password
    user.password_reset = None
    user.temporary_password_expires = None
    if user.status in ("RESET_REQUIRED", "FORCE_CHANGE_PASSWORD"):
        user.status = "CONFIRMED"
    user.modified = clock.now()
    # Like ConfirmSignUp's, this trigger runs once the change is made, which stays made.
    trigger_events.run(
        backend,
        pool,
        trigger_events.POST_CONFIRMATION,
        "PostConfirmation_ConfirmForgotPassword",
        user_name=user.username,
        client_id=client.client_id,
        given=trigger_events.for_user(user, client_metadata=client_metadata),
    )
    return user


def change_password(pool: UserPool, user: User, previous: str | None, proposed: str) -> None:
    """ChangePassword: the signed-in user replaces a password they know."""
    if user.status == "RESET_REQUIRED":
        raise PasswordResetRequiredException(RESET_REQUIRED)
    check_password(pool.password_policy, proposed, SET_PASSWORD_PREFIX)
    known = user.password
    if (
        previous is None
        or known is None
        or not hmac.compare_digest(previous.encode(), known.encode())
    ):
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    before_user_change(pool, user)
    user.password = proposed
    user.modified = clock.now()
