"""Passkey test helpers shared by the passkey test files: a pool that allows passkeys, its
users, and the calls of a registration."""

from __future__ import annotations

from typing import Any

RP_ID = "auth.example.com"
PASSWORD = "Corr3ct-horse!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
SIGN_IN_POLICY = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}


def passkey_pool(cognito_idp, rp_id: str | None = RP_ID, **webauthn: str) -> str:
    """A pool with ``WEB_AUTHN`` among its first factors and, unless None, a relying party."""
    pool_id = cognito_idp.create_user_pool(PoolName="app", Policies=SIGN_IN_POLICY)["UserPool"][
        "Id"
    ]
    if rp_id is not None:
        webauthn["RelyingPartyId"] = rp_id
    if webauthn:
        cognito_idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="OFF", WebAuthnConfiguration=webauthn
        )
    return pool_id


def make_client(cognito_idp, pool_id: str, name: str = "web") -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName=name, ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]


def make_user(cognito_idp, pool_id: str, username: str = "ada") -> None:
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


def sign_in(cognito_idp, pool_id: str, client_id: str, username: str = "ada") -> str:
    """The user's access token."""
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]


def register(cognito_idp, access_token: str, authenticator) -> dict[str, Any]:
    """StartWebAuthnRegistration, the authenticator's answer, CompleteWebAuthnRegistration:
    the credential registered."""
    options = cognito_idp.start_web_authn_registration(AccessToken=access_token)[
        "CredentialCreationOptions"
    ]
    credential = authenticator.create(options)
    cognito_idp.complete_web_authn_registration(AccessToken=access_token, Credential=credential)
    return credential


def listed(cognito_idp, access_token: str) -> list[dict[str, Any]]:
    return cognito_idp.list_web_authn_credentials(AccessToken=access_token)["Credentials"]
