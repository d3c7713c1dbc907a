"""Session management through boto3: the pool's and the app clients' session configuration,
token sessions opened by API sign-ins, listed, evicted and revoked, and what the tokens of a
revoked session then get."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import boto3
import jwt
import pytest
from freezegun import freeze_time
from support.errors import refused
from support.model import requires_member, requires_operation
from support.users import PASSWORD, make_user

pytestmark = [
    requires_operation("GetUserPoolSessionConfiguration"),
    requires_operation("SetUserPoolSessionConfiguration"),
    requires_operation("GetUserPoolClientSessionConfiguration"),
    requires_operation("SetUserPoolClientSessionConfiguration"),
    requires_operation("ListUserSessions"),
    requires_operation("AdminListUserSessions"),
    requires_operation("RevokeUserSession"),
    requires_operation("AdminRevokeUserSession"),
]

TOKEN_SESSION_ID = re.compile(r"^tkn[a-z0-9]{25}$")
NOON = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
REVOKED_REFRESH = "Refresh Token has been revoked"
REVOKED_ACCESS = "Access Token has been revoked"


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    """An app client that signs in with a password and refreshes."""
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=[
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]


@pytest.fixture
def tracked(cognito_idp, pool_id, client_id) -> str:
    """The pool, tracking sessions, with the user ada."""
    track(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    return pool_id


def track(cognito_idp, pool_id, status="ENABLED", max_per_user=20) -> dict:
    answer = cognito_idp.set_user_pool_session_configuration(
        UserPoolId=pool_id,
        UserSessionTracking=status,
        TokenSession={"MaxPerUser": max_per_user},
    )
    answer.pop("ResponseMetadata")
    return answer


def sign_in(cognito_idp, pool_id, client_id, username="ada") -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


def refresh(cognito_idp, client_id, tokens) -> dict:
    return cognito_idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]


def admin_listed(cognito_idp, pool_id, username="ada") -> list[dict]:
    answer = cognito_idp.admin_list_user_sessions(UserPoolId=pool_id, Username=username)
    assert "NextToken" not in answer
    return answer["Sessions"]


def assert_access_revoked(call, access_token: str) -> None:
    """``call`` (GetUser, ListUserSessions...) refuses the access token of an ended session."""
    refused(call, "NotAuthorizedException", REVOKED_ACCESS, AccessToken=access_token)


def ids_of(sessions: list[dict]) -> list[str]:
    return [session["SessionId"] for session in sessions]


def not_tracking(pool_id: str) -> str:
    return f"User session tracking is not enabled for user pool {pool_id}."


# --- configuration ---------------------------------------------------------------------------


def test_the_defaults_until_set(cognito_idp, pool_id, client_id):
    pool = cognito_idp.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert (pool["UserPoolId"], pool["UserSessionTracking"], pool["TokenSession"]) == (
        pool_id,
        "DISABLED",
        {"MaxPerUser": 20},
    )
    client = cognito_idp.get_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id
    )
    assert (client["UserPoolId"], client["ClientId"], client["SSOSession"]) == (
        pool_id,
        client_id,
        {"MaxValidityMinutes": 60},
    )


def test_set_replaces_the_pool_configuration_and_another_client_sees_it(
    cognito_idp, pool_id, client_id
):
    assert track(cognito_idp, pool_id, max_per_user=5) == {
        "UserPoolId": pool_id,
        "UserSessionTracking": "ENABLED",
        "TokenSession": {"MaxPerUser": 5},
    }
    other = boto3.client("cognito-idp", region_name="us-east-1")
    seen = other.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert (seen["UserSessionTracking"], seen["TokenSession"]) == ("ENABLED", {"MaxPerUser": 5})
    answer = other.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id, SSOSession={"MaxValidityMinutes": 0}
    )
    assert answer["SSOSession"] == {"MaxValidityMinutes": 0}
    assert cognito_idp.get_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id
    )["SSOSession"] == {"MaxValidityMinutes": 0}


def test_turning_tracking_off_keeps_the_client_settings_dormant(cognito_idp, pool_id, client_id):
    track(cognito_idp, pool_id)
    cognito_idp.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id, SSOSession={"MaxValidityMinutes": 600}
    )
    assert track(cognito_idp, pool_id, "DISABLED", 7)["UserSessionTracking"] == "DISABLED"
    assert cognito_idp.get_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=client_id
    )["SSOSession"] == {"MaxValidityMinutes": 600}
    refused(
        cognito_idp.set_user_pool_client_session_configuration,
        "OperationNotEnabledException",
        not_tracking(pool_id),
        UserPoolId=pool_id,
        ClientId=client_id,
        SSOSession={"MaxValidityMinutes": 10},
    )


def test_a_lite_pool_cannot_configure_sessions(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    message = (
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Session Management"
    )
    for status in ("ENABLED", "DISABLED"):
        refused(
            cognito_idp.set_user_pool_session_configuration,
            "FeatureUnavailableInTierException",
            message,
            UserPoolId=pool_id,
            UserSessionTracking=status,
            TokenSession={"MaxPerUser": 20},
        )
    refused(
        cognito_idp.set_user_pool_client_session_configuration,
        "FeatureUnavailableInTierException",
        message,
        UserPoolId=pool_id,
        ClientId=client_id,
        SSOSession={"MaxValidityMinutes": 10},
    )
    # Reading works on every plan, and nothing was stored.
    assert (
        cognito_idp.get_user_pool_session_configuration(UserPoolId=pool_id)["UserSessionTracking"]
        == "DISABLED"
    )


def test_a_pool_tracking_sessions_moves_to_lite_only_once_tracking_is_off(cognito_idp, tracked):
    refused(
        cognito_idp.update_user_pool,
        "FeatureUnavailableInTierException",
        "The following features need to be disabled for the LITE pricing tier configured: "
        "Session Management",
        UserPoolId=tracked,
        UserPoolTier="LITE",
    )
    track(cognito_idp, tracked, status="DISABLED")
    cognito_idp.update_user_pool(UserPoolId=tracked, UserPoolTier="LITE")
    assert cognito_idp.describe_user_pool(UserPoolId=tracked)["UserPool"]["UserPoolTier"] == "LITE"


def test_unknown_pools_and_clients(cognito_idp, pool_id):
    missing_pool = "us-east-1_nothere00"
    refused(
        cognito_idp.get_user_pool_session_configuration,
        "ResourceNotFoundException",
        f"User pool {missing_pool} does not exist.",
        UserPoolId=missing_pool,
    )
    track(cognito_idp, pool_id)
    for call, extra in (
        (cognito_idp.get_user_pool_client_session_configuration, {}),
        (
            cognito_idp.set_user_pool_client_session_configuration,
            {"SSOSession": {"MaxValidityMinutes": 5}},
        ),
    ):
        refused(
            call,
            "ResourceNotFoundException",
            "User pool client nosuchclient does not exist.",
            UserPoolId=pool_id,
            ClientId="nosuchclient",
            **extra,
        )


def test_out_of_range_values_are_refused(cognito_idp, pool_id, client_id):
    track(cognito_idp, pool_id)
    refused(
        cognito_idp.set_user_pool_session_configuration,
        "InvalidParameterException",
        "1 validation error detected: Value '101' at 'tokenSession.maxPerUser' failed to "
        "satisfy constraint: Member must have value less than or equal to 100",
        UserPoolId=pool_id,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": 101},
    )
    refused(
        cognito_idp.set_user_pool_client_session_configuration,
        "InvalidParameterException",
        "1 validation error detected: Value '129601' at 'sSOSession.maxValidityMinutes' failed "
        "to satisfy constraint: Member must have value less than or equal to 129600",
        UserPoolId=pool_id,
        ClientId=client_id,
        SSOSession={"MaxValidityMinutes": 129601},
    )
    assert track(cognito_idp, pool_id, max_per_user=100)["TokenSession"] == {"MaxPerUser": 100}


# --- token sessions --------------------------------------------------------------------------


def test_the_lists_are_refused_while_tracking_is_off(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id)
    tokens = sign_in(cognito_idp, pool_id, client_id)
    message = not_tracking(pool_id)
    refused(
        cognito_idp.admin_list_user_sessions,
        "OperationNotEnabledException",
        message,
        UserPoolId=pool_id,
        Username="ada",
    )
    refused(
        cognito_idp.list_user_sessions,
        "OperationNotEnabledException",
        message,
        AccessToken=tokens["AccessToken"],
    )
    refused(
        cognito_idp.admin_revoke_user_session,
        "OperationNotEnabledException",
        message,
        UserPoolId=pool_id,
        Username="ada",
        SessionId="tkn" + "a" * 25,
    )


def test_each_sign_in_opens_a_token_session(cognito_idp, tracked, client_id):
    with freeze_time(NOON) as clock:
        first = sign_in(cognito_idp, tracked, client_id)
        clock.tick(60)
        second = sign_in(cognito_idp, tracked, client_id)
        mine = cognito_idp.list_user_sessions(AccessToken=second["AccessToken"])
    assert "NextToken" not in mine
    sessions = mine["Sessions"]
    assert [s["IsCurrentSession"] for s in sessions] == [False, True]
    assert all(TOKEN_SESSION_ID.match(s["SessionId"]) for s in sessions)
    assert sessions[0] == {
        "SessionId": sessions[0]["SessionId"],
        "SessionType": "TOKEN",
        "ClientId": client_id,
        "CreateDate": NOON,
        "LastActiveDate": NOON,
        "DeviceType": "unknown",
        "IsCurrentSession": False,
    }
    assert sessions[1]["CreateDate"] == NOON + timedelta(seconds=60)
    # The administrator's view is the same, with nothing current.
    admin = admin_listed(cognito_idp, tracked)
    assert ids_of(admin) == ids_of(sessions)
    assert [s["IsCurrentSession"] for s in admin] == [False, False]
    # The first access token is current in its own listing.
    first_view = cognito_idp.list_user_sessions(AccessToken=first["AccessToken"])["Sessions"]
    assert [s["IsCurrentSession"] for s in first_view] == [True, False]


def test_a_refresh_moves_last_active_not_the_creation(cognito_idp, tracked, client_id):
    with freeze_time(NOON) as clock:
        tokens = sign_in(cognito_idp, tracked, client_id)
        clock.tick(600)
        refreshed = refresh(cognito_idp, client_id, tokens)
        (session,) = cognito_idp.list_user_sessions(AccessToken=refreshed["AccessToken"])[
            "Sessions"
        ]
    assert (session["CreateDate"], session["LastActiveDate"]) == (
        NOON,
        NOON + timedelta(seconds=600),
    )
    assert session["IsCurrentSession"] is True  # the refreshed token is of the same session


def test_sessions_of_other_users_and_untracked_sign_ins_are_not_listed(
    cognito_idp, pool_id, client_id
):
    make_user(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, "bob")
    sign_in(cognito_idp, pool_id, client_id)  # before tracking: never recorded
    track(cognito_idp, pool_id)
    sign_in(cognito_idp, pool_id, client_id, "bob")
    assert admin_listed(cognito_idp, pool_id) == []
    assert len(admin_listed(cognito_idp, pool_id, "bob")) == 1
    refused(
        cognito_idp.admin_list_user_sessions,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=pool_id,
        Username="nobody",
    )


def test_at_the_limit_a_sign_in_evicts_the_least_recently_used(cognito_idp, tracked, client_id):
    track(cognito_idp, tracked, max_per_user=2)
    with freeze_time(NOON) as clock:
        oldest = sign_in(cognito_idp, tracked, client_id)
        clock.tick(10)
        middle = sign_in(cognito_idp, tracked, client_id)
        clock.tick(10)
        oldest = {**oldest, **refresh(cognito_idp, client_id, oldest)}  # now the more recent
        clock.tick(10)
        newest = sign_in(cognito_idp, tracked, client_id)
        listed = cognito_idp.list_user_sessions(AccessToken=newest["AccessToken"])["Sessions"]
    assert [s["CreateDate"] for s in listed] == [NOON, NOON + timedelta(seconds=30)]
    refused(
        cognito_idp.initiate_auth,
        "NotAuthorizedException",
        REVOKED_REFRESH,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": middle["RefreshToken"]},
    )
    assert_access_revoked(cognito_idp.get_user, middle["AccessToken"])
    assert cognito_idp.get_user(AccessToken=oldest["AccessToken"])["Username"] == "ada"


def test_lowering_the_limit_evicts_at_the_next_sign_in(cognito_idp, tracked, client_id):
    with freeze_time(NOON) as clock:
        for _ in range(3):
            sign_in(cognito_idp, tracked, client_id)
            clock.tick(1)
        track(cognito_idp, tracked, max_per_user=1)
        assert len(admin_listed(cognito_idp, tracked)) == 3
        sign_in(cognito_idp, tracked, client_id)
    (left,) = admin_listed(cognito_idp, tracked)
    assert left["CreateDate"] == NOON + timedelta(seconds=3)


def test_a_session_ends_when_its_refresh_token_expires(cognito_idp, tracked):
    short = cognito_idp.create_user_pool_client(
        UserPoolId=tracked,
        ClientName="short",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        RefreshTokenValidity=60,
        TokenValidityUnits={"RefreshToken": "minutes"},
    )["UserPoolClient"]["ClientId"]
    with freeze_time(NOON) as clock:
        sign_in(cognito_idp, tracked, short)
        clock.tick(3599)
        assert len(admin_listed(cognito_idp, tracked)) == 1
        clock.tick(1)
        assert admin_listed(cognito_idp, tracked) == []


def test_revoke_token_and_global_sign_out_end_sessions(cognito_idp, tracked, client_id):
    first = sign_in(cognito_idp, tracked, client_id)
    second = sign_in(cognito_idp, tracked, client_id)
    cognito_idp.revoke_token(Token=first["RefreshToken"], ClientId=client_id)
    (left,) = cognito_idp.list_user_sessions(AccessToken=second["AccessToken"])["Sessions"]
    assert left["IsCurrentSession"] is True
    cognito_idp.admin_user_global_sign_out(UserPoolId=tracked, Username="ada")
    assert admin_listed(cognito_idp, tracked) == []


def test_turning_tracking_off_forgets_the_sessions_not_the_tokens(cognito_idp, tracked, client_id):
    tokens = sign_in(cognito_idp, tracked, client_id)
    track(cognito_idp, tracked, "DISABLED")
    track(cognito_idp, tracked, "ENABLED")
    assert admin_listed(cognito_idp, tracked) == []
    assert refresh(cognito_idp, client_id, tokens)["AccessToken"]


def test_a_forged_next_token_is_refused(cognito_idp, tracked):
    refused(
        cognito_idp.admin_list_user_sessions,
        "InvalidParameterException",
        "Invalid pagination token.",
        UserPoolId=tracked,
        Username="ada",
        NextToken="forged",
    )


# --- revoking --------------------------------------------------------------------------------


def test_an_administrator_revokes_one_session(cognito_idp, tracked, client_id):
    doomed = sign_in(cognito_idp, tracked, client_id)
    kept = sign_in(cognito_idp, tracked, client_id)
    target, survivor = ids_of(admin_listed(cognito_idp, tracked))
    cognito_idp.admin_revoke_user_session(UserPoolId=tracked, Username="ada", SessionId=target)
    # Another client, another view: the record is gone and its tokens are refused.
    other = boto3.client("cognito-idp", region_name="us-east-1")
    assert ids_of(admin_listed(other, tracked)) == [survivor]
    refused(
        other.get_tokens_from_refresh_token,
        "NotAuthorizedException",
        REVOKED_REFRESH,
        RefreshToken=doomed["RefreshToken"],
        ClientId=client_id,
    )
    refused(
        other.get_user, "NotAuthorizedException", REVOKED_ACCESS, AccessToken=doomed["AccessToken"]
    )
    assert other.get_user(AccessToken=kept["AccessToken"])["Username"] == "ada"
    # Revoked once; a second time it does not exist.
    refused(
        cognito_idp.admin_revoke_user_session,
        "ResourceNotFoundException",
        f"Session {target} does not exist.",
        UserPoolId=tracked,
        Username="ada",
        SessionId=target,
    )


def test_the_username_must_be_the_sessions_owner(cognito_idp, tracked, client_id):
    make_user(cognito_idp, tracked, "bob")
    sign_in(cognito_idp, tracked, client_id)
    (target,) = ids_of(admin_listed(cognito_idp, tracked))
    refused(
        cognito_idp.admin_revoke_user_session,
        "ResourceNotFoundException",
        f"Session {target} does not exist.",
        UserPoolId=tracked,
        Username="bob",
        SessionId=target,
    )
    refused(
        cognito_idp.admin_revoke_user_session,
        "UserNotFoundException",
        "User does not exist.",
        UserPoolId=tracked,
        Username="nobody",
        SessionId=target,
    )
    assert ids_of(admin_listed(cognito_idp, tracked)) == [target]


def test_a_user_revokes_another_session_but_not_the_current_one(cognito_idp, tracked, client_id):
    phone = sign_in(cognito_idp, tracked, client_id)
    laptop = sign_in(cognito_idp, tracked, client_id)
    phone_session, laptop_session = ids_of(admin_listed(cognito_idp, tracked))
    refused(
        cognito_idp.revoke_user_session,
        "InvalidParameterException",
        "The session of the access token in the request cannot be revoked.",
        AccessToken=laptop["AccessToken"],
        SessionId=laptop_session,
    )
    cognito_idp.revoke_user_session(AccessToken=laptop["AccessToken"], SessionId=phone_session)
    assert ids_of(admin_listed(cognito_idp, tracked)) == [laptop_session]
    assert_access_revoked(cognito_idp.get_user, phone["AccessToken"])
    # A revoked session's access token no longer lists or revokes anything.
    assert_access_revoked(cognito_idp.list_user_sessions, phone["AccessToken"])


def test_a_session_id_must_be_well_formed(cognito_idp, tracked):
    bad = "xyz" + "a" * 25  # the right length (botocore checks that), not a session id
    refused(
        cognito_idp.admin_revoke_user_session,
        "InvalidParameterException",
        f"1 validation error detected: Value '{bad}' at 'sessionId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^(tkn|sso)[a-z0-9]{25}$",
        UserPoolId=tracked,
        Username="ada",
        SessionId=bad,
    )


@requires_member("RevokeToken", "RevokeAssociatedSessions")
def test_revoke_token_linked_without_a_parent_session_revokes_the_token(
    cognito_idp, tracked, client_id
):
    tokens = sign_in(cognito_idp, tracked, client_id)
    cognito_idp.revoke_token(
        Token=tokens["RefreshToken"], ClientId=client_id, RevokeAssociatedSessions="LINKED"
    )
    assert admin_listed(cognito_idp, tracked) == []
    assert_access_revoked(cognito_idp.get_user, tokens["AccessToken"])


def test_a_rotating_client_keeps_one_session(cognito_idp, tracked):
    rotating = cognito_idp.create_user_pool_client(
        UserPoolId=tracked,
        ClientName="rotating",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
    )["UserPoolClient"]["ClientId"]
    with freeze_time(NOON) as clock:
        tokens = sign_in(cognito_idp, tracked, rotating)
        clock.tick(30)
        rotated = cognito_idp.get_tokens_from_refresh_token(
            RefreshToken=tokens["RefreshToken"], ClientId=rotating
        )["AuthenticationResult"]
        (session,) = admin_listed(cognito_idp, tracked)
    assert session["LastActiveDate"] == NOON + timedelta(seconds=30)
    claims = jwt.decode(rotated["AccessToken"], options={"verify_signature": False})
    original = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    assert claims["origin_jti"] == original["origin_jti"]  # one family, one session
