"""The authorization-code flow: /oauth2/authorize, the /login form, the code exchange with
PKCE, refresh, userInfo, revoke and logout, in process at the real domain URLs, driven by
requests and Authlib; ID tokens checked by Authlib's OpenID Connect validation."""

from __future__ import annotations

import hashlib
from base64 import urlsafe_b64encode
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from freezegun import freeze_time
from support.hosted import (
    API,
    AUTHORIZE_URL,
    BASE,
    CALLBACK,
    PASSWORD,
    REVOKE_URL,
    SIGNED_OUT,
    TOKEN_URL,
    USERINFO_URL,
)
from support.html_forms import error_messages, forms

from pytest_cognito_mock import HostedSignInError

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/{pool}"


def challenge_of(verifier: str) -> str:
    return urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def exchange(hosted, code: str, *, client=None, **extra) -> requests.Response:
    client = client or hosted.web
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, **extra}
    auth = (client.client_id, client.secret) if client.secret else None
    if auth is None:
        data["client_id"] = client.client_id
    return requests.post(TOKEN_URL, data=data, auth=auth)


def id_claims(hosted, id_token: str, *, nonce: str | None = None, access_token: str | None = None):
    """The ID token's claims after Authlib's OpenID Connect checks (signature against the
    JWKS, iss, aud, exp, nonce, at_hash)."""
    # Imported here, where the suite's warning filters apply (authlib.jose warns on import).
    from authlib.jose import JsonWebKey
    from authlib.jose import jwt as authlib_jwt
    from authlib.oidc.core import CodeIDToken

    jwks = requests.get(f"{ISSUER.format(pool=hosted.pool_id)}/.well-known/jwks.json").json()

    claims = authlib_jwt.decode(
        id_token,
        JsonWebKey.import_key_set(jwks),
        claims_cls=CodeIDToken,
        claims_options={"iss": {"value": ISSUER.format(pool=hosted.pool_id)}},
        claims_params={
            "nonce": nonce,
            "client_id": hosted.web.client_id,
            "access_token": access_token,
        },
    )
    claims.validate()
    return claims


def test_the_code_exchanges_for_all_three_tokens(cognito_mock, hosted):
    code = cognito_mock.authorization_code(
        hosted.web.client_id, "ada", PASSWORD, scopes=["openid", "email"], nonce="n-0S6"
    )
    answer = exchange(hosted, code)
    assert answer.status_code == 200
    body = answer.json()
    assert list(body) == ["access_token", "id_token", "refresh_token", "token_type", "expires_in"]
    claims = id_claims(hosted, body["id_token"], nonce="n-0S6", access_token=body["access_token"])
    assert claims["cognito:username"] == "ada"
    assert claims["email"] == "ada@example.com"
    assert claims["email_verified"] is True
    assert "name" not in claims  # the email scope releases the email claims only
    access = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert access["scope"] == "openid email"
    assert (access["username"], access["version"], access["token_use"]) == ("ada", 2, "access")
    assert access["origin_jti"] == claims["origin_jti"]


def test_openid_alone_releases_every_readable_attribute(cognito_mock, hosted):
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD, scopes=["openid"])
    claims = id_claims(hosted, exchange(hosted, code).json()["id_token"])
    assert (claims["name"], claims["email"]) == ("Ada Lovelace", "ada@example.com")


def test_without_openid_there_is_no_id_token(cognito_mock, hosted):
    code = cognito_mock.authorization_code(
        hosted.web.client_id, "ada", PASSWORD, scopes=[f"{API}/read", "email"]
    )
    body = exchange(hosted, code).json()
    assert "id_token" not in body
    # email needs openid: dropped, so only the custom scope remains.
    assert jwt.decode(body["access_token"], options={"verify_signature": False})["scope"] == (
        f"{API}/read"
    )


def test_a_code_works_once(cognito_mock, hosted):
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)
    assert exchange(hosted, code).status_code == 200
    again = exchange(hosted, code)
    assert (again.status_code, again.json()) == (400, {"error": "invalid_grant"})


def test_a_code_lives_five_minutes(cognito_mock, hosted):
    with freeze_time("2026-01-01 12:00:00") as clock:
        fresh = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)
        stale = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)
        clock.tick(299)
        assert exchange(hosted, fresh).status_code == 200
        clock.tick(2)
        assert exchange(hosted, stale).json() == {"error": "invalid_grant"}


def test_the_exchange_must_repeat_the_redirect_uri_and_client(cognito_mock, hosted):
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)
    moved = exchange(hosted, code, redirect_uri="http://localhost:8000/cb")
    assert moved.json() == {"error": "invalid_grant"}
    other = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)
    stolen = exchange(hosted, other, client=hosted.spa)
    assert stolen.json() == {"error": "invalid_grant"}


def test_pkce_needs_the_verifier_of_the_challenge(cognito_mock, hosted):
    verifier = "x" * 43
    sign_in = {"code_challenge": challenge_of(verifier), "code_challenge_method": "S256"}
    code = cognito_mock.authorization_code(hosted.spa.client_id, "ada", PASSWORD, **sign_in)
    assert exchange(hosted, code, client=hosted.spa, code_verifier="y" * 43).json() == {
        "error": "invalid_grant"
    }
    code = cognito_mock.authorization_code(hosted.spa.client_id, "ada", PASSWORD, **sign_in)
    assert exchange(hosted, code, client=hosted.spa).json() == {"error": "invalid_grant"}
    code = cognito_mock.authorization_code(hosted.spa.client_id, "ada", PASSWORD, **sign_in)
    assert exchange(hosted, code, client=hosted.spa, code_verifier=verifier).status_code == 200


def test_the_helper_reports_what_cognito_would_refuse(cognito_mock, hosted):
    with pytest.raises(HostedSignInError) as wrong:
        cognito_mock.authorization_code(hosted.web.client_id, "ada", "not-it")
    assert (wrong.value.code, wrong.value.message) == (
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    with pytest.raises(HostedSignInError) as plain:
        cognito_mock.authorization_code(
            hosted.spa.client_id,
            "ada",
            PASSWORD,
            code_challenge="abc",
            code_challenge_method="plain",
        )
    assert plain.value.code == "invalid_request"
    with pytest.raises(HostedSignInError) as elsewhere:
        cognito_mock.authorization_code(
            hosted.web.client_id, "ada", PASSWORD, redirect_uri="https://evil.example.com/"
        )
    assert elsewhere.value.code == "redirect_mismatch"


def test_the_helper_needs_a_domain(cognito_idp, cognito_mock, hosted):
    cognito_idp.delete_user_pool_domain(UserPoolId=hosted.pool_id, Domain="my-app")
    with pytest.raises(HostedSignInError, match="has no domain"):
        cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)


# --- through the pages, as a browser would -----------------------------------------------------


def code_request(client_id: str) -> str:
    return f"{AUTHORIZE_URL}?response_type=code&client_id={client_id}&redirect_uri={CALLBACK}"


def sign_in_through_the_form(session: requests.Session, authorize_url: str, password=PASSWORD):
    """GET authorize, follow to /login, post the form; the answer to the post."""
    to_login = session.get(authorize_url, allow_redirects=False)
    assert to_login.status_code == 302
    login_page = session.get(to_login.headers["Location"])
    assert login_page.status_code == 200
    (form,) = forms(login_page.text)
    assert (form.name, form.method) == ("cognitoSignInForm", "post")
    assert {"_csrf", "username", "password", "cognitoAsfData", "signInSubmitButton"} <= set(
        form.fields
    )
    fields = {**form.fields, "username": "ada", "password": password}
    return session.post(form.action, data=fields, allow_redirects=False)


def test_authlib_signs_in_through_the_pages_with_pkce(hosted):
    with OAuth2Session(
        hosted.web.client_id,
        hosted.web.secret,
        scope="openid email profile",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
    ) as oauth:
        verifier = "v" * 64
        url, state = oauth.create_authorization_url(
            AUTHORIZE_URL, code_verifier=verifier, nonce="n1"
        )
        with requests.Session() as browser:
            back = sign_in_through_the_form(browser, url)
        assert back.status_code == 302
        location = back.headers["Location"]
        assert location.startswith(f"{CALLBACK}?code=")
        assert parse_qs(urlsplit(location).query)["state"] == [state]
        token = oauth.fetch_token(
            TOKEN_URL, authorization_response=location, code_verifier=verifier
        )
        claims = id_claims(
            hosted, token["id_token"], nonce="n1", access_token=token["access_token"]
        )
        assert claims["name"] == "Ada Lovelace"
        info = oauth.get(USERINFO_URL).json()
    assert info["username"] == "ada"
    assert info["email"] == "ada@example.com"
    assert info["sub"] == claims["sub"]


def test_a_wrong_password_shows_the_form_again_with_the_error(hosted):
    url = code_request(hosted.web.client_id)
    with requests.Session() as browser:
        page = sign_in_through_the_form(browser, url, password="nope")
    assert page.status_code == 200
    assert error_messages(page.text) == ["Incorrect username or password."]
    assert forms(page.text)[0].fields["username"] == "ada"


def test_a_post_without_the_csrf_cookie_is_refused(hosted):
    url = (
        f"{BASE}/login?response_type=code&client_id={hosted.web.client_id}&redirect_uri={CALLBACK}"
    )
    page = requests.get(url)
    (form,) = forms(page.text)
    stray = requests.post(
        form.action, data={**form.fields, "username": "ada", "password": PASSWORD}
    )
    assert stray.status_code == 403
    assert "Location" not in stray.headers


def test_the_session_cookie_skips_the_form_next_time(hosted):
    url = code_request(hosted.web.client_id)
    with requests.Session() as browser:
        first = sign_in_through_the_form(browser, url)
        assert "cognito" in browser.cookies
        again = browser.get(url, allow_redirects=False)
        assert again.headers["Location"].startswith(f"{CALLBACK}?code=")
        # The same session serves every client of the pool.
        spa = url.replace(hosted.web.client_id, hosted.spa.client_id)
        assert browser.get(spa, allow_redirects=False).headers["Location"].startswith(CALLBACK)
    assert first.headers["Location"] != again.headers["Location"]


def test_logout_clears_the_session(hosted):
    url = code_request(hosted.web.client_id)
    with requests.Session() as browser:
        sign_in_through_the_form(browser, url)
        bye = browser.get(
            f"{BASE}/logout",
            params={"client_id": hosted.web.client_id, "logout_uri": SIGNED_OUT},
            allow_redirects=False,
        )
        assert (bye.status_code, bye.headers["Location"]) == (302, SIGNED_OUT)
        assert "cognito" not in browser.cookies
        assert "/login?" in browser.get(url, allow_redirects=False).headers["Location"]
        wrong = browser.get(
            f"{BASE}/logout",
            params={"client_id": hosted.web.client_id, "logout_uri": "https://elsewhere.example"},
            allow_redirects=False,
        )
    assert wrong.headers["Location"] == (
        f"{BASE}/error?error=redirect_mismatch&client_id={hosted.web.client_id}"
    )


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"response_type": "code", "scope": "nonsense"}, "invalid_scope"),
        ({"response_type": "id_token"}, "invalid_request"),
        ({"response_type": "code", "code_challenge": "abc"}, "invalid_request"),
        (
            {"response_type": "code", "code_challenge": "abc", "code_challenge_method": "plain"},
            "invalid_request",
        ),
    ],
)
def test_authorize_errors_go_back_to_the_app(hosted, params, error):
    answer = requests.get(
        AUTHORIZE_URL,
        params={
            "client_id": hosted.web.client_id,
            "redirect_uri": CALLBACK,
            "state": "s1",
            **params,
        },
        allow_redirects=False,
    )
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    assert parse_qs(location.query) == {"error": [error], "state": ["s1"]}


def test_a_redirect_uri_the_client_lacks_shows_the_error_page(hosted):
    answer = requests.get(
        AUTHORIZE_URL,
        params={
            "client_id": hosted.web.client_id,
            "redirect_uri": CALLBACK + "/",
            "response_type": "code",
        },
    )
    assert answer.url == f"{BASE}/error?error=redirect_mismatch&client_id={hosted.web.client_id}"
    assert answer.status_code == 400
    assert "An error was encountered with the requested page." in answer.text


def test_the_implicit_flow_returns_tokens_in_the_fragment(cognito_mock, hosted):
    url = (
        f"{AUTHORIZE_URL}?response_type=token&client_id={hosted.web.client_id}"
        f"&redirect_uri={CALLBACK}&scope=openid&state=xyz"
    )
    with requests.Session() as browser:
        back = sign_in_through_the_form(browser, url)
    fragment = parse_qs(urlsplit(back.headers["Location"]).fragment)
    assert set(fragment) == {"id_token", "access_token", "token_type", "expires_in", "state"}
    assert (fragment["token_type"], fragment["state"]) == (["bearer"], ["xyz"])


# --- refresh, userInfo, revoke -----------------------------------------------------------------


@pytest.fixture
def tokens(cognito_mock, hosted) -> dict:
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD, scopes=["openid"])
    return exchange(hosted, code).json()


def refresh(hosted, refresh_token: str) -> requests.Response:
    return requests.post(
        TOKEN_URL,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(hosted.web.client_id, hosted.web.secret),
    )


def test_refreshing_gives_new_tokens_but_no_refresh_token(hosted, tokens):
    body = refresh(hosted, tokens["refresh_token"]).json()
    assert list(body) == ["access_token", "id_token", "token_type", "expires_in"]
    access = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert access["scope"] == "openid"


def test_user_info_answers_for_openid_tokens_only(cognito_idp, hosted, tokens):
    info = requests.get(USERINFO_URL, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 200
    assert info.json()["email_verified"] == "true"
    posted = requests.post(
        USERINFO_URL, headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert posted.json() == info.json()
    api_client = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName="api",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    api_token = cognito_idp.admin_initiate_auth(
        UserPoolId=hosted.pool_id,
        ClientId=api_client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    # An API sign-in's token has no openid scope: not valid here.
    refused = requests.get(USERINFO_URL, headers={"Authorization": f"Bearer {api_token}"})
    assert refused.status_code == 401
    missing = requests.get(USERINFO_URL)
    assert missing.status_code == 400
    assert missing.headers["WWW-Authenticate"] == (
        'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
    )
    bogus = requests.get(USERINFO_URL, headers={"Authorization": "Bearer abc.def.ghi"})
    assert bogus.status_code == 401
    assert bogus.headers["WWW-Authenticate"].startswith('error="invalid_token"')


def test_revoking_the_refresh_token_ends_the_family(hosted, tokens):
    answer = requests.post(
        REVOKE_URL,
        data={"token": tokens["refresh_token"]},
        auth=(hosted.web.client_id, hosted.web.secret),
    )
    assert (answer.status_code, answer.content) == (200, b"")
    assert refresh(hosted, tokens["refresh_token"]).json() == {"error": "invalid_grant"}
    info = requests.get(USERINFO_URL, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 401
    # Revoking again (or an unknown token) is not an error.
    again = requests.post(
        REVOKE_URL,
        data={"token": tokens["refresh_token"]},
        auth=(hosted.web.client_id, hosted.web.secret),
    )
    assert again.status_code == 200


def test_revoke_refusals(hosted, tokens):
    web = (hosted.web.client_id, hosted.web.secret)
    jwt_token = requests.post(REVOKE_URL, data={"token": tokens["access_token"]}, auth=web)
    assert (jwt_token.status_code, jwt_token.json()) == (400, {"error": "unsupported_token_type"})
    empty = requests.post(REVOKE_URL, data={}, auth=web)
    assert (empty.status_code, empty.json()) == (400, {"error": "invalid_request"})
    bad = requests.post(
        REVOKE_URL, data={"token": tokens["refresh_token"]}, auth=(hosted.web.client_id, "x")
    )
    assert (bad.status_code, bad.json()) == (401, {"error": "invalid_client"})


# --- the loopback endpoint, for browsers and other processes -----------------------------------


def test_the_loopback_endpoint_serves_the_same_pages(cognito_mock, hosted):
    url = cognito_mock.loopback_url(
        f"{AUTHORIZE_URL}?response_type=code&client_id={hosted.web.client_id}"
        f"&redirect_uri={CALLBACK}&scope=openid&state=loop"
    )
    endpoint = cognito_mock.endpoint_url
    assert url.startswith(f"{endpoint}/domain/my-app.auth.us-east-1.amazoncognito.com/oauth2/")
    with requests.Session() as browser:
        to_login = browser.get(url, allow_redirects=False)
        # Every link stays on the loopback endpoint.
        assert to_login.headers["Location"].startswith(f"{endpoint}/domain/")
        back = sign_in_through_the_form(browser, url)
        cookie = next(c for c in browser.cookies if c.name == "cognito")
    assert cookie.path == "/domain/my-app.auth.us-east-1.amazoncognito.com"
    assert not cookie.secure  # plain HTTP on loopback
    code = parse_qs(urlsplit(back.headers["Location"]).query)["code"][0]
    token_url = cognito_mock.loopback_url(TOKEN_URL)
    answer = requests.post(
        token_url,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(hosted.web.client_id, hosted.web.secret),
    )
    assert answer.status_code == 200
    discovery = requests.get(
        cognito_mock.loopback_url(
            f"{ISSUER.format(pool=hosted.pool_id)}/.well-known/openid-configuration"
        )
    ).json()
    assert discovery["token_endpoint"] == token_url
    assert discovery["issuer"] == ISSUER.format(pool=hosted.pool_id)


def test_loopback_url_refuses_other_hosts(cognito_mock, hosted):
    with pytest.raises(ValueError, match="neither a Cognito API URL nor"):
        cognito_mock.loopback_url("https://example.com/oauth2/token")
    unknown = requests.get(
        f"{cognito_mock.endpoint_url}/domain/nobody.auth.us-east-1.amazoncognito.com/login"
    )
    assert unknown.status_code == 404


# --- the sign-in runs the API's backend: triggers and user status --------------------------------


def test_the_hosted_sign_in_runs_the_authentication_triggers(cognito_idp, cognito_mock, hosted):
    seen = []

    def record(event, context):
        seen.append(event["triggerSource"])
        if event["triggerSource"] == "TokenGeneration_HostedAuth":
            event["response"]["claimsOverrideDetails"] = {
                "claimsToAddOrOverride": {"tenant": "acme"}
            }
        return event

    arn = "arn:aws:lambda:us-east-1:123456789012:function:auth-{}"
    for trigger in ("PreAuthentication", "PostAuthentication", "PreTokenGeneration"):
        cognito_mock.register_lambda(arn.format(trigger), record)
    cognito_idp.update_user_pool(
        UserPoolId=hosted.pool_id,
        LambdaConfig={
            trigger: arn.format(trigger)
            for trigger in ("PreAuthentication", "PostAuthentication", "PreTokenGeneration")
        },
    )
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD, scopes=["openid"])
    id_token = jwt.decode(
        exchange(hosted, code).json()["id_token"], options={"verify_signature": False}
    )
    assert id_token["tenant"] == "acme"
    assert seen == [
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
        "TokenGeneration_HostedAuth",
    ]


def test_an_unconfirmed_or_disabled_user_is_refused_on_the_form(cognito_idp, cognito_mock, hosted):
    cognito_idp.sign_up(ClientId=hosted.spa.client_id, Username="newbie", Password=PASSWORD)
    with pytest.raises(HostedSignInError) as unconfirmed:
        cognito_mock.authorization_code(hosted.web.client_id, "newbie", PASSWORD)
    assert (unconfirmed.value.code, unconfirmed.value.message) == (
        "UserNotConfirmedException",
        "User is not confirmed.",
    )
    cognito_idp.admin_disable_user(UserPoolId=hosted.pool_id, Username="ada")
    with requests.Session() as browser:
        page = sign_in_through_the_form(browser, code_request(hosted.web.client_id))
    assert error_messages(page.text) == ["User is disabled."]
