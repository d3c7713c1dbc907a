"""Running the JavaScript clients in tests/node against a mock's loopback endpoint.

Each script prints one JSON line on stdout and exits non-zero with the error on stderr. The npm
packages are installed with ``npm ci --prefix tests/node``; without them, or without ``node``
on PATH, the tests that need them skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
PACKAGES = (
    "@aws-sdk/client-cognito-identity-provider",
    "amazon-cognito-identity-js",
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
