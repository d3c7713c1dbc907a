"""The email and SMS messages a pool would send: built, captured, never sent.

Every code Cognito delivers (sign-up confirmation, attribute verification, password reset, MFA
and sign-in codes) goes through :func:`send_code`. The text comes from the pool's templates, or
from its CustomMessage trigger when one is configured; a custom email or SMS sender trigger is
called with the code as Cognito calls it (in plain text here: see docs/fidelity.md). The message
is kept on the pool, where ``cognito_mock.messages`` and ``cognito_mock.last_code`` read it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import CognitoBackend, clock, triggers
from .errors import InvalidLambdaResponseException
from .models import User, UserPool

EMAIL = "EMAIL"
SMS = "SMS"
#: The placeholder of the code in every template and custom message.
CODE_PLACEHOLDER = "{####}"

#: What a message is for (the suffix of its CustomMessage / custom sender trigger source).
SIGN_UP = "SignUp"
RESEND_CODE = "ResendCode"
FORGOT_PASSWORD = "ForgotPassword"
UPDATE_USER_ATTRIBUTE = "UpdateUserAttribute"
VERIFY_USER_ATTRIBUTE = "VerifyUserAttribute"
AUTHENTICATION = "Authentication"

_DEFAULT_VERIFICATION = f"Your verification code is {CODE_PLACEHOLDER}. "
_DEFAULT_AUTHENTICATION = f"Your authentication code is {CODE_PLACEHOLDER}. "
_DEFAULT_SUBJECT = "Your verification code"
_SENDERS = {EMAIL: "CustomEmailSender", SMS: "CustomSMSSender"}
_SENDER_REQUEST = {EMAIL: "customEmailSenderRequestV1", SMS: "customSMSSenderRequestV1"}


@dataclass(frozen=True)
class SentMessage:
    """One email or SMS message the pool would have sent."""

    #: ``"EMAIL"`` or ``"SMS"``.
    channel: str
    #: The address or phone number it went to (unmasked).
    destination: str
    #: The code it carried.
    code: str | None
    #: Cognito's name for the message: its CustomMessage trigger source, such as
    #: ``CustomMessage_SignUp`` or ``CustomMessage_Authentication``.
    trigger_source: str
    #: The internal username of the user it went to.
    username: str
    #: When it was sent (UTC; follows the mocked clock).
    sent_at: datetime.datetime
    #: The text, with the code in place of ``{####}``.
    text: str
    #: The subject of an email; None for SMS.
    subject: str | None = None

    @property
    def kind(self) -> str:
        """What the message is for: ``SignUp``, ``ResendCode``, ``ForgotPassword``,
        ``UpdateUserAttribute``, ``VerifyUserAttribute`` or ``Authentication``."""
        return self.trigger_source.removeprefix("CustomMessage_")


def channel_of(attribute: str) -> str:
    """The channel a code for ``attribute`` (email / phone_number) goes by."""
    return EMAIL if attribute == "email" else SMS


def mask(channel: str, destination: str) -> str:
    """How Cognito shows where a code went: ``j***@e***``, ``+*******1212``."""
    if channel == EMAIL:
        local, _, domain = destination.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    digits = destination.lstrip("+")
    return "+" + "*" * max(len(digits) - 4, 0) + digits[-4:]


def send_code(
    backend: CognitoBackend | None,
    pool: UserPool,
    user: User,
    channel: str,
    destination: str,
    code: str,
    kind: str,
    *,
    client_id: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> SentMessage:
    """Deliver ``code`` to ``user`` at ``destination``: run the triggers, keep the message.

    ``backend`` None (pure-domain callers) runs no triggers.
    """
    subject = _subject(pool, kind) if channel == EMAIL else None
    template = _template(pool, channel, kind)
    source = f"CustomMessage_{kind}"
    if backend is not None and triggers.is_configured(pool, "CustomMessage"):
        template, subject = _custom_message(
            backend, pool, user, channel, template, subject, source, client_id, client_metadata
        )
    if backend is not None and triggers.is_configured(pool, _SENDERS[channel]):
        _call_sender(backend, pool, user, channel, code, kind, client_id, client_metadata)
    message = SentMessage(
        channel=channel,
        destination=destination,
        code=code,
        trigger_source=source,
        username=user.username,
        sent_at=datetime.datetime.fromtimestamp(clock.now(), datetime.timezone.utc),
        text=template.replace(CODE_PLACEHOLDER, code),
        subject=subject,
    )
    pool.messages.append(message)
    pool.last_codes[pool.user_key(user.username)] = code
    return message


def messages_of(pool: UserPool, user: User | None) -> list[SentMessage]:
    """The pool's messages, oldest first; only ``user``'s when given."""
    if user is None:
        return list(pool.messages)
    return [m for m in pool.messages if pool.user_key(m.username) == pool.user_key(user.username)]


def last_code(
    pool: UserPool, user: User | None, name: str, channel: str | None = None
) -> tuple[str | None, str]:
    """The latest code sent to ``user`` (found by the sign-in name ``name``), by ``channel`` if
    given; when there is none, None and a sentence saying why."""
    if user is None:
        return None, f"Pool {pool.id} has no user named {name!r}, so no code was sent."
    if channel is None:
        code = pool.last_codes.get(pool.user_key(user.username))
        if code is not None:
            return code, ""
    else:
        for message in reversed(messages_of(pool, user)):
            if message.channel == channel and message.code is not None:
                return message.code, ""
    return None, _why_none(pool, user, channel)


def _why_none(pool: UserPool, user: User, channel: str | None) -> str:
    sent = messages_of(pool, user)
    if channel is not None and sent:
        channels = sorted({m.channel for m in sent})
        return (
            f"{user.username!r} was sent no code by {channel} in pool {pool.id}; "
            f"its codes went by {', '.join(channels)}."
        )
    if user.status == "UNCONFIRMED" and not pool.auto_verified_attributes:
        return (
            f"Pool {pool.id} sent {user.username!r} no code: it has no AutoVerifiedAttributes, "
            "so SignUp sends no confirmation code (confirm the user with AdminConfirmSignUp, or "
            "create the pool with AutoVerifiedAttributes=['email'])."
        )
    return (
        f"Pool {pool.id} has sent {user.username!r} no code yet (codes go out on SignUp, "
        "ResendConfirmationCode, attribute changes and verification, ForgotPassword, SMS or "
        "email MFA, and EMAIL_OTP / SMS_OTP sign-in)."
    )


# -- text ---------------------------------------------------------------------------------------


def _template(pool: UserPool, channel: str, kind: str) -> str:
    settings = pool.echoed_settings
    if kind == AUTHENTICATION:
        if channel == EMAIL:
            return (pool.email_mfa or {}).get("Message") or _DEFAULT_AUTHENTICATION
        return str(settings.get("SmsAuthenticationMessage") or _DEFAULT_AUTHENTICATION)
    template = settings.get("VerificationMessageTemplate") or {}
    if channel == EMAIL:
        given = template.get("EmailMessage") or settings.get("EmailVerificationMessage")
    else:
        given = template.get("SmsMessage") or settings.get("SmsVerificationMessage")
    return str(given or _DEFAULT_VERIFICATION)


def _subject(pool: UserPool, kind: str) -> str:
    if kind == AUTHENTICATION and pool.email_mfa and pool.email_mfa.get("Subject"):
        return pool.email_mfa["Subject"]
    template = pool.echoed_settings.get("VerificationMessageTemplate") or {}
    given = template.get("EmailSubject") or pool.echoed_settings.get("EmailVerificationSubject")
    return str(given or _DEFAULT_SUBJECT)


# -- triggers -----------------------------------------------------------------------------------


def _event_request(
    user: User, client_metadata: Mapping[str, str] | None, **extra: Any
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "userAttributes": {**user.attributes, "cognito:user_status": user.status},
        **extra,
    }
    if client_metadata is not None:
        request["clientMetadata"] = dict(client_metadata)
    return request


def _custom_message(
    backend: CognitoBackend,
    pool: UserPool,
    user: User,
    channel: str,
    template: str,
    subject: str | None,
    source: str,
    client_id: str | None,
    client_metadata: Mapping[str, str] | None,
) -> tuple[str, str | None]:
    """The CustomMessage trigger's text (and subject) for this message; what it leaves unset
    keeps the pool's template."""
    response = triggers.invoke(
        backend,
        pool,
        "CustomMessage",
        source,
        user_name=user.username,
        client_id=client_id,
        request=_event_request(
            user,
            client_metadata,
            codeParameter=CODE_PLACEHOLDER,
            linkParameter="{##Click Here##}",
            usernameParameter=None,
        ),
        response={"smsMessage": None, "emailMessage": None, "emailSubject": None},
    )
    text = response.get("emailMessage" if channel == EMAIL else "smsMessage")
    new_subject = response.get("emailSubject") if channel == EMAIL else None
    for value in (text, new_subject):
        if value is not None and not isinstance(value, str):
            raise InvalidLambdaResponseException("Unrecognizable lambda output")
    return (text or template), (new_subject or subject)


def _call_sender(
    backend: CognitoBackend,
    pool: UserPool,
    user: User,
    channel: str,
    code: str,
    kind: str,
    client_id: str | None,
    client_metadata: Mapping[str, str] | None,
) -> None:
    """A custom email / SMS sender trigger: Cognito hands it the code to deliver itself.

    AWS encrypts ``code`` with the pool's KMS key (AWS Encryption SDK); the mock passes it in
    plain text (docs/fidelity.md)."""
    trigger = _SENDERS[channel]
    triggers.invoke(
        backend,
        pool,
        trigger,
        f"{trigger}_{kind}",
        user_name=user.username,
        client_id=client_id,
        request=_event_request(user, client_metadata, type=_SENDER_REQUEST[channel], code=code),
    )
