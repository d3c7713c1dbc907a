"""A real browser signs in through the hosted pages into the example web app.

Debian's chromium, driven by Playwright (its own browser download cannot be fetched here, so it
is pointed at the system binary). The web app (examples/hosted_ui/webapp.py) runs on loopback
with one setting changed for the test, its Cognito domain URL, which ``loopback_url`` gives;
the browser talks to loopback only.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs chromium (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DOMAIN = "https://shop.auth.us-east-1.amazoncognito.com"
PASSWORD = "Corr3ct-horse-battery!"


def _load_webapp():
    spec = importlib.util.spec_from_file_location(
        "hosted_ui_webapp", EXAMPLES / "hosted_ui" / "webapp.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--no-first-run"],
        )
        try:
            yield launched
        finally:
            launched.close()


class _Server:
    """A loopback port, bound first (the app's callback URL needs it), then serving a WSGI app
    in a thread for the test's duration."""

    def __init__(self) -> None:
        self._server = make_server("127.0.0.1", 0, None, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def serving(self, app) -> _Server:
        self._server.app = app
        return self

    def __enter__(self) -> _Server:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()


def _web_app(cognito_idp, cognito_mock, webapp, pool: str, server: _Server, providers: list[str]):
    """The example web app, its client registered for the server's callback, its one switch
    (the domain URL) pointed at the loopback endpoint."""
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="shop-web",
        GenerateSecret=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[f"{server.url}/callback"],
        LogoutURLs=[f"{server.url}/"],
        SupportedIdentityProviders=providers,
    )["UserPoolClient"]
    settings = webapp.CognitoSettings(
        domain_url=cognito_mock.loopback_url(DOMAIN).rstrip("/"),
        region="us-east-1",
        user_pool_id=pool,
        client_id=client["ClientId"],
        client_secret=client["ClientSecret"],
        redirect_uri=f"{server.url}/callback",
        signed_out_uri=f"{server.url}/",
    )
    return webapp.create_app(settings)


def test_a_user_signs_in_with_a_real_browser(cognito_idp, cognito_mock, browser):
    webapp = _load_webapp()
    pool = cognito_idp.create_user_pool(PoolName="shop")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool, Domain="shop")
    cognito_idp.admin_create_user(UserPoolId=pool, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool, Username="ada", Password=PASSWORD, Permanent=True
    )
    server = _Server()
    app = _web_app(cognito_idp, cognito_mock, webapp, pool, server, ["COGNITO"])
    with server.serving(app):
        page = browser.new_page()
        page.goto(server.url)
        page.click("#sign-in")
        page.wait_for_selector("form[name=cognitoSignInForm]")
        assert page.url.startswith(cognito_mock.endpoint_url)
        page.fill("input[name=username]", "ada")
        page.fill("input[name=password]", "wrong-one")
        page.click("input[name=signInSubmitButton]")
        assert page.inner_text(".errorMessage-customizable") == "Incorrect username or password."
        page.fill("input[name=password]", PASSWORD)
        page.click("input[name=signInSubmitButton]")
        page.wait_for_selector("#greeting")
        assert page.inner_text("#greeting") == "Hello ada"
        # Signing out goes through Cognito's /logout and back; signing in again shows the form.
        page.click("text=Sign out")
        page.wait_for_selector("#sign-in")
        page.click("#sign-in")
        page.wait_for_selector("form[name=cognitoSignInForm]")


SAML_METADATA = """<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sso.example.com">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://sso.example.com/sso"/>
  </IDPSSODescriptor>
</EntityDescriptor>"""


def test_a_user_signs_in_through_a_saml_provider_in_a_real_browser(
    cognito_idp, cognito_mock, browser
):
    """The sign-in page's "Continue with" link, the provider's page, its auto-posting SAML
    form (run by the browser's own script engine) and Cognito's /saml2/idpresponse."""
    webapp = _load_webapp()
    pool = cognito_idp.create_user_pool(PoolName="shop")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool, Domain="shop")
    cognito_idp.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": SAML_METADATA},
        AttributeMapping={"email": "email"},
    )
    cognito_mock.external_user("Okta", "lin", {"email": "lin@corp.example"})
    server = _Server()
    app = _web_app(cognito_idp, cognito_mock, webapp, pool, server, ["COGNITO", "Okta"])
    with server.serving(app):
        page = browser.new_page()
        page.goto(server.url)
        page.click("#sign-in")
        page.click("text=Continue with Okta")
        page.click("text=lin@corp.example")
        page.wait_for_selector("#greeting")
        assert page.inner_text("#greeting") == "Hello Okta_lin"
