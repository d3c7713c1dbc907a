"""Isolation and leaks: several mocks in one test, the suite in random order and across workers,
nothing left behind (threads, the loopback server, patches of botocore, urllib, requests and
moto), and the suite's own guard refusing connections outside loopback."""

from __future__ import annotations

import _socket
import re
import socket
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.handlers
import pytest
import requests
from botocore.endpoint import Endpoint
from botocore.signers import RequestSigner

from pytest_cognito_mock import CognitoMock

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
SSE = {"x-amz-server-side-encryption": "aws:kms"}
PASSWORD = "Is0lation-pass!"
#: A sample of the suite, each file from another area, run again below in random order and on
#: two workers.
SAMPLE = [
    "operations/test_groups.py",
    "operations/test_users_lifecycle.py",
    "import_jobs/test_progress.py",
    "auth/test_sign_out.py",
    "auth/test_well_known.py",
    "reliability/test_time_machine.py",
]


def pool_names(client: Any) -> list[str]:
    return [pool["Name"] for pool in client.list_user_pools(MaxResults=60)["UserPools"]]


def library_state() -> tuple[Any, ...]:
    """Everything a mock patches or could disturb in botocore, urllib, requests and moto."""
    moto_models = sys.modules.get("moto.core.models")
    stubber = getattr(moto_models, "botocore_stubber", None)
    return (
        Endpoint.__dict__["_do_get_response"],
        RequestSigner.__dict__["sign"],
        urllib.request.HTTPSHandler.__dict__["https_open"],
        requests.Session.__dict__["get_adapter"],
        requests.adapters.HTTPAdapter.send,
        list(botocore.handlers.BUILTIN_HANDLERS),
        getattr(stubber, "enabled", None),
        {key: list(value) for key, value in getattr(stubber, "methods", {}).items()},
    )


# -- several mocks in one test ------------------------------------------------------------


def test_mocks_one_after_another_start_empty_and_restore_botocore():
    before = library_state()
    client = boto3.client("cognito-idp", region_name="us-east-1", **FAKE)
    for name in ("first", "second", "third"):
        with CognitoMock() as mock:
            assert pool_names(client) == []
            client.create_user_pool(PoolName=name)
            assert pool_names(client) == [name]
        assert [pool.name for pool in mock._service.backend.pools.values()] == [name]
        assert library_state() == before


def test_nested_mocks_in_several_regions_next_to_the_fixture(cognito_mock, cognito_idp):
    cognito_idp.create_user_pool(PoolName="fixture")
    europe = boto3.client("cognito-idp", region_name="eu-west-1", **FAKE)
    with CognitoMock(region="eu-west-1") as middle:
        europe.create_user_pool(PoolName="middle")
        assert pool_names(cognito_idp) == []  # the innermost mock answers every region
        with CognitoMock() as inner:
            cognito_idp.create_user_pool(PoolName="inner")
            assert pool_names(europe) == []
        assert pool_names(europe) == ["middle"]
    assert pool_names(cognito_idp) == ["fixture"]
    assert [len(m._service.backend.pools) for m in (cognito_mock, middle, inner)] == [1, 1, 1]


def test_mocks_stopped_out_of_order_leave_the_right_one_answering():
    before = library_state()
    client = boto3.client("cognito-idp", region_name="us-east-1", **FAKE)
    outer = CognitoMock().start()
    inner = CognitoMock().start()
    client.create_user_pool(PoolName="inner")
    outer.stop()
    assert pool_names(client) == ["inner"]
    assert library_state() != before  # one mock is still active
    inner.stop()
    assert library_state() == before
    assert outer._service.backend.pools == {}


def test_moto_is_exactly_as_before_after_our_mock_ran_inside_it():
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1", **FAKE)
        s3.create_bucket(Bucket="kept")
        before = library_state()
        with CognitoMock():
            idp = boto3.client("cognito-idp", region_name="us-east-1", **FAKE)
            idp.create_user_pool(PoolName="ours")
            s3.create_bucket(Bucket="made-meanwhile")
        assert library_state() == before
        # moto answers Cognito again, and still has everything it was given.
        assert pool_names(idp) == []
        assert sorted(b["Name"] for b in s3.list_buckets()["Buckets"]) == ["kept", "made-meanwhile"]


# -- nothing left behind ------------------------------------------------------------------


def test_no_thread_and_no_server_outlive_a_mock_that_served_uploads_and_jwks():
    threads_before = set(threading.enumerate())
    with CognitoMock() as mock:
        client = mock.client()
        pool_id = client.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])[
            "UserPool"
        ]["Id"]
        job = client.create_user_import_job(
            UserPoolId=pool_id, JobName="j", CloudWatchLogsRoleArn=ROLE_ARN
        )["UserImportJob"]
        header = client.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
        row = {"cognito:username": "ada", "email": "ada@example.com", "email_verified": "TRUE"}
        body = ",".join(header) + "\n" + ",".join(row.get(c, "") for c in header) + "\n"
        with requests.Session() as session:  # a kept-alive connection to the server
            assert session.put(job["PreSignedUrl"], data=body, headers=SSE).status_code == 200
            client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
            server = "{0.scheme}://{0.netloc}".format(urlsplit(job["PreSignedUrl"]))
            served = session.get(f"{server}/{pool_id}/.well-known/jwks.json", timeout=10)
            in_process = session.get(
                f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}/.well-known/jwks.json",
                timeout=10,
            )
            assert served.json() == in_process.json() == mock.jwks(pool_id)
            with urllib.request.urlopen(
                f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}/.well-known/openid-configuration"
            ) as answer:
                assert answer.status == 200
            assert len(set(threading.enumerate()) - threads_before) >= 1  # the server's
    assert set(threading.enumerate()) - threads_before == set()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server}/{pool_id}/.well-known/jwks.json", timeout=10)


# -- the suite's guard --------------------------------------------------------------------


def test_the_suite_refuses_every_connection_outside_loopback():
    # Checked first, so that without the guard nothing is sent anywhere.
    assert socket.socket.connect is not _socket.socket.connect, "the loopback guard is missing"
    with socket.socket() as sock, pytest.raises(OSError, match="tried to connect"):
        sock.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed
    with pytest.raises(OSError, match="tried to resolve"):
        socket.getaddrinfo("example.com", 443)
    with pytest.raises(requests.ConnectionError, match=r"tried to (resolve|connect)"):
        requests.get("https://example.com/", timeout=1)
    # Loopback stays open.
    with socket.create_server(("127.0.0.1", 0)) as server:
        socket.create_connection(server.getsockname(), timeout=5).close()


# -- the suite in random order and across workers -----------------------------------------


#: A plugin failing any test that leaves a thread running (after a short grace for threads
#: that are already finishing).
THREAD_GUARD = """
import threading
import time

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2
    left = set(threading.enumerate()) - before
    while left and time.monotonic() < deadline:
        time.sleep(0.01)
        left = {thread for thread in left if thread.is_alive()}
    if left:
        item.config.stash.setdefault(LEFT, []).append((item.nodeid, sorted(map(str, left))))


LEFT = pytest.StashKey()


def pytest_terminal_summary(terminalreporter, config):
    for nodeid, threads in config.stash.get(LEFT, []):
        terminalreporter.write_line(f"THREAD LEFT BY {nodeid}: {threads}")
"""
#: Files that start threads: the upload server, JWKS traffic, moto, the concurrency suite.
THREADED = [
    "import_jobs/test_upload.py",
    "http/test_upload_server.py",
    "auth/test_well_known.py",
    "test_moto_coexistence.py",
    "reliability/test_concurrency.py",
]


@pytest.mark.slow
def test_no_test_that_starts_threads_leaves_one_running(pytester: pytest.Pytester):
    pytester.makepyfile(thread_guard=THREAD_GUARD)
    result = run_sample(pytester, "-p", "thread_guard", "-p", "no:randomly", files=THREADED)
    assert_all_passed(result, r"collected (\d+) items", at_least=20)
    assert [line for line in result.outlines if line.startswith("THREAD LEFT")] == []


def run_sample(
    pytester: pytest.Pytester, *options: str, files: list[str] = SAMPLE
) -> pytest.RunResult:
    files = [str(TESTS / name) for name in files]
    # The whole sample, slow tests included (these tests run in the full profile themselves).
    return pytester.runpytest_subprocess(
        *files, "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"), "--full", *options
    )


@pytest.mark.slow
def test_a_sample_of_the_suite_passes_in_random_order(pytester: pytest.Pytester):
    result = run_sample(pytester, "-p", "randomly", "-p", "no:xdist")
    assert_all_passed(result, r"collected (\d+) items")
    assert any(line.startswith("Using --randomly-seed=") for line in result.outlines)


@pytest.mark.slow
def test_a_sample_of_the_suite_passes_on_two_workers(pytester: pytest.Pytester):
    result = run_sample(pytester, "-p", "randomly", "-n", "2")
    assert_all_passed(result, r"2 workers \[(\d+) items\]")


def assert_all_passed(result: pytest.RunResult, collected: str, at_least: int = 50) -> None:
    """Every collected test passed: none failed, errored, or was skipped."""
    count = int(next(m.group(1) for line in result.outlines if (m := re.search(collected, line))))
    assert count >= at_least
    result.assert_outcomes(passed=count)
