"""Provisioned API request-rate limits through boto3: GetProvisionedLimit and
UpdateProvisionedLimit, per account and region."""

from __future__ import annotations

import pytest
from support.errors import refused
from support.model import requires_operation

pytestmark = [
    requires_operation("GetProvisionedLimit"),
    requires_operation("UpdateProvisionedLimit"),
]


def definition(category: str) -> dict:
    return {"LimitClass": "API_CATEGORY", "Attributes": {"Category": category}}


def limit(category: str, provisioned: int, free: int) -> dict:
    return {
        "LimitDefinition": definition(category),
        "ProvisionedLimitValue": provisioned,
        "FreeLimitValue": free,
    }


@pytest.mark.parametrize(
    ("category", "default"),
    [
        ("UserAuthentication", 120),
        ("UserCreation", 50),
        ("UserFederation", 25),
        ("UserAccountRecovery", 30),
        ("UserRead", 120),
        ("UserUpdate", 25),
        ("UserResourceRead", 50),
        ("UserResourceUpdate", 25),
        ("UserList", 30),
        ("UserPoolRead", 15),
        ("UserPoolUpdate", 15),
        ("UserPoolResourceRead", 20),
        ("UserPoolResourceUpdate", 15),
        ("UserPoolClientRead", 15),
        ("UserPoolClientUpdate", 15),
        ("UserToken", 120),
        ("ClientAuthentication", 150),
    ],
)
def test_a_category_starts_at_its_documented_default(cognito_idp, category, default):
    answer = cognito_idp.get_provisioned_limit(LimitDefinition=definition(category))
    assert answer["Limit"] == limit(category, default, default)


def test_an_update_is_what_a_second_client_reads_in_that_region_only(cognito_idp, cognito_mock):
    answer = cognito_idp.update_provisioned_limit(
        LimitDefinition=definition("UserAuthentication"), RequestedLimitValue=300
    )
    assert answer["Limit"] == limit("UserAuthentication", 300, 120)
    second = cognito_mock.client("us-east-1")
    read = second.get_provisioned_limit(LimitDefinition=definition("UserAuthentication"))
    assert read["Limit"] == limit("UserAuthentication", 300, 120)
    # Quotas are regional, and other categories keep their defaults.
    elsewhere = cognito_mock.client("eu-west-1").get_provisioned_limit(
        LimitDefinition=definition("UserAuthentication")
    )
    assert elsewhere["Limit"] == limit("UserAuthentication", 120, 120)
    other = second.get_provisioned_limit(LimitDefinition=definition("UserCreation"))
    assert other["Limit"] == limit("UserCreation", 50, 50)


def test_the_default_itself_may_be_requested(cognito_idp):
    answer = cognito_idp.update_provisioned_limit(
        LimitDefinition=definition("UserCreation"), RequestedLimitValue=50
    )
    assert answer["Limit"] == limit("UserCreation", 50, 50)


def test_below_the_default_is_an_invalid_parameter_and_changes_nothing(cognito_idp):
    cognito_idp.update_provisioned_limit(
        LimitDefinition=definition("UserRead"), RequestedLimitValue=200
    )
    refused(
        cognito_idp.update_provisioned_limit,
        "InvalidParameterException",
        "The requested limit value 119 for UserRead is below its default limit of 120 requests "
        "per second.",
        LimitDefinition=definition("UserRead"),
        RequestedLimitValue=119,
    )
    read = cognito_idp.get_provisioned_limit(LimitDefinition=definition("UserRead"))
    assert read["Limit"]["ProvisionedLimitValue"] == 200


def test_above_the_account_maximum_exceeds_the_service_quota(cognito_idp):
    refused(
        cognito_idp.update_provisioned_limit,
        "ServiceQuotaExceededException",
        "The requested limit value 1201 for UserAuthentication exceeds the account's maximum of "
        "1200 requests per second. To increase it, submit a Service Quotas increase request.",
        LimitDefinition=definition("UserAuthentication"),
        RequestedLimitValue=1201,
    )
    cognito_idp.update_provisioned_limit(
        LimitDefinition=definition("UserAuthentication"), RequestedLimitValue=1200
    )
    read = cognito_idp.get_provisioned_limit(LimitDefinition=definition("UserAuthentication"))
    assert read["Limit"]["ProvisionedLimitValue"] == 1200


def test_an_unknown_category_is_not_found(cognito_idp):
    for call, extra in (
        (cognito_idp.get_provisioned_limit, {}),
        (cognito_idp.update_provisioned_limit, {"RequestedLimitValue": 500}),
    ):
        refused(
            call,
            "ResourceNotFoundException",
            "There is no limit for the API category UserTeleportation.",
            LimitDefinition=definition("UserTeleportation"),
            **extra,
        )


@pytest.mark.parametrize(
    "attributes",
    [{}, {"category": "UserRead"}, {"Category": "UserRead", "Region": "us-east-1"}],
    ids=["none", "lower-case-key", "extra-key"],
)
def test_the_attributes_must_be_exactly_the_category(cognito_idp, attributes):
    refused(
        cognito_idp.get_provisioned_limit,
        "InvalidParameterException",
        "A limit of class API_CATEGORY is identified by exactly one attribute, Category.",
        LimitDefinition={"LimitClass": "API_CATEGORY", "Attributes": attributes},
    )
