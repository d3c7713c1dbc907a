"""Dynamic client registration settings: a user pool's ``DcrConfiguration``.

Stored with AWS's documented defaults filled in, so DescribeUserPool answers what is in force:
a configuration without ``EnableStatus`` turns registration on; open registration is off;
authenticated registration may request the ``code`` and ``client_credentials`` grants, open
registration only ``code``. ``implicit`` is accepted in the grant lists and kept as given
(AWS accepts it and ignores it). UpdateUserPool replaces the configuration whole, so members
it omits return to these defaults. A pool without a configuration does not offer registration.

The registration endpoint (``/oauth2/register``) that obeys it is client_registration.py.
"""

from __future__ import annotations

from typing import Any

ENABLED, DISABLED = "Enabled", "Disabled"
#: The grants each kind of registration permits when the configuration does not say.
DEFAULT_AUTHENTICATED_GRANT_TYPES = ("code", "client_credentials")
DEFAULT_OPEN_GRANT_TYPES = ("code",)


def configuration(given: dict[str, Any]) -> dict[str, Any]:
    """DcrConfigurationType as the pool keeps and describes it: ``given`` with the defaults of
    the members it omits (an omitted AllowedScopes stays omitted: only the OIDC scopes)."""
    stored: dict[str, Any] = {
        "EnableStatus": given.get("EnableStatus", ENABLED),
        "OpenDcrEnabled": given.get("OpenDcrEnabled", False),
        "AuthenticatedGrantTypes": list(
            given.get("AuthenticatedGrantTypes", DEFAULT_AUTHENTICATED_GRANT_TYPES)
        ),
        "OpenDcrGrantTypes": list(given.get("OpenDcrGrantTypes", DEFAULT_OPEN_GRANT_TYPES)),
    }
    if "AllowedScopes" in given:
        stored["AllowedScopes"] = list(given["AllowedScopes"])
    return stored


def is_enabled(stored: object) -> bool:
    """Whether a stored configuration (or None) has registration on: what needs Essentials."""
    return isinstance(stored, dict) and stored.get("EnableStatus") == ENABLED
