"""Threat protection's settings: the add-on's mode, and SetRiskConfiguration /
DescribeRiskConfiguration.

Threat protection is on when the pool's ``UserPoolAddOns.AdvancedSecurityMode`` is AUDIT or
ENFORCED (which only a pool on the PLUS plan may set: see feature_plans.py). The operations of
threat protection refuse a pool where it is off with ``UserPoolAddOnNotEnabledException``.

A risk configuration is kept for the pool (key None) and for single app clients; an app client's
own configuration replaces the pool's whole, as AWS documents ("App client threat-protection
configurations override the user pool configuration"). The configuration types are stored as
the request gave them (the model has checked their shapes), after the checks the model cannot
express (see :func:`check`); Describe returns them as stored.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import clock
from .errors import InvalidParameterException, UserPoolAddOnNotEnabledException
from .models import AppClient, UserPool

OFF, AUDIT, ENFORCED = "OFF", "AUDIT", "ENFORCED"
#: The mock's wording (AWS's is not established; see docs/fidelity.md).
ADD_ON_NOT_ENABLED = "Advanced security features are not enabled for user pool {pool_id}."
RISK_LEVELS = ("Low", "Medium", "High")
#: AccountTakeoverActionsType member of each risk level.
LEVEL_ACTIONS = {"Low": "LowAction", "Medium": "MediumAction", "High": "HighAction"}
#: EventAction -> the NotifyConfiguration template its notification uses.
_TEMPLATE_OF_ACTION = {
    "BLOCK": "BlockEmail",
    "MFA_IF_CONFIGURED": "MfaEmail",
    "MFA_REQUIRED": "MfaEmail",
    "NO_ACTION": "NoActionEmail",
}
#: ``admin@example.com`` or ``Administrator <admin@example.com>``, as the model documents ReplyTo.
_ADDRESS = re.compile(r"(?:[^<>]*<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+(?:>)?")
#: An SES identity: what a sending authorization policy belongs to.
_SES_IDENTITY = re.compile(r"arn:[\w-]+:ses:[\w-]+:\d{12}:identity/.+")


@dataclass(frozen=True)
class RiskConfiguration:
    """One SetRiskConfiguration, as given (None: the member was left out)."""

    compromised_credentials: dict[str, Any] | None
    account_takeover: dict[str, Any] | None
    risk_exceptions: dict[str, Any] | None
    modified: float


def mode(pool: UserPool) -> str:
    """The pool's threat protection mode: OFF, AUDIT or ENFORCED."""
    add_ons = pool.echoed_settings.get("UserPoolAddOns")
    if isinstance(add_ons, dict):
        return str(add_ons.get("AdvancedSecurityMode", OFF))
    return OFF


def require_add_on(pool: UserPool) -> None:
    """Refuse the threat protection operations while threat protection is off."""
    if mode(pool) == OFF:
        raise UserPoolAddOnNotEnabledException(ADD_ON_NOT_ENABLED.format(pool_id=pool.id))


def set_risk_configuration(
    pool: UserPool,
    client: AppClient | None,
    compromised_credentials: Mapping[str, Any] | None,
    account_takeover: Mapping[str, Any] | None,
    risk_exceptions: Mapping[str, Any] | None,
) -> tuple[str | None, RiskConfiguration | None]:
    """SetRiskConfiguration for the pool (``client`` None) or one app client.

    A request with no configuration type resets: the pool's to the defaults, a client's to
    inheriting the pool's. Returns the key and what is now stored there (None: nothing).
    """
    require_add_on(pool)
    check(compromised_credentials, account_takeover, risk_exceptions)
    key = client.client_id if client is not None else None
    if compromised_credentials is None and account_takeover is None and risk_exceptions is None:
        pool.risk_configurations.pop(key, None)
        return key, None
    stored = RiskConfiguration(
        dict(compromised_credentials) if compromised_credentials is not None else None,
        dict(account_takeover) if account_takeover is not None else None,
        dict(risk_exceptions) if risk_exceptions is not None else None,
        clock.now(),
    )
    pool.risk_configurations[key] = stored
    return key, stored


def describe_risk_configuration(
    pool: UserPool, client: AppClient | None
) -> tuple[str | None, RiskConfiguration | None]:
    """The configuration that applies to ``client`` (or the pool's), and the client id it is
    stored under: None when it is the pool's (an app client without its own inherits it)."""
    require_add_on(pool)
    return effective(pool, client.client_id if client is not None else None)


def effective(pool: UserPool, client_id: str | None) -> tuple[str | None, RiskConfiguration | None]:
    own = pool.risk_configurations.get(client_id) if client_id is not None else None
    if own is not None and client_id in pool.clients:
        return client_id, own
    return None, pool.risk_configurations.get(None)


def check(
    compromised_credentials: Mapping[str, Any] | None,
    account_takeover: Mapping[str, Any] | None,
    risk_exceptions: Mapping[str, Any] | None,
) -> None:
    """What the model cannot check: notifications need a NotifyConfiguration that can send
    them, addresses must be addresses, IP ranges must be CIDR blocks."""
    del compromised_credentials  # its members are all enums and lists of enums
    if account_takeover is not None:
        _check_account_takeover(account_takeover)
    if risk_exceptions is not None:
        for member in ("BlockedIPRangeList", "SkippedIPRangeList"):
            for text in risk_exceptions.get(member, ()):
                try:
                    ipaddress.ip_network(text, strict=False)
                except ValueError:
                    raise InvalidParameterException(
                        f"{text} in {member} is not an IP address range in CIDR notation."
                    ) from None


def _check_account_takeover(config: Mapping[str, Any]) -> None:
    actions = config.get("Actions", {})
    notify = config.get("NotifyConfiguration")
    notifying = [
        (member, action["EventAction"])
        for member, action in ((m, actions.get(m)) for m in LEVEL_ACTIONS.values())
        if action is not None and action.get("Notify")
    ]
    if notify is None:
        if notifying:
            raise InvalidParameterException(
                f"NotifyConfiguration is required when {notifying[0][0]} has Notify set to true."
            )
        return
    if _SES_IDENTITY.fullmatch(notify["SourceArn"]) is None:
        raise InvalidParameterException(
            f"SourceArn {notify['SourceArn']} is not the ARN of an Amazon SES identity."
        )
    for member in ("From", "ReplyTo"):
        address = notify.get(member)
        if address is not None and _ADDRESS.fullmatch(address) is None:
            raise InvalidParameterException(f"{member} {address} is not an email address.")
    for member, event_action in notifying:
        if "From" not in notify:
            raise InvalidParameterException(
                f"NotifyConfiguration.From is required when {member} has Notify set to true."
            )
        template = _TEMPLATE_OF_ACTION[event_action]
        if template not in notify:
            raise InvalidParameterException(
                f"NotifyConfiguration.{template} is required when {member} notifies {event_action}."
            )
    for template in ("BlockEmail", "NoActionEmail", "MfaEmail"):
        email = notify.get(template)
        if email is not None and "HtmlBody" not in email and "TextBody" not in email:
            raise InvalidParameterException(
                f"NotifyConfiguration.{template} needs an HtmlBody or a TextBody."
            )


def level_action(config: RiskConfiguration | None, level: str) -> tuple[str, bool]:
    """(EventAction, Notify) configured for a risk level; NO_ACTION when none is."""
    takeover = config.account_takeover if config is not None else None
    action = (takeover or {}).get("Actions", {}).get(LEVEL_ACTIONS[level])
    if action is None:
        return "NO_ACTION", False
    return str(action["EventAction"]), bool(action["Notify"])


def blocks_compromised(config: RiskConfiguration | None, event_filter: str) -> bool:
    """Whether compromised credentials are blocked for this kind of event (SIGN_IN, ...)."""
    compromised = config.compromised_credentials if config is not None else None
    if compromised is None:
        return False
    filters = compromised.get("EventFilter") or ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"]
    return compromised["Actions"]["EventAction"] == "BLOCK" and event_filter in filters


def ip_listed(config: RiskConfiguration | None, member: str, ip: str | None) -> bool:
    """Whether ``ip`` is in the configuration's BlockedIPRangeList / SkippedIPRangeList."""
    exceptions = config.risk_exceptions if config is not None else None
    if ip is None or exceptions is None:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(text, strict=False) for text in exceptions.get(member, ())
    )
