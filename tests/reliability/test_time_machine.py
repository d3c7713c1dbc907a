"""Mock time under freezegun and under time-machine alike: import jobs (progress, expiry, the
upload URL), tokens (access and refresh expiry, claims) and sessions.

The mock reads ``time.time()`` at call time; freezegun patches it in Python, time-machine at C
level, and both move every thread (the loopback upload server's included). Each scenario runs
under both, through one small interface: ``shift(seconds)`` and ``move_to(datetime)``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
import time_machine
from freezegun import freeze_time

START = datetime(2031, 5, 1, 10, 0, 0, tzinfo=timezone.utc)
PASSWORD = "Tim3-travel-pass!"
TEMPORARY = "Temp-0rary-pass!"
ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
SSE = {"x-amz-server-side-encryption": "aws:kms"}
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@dataclass
class Clock:
    """Mock time, whichever library moves it."""

    shift: Callable[[float], None]
    move_to: Callable[[datetime], None]

    def to(self, offset: timedelta) -> None:
        """Move to ``START + offset``."""
        self.move_to(START + offset)


@contextmanager
def frozen_with_freezegun() -> Iterator[Clock]:
    with freeze_time(START) as frozen:
        yield Clock(lambda seconds: frozen.tick(timedelta(seconds=seconds)), frozen.move_to)


@contextmanager
def frozen_with_time_machine() -> Iterator[Clock]:
    with time_machine.travel(START, tick=False) as traveller:
        yield Clock(traveller.shift, lambda when: traveller.move_to(when, tick=False))


@pytest.fixture(
    params=[frozen_with_freezegun, frozen_with_time_machine], ids=["freezegun", "time-machine"]
)
def frozen(request: pytest.FixtureRequest) -> Callable[[], Any]:
    """A context manager freezing mock time at START, by freezegun or by time-machine."""
    return request.param


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(PoolName="time", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=FLOWS,
        AccessTokenValidity=5,
        RefreshTokenValidity=1,
        TokenValidityUnits={"AccessToken": "minutes", "RefreshToken": "days"},
    )["UserPoolClient"]["ClientId"]


def error_of(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(Exception) as raised:
        call()
    error = raised.value.response["Error"]  # type: ignore[attr-defined]
    return error["Code"], error["Message"]


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def rows(count: int) -> list[dict[str, str]]:
    return [
        {"cognito:username": f"user{n}", "email": f"user{n}@example.com", "email_verified": "true"}
        for n in range(count)
    ]


def create_job(cognito_idp, pool_id: str) -> dict[str, Any]:
    return cognito_idp.create_user_import_job(
        JobName="time", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]


def describe(cognito_idp, pool_id: str, job_id: str) -> dict[str, Any]:
    return cognito_idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]


def sign_in(cognito_idp, pool_id: str, client_id: str, username: str = "ada") -> dict[str, Any]:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


def make_user(cognito_idp, pool_id: str) -> None:
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )


def invite(cognito_idp, pool_id: str) -> None:
    cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="bob", TemporaryPassword=TEMPORARY, MessageAction="SUPPRESS"
    )


def new_password_session(cognito_idp, client_id: str) -> str:
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": TEMPORARY},
    )["Session"]


def answer(cognito_idp, client_id: str, session: str) -> Callable[[], Any]:
    return lambda: cognito_idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses={"USERNAME": "bob", "NEW_PASSWORD": "Br4nd-new-pass!"},
    )


# -- import jobs ---------------------------------------------------------------------------


@pytest.mark.cognito_mock(import_rate=10)
def test_an_import_job_progresses_at_its_rate(frozen, cognito_idp, cognito_mock, pool_id):
    with frozen() as clock:
        job_id = create_job(cognito_idp, pool_id)["JobId"]
        cognito_mock.upload_csv(pool_id, job_id, rows(50))
        cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
        assert describe(cognito_idp, pool_id, job_id)["Status"] == "Pending"
        clock.shift(2.05)
        job = describe(cognito_idp, pool_id, job_id)
        assert (job["Status"], job["ImportedUsers"]) == ("InProgress", 20)
        clock.shift(10)
        done = describe(cognito_idp, pool_id, job_id)
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 50)
    assert done["StartDate"] == START
    assert done["CompletionDate"] == START + timedelta(seconds=5)


def test_a_job_never_started_expires_after_24_hours(frozen, cognito_idp, pool_id):
    with frozen() as clock:
        job_id = create_job(cognito_idp, pool_id)["JobId"]
        clock.to(timedelta(hours=24, seconds=-1))
        assert describe(cognito_idp, pool_id, job_id)["Status"] == "Created"
        clock.to(timedelta(hours=24))
        expired = describe(cognito_idp, pool_id, job_id)
    assert (expired["Status"], expired["CompletionMessage"]) == (
        "Expired",
        "The user import job has expired.",
    )
    assert expired["CompletionDate"] == START + timedelta(hours=24)
    assert "StartDate" not in expired


def test_the_upload_url_expires_after_899_seconds(frozen, cognito_idp, pool_id):
    with frozen() as clock:
        job = create_job(cognito_idp, pool_id)
        clock.to(timedelta(seconds=899))
        in_time = requests.put(job["PreSignedUrl"], data=b"x", headers=SSE, timeout=10)
        clock.to(timedelta(seconds=900))
        too_late = requests.put(job["PreSignedUrl"], data=b"x", headers=SSE, timeout=10)
    assert in_time.status_code == 200
    assert too_late.status_code == 403
    assert b"<Message>Request has expired</Message>" in too_late.content


# -- tokens --------------------------------------------------------------------------------


def test_an_access_token_expires_with_its_validity(frozen, cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    with frozen() as clock:
        tokens = sign_in(cognito_idp, pool_id, client_id)
        assert claims(tokens["AccessToken"])["iat"] == int(START.timestamp())
        assert claims(tokens["IdToken"])["exp"] == int(START.timestamp()) + 3600
        clock.to(timedelta(minutes=4, seconds=59))
        assert cognito_idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ada"
        clock.to(timedelta(minutes=5))
        refused = error_of(lambda: cognito_idp.get_user(AccessToken=tokens["AccessToken"]))
    assert refused == ("NotAuthorizedException", "Access Token has expired")


def test_a_refresh_token_expires_counted_from_the_sign_in(frozen, cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)

    def refresh(token: str) -> dict[str, Any]:
        return cognito_idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": token},
        )["AuthenticationResult"]

    with frozen() as clock:
        token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
        clock.to(timedelta(hours=23, minutes=59, seconds=59))
        fresh = refresh(token)
        assert (
            claims(fresh["AccessToken"])["iat"] == int((START + timedelta(days=1)).timestamp()) - 1
        )
        clock.to(timedelta(days=1))
        refused = error_of(lambda: refresh(token))
    assert refused == ("NotAuthorizedException", "Refresh Token has expired")


def test_a_temporary_password_expires_after_seven_days(frozen, cognito_idp, pool_id, client_id):
    with frozen() as clock:
        invite(cognito_idp, pool_id)
        clock.to(timedelta(days=7, seconds=-1))
        assert new_password_session(cognito_idp, client_id)
        clock.to(timedelta(days=7))
        refused = error_of(lambda: new_password_session(cognito_idp, client_id))
    assert refused == (
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
    )


# -- sessions ------------------------------------------------------------------------------


def test_a_session_expires_after_three_minutes(frozen, cognito_idp, pool_id, client_id):
    with frozen() as clock:
        invite(cognito_idp, pool_id)
        expiring = new_password_session(cognito_idp, client_id)
        clock.shift(3 * 60)
        refused = error_of(answer(cognito_idp, client_id, expiring))
        assert refused == (
            "NotAuthorizedException",
            "Invalid session for the user, session is expired.",
        )
        assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == (
            "FORCE_CHANGE_PASSWORD"
        )
        in_time = new_password_session(cognito_idp, client_id)
        clock.shift(3 * 60 - 1)
        answered = answer(cognito_idp, client_id, in_time)()
    assert "AccessToken" in answered["AuthenticationResult"]
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == (
        "CONFIRMED"
    )
