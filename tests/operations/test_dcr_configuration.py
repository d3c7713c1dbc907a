"""DcrConfiguration on CreateUserPool, UpdateUserPool and DescribeUserPool: the documented
defaults, replacement on update, and the feature plan it needs while Enabled."""

from __future__ import annotations

import pytest
from support.errors import refused
from support.model import requires_member, requires_shape_member

pytestmark = [
    requires_member("CreateUserPool", "DcrConfiguration"),
    requires_member("UpdateUserPool", "DcrConfiguration"),
    requires_shape_member("UserPoolType", "DcrConfiguration"),
]

DEFAULTS = {
    "EnableStatus": "Enabled",
    "OpenDcrEnabled": False,
    "AuthenticatedGrantTypes": ["code", "client_credentials"],
    "OpenDcrGrantTypes": ["code"],
}
LITE_REFUSAL = (
    "The following features need to be disabled for the LITE pricing tier configured: "
    "Dynamic Client Registration"
)


def configuration(cognito_idp, pool_id: str) -> dict | None:
    return cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("DcrConfiguration")


def test_a_pool_without_one_describes_none(cognito_idp, pool_id):
    assert configuration(cognito_idp, pool_id) is None


def test_an_empty_configuration_gets_the_documented_defaults(cognito_idp):
    pool = cognito_idp.create_user_pool(PoolName="dcr", DcrConfiguration={})["UserPool"]
    assert pool["DcrConfiguration"] == DEFAULTS
    assert configuration(cognito_idp, pool["Id"]) == DEFAULTS


def test_given_members_are_kept_and_implicit_is_accepted(cognito_idp):
    given = {
        "EnableStatus": "Disabled",
        "OpenDcrEnabled": True,
        "AuthenticatedGrantTypes": ["code", "implicit"],
        "OpenDcrGrantTypes": [],
        "AllowedScopes": ["aws.cognito.signin.user.admin", "https://api.example.com/read"],
    }
    pool_id = cognito_idp.create_user_pool(PoolName="dcr", DcrConfiguration=given)["UserPool"]["Id"]
    assert configuration(cognito_idp, pool_id) == given


def test_update_replaces_it_whole_and_omitted_members_revert(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="dcr",
        DcrConfiguration={"OpenDcrEnabled": True, "OpenDcrGrantTypes": ["code", "implicit"]},
    )["UserPool"]["Id"]
    cognito_idp.update_user_pool(UserPoolId=pool_id, DcrConfiguration={"AllowedScopes": ["email"]})
    assert configuration(cognito_idp, pool_id) == {**DEFAULTS, "AllowedScopes": ["email"]}


def test_update_without_it_keeps_it(cognito_idp):
    given = {"EnableStatus": "Disabled", "AllowedScopes": []}
    pool_id = cognito_idp.create_user_pool(PoolName="dcr", DcrConfiguration=given)["UserPool"]["Id"]
    cognito_idp.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OFF")
    assert configuration(cognito_idp, pool_id) == {**DEFAULTS, **given}


def test_a_second_client_sees_the_configuration(cognito_mock, cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="dcr", DcrConfiguration={})["UserPool"]["Id"]
    assert configuration(cognito_mock.client("us-east-1"), pool_id) == DEFAULTS


@pytest.mark.parametrize("given", [{}, {"EnableStatus": "Enabled"}])
def test_lite_pools_cannot_turn_it_on(cognito_idp, given):
    refused(
        cognito_idp.create_user_pool,
        "FeatureUnavailableInTierException",
        LITE_REFUSAL,
        PoolName="lite",
        UserPoolTier="LITE",
        DcrConfiguration=given,
    )
    assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_lite_pools_may_keep_it_disabled(cognito_idp):
    pool = cognito_idp.create_user_pool(
        PoolName="lite", UserPoolTier="LITE", DcrConfiguration={"EnableStatus": "Disabled"}
    )["UserPool"]
    assert pool["DcrConfiguration"]["EnableStatus"] == "Disabled"


def test_moving_to_lite_needs_it_disabled(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="dcr", DcrConfiguration={})["UserPool"]["Id"]
    refused(
        cognito_idp.update_user_pool,
        "FeatureUnavailableInTierException",
        LITE_REFUSAL,
        UserPoolId=pool_id,
        UserPoolTier="LITE",
    )
    described = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert (described["UserPoolTier"], described["DcrConfiguration"]) == ("ESSENTIALS", DEFAULTS)
    cognito_idp.update_user_pool(
        UserPoolId=pool_id, UserPoolTier="LITE", DcrConfiguration={"EnableStatus": "Disabled"}
    )
    described = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["UserPoolTier"] == "LITE"
    assert described["DcrConfiguration"]["EnableStatus"] == "Disabled"
    refused(
        cognito_idp.update_user_pool,
        "FeatureUnavailableInTierException",
        LITE_REFUSAL,
        UserPoolId=pool_id,
        DcrConfiguration={},
    )


def test_a_grant_type_outside_the_model_is_refused_by_validation(cognito_idp):
    refused(
        cognito_idp.create_user_pool,
        "InvalidParameterException",
        "1 validation error detected: Value '[password]' at "
        "'dcrConfiguration.openDcrGrantTypes' failed to satisfy constraint: Member must satisfy "
        "constraint: [Member must satisfy enum value set: [code, implicit, client_credentials]]",
        PoolName="dcr",
        DcrConfiguration={"OpenDcrGrantTypes": ["password"]},
    )
