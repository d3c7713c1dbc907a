"""Running the JavaScript clients in tests/node against a mock's loopback endpoint.

Each script prints one JSON line on stdout and exits non-zero with the error on stderr. The npm
packages are installed with ``npm ci --prefix tests/node``; without them, or without ``node``
on PATH, the tests that need them skip.

A script that needs something only the test knows mid-flow (the code the mock emailed) asks
for it with ``ask()`` from tests/node/converse.mjs and is run with :func:`converse`: a question
is one JSON line ``{"ask": <what>, ...}`` on its stdout, and the test's answer goes back as one
JSON line on its stdin. The result is still the one line that is not a question.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
PACKAGES = (
    "@aws-sdk/client-cognito-identity-provider",
    "amazon-cognito-identity-js",
    "aws-amplify",
    "aws-jwt-verify",
)
TIMEOUT = 120  # seconds: a hang fails the test instead of the whole run


def node_or_skip() -> str:
    """The ``node`` executable, or a skip naming what is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH")
    missing = [name for name in PACKAGES if not (NODE_DIR / "node_modules" / name).is_dir()]
    if missing:
        pytest.skip(
            f"npm packages not installed ({', '.join(missing)}): run `npm ci --prefix tests/node`"
        )
    return node


def run_script(node: str, env: dict[str, str], script: str, *args: str) -> dict[str, Any]:
    """Run ``tests/node/<script>`` with ``args`` in ``env``; its JSON line, parsed."""
    command = [node, str(NODE_DIR / script), *args]
    try:
        done = subprocess.run(
            command, env=env, cwd=NODE_DIR, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired as expired:
        stderr = (expired.stderr or b"").decode(errors="replace")
        pytest.fail(f"node {script} ran over {TIMEOUT}s; its stderr:\n{stderr}", pytrace=False)
    if done.returncode != 0:
        pytest.fail(
            f"node {script} {' '.join(args)} exited with {done.returncode}; its stderr:\n"
            f"{done.stderr}\nits stdout:\n{done.stdout}",
            pytrace=False,
        )
    lines = done.stdout.splitlines()
    if len(lines) != 1:
        pytest.fail(f"node {script} printed {len(lines)} lines, not one:\n{done.stdout}")
    result: dict[str, Any] = json.loads(lines[0])
    return result


def converse(
    node: str,
    env: dict[str, str],
    script: str,
    *args: str,
    answer: Callable[[dict[str, Any]], Any],
) -> dict[str, Any]:
    """Run ``tests/node/<script>`` as :func:`run_script` does, answering the questions it asks
    on the way: each ``{"ask": ...}`` line it prints is passed to ``answer``, whose return value
    goes back to the script as one JSON line. Its result line, parsed."""
    command = [node, str(NODE_DIR / script), *args]
    results: list[str] = []
    timed_out = threading.Event()
    with (
        tempfile.TemporaryFile("w+") as stderr,
        subprocess.Popen(
            command,
            env=env,
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as process,
    ):
        assert process.stdin is not None and process.stdout is not None

        def kill() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(TIMEOUT, kill)
        timer.start()
        try:
            for line in process.stdout:
                question = _question(line)
                if question is None:
                    results.append(line)
                    process.stdin.close()  # the result is the last line: no more questions
                    continue
                reply = json.dumps(answer(question)) + "\n"
                try:
                    process.stdin.write(reply)
                    process.stdin.flush()
                except BrokenPipeError:
                    pass  # it died: its exit status and stderr say why
            returncode = process.wait()
        finally:  # also when ``answer`` raised: the script must not outlive the test
            timer.cancel()
            if process.poll() is None:
                process.kill()
        stderr.seek(0)
        errors = stderr.read()
    if timed_out.is_set():
        pytest.fail(f"node {script} ran over {TIMEOUT}s; its stderr:\n{errors}", pytrace=False)
    if returncode != 0:
        pytest.fail(
            f"node {script} {' '.join(args)} exited with {returncode}; its stderr:\n{errors}\n"
            f"its stdout:\n{''.join(results)}",
            pytrace=False,
        )
    if len(results) != 1:
        pytest.fail(f"node {script} printed {len(results)} result lines, not one:\n{results}")
    result: dict[str, Any] = json.loads(results[0])
    return result


def _question(line: str) -> dict[str, Any] | None:
    """``line`` as a question (a JSON object with ``"ask"``), or None."""
    try:
        message = json.loads(line)
    except json.JSONDecodeError:
        return None
    return message if isinstance(message, dict) and "ask" in message else None
