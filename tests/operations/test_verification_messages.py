"""VerificationMessageTemplate and the older SmsVerificationMessage, EmailVerificationMessage
and EmailVerificationSubject name the same texts: whichever a request sets, DescribeUserPool
reports both, and the codes sent use them."""

from __future__ import annotations

import boto3

OLDER = {
    "SmsVerificationMessage": "Your code is {####}.",
    "EmailVerificationMessage": "Welcome! Your code is {####}.",
    "EmailVerificationSubject": "Confirm your address",
}
TEMPLATE = {
    "SmsMessage": "Code {####} (template)",
    "EmailMessage": "Template says {####}",
    "EmailSubject": "Template subject",
}


def messages_of(pool: dict) -> tuple[dict, dict]:
    older = {member: pool.get(member) for member in OLDER}
    return older, pool["VerificationMessageTemplate"]


def described(pool_id: str) -> dict:
    second_client = boto3.client("cognito-idp", region_name="us-east-1")
    return second_client.describe_user_pool(UserPoolId=pool_id)["UserPool"]


def test_the_older_members_fill_the_template(cognito_idp):
    created = cognito_idp.create_user_pool(PoolName="app", **OLDER)["UserPool"]

    for pool in (created, described(created["Id"])):
        older, template = messages_of(pool)
        assert older == OLDER
        assert template == {
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
            "SmsMessage": OLDER["SmsVerificationMessage"],
            "EmailMessage": OLDER["EmailVerificationMessage"],
            "EmailSubject": OLDER["EmailVerificationSubject"],
        }


def test_the_template_fills_the_older_members(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app", VerificationMessageTemplate=TEMPLATE)[
        "UserPool"
    ]["Id"]

    older, template = messages_of(described(pool_id))
    assert older == {
        "SmsVerificationMessage": TEMPLATE["SmsMessage"],
        "EmailVerificationMessage": TEMPLATE["EmailMessage"],
        "EmailVerificationSubject": TEMPLATE["EmailSubject"],
    }
    assert template == {"DefaultEmailOption": "CONFIRM_WITH_CODE", **TEMPLATE}


def test_a_pool_without_messages_reports_only_the_default_option(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]

    older, template = messages_of(described(pool_id))
    assert older == dict.fromkeys(OLDER)
    assert template == {"DefaultEmailOption": "CONFIRM_WITH_CODE"}


def test_where_a_request_gives_both_the_template_wins(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="app", VerificationMessageTemplate={"EmailMessage": "New {####}"}, **OLDER
    )["UserPool"]["Id"]

    older, template = messages_of(described(pool_id))
    assert older["EmailVerificationMessage"] == template["EmailMessage"] == "New {####}"
    assert (
        older["SmsVerificationMessage"] == template["SmsMessage"] == OLDER["SmsVerificationMessage"]
    )


def test_update_user_pool_with_an_older_member_moves_the_template_too(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app", VerificationMessageTemplate=TEMPLATE)[
        "UserPool"
    ]["Id"]

    cognito_idp.update_user_pool(UserPoolId=pool_id, EmailVerificationMessage="Updated {####}")

    older, template = messages_of(described(pool_id))
    # UpdateUserPool sets what it is given and returns the rest to its defaults (as AWS does).
    assert template == {"DefaultEmailOption": "CONFIRM_WITH_CODE", "EmailMessage": "Updated {####}"}
    assert older == {**dict.fromkeys(OLDER), "EmailVerificationMessage": "Updated {####}"}


def test_the_code_sent_uses_the_older_members(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="app", AutoVerifiedAttributes=["email"], **OLDER
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]

    cognito_idp.sign_up(
        ClientId=client_id,
        Username="ada",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )

    [sent] = cognito_mock.messages(pool_id)
    assert sent.subject == OLDER["EmailVerificationSubject"]
    assert sent.text == f"Welcome! Your code is {sent.code}."
