"""Choice-based sign-in (USER_AUTH) helpers shared by its test files: a pool with a sign-in
policy, a client allowing USER_AUTH, a user with a verified email and phone number."""

from __future__ import annotations

PASSWORD = "Corr3ct-horse!"
EMAIL = "ada@example.com"
PHONE = "+15555550123"
SMS_CONFIGURATION = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "ext"}


def make_pool(cognito_idp, factors=("PASSWORD", "EMAIL_OTP", "SMS_OTP"), **kwargs) -> str:
    return cognito_idp.create_user_pool(
        PoolName="app",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": list(factors)}},
        AutoVerifiedAttributes=["email"],
        SmsConfiguration=SMS_CONFIGURATION,
        **kwargs,
    )["UserPool"]["Id"]


def make_client(cognito_idp, pool_id, flows=("ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")):
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=list(flows)
    )["UserPoolClient"]["ClientId"]


def make_user(cognito_idp, pool_id, username="ada", password=PASSWORD, **attributes) -> None:
    given = {
        "email": EMAIL,
        "email_verified": "true",
        "phone_number": PHONE,
        "phone_number_verified": "true",
        **attributes,
    }
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in given.items() if v is not None],
    )
    if password is not None:
        cognito_idp.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True
        )


def start(cognito_idp, client_id, username="ada", **parameters):
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": username, **parameters},
    )


def answer(cognito_idp, client_id, challenge, name, username="ada", **responses):
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=name,
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, **responses},
    )
