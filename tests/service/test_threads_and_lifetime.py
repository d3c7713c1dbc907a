"""Threads and lifetime: which mock answers which thread, trigger handlers that hand work to
other threads, calls still running when a mock stops, and test credentials that never outlive
their test."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from pytest_cognito_mock import AmbiguousMockError, CognitoMock, MockStoppedError
from pytest_cognito_mock.backend import import_jobs

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
PRE_SIGN_UP = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"


def pool_names(client) -> list[str]:
    return sorted(pool["Name"] for pool in client.list_user_pools(MaxResults=60)["UserPools"])


def test_mocks_started_in_two_threads_each_answer_their_own_thread():
    client = boto3.client("cognito-idp", region_name="us-east-1")
    started, release = threading.Barrier(3), threading.Event()
    seen: dict[str, list[str]] = {}

    def run(name: str) -> None:
        with CognitoMock():
            client.create_user_pool(PoolName=name)
            started.wait()
            release.wait()
            seen[name] = pool_names(client)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("left", "right")]
    for thread in threads:
        thread.start()
    started.wait()
    try:
        # This thread started neither mock: no mock can be chosen for it, and it is told why.
        with pytest.raises(AmbiguousMockError, match="mocks are active in several threads"):
            client.list_user_pools(MaxResults=1)
    finally:
        release.set()
        for thread in threads:
            thread.join()
    assert seen == {"left": ["left"], "right": ["right"]}


def test_threads_of_the_code_under_test_reach_the_one_active_mock(cognito_mock, cognito_idp):
    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(lambda n: cognito_idp.create_user_pool(PoolName=f"p{n}"), range(8)))
    assert len(names) == 8
    assert len(pool_names(cognito_mock.client())) == 8


@pytest.mark.parametrize("worker", ["thread-pool", "run_in_executor"])
def test_a_trigger_handler_may_wait_on_a_worker_thread_that_calls_cognito(
    worker, cognito_mock, cognito_idp
):
    pool_id = cognito_idp.create_user_pool(PoolName="app", LambdaConfig={"PreSignUp": PRE_SIGN_UP})[
        "UserPool"
    ]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]

    def count_users() -> int:
        return len(cognito_idp.list_users(UserPoolId=pool_id)["Users"])

    def handler(event, context):
        if worker == "thread-pool":
            with ThreadPoolExecutor(1) as pool:
                before = pool.submit(count_users).result(timeout=30)
        else:

            async def in_executor() -> int:
                return await asyncio.get_running_loop().run_in_executor(None, count_users)

            before = asyncio.run(in_executor())
        event["response"]["autoConfirmUser"] = before == 0
        return event

    cognito_mock.register_lambda(PRE_SIGN_UP, handler)
    cognito_idp.sign_up(ClientId=client_id, Username="ada", Password="Passw0rd!")
    user = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "CONFIRMED"


def test_a_call_still_running_when_the_mock_stops_starts_no_endpoint(monkeypatch):
    mock = CognitoMock().start()
    client = mock.client()
    pool_id = client.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"][
        "Id"
    ]
    inside, stopped = threading.Event(), threading.Event()
    create_job = import_jobs.create_job

    def slow_create_job(*args, **kwargs):
        inside.set()
        stopped.wait(timeout=30)
        return create_job(*args, **kwargs)

    monkeypatch.setattr(import_jobs, "create_job", slow_create_job)
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            client.create_user_import_job(
                UserPoolId=pool_id, JobName="late", CloudWatchLogsRoleArn=ROLE_ARN
            )
        except BaseException as raised:
            outcome.append(raised)

    caller = threading.Thread(target=call)
    caller.start()
    assert inside.wait(timeout=30)
    mock.stop()
    stopped.set()
    caller.join()
    assert [type(error) for error in outcome] == [MockStoppedError]
    assert "has stopped" in str(outcome[0])
    assert not mock._service.endpoint_started
    assert [t.name for t in threading.enumerate() if "pytest-cognito-mock" in t.name] == []


def test_credentials_a_test_monkeypatches_do_not_outlive_it(pytester, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    pytester.makepyfile(
        """
        import os

        def test_sets_its_own_key(monkeypatch, cognito_mock):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"  # the mock's
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", "the-tests-own")

        def test_sets_its_own_key_the_other_way_round(cognito_mock, monkeypatch):
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", "the-tests-own")

        def test_then_nothing_is_left():
            assert "AWS_ACCESS_KEY_ID" not in os.environ
            assert "AWS_SECRET_ACCESS_KEY" not in os.environ
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=3)
    assert "AWS_ACCESS_KEY_ID" not in os.environ
