"""A pool, clients and sign-ins for the refresh-token rotation and client-secret rotation tests."""

from __future__ import annotations

import base64
import json

from pytest_cognito_mock.backend.secret_hash import compute_secret_hash

PASSWORD = "Corr3ct-horse!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
#: A rotating client need not (and per AWS should not) allow the REFRESH_TOKEN_AUTH flow.
ROTATING_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH"]


def make_pool(cognito_idp, **kwargs) -> str:
    """A pool with two confirmed users, ``ada`` and ``grace``, both with PASSWORD."""
    pool_id = cognito_idp.create_user_pool(PoolName="rotation", **kwargs)["UserPool"]["Id"]
    for name in ("ada", "grace"):
        cognito_idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
        cognito_idp.admin_set_user_password(
            UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True
        )
    return pool_id


def make_client(cognito_idp, pool_id: str, **kwargs) -> dict:
    kwargs.setdefault("ExplicitAuthFlows", FLOWS)
    return cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **kwargs)[
        "UserPoolClient"
    ]


def rotating_client(cognito_idp, pool_id: str, grace: int | None = None, **kwargs) -> dict:
    rotation: dict = {"Feature": "ENABLED"}
    if grace is not None:
        rotation["RetryGracePeriodSeconds"] = grace
    kwargs.setdefault("ExplicitAuthFlows", ROTATING_FLOWS)
    return make_client(cognito_idp, pool_id, RefreshTokenRotation=rotation, **kwargs)


def sign_in(
    cognito_idp,
    pool_id: str,
    client_id: str,
    *,
    secret: str | None = None,
    username: str = "ada",
    **extra,
) -> dict:
    """ADMIN_USER_PASSWORD_AUTH; with ``secret``, the SECRET_HASH made with it."""
    parameters = {"USERNAME": username, "PASSWORD": PASSWORD, **extra}
    if secret is not None:
        parameters["SECRET_HASH"] = compute_secret_hash(secret, username, client_id)
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters=parameters,
    )["AuthenticationResult"]


def get_tokens(cognito_idp, client_id: str, refresh_token: str, **extra) -> dict:
    return cognito_idp.get_tokens_from_refresh_token(
        RefreshToken=refresh_token, ClientId=client_id, **extra
    )["AuthenticationResult"]


def claims(token: str) -> dict:
    """A JWT's payload, unverified (the tests that verify signatures live elsewhere)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
