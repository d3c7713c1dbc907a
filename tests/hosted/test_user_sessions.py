"""Session management through the hosted pages: a browser sign-in opens an SSO session, the
token sessions issued through it name it as their origin, each app client reuses it for its
MaxValidityMinutes, and revoking one side can take the linked ones with it. The browser is
requests; the app exchanges its code with requests-oauthlib."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from freezegun import freeze_time
from requests_oauthlib import OAuth2Session
from support.errors import refused
from support.hosted import AUTHORIZE_URL, BASE, CALLBACK, PASSWORD, SIGNED_OUT, TOKEN_URL
from support.html_forms import forms
from support.model import requires_member, requires_operation

pytestmark = [
    requires_operation("SetUserPoolSessionConfiguration"),
    requires_operation("SetUserPoolClientSessionConfiguration"),
    requires_operation("AdminListUserSessions"),
    requires_operation("AdminRevokeUserSession"),
]

SSO_SESSION_ID = re.compile(r"^sso[a-z0-9]{25}$")
NOON = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def tracked(cognito_idp, hosted):
    cognito_idp.set_user_pool_session_configuration(
        UserPoolId=hosted.pool_id,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": 20},
    )
    return hosted


@pytest.fixture
def browser():
    with requests.Session() as session:
        session.headers["User-Agent"] = FIREFOX
        yield session


def authorize(browser: requests.Session, client_id: str, response_type: str = "code") -> str:
    """The Location the authorize endpoint answers for ``client_id``."""
    answer = browser.get(
        AUTHORIZE_URL,
        params={"response_type": response_type, "client_id": client_id, "redirect_uri": CALLBACK},
        allow_redirects=False,
    )
    return answer.headers["Location"]


def sign_in_on_the_form(browser: requests.Session, client_id: str) -> str:
    """The code of a sign-in on the form."""
    login = browser.get(authorize(browser, client_id), allow_redirects=False)
    (form,) = forms(login.text)
    back = browser.post(
        form.action,
        data={**form.fields, "username": "ada", "password": PASSWORD},
        allow_redirects=False,
    )
    return code_in(back.headers["Location"])


def code_in(location: str) -> str:
    assert location.startswith(CALLBACK), location
    return parse_qs(urlsplit(location).query)["code"][0]


def exchange(client, code: str) -> dict:
    """The app's side: requests-oauthlib at the token endpoint."""
    app = OAuth2Session(client.client_id, redirect_uri=CALLBACK)
    return app.fetch_token(
        TOKEN_URL, code=code, client_secret=client.secret, include_client_id=client.secret is None
    )


def listed(cognito_idp, hosted) -> list[dict]:
    return cognito_idp.admin_list_user_sessions(UserPoolId=hosted.pool_id, Username="ada")[
        "Sessions"
    ]


def by_type(sessions: list[dict]) -> tuple[list[dict], list[dict]]:
    sso = [s for s in sessions if s["SessionType"] == "SSO"]
    return sso, [s for s in sessions if s["SessionType"] == "TOKEN"]


def refresh_refused(client, token: dict) -> bool:
    answer = requests.post(
        TOKEN_URL,
        data={
            "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"],
            "client_id": client.client_id,
        },
        auth=(client.client_id, client.secret) if client.secret else None,
    )
    return answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_a_browser_sign_in_opens_an_sso_session_and_its_token_sessions_come_from_it(
    cognito_idp, tracked, browser
):
    with freeze_time(NOON) as clock:
        web_tokens = exchange(tracked.web, sign_in_on_the_form(browser, tracked.web.client_id))
        clock.tick(120)
        # Another app client of the pool: the browser session signs the user in silently.
        spa_code = code_in(authorize(browser, tracked.spa.client_id))
        exchange(tracked.spa, spa_code)
        sessions = listed(cognito_idp, tracked)
    (sso,), tokens = by_type(sessions)
    assert SSO_SESSION_ID.match(sso["SessionId"])
    assert sso == {
        "SessionId": sso["SessionId"],
        "SessionType": "SSO",
        "ClientId": tracked.web.client_id,
        "CreateDate": NOON,
        "LastActiveDate": NOON + timedelta(seconds=120),  # the silent token grant
        "DeviceType": "Firefox on Linux",
        "IsCurrentSession": False,
    }
    assert [(t["ClientId"], t["OriginSessionId"], t["DeviceType"]) for t in tokens] == [
        (tracked.web.client_id, sso["SessionId"], "Firefox on Linux"),
        (tracked.spa.client_id, sso["SessionId"], "Firefox on Linux"),
    ]
    assert web_tokens["refresh_token"]


def test_an_api_style_sign_in_has_no_origin_session(cognito_idp, cognito_mock, tracked):
    exchange(tracked.web, cognito_mock.authorization_code(tracked.web.client_id, "ada", PASSWORD))
    (token,) = listed(cognito_idp, tracked)
    assert token["SessionType"] == "TOKEN"
    assert "OriginSessionId" not in token


def test_revoking_the_sso_session_linked_ends_everything_that_came_through_it(
    cognito_idp, tracked, browser
):
    web = exchange(tracked.web, sign_in_on_the_form(browser, tracked.web.client_id))
    spa = exchange(tracked.spa, code_in(authorize(browser, tracked.spa.client_id)))
    (sso,), _ = by_type(listed(cognito_idp, tracked))
    cognito_idp.admin_revoke_user_session(
        UserPoolId=tracked.pool_id,
        Username="ada",
        SessionId=sso["SessionId"],
        RevokeAssociatedSessions="LINKED",
    )
    assert listed(cognito_idp, tracked) == []
    assert refresh_refused(tracked.web, web)
    assert refresh_refused(tracked.spa, spa)
    # The browser's cookie no longer signs anyone in.
    assert "/login?" in authorize(browser, tracked.web.client_id)


def test_revoking_only_the_sso_session_leaves_its_token_sessions(cognito_idp, tracked, browser):
    web = exchange(tracked.web, sign_in_on_the_form(browser, tracked.web.client_id))
    (sso,), (token,) = by_type(listed(cognito_idp, tracked))
    cognito_idp.admin_revoke_user_session(
        UserPoolId=tracked.pool_id, Username="ada", SessionId=sso["SessionId"]
    )
    assert listed(cognito_idp, tracked) == [token]
    assert not refresh_refused(tracked.web, web)
    assert "/login?" in authorize(browser, tracked.web.client_id)


def test_revoking_a_token_session_linked_ends_its_parent_only(cognito_idp, tracked, browser):
    web = exchange(tracked.web, sign_in_on_the_form(browser, tracked.web.client_id))
    spa = exchange(tracked.spa, code_in(authorize(browser, tracked.spa.client_id)))
    _, (web_session, spa_session) = by_type(listed(cognito_idp, tracked))
    cognito_idp.admin_revoke_user_session(
        UserPoolId=tracked.pool_id,
        Username="ada",
        SessionId=web_session["SessionId"],
        RevokeAssociatedSessions="LINKED",
    )
    assert listed(cognito_idp, tracked) == [spa_session]
    assert refresh_refused(tracked.web, web)
    assert not refresh_refused(tracked.spa, spa)


@requires_member("RevokeToken", "RevokeAssociatedSessions")
def test_revoke_token_linked_ends_the_parent_sso_session_not_its_siblings(
    cognito_idp, tracked, browser
):
    web = exchange(tracked.web, sign_in_on_the_form(browser, tracked.web.client_id))
    spa = exchange(tracked.spa, code_in(authorize(browser, tracked.spa.client_id)))
    cognito_idp.revoke_token(
        Token=web["refresh_token"],
        ClientId=tracked.web.client_id,
        ClientSecret=tracked.web.secret,
        RevokeAssociatedSessions="LINKED",
    )
    (left,) = listed(cognito_idp, tracked)
    assert left["ClientId"] == tracked.spa.client_id
    assert not refresh_refused(tracked.spa, spa)
    assert "/login?" in authorize(browser, tracked.web.client_id)


def test_each_client_reuses_the_browser_session_for_its_own_minutes(cognito_idp, tracked, browser):
    cognito_idp.set_user_pool_client_session_configuration(
        UserPoolId=tracked.pool_id,
        ClientId=tracked.web.client_id,
        SSOSession={"MaxValidityMinutes": 180},
    )
    cognito_idp.set_user_pool_client_session_configuration(
        UserPoolId=tracked.pool_id,
        ClientId=tracked.spa.client_id,
        SSOSession={"MaxValidityMinutes": 0},
    )
    with freeze_time(NOON) as clock:
        sign_in_on_the_form(browser, tracked.web.client_id)
        assert "/login?" in authorize(browser, tracked.spa.client_id)  # 0: never reused
        clock.tick(timedelta(minutes=120))  # past the hosted UI's hour: within web's 180
        assert authorize(browser, tracked.web.client_id).startswith(CALLBACK)
        clock.tick(timedelta(minutes=60))
        assert "/login?" in authorize(browser, tracked.web.client_id)


def test_without_tracking_the_session_keeps_the_hosted_ui_hour(cognito_idp, hosted, browser):
    with freeze_time(NOON) as clock:
        sign_in_on_the_form(browser, hosted.web.client_id)
        clock.tick(3599)
        assert authorize(browser, hosted.spa.client_id).startswith(CALLBACK)
        clock.tick(2)
        assert "/login?" in authorize(browser, hosted.spa.client_id)


def test_signing_in_again_in_the_same_browser_keeps_one_sso_session(cognito_idp, tracked, browser):
    with freeze_time(NOON) as clock:
        sign_in_on_the_form(browser, tracked.web.client_id)
        clock.tick(600)
        login = browser.get(
            AUTHORIZE_URL,
            params={
                "response_type": "code",
                "client_id": tracked.web.client_id,
                "redirect_uri": CALLBACK,
                "prompt": "login",
            },
            allow_redirects=False,
        ).headers["Location"]
        (form,) = forms(browser.get(login).text)
        back = browser.post(
            form.action,
            data={**form.fields, "username": "ada", "password": PASSWORD},
            allow_redirects=False,
        )
        code_in(back.headers["Location"])
        (sso,), tokens = by_type(listed(cognito_idp, tracked))
    assert (sso["CreateDate"], sso["LastActiveDate"]) == (NOON, NOON + timedelta(seconds=600))
    assert len(tokens) == 2


def test_logging_out_ends_the_sso_session(cognito_idp, tracked, browser):
    sign_in_on_the_form(browser, tracked.web.client_id)
    browser.get(
        f"{BASE}/logout",
        params={"client_id": tracked.web.client_id, "logout_uri": SIGNED_OUT},
        allow_redirects=False,
    )
    sso, _ = by_type(listed(cognito_idp, tracked))
    assert sso == []


def test_the_implicit_grant_opens_no_token_session(cognito_idp, tracked, browser):
    sign_in_on_the_form(browser, tracked.web.client_id)
    fragment = urlsplit(authorize(browser, tracked.web.client_id, "token")).fragment
    assert "access_token" in parse_qs(fragment)
    sso, tokens = by_type(listed(cognito_idp, tracked))
    assert (len(sso), len(tokens)) == (1, 1)  # the code sign-in's only


def test_a_hosted_access_token_lacks_the_scope_to_list_sessions(cognito_idp, tracked, browser):
    web = exchange(tracked.web, sign_in_on_the_form(browser, tracked.web.client_id))
    refused(
        cognito_idp.list_user_sessions,
        "NotAuthorizedException",
        "Access Token does not have required scopes",
        AccessToken=web["access_token"],
    )
