"""Test credentials for the life of a mock, when the environment has none.

Signed operations are signed by botocore before they reach the seam, so without credentials they
fail with NoCredentialsError. Checking configuration never resolves credentials (that could
reach the instance metadata service): it only looks at the environment and the shared files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
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
    """Sets variables that are absent, and puts everything back as it was on :meth:`restore`.

    With ``setenv`` (the pytest fixture passes ``monkeypatch.setenv``) the variables are set
    through it instead, and undone by it: a test that monkeypatches the same variables later
    then unwinds in one stack with ours, so nothing of ours outlives the test.
    """

    def __init__(self, setenv: Callable[[str, str], None] | None = None) -> None:
        self._setenv = setenv
        self._saved: dict[str, str | None] = {}

    def set_missing(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            if os.environ.get(name):
                continue
            if self._setenv is not None:
                self._setenv(name, value)
            else:
                self._saved[name] = os.environ.get(name)
                os.environ[name] = value

    def restore(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved.clear()


def patch_environment(
    region: str, setenv: Callable[[str, str], None] | None = None
) -> EnvironmentPatch:
    """Fake credentials if none are configured, and a default region if none is set."""
    patch = EnvironmentPatch(setenv)
    if not credentials_configured():
        patch.set_missing(FAKE_ENVIRONMENT)
    if not os.environ.get("AWS_DEFAULT_REGION") and not os.environ.get("AWS_REGION"):
        patch.set_missing({"AWS_DEFAULT_REGION": region})
    return patch


#: The variable AWS SDKs and the aws CLI read for the cognito-idp endpoint (service id
#: "Cognito Identity Provider").
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"

#: What could point a child process at a real account, or stop it from honouring the endpoint.
_CHILD_REMOVED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
)


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def subprocess_environment(
    base: Mapping[str, str], endpoint_url: str, region: str
) -> dict[str, str]:
    """``base`` with the Cognito endpoint, test credentials and ``region`` set for a child."""
    environment = {name: value for name, value in base.items() if name not in _CHILD_REMOVED}
    # A proxy configured for the network (common on CI runners) must not swallow loopback.
    for name in ("NO_PROXY", "no_proxy"):
        listed = [entry for entry in environment.get(name, "").split(",") if entry.strip()]
        environment[name] = ",".join([*listed, *(h for h in _LOOPBACK if h not in listed)])
    environment.update(
        {
            ENDPOINT_VARIABLE: endpoint_url,
            **FAKE_ENVIRONMENT,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            # Credentials come from the environment: never ask an instance metadata service.
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return environment
