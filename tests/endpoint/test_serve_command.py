"""``python -m pytest_cognito_mock serve``: a standalone server that prints its URL, serves the
same service, refuses non-loopback addresses, and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from contextlib import closing

import boto3
import pytest


def serve(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest_cognito_mock", "serve", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_it_serves_until_sigterm_and_stops_cleanly():
    server = serve("--port", "0", "--region", "eu-west-1")
    try:
        banner = server.stdout.readline()
        assert banner.startswith("pytest-cognito-mock serving cognito-idp at http://127.0.0.1:")
        assert "in memory" in banner
        url = banner.split(" at ")[1].split()[0]
        # Closed here: urllib3 before 2.0 has no finalizer closing a collected pool's connections.
        with closing(
            boto3.client(
                "cognito-idp",
                region_name="eu-west-1",
                endpoint_url=url,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        ) as idp:
            # The test process has no mock active: this goes over real HTTP to the child.
            pool_id = idp.create_user_pool(PoolName="served")["UserPool"]["Id"]
            assert pool_id.startswith("eu-west-1_")
            with pytest.raises(idp.exceptions.ResourceNotFoundException):
                idp.describe_user_pool(UserPoolId="eu-west-1_missing00")
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert out.strip().endswith("pytest-cognito-mock stopped")
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))


def test_it_binds_loopback_only():
    server = serve("--host", "0.0.0.0", "--port", "0")
    _, err = server.communicate(timeout=60)
    assert server.returncode == 2
    assert "binds loopback addresses only" in err


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = serve("--port", str(port))
        _, err = server.communicate(timeout=60)
    assert server.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err


def test_its_help_says_state_is_in_memory():
    shown = subprocess.run(
        [sys.executable, "-m", "pytest_cognito_mock", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = " ".join(shown.split())
    assert "All state is held in memory and is lost when the server stops" in words
    assert "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER" in words


# -- the same command, run in this process (a thread and an event instead of a signal) -------


def test_serve_in_process_serves_until_told_to_stop():
    from pytest_cognito_mock.__main__ import serve as serve_here

    lines: list[str] = []
    stopping = threading.Event()
    status: list[int] = []
    runner = threading.Thread(
        target=lambda: status.append(
            serve_here(
                "127.0.0.1",
                0,
                "us-west-2",
                "111122223333",
                stopping=stopping,
                announce=lines.append,
            )
        )
    )
    runner.start()
    try:
        while not lines and runner.is_alive():
            runner.join(0.05)
        url = lines[0].split(" at ")[1].split()[0]
        with closing(
            boto3.client(
                "cognito-idp",
                region_name="us-west-2",
                endpoint_url=url,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        ) as idp:
            arn = idp.create_user_pool(PoolName="here")["UserPool"]["Arn"]
        assert arn.startswith("arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-west-2_")
    finally:
        stopping.set()
        runner.join()
    assert status == [0]
    assert lines[-1] == "pytest-cognito-mock stopped"


def test_serve_in_process_refuses_what_the_command_refuses(capsys):
    from pytest_cognito_mock.__main__ import main

    assert main(["serve", "--host", "192.0.2.1", "--port", "0"]) == 2
    assert "binds loopback addresses only" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
