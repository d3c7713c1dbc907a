"""CreateUserPoolClient / DescribeUserPoolClient / UpdateUserPoolClient and friends."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time
from support.model import has_shape_member, requires_member

MINIMAL_DESCRIBE_KEYS = {
    "UserPoolId",
    "ClientName",
    "ClientId",
    "LastModifiedDate",
    "CreationDate",
    "RefreshTokenValidity",
    "AllowedOAuthFlowsUserPoolClient",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
    # Newer models: how the client was made (REGULAR, through CreateUserPoolClient).
    *(["ClientType"] if has_shape_member("UserPoolClientType", "ClientType") else []),
}


def create(cognito_idp, pool_id: str, **kwargs):
    return cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **kwargs)[
        "UserPoolClient"
    ]


def describe(cognito_idp, pool_id: str, client_id: str):
    return cognito_idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]


def refused(cognito_idp, error: str, message: str, call, **kwargs) -> None:
    with pytest.raises(getattr(cognito_idp.exceptions, error)) as raised:
        call(**kwargs)
    assert raised.value.response["Error"]["Message"] == message


def test_a_minimal_client_describes_with_exactly_the_aws_defaults(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id)
    described = describe(cognito_idp, pool_id, created["ClientId"])
    assert set(described) == MINIMAL_DESCRIBE_KEYS
    assert described["RefreshTokenValidity"] == 30
    assert described["AllowedOAuthFlowsUserPoolClient"] is False
    assert described["EnableTokenRevocation"] is True
    assert described["EnablePropagateAdditionalUserContextData"] is False
    assert described["AuthSessionValidity"] == 3
    assert described["CreationDate"] == described["LastModifiedDate"]
    assert re.fullmatch(r"[a-z0-9]{26}", created["ClientId"])
    assert described == created


def test_generate_secret_returns_a_secret_of_the_model_shape(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id, GenerateSecret=True)
    assert re.fullmatch(r"[\w+]{24,64}", created["ClientSecret"])
    assert (
        describe(cognito_idp, pool_id, created["ClientId"])["ClientSecret"]
        == created["ClientSecret"]
    )


@requires_member("CreateUserPoolClient", "ClientSecret")
def test_a_given_client_secret_is_the_secret(cognito_idp, pool_id):
    secret = "s" * 30
    created = create(cognito_idp, pool_id, ClientSecret=secret)
    assert created["ClientSecret"] == secret


@requires_member("CreateUserPoolClient", "ClientSecret")
def test_generate_secret_and_a_given_secret_conflict(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "You cannot specify both GenerateSecret as true and a ClientSecret value.",
        cognito_idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        GenerateSecret=True,
        ClientSecret="s" * 30,
    )
    assert cognito_idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"] == []


@pytest.mark.parametrize(
    "flows",
    [
        ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"],
        ["CUSTOM_AUTH_FLOW_ONLY"],
        ["ADMIN_NO_SRP_AUTH"],
    ],
)
def test_explicit_auth_flows_are_echoed_as_given(cognito_idp, pool_id, flows):
    created = create(cognito_idp, pool_id, ExplicitAuthFlows=flows)
    assert describe(cognito_idp, pool_id, created["ClientId"])["ExplicitAuthFlows"] == flows


def test_an_empty_flow_list_reads_back_as_not_set(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id, ExplicitAuthFlows=[])
    assert "ExplicitAuthFlows" not in describe(cognito_idp, pool_id, created["ClientId"])


def test_allow_values_must_include_refresh(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "REFRESH_TOKEN_AUTH should always be allowed.",
        cognito_idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
    )


def test_legacy_and_allow_values_cannot_be_mixed(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        create(
            cognito_idp,
            pool_id,
            ExplicitAuthFlows=[
                "CUSTOM_AUTH_FLOW_ONLY",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ],
        )
    assert "cannot be combined" in raised.value.response["Error"]["Message"]


def test_update_resets_every_omitted_setting_to_its_default(cognito_idp, pool_id):
    created = create(
        cognito_idp,
        pool_id,
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=5,
        IdTokenValidity=10,
        RefreshTokenValidity=2,
        TokenValidityUnits={
            "AccessToken": "minutes",
            "IdToken": "minutes",
            "RefreshToken": "hours",
        },
        ReadAttributes=["email"],
        PreventUserExistenceErrors="ENABLED",
        AuthSessionValidity=15,
        EnableTokenRevocation=False,
    )
    with freeze_time("2030-01-01"):
        updated = cognito_idp.update_user_pool_client(
            UserPoolId=pool_id, ClientId=created["ClientId"], ClientName="renamed"
        )["UserPoolClient"]
    assert set(updated) == MINIMAL_DESCRIBE_KEYS | {"ClientSecret"}
    assert updated["ClientName"] == "renamed"
    assert updated["ClientId"] == created["ClientId"]
    assert updated["ClientSecret"] == created["ClientSecret"]
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"].year == 2030
    assert updated["RefreshTokenValidity"] == 30
    assert updated["AuthSessionValidity"] == 3
    assert updated["EnableTokenRevocation"] is True
    assert describe(cognito_idp, pool_id, created["ClientId"]) == updated


def test_update_without_a_name_keeps_the_name(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id)
    updated = cognito_idp.update_user_pool_client(UserPoolId=pool_id, ClientId=created["ClientId"])
    assert updated["UserPoolClient"]["ClientName"] == "web"


def test_a_refused_update_changes_nothing(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id, ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"])
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
        cognito_idp.update_user_pool_client(
            UserPoolId=pool_id,
            ClientId=created["ClientId"],
            ClientName="changed",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
        )
    assert describe(cognito_idp, pool_id, created["ClientId"]) == created


@pytest.mark.parametrize(
    ("member", "value", "units"),
    [
        ("RefreshTokenValidity", 59, {"RefreshToken": "minutes"}),
        ("RefreshTokenValidity", 3651, None),
        ("AccessTokenValidity", 4, {"AccessToken": "minutes"}),
        ("AccessTokenValidity", 25, None),
        ("IdTokenValidity", 2, {"IdToken": "days"}),
        ("IdTokenValidity", 299, {"IdToken": "seconds"}),
    ],
)
def test_token_validity_outside_its_range_after_units_is_refused(
    cognito_idp, pool_id, member, value, units
):
    kwargs = {member: value, **({"TokenValidityUnits": units} if units else {})}
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Invalid range for token validity",
        cognito_idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        **kwargs,
    )


@pytest.mark.parametrize(
    ("member", "value", "units"),
    [
        ("RefreshTokenValidity", 60, {"RefreshToken": "minutes"}),
        ("RefreshTokenValidity", 3650, None),
        ("AccessTokenValidity", 5, {"AccessToken": "minutes"}),
        ("AccessTokenValidity", 24, None),
        ("IdTokenValidity", 1, {"IdToken": "days"}),
        ("IdTokenValidity", 86400, {"IdToken": "seconds"}),
    ],
)
def test_token_validity_at_the_edges_of_its_range_is_kept(
    cognito_idp, pool_id, member, value, units
):
    kwargs = {member: value, **({"TokenValidityUnits": units} if units else {})}
    created = create(cognito_idp, pool_id, **kwargs)
    described = describe(cognito_idp, pool_id, created["ClientId"])
    assert described[member] == value
    if units:
        assert described["TokenValidityUnits"] == units
    else:
        assert "TokenValidityUnits" not in described


@pytest.mark.parametrize(
    ("units", "expected"),
    [(None, 30), ({"RefreshToken": "hours"}, 720), ({"RefreshToken": "days"}, 30)],
)
def test_refresh_validity_zero_means_thirty_days(cognito_idp, pool_id, units, expected):
    kwargs = {"TokenValidityUnits": units} if units else {}
    created = create(cognito_idp, pool_id, RefreshTokenValidity=0, **kwargs)
    assert created["RefreshTokenValidity"] == expected


def test_read_attributes_must_exist_in_the_schema(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Invalid read attributes specified while creating a client",
        cognito_idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        ReadAttributes=["email", "custom:nonexistent"],
    )
    created = create(cognito_idp, pool_id, ReadAttributes=["email", "email_verified"])
    assert created["ReadAttributes"] == ["email", "email_verified"]


def test_custom_attributes_can_be_granted_once_they_exist(cognito_idp, pool_id):
    cognito_idp.add_custom_attributes(
        UserPoolId=pool_id, CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}]
    )
    created = create(
        cognito_idp, pool_id, ReadAttributes=["custom:tier"], WriteAttributes=["custom:tier"]
    )
    assert created["WriteAttributes"] == ["custom:tier"]


@pytest.mark.parametrize("attribute", ["email_verified", "phone_number_verified", "sub", "nope"])
def test_write_attributes_refuse_managed_and_unknown_attributes(cognito_idp, pool_id, attribute):
    created = create(cognito_idp, pool_id)
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Invalid write attributes specified while updating a client",
        cognito_idp.update_user_pool_client,
        UserPoolId=pool_id,
        ClientId=created["ClientId"],
        WriteAttributes=["name", attribute],
    )


def test_write_attributes_must_include_every_required_attribute(cognito_idp):
    pool_id = cognito_idp.create_user_pool(
        PoolName="strict",
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}
        ],
    )["UserPool"]["Id"]
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Invalid write attributes specified while creating a client",
        cognito_idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        WriteAttributes=["name"],
    )
    assert create(cognito_idp, pool_id, WriteAttributes=["email"])["WriteAttributes"] == ["email"]


def test_client_credentials_needs_a_secret_and_stands_alone(cognito_idp, pool_id):
    base = {"UserPoolId": pool_id, "ClientName": "m2m", "AllowedOAuthFlowsUserPoolClient": True}
    refused(
        cognito_idp,
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected if client does not have a client secret.",
        cognito_idp.create_user_pool_client,
        AllowedOAuthFlows=["client_credentials"],
        **base,
    )
    refused(
        cognito_idp,
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected along with code flow or implicit flow.",
        cognito_idp.create_user_pool_client,
        AllowedOAuthFlows=["client_credentials", "code"],
        GenerateSecret=True,
        **base,
    )


def test_oauth_settings_are_stored_and_echoed(cognito_idp, pool_id):
    created = create(
        cognito_idp,
        pool_id,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=["https://example.com/cb"],
        DefaultRedirectURI="https://example.com/cb",
        LogoutURLs=["https://example.com/out"],
        SupportedIdentityProviders=["COGNITO"],
    )
    described = describe(cognito_idp, pool_id, created["ClientId"])
    assert described["AllowedOAuthFlows"] == ["code"]
    assert described["AllowedOAuthScopes"] == ["openid", "email"]
    assert described["CallbackURLs"] == ["https://example.com/cb"]
    assert described["DefaultRedirectURI"] == "https://example.com/cb"
    assert described["AllowedOAuthFlowsUserPoolClient"] is True


def test_a_scope_without_a_resource_server_does_not_exist(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "ScopeDoesNotExistException",
        "Invalid scope requested: orders/read",
        cognito_idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["orders/read"],
        CallbackURLs=["https://example.com/cb"],
    )


def test_unknown_pool_and_unknown_client(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        "User pool us-east-1_000000000 does not exist.",
        cognito_idp.create_user_pool_client,
        UserPoolId="us-east-1_000000000",
        ClientName="web",
    )
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        "User pool client 1example23456789 does not exist.",
        cognito_idp.describe_user_pool_client,
        UserPoolId=pool_id,
        ClientId="1example23456789",
    )


def test_a_client_of_another_pool_is_not_found_through_this_pool(cognito_idp, pool_id):
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    client_id = create(cognito_idp, other_pool)["ClientId"]
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        f"User pool client {client_id} does not exist.",
        cognito_idp.describe_user_pool_client,
        UserPoolId=pool_id,
        ClientId=client_id,
    )


def test_list_and_delete_as_a_second_client_sees_them(cognito_idp, cognito_mock, pool_id):
    ids = [create(cognito_idp, pool_id)["ClientId"] for _ in range(3)]
    other = cognito_mock.client()
    first = other.list_user_pool_clients(UserPoolId=pool_id, MaxResults=2)
    assert [c["ClientId"] for c in first["UserPoolClients"]] == ids[:2]
    assert set(first["UserPoolClients"][0]) == {"ClientId", "UserPoolId", "ClientName"}
    rest = other.list_user_pool_clients(
        UserPoolId=pool_id, MaxResults=2, NextToken=first["NextToken"]
    )
    assert [c["ClientId"] for c in rest["UserPoolClients"]] == ids[2:]
    assert "NextToken" not in rest
    other.delete_user_pool_client(UserPoolId=pool_id, ClientId=ids[0])
    listed = cognito_idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]
    assert [c["ClientId"] for c in listed] == ids[1:]
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException):
        describe(cognito_idp, pool_id, ids[0])


def test_a_forged_list_token_is_refused(cognito_idp, pool_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException):
        cognito_idp.list_user_pool_clients(UserPoolId=pool_id, NextToken="forged-token")


def test_deleting_a_pool_deletes_its_clients(cognito_idp, cognito_mock, pool_id):
    client_id = create(cognito_idp, pool_id)["ClientId"]
    cognito_idp.delete_user_pool(UserPoolId=pool_id)
    assert client_id not in cognito_mock._service.backend.clients


# --- refresh-token rotation -------------------------------------------------------------------

ROTATION = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}


def test_rotation_is_described_only_when_set(cognito_idp, pool_id):
    plain = create(cognito_idp, pool_id)
    assert "RefreshTokenRotation" not in describe(cognito_idp, pool_id, plain["ClientId"])
    rotating = create(cognito_idp, pool_id, RefreshTokenRotation=ROTATION)
    assert rotating["RefreshTokenRotation"] == ROTATION
    assert describe(cognito_idp, pool_id, rotating["ClientId"])["RefreshTokenRotation"] == ROTATION
    disabled = create(cognito_idp, pool_id, RefreshTokenRotation={"Feature": "DISABLED"})
    assert disabled["RefreshTokenRotation"] == {"Feature": "DISABLED"}


def test_a_rotating_client_may_leave_the_refresh_flow_out(cognito_idp, pool_id):
    flows = ["ALLOW_USER_SRP_AUTH"]
    created = create(cognito_idp, pool_id, ExplicitAuthFlows=flows, RefreshTokenRotation=ROTATION)
    described = describe(cognito_idp, pool_id, created["ClientId"])
    assert (described["ExplicitAuthFlows"], described["RefreshTokenRotation"]) == (flows, ROTATION)
    # An update must keep rotation on to keep leaving the flow out; the refusal changes nothing.
    refused(
        cognito_idp,
        "InvalidParameterException",
        "REFRESH_TOKEN_AUTH should always be allowed.",
        cognito_idp.update_user_pool_client,
        UserPoolId=pool_id,
        ClientId=created["ClientId"],
        ExplicitAuthFlows=flows,
        RefreshTokenRotation={"Feature": "DISABLED"},
    )
    assert describe(cognito_idp, pool_id, created["ClientId"]) == described


def test_an_update_without_rotation_turns_it_off(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id, RefreshTokenRotation=ROTATION)
    cognito_idp.update_user_pool_client(UserPoolId=pool_id, ClientId=created["ClientId"])
    assert "RefreshTokenRotation" not in describe(cognito_idp, pool_id, created["ClientId"])


@pytest.mark.parametrize(
    ("rotation", "message"),
    [
        (
            {"Feature": "ENABLED", "RetryGracePeriodSeconds": 61},
            "1 validation error detected: Value '61' at "
            "'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: "
            "Member must have value less than or equal to 60",
        ),
        (
            {"Feature": "ON"},
            "1 validation error detected: Value 'ON' at 'refreshTokenRotation.feature' failed to "
            "satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
        ),
    ],
)
def test_rotation_settings_follow_the_model(cognito_idp, pool_id, rotation, message):
    refused(
        cognito_idp,
        "InvalidParameterException",
        message,
        cognito_idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="web",
        RefreshTokenRotation=rotation,
    )
