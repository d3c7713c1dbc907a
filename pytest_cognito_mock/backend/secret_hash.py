"""SECRET_HASH: how an app client with a secret proves, per request, that it knows the secret.

``Base64(HMAC_SHA256(key=client_secret, msg=username + client_id))`` over UTF-8 bytes. A hash
sent to a client without a secret is ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from .client_secrets import matches_any_secret
from .errors import NotAuthorizedException
from .models import AppClient

#: The SignUp family (SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ...) when
#: the ``SecretHash`` member is missing. Format with ``client_id=``.
MISSING_SECRET = "Client {client_id} is configured for secret but secret was not received"
#: The authentication operations when ``SECRET_HASH`` is missing. Format with ``client_id=``.
MISSING_SECRET_HASH = (
    "Client {client_id} is configured with secret but SECRET_HASH was not received"
)
#: A hash that does not match. Format with ``client_id=``.
WRONG_SECRET_HASH = "SecretHash does not match for the client: {client_id}"


def compute_secret_hash(secret: str, username: str, client_id: str) -> str:
    """The SECRET_HASH a caller must send for ``username`` to the client ``client_id``."""
    digest = hmac.new(
        secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def check_secret_hash(
    client: AppClient,
    username: str,
    given: str | None,
    *,
    missing_message: str = MISSING_SECRET,
    wrong_message: str = WRONG_SECRET_HASH,
) -> None:
    """Raise ``NotAuthorizedException`` unless ``given`` is the hash ``client`` expects.

    ``missing_message`` and ``wrong_message`` are templates formatted with ``client_id=``; the
    defaults are those of the SignUp family. While the client holds two secrets (rotation), a
    hash made with either one passes.
    """
    if not client.secrets:
        return
    if not given:
        raise NotAuthorizedException(missing_message.format(client_id=client.client_id))
    client_id = client.client_id
    if not matches_any_secret(
        client, lambda secret: compute_secret_hash(secret, username, client_id), given
    ):
        raise NotAuthorizedException(wrong_message.format(client_id=client_id))
