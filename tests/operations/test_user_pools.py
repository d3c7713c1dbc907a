"""CreateUserPool, DescribeUserPool, UpdateUserPool, ListUserPools, DeleteUserPool and
AddCustomAttributes, through boto3."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from freezegun import freeze_time


def _string(name: str, min_length: str = "0", max_length: str = "2048", **flags: bool):
    return {
        "Name": name,
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": flags.get("mutable", True),
        "Required": flags.get("required", False),
        "StringAttributeConstraints": {"MinLength": min_length, "MaxLength": max_length},
    }


def _typed(name: str, data_type: str, **constraints: dict[str, str]):
    return {
        "Name": name,
        "AttributeDataType": data_type,
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
        **constraints,
    }


# The standard attributes of a new pool, in AWS's order (the awscli create-user-pool example):
# plain optional strings of 0..2048 characters, except these.
# fmt: off
STANDARD_NAMES = [
    "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo",
    "locale", "phone_number", "phone_number_verified", "address", "updated_at",
]
# fmt: on
SPECIAL_STANDARD = {
    "sub": _string("sub", "1", required=True, mutable=False),
    "email_verified": _typed("email_verified", "Boolean"),
    "birthdate": _string("birthdate", "10", "10"),
    "phone_number_verified": _typed("phone_number_verified", "Boolean"),
    "updated_at": _typed("updated_at", "Number", NumberAttributeConstraints={"MinValue": "0"}),
}
STANDARD_SCHEMA = [SPECIAL_STANDARD.get(name) or _string(name) for name in STANDARD_NAMES]

DEFAULT_PASSWORD_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}

PRE_SIGN_UP = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"


def create(cognito_idp, **kwargs):
    return cognito_idp.create_user_pool(PoolName="app", **kwargs)["UserPool"]


def describe(client, pool_id: str):
    return client.describe_user_pool(UserPoolId=pool_id)["UserPool"]


def refused(cognito_idp, error: str, message: str, call, **kwargs) -> None:
    with pytest.raises(getattr(cognito_idp.exceptions, error)) as raised:
        call(**kwargs)
    assert raised.value.response["Error"]["Message"] == message


def custom_part(pool) -> list[dict]:
    return pool["SchemaAttributes"][len(STANDARD_SCHEMA) :]


def test_a_pool_id_is_the_region_and_nine_alphanumerics(cognito_idp):
    ids = {create(cognito_idp)["Id"] for _ in range(5)}
    assert len(ids) == 5
    for pool_id in ids:
        assert re.fullmatch(r"us-east-1_[0-9A-Za-z]{9}", pool_id)


def test_the_arn_names_the_region_the_account_and_the_pool(cognito_idp):
    pool = create(cognito_idp)
    assert pool["Arn"] == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool['Id']}"


@pytest.mark.cognito_mock(account_id="111122223333")
def test_the_marker_account_appears_in_the_arn(cognito_idp):
    pool = create(cognito_idp)
    assert pool["Arn"] == f"arn:aws:cognito-idp:us-east-1:111122223333:userpool/{pool['Id']}"


@pytest.mark.cognito_mock(region="eu-west-1")
def test_the_marker_region_names_the_pool(cognito_idp):
    pool = create(cognito_idp)
    assert re.fullmatch(r"eu-west-1_[0-9A-Za-z]{9}", pool["Id"])
    assert pool["Arn"].startswith("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/")


def test_a_new_pool_has_the_standard_schema_and_the_defaults(cognito_idp):
    with freeze_time("2024-03-01 08:00:00"):
        created = create(cognito_idp)
    assert created["SchemaAttributes"] == STANDARD_SCHEMA
    assert created["Policies"]["PasswordPolicy"] == DEFAULT_PASSWORD_POLICY
    assert created["MfaConfiguration"] == "OFF"
    assert created["DeletionProtection"] == "INACTIVE"
    assert created["LambdaConfig"] == {}
    assert created["EstimatedNumberOfUsers"] == 0
    assert created["CreationDate"] == created["LastModifiedDate"]
    assert created["CreationDate"] == datetime(2024, 3, 1, 8, tzinfo=timezone.utc)
    for unset in ("AutoVerifiedAttributes", "UsernameAttributes", "AliasAttributes"):
        assert unset not in created
    assert describe(cognito_idp, created["Id"]) == created


def test_a_second_client_sees_the_pool(cognito_idp, cognito_mock):
    created = create(cognito_idp)
    assert describe(cognito_mock.client(), created["Id"]) == created


def test_custom_attributes_follow_the_standard_ones_in_request_order(cognito_idp):
    created = create(
        cognito_idp,
        Schema=[
            {
                "Name": "tier",
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "15"},
            },
            {
                "Name": "secret",
                "AttributeDataType": "String",
                "DeveloperOnlyAttribute": True,
                "StringAttributeConstraints": {"MaxLength": "64"},
            },
            {
                "Name": "age",
                "AttributeDataType": "Number",
                "Mutable": False,
                "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"},
            },
        ],
    )
    assert created["SchemaAttributes"][: len(STANDARD_SCHEMA)] == STANDARD_SCHEMA
    tier, secret, age = custom_part(created)
    assert tier == {
        "Name": "custom:tier",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "15"},
    }
    assert (secret["Name"], secret["DeveloperOnlyAttribute"]) == ("dev:custom:secret", True)
    assert secret["StringAttributeConstraints"]["MaxLength"] == "64"
    assert (age["Name"], age["AttributeDataType"], age["Mutable"]) == (
        "custom:age",
        "Number",
        False,
    )
    assert age["NumberAttributeConstraints"] == {"MinValue": "0", "MaxValue": "150"}


def test_a_standard_attribute_in_the_schema_is_adjusted_in_place(cognito_idp):
    created = create(
        cognito_idp,
        Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True}],
    )
    email = created["SchemaAttributes"][10]
    assert (email["Name"], email["Required"], email["Mutable"]) == ("email", True, True)
    assert email["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "2048"}
    assert len(created["SchemaAttributes"]) == len(STANDARD_SCHEMA)


def test_a_required_custom_attribute_is_refused_and_no_pool_is_made(cognito_idp):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Required custom attributes are not supported currently.",
        cognito_idp.create_user_pool,
        PoolName="app",
        Schema=[{"Name": "tier", "AttributeDataType": "String", "Required": True}],
    )
    assert cognito_idp.list_user_pools(MaxResults=60)["UserPools"] == []


STANDARD_ATTRIBUTE_REFUSED = (
    "You can not change AttributeDataType or set developerOnlyAttribute for standard schema "
    "attribute {}"
)
NO_DATA_TYPE = (
    "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
)


def refused_creation(cognito_idp, message: str, schema: list[dict]) -> None:
    refused(
        cognito_idp,
        "InvalidParameterException",
        message,
        cognito_idp.create_user_pool,
        PoolName="app",
        Schema=schema,
    )
    assert cognito_idp.list_user_pools(MaxResults=60)["UserPools"] == []


@pytest.mark.parametrize(
    "attribute",
    [
        {"Name": "email", "AttributeDataType": "Number"},
        {"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
        {"Name": "email", "DeveloperOnlyAttribute": True},
        {"Name": "updated_at", "AttributeDataType": "String"},
        {"Name": "email_verified", "AttributeDataType": "String"},
        {"Name": "sub", "AttributeDataType": "DateTime", "Required": True},
    ],
    ids=["type", "developer-only", "developer-only-untyped", "number", "boolean", "sub"],
)
def test_a_standard_attribute_keeps_its_type_and_is_never_developer_only(cognito_idp, attribute):
    refused_creation(
        cognito_idp,
        STANDARD_ATTRIBUTE_REFUSED.format(attribute["Name"]),
        [{"Name": "tier", "AttributeDataType": "String"}, attribute],
    )


def test_a_standard_attribute_takes_required_mutable_and_length_constraints(cognito_idp):
    created = create(
        cognito_idp,
        Schema=[
            {
                "Name": "email",
                "AttributeDataType": "String",
                "DeveloperOnlyAttribute": False,
                "Mutable": False,
                "Required": True,
                "StringAttributeConstraints": {"MinLength": "5", "MaxLength": "320"},
            },
            # No AttributeDataType: a standard attribute keeps its own.
            {"Name": "name", "Required": True},
            {"Name": "updated_at", "NumberAttributeConstraints": {"MaxValue": "99999999999"}},
        ],
    )
    by_name = {a["Name"]: a for a in created["SchemaAttributes"]}
    assert by_name["email"] == _string("email", "5", "320", mutable=False, required=True)
    assert by_name["name"] == _string("name", required=True)
    assert by_name["updated_at"]["NumberAttributeConstraints"] == {
        "MinValue": "0",
        "MaxValue": "99999999999",
    }
    assert len(created["SchemaAttributes"]) == len(STANDARD_SCHEMA)


def test_a_custom_attribute_without_a_data_type_is_refused(cognito_idp):
    refused_creation(cognito_idp, NO_DATA_TYPE, [{"Name": "tier", "Mutable": True}])


# Constraints are checked for the attribute's own type; the name in the message is the full one.
INVALID_CONSTRAINTS = [
    pytest.param(
        {"Name": "email", "StringAttributeConstraints": {"MinLength": "five"}},
        "Invalid StringAttributeConstraints for schema attribute email",
        id="length-word",
    ),
    pytest.param(
        {
            "Name": "tier",
            "AttributeDataType": "String",
            "StringAttributeConstraints": {"MaxLength": "1.5"},
        },
        "Invalid StringAttributeConstraints for schema attribute custom:tier",
        id="length-decimal",
    ),
    pytest.param(
        {
            "Name": "tier",
            "AttributeDataType": "String",
            "StringAttributeConstraints": {"MinLength": "-1"},
        },
        "Invalid StringAttributeConstraints for schema attribute custom:tier",
        id="length-negative",
    ),
    pytest.param(
        {
            "Name": "age",
            "AttributeDataType": "Number",
            "DeveloperOnlyAttribute": True,
            "NumberAttributeConstraints": {"MinValue": "ten"},
        },
        "Invalid NumberAttributeConstraints for schema attribute dev:custom:age",
        id="value-word",
    ),
    pytest.param(
        {"Name": "updated_at", "NumberAttributeConstraints": {"MaxValue": ""}},
        "Invalid NumberAttributeConstraints for schema attribute updated_at",
        id="value-empty",
    ),
    pytest.param(
        {
            "Name": "bio",
            "AttributeDataType": "String",
            "StringAttributeConstraints": {"MaxLength": "2049"},
        },
        "user.custom:bio: String attributes cannot have a length of more than 2048",
        id="length-over-2048",
    ),
    pytest.param(
        {"Name": "email", "StringAttributeConstraints": {"MinLength": "3000"}},
        "user.email: String attributes cannot have a length of more than 2048",
        id="standard-length-over-2048",
    ),
    pytest.param(
        {
            "Name": "tier",
            "AttributeDataType": "String",
            "StringAttributeConstraints": {"MinLength": "10", "MaxLength": "9"},
        },
        "user.custom:tier: Max length cannot be less than min length.",
        id="min-length-over-max",
    ),
    pytest.param(
        # birthdate's own length is 10..10: a larger minimum passes its maximum.
        {"Name": "birthdate", "StringAttributeConstraints": {"MinLength": "11"}},
        "user.birthdate: Max length cannot be less than min length.",
        id="standard-min-over-its-max",
    ),
    pytest.param(
        {
            "Name": "age",
            "AttributeDataType": "Number",
            "NumberAttributeConstraints": {"MinValue": "18", "MaxValue": "-1"},
        },
        "user.custom:age: Max value cannot be less than min value.",
        id="min-value-over-max",
    ),
]


@pytest.mark.parametrize(("attribute", "message"), INVALID_CONSTRAINTS)
def test_invalid_constraints_refuse_the_pool(cognito_idp, attribute, message):
    refused_creation(
        cognito_idp, message, [{"Name": "fine", "AttributeDataType": "String"}, attribute]
    )


def test_valid_bounds_are_kept_as_given(cognito_idp):
    created = create(
        cognito_idp,
        Schema=[
            {
                "Name": "bio",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MinLength": "2048", "MaxLength": "2048"},
            },
            {
                "Name": "delta",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MinValue": "-40", "MaxValue": "-40"},
            },
            {
                # Constraints of the other type mean nothing and are not reported.
                "Name": "flag",
                "AttributeDataType": "Boolean",
                "StringAttributeConstraints": {"MaxLength": "nonsense"},
                "NumberAttributeConstraints": {"MinValue": "nonsense"},
            },
        ],
    )
    bio, delta, flag = custom_part(created)
    assert bio["StringAttributeConstraints"] == {"MinLength": "2048", "MaxLength": "2048"}
    assert delta["NumberAttributeConstraints"] == {"MinValue": "-40", "MaxValue": "-40"}
    assert "StringAttributeConstraints" not in flag
    assert "NumberAttributeConstraints" not in flag


def test_username_and_alias_attributes_are_exclusive(cognito_idp):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Only one of UsernameAttributes or AliasAttributes can be specified.",
        cognito_idp.create_user_pool,
        PoolName="app",
        UsernameAttributes=["email"],
        AliasAttributes=["preferred_username"],
    )
    assert cognito_idp.list_user_pools(MaxResults=60)["UserPools"] == []


def test_add_custom_attributes_appends_them(cognito_idp, cognito_mock):
    pool_id = create(cognito_idp, Schema=[{"Name": "a", "AttributeDataType": "String"}])["Id"]
    cognito_idp.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {
                "Name": "CustomAttr1",
                "AttributeDataType": "String",
                "DeveloperOnlyAttribute": False,
                "Required": False,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "15"},
            },
            {"Name": "b", "AttributeDataType": "Boolean", "DeveloperOnlyAttribute": True},
        ],
    )
    names = [a["Name"] for a in custom_part(describe(cognito_mock.client(), pool_id))]
    assert names == ["custom:a", "custom:CustomAttr1", "dev:custom:b"]


def test_adding_an_existing_custom_attribute_is_refused_and_adds_nothing(cognito_idp):
    pool_id = create(cognito_idp, Schema=[{"Name": "x", "AttributeDataType": "String"}])["Id"]
    before = describe(cognito_idp, pool_id)
    refused(
        cognito_idp,
        "InvalidParameterException",
        "custom:x: Existing attribute already has name custom:x.",
        cognito_idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": "fresh", "AttributeDataType": "String"},
            {"Name": "x", "AttributeDataType": "String"},
        ],
    )
    assert describe(cognito_idp, pool_id) == before


def test_adding_a_required_custom_attribute_is_refused(cognito_idp):
    pool_id = create(cognito_idp)["Id"]
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Required custom attributes are not supported currently.",
        cognito_idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "x", "AttributeDataType": "String", "Required": True}],
    )
    assert custom_part(describe(cognito_idp, pool_id)) == []


def test_adding_a_custom_attribute_without_a_data_type_is_refused_and_adds_nothing(cognito_idp):
    pool_id = create(cognito_idp)["Id"]
    before = describe(cognito_idp, pool_id)
    refused(
        cognito_idp,
        "InvalidParameterException",
        NO_DATA_TYPE,
        cognito_idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "fresh", "AttributeDataType": "String"}, {"Name": "email"}],
    )
    assert describe(cognito_idp, pool_id) == before


@pytest.mark.parametrize(
    ("attribute", "message"),
    # A standard attribute named in AddCustomAttributes is a custom one: only typed ones apply.
    [case for case in INVALID_CONSTRAINTS if "AttributeDataType" in case.values[0]],
)
def test_adding_invalid_constraints_is_refused_and_adds_nothing(cognito_idp, attribute, message):
    pool_id = create(cognito_idp, Schema=[{"Name": "x", "AttributeDataType": "String"}])["Id"]
    before = describe(cognito_idp, pool_id)
    refused(
        cognito_idp,
        "InvalidParameterException",
        message,
        cognito_idp.add_custom_attributes,
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "fresh", "AttributeDataType": "String"}, attribute],
    )
    assert describe(cognito_idp, pool_id) == before


def test_added_attributes_named_like_standard_ones_are_custom(cognito_idp):
    pool_id = create(cognito_idp)["Id"]
    cognito_idp.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {
                "Name": "email",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MinValue": "1"},
            }
        ],
    )
    (added,) = custom_part(describe(cognito_idp, pool_id))
    assert (added["Name"], added["AttributeDataType"]) == ("custom:email", "Number")
    assert added["NumberAttributeConstraints"] == {"MinValue": "1"}


def test_update_resets_auto_verified_attributes_and_triggers_left_out(cognito_idp):
    pool_id = create(
        cognito_idp,
        AutoVerifiedAttributes=["email"],
        LambdaConfig={"PreSignUp": PRE_SIGN_UP},
    )["Id"]
    cognito_idp.update_user_pool(UserPoolId=pool_id, DeletionProtection="ACTIVE")
    updated = describe(cognito_idp, pool_id)
    assert updated["DeletionProtection"] == "ACTIVE"
    assert "AutoVerifiedAttributes" not in updated
    assert updated["LambdaConfig"] == {}


def test_update_keeps_the_password_policy_when_policies_are_left_out(cognito_idp):
    policy = {**DEFAULT_PASSWORD_POLICY, "MinimumLength": 12, "RequireSymbols": False}
    pool_id = create(cognito_idp, Policies={"PasswordPolicy": policy})["Id"]
    cognito_idp.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"])
    updated = describe(cognito_idp, pool_id)
    assert updated["AutoVerifiedAttributes"] == ["email"]
    assert updated["Policies"]["PasswordPolicy"] == policy


def test_update_keeps_the_mfa_configuration_when_it_is_left_out(cognito_idp):
    sms = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "x"}
    pool_id = create(
        cognito_idp,
        MfaConfiguration="OPTIONAL",
        SmsConfiguration=sms,
        AutoVerifiedAttributes=["phone_number"],
    )["Id"]
    cognito_idp.update_user_pool(
        UserPoolId=pool_id, SmsConfiguration=sms, AutoVerifiedAttributes=["phone_number", "email"]
    )
    updated = describe(cognito_idp, pool_id)
    assert updated["AutoVerifiedAttributes"] == ["phone_number", "email"]
    assert updated["MfaConfiguration"] == "OPTIONAL"


def test_update_keeps_sign_in_settings_schema_and_name(cognito_idp):
    with freeze_time("2024-01-01"):
        created = create(
            cognito_idp,
            UsernameAttributes=["email"],
            UsernameConfiguration={"CaseSensitive": False},
            Schema=[{"Name": "tier", "AttributeDataType": "String"}],
        )
    with freeze_time("2024-02-01"):
        cognito_idp.update_user_pool(UserPoolId=created["Id"], MfaConfiguration="OFF")
    updated = describe(cognito_idp, created["Id"])
    assert updated["UsernameAttributes"] == ["email"]
    assert updated["UsernameConfiguration"] == {"CaseSensitive": False}
    assert updated["SchemaAttributes"] == created["SchemaAttributes"]
    assert updated["Name"] == "app"
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"] == datetime(2024, 2, 1, tzinfo=timezone.utc)


def test_update_renames_the_pool_when_asked(cognito_idp):
    pool_id = create(cognito_idp, AliasAttributes=["preferred_username"])["Id"]
    cognito_idp.update_user_pool(UserPoolId=pool_id, PoolName="renamed")
    updated = describe(cognito_idp, pool_id)
    assert (updated["Name"], updated["AliasAttributes"]) == ("renamed", ["preferred_username"])


def test_unknown_pools_are_not_found_by_any_operation(cognito_idp):
    missing = "us-east-1_missing00"
    message = f"User pool {missing} does not exist."
    for call, extra in [
        (cognito_idp.describe_user_pool, {}),
        (cognito_idp.update_user_pool, {}),
        (cognito_idp.delete_user_pool, {}),
        (
            cognito_idp.add_custom_attributes,
            {"CustomAttributes": [{"Name": "x", "AttributeDataType": "String"}]},
        ),
    ]:
        refused(
            cognito_idp, "ResourceNotFoundException", message, call, UserPoolId=missing, **extra
        )


def test_pools_are_regional(cognito_idp, cognito_mock):
    pool_id = create(cognito_idp)["Id"]
    europe = cognito_mock.client("eu-west-1")
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        europe.describe_user_pool,
        UserPoolId=pool_id,
    )
    europe_pool = europe.create_user_pool(PoolName="eu")["UserPool"]["Id"]
    assert [p["Id"] for p in europe.list_user_pools(MaxResults=60)["UserPools"]] == [europe_pool]
    assert [p["Id"] for p in cognito_idp.list_user_pools(MaxResults=60)["UserPools"]] == [pool_id]


def test_list_user_pools_pages_through_every_pool_once(cognito_idp):
    created = {create(cognito_idp, LambdaConfig={"PreSignUp": PRE_SIGN_UP})["Id"]}
    created |= {cognito_idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(4)}
    first = cognito_idp.list_user_pools(MaxResults=2)
    assert len(first["UserPools"]) == 2
    seen = [p["Id"] for p in first["UserPools"]]
    token = first["NextToken"]
    while token:
        page = cognito_idp.list_user_pools(MaxResults=2, NextToken=token)
        seen += [p["Id"] for p in page["UserPools"]]
        token = page.get("NextToken")
    assert sorted(seen) == sorted(created)
    paginated = cognito_idp.get_paginator("list_user_pools").paginate(
        PaginationConfig={"PageSize": 3}
    )
    pages = [page["UserPools"] for page in paginated]
    assert [len(p) for p in pages] == [3, 2]
    by_id = {p["Id"]: p for page in pages for p in page}
    for summary in by_id.values():
        assert set(summary) == {"Id", "Name", "LambdaConfig", "LastModifiedDate", "CreationDate"}
    assert [p["LambdaConfig"] for p in by_id.values()].count({"PreSignUp": PRE_SIGN_UP}) == 1


def test_list_user_pools_refuses_forged_and_foreign_tokens(cognito_idp, cognito_mock):
    europe = cognito_mock.client("eu-west-1")
    for _ in range(2):
        europe.create_user_pool(PoolName="eu")
        create(cognito_idp)
    foreign = europe.list_user_pools(MaxResults=1)["NextToken"]
    for token in ("forged", foreign):
        refused(
            cognito_idp,
            "InvalidParameterException",
            "Invalid pagination token.",
            cognito_idp.list_user_pools,
            MaxResults=1,
            NextToken=token,
        )


def test_delete_removes_the_pool_and_its_clients(cognito_idp, cognito_mock):
    pool_id = create(cognito_idp)["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
    cognito_idp.delete_user_pool(UserPoolId=pool_id)
    other = cognito_mock.client()
    refused(
        other,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        other.describe_user_pool,
        UserPoolId=pool_id,
    )
    refused(
        other,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        other.describe_user_pool_client,
        UserPoolId=pool_id,
        ClientId=client_id,
    )
    assert other.list_user_pools(MaxResults=60)["UserPools"] == []


def test_deletion_protection_refuses_delete_until_it_is_inactivated(cognito_idp):
    pool_id = create(cognito_idp, DeletionProtection="ACTIVE")["Id"]
    refused(
        cognito_idp,
        "InvalidParameterException",
        "The user pool cannot be deleted because deletion protection is activated. "
        "Deletion protection must be inactivated first.",
        cognito_idp.delete_user_pool,
        UserPoolId=pool_id,
    )
    assert describe(cognito_idp, pool_id)["DeletionProtection"] == "ACTIVE"
    cognito_idp.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    cognito_idp.delete_user_pool(UserPoolId=pool_id)
    assert cognito_idp.list_user_pools(MaxResults=60)["UserPools"] == []
