"""MFA test helpers shared by the MFA test files: TOTP codes and the calls of a sign-in."""

from __future__ import annotations

import time

import pyotp

PASSWORD = "Corr3ct-horse!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
SMS_CONFIGURATION = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "ext"}
NOW = "2026-03-01 12:00:00"


def make_client(cognito_idp, pool_id) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]


def totp_pool(cognito_idp, mode="OPTIONAL") -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration=mode,
    )
    return pool_id


def totp(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at ``at``): pyotp's RFC 6238 TOTP."""
    authenticator = pyotp.TOTP(secret)
    return authenticator.now() if at is None else authenticator.at(at)


def next_totp(secret: str) -> str:
    """The code of the next 30-second step: still accepted (clock drift), and not the one that
    enrolment just used (Cognito takes each code once). For tests under a frozen clock."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def sign_in(cognito_idp, client_id, username="ada"):
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )


def respond(cognito_idp, client_id, challenge, name, **responses):
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=name,
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", **responses},
    )


def answer_totp(cognito_idp, client_id, challenge, code):
    return respond(
        cognito_idp, client_id, challenge, "SOFTWARE_TOKEN_MFA", SOFTWARE_TOKEN_MFA_CODE=code
    )


def enrol_totp(cognito_idp, client_id, preferred=True) -> str:
    """A signed-in user adds an authenticator and turns TOTP on; returns the secret."""
    access_token = sign_in(cognito_idp, client_id)["AuthenticationResult"]["AccessToken"]
    secret = cognito_idp.associate_software_token(AccessToken=access_token)["SecretCode"]
    verified = cognito_idp.verify_software_token(
        AccessToken=access_token, UserCode=totp(secret), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS"
    assert "Session" not in verified
    cognito_idp.set_user_mfa_preference(
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": preferred},
    )
    return secret
