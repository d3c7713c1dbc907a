"""GetTokensFromRefreshToken, with and without refresh-token rotation: what each exchange
returns, which tokens still work afterwards, and what is refused with which error."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from freezegun import freeze_time
from support.errors import error_of
from support.model import requires_operation
from support.rotation import (
    ROTATING_FLOWS,
    claims,
    get_tokens,
    make_client,
    make_pool,
    rotating_client,
    sign_in,
)

pytestmark = requires_operation("GetTokensFromRefreshToken")

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:pre-token"
REUSED = ("RefreshTokenReuseException", "Refresh Token has been used.")
REVOKED = ("NotAuthorizedException", "Refresh Token has been revoked")


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return make_pool(cognito_idp)


def refused(cognito_idp, client_id: str, refresh_token: str, **extra) -> tuple[str, str]:
    with pytest.raises(cognito_idp.exceptions.ClientError) as raised:
        get_tokens(cognito_idp, client_id, refresh_token, **extra)
    return error_of(raised)


# --- without rotation -------------------------------------------------------------------------


def test_without_rotation_new_id_and_access_tokens_and_the_token_lives_on(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    signed_in = sign_in(cognito_idp, pool_id, client_id)

    first = get_tokens(cognito_idp, client_id, signed_in["RefreshToken"])
    second = get_tokens(cognito_idp, client_id, signed_in["RefreshToken"])

    assert set(first) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken"}
    assert (first["TokenType"], first["ExpiresIn"]) == ("Bearer", 3600)
    old, new = claims(signed_in["AccessToken"]), claims(second["AccessToken"])
    assert (new["auth_time"], new["origin_jti"]) == (old["auth_time"], old["origin_jti"])
    assert new["jti"] != old["jti"]
    assert claims(first["IdToken"])["cognito:username"] == "ada"


def test_the_operation_is_unsigned_and_regional(cognito_idp, cognito_mock, pool_id):
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
    # No credentials at all: the operation is unauthenticated, like InitiateAuth.
    anonymous = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED),
    )
    assert "AccessToken" in get_tokens(anonymous, client_id, token)
    # The client belongs to a us-east-1 pool: another region does not know it.
    elsewhere = cognito_mock.client("eu-west-1")
    with pytest.raises(elsewhere.exceptions.ResourceNotFoundException) as raised:
        get_tokens(elsewhere, client_id, token)
    assert error_of(raised) == (
        "ResourceNotFoundException",
        f"User pool client {client_id} does not exist.",
    )


def test_refusals_word_what_refresh_token_auth_says(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    other_id = make_client(cognito_idp, pool_id)["ClientId"]
    token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]

    assert refused(cognito_idp, client_id, "garbage") == (
        "NotAuthorizedException",
        "Invalid Refresh Token.",
    )
    assert refused(cognito_idp, other_id, token) == (
        "NotAuthorizedException",
        "Refresh Token has different Client",
    )
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="ada")
    assert refused(cognito_idp, client_id, token) == (
        "UserNotFoundException",
        "User does not exist.",
    )


def test_an_expired_refresh_token(cognito_idp, pool_id):
    client_id = make_client(
        cognito_idp, pool_id, RefreshTokenValidity=1, TokenValidityUnits={"RefreshToken": "hours"}
    )["ClientId"]
    with freeze_time("2030-01-01 09:00:00") as clock:
        token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
        clock.tick(timedelta(hours=1))
        assert refused(cognito_idp, client_id, token) == (
            "NotAuthorizedException",
            "Refresh Token has expired",
        )


def test_a_client_with_a_secret_sends_the_secret_itself(cognito_idp, pool_id):
    client = make_client(cognito_idp, pool_id, GenerateSecret=True)
    client_id, secret = client["ClientId"], client["ClientSecret"]
    token = sign_in(cognito_idp, pool_id, client_id, secret=secret)["RefreshToken"]

    assert refused(cognito_idp, client_id, token) == (
        "NotAuthorizedException",
        f"Client {client_id} is configured for secret but secret was not received",
    )
    assert refused(cognito_idp, client_id, token, ClientSecret="x" * 51) == (
        "NotAuthorizedException",
        f"Client secret does not match for the client: {client_id}",
    )
    assert "AccessToken" in get_tokens(cognito_idp, client_id, token, ClientSecret=secret)


def test_pre_token_generation_sees_a_refresh_and_the_client_metadata(cognito_idp, cognito_mock):
    pool_id = make_pool(cognito_idp, LambdaConfig={"PreTokenGeneration": FUNCTION})
    events: list[dict] = []

    def handler(event, context):
        events.append(event)
        event["response"] = {
            "claimsOverrideDetails": {"claimsToAddOrOverride": {"tier": event["triggerSource"]}}
        }
        return event

    cognito_mock.register_lambda(FUNCTION, handler)
    client_id = rotating_client(cognito_idp, pool_id)["ClientId"]
    token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]

    result = get_tokens(cognito_idp, client_id, token, ClientMetadata={"app": "mobile"})

    assert [e["triggerSource"] for e in events] == [
        "TokenGeneration_Authentication",
        "TokenGeneration_RefreshTokens",
    ]
    assert events[1]["request"]["clientMetadata"] == {"app": "mobile"}
    assert claims(result["IdToken"])["tier"] == "TokenGeneration_RefreshTokens"


def test_a_failing_trigger_leaves_the_submitted_token_unused(cognito_idp, cognito_mock):
    pool_id = make_pool(cognito_idp, LambdaConfig={"PreTokenGeneration": FUNCTION})
    failing = {"on": False}

    def handler(event, context):
        if failing["on"]:
            raise RuntimeError("down for maintenance")
        return event

    cognito_mock.register_lambda(FUNCTION, handler)
    client_id = rotating_client(cognito_idp, pool_id)["ClientId"]
    token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
    failing["on"] = True
    with pytest.raises(cognito_idp.exceptions.UserLambdaValidationException) as raised:
        get_tokens(cognito_idp, client_id, token)
    assert error_of(raised)[1] == "PreTokenGeneration failed with error down for maintenance."
    failing["on"] = False
    assert "RefreshToken" in get_tokens(cognito_idp, client_id, token)


def test_a_device_token_needs_its_device_key(cognito_idp):
    pool_id = make_pool(cognito_idp, DeviceConfiguration={"ChallengeRequiredOnNewDevice": False})
    client_id = make_client(cognito_idp, pool_id)["ClientId"]
    signed_in = sign_in(cognito_idp, pool_id, client_id)
    key = signed_in["NewDeviceMetadata"]["DeviceKey"]
    cognito_idp.confirm_device(
        AccessToken=signed_in["AccessToken"],
        DeviceKey=key,
        DeviceSecretVerifierConfig={"PasswordVerifier": "dmVyaWZpZXI", "Salt": "c2FsdA"},
    )
    assert refused(cognito_idp, client_id, signed_in["RefreshToken"]) == (
        "NotAuthorizedException",
        "Invalid Refresh Token.",
    )
    result = get_tokens(cognito_idp, client_id, signed_in["RefreshToken"], DeviceKey=key)
    assert claims(result["AccessToken"])["device_key"] == key
    assert "NewDeviceMetadata" not in result


# --- with rotation ----------------------------------------------------------------------------


def test_each_exchange_returns_a_new_refresh_token_of_the_same_family(cognito_idp, pool_id):
    client_id = rotating_client(cognito_idp, pool_id)["ClientId"]
    signed_in = sign_in(cognito_idp, pool_id, client_id)

    first = get_tokens(cognito_idp, client_id, signed_in["RefreshToken"])
    second = get_tokens(cognito_idp, client_id, first["RefreshToken"])

    assert set(first) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken", "RefreshToken"}
    tokens = {signed_in["RefreshToken"], first["RefreshToken"], second["RefreshToken"]}
    assert len(tokens) == 3
    origin = claims(signed_in["AccessToken"])["origin_jti"]
    for result in (first, second):
        for token in (result["AccessToken"], result["IdToken"]):
            assert claims(token)["origin_jti"] == origin
            assert claims(token)["jti"]
        assert claims(result["IdToken"])["auth_time"] == claims(signed_in["IdToken"])["auth_time"]


def test_without_a_grace_period_the_submitted_token_dies_at_once(cognito_idp, pool_id):
    client_id = rotating_client(cognito_idp, pool_id)["ClientId"]
    token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
    rotated = get_tokens(cognito_idp, client_id, token)

    assert refused(cognito_idp, client_id, token) == REUSED
    assert refused(cognito_idp, client_id, token) == REUSED  # and stays dead
    # The reuse harms nobody else: the new token goes on rotating.
    assert "RefreshToken" in get_tokens(cognito_idp, client_id, rotated["RefreshToken"])


def test_inside_the_grace_period_a_retry_gets_another_new_token(cognito_idp, pool_id):
    client_id = rotating_client(cognito_idp, pool_id, grace=30)["ClientId"]
    with freeze_time("2030-01-01 09:00:00") as clock:
        token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
        first = get_tokens(cognito_idp, client_id, token)
        clock.tick(timedelta(seconds=29))
        retry = get_tokens(cognito_idp, client_id, token)
        assert retry["RefreshToken"] not in (first["RefreshToken"], token)
        # The grace period counts from the first exchange; the retry does not extend it.
        clock.tick(timedelta(seconds=1))
        assert refused(cognito_idp, client_id, token) == REUSED
        # Both tokens issued from it are live members of the family.
        assert "RefreshToken" in get_tokens(cognito_idp, client_id, first["RefreshToken"])
        assert "RefreshToken" in get_tokens(cognito_idp, client_id, retry["RefreshToken"])


def test_a_rotated_token_lives_only_as_long_as_the_original(cognito_idp, pool_id):
    client_id = rotating_client(
        cognito_idp, pool_id, RefreshTokenValidity=2, TokenValidityUnits={"RefreshToken": "hours"}
    )["ClientId"]
    with freeze_time("2030-01-01 09:00:00") as clock:
        token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
        clock.tick(timedelta(minutes=90))
        rotated = get_tokens(cognito_idp, client_id, token)["RefreshToken"]
        clock.tick(timedelta(minutes=30))  # two hours after signing in
        assert refused(cognito_idp, client_id, rotated) == (
            "NotAuthorizedException",
            "Refresh Token has expired",
        )


@pytest.mark.parametrize("revoked", ["original", "rotated"])
def test_revoke_token_ends_the_whole_family(cognito_idp, pool_id, revoked):
    client_id = rotating_client(cognito_idp, pool_id, grace=60)["ClientId"]
    signed_in = sign_in(cognito_idp, pool_id, client_id)
    rotated = get_tokens(cognito_idp, client_id, signed_in["RefreshToken"])
    target = signed_in if revoked == "original" else rotated

    cognito_idp.revoke_token(Token=target["RefreshToken"], ClientId=client_id)

    # The original is still inside its grace period: revocation, not reuse, refuses it.
    for token in (signed_in["RefreshToken"], rotated["RefreshToken"]):
        assert refused(cognito_idp, client_id, token) == REVOKED
    for result in (signed_in, rotated):
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            cognito_idp.get_user(AccessToken=result["AccessToken"])
        assert error_of(raised) == ("NotAuthorizedException", "Access Token has been revoked")


@pytest.mark.parametrize("how", ["GlobalSignOut", "AdminUserGlobalSignOut"])
def test_a_global_sign_out_ends_the_family(cognito_idp, pool_id, how):
    client_id = rotating_client(cognito_idp, pool_id)["ClientId"]
    signed_in = sign_in(cognito_idp, pool_id, client_id)
    other_user = sign_in(cognito_idp, pool_id, client_id, username="grace")
    rotated = get_tokens(cognito_idp, client_id, signed_in["RefreshToken"])

    if how == "GlobalSignOut":
        cognito_idp.global_sign_out(AccessToken=rotated["AccessToken"])
    else:
        cognito_idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="ada")

    assert refused(cognito_idp, client_id, rotated["RefreshToken"]) == REVOKED
    assert "RefreshToken" in get_tokens(cognito_idp, client_id, other_user["RefreshToken"])
    # A new sign-in starts a new family that rotates as before.
    again = sign_in(cognito_idp, pool_id, client_id)
    assert "RefreshToken" in get_tokens(cognito_idp, client_id, again["RefreshToken"])


def test_a_rotating_client_with_a_secret(cognito_idp, pool_id):
    client = rotating_client(cognito_idp, pool_id, GenerateSecret=True)
    client_id, secret = client["ClientId"], client["ClientSecret"]
    token = sign_in(cognito_idp, pool_id, client_id, secret=secret)["RefreshToken"]
    # A refused client authentication does not use the token up.
    assert refused(cognito_idp, client_id, token)[0] == "NotAuthorizedException"
    rotated = get_tokens(cognito_idp, client_id, token, ClientSecret=secret)
    assert "RefreshToken" in get_tokens(
        cognito_idp, client_id, rotated["RefreshToken"], ClientSecret=secret
    )


# --- REFRESH_TOKEN_AUTH on a rotating client ---------------------------------------------------

ROTATING_REFUSAL = (
    "InvalidParameterException",
    "REFRESH_TOKEN_AUTH flow not enabled for this client",
)


@pytest.mark.parametrize("flow", ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"])
@pytest.mark.parametrize(
    "flows",
    [
        ROTATING_FLOWS,
        [*ROTATING_FLOWS, "ALLOW_REFRESH_TOKEN_AUTH"],
        None,
        ["CUSTOM_AUTH_FLOW_ONLY"],
    ],
    ids=["without-the-flow", "with-the-flow", "default-flows", "custom-only"],
)
def test_refresh_token_auth_is_refused_on_a_rotating_client(cognito_idp, pool_id, flow, flows):
    kwargs = {"ExplicitAuthFlows": flows} if flows is not None else {"ExplicitAuthFlows": []}
    client_id = rotating_client(cognito_idp, pool_id, **kwargs)["ClientId"]
    admin = rotating_client(cognito_idp, pool_id)["ClientId"]
    token = sign_in(cognito_idp, pool_id, admin)["RefreshToken"]
    parameters = {"REFRESH_TOKEN": token}

    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.initiate_auth(ClientId=client_id, AuthFlow=flow, AuthParameters=parameters)
    assert error_of(raised) == ROTATING_REFUSAL
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.admin_initiate_auth(
            UserPoolId=pool_id, ClientId=admin, AuthFlow=flow, AuthParameters=parameters
        )
    assert error_of(raised) == ROTATING_REFUSAL
    # The refusal came before the token was looked at: it still rotates.
    assert "RefreshToken" in get_tokens(cognito_idp, admin, token)


def test_turning_rotation_off_brings_refresh_token_auth_back(cognito_idp, pool_id):
    client_id = rotating_client(cognito_idp, pool_id)["ClientId"]
    token = sign_in(cognito_idp, pool_id, client_id)["RefreshToken"]
    cognito_idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        ExplicitAuthFlows=[*ROTATING_FLOWS, "ALLOW_REFRESH_TOKEN_AUTH"],
        RefreshTokenRotation={"Feature": "DISABLED"},
    )
    refreshed = cognito_idp.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token}
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert "RefreshToken" not in get_tokens(cognito_idp, client_id, token)
