"""The hosted pages around signing in: sign-up and its confirmation, forgotten passwords, each
running the API operation of the same name, as a browser would post them (requests)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from support.hosted import AUTHORIZE_URL, BASE, CALLBACK, PASSWORD
from support.html_forms import error_messages, forms

NEW_PASSWORD = "Brand-new-pass-2"


@pytest.fixture
def verifying_pool(cognito_idp, hosted) -> None:
    cognito_idp.update_user_pool(UserPoolId=hosted.pool_id, AutoVerifiedAttributes=["email"])


def page_url(path: str, client_id: str) -> str:
    return f"{BASE}{path}?response_type=code&client_id={client_id}&redirect_uri={CALLBACK}"


def post_form(browser: requests.Session, page: requests.Response, **fields):
    (form,) = forms(page.text)
    return browser.post(form.action, data={**form.fields, **fields}, allow_redirects=False)


def test_signing_up_confirming_and_signing_in(cognito_idp, cognito_mock, hosted, verifying_pool):
    events = []
    arn = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"
    cognito_mock.register_lambda(arn, lambda event, context: events.append(event) or event)
    cognito_idp.update_user_pool(
        UserPoolId=hosted.pool_id, AutoVerifiedAttributes=["email"], LambdaConfig={"PreSignUp": arn}
    )
    with requests.Session() as browser:
        login = browser.get(page_url("/login", hosted.web.client_id))
        sign_up_link = next(
            part.split('"')[0] for part in login.text.split('href="')[1:] if "/signup?" in part
        )
        page = browser.get(sign_up_link.replace("&amp;", "&"))
        assert {"username", "password", "email"} <= set(forms(page.text)[0].fields)
        weak = post_form(browser, page, username="grace", password="short", email="g@example.com")
        assert error_messages(weak.text) == [
            "Password did not conform with policy: Password not long enough"
        ]
        to_confirm = post_form(
            browser, weak, username="grace", password=PASSWORD, email="grace@example.com"
        )
        assert urlsplit(to_confirm.headers["Location"]).path == "/confirm"
        assert events[0]["triggerSource"] == "PreSignUp_SignUp"
        confirm_page = browser.get(to_confirm.headers["Location"])
        wrong = post_form(browser, confirm_page, confirmation_code="000000")
        assert error_messages(wrong.text) == [
            "Invalid verification code provided, please try again."
        ]
        code = cognito_mock.last_code(hosted.pool_id, "grace")
        to_login = post_form(browser, wrong, confirmation_code=code)
        login_page = browser.get(to_login.headers["Location"])
        assert "Your account is confirmed. Sign in to continue." in login_page.text
        back = post_form(browser, login_page, username="grace", password=PASSWORD)
    assert back.headers["Location"].startswith(f"{CALLBACK}?code=")
    user = cognito_idp.admin_get_user(UserPoolId=hosted.pool_id, Username="grace")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]


def test_a_forgotten_password_is_reset_with_the_emailed_code(
    cognito_idp, cognito_mock, hosted, verifying_pool
):
    cognito_idp.admin_update_user_attributes(
        UserPoolId=hosted.pool_id,
        Username="ada",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    with requests.Session() as browser:
        page = browser.get(page_url("/forgotPassword", hosted.web.client_id))
        to_reset = post_form(browser, page, username="ada")
        reset_page = browser.get(to_reset.headers["Location"])
        mismatch = post_form(
            browser, reset_page, code="123456", password=NEW_PASSWORD, confirmPassword="other"
        )
        assert error_messages(mismatch.text) == ["Passwords do not match."]
        code = cognito_mock.last_code(hosted.pool_id, "ada")
        to_login = post_form(
            browser, mismatch, code=code, password=NEW_PASSWORD, confirmPassword=NEW_PASSWORD
        )
        assert urlsplit(to_login.headers["Location"]).path == "/login"
    assert cognito_mock.authorization_code(hosted.web.client_id, "ada", NEW_PASSWORD)


def test_prompt_none_without_a_session_is_login_required(hosted):
    answer = requests.get(
        AUTHORIZE_URL,
        params={
            "response_type": "code",
            "client_id": hosted.web.client_id,
            "redirect_uri": CALLBACK,
            "prompt": "none",
            "state": "p",
        },
        allow_redirects=False,
    )
    location = urlsplit(answer.headers["Location"])
    assert parse_qs(location.query) == {"error": ["login_required"], "state": ["p"]}
