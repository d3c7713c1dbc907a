"""A passwordless one-time-code sign-in (CUSTOM_AUTH) shared by the custom-auth test files:
the three trigger handlers and the calls that drive them (the fixtures are in
tests/auth/custom_auth/conftest.py)."""

from __future__ import annotations

import json

ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"
TRIGGERS = ("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse")
PASSWORD = "Corr3ct-horse!"


class OneTimeCode:
    """Handlers for a passwordless sign-in; every event they receive is kept in ``events``."""

    def __init__(self, attempts: int = 3) -> None:
        self.attempts = attempts
        self.events: dict[str, list[dict]] = {name: [] for name in TRIGGERS}
        self.codes: list[str] = []

    def define(self, event, context):
        self.events["DefineAuthChallenge"].append(json.loads(json.dumps(event)))
        session = event["request"]["session"]
        if session and session[-1]["challengeName"] == "SRP_A":
            event["response"].update(challengeName="PASSWORD_VERIFIER", issueTokens=False)
        elif (
            session
            and session[-1]["challengeResult"]
            and session[-1]["challengeName"] != ("PASSWORD_VERIFIER")
        ):
            event["response"].update(issueTokens=True, failAuthentication=False)
        elif sum(1 for s in session if s["challengeName"] == "CUSTOM_CHALLENGE") >= self.attempts:
            event["response"].update(issueTokens=False, failAuthentication=True)
        else:
            event["response"].update(challengeName="CUSTOM_CHALLENGE", issueTokens=False)
        return event

    def create(self, event, context):
        self.events["CreateAuthChallenge"].append(json.loads(json.dumps(event)))
        code = f"{len(self.codes) + 1:06d}"
        self.codes.append(code)
        event["response"]["publicChallengeParameters"] = {"delivery": "EMAIL"}
        event["response"]["privateChallengeParameters"] = {"code": code}
        event["response"]["challengeMetadata"] = f"CODE-{len(self.codes)}"
        return event

    def verify(self, event, context):
        self.events["VerifyAuthChallengeResponse"].append(json.loads(json.dumps(event)))
        expected = event["request"]["privateChallengeParameters"]["code"]
        event["response"]["answerCorrect"] = event["request"]["challengeAnswer"] == expected
        return event


def make_pool(cognito_idp, cognito_mock, handlers=None, triggers=TRIGGERS, **kwargs) -> str:
    handlers = handlers or OneTimeCode()
    functions = {
        "DefineAuthChallenge": handlers.define,
        "CreateAuthChallenge": handlers.create,
        "VerifyAuthChallengeResponse": handlers.verify,
    }
    for name in triggers:
        cognito_mock.register_lambda(ARN.format(name), functions[name])
    return cognito_idp.create_user_pool(
        PoolName="passwordless",
        LambdaConfig={name: ARN.format(name) for name in triggers},
        **kwargs,
    )["UserPool"]["Id"]


def make_client(cognito_idp, pool_id, **kwargs) -> dict:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        **kwargs,
    )["UserPoolClient"]


def make_user(cognito_idp, pool_id, username="ada", email="ada@example.com") -> None:
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


def start(cognito_idp, client_id, username="ada", **kwargs):
    return cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": username}, **kwargs
    )


def answer(cognito_idp, client_id, challenge, text, username="ada", **kwargs):
    return cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "ANSWER": text},
        **kwargs,
    )
