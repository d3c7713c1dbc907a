"""The login service against the plugin's Cognito: password and passwordless sign-in, refresh,
and token verification with PyJWT fetching the pool's JWKS over HTTPS (answered in process).

The pool is made here as the infrastructure code would make it, its Lambda functions named by
ARN; ``cognito_mock.register_lambda`` runs the team's handlers from ``triggers.py`` for them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time

from login_service import triggers
from login_service.service import LoginService

EMAIL = "ada@example.com"
PASSWORD = "Corr3ct-horse-battery!"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:login-{}"
HANDLERS = {
    "DefineAuthChallenge": triggers.define_auth_challenge,
    "CreateAuthChallenge": triggers.create_auth_challenge,
    "VerifyAuthChallengeResponse": triggers.verify_auth_challenge_response,
}
#: Server-side password sign-in, one-time codes, refresh.
AUTH_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture(autouse=True)
def empty_outbox():
    triggers.OUTBOX.clear()
    yield
    triggers.OUTBOX.clear()


@pytest.fixture
def pool_id(cognito_idp, cognito_mock) -> str:
    for trigger, handler in HANDLERS.items():
        cognito_mock.register_lambda(FUNCTION.format(trigger), handler)
    pool_id = cognito_idp.create_user_pool(
        PoolName="customers",
        UsernameAttributes=["email"],
        LambdaConfig={trigger: FUNCTION.format(trigger) for trigger in HANDLERS},
    )["UserPool"]["Id"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=EMAIL,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": EMAIL},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=EMAIL, Password=PASSWORD, Permanent=True
    )
    return pool_id


def make_client(cognito_idp, pool_id: str, flows: list[str]) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web-backend",
        ExplicitAuthFlows=flows,
        PreventUserExistenceErrors="ENABLED",
        AccessTokenValidity=15,
        TokenValidityUnits={"AccessToken": "minutes"},
    )["UserPoolClient"]["ClientId"]


@pytest.fixture
def service(cognito_idp, pool_id) -> LoginService:
    return LoginService(pool_id, make_client(cognito_idp, pool_id, AUTH_FLOWS))


def bearer(response) -> str:
    return f"Bearer {response.body['access_token']}"


def test_login_returns_tokens_the_service_can_verify(service, cognito_idp, pool_id):
    response = service.login(EMAIL, PASSWORD)

    assert response.status == 200
    assert set(response.body) == {"id_token", "access_token", "refresh_token", "expires_in"}
    assert response.body["expires_in"] == 15 * 60
    id_claims = service.verify(response.body["id_token"], token_use="id")
    sub = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=EMAIL)["Username"]
    assert id_claims["email"] == EMAIL
    assert id_claims["email_verified"] is True
    assert id_claims["cognito:username"] == sub  # email sign-in: the username is the sub
    assert id_claims["aud"] == service.client_id
    assert service.profile(bearer(response)).body == {"sub": sub, "username": sub}


def test_a_wrong_password_is_cognitos_own_refusal(service):
    response = service.login(EMAIL, "not-the-Passw0rd")

    assert response.status == 401
    assert response.body == {
        "error": "NotAuthorizedException",
        "message": "Incorrect username or password.",
    }
    # The client hides which accounts exist: an unknown email gets the same answer.
    assert service.login("nobody@example.com", PASSWORD).body == response.body


def test_refresh_gives_new_tokens_for_the_same_sign_in(service):
    signed_in = service.login(EMAIL, PASSWORD)

    refreshed = service.refresh(signed_in.body["refresh_token"])

    assert refreshed.status == 200
    assert "refresh_token" not in refreshed.body  # the original one stays in use
    before = service.verify(signed_in.body["access_token"], token_use="access")
    after = service.verify(refreshed.body["access_token"], token_use="access")
    assert after["jti"] != before["jti"]
    assert after["auth_time"] == before["auth_time"]
    assert service.refresh("not-a-refresh-token").body["message"] == "Invalid Refresh Token."


def test_an_expired_access_token_is_rejected_until_refreshed(service):
    with freeze_time("2030-01-01 09:00:00") as clock:
        signed_in = service.login(EMAIL, PASSWORD)
        clock.tick(timedelta(minutes=14))
        assert service.profile(bearer(signed_in)).status == 200

        clock.tick(timedelta(minutes=1))
        assert service.profile(bearer(signed_in)).body == {"error": "TokenExpired"}

        refreshed = service.refresh(signed_in.body["refresh_token"])
        assert service.profile(bearer(refreshed)).status == 200


def test_a_tampered_token_is_invalid(service):
    token = service.login(EMAIL, PASSWORD).body["access_token"]
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"

    assert service.profile(f"Bearer {forged}").body == {"error": "InvalidToken"}
    # An ID token is signed by the pool too, but is not an access token.
    id_token = service.login(EMAIL, PASSWORD).body["id_token"]
    assert service.profile(f"Bearer {id_token}").body == {"error": "InvalidToken"}


def test_a_one_time_code_signs_the_user_in(service):
    started = service.start_code_login(EMAIL)

    assert started.status == 200
    assert started.body["sent_to"] == "a***@example.com"
    [email] = triggers.OUTBOX[EMAIL]
    code = email.rsplit(" ", 1)[-1]
    finished = service.finish_code_login(EMAIL, started.body["session"], code)
    assert finished.status == 200
    assert service.verify(finished.body["id_token"], token_use="id")["email"] == EMAIL
    assert service.profile(bearer(finished)).status == 200


def test_a_wrong_code_can_be_corrected(service):
    started = service.start_code_login(EMAIL)
    code = triggers.OUTBOX[EMAIL][-1].rsplit(" ", 1)[-1]

    wrong = service.finish_code_login(EMAIL, started.body["session"], "not-the-code")
    assert wrong.status == 401
    assert wrong.body["error"] == "WrongCode"
    right = service.finish_code_login(EMAIL, wrong.body["session"], code)

    assert right.status == 200
    assert len(triggers.OUTBOX[EMAIL]) == 1  # the retry asked for the same code


def test_three_wrong_codes_end_the_attempt(service):
    session = service.start_code_login(EMAIL).body["session"]
    for _ in range(triggers.MAX_ATTEMPTS - 1):
        session = service.finish_code_login(EMAIL, session, "wrong").body["session"]

    failed = service.finish_code_login(EMAIL, session, "wrong")

    assert failed.status == 401
    assert failed.body == {
        "error": "NotAuthorizedException",
        "message": "Incorrect username or password.",
    }


def test_a_code_session_answers_once(service):
    started = service.start_code_login(EMAIL)
    code = triggers.OUTBOX[EMAIL][-1].rsplit(" ", 1)[-1]
    assert service.finish_code_login(EMAIL, started.body["session"], code).status == 200

    replayed = service.finish_code_login(EMAIL, started.body["session"], code)

    assert replayed.body["message"] == "Invalid session for the user."


def test_an_unknown_email_looks_the_same_but_gets_no_code(service):
    # With user existence errors hidden, Cognito runs the triggers for an unknown user too
    # (userNotFound is true in their events): the caller sees an ordinary challenge.
    started = service.start_code_login("nobody@example.com")

    assert started.status == 200
    assert started.body["sent_to"] == "n***@example.com"
    assert triggers.OUTBOX == {}
    session = started.body["session"]
    for _ in range(triggers.MAX_ATTEMPTS - 1):
        session = service.finish_code_login("nobody@example.com", session, "wrong").body["session"]
    assert service.finish_code_login("nobody@example.com", session, "wrong").status == 401


def test_a_client_without_the_password_flow_refuses_password_logins(cognito_idp, pool_id):
    client_id = make_client(cognito_idp, pool_id, ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    service = LoginService(pool_id, client_id)

    response = service.login(EMAIL, PASSWORD)

    # A misconfigured client is the server's problem, not the user's.
    assert response.status == 500
    assert response.body == {
        "error": "InvalidParameterException",
        "message": "Auth flow not enabled for this client",
    }
    assert service.start_code_login(EMAIL).status == 200
