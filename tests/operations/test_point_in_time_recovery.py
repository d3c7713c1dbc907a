"""InitiatePointInTimeRecovery, DescribePointInTimeRecovery, ListPointInTimeRecoveries,
StartPointInTimeRecovery, CancelPointInTimeRecovery, through boto3: the checks of a recovery
point, the status machine with the clock moved, the writes paused meanwhile, the preview of a
scripted history and the pool after the recovery as another client sees it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import boto3
import pyotp
import pytest
from freezegun import freeze_time
from pycognito import Cognito
from support.errors import error_of, refused
from support.model import requires_operation
from support.users import PASSWORD, make_user

pytestmark = [
    requires_operation("InitiatePointInTimeRecovery"),
    requires_operation("DescribePointInTimeRecovery"),
    requires_operation("ListPointInTimeRecoveries"),
    requires_operation("StartPointInTimeRecovery"),
    requires_operation("CancelPointInTimeRecovery"),
]

START = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)
NEW_PASSWORD = "N3w-password!"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
MISSING_ID = "11111111-2222-4333-8444-555555555555"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def frozen():
    with freeze_time(START) as clock:
        yield clock


def new_pool(cognito_idp, tier: str = "ESSENTIALS", **settings) -> str:
    return cognito_idp.create_user_pool(PoolName="app", UserPoolTier=tier, **settings)["UserPool"][
        "Id"
    ]


def initiate(cognito_idp, pool_id, at) -> dict:
    return cognito_idp.initiate_point_in_time_recovery(UserPoolId=pool_id, RestoreTimestamp=at)[
        "Restoration"
    ]


def describe(cognito_idp, pool_id, restore_id) -> dict:
    return cognito_idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)[
        "Restoration"
    ]


def preview(restoration) -> dict:
    return {
        row["Entity"]: (row["CreateCount"], row["UpdateCount"], row["DeleteCount"])
        for row in restoration["RestorePreview"]
    }


def paused(pool_id, restore_id) -> str:
    return (
        f"Write operations in user pool {pool_id} are paused while point-in-time recovery "
        f"{restore_id} is in progress."
    )


# -- initiation and its checks -----------------------------------------------------------------


def test_initiate_answers_the_generated_preview_of_a_pool_without_changes(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    make_user(cognito_idp, pool_id, "ada")
    frozen.tick(HOUR)

    restoration = initiate(cognito_idp, pool_id, START + timedelta(minutes=30))

    assert UUID4.match(restoration["RestoreId"])
    assert restoration["RestoreStatus"] == "PREVIEW_GENERATED"
    assert restoration["RestoreTimestamp"] == START + timedelta(minutes=30)
    assert restoration["TriggerTimestamp"] == START + HOUR
    assert preview(restoration) == {
        "Users": (0, 0, 0),
        "Groups": (0, 0, 0),
        "User MFAs": (0, 0, 0),
        "Passkeys": (0, 0, 0),
    }
    assert describe(cognito_idp, pool_id, restoration["RestoreId"]) == restoration


def test_the_recovery_point_must_be_15_minutes_old_and_not_before_the_pool(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(HOUR)
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "InvalidParameterException",
        "RestoreTimestamp must be at least 15 minutes in the past.",
        UserPoolId=pool_id,
        RestoreTimestamp=START + HOUR - timedelta(minutes=14),
    )
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "InvalidParameterException",
        "RestoreTimestamp can't be earlier than the creation time of the user pool.",
        UserPoolId=pool_id,
        RestoreTimestamp=START - timedelta(seconds=1),
    )
    # Exactly 15 minutes is old enough.
    initiate(cognito_idp, pool_id, START + HOUR - timedelta(minutes=15))


def test_essentials_recovers_one_day_and_plus_fourteen(cognito_idp, frozen):
    essentials, plus = new_pool(cognito_idp), new_pool(cognito_idp, "PLUS")
    frozen.tick(timedelta(days=15))
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "InvalidParameterException",
        "RestoreTimestamp is outside the recovery period of the ESSENTIALS feature plan that the "
        "user pool was on since then (1 day).",
        UserPoolId=essentials,
        RestoreTimestamp=START + timedelta(days=13, hours=23),
    )
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "InvalidParameterException",
        "RestoreTimestamp is outside the recovery period of the PLUS feature plan that the user "
        "pool was on since then (14 days).",
        UserPoolId=plus,
        RestoreTimestamp=START + timedelta(hours=23),
    )
    assert initiate(cognito_idp, essentials, START + timedelta(days=14, hours=1))
    assert initiate(cognito_idp, plus, START + timedelta(days=1, hours=1))


def test_the_pool_must_have_been_on_the_plan_since_the_recovery_point(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(timedelta(days=3))
    cognito_idp.update_user_pool(UserPoolId=pool_id, UserPoolTier="PLUS")
    frozen.tick(timedelta(days=2))
    # Plus since two days: five days ago it was on Essentials, whose period is one day.
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "InvalidParameterException",
        "RestoreTimestamp is outside the recovery period of the ESSENTIALS feature plan that the "
        "user pool was on since then (1 day).",
        UserPoolId=pool_id,
        RestoreTimestamp=START + timedelta(days=2),
    )
    assert initiate(cognito_idp, pool_id, START + timedelta(days=3, hours=1))


def test_lite_pools_have_no_recovery(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp, "LITE")
    frozen.tick(HOUR)
    message = (
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Point-in-Time Recovery"
    )
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "FeatureUnavailableInTierException",
        message,
        UserPoolId=pool_id,
        RestoreTimestamp=START,
    )
    refused(
        cognito_idp.list_point_in_time_recoveries,
        "FeatureUnavailableInTierException",
        message,
        UserPoolId=pool_id,
    )


def test_unknown_pools_and_recoveries(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "ResourceNotFoundException",
        "User pool us-east-1_Nope00000 does not exist.",
        UserPoolId="us-east-1_Nope00000",
        RestoreTimestamp=START,
    )
    for call in (
        cognito_idp.describe_point_in_time_recovery,
        cognito_idp.start_point_in_time_recovery,
        cognito_idp.cancel_point_in_time_recovery,
    ):
        refused(
            call,
            "ResourceNotFoundException",
            f"Point-in-time recovery {MISSING_ID} does not exist.",
            UserPoolId=pool_id,
            RestoreId=MISSING_ID,
        )


def test_the_restore_id_is_validated_by_the_model(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    with pytest.raises(Exception) as raised:
        cognito_idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId="x" * 36)
    assert error_of(raised)[0] == "InvalidParameterException"


@pytest.mark.cognito_mock(import_rate=0)  # a started job stays InProgress
def test_one_active_recovery_per_pool_and_none_during_an_import(cognito_mock, cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(HOUR)
    first = initiate(cognito_idp, pool_id, START)
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "ConcurrentModificationException",
        f"User pool {pool_id} already has an active point-in-time recovery {first['RestoreId']}.",
        UserPoolId=pool_id,
        RestoreTimestamp=START,
    )
    other = new_pool(cognito_idp, AutoVerifiedAttributes=["email"])
    frozen.tick(HOUR)
    role = "arn:aws:iam::123456789012:role/import"
    job = cognito_idp.create_user_import_job(
        UserPoolId=other, JobName="j", CloudWatchLogsRoleArn=role
    )["UserImportJob"]
    cognito_mock.upload_csv(other, job["JobId"], [{"cognito:username": "zed", "email": "z@x.io"}])
    cognito_idp.start_user_import_job(UserPoolId=other, JobId=job["JobId"])
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "ConcurrentModificationException",
        "A point-in-time recovery cannot be initiated while a user import job is in progress in "
        f"user pool {other}.",
        UserPoolId=other,
        RestoreTimestamp=START + HOUR,
    )


def test_three_previews_a_day_and_one_completed_recovery(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(HOUR)
    for _ in range(2):
        restore_id = initiate(cognito_idp, pool_id, START)["RestoreId"]
        cognito_idp.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    frozen.tick(2 * HOUR)  # START + 3 h
    restore_id = initiate(cognito_idp, pool_id, START)["RestoreId"]
    cognito_idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "LimitExceededException",
        f"User pool {pool_id} has reached the limit of 3 recovery previews in 24 hours.",
        UserPoolId=pool_id,
        RestoreTimestamp=START,
    )
    frozen.tick(22 * HOUR + timedelta(minutes=1))  # the first two previews are a day old
    refused(
        cognito_idp.initiate_point_in_time_recovery,
        "LimitExceededException",
        f"User pool {pool_id} has already completed a point-in-time recovery in the last 24 hours.",
        UserPoolId=pool_id,
        RestoreTimestamp=START + 2 * HOUR,
    )
    frozen.tick(2 * HOUR)  # and the completed recovery too
    assert initiate(cognito_idp, pool_id, START + 4 * HOUR)


# -- the status machine ------------------------------------------------------------------------


@pytest.mark.cognito_mock(point_in_time_preview_seconds=60, point_in_time_restore_seconds=120)
def test_generating_generated_restoring_completed(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(HOUR)
    restoration = initiate(cognito_idp, pool_id, START)
    restore_id = restoration["RestoreId"]
    assert restoration["RestoreStatus"] == "PREVIEW_GENERATING"
    assert "RestorePreview" not in restoration
    refused(
        cognito_idp.start_point_in_time_recovery,
        "InvalidParameterException",
        f"Point-in-time recovery {restore_id} cannot be started: its status is "
        "PREVIEW_GENERATING; only a recovery in PREVIEW_GENERATED can be started.",
        UserPoolId=pool_id,
        RestoreId=restore_id,
    )
    frozen.tick(timedelta(seconds=60))
    assert describe(cognito_idp, pool_id, restore_id)["RestoreStatus"] == "PREVIEW_GENERATED"

    started = cognito_idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    assert started["Restoration"]["RestoreStatus"] == "RESTORING"
    refused(
        cognito_idp.cancel_point_in_time_recovery,
        "InvalidParameterException",
        f"Point-in-time recovery {restore_id} cannot be canceled: its status is RESTORING; only "
        "a recovery in PREVIEW_GENERATING or PREVIEW_GENERATED can be canceled.",
        UserPoolId=pool_id,
        RestoreId=restore_id,
    )
    refused(
        cognito_idp.create_group,
        "OperationNotEnabledException",
        paused(pool_id, restore_id),
        UserPoolId=pool_id,
        GroupName="staff",
    )
    frozen.tick(timedelta(seconds=120))
    assert describe(cognito_idp, pool_id, restore_id)["RestoreStatus"] == "RESTORE_COMPLETED"
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="staff")


def test_a_preview_neither_started_nor_canceled_expires_after_24_hours(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(HOUR)
    restore_id = initiate(cognito_idp, pool_id, START)["RestoreId"]
    frozen.tick(timedelta(hours=24) - timedelta(seconds=1))
    assert describe(cognito_idp, pool_id, restore_id)["RestoreStatus"] == "PREVIEW_GENERATED"
    frozen.tick(timedelta(seconds=1))
    assert describe(cognito_idp, pool_id, restore_id)["RestoreStatus"] == "PREVIEW_EXPIRED"
    make_user(cognito_idp, pool_id, "ada")  # writes resume
    refused(
        cognito_idp.start_point_in_time_recovery,
        "InvalidParameterException",
        f"Point-in-time recovery {restore_id} cannot be started: its status is PREVIEW_EXPIRED; "
        "only a recovery in PREVIEW_GENERATED can be started.",
        UserPoolId=pool_id,
        RestoreId=restore_id,
    )


def test_cancel_resumes_writes_and_changes_nothing(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(HOUR)
    make_user(cognito_idp, pool_id, "ada")  # after the point: a recovery would delete her
    frozen.tick(HOUR)
    restoration = initiate(cognito_idp, pool_id, START + timedelta(minutes=30))
    assert preview(restoration)["Users"] == (0, 0, 1)
    canceled = cognito_idp.cancel_point_in_time_recovery(
        UserPoolId=pool_id, RestoreId=restoration["RestoreId"]
    )["Restoration"]
    assert canceled["RestoreStatus"] == "PREVIEW_CANCELLED"
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username="ada")["Username"] == "ada"
    make_user(cognito_idp, pool_id, "bob")
    refused(
        cognito_idp.cancel_point_in_time_recovery,
        "InvalidParameterException",
        f"Point-in-time recovery {restoration['RestoreId']} cannot be canceled: its status is "
        "PREVIEW_CANCELLED; only a recovery in PREVIEW_GENERATING or PREVIEW_GENERATED can be "
        "canceled.",
        UserPoolId=pool_id,
        RestoreId=restoration["RestoreId"],
    )


def test_list_is_newest_first_without_previews_and_pages(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    frozen.tick(HOUR)
    ids = []
    for minutes in (10, 20, 30):
        restore_id = initiate(cognito_idp, pool_id, START + timedelta(minutes=minutes))["RestoreId"]
        ids.append(restore_id)
        if minutes != 30:
            cognito_idp.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    listed = cognito_idp.list_point_in_time_recoveries(UserPoolId=pool_id)
    assert listed["Restorations"] == [
        {
            "RestoreId": ids[2],
            "RestoreStatus": "PREVIEW_GENERATED",
            "RestoreTimestamp": START + timedelta(minutes=30),
        },
        {
            "RestoreId": ids[1],
            "RestoreStatus": "PREVIEW_CANCELLED",
            "RestoreTimestamp": START + timedelta(minutes=20),
        },
        {
            "RestoreId": ids[0],
            "RestoreStatus": "PREVIEW_CANCELLED",
            "RestoreTimestamp": START + timedelta(minutes=10),
        },
    ]
    assert "NextToken" not in listed
    first = cognito_idp.list_point_in_time_recoveries(UserPoolId=pool_id, MaxResults=2)
    assert [r["RestoreId"] for r in first["Restorations"]] == [ids[2], ids[1]]
    rest = cognito_idp.list_point_in_time_recoveries(
        UserPoolId=pool_id, MaxResults=2, NextToken=first["NextToken"]
    )
    assert [r["RestoreId"] for r in rest["Restorations"]] == [ids[0]]
    assert "NextToken" not in rest
    refused(
        cognito_idp.list_point_in_time_recoveries,
        "InvalidParameterException",
        "Invalid pagination token.",
        UserPoolId=pool_id,
        NextToken="bm9wZQ",
    )


# -- writes paused -----------------------------------------------------------------------------


def test_writes_are_refused_while_reads_and_sign_in_go_on(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    make_user(cognito_idp, pool_id, "ada")
    make_user(cognito_idp, pool_id, "newbie", password="Temp-0rary!", permanent=False)
    other = new_pool(cognito_idp)
    frozen.tick(HOUR)
    restore_id = initiate(cognito_idp, pool_id, START)["RestoreId"]
    message = paused(pool_id, restore_id)

    signed_in = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )
    access_token = signed_in["AuthenticationResult"]["AccessToken"]
    assert cognito_idp.get_user(AccessToken=access_token)["Username"] == "ada"
    assert [u["Username"] for u in cognito_idp.list_users(UserPoolId=pool_id)["Users"]] == [
        "ada",
        "newbie",
    ]
    refusals = [
        (cognito_idp.admin_create_user, {"UserPoolId": pool_id, "Username": "bob"}),
        (
            cognito_idp.sign_up,
            {"ClientId": client_id, "Username": "bob", "Password": PASSWORD},
        ),
        (
            cognito_idp.update_user_attributes,
            {
                "AccessToken": access_token,
                "UserAttributes": [{"Name": "given_name", "Value": "A"}],
            },
        ),
        (
            cognito_idp.admin_update_user_attributes,
            {
                "UserPoolId": pool_id,
                "Username": "ada",
                "UserAttributes": [{"Name": "given_name", "Value": "A"}],
            },
        ),
        (cognito_idp.admin_delete_user, {"UserPoolId": pool_id, "Username": "ada"}),
        (cognito_idp.create_group, {"UserPoolId": pool_id, "GroupName": "staff"}),
        (
            cognito_idp.change_password,
            {
                "AccessToken": access_token,
                "PreviousPassword": PASSWORD,
                "ProposedPassword": NEW_PASSWORD,
            },
        ),
        (
            cognito_idp.create_user_import_job,
            {
                "UserPoolId": pool_id,
                "JobName": "j",
                "CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/import",
            },
        ),
    ]
    for call, params in refusals:
        refused(call, "OperationNotEnabledException", message, **params)

    # The first sign-in of a user with a temporary password cannot set the new one.
    challenge = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "newbie", "PASSWORD": "Temp-0rary!"},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    refused(
        cognito_idp.admin_respond_to_auth_challenge,
        "OperationNotEnabledException",
        message,
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "newbie", "NEW_PASSWORD": NEW_PASSWORD},
    )
    assert [u["Username"] for u in cognito_idp.list_users(UserPoolId=pool_id)["Users"]] == [
        "ada",
        "newbie",
    ]
    make_user(cognito_idp, other, "bob")  # another pool is not paused


# -- the preview and the pool after the recovery -----------------------------------------------


def scripted_history(cognito_idp, frozen) -> tuple[str, str]:
    """A pool and the recovery point between two sets of changes: at the point ada (a member of
    staff), bob (SMS MFA, member of staff) and carl exist, with the groups staff and admins;
    after it ada's name changes, bob is deleted, carl turns SMS MFA on, dan is created, admins is
    deleted and guests created."""
    pool_id = new_pool(cognito_idp)
    for name in ("ada", "bob", "carl"):
        make_user(cognito_idp, pool_id, name, given_name=name.title(), phone_number="+15555550100")
    for group in ("staff", "admins"):
        cognito_idp.create_group(UserPoolId=pool_id, GroupName=group)
    for name in ("ada", "bob"):
        cognito_idp.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName="staff")
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="bob", SMSMfaSettings={"Enabled": True}
    )
    frozen.tick(HOUR)
    point = START + HOUR
    frozen.tick(HOUR)
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "given_name", "Value": "X"}]
    )
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="bob")
    cognito_idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="carl", SMSMfaSettings={"Enabled": True}
    )
    make_user(cognito_idp, pool_id, "dan")
    cognito_idp.delete_group(UserPoolId=pool_id, GroupName="admins")
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="guests")
    frozen.tick(HOUR)
    return pool_id, initiate(cognito_idp, pool_id, point)["RestoreId"]


def test_the_preview_counts_what_the_recovery_creates_updates_and_deletes(cognito_idp, frozen):
    pool_id, restore_id = scripted_history(cognito_idp, frozen)
    assert preview(describe(cognito_idp, pool_id, restore_id)) == {
        "Users": (1, 1, 1),  # bob back, ada's name, dan gone
        "Groups": (1, 0, 1),  # admins back, guests gone
        "User MFAs": (1, 0, 1),  # bob's back, carl's gone
        "Passkeys": (0, 0, 0),
    }


def test_after_the_recovery_another_client_sees_the_user_data_of_the_point(cognito_idp, frozen):
    pool_id, restore_id = scripted_history(cognito_idp, frozen)
    started = cognito_idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    assert started["Restoration"]["RestoreStatus"] == "RESTORE_COMPLETED"

    other = boto3.client("cognito-idp", region_name="us-east-1")
    users = other.list_users(UserPoolId=pool_id)["Users"]
    assert sorted(u["Username"] for u in users) == ["ada", "bob", "carl"]

    def attribute(username, name):
        got = other.admin_get_user(UserPoolId=pool_id, Username=username)
        return {a["Name"]: a["Value"] for a in got["UserAttributes"]}.get(name)

    assert attribute("ada", "given_name") == "Ada"
    assert attribute("bob", "given_name") == "Bob"
    bob = other.admin_get_user(UserPoolId=pool_id, Username="bob")
    assert bob["UserMFASettingList"] == ["SMS_MFA"]
    assert "UserMFASettingList" not in other.admin_get_user(UserPoolId=pool_id, Username="carl")
    groups = other.admin_list_groups_for_user(UserPoolId=pool_id, Username="bob")["Groups"]
    assert [g["GroupName"] for g in groups] == ["staff"]
    assert sorted(g["GroupName"] for g in other.list_groups(UserPoolId=pool_id)["Groups"]) == [
        "admins",
        "staff",
    ]
    members = other.list_users_in_group(UserPoolId=pool_id, GroupName="staff")["Users"]
    assert sorted(u["Username"] for u in members) == ["ada", "bob"]
    refused(
        other.admin_get_user,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pool_id,
        Username="dan",
    )
    other.create_group(UserPoolId=pool_id, GroupName="later")  # writes resumed


def test_passwords_at_the_point_come_back_and_passwords_changed_since_stay(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    make_user(cognito_idp, pool_id, "ada", given_name="Ada")
    make_user(cognito_idp, pool_id, "bob", given_name="Bob")
    frozen.tick(HOUR)
    point = START + HOUR
    frozen.tick(HOUR)
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="bob")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=NEW_PASSWORD, Permanent=True
    )
    cognito_idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "given_name", "Value": "X"}]
    )
    frozen.tick(HOUR)
    restoration = initiate(cognito_idp, pool_id, point)
    assert preview(restoration)["Users"] == (1, 1, 0)
    cognito_idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restoration["RestoreId"])

    # A real SRP client: bob signs in with the password he had at the point ...
    bob = Cognito(pool_id, client_id, username="bob")
    bob.authenticate(password=PASSWORD)
    assert bob.access_token
    # ... and ada keeps the password she set after it, though her name is reverted.
    ada = Cognito(pool_id, client_id, username="ada")
    ada.authenticate(password=NEW_PASSWORD)
    assert ada.get_user().given_name == "Ada"
    with pytest.raises(Exception) as raised:
        Cognito(pool_id, client_id, username="ada").authenticate(password=PASSWORD)
    assert error_of(raised) == ("NotAuthorizedException", "Incorrect username or password.")


def test_a_restored_user_keeps_the_totp_authenticator_of_the_point(cognito_idp, frozen):
    pool_id = new_pool(cognito_idp)
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON"
    )
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    make_user(cognito_idp, pool_id, "ada")

    def sign_in():
        return cognito_idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        )

    setup = sign_in()
    assert setup["ChallengeName"] == "MFA_SETUP"
    associated = cognito_idp.associate_software_token(Session=setup["Session"])
    secret = associated["SecretCode"]
    verified = cognito_idp.verify_software_token(
        Session=associated["Session"], UserCode=pyotp.TOTP(secret).now()
    )
    cognito_idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "ada"},
    )
    frozen.tick(HOUR)
    point = START + HOUR
    frozen.tick(HOUR)
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="ada")
    frozen.tick(HOUR)
    restoration = initiate(cognito_idp, pool_id, point)
    assert preview(restoration)["User MFAs"] == (1, 0, 0)
    cognito_idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restoration["RestoreId"])

    challenge = sign_in()
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    answered = cognito_idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ada", "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(secret).now()},
    )
    assert "AccessToken" in answered["AuthenticationResult"]
