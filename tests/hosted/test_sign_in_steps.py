"""The follow-on steps of the hosted sign-in: a new password for a user created with a
temporary one, a TOTP code (from pyotp, as an authenticator app computes it), and setting up
an authenticator when the pool requires MFA."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pyotp
import requests
from freezegun import freeze_time
from support.hosted import AUTHORIZE_URL, CALLBACK, PASSWORD
from support.html_forms import error_messages, forms

NEW_PASSWORD = "Brand-new-pass-2"


def start(browser: requests.Session, client_id: str, username: str, password: str):
    url = f"{AUTHORIZE_URL}?response_type=code&client_id={client_id}&redirect_uri={CALLBACK}"
    login = browser.get(browser.get(url, allow_redirects=False).headers["Location"])
    (form,) = forms(login.text)
    return browser.post(
        form.action,
        data={**form.fields, "username": username, "password": password},
        allow_redirects=False,
    )


def answer(browser: requests.Session, page: requests.Response, **fields):
    (form,) = forms(page.text)
    assert form.name == "cognitoChallengeForm"
    return browser.post(form.action, data={**form.fields, **fields}, allow_redirects=False)


def code_of(answer: requests.Response) -> str:
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def test_a_temporary_password_is_changed_on_the_way_in(cognito_idp, cognito_mock, hosted):
    cognito_idp.admin_create_user(
        UserPoolId=hosted.pool_id,
        Username="grace",
        TemporaryPassword="Temp-pass-123",
        MessageAction="SUPPRESS",
    )
    with requests.Session() as browser:
        page = start(browser, hosted.web.client_id, "grace", "Temp-pass-123")
        assert "Change Password" in page.text
        weak = answer(browser, page, new_password="short")
        assert error_messages(weak.text) == [
            "Password does not conform to policy: Password not long enough"
        ]
        code = code_of(answer(browser, weak, new_password=NEW_PASSWORD))
    assert code
    user = cognito_idp.admin_get_user(UserPoolId=hosted.pool_id, Username="grace")
    assert user["UserStatus"] == "CONFIRMED"
    # The new password is the one that works from now on, in the API too.
    assert cognito_mock.authorization_code(hosted.web.client_id, "grace", NEW_PASSWORD)


def enable_totp(cognito_idp, pool_id: str, mode: str) -> None:
    cognito_idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration=mode
    )


def test_an_mfa_user_enters_the_authenticator_code(cognito_idp, hosted):
    enable_totp(cognito_idp, hosted.pool_id, "OPTIONAL")
    api_client = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName="api",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    access = cognito_idp.admin_initiate_auth(
        UserPoolId=hosted.pool_id,
        ClientId=api_client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    secret = cognito_idp.associate_software_token(AccessToken=access)["SecretCode"]
    authenticator = pyotp.TOTP(secret)
    with freeze_time("2026-05-05 10:00:00") as clock:
        cognito_idp.verify_software_token(AccessToken=access, UserCode=authenticator.now())
        cognito_idp.admin_set_user_mfa_preference(
            UserPoolId=hosted.pool_id,
            Username="ada",
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
        clock.tick(60)
        with requests.Session() as browser:
            page = start(browser, hosted.web.client_id, "ada", PASSWORD)
            assert "authenticator app" in page.text
            wrong = answer(browser, page, code="000000")
            assert error_messages(wrong.text) == ["Invalid code or auth state for the user."]
            assert code_of(answer(browser, wrong, code=authenticator.now()))


def test_a_required_authenticator_is_set_up_on_the_way_in(cognito_idp, cognito_mock, hosted):
    enable_totp(cognito_idp, hosted.pool_id, "ON")
    with freeze_time("2026-05-05 10:00:00") as clock, requests.Session() as browser:
        page = start(browser, hosted.web.client_id, "ada", PASSWORD)
        assert "Set up multi-factor authentication" in page.text
        (form,) = forms(page.text)
        authenticator = pyotp.TOTP(form.fields["secret"])
        code = code_of(answer(browser, page, code=authenticator.now(), device_name="phone"))
        assert code
        clock.tick(60)
        # The next sign-in asks for the code of the authenticator just set up.
        with requests.Session() as again:
            assert "authenticator app" in start(again, hosted.web.client_id, "ada", PASSWORD).text
