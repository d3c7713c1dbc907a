"""SetRiskConfiguration and DescribeRiskConfiguration: pool-level and per app client, reset,
validation, and the refusal of pools without threat protection."""

from __future__ import annotations

from datetime import datetime, timezone

import boto3
import pytest
from freezegun import freeze_time
from support.errors import refused
from support.model import requires_operation

pytestmark = [
    requires_operation("SetRiskConfiguration"),
    requires_operation("DescribeRiskConfiguration"),
]

SES_ARN = "arn:aws:ses:us-east-1:123456789012:identity/security@example.com"
TAKEOVER = {
    "Actions": {
        "LowAction": {"Notify": False, "EventAction": "NO_ACTION"},
        "MediumAction": {"Notify": False, "EventAction": "MFA_IF_CONFIGURED"},
        "HighAction": {"Notify": False, "EventAction": "BLOCK"},
    }
}
COMPROMISED = {"EventFilter": ["SIGN_IN"], "Actions": {"EventAction": "BLOCK"}}
EXCEPTIONS = {"BlockedIPRangeList": ["203.0.113.0/24"], "SkippedIPRangeList": ["10.0.0.1/32"]}
NOT_ENABLED = "Advanced security features are not enabled for user pool {}."


@pytest.fixture(params=["AUDIT", "ENFORCED"])
def pool_id(request, cognito_idp) -> str:
    return cognito_idp.create_user_pool(
        PoolName="app",
        UserPoolTier="PLUS",
        UserPoolAddOns={"AdvancedSecurityMode": request.param},
    )["UserPool"]["Id"]


def describe(client, pool_id, **kwargs) -> dict:
    return client.describe_risk_configuration(UserPoolId=pool_id, **kwargs)["RiskConfiguration"]


def test_a_pool_never_configured_describes_only_its_id(cognito_idp, pool_id):
    assert describe(cognito_idp, pool_id) == {"UserPoolId": pool_id}


def test_set_stores_the_pool_configuration_and_describe_returns_it(cognito_idp, pool_id):
    with freeze_time("2030-01-01 12:00:00"):
        answer = cognito_idp.set_risk_configuration(
            UserPoolId=pool_id,
            CompromisedCredentialsRiskConfiguration=COMPROMISED,
            AccountTakeoverRiskConfiguration=TAKEOVER,
            RiskExceptionConfiguration=EXCEPTIONS,
        )["RiskConfiguration"]
    expected = {
        "UserPoolId": pool_id,
        "CompromisedCredentialsRiskConfiguration": COMPROMISED,
        "AccountTakeoverRiskConfiguration": TAKEOVER,
        "RiskExceptionConfiguration": EXCEPTIONS,
        "LastModifiedDate": datetime(2030, 1, 1, 12, tzinfo=timezone.utc),
    }
    assert answer == expected
    # Another client of the same mock sees what was stored.
    other = boto3.client("cognito-idp", region_name="us-east-1")
    assert describe(other, pool_id) == expected


def test_a_client_configuration_overrides_the_pools_and_a_reset_inherits_again(
    cognito_idp, pool_id, client_id
):
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id, AccountTakeoverRiskConfiguration=TAKEOVER
    )
    # Without its own configuration, the client is described with the pool's (no ClientId).
    inherited = describe(cognito_idp, pool_id, ClientId=client_id)
    assert inherited["AccountTakeoverRiskConfiguration"] == TAKEOVER
    assert "ClientId" not in inherited

    own = cognito_idp.set_risk_configuration(
        UserPoolId=pool_id, ClientId=client_id, RiskExceptionConfiguration=EXCEPTIONS
    )["RiskConfiguration"]
    assert own["ClientId"] == client_id
    described = describe(cognito_idp, pool_id, ClientId=client_id)
    assert described["ClientId"] == client_id
    assert described["RiskExceptionConfiguration"] == EXCEPTIONS
    assert "AccountTakeoverRiskConfiguration" not in described  # replaced whole, not merged
    assert describe(cognito_idp, pool_id)["AccountTakeoverRiskConfiguration"] == TAKEOVER

    # UserPoolId and ClientId alone: the client inherits the pool's configuration again.
    reset = cognito_idp.set_risk_configuration(UserPoolId=pool_id, ClientId=client_id)
    assert reset["RiskConfiguration"] == {"UserPoolId": pool_id, "ClientId": client_id}
    again = describe(cognito_idp, pool_id, ClientId=client_id)
    assert "ClientId" not in again
    assert again["AccountTakeoverRiskConfiguration"] == TAKEOVER


def test_user_pool_id_alone_resets_the_pool_to_defaults(cognito_idp, pool_id):
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id, CompromisedCredentialsRiskConfiguration=COMPROMISED
    )
    answer = cognito_idp.set_risk_configuration(UserPoolId=pool_id)["RiskConfiguration"]
    assert answer == {"UserPoolId": pool_id}
    assert describe(cognito_idp, pool_id) == {"UserPoolId": pool_id}


def test_an_unknown_client_is_refused(cognito_idp, pool_id):
    for call in (cognito_idp.set_risk_configuration, cognito_idp.describe_risk_configuration):
        refused(
            call,
            "ResourceNotFoundException",
            "User pool client nosuchclient does not exist.",
            UserPoolId=pool_id,
            ClientId="nosuchclient",
        )


def test_an_unknown_pool_is_refused(cognito_idp):
    refused(
        cognito_idp.describe_risk_configuration,
        "ResourceNotFoundException",
        "User pool us-east-1_nope does not exist.",
        UserPoolId="us-east-1_nope",
    )


def _notify(**members) -> dict:
    actions = {"HighAction": {"Notify": True, "EventAction": "BLOCK"}}
    return {"Actions": actions, "NotifyConfiguration": members} if members else {"Actions": actions}


BLOCK_EMAIL = {"Subject": "Blocked sign-in", "TextBody": "We blocked a sign-in {username}."}


@pytest.mark.parametrize(
    ("takeover", "message"),
    [
        (
            _notify(),
            "NotifyConfiguration is required when HighAction has Notify set to true.",
        ),
        (
            _notify(SourceArn="arn:aws:iam::123456789012:role/mailer", BlockEmail=BLOCK_EMAIL),
            "SourceArn arn:aws:iam::123456789012:role/mailer is not the ARN of an Amazon SES "
            "identity.",
        ),
        (
            _notify(SourceArn=SES_ARN, BlockEmail=BLOCK_EMAIL),
            "NotifyConfiguration.From is required when HighAction has Notify set to true.",
        ),
        (
            _notify(SourceArn=SES_ARN, From="not an address", BlockEmail=BLOCK_EMAIL),
            "From not an address is not an email address.",
        ),
        (
            _notify(SourceArn=SES_ARN, From="security@example.com"),
            "NotifyConfiguration.BlockEmail is required when HighAction notifies BLOCK.",
        ),
        (
            _notify(
                SourceArn=SES_ARN, From="security@example.com", BlockEmail={"Subject": "Blocked"}
            ),
            "NotifyConfiguration.BlockEmail needs an HtmlBody or a TextBody.",
        ),
    ],
)
def test_notifications_need_a_notify_configuration_that_can_send_them(
    cognito_idp, pool_id, takeover, message
):
    refused(
        cognito_idp.set_risk_configuration,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        AccountTakeoverRiskConfiguration=takeover,
    )
    assert describe(cognito_idp, pool_id) == {"UserPoolId": pool_id}  # nothing stored


def test_a_complete_notify_configuration_is_stored(cognito_idp, pool_id):
    takeover = _notify(
        SourceArn=SES_ARN,
        From="Security <security@example.com>",
        ReplyTo="help@example.com",
        BlockEmail=BLOCK_EMAIL,
    )
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id, AccountTakeoverRiskConfiguration=takeover
    )
    assert describe(cognito_idp, pool_id)["AccountTakeoverRiskConfiguration"] == takeover


def test_ip_ranges_must_be_cidr_blocks(cognito_idp, pool_id):
    refused(
        cognito_idp.set_risk_configuration,
        "InvalidParameterException",
        "300.1.1.1/8 in BlockedIPRangeList is not an IP address range in CIDR notation.",
        UserPoolId=pool_id,
        RiskExceptionConfiguration={"BlockedIPRangeList": ["300.1.1.1/8"]},
    )


def test_the_model_checks_the_event_actions(cognito_idp, pool_id):
    refused(
        cognito_idp.set_risk_configuration,
        "InvalidParameterException",
        "1 validation error detected: Value 'SHRUG' at "
        "'accountTakeoverRiskConfiguration.actions.lowAction.eventAction' failed to satisfy "
        "constraint: Member must satisfy enum value set: "
        "[BLOCK, MFA_IF_CONFIGURED, MFA_REQUIRED, NO_ACTION]",
        UserPoolId=pool_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {"LowAction": {"Notify": False, "EventAction": "SHRUG"}}
        },
    )


@pytest.mark.parametrize(
    "create",
    [
        {},  # ESSENTIALS, no add-on
        {"UserPoolTier": "PLUS"},
        {"UserPoolTier": "PLUS", "UserPoolAddOns": {"AdvancedSecurityMode": "OFF"}},
    ],
)
def test_pools_without_threat_protection_are_refused(cognito_idp, create):
    pool_id = cognito_idp.create_user_pool(PoolName="plain", **create)["UserPool"]["Id"]
    message = NOT_ENABLED.format(pool_id)
    refused(
        cognito_idp.set_risk_configuration,
        "UserPoolAddOnNotEnabledException",
        message,
        UserPoolId=pool_id,
        CompromisedCredentialsRiskConfiguration=COMPROMISED,
    )
    refused(
        cognito_idp.describe_risk_configuration,
        "UserPoolAddOnNotEnabledException",
        message,
        UserPoolId=pool_id,
    )


def test_turning_threat_protection_off_refuses_and_on_again_keeps_the_configuration(
    cognito_idp, pool_id
):
    cognito_idp.set_risk_configuration(
        UserPoolId=pool_id, CompromisedCredentialsRiskConfiguration=COMPROMISED
    )
    cognito_idp.update_user_pool(
        UserPoolId=pool_id,
        UserPoolTier="PLUS",
        UserPoolAddOns={"AdvancedSecurityMode": "OFF"},
    )
    refused(
        cognito_idp.describe_risk_configuration,
        "UserPoolAddOnNotEnabledException",
        NOT_ENABLED.format(pool_id),
        UserPoolId=pool_id,
    )
    cognito_idp.update_user_pool(
        UserPoolId=pool_id,
        UserPoolTier="PLUS",
        UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"},
    )
    described = describe(cognito_idp, pool_id)
    assert described["CompromisedCredentialsRiskConfiguration"] == COMPROMISED


def test_an_essentials_pool_cannot_turn_threat_protection_on(cognito_idp):
    refused(
        cognito_idp.create_user_pool,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the ESSENTIALS pricing tier "
        "configured: Threat Protection",
        PoolName="app",
        UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"},
    )
