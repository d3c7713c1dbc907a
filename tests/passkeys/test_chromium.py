"""A real browser's WebAuthn against the mock: chromium, with a virtual authenticator (the
DevTools WebAuthn domain), registers a passkey from StartWebAuthnRegistration's options through
``navigator.credentials.create()`` and signs the mock's sign-in challenge through
``navigator.credentials.get()``; the mock (python-fido2) takes both, as it takes the software
authenticator's answers.

The page is ``https://auth.example.com/``, the pool's relying party, answered by Playwright's
request interception: nothing leaves the machine, and the page is a secure context as WebAuthn
requires. Debian's chromium, as in tests/browser/test_chromium_sign_in.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from support.errors import error_of
from support.model import requires_operation
from support.passkeys import RP_ID, listed

from pytest_cognito_mock.backend import passkeys
from pytest_cognito_mock.backend.errors import NotAuthorizedException

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt-get install chromium)"),
    requires_operation("StartWebAuthnRegistration"),
]
sync_api = pytest.importorskip("playwright.sync_api")

CREATE = """async (options) => {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
    return (await navigator.credentials.create({publicKey})).toJSON();
}"""
GET = """async (options) => {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(options));
    return JSON.stringify((await navigator.credentials.get({publicKey})).toJSON());
}"""
#: A platform authenticator that verifies its user and needs no touch.
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


@pytest.fixture(scope="module")
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


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A page of the relying party's site, in a fresh context with a virtual authenticator."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(
            f"https://{RP_ID}/**",
            lambda route: route.fulfill(
                status=200, content_type="text/html", body="<!doctype html><title>app</title>"
            ),
        )
        page.goto(f"https://{RP_ID}/")
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        devtools.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
        yield page
    finally:
        context.close()


def test_chromium_registers_a_passkey_and_signs_in_with_it(
    cognito_idp, cognito_mock, pool_id, access_token, page
):
    options = cognito_idp.start_web_authn_registration(AccessToken=access_token)
    credential = page.evaluate(CREATE, options["CredentialCreationOptions"])
    cognito_idp.complete_web_authn_registration(AccessToken=access_token, Credential=credential)
    (description,) = listed(cognito_idp, access_token)
    assert description["CredentialId"] == credential["id"]
    assert description["AuthenticatorAttachment"] == "platform"
    assert description["AuthenticatorTransports"] == ["internal"]
    assert description["FriendlyCredentialName"] == "Platform passkey"

    with cognito_mock._service.transaction() as backend:
        pool = backend.pools[pool_id]
        request_options, state = passkeys.assertion_options(pool, pool.users["ada"])
    answer = page.evaluate(GET, request_options)
    with cognito_mock._service.transaction() as backend:
        pool = backend.pools[pool_id]
        passkeys.verify_assertion(pool, pool.users["ada"], answer, state)
        # The browser's answer is good once only.
        with pytest.raises(NotAuthorizedException):
            passkeys.verify_assertion(pool, pool.users["ada"], answer, state)


def test_chromium_excludes_a_registered_passkey(cognito_idp, access_token, page):
    first = cognito_idp.start_web_authn_registration(AccessToken=access_token)
    credential = page.evaluate(CREATE, first["CredentialCreationOptions"])
    cognito_idp.complete_web_authn_registration(AccessToken=access_token, Credential=credential)
    again = cognito_idp.start_web_authn_registration(AccessToken=access_token)
    with pytest.raises(sync_api.Error, match=r"InvalidStateError"):
        page.evaluate(CREATE, again["CredentialCreationOptions"])
    assert len(listed(cognito_idp, access_token)) == 1


def test_chromium_on_another_site_is_refused(cognito_idp, access_token, page):
    """Chromium refuses a relying party the page's origin does not belong to (SecurityError);
    one it allows, the page's parent domain, is not the pool's, and the mock refuses that."""
    options = cognito_idp.start_web_authn_registration(AccessToken=access_token)
    foreign = {**options["CredentialCreationOptions"], "rp": {"id": "example.org", "name": "x"}}
    with pytest.raises(sync_api.Error, match=r"SecurityError"):
        page.evaluate(CREATE, foreign)
    parent = {**options["CredentialCreationOptions"], "rp": {"id": "example.com", "name": "x"}}
    credential = page.evaluate(CREATE, parent)
    with pytest.raises(cognito_idp.exceptions.WebAuthnRelyingPartyMismatchException) as raised:
        cognito_idp.complete_web_authn_registration(AccessToken=access_token, Credential=credential)
    assert error_of(raised)[1] == passkeys.RELYING_PARTY_MISMATCH
