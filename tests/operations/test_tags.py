"""User pool tags through boto3: TagResource, UntagResource, ListTagsForResource, and the
UserPoolTags of CreateUserPool, UpdateUserPool and DescribeUserPool, which are the same tags."""

from __future__ import annotations

import json

import pytest
import requests
from support.errors import refused


@pytest.fixture
def pool_arn(cognito_idp, pool_id) -> str:
    return cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]


def tags_of(client, arn: str) -> dict[str, str]:
    return client.list_tags_for_resource(ResourceArn=arn)["Tags"]


def described_tags(client, pool_id: str) -> dict[str, str] | None:
    return client.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("UserPoolTags")


def test_the_resource_is_the_pool_arn(cognito_idp, pool_id, pool_arn):
    assert pool_arn == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool_id}"


def test_a_new_pool_has_no_tags(cognito_idp, pool_id, pool_arn):
    assert tags_of(cognito_idp, pool_arn) == {}
    assert described_tags(cognito_idp, pool_id) is None


def test_tags_added_are_seen_by_a_second_client_and_by_describe(
    cognito_idp, cognito_mock, pool_id, pool_arn
):
    answer = cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test", "team": "id"})
    assert set(answer) == {"ResponseMetadata"}
    second = cognito_mock.client()
    assert tags_of(second, pool_arn) == {"stage": "test", "team": "id"}
    assert described_tags(second, pool_id) == {"stage": "test", "team": "id"}


def test_tagging_merges_and_overwrites_a_key_it_names(cognito_idp, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test", "team": "id"})
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "prod", "owner": ""})
    assert tags_of(cognito_idp, pool_arn) == {"stage": "prod", "team": "id", "owner": ""}


def test_keys_are_case_sensitive(cognito_idp, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"Stage": "a", "stage": "b"})
    assert tags_of(cognito_idp, pool_arn) == {"Stage": "a", "stage": "b"}


def test_an_empty_tag_map_changes_nothing(cognito_idp, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test"})
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={})
    assert tags_of(cognito_idp, pool_arn) == {"stage": "test"}


def test_untagging_removes_the_keys_and_ignores_keys_not_there(
    cognito_idp, cognito_mock, pool_id, pool_arn
):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test", "team": "id"})
    answer = cognito_idp.untag_resource(ResourceArn=pool_arn, TagKeys=["stage", "absent", "Team"])
    assert set(answer) == {"ResponseMetadata"}
    assert tags_of(cognito_mock.client(), pool_arn) == {"team": "id"}
    cognito_idp.untag_resource(ResourceArn=pool_arn, TagKeys=["team"])
    cognito_idp.untag_resource(ResourceArn=pool_arn, TagKeys=["team"])
    cognito_idp.untag_resource(ResourceArn=pool_arn, TagKeys=[])
    assert tags_of(cognito_idp, pool_arn) == {}
    assert described_tags(cognito_idp, pool_id) is None


def test_pools_keep_their_own_tags(cognito_idp, pool_arn):
    other = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Arn"]
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test"})
    assert tags_of(cognito_idp, other) == {}


# -- CreateUserPool, UpdateUserPool, DescribeUserPool ------------------------------------------


def test_tags_given_at_creation_are_the_resource_tags(cognito_idp, cognito_mock):
    created = cognito_idp.create_user_pool(PoolName="tagged", UserPoolTags={"stage": "test"})
    pool = created["UserPool"]
    assert pool["UserPoolTags"] == {"stage": "test"}
    assert tags_of(cognito_mock.client(), pool["Arn"]) == {"stage": "test"}
    cognito_idp.tag_resource(ResourceArn=pool["Arn"], Tags={"team": "id"})
    assert described_tags(cognito_idp, pool["Id"]) == {"stage": "test", "team": "id"}


def test_update_with_tags_replaces_them_all(cognito_idp, cognito_mock, pool_id, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test", "team": "id"})
    cognito_idp.update_user_pool(UserPoolId=pool_id, UserPoolTags={"owner": "ada"})
    assert tags_of(cognito_mock.client(), pool_arn) == {"owner": "ada"}
    assert described_tags(cognito_idp, pool_id) == {"owner": "ada"}


def test_update_with_an_empty_tag_map_removes_them_all(cognito_idp, pool_id, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test"})
    cognito_idp.update_user_pool(UserPoolId=pool_id, UserPoolTags={})
    assert tags_of(cognito_idp, pool_arn) == {}
    assert described_tags(cognito_idp, pool_id) is None


def test_update_without_tags_keeps_them(cognito_idp, pool_id, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test"})
    cognito_idp.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OFF")
    assert tags_of(cognito_idp, pool_arn) == {"stage": "test"}


def test_a_deleted_pool_has_no_tags_to_list(cognito_idp, pool_id, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test"})
    cognito_idp.delete_user_pool(UserPoolId=pool_id)
    refused(
        cognito_idp.list_tags_for_resource,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        ResourceArn=pool_arn,
    )


# -- the resource ARN --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:s3:us-east-1:123456789012:bucket/things",
        "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:0",
        "arn:aws:cognito-idp:us-east-1:123456789012:userpool",
        "arn:aws:cognito-idp:us-east-1:123456789012:group/us-east-1_abcdefghi",
    ],
)
def test_an_arn_that_names_no_user_pool_is_invalid(cognito_idp, arn):
    message = f"{arn} is not the ARN of a user pool."
    for call, extra in [
        (cognito_idp.tag_resource, {"Tags": {"stage": "test"}}),
        (cognito_idp.untag_resource, {"TagKeys": ["stage"]}),
        (cognito_idp.list_tags_for_resource, {}),
    ]:
        refused(call, "InvalidParameterException", message, ResourceArn=arn, **extra)


def test_an_arn_breaking_the_model_pattern_is_refused_by_validation(cognito_idp):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.list_tags_for_resource(ResourceArn="not-an-arn-at-all-here")
    assert "'resourceArn'" in raised.value.response["Error"]["Message"]


def test_an_unknown_pool_is_not_found(cognito_idp, pool_id, pool_arn):
    missing = "us-east-1_NoSuchPoo"
    arn = f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{missing}"
    for call, extra in [
        (cognito_idp.tag_resource, {"Tags": {"stage": "test"}}),
        (cognito_idp.untag_resource, {"TagKeys": ["stage"]}),
        (cognito_idp.list_tags_for_resource, {}),
    ]:
        refused(
            call,
            "ResourceNotFoundException",
            f"User pool {missing} does not exist.",
            ResourceArn=arn,
            **extra,
        )


@pytest.mark.parametrize(
    "change",
    [
        lambda arn: arn.replace(":123456789012:", ":210987654321:"),  # another account
        lambda arn: arn.replace(":us-east-1:", ":eu-west-1:"),  # the pool's id, another region
        lambda arn: arn.replace("arn:aws:", "arn:aws-cn:"),  # another partition
    ],
    ids=["account", "region", "partition"],
)
def test_the_pool_id_under_another_account_region_or_partition_is_not_found(
    cognito_idp, pool_id, pool_arn, change
):
    refused(
        cognito_idp.tag_resource,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        ResourceArn=change(pool_arn),
        Tags={"stage": "test"},
    )
    assert tags_of(cognito_idp, pool_arn) == {}


def test_a_pool_is_not_found_from_another_region(cognito_mock, pool_id, pool_arn):
    refused(
        cognito_mock.client("eu-west-1").list_tags_for_resource,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        ResourceArn=pool_arn,
    )


def test_an_unsigned_loopback_call_finds_the_region_of_the_pool_it_names(
    cognito_mock, cognito_endpoint
):
    idp = cognito_mock.client("ap-southeast-2")
    arn = idp.create_user_pool(PoolName="far", UserPoolTags={"stage": "test"})["UserPool"]["Arn"]
    answer = requests.post(
        cognito_endpoint,
        data=json.dumps({"ResourceArn": arn}),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ListTagsForResource",
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"Tags": {"stage": "test"}}


# -- the tags' restrictions --------------------------------------------------------------------


def fifty(prefix: str = "k") -> dict[str, str]:
    return {f"{prefix}{i}": str(i) for i in range(50)}


def test_a_pool_may_have_fifty_tags(cognito_idp, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags=fifty())
    assert len(tags_of(cognito_idp, pool_arn)) == 50
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"k0": "new value"})  # still 50


def test_a_fifty_first_tag_is_refused_and_nothing_is_added(cognito_idp, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags=fifty())
    refused(
        cognito_idp.tag_resource,
        "InvalidParameterException",
        "A user pool can have at most 50 tags; this request would give it 52.",
        ResourceArn=pool_arn,
        Tags={"k0": "changed", "extra": "1", "more": "2"},
    )
    assert tags_of(cognito_idp, pool_arn) == fifty()


def test_more_than_fifty_tags_in_one_request(cognito_idp, pool_id, pool_arn):
    many = {**fifty(), "extra": "1"}
    message = "A user pool can have at most 50 tags; this request would give it 51."
    refused(
        cognito_idp.tag_resource,
        "InvalidParameterException",
        message,
        ResourceArn=pool_arn,
        Tags=many,
    )
    refused(
        cognito_idp.update_user_pool,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        UserPoolTags=many,
    )
    before = len(cognito_idp.list_user_pools(MaxResults=60)["UserPools"])
    refused(
        cognito_idp.create_user_pool,
        "InvalidParameterException",
        message,
        PoolName="many",
        UserPoolTags=many,
    )
    assert len(cognito_idp.list_user_pools(MaxResults=60)["UserPools"]) == before


def test_a_refused_update_changes_nothing(cognito_idp, pool_id, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"stage": "test"})
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
        cognito_idp.update_user_pool(
            UserPoolId=pool_id, MfaConfiguration="OPTIONAL", UserPoolTags={"aws:x": "1"}
        )
    described = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["MfaConfiguration"] == "OFF"
    assert described["UserPoolTags"] == {"stage": "test"}


@pytest.mark.parametrize("key", ["aws:owner", "AWS:owner", "Aws:"])
def test_keys_starting_with_aws_are_reserved(cognito_idp, pool_id, pool_arn, key):
    message = f"Tag key {key} starts with aws:, which is reserved for AWS use."
    refused(
        cognito_idp.tag_resource,
        "InvalidParameterException",
        message,
        ResourceArn=pool_arn,
        Tags={"stage": "test", key: "x"},
    )
    refused(
        cognito_idp.create_user_pool,
        "InvalidParameterException",
        message,
        PoolName="reserved",
        UserPoolTags={key: "x"},
    )
    refused(
        cognito_idp.update_user_pool,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        UserPoolTags={key: "x"},
    )
    assert tags_of(cognito_idp, pool_arn) == {}


def test_aws_is_an_ordinary_key_and_value_without_the_colon(cognito_idp, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"aws": "aws:value", "awsome": ""})
    assert tags_of(cognito_idp, pool_arn) == {"aws": "aws:value", "awsome": ""}


def test_the_documented_characters_are_accepted(cognito_idp, pool_arn):
    tags = {"Cost Center_1.a:b/c=d+e-f@g": "Value 9_.:/=+-@", "équipe": "Zürich"}
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags=tags)
    assert tags_of(cognito_idp, pool_arn) == tags


@pytest.mark.parametrize(("key", "value"), [("cost#center", "1"), ("stage", "a*b"), ("s", "a\tb")])
def test_other_characters_are_refused(cognito_idp, pool_arn, key, value):
    refused(
        cognito_idp.tag_resource,
        "InvalidParameterException",
        f"Tag {key}={value} has a character outside letters, digits, spaces and _ . : / = + - @.",
        ResourceArn=pool_arn,
        Tags={key: value},
    )


def test_key_and_value_lengths_are_the_model_constraints(cognito_idp, pool_arn):
    cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"k" * 128: "v" * 256})
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"k" * 129: "v"})
    assert "Map keys must satisfy constraint" in raised.value.response["Error"]["Message"]
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.tag_resource(ResourceArn=pool_arn, Tags={"k": "v" * 257})
    assert "Map value must satisfy constraint" in raised.value.response["Error"]["Message"]
    assert tags_of(cognito_idp, pool_arn) == {"k" * 128: "v" * 256}
