"""Running the real aws CLI (and curl) as child processes against a mock's loopback endpoint.

The CLI is found, in order, at ``$COGNITO_MOCK_AWS_CLI``, at ``.venv-cli/bin/aws`` in the
repository (the CLI pins its own botocore and docutils, so it gets a virtualenv of its
own), or on ``PATH``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CLI_VARIABLE = "COGNITO_MOCK_AWS_CLI"
REPO_CLI = REPO_ROOT / ".venv-cli" / "bin" / "aws"
INSTALL_HINT = (
    f"python3 -m venv {REPO_ROOT / '.venv-cli'} && "
    f"{REPO_ROOT / '.venv-cli' / 'bin' / 'pip'} install awscli"
)
#: A guard against a hung child, not a timing assertion.
TIMEOUT = 120

#: The first releases that read ``AWS_ENDPOINT_URL_<SERVICE>`` (service-specific endpoints).
FIRST_WITH_SERVICE_ENDPOINTS = {1: (1, 29, 0), 2: (2, 13, 0)}
#: The exit code for "the service answered with an error", by major version (AWS CLI docs,
#: "Return codes").
SERVICE_ERROR_EXIT_CODES = {1: 255, 2: 254}


def find_aws_cli() -> str:
    """The aws CLI to run; skips the test (saying how to install it) when there is none."""
    configured = os.environ.get(CLI_VARIABLE)
    if configured:
        found = shutil.which(configured)
        if found is None:
            pytest.fail(f"${CLI_VARIABLE} is {configured!r}, which is not an executable")
        return found
    if os.access(REPO_CLI, os.X_OK):
        return str(REPO_CLI)
    found = shutil.which("aws")
    if found is None:
        pytest.skip(
            f"the aws CLI is not installed: not at ${CLI_VARIABLE}, {REPO_CLI} or on PATH; "
            f"install it with: {INSTALL_HINT}"
        )
    return found


def cli_version(executable: str) -> tuple[int, ...]:
    """``(1, 46, 3)`` for ``aws-cli/1.46.3 Python/...``; fails the test if the CLI is too old
    to take its endpoint from ``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``."""
    result = run([executable, "--version"], os.environ)
    match = re.search(r"aws-cli/(\d+)\.(\d+)\.(\d+)", result.stdout + result.stderr)
    if result.returncode != 0 or match is None:
        pytest.fail(f"cannot read the aws CLI's version\n{describe(result)}")
    version = tuple(int(part) for part in match.groups())
    first = FIRST_WITH_SERVICE_ENDPOINTS.get(version[0])
    if first is None or version < first:
        pytest.fail(
            f"{executable} is aws-cli {'.'.join(map(str, version))}, which ignores "
            "service-specific endpoint variables (they came with 1.29.0 and 2.13.0); "
            f"install a newer one with: {INSTALL_HINT}"
        )
    return version


def find_curl() -> str:
    found = shutil.which("curl")
    if found is None:
        pytest.skip("curl is not on PATH; install it (e.g. apt-get install curl)")
    return found


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """The command, its exit code and both of its outputs, for a failure message."""
    return (
        f"command: {shlex.join(str(part) for part in result.args)}\n"
        f"exit code: {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n"
        f"--- stderr ---\n{result.stderr}"
    )


def run(
    command: Sequence[str], env: Mapping[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command),
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


class AwsCli:
    """``aws cognito-idp <operation> ... --output json`` with an environment, never with
    ``--endpoint-url``: the endpoint must come from the environment."""

    def __init__(self, executable: str, env: Mapping[str, str], cwd: Path | None = None) -> None:
        self.executable = executable
        self.env = dict(env)
        self.cwd = cwd
        self.invocations = 0

    def run(self, operation: str, *args: str) -> subprocess.CompletedProcess[str]:
        assert not any(arg.startswith("--endpoint-url") for arg in args)
        self.invocations += 1
        command = [self.executable, "cognito-idp", operation, *args, "--output", "json"]
        return run(command, self.env, self.cwd)

    def json(self, operation: str, *args: str) -> dict[str, Any]:
        """The parsed answer of a call that must succeed (``{}`` for an empty answer)."""
        __tracebackhide__ = True
        result = self.run(operation, *args)
        if result.returncode != 0:
            pytest.fail(f"aws cognito-idp {operation} failed\n{describe(result)}", pytrace=False)
        if not result.stdout.strip():
            return {}
        try:
            answer: dict[str, Any] = json.loads(result.stdout)
        except ValueError as error:
            pytest.fail(
                f"aws cognito-idp {operation}: stdout is not JSON ({error})\n{describe(result)}",
                pytrace=False,
            )
        return answer

    def error(self, operation: str, *args: str) -> subprocess.CompletedProcess[str]:
        """The finished process of a call that must fail."""
        __tracebackhide__ = True
        result = self.run(operation, *args)
        if result.returncode == 0:
            pytest.fail(f"aws cognito-idp {operation} succeeded\n{describe(result)}", pytrace=False)
        return result
