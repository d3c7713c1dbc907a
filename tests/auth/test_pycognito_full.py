"""pycognito, unmodified, through a whole session against the mock: ``admin_authenticate``,
``verify_tokens`` with the JWKS fetched over ``requests`` (``COGNITO_JWKS`` unset),
``check_token`` renewing an expired access token, ``get_user``'s attribute mapping, ``logout``
and the revoked refresh token after it; then refresh-token expiry in minutes and in days, and a
challenge session outliving a configured AuthSessionValidity.

pycognito builds its own boto3 client from the pool id's region; the plugin answers it. Its
token checks (PyJWT's ``exp``) and ``check_token`` read the clock that freezegun moves.
"""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time
from pycognito import Cognito
from support.errors import error_of

PASSWORD = "Corr3ct-horse!"
TEMPORARY = "Temp-0rary!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
START = datetime.datetime(2031, 5, 1, 10, 0, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture(autouse=True)
def jwks_fetched_over_requests(monkeypatch) -> None:
    """With COGNITO_JWKS unset pycognito's get_keys() GETs ``<issuer>/.well-known/jwks.json``."""
    monkeypatch.delenv("COGNITO_JWKS", raising=False)


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(
        PoolName="app",
        Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]["Id"]


def make_client(cognito_idp, pool_id: str, **settings) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS, **settings
    )["UserPoolClient"]["ClientId"]


def make_user(cognito_idp, pool_id: str) -> None:
    attributes = {
        "email": "ada@example.com",
        "email_verified": "true",
        "given_name": "Ada",
        "custom:team": "engines",
    }
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )


def signed_in(pool_id: str, client_id: str) -> Cognito:
    """pycognito's ADMIN_NO_SRP_AUTH sign-in (it verifies both tokens as it stores them)."""
    user = Cognito(pool_id, client_id, username="ada")
    user.admin_authenticate(password=PASSWORD)
    return user


def test_a_whole_pycognito_session(cognito_idp, cognito_mock, pool_id):
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    with freeze_time(START) as frozen:
        user = signed_in(pool_id, client_id)
        assert cognito_mock.calls[-1].operation == "AdminInitiateAuth"
        # The keys came from the JWKS URL, answered in process: nothing else could supply them.
        assert user.pool_jwk == cognito_mock.jwks(pool_id)
        user.verify_tokens()
        assert user.id_claims["cognito:username"] == "ada"
        assert user.id_claims["aud"] == client_id
        assert user.access_claims["client_id"] == client_id
        assert user.token_type == "Bearer"
        sub = user.id_claims["sub"]
        first = (user.access_token, user.id_token, user.refresh_token)
        assert user.check_token() is False  # renew=True, but nothing has expired yet
        assert user.access_token == first[0]

        frozen.move_to(START + datetime.timedelta(hours=2))
        assert user.check_token(renew=True) is True
        assert cognito_mock.calls[-1].operation == "InitiateAuth"  # REFRESH_TOKEN_AUTH
        assert user.access_token != first[0] and user.id_token != first[1]
        assert user.refresh_token == first[2]  # a refresh returns no new refresh token
        renewed_at = int((START + datetime.timedelta(hours=2)).timestamp())
        assert user.access_claims["iat"] == renewed_at
        assert user.access_claims["auth_time"] == int(START.timestamp())
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            cognito_idp.get_user(AccessToken=first[0])
        assert error_of(raised) == ("NotAuthorizedException", "Access Token has expired")

        profile = user.get_user(attr_map={"given_name": "first_name", "custom:team": "team"})
        assert profile.username == "ada"
        assert profile.sub == sub
        assert profile.email_verified is True  # pycognito turns "true" into a bool
        assert (profile.first_name, profile.team, profile.email) == (
            "Ada",
            "engines",
            "ada@example.com",
        )
        assert profile.access_token == user.access_token

        renewed_access, refresh_token = user.access_token, user.refresh_token
        user.logout()
        assert cognito_mock.calls[-1].operation == "GlobalSignOut"
        assert (user.access_token, user.id_token, user.refresh_token) == (None, None, None)
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            cognito_idp.get_user(AccessToken=renewed_access)
        assert error_of(raised) == ("NotAuthorizedException", "Access Token has been revoked")

        user.refresh_token = refresh_token  # an app that kept the token tries it again
        with pytest.raises(user.client.exceptions.NotAuthorizedException) as raised:
            user.renew_access_token()
        assert error_of(raised) == ("NotAuthorizedException", "Refresh Token has been revoked")
        assert user.access_token is None


def test_a_tampered_token_fails_pycognito_verification(cognito_idp, pool_id):
    from pycognito.exceptions import TokenVerificationException

    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id)
    user = signed_in(pool_id, client_id)
    header, payload, signature = user.id_token.split(".")
    user.id_token = f"{header}.{payload}.{signature[:-4]}AAAA"
    with pytest.raises(TokenVerificationException, match="Signature verification failed"):
        user.verify_tokens()


@pytest.mark.parametrize(
    ("validity", "unit", "lifetime"),
    [
        (60, "minutes", datetime.timedelta(minutes=60)),
        (2, "days", datetime.timedelta(days=2)),
    ],
    ids=["minutes", "days"],
)
def test_the_refresh_token_expires_in_its_unit(cognito_idp, pool_id, validity, unit, lifetime):
    client_id = make_client(
        cognito_idp,
        pool_id,
        RefreshTokenValidity=validity,
        AccessTokenValidity=5,
        IdTokenValidity=5,
        TokenValidityUnits={"RefreshToken": unit, "AccessToken": "minutes", "IdToken": "minutes"},
    )
    make_user(cognito_idp, pool_id)
    with freeze_time(START) as frozen:
        user = signed_in(pool_id, client_id)
        assert user.access_claims["exp"] - user.access_claims["iat"] == 300

        frozen.move_to(START + lifetime - datetime.timedelta(minutes=1))
        assert user.check_token(renew=True) is True
        assert user.access_claims["iat"] == int((START + lifetime).timestamp()) - 60

        frozen.move_to(START + lifetime + datetime.timedelta(minutes=1))
        with pytest.raises(user.client.exceptions.NotAuthorizedException) as raised:
            user.renew_access_token()
        assert error_of(raised) == ("NotAuthorizedException", "Refresh Token has expired")


def new_password_required(cognito_idp, pool_id: str, client_id: str) -> str:
    """An invited user's first sign-in: the NEW_PASSWORD_REQUIRED challenge's session."""
    cognito_idp.admin_create_user(
        UserPoolId=pool_id, Username="grace", TemporaryPassword=TEMPORARY, MessageAction="SUPPRESS"
    )
    challenge = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "grace", "PASSWORD": TEMPORARY},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    return challenge["Session"]


def answer(cognito_idp, pool_id: str, client_id: str, session: str) -> dict:
    return cognito_idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses={"USERNAME": "grace", "NEW_PASSWORD": PASSWORD},
    )


def test_a_challenge_session_lasts_auth_session_validity_minutes(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, AuthSessionValidity=15)
    with freeze_time(START) as frozen:
        expiring = new_password_required(cognito_idp, pool_id, client_id)
        frozen.move_to(START + datetime.timedelta(minutes=15, seconds=1))
        with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
            answer(cognito_idp, pool_id, client_id, expiring)
        assert error_of(raised) == (
            "NotAuthorizedException",
            "Invalid session for the user, session is expired.",
        )
        status = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="grace")["UserStatus"]
        assert status == "FORCE_CHANGE_PASSWORD"

        # A session opened now and answered 14 minutes later, past the default 3, still works.
        lasting = cognito_idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "grace", "PASSWORD": TEMPORARY},
        )["Session"]
        frozen.tick(datetime.timedelta(minutes=14))
        result = answer(cognito_idp, pool_id, client_id, lasting)["AuthenticationResult"]
        assert cognito_idp.get_user(AccessToken=result["AccessToken"])["Username"] == "grace"
