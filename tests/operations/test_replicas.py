"""Multi-Region replication through boto3: CreateUserPoolReplica, UpdateUserPoolReplica,
DeleteUserPoolReplica, ListUserPoolReplicas, and what the pool's secondary region answers."""

from __future__ import annotations

import jwt
import pytest
import requests
from support.errors import refused
from support.model import requires_operation

pytestmark = [
    requires_operation("CreateUserPoolReplica"),
    requires_operation("UpdateUserPoolReplica"),
    requires_operation("DeleteUserPoolReplica"),
    requires_operation("ListUserPoolReplicas"),
]

PRIMARY, SECONDARY = "us-east-1", "us-west-2"
ACCOUNT = "123456789012"
PASSWORD = "Corr3ct-horse!"


def arn(region: str, pool_id: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{pool_id}"


def issuer(region: str, pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def replica(region: str, pool_id: str, status: str, role: str = "SECONDARY") -> dict:
    return {
        "RegionName": region,
        "Status": status,
        "Role": role,
        "UserPoolArn": arn(region, pool_id),
    }


def replicas_of(client, pool_id: str) -> list[dict]:
    return client.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"]


@pytest.fixture
def west(cognito_mock):
    """A client of the secondary region."""
    return cognito_mock.client(SECONDARY)


@pytest.fixture
def replicated(cognito_idp, pool_id) -> str:
    """``pool_id`` with an (INACTIVE) replica in the secondary region."""
    cognito_idp.create_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY)
    return pool_id


@pytest.fixture
def signed_up(cognito_idp, replicated) -> str:
    """A client of the replicated pool with a confirmed user ``ada``."""
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=replicated,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito_idp.admin_create_user(UserPoolId=replicated, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=replicated, Username="ada", Password=PASSWORD, Permanent=True
    )
    return client_id


def sign_in(client, client_id: str) -> dict:
    return client.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


# --- creating ----------------------------------------------------------------------------------


def test_a_new_replica_is_creating_then_inactive_and_both_regions_list_it(
    cognito_idp, cognito_mock, west, pool_id
):
    answer = cognito_idp.create_user_pool_replica(
        UserPoolId=pool_id, RegionName=SECONDARY, UserPoolTags={"stage": "dr"}
    )
    assert answer["UserPoolReplica"] == replica(SECONDARY, pool_id, "CREATING")
    expected = [
        replica(PRIMARY, pool_id, "ACTIVE", "PRIMARY"),
        replica(SECONDARY, pool_id, "INACTIVE"),
    ]
    assert replicas_of(cognito_mock.client(PRIMARY), pool_id) == expected
    assert replicas_of(west, pool_id) == expected
    # The same pool id answers in the replica's region, and ListUserPools names the replica.
    assert west.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Id"] == pool_id
    listed = {p["Id"]: p for p in west.list_user_pools(MaxResults=60)["UserPools"]}
    assert listed[pool_id]["ReplicaRegions"] == [SECONDARY]


def test_a_pool_without_replicas_lists_only_its_primary_and_is_unknown_elsewhere(
    cognito_idp, west, pool_id
):
    assert replicas_of(cognito_idp, pool_id) == [replica(PRIMARY, pool_id, "ACTIVE", "PRIMARY")]
    refused(
        west.describe_user_pool,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        UserPoolId=pool_id,
    )
    assert "ReplicaRegions" not in cognito_idp.list_user_pools(MaxResults=60)["UserPools"][0]


def test_a_replica_in_the_primary_region_is_refused(cognito_idp, pool_id):
    refused(
        cognito_idp.create_user_pool_replica,
        "InvalidParameterException",
        f"The replica Region {PRIMARY} is the primary Region of user pool {pool_id}.",
        UserPoolId=pool_id,
        RegionName=PRIMARY,
    )
    assert len(replicas_of(cognito_idp, pool_id)) == 1


def test_an_unknown_region_is_refused(cognito_idp, pool_id):
    refused(
        cognito_idp.create_user_pool_replica,
        "InvalidParameterException",
        "The Region mars-north-1 is not a valid AWS Region.",
        UserPoolId=pool_id,
        RegionName="mars-north-1",
    )
    assert len(replicas_of(cognito_idp, pool_id)) == 1


def test_a_pool_has_at_most_one_secondary_replica(cognito_idp, replicated):
    refused(
        cognito_idp.create_user_pool_replica,
        "InvalidParameterException",
        f"User pool {replicated} already has a replica in the Region {SECONDARY}.",
        UserPoolId=replicated,
        RegionName=SECONDARY,
    )
    refused(
        cognito_idp.create_user_pool_replica,
        "LimitExceededException",
        f"User pool {replicated} already has 1 secondary replica; a user pool can have at most 1.",
        UserPoolId=replicated,
        RegionName="eu-west-1",
    )
    assert [r["RegionName"] for r in replicas_of(cognito_idp, replicated)] == [PRIMARY, SECONDARY]


def test_the_lite_plan_cannot_replicate(cognito_idp, west):
    pool_id = cognito_idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    refused(
        cognito_idp.create_user_pool_replica,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Multi-Region Replication",
        UserPoolId=pool_id,
        RegionName=SECONDARY,
    )
    assert len(replicas_of(cognito_idp, pool_id)) == 1


def test_a_replicated_pool_moves_to_lite_only_without_its_replica(cognito_idp, replicated):
    refused(
        cognito_idp.update_user_pool,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Multi-Region Replication",
        UserPoolId=replicated,
        UserPoolTier="LITE",
    )
    assert cognito_idp.describe_user_pool(UserPoolId=replicated)["UserPool"]["UserPoolTier"] == (
        "ESSENTIALS"
    )


def test_a_replica_of_an_unknown_pool_is_not_found(cognito_idp):
    refused(
        cognito_idp.create_user_pool_replica,
        "ResourceNotFoundException",
        "User pool us-east-1_nothere1 does not exist.",
        UserPoolId="us-east-1_nothere1",
        RegionName=SECONDARY,
    )


def test_the_replica_tags_are_checked_before_anything_is_created(cognito_idp, pool_id):
    refused(
        cognito_idp.create_user_pool_replica,
        "InvalidParameterException",
        "Tag key aws:stage starts with aws:, which is reserved for AWS use.",
        UserPoolId=pool_id,
        RegionName=SECONDARY,
        UserPoolTags={"aws:stage": "dr"},
    )
    assert len(replicas_of(cognito_idp, pool_id)) == 1


# --- status ------------------------------------------------------------------------------------


def test_the_secondary_region_activates_and_deactivates_its_replica(cognito_idp, west, replicated):
    answer = west.update_user_pool_replica(
        UserPoolId=replicated, RegionName=SECONDARY, Status="ACTIVE"
    )
    assert answer["UserPoolReplica"] == replica(SECONDARY, replicated, "ACTIVE")
    assert replicas_of(cognito_idp, replicated)[1]["Status"] == "ACTIVE"
    cognito_idp.update_user_pool_replica(
        UserPoolId=replicated, RegionName=SECONDARY, Status="INACTIVE"
    )
    assert replicas_of(west, replicated)[1]["Status"] == "INACTIVE"


def test_the_primary_and_a_region_without_replica_cannot_be_updated(cognito_idp, replicated):
    refused(
        cognito_idp.update_user_pool_replica,
        "InvalidParameterException",
        f"The Region {PRIMARY} is the primary Region of user pool {replicated}; only a secondary "
        "replica can be changed or deleted.",
        UserPoolId=replicated,
        RegionName=PRIMARY,
        Status="INACTIVE",
    )
    refused(
        cognito_idp.update_user_pool_replica,
        "ResourceNotFoundException",
        f"User pool {replicated} has no replica in the Region eu-west-1.",
        UserPoolId=replicated,
        RegionName="eu-west-1",
        Status="ACTIVE",
    )
    assert replicas_of(cognito_idp, replicated)[0]["Status"] == "ACTIVE"


# --- what the secondary region answers ---------------------------------------------------------


def test_an_inactive_replica_takes_no_sign_in(west, replicated, signed_up):
    refused(
        west.initiate_auth,
        "OperationNotEnabledException",
        f"The replica of user pool {replicated} in {SECONDARY} is INACTIVE and does not accept "
        "end-user requests.",
        ClientId=signed_up,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    # Administrator reads still answer there.
    assert west.admin_get_user(UserPoolId=replicated, Username="ada")["Username"] == "ada"


def test_an_active_replica_signs_in_with_its_own_regions_issuer(
    cognito_idp, west, replicated, signed_up
):
    west.update_user_pool_replica(UserPoolId=replicated, RegionName=SECONDARY, Status="ACTIVE")
    tokens = sign_in(west, signed_up)
    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    assert claims["iss"] == issuer(SECONDARY, replicated)
    # The user is the same in both regions; the primary still issues its own issuer.
    assert west.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ada"
    primary_claims = jwt.decode(
        sign_in(cognito_idp, signed_up)["IdToken"], options={"verify_signature": False}
    )
    assert primary_claims["iss"] == issuer(PRIMARY, replicated)
    assert primary_claims["sub"] == claims["sub"]


def test_pyjwt_verifies_a_replica_token_against_the_replicas_jwks(west, replicated, signed_up):
    west.update_user_pool_replica(UserPoolId=replicated, RegionName=SECONDARY, Status="ACTIVE")
    id_token = sign_in(west, signed_up)["IdToken"]
    replica_issuer = issuer(SECONDARY, replicated)
    # What a verifier reads first: the replica region's discovery document, over requests.
    discovery = requests.get(f"{replica_issuer}/.well-known/openid-configuration", timeout=5)
    assert discovery.status_code == 200
    assert discovery.json()["issuer"] == replica_issuer
    jwks_uri = discovery.json()["jwks_uri"]
    assert jwks_uri == f"{replica_issuer}/.well-known/jwks.json"
    signing_key = jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(id_token)
    claims = jwt.decode(
        id_token, signing_key.key, algorithms=["RS256"], audience=signed_up, issuer=replica_issuer
    )
    assert claims["cognito:username"] == "ada"
    # The same keys in both regions: the primary's JWKS verifies it too; its issuer does not.
    primary_jwks = requests.get(f"{issuer(PRIMARY, replicated)}/.well-known/jwks.json", timeout=5)
    assert primary_jwks.json() == requests.get(jwks_uri, timeout=5).json()
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(
            id_token,
            signing_key.key,
            algorithms=["RS256"],
            audience=signed_up,
            issuer=issuer(PRIMARY, replicated),
        )


def test_the_jwks_of_a_region_without_replica_is_not_found(pool_id):
    answer = requests.get(f"{issuer(SECONDARY, pool_id)}/.well-known/jwks.json", timeout=5)
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("admin_create_user", {"Username": "bob", "MessageAction": "SUPPRESS"}),
        ("admin_update_user_attributes", {"Username": "ada", "UserAttributes": []}),
        ("admin_reset_user_password", {"Username": "ada"}),
        ("create_group", {"GroupName": "admins"}),
        ("delete_user_pool", {}),
    ],
)
def test_the_secondary_region_refuses_directory_writes(
    cognito_idp, west, replicated, signed_up, operation, kwargs
):
    name = west.meta.method_to_api_mapping[operation]
    refused(
        getattr(west, operation),
        "OperationNotEnabledException",
        f"{name} is not supported in {SECONDARY}, a secondary Region of user pool {replicated}. "
        f"Make the request in its primary Region, {PRIMARY}.",
        UserPoolId=replicated,
        **kwargs,
    )
    assert [u["Username"] for u in cognito_idp.list_users(UserPoolId=replicated)["Users"]] == [
        "ada"
    ]
    assert cognito_idp.list_groups(UserPoolId=replicated)["Groups"] == []


def test_sign_up_in_the_secondary_region_is_refused_even_when_active(west, replicated, signed_up):
    west.update_user_pool_replica(UserPoolId=replicated, RegionName=SECONDARY, Status="ACTIVE")
    refused(
        west.sign_up,
        "OperationNotEnabledException",
        f"SignUp is not supported in {SECONDARY}, a secondary Region of user pool {replicated}. "
        f"Make the request in its primary Region, {PRIMARY}.",
        ClientId=signed_up,
        Username="bob",
        Password=PASSWORD,
    )


def test_replicas_are_created_and_deleted_from_the_primary_region_only(west, replicated):
    for call, kwargs in (
        (west.delete_user_pool_replica, {}),
        (west.create_user_pool_replica, {}),
    ):
        name = west.meta.method_to_api_mapping[call.__name__]
        refused(
            call,
            "OperationNotEnabledException",
            f"{name} is not supported in {SECONDARY}, a secondary Region of user pool "
            f"{replicated}. Make the request in its primary Region, {PRIMARY}.",
            UserPoolId=replicated,
            RegionName=SECONDARY,
            **kwargs,
        )
    assert len(replicas_of(west, replicated)) == 2


# --- deleting ----------------------------------------------------------------------------------


def test_only_an_inactive_replica_is_deleted_and_its_region_forgets_the_pool(
    cognito_idp, cognito_mock, west, replicated
):
    west.update_user_pool_replica(UserPoolId=replicated, RegionName=SECONDARY, Status="ACTIVE")
    refused(
        cognito_idp.delete_user_pool_replica,
        "InvalidParameterException",
        f"The replica in the Region {SECONDARY} is ACTIVE; only an INACTIVE replica can be "
        "deleted.",
        UserPoolId=replicated,
        RegionName=SECONDARY,
    )
    cognito_idp.update_user_pool_replica(
        UserPoolId=replicated, RegionName=SECONDARY, Status="INACTIVE"
    )
    answer = cognito_idp.delete_user_pool_replica(UserPoolId=replicated, RegionName=SECONDARY)
    assert answer["UserPoolReplica"] == replica(SECONDARY, replicated, "DELETING")
    assert replicas_of(cognito_mock.client(PRIMARY), replicated) == [
        replica(PRIMARY, replicated, "ACTIVE", "PRIMARY")
    ]
    refused(
        west.describe_user_pool,
        "ResourceNotFoundException",
        f"User pool {replicated} does not exist.",
        UserPoolId=replicated,
    )
    refused(
        cognito_idp.delete_user_pool_replica,
        "ResourceNotFoundException",
        f"User pool {replicated} has no replica in the Region {SECONDARY}.",
        UserPoolId=replicated,
        RegionName=SECONDARY,
    )


def test_the_primary_pool_is_deleted_only_after_its_replicas(cognito_idp, replicated):
    refused(
        cognito_idp.delete_user_pool,
        "InvalidParameterException",
        f"User pool cannot be deleted. It has replicas in {SECONDARY} that should be deleted "
        "first.",
        UserPoolId=replicated,
    )
    assert cognito_idp.describe_user_pool(UserPoolId=replicated)["UserPool"]["Id"] == replicated
    cognito_idp.delete_user_pool_replica(UserPoolId=replicated, RegionName=SECONDARY)
    cognito_idp.delete_user_pool(UserPoolId=replicated)
    refused(
        cognito_idp.list_user_pool_replicas,
        "ResourceNotFoundException",
        f"User pool {replicated} does not exist.",
        UserPoolId=replicated,
    )


def test_a_forged_next_token_is_refused(cognito_idp, replicated):
    refused(
        cognito_idp.list_user_pool_replicas,
        "InvalidParameterException",
        "Invalid pagination token.",
        UserPoolId=replicated,
        NextToken="forged",
    )
