"""The hosted session's lifetime and what ends it early, logout's other forms, and what the
domain answers to requests it cannot serve."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from freezegun import freeze_time
from support.hosted import AUTHORIZE_URL, BASE, CALLBACK, PASSWORD, TOKEN_URL
from support.html_forms import forms

CODE_REQUEST = "{base}?response_type=code&client_id={client}&redirect_uri={callback}"


def code_request(hosted) -> str:
    return CODE_REQUEST.format(base=AUTHORIZE_URL, client=hosted.web.client_id, callback=CALLBACK)


def sign_in(browser: requests.Session, hosted) -> None:
    login = browser.get(
        browser.get(code_request(hosted), allow_redirects=False).headers["Location"]
    )
    (form,) = forms(login.text)
    back = browser.post(
        form.action,
        data={**form.fields, "username": "ada", "password": PASSWORD},
        allow_redirects=False,
    )
    assert back.headers["Location"].startswith(CALLBACK)


def shows_form(browser: requests.Session, hosted) -> bool:
    location = browser.get(code_request(hosted), allow_redirects=False).headers["Location"]
    return "/login?" in location


def test_the_session_lasts_one_hour(hosted):
    with freeze_time("2026-02-02 09:00:00") as clock, requests.Session() as browser:
        sign_in(browser, hosted)
        clock.tick(3599)
        assert not shows_form(browser, hosted)
        clock.tick(2)
        assert shows_form(browser, hosted)


@pytest.mark.parametrize("end", ["disable", "global_sign_out"])
def test_disabling_or_signing_out_the_user_ends_the_session(cognito_idp, hosted, end):
    with freeze_time("2026-02-02 09:00:00") as clock, requests.Session() as browser:
        sign_in(browser, hosted)
        clock.tick(5)
        if end == "disable":
            cognito_idp.admin_disable_user(UserPoolId=hosted.pool_id, Username="ada")
        else:
            cognito_idp.admin_user_global_sign_out(UserPoolId=hosted.pool_id, Username="ada")
        assert shows_form(browser, hosted)


def test_logout_with_a_redirect_uri_asks_to_sign_in_again(hosted):
    with requests.Session() as browser:
        sign_in(browser, hosted)
        bye = browser.get(
            f"{BASE}/logout",
            params={
                "client_id": hosted.web.client_id,
                "redirect_uri": CALLBACK,
                "response_type": "code",
            },
            allow_redirects=False,
        )
        assert urlsplit(bye.headers["Location"]).path == "/login"
        assert shows_form(browser, hosted)


@pytest.mark.parametrize(
    ("params", "error"),
    [({}, "invalid_request"), ({"client_id": "nobody"}, "invalid_request")],
)
def test_logout_without_what_it_needs_shows_the_error_page(hosted, params, error):
    if params.get("client_id") != "nobody":
        params = {"client_id": hosted.web.client_id}
    answer = requests.get(f"{BASE}/logout", params=params, allow_redirects=False)
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["error"] == [error]


def test_an_unknown_client_at_authorize_shows_the_error_page(hosted):
    answer = requests.get(
        AUTHORIZE_URL,
        params={"client_id": "nobody", "redirect_uri": CALLBACK, "response_type": "code"},
        allow_redirects=False,
    )
    assert answer.headers["Location"] == f"{BASE}/error?error=invalid_request&client_id=nobody"


def test_an_unknown_page_is_not_found(hosted):
    answer = requests.get(f"{BASE}/no/such/page")
    assert answer.status_code == 404
    assert "/no/such/page is not a page here." in answer.text


def test_a_browser_script_may_call_the_token_endpoint(hosted):
    preflight = requests.options(
        TOKEN_URL,
        headers={
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Headers"] == "content-type"


def test_a_public_client_sending_a_secret_is_refused(cognito_mock, hosted):
    code = cognito_mock.authorization_code(hosted.spa.client_id, "ada", PASSWORD)
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(hosted.spa.client_id, "made-up"),
    )
    assert (answer.status_code, answer.json()) == (400, {"error": "invalid_client"})


def test_a_garbled_basic_header_is_an_invalid_client(hosted):
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic %%%"},
    )
    assert (answer.status_code, answer.json()) == (400, {"error": "invalid_client"})


def test_account_pages_refuse_posts_without_their_csrf_cookie(hosted):
    for path in ("/signup", "/confirm", "/forgotPassword", "/confirmForgotPassword"):
        url = CODE_REQUEST.format(
            base=f"{BASE}{path}", client=hosted.web.client_id, callback=CALLBACK
        )
        (form,) = forms(requests.get(url).text)
        answer = requests.post(form.action, data=form.fields, allow_redirects=False)
        assert answer.status_code == 403, path
        assert "Your session has expired. Please try again." in answer.text


def test_account_pages_check_the_authorize_parameters_too(hosted):
    answer = requests.get(
        f"{BASE}/signup",
        params={"client_id": hosted.web.client_id, "redirect_uri": "https://elsewhere.example"},
        allow_redirects=False,
    )
    assert "error=redirect_mismatch" in answer.headers["Location"]
