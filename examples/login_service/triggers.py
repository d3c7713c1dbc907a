"""The Lambda functions behind the passwordless login: a one-time code sent by email.

In production each function is deployed on its own and named in the user pool's
``LambdaConfig``; the three together drive Cognito's CUSTOM_AUTH flow:

* DefineAuthChallenge decides what comes next from the attempts so far;
* CreateAuthChallenge makes a code and sends it (the first time) to the user's email address;
* VerifyAuthChallengeResponse compares the user's answer with the code.

A user gets :data:`MAX_ATTEMPTS` tries at one code. Sending email is :func:`send_email`, which
here only drops the message in :data:`OUTBOX` (in production it would call SES).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

MAX_ATTEMPTS = 3
CODE_DIGITS = 6
#: CreateAuthChallenge keeps the code in the challenge metadata ("CODE-123456") so that a retry
#: asks for the same code instead of sending a new one. Cognito never shows metadata to callers.
_METADATA_PREFIX = "CODE-"

#: Email "sent" so far: address -> message bodies, oldest first.
OUTBOX: dict[str, list[str]] = {}


def send_email(to: str, body: str) -> None:
    OUTBOX.setdefault(to, []).append(body)


def define_auth_challenge(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Tokens after a correct code; failure after MAX_ATTEMPTS wrong ones; else a challenge."""
    attempts = event["request"]["session"]
    response = event["response"]
    if attempts and attempts[-1]["challengeResult"]:
        response.update(issueTokens=True, failAuthentication=False)
    elif len(attempts) >= MAX_ATTEMPTS:
        response.update(issueTokens=False, failAuthentication=True)
    else:
        response.update(
            challengeName="CUSTOM_CHALLENGE", issueTokens=False, failAuthentication=False
        )
    return event


def create_auth_challenge(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A new code on the first attempt (emailed), the same code on the retries.

    For an address with no account (Cognito runs the flow anyway when the app client hides
    which users exist) nothing is sent, and the caller cannot tell.
    """
    request = event["request"]
    attempts = request["session"]
    email = request["userAttributes"].get("email", event["userName"])
    if attempts:
        code = str(attempts[-1]["challengeMetadata"]).removeprefix(_METADATA_PREFIX)
    else:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if not request.get("userNotFound"):
            send_email(email, f"Your sign-in code is {code}")
    event["response"].update(
        publicChallengeParameters={"email": _masked(email)},
        privateChallengeParameters={"code": code},
        challengeMetadata=_METADATA_PREFIX + code,
    )
    return event


def verify_auth_challenge_response(event: dict[str, Any], context: Any) -> dict[str, Any]:
    expected = event["request"]["privateChallengeParameters"]["code"]
    given = event["request"]["challengeAnswer"]
    event["response"]["answerCorrect"] = hmac.compare_digest(expected.encode(), given.encode())
    return event


def _masked(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"
