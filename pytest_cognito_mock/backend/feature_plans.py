"""Feature plans (``UserPoolTier``): which features a pool's plan lacks.

New pools are on ESSENTIALS, as on AWS. A feature the plan lacks is refused with
FeatureUnavailableInTierException in AWS's words, ``The following features need to be disabled
for the <TIER> pricing tier configured: <Feature>, ...``, when it is configured and when it is
used. Which features need which plan is in :data:`MINIMUM_TIER` (see docs/fidelity.md for the
display names AWS has not been seen to use).
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import FeatureUnavailableInTierException
from .models import UserPool

LITE, ESSENTIALS, PLUS = "LITE", "ESSENTIALS", "PLUS"
DEFAULT_TIER = ESSENTIALS
_RANK = {LITE: 0, ESSENTIALS: 1, PLUS: 2}

PASSWORDLESS = "Passwordless Sign-In"
CHOICE_BASED_SIGN_IN = "Choice-Based Sign-In"
EMAIL_MFA = "Email MFA"
PASSKEY_MFA = "Passkey MFA"
REFRESH_TOKEN_ROTATION = "Refresh Token Rotation"
THREAT_PROTECTION = "Threat Protection"
#: Managed login (the branding editor's pages): Lite pools have only the classic hosted UI.
MANAGED_LOGIN = "Managed Login"
MULTI_REGION_REPLICATION = "Multi-Region Replication"
#: Session tracking (SetUserPoolSessionConfiguration): "Essentials or Plus tier".
SESSION_MANAGEMENT = "Session Management"
TOKEN_EXCHANGE = "Token Exchange"
#: DcrConfiguration with EnableStatus Enabled (the display name is the mock's choice).
DYNAMIC_CLIENT_REGISTRATION = "Dynamic Client Registration"
POINT_IN_TIME_RECOVERY = "Point-in-Time Recovery"

#: Feature (as the error names it) -> the lowest plan that has it.
MINIMUM_TIER = {
    PASSWORDLESS: ESSENTIALS,
    CHOICE_BASED_SIGN_IN: ESSENTIALS,
    EMAIL_MFA: ESSENTIALS,
    PASSKEY_MFA: ESSENTIALS,
    REFRESH_TOKEN_ROTATION: ESSENTIALS,
    THREAT_PROTECTION: PLUS,
    MANAGED_LOGIN: ESSENTIALS,
    # "requires ... the Essentials or Plus feature plan" (the multi-Region replication guide).
    MULTI_REGION_REPLICATION: ESSENTIALS,
    SESSION_MANAGEMENT: ESSENTIALS,
    # "available in the Essentials and Plus feature plans" (AWS's announcement, 2026-11).
    TOKEN_EXCHANGE: ESSENTIALS,
    # "To activate this setting, your user pool must be in the Essentials tier or higher."
    DYNAMIC_CLIENT_REGISTRATION: ESSENTIALS,
    # "must be on the Essentials or Plus feature plan" (InitiatePointInTimeRecovery).
    POINT_IN_TIME_RECOVERY: ESSENTIALS,
}


def tier_of(pool: UserPool) -> str:
    return str(pool.echoed_settings.get("UserPoolTier", DEFAULT_TIER))


def rank(tier: str) -> int:
    """The order of the plans, LITE lowest."""
    return _RANK.get(tier, _RANK[DEFAULT_TIER])


def lacking(tier: str, features: Iterable[str]) -> list[str]:
    """The features of ``features`` that ``tier`` does not have, in the order given."""
    rank = _RANK.get(tier, _RANK[DEFAULT_TIER])
    return [f for f in dict.fromkeys(features) if _RANK[MINIMUM_TIER[f]] > rank]


def require(tier: str, features: Iterable[str]) -> None:
    """Refuse, in AWS's words, the features ``tier`` lacks."""
    missing = lacking(tier, features)
    if missing:
        raise FeatureUnavailableInTierException(
            f"The following features need to be disabled for the {tier} pricing tier "
            f"configured: {', '.join(missing)}"
        )


def require_for_pool(pool: UserPool, *features: str) -> None:
    require(tier_of(pool), features)


def pool_features(
    sign_in_factors: Iterable[str], add_ons: object, email_mfa: bool = False
) -> list[str]:
    """The plan features a pool's settings use: passwordless first factors, threat protection
    (``UserPoolAddOns.AdvancedSecurityMode`` other than OFF), email MFA."""
    used = []
    if any(factor != "PASSWORD" for factor in sign_in_factors):
        used.append(PASSWORDLESS)
    if isinstance(add_ons, dict) and add_ons.get("AdvancedSecurityMode", "OFF") != "OFF":
        used.append(THREAT_PROTECTION)
    if email_mfa:
        used.append(EMAIL_MFA)
    return used
