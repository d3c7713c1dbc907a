"""Federated sign-in, the mock playing the external provider: OIDC, a social provider and SAML,
through /oauth2/authorize?identity_provider=..., the provider's page and Cognito's
/oauth2/idpresponse or /saml2/idpresponse; users made as Cognito makes them, or linked."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from support.hosted import AUTHORIZE_URL, CALLBACK, PASSWORD, TOKEN_URL
from support.html_forms import forms

SAML_METADATA = """<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sso.example.com/idp">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://sso.example.com/sso"/>
  </IDPSSODescriptor>
</EntityDescriptor>"""
EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"


@pytest.fixture
def corp(cognito_idp, hosted) -> str:
    """An OIDC provider "Corp" the web client may use."""
    cognito_idp.create_identity_provider(
        UserPoolId=hosted.pool_id,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": "corp-client",
            "client_secret": "corp-secret",
            "attributes_request_method": "GET",
            "oidc_issuer": "https://idp.example.com",
            "authorize_scopes": "openid email profile",
        },
        AttributeMapping={"email": "email", "name": "name"},
        IdpIdentifiers=["corp.example.com"],
    )
    supports(cognito_idp, hosted, ["COGNITO", "Corp"])
    return "Corp"


def supports(cognito_idp, hosted, providers: list[str]) -> None:
    current = cognito_idp.describe_user_pool_client(
        UserPoolId=hosted.pool_id, ClientId=hosted.web.client_id
    )["UserPoolClient"]
    keep = {
        k: current[k]
        for k in ("AllowedOAuthFlows", "AllowedOAuthScopes", "CallbackURLs", "LogoutURLs")
    }
    cognito_idp.update_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientId=hosted.web.client_id,
        AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=providers,
        **keep,
    )


def follow_to_app(browser: requests.Session, url: str, *, method: str = "GET", data=None):
    """Follow redirects (and the provider's auto-posting form) until the app's callback."""
    answer = browser.request(method, url, data=data, allow_redirects=False)
    for _ in range(10):
        if answer.status_code == 302:
            location = answer.headers["Location"]
            if location.startswith(CALLBACK):
                return location
            answer = browser.get(location, allow_redirects=False)
        elif answer.status_code == 200 and forms(answer.text):
            (form,) = forms(answer.text)
            answer = browser.post(form.action, data=form.fields, allow_redirects=False)
        else:
            raise AssertionError(f"stuck at {answer.status_code}: {answer.text[:300]}")
    raise AssertionError("too many steps")


def authorize(hosted, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return (
        f"{AUTHORIZE_URL}?response_type=code&client_id={hosted.web.client_id}"
        f"&redirect_uri={CALLBACK}&scope=openid+email&state=fed&{query}"
    )


def tokens_for(hosted, location: str) -> dict:
    code = parse_qs(urlsplit(location).query)["code"][0]
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(hosted.web.client_id, hosted.web.secret),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_a_first_federated_sign_in_creates_the_user_as_cognito_does(
    cognito_idp, cognito_mock, hosted, corp
):
    events = []
    arn = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"
    cognito_mock.register_lambda(arn, lambda event, context: events.append(event) or event)
    cognito_idp.update_user_pool(UserPoolId=hosted.pool_id, LambdaConfig={"PreSignUp": arn})
    cognito_mock.external_user("Corp", "u-1", {"email": "lin@corp.example", "name": "Lin"})
    with requests.Session() as browser:
        location = follow_to_app(
            browser, authorize(hosted, identity_provider="Corp", login_hint="u-1")
        )
    assert parse_qs(urlsplit(location).query)["state"] == ["fed"]
    id_token = claims(tokens_for(hosted, location)["id_token"])
    assert id_token["cognito:username"] == "Corp_u-1"
    assert id_token["email"] == "lin@corp.example"
    (identity,) = id_token["identities"]
    assert identity["userId"] == "u-1"
    assert (identity["providerName"], identity["providerType"]) == ("Corp", "OIDC")
    assert identity["primary"] == "true"
    assert id_token["cognito:groups"] == [f"{hosted.pool_id}_Corp"]
    user = cognito_idp.admin_get_user(UserPoolId=hosted.pool_id, Username="Corp_u-1")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    stored = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert json.loads(stored["identities"])[0]["providerName"] == "Corp"
    assert stored["sub"] != "u-1"
    (event,) = events
    assert event["triggerSource"] == "PreSignUp_ExternalProvider"
    assert event["userName"] == "Corp_u-1"

    # The next sign-in finds the same user, with the provider's claims applied again.
    cognito_mock.external_user("Corp", "u-1", {"email": "lin@corp.example", "name": "Lin Chen"})
    with requests.Session() as browser:
        location = follow_to_app(
            browser, authorize(hosted, identity_provider="Corp", login_hint="u-1")
        )
    again = claims(tokens_for(hosted, location)["id_token"])
    assert again["sub"] == id_token["sub"]
    user = cognito_idp.admin_get_user(UserPoolId=hosted.pool_id, Username="Corp_u-1")
    assert {"Name": "name", "Value": "Lin Chen"} in user["UserAttributes"]
    assert len(events) == 1


def test_the_providers_page_lists_its_users(cognito_mock, hosted, corp):
    cognito_mock.external_user("Corp", "u-7", {"email": "seven@corp.example"})
    with requests.Session() as browser:
        to_provider = browser.get(
            authorize(hosted, identity_provider="Corp"), allow_redirects=False
        )
        page = browser.get(to_provider.headers["Location"])
        assert "seven@corp.example" in page.text
        (form,) = forms(page.text)
        location = follow_to_app(
            browser, form.action, method="POST", data={**form.fields, "subject": "u-7"}
        )
    assert claims(tokens_for(hosted, location)["id_token"])["cognito:username"] == "Corp_u-7"


def test_an_idp_identifier_names_the_provider(cognito_mock, hosted, corp):
    cognito_mock.external_user("Corp", "u-2", {"email": "two@corp.example"})
    with requests.Session() as browser:
        location = follow_to_app(
            browser, authorize(hosted, idp_identifier="corp.example.com", login_hint="u-2")
        )
    assert claims(tokens_for(hosted, location)["id_token"])["cognito:username"] == "Corp_u-2"


def test_the_sign_in_page_offers_the_clients_providers(hosted, corp):
    url = authorize(hosted)
    with requests.Session() as browser:
        page = browser.get(url)
    assert "Continue with Corp" in page.text


def test_a_provider_the_client_lacks_is_refused(cognito_idp, hosted, corp):
    supports(cognito_idp, hosted, ["COGNITO"])
    answer = requests.get(authorize(hosted, identity_provider="Corp"), allow_redirects=False)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["invalid_request"]


def test_a_linked_identity_signs_in_as_the_local_user(cognito_idp, cognito_mock, hosted, corp):
    cognito_idp.admin_link_provider_for_user(
        UserPoolId=hosted.pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "ada"},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "ada-at-corp",
        },
    )
    cognito_mock.external_user("Corp", "ada-at-corp", {"email": "ada@corp.example"})
    with requests.Session() as browser:
        location = follow_to_app(
            browser, authorize(hosted, identity_provider="Corp", login_hint="ada-at-corp")
        )
    assert claims(tokens_for(hosted, location)["id_token"])["cognito:username"] == "ada"
    # The local password still works too.
    assert cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD)


def test_a_social_provider_names_users_after_itself(cognito_idp, cognito_mock, hosted):
    cognito_idp.create_identity_provider(
        UserPoolId=hosted.pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={
            "client_id": "g-client",
            "client_secret": "g-secret",
            "authorize_scopes": "email profile openid",
        },
        AttributeMapping={"email": "email"},
    )
    supports(cognito_idp, hosted, ["Google"])
    cognito_mock.external_user("Google", "1027", {"email": "g@gmail.example"})
    with requests.Session() as browser:
        # A client with one provider and no Cognito users goes straight to it.
        location = follow_to_app(browser, authorize(hosted, login_hint="1027"))
    (identity,) = claims(tokens_for(hosted, location)["id_token"])["identities"]
    assert (identity["providerType"], identity["issuer"]) == ("Google", None)
    assert cognito_idp.admin_get_user(UserPoolId=hosted.pool_id, Username="Google_1027")


def test_a_saml_provider_posts_its_assertion(cognito_idp, cognito_mock, hosted):
    cognito_idp.create_identity_provider(
        UserPoolId=hosted.pool_id,
        ProviderName="Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": SAML_METADATA},
        AttributeMapping={"email": EMAIL_CLAIM},
    )
    supports(cognito_idp, hosted, ["COGNITO", "Okta"])
    cognito_mock.external_user("Okta", "lin@corp.example", {EMAIL_CLAIM: "lin@corp.example"})
    with requests.Session() as browser:
        to_provider = browser.get(
            authorize(hosted, identity_provider="Okta", login_hint="lin@corp.example"),
            allow_redirects=False,
        )
        posting = browser.get(to_provider.headers["Location"], allow_redirects=False)
        (form,) = forms(posting.text)
        assert form.action.endswith("/saml2/idpresponse")
        assert set(form.fields) == {"SAMLResponse", "RelayState"}
        location = follow_to_app(browser, form.action, method="POST", data=form.fields)
    id_token = claims(tokens_for(hosted, location)["id_token"])
    assert id_token["cognito:username"] == "Okta_lin@corp.example"
    assert id_token["email"] == "lin@corp.example"
    assert id_token["identities"][0]["providerType"] == "SAML"


def test_a_forged_saml_response_is_refused(hosted, cognito_idp):
    cognito_idp.create_identity_provider(
        UserPoolId=hosted.pool_id,
        ProviderName="Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": SAML_METADATA},
    )
    answer = requests.post(
        "https://my-app.auth.us-east-1.amazoncognito.com/saml2/idpresponse",
        data={"SAMLResponse": "bm90IHhtbA==", "RelayState": "x"},
    )
    assert answer.status_code == 400


def test_a_pre_sign_up_refusal_goes_back_to_the_app(cognito_idp, cognito_mock, hosted, corp):
    def refuse(event, context):
        raise Exception("external users need an invitation")

    arn = "arn:aws:lambda:us-east-1:123456789012:function:gate"
    cognito_mock.register_lambda(arn, refuse)
    cognito_idp.update_user_pool(UserPoolId=hosted.pool_id, LambdaConfig={"PreSignUp": arn})
    cognito_mock.external_user("Corp", "u-9", {"email": "nine@corp.example"})
    with requests.Session() as browser:
        location = follow_to_app(
            browser, authorize(hosted, identity_provider="Corp", login_hint="u-9")
        )
    query = parse_qs(urlsplit(location).query)
    assert query["error"] == ["invalid_request"]
    assert "external users need an invitation" in query["error_description"][0]
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        cognito_idp.admin_get_user(UserPoolId=hosted.pool_id, Username="Corp_u-9")


def test_the_providers_page_refuses_what_it_did_not_start(cognito_mock, hosted, corp):
    base = "https://my-app.auth.us-east-1.amazoncognito.com"
    assert requests.get(f"{base}/external-idp/sign-in?state=made-up").status_code == 400
    assert requests.get(f"{base}/oauth2/idpresponse?state=made-up&code=x").status_code == 400
    with requests.Session() as browser:
        to_provider = browser.get(
            authorize(hosted, identity_provider="Corp", login_hint="nobody"), allow_redirects=False
        )
        unknown = browser.get(to_provider.headers["Location"])
        assert unknown.status_code == 400
        assert "Corp has no user nobody" in unknown.text
        empty = browser.get(to_provider.headers["Location"].replace("&login_hint=nobody", ""))
        assert "No users are registered at Corp." in empty.text


def test_a_provider_code_works_once(cognito_mock, hosted, corp):
    cognito_mock.external_user("Corp", "u-3", {"email": "three@corp.example"})
    with requests.Session() as browser:
        to_provider = browser.get(
            authorize(hosted, identity_provider="Corp", login_hint="u-3"), allow_redirects=False
        )
        to_cognito = browser.get(to_provider.headers["Location"], allow_redirects=False)
        idp_response = to_cognito.headers["Location"]
        forged = idp_response.replace("code=", "code=x")
        refused = browser.get(forged, allow_redirects=False)
        assert parse_qs(urlsplit(refused.headers["Location"]).query)["error"] == ["invalid_request"]
