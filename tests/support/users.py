"""Users for tests through boto3: made by an administrator, with a permanent password unless
the test wants the first sign-in's NEW_PASSWORD_REQUIRED."""

from __future__ import annotations

from typing import Any

PASSWORD = "Corr3ct-horse!"


def make_user(
    cognito_idp: Any,
    pool_id: str,
    username: str = "ada",
    *,
    password: str = PASSWORD,
    permanent: bool = True,
    **attributes: str,
) -> None:
    """AdminCreateUser (no message) with ``attributes``, then AdminSetUserPassword."""
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=password, Permanent=permanent
    )
