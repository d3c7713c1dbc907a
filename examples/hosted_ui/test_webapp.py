"""The web app's sign-in, through the hosted pages in process: Flask's test client plays the
app's side, requests the browser's (the pages are served at the real domain URL)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests

from hosted_ui.conftest import DOMAIN_URL, PASSWORD, web_settings
from hosted_ui.webapp import create_app

APP_URL = "http://localhost:5000"


class _SignInForm(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action, self.fields = "", {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form":
            self.action = found["action"]
        elif tag == "input" and "name" in found:
            self.fields[found["name"]] = found.get("value") or ""


def sign_in(cognito_idp, pool_id, password=PASSWORD):
    app = create_app(web_settings(cognito_idp, pool_id, APP_URL, DOMAIN_URL))
    app_client = app.test_client()
    authorize = app_client.get("/login").headers["Location"]
    with requests.Session() as browser:
        login_page = browser.get(authorize)  # follows to the sign-in form
        form = _SignInForm()
        form.feed(login_page.text)
        back = browser.post(
            form.action,
            data={**form.fields, "username": "ada", "password": password},
            allow_redirects=False,
        )
    return app_client, back


def test_a_user_signs_in_and_is_greeted(cognito_idp, pool_id):
    app_client, back = sign_in(cognito_idp, pool_id)
    callback = urlsplit(back.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}" == APP_URL
    home = app_client.get(f"{callback.path}?{callback.query}", follow_redirects=True)
    assert "Hello ada" in home.get_data(as_text=True)


def test_a_wrong_password_keeps_the_user_on_the_form(cognito_idp, pool_id):
    _, back = sign_in(cognito_idp, pool_id, password="wrong")
    assert back.status_code == 200
    assert "Incorrect username or password." in back.text


def test_signing_out_goes_through_cognito_back_to_the_app(cognito_idp, pool_id):
    app_client, back = sign_in(cognito_idp, pool_id)
    callback = urlsplit(back.headers["Location"])
    app_client.get(f"{callback.path}?{callback.query}")
    bye = app_client.get("/logout").headers["Location"]
    assert requests.get(bye, allow_redirects=False).headers["Location"] == f"{APP_URL}/"
    assert "Sign in" in app_client.get("/").get_data(as_text=True)
