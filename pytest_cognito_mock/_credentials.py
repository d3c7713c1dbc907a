"""Test credentials for the life of a mock, when the environment has none.

Signed operations are signed by botocore before they reach the seam, so without credentials they
fail with NoCredentialsError. Checking configuration never resolves credentials (that could
reach the instance metadata service): it only looks at the environment and the shared files.
"""

from __future__ import annotations

import os
from pathlib import Path

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}

_SIGNS_OF_CONFIGURED_CREDENTIALS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


def credentials_configured() -> bool:
    if any(os.environ.get(name) for name in _SIGNS_OF_CONFIGURED_CREDENTIALS):
        return True
    shared = (
        os.environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
        os.environ.get("AWS_CONFIG_FILE", "~/.aws/config"),
    )
    return any(Path(path).expanduser().is_file() for path in shared)


class EnvironmentPatch:
    """Sets variables that are absent, and puts everything back as it was on :meth:`restore`."""

    def __init__(self) -> None:
        self._saved: dict[str, str | None] = {}

    def set_missing(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            if not os.environ.get(name):
                self._saved[name] = os.environ.get(name)
                os.environ[name] = value

    def restore(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved.clear()


def patch_environment(region: str) -> EnvironmentPatch:
    """Fake credentials if none are configured, and a default region if none is set."""
    patch = EnvironmentPatch()
    if not credentials_configured():
        patch.set_missing(FAKE_ENVIRONMENT)
    if not os.environ.get("AWS_DEFAULT_REGION") and not os.environ.get("AWS_REGION"):
        patch.set_missing({"AWS_DEFAULT_REGION": region})
    return patch
