"""Dynamic client registration at ``/oauth2/register``: open and authenticated registration by
httpx and requests, in process at the domain's AWS URL and on the loopback endpoint; the
registered client signing a user in through the pages with Authlib and requests-oauthlib, its
tokens verified by PyJWT against the JWKS; every refusal's status and RFC 7591 error JSON,
with nothing created; and the client secret operations a registered client refuses."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7591 import ClientMetadataClaims
from freezegun import freeze_time
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session as OAuthlibSession
from support.errors import refused
from support.hosted import (
    API,
    AUTHORIZE_URL,
    BASE,
    CALLBACK,
    DOMAIN,
    PASSWORD,
    TOKEN_URL,
    add_resource_server,
    machine_client,
)
from support.html_forms import forms
from support.model import requires_member, requires_shape_member

pytestmark = [
    requires_member("CreateUserPool", "DcrConfiguration"),
    requires_member("UpdateUserPool", "DcrConfiguration"),
    requires_shape_member("UserPoolClientType", "ClientType"),
    requires_member("ListUserPoolClients", "ClientType"),
]

REGISTER_URL = f"{BASE}/oauth2/register"
REGISTER_SCOPE = "aws.cognito/dcr/register"
JWKS_URL = "https://cognito-idp.us-east-1.amazonaws.com/{pool}/.well-known/jwks.json"
DISCOVERY_URL = (
    "https://cognito-idp.us-east-1.amazonaws.com/{pool}/.well-known/openid-configuration"
)
#: What a public single-page app or agent registers.
PUBLIC_APP = {
    "client_name": "Agent Smith",
    "redirect_uris": [CALLBACK],
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
    "token_endpoint_auth_method": "none",
    "scope": "openid email",
}


@pytest.fixture
def pool(cognito_idp) -> dict[str, str]:
    """A pool with open registration, a domain, an API with two scopes of which registered
    clients may have one, a registrar (a machine client with the registration scope) and a
    user."""
    pool_id = cognito_idp.create_user_pool(
        PoolName="dcr",
        DcrConfiguration={
            "OpenDcrEnabled": True,
            "AllowedScopes": [f"{API}/read", "aws.cognito.signin.user.admin", REGISTER_SCOPE],
        },
    )["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    add_resource_server(cognito_idp, pool_id)
    registrar = machine_client(cognito_idp, pool_id, [REGISTER_SCOPE, f"{API}/write"], "registrar")
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[
            {"Name": "email", "Value": "ada@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    return {
        "id": pool_id,
        "registrar_id": registrar.client_id,
        "registrar_secret": registrar.secret,
    }


def initial_token(pool: dict[str, str], scope: str = REGISTER_SCOPE) -> str:
    """An initial access token, from the registrar's client_credentials grant (oauthlib)."""
    session = OAuthlibSession(client=BackendApplicationClient(client_id=pool["registrar_id"]))
    token = session.fetch_token(
        TOKEN_URL,
        client_id=pool["registrar_id"],
        client_secret=pool["registrar_secret"],
        scope=[scope],
    )
    return str(token["access_token"])


def client_ids(cognito_idp, pool_id: str) -> list[str]:
    listed = cognito_idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    return [c["ClientId"] for c in listed["UserPoolClients"]]


def sign_in_through_the_form(browser: requests.Session, authorize_url: str) -> requests.Response:
    """GET authorize, follow to /login, post the form as ada; the answer to the post."""
    to_login = browser.get(authorize_url, allow_redirects=False)
    assert to_login.status_code == 302
    (form,) = forms(browser.get(to_login.headers["Location"]).text)
    fields = {**form.fields, "username": "ada", "password": PASSWORD}
    return browser.post(form.action, data=fields, allow_redirects=False)


# --- registering ------------------------------------------------------------------------------


def test_open_registration_makes_a_dcr_app_client(cognito_idp, pool):
    answer = httpx.post(REGISTER_URL, json=PUBLIC_APP)
    assert answer.status_code == 201
    assert answer.headers["content-type"] == "application/json;charset=UTF-8"
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    client_id = body.pop("client_id")
    assert isinstance(body.pop("client_id_issued_at"), int)
    assert body == {
        "client_name": "Agent Smith",
        "redirect_uris": [CALLBACK],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "scope": "openid email",
    }
    ClientMetadataClaims(answer.json(), {}).validate()  # Authlib's RFC 7591 reading of it
    described = cognito_idp.describe_user_pool_client(UserPoolId=pool["id"], ClientId=client_id)
    client = described["UserPoolClient"]
    assert client["ClientType"] == "DCR"
    assert client["ClientName"] == "Agent Smith"
    assert "ClientSecret" not in client
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthScopes"] == ["openid", "email"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["CallbackURLs"] == [CALLBACK]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    dcr = cognito_idp.list_user_pool_clients(UserPoolId=pool["id"], ClientType="DCR")
    assert [c["ClientId"] for c in dcr["UserPoolClients"]] == [client_id]
    regular = cognito_idp.list_user_pool_clients(UserPoolId=pool["id"], ClientType="REGULAR")
    assert [c["ClientId"] for c in regular["UserPoolClients"]] == [pool["registrar_id"]]


def test_the_registered_client_signs_a_user_in_through_the_pages(pool):
    registered = httpx.post(REGISTER_URL, json=PUBLIC_APP).json()
    with OAuth2Session(
        registered["client_id"],
        scope="openid email",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    ) as oauth:
        verifier = "v" * 64
        url, state = oauth.create_authorization_url(
            AUTHORIZE_URL, code_verifier=verifier, nonce="n-1"
        )
        with requests.Session() as browser:
            back = sign_in_through_the_form(browser, url)
        assert back.status_code == 302
        location = back.headers["Location"]
        assert parse_qs(urlsplit(location).query)["state"] == [state]
        token = oauth.fetch_token(
            TOKEN_URL, authorization_response=location, code_verifier=verifier
        )
        refreshed = oauth.refresh_token(TOKEN_URL, refresh_token=token["refresh_token"])
    jwks = jwt.PyJWKClient(JWKS_URL.format(pool=pool["id"]))
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool['id']}"
    claims = jwt.decode(
        token["id_token"],
        jwks.get_signing_key_from_jwt(token["id_token"]).key,
        algorithms=["RS256"],
        audience=registered["client_id"],
        issuer=issuer,
    )
    assert (claims["cognito:username"], claims["email"], claims["nonce"]) == (
        "ada",
        "ada@example.com",
        "n-1",
    )
    access = jwt.decode(
        refreshed["access_token"],
        jwks.get_signing_key_from_jwt(refreshed["access_token"]).key,
        algorithms=["RS256"],
        issuer=issuer,
    )
    assert (access["client_id"], access["scope"]) == (registered["client_id"], "openid email")


def test_authenticated_registration_makes_a_confidential_machine_client(cognito_idp, pool):
    answer = requests.post(
        REGISTER_URL,
        json={
            "client_name": "batch job",
            "grant_types": ["client_credentials"],
            "scope": f"{API}/read",
        },
        headers={"Authorization": f"Bearer {initial_token(pool)}"},
    )
    assert answer.status_code == 201
    body = answer.json()
    assert list(body) == [
        "client_id",
        "client_secret",
        "client_id_issued_at",
        "client_secret_expires_at",
        "client_name",
        "redirect_uris",
        "grant_types",
        "response_types",
        "token_endpoint_auth_method",
        "scope",
    ]
    assert body["client_secret_expires_at"] == 0
    assert (body["grant_types"], body["response_types"]) == (["client_credentials"], [])
    assert body["token_endpoint_auth_method"] == "client_secret_basic"  # RFC 7591's default
    described = cognito_idp.describe_user_pool_client(
        UserPoolId=pool["id"], ClientId=body["client_id"]
    )["UserPoolClient"]
    assert described["ClientType"] == "DCR"
    assert described["ClientSecret"] == body["client_secret"]
    # The registered client's own client_credentials grant, through oauthlib.
    session = OAuthlibSession(client=BackendApplicationClient(client_id=body["client_id"]))
    token = session.fetch_token(
        TOKEN_URL, client_id=body["client_id"], client_secret=body["client_secret"]
    )
    claims = jwt.decode(token["access_token"], options={"verify_signature": False})
    assert claims["scope"] == f"{API}/read"


def test_scopes_default_to_the_oidc_and_allowed_ones(cognito_idp, pool):
    body = httpx.post(REGISTER_URL, json={"redirect_uris": [CALLBACK]}).json()
    # The registration scope is never registered, even where AllowedScopes lists it.
    assert body["scope"] == (f"openid email phone profile {API}/read aws.cognito.signin.user.admin")
    assert body["client_name"] == "dynamically registered client"
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    assert "client_secret" in body


def test_registration_through_the_loopback_endpoint(cognito_mock, pool):
    register_url = cognito_mock.loopback_url(REGISTER_URL)
    assert register_url.startswith("http://127.0.0.1:")
    answer = requests.post(register_url, json=PUBLIC_APP)
    assert answer.status_code == 201
    discovery = requests.get(
        cognito_mock.loopback_url(DISCOVERY_URL.format(pool=pool["id"]))
    ).json()
    assert discovery["registration_endpoint"] == register_url
    code = cognito_mock.authorization_code(answer.json()["client_id"], "ada", PASSWORD)
    tokens = requests.post(
        cognito_mock.loopback_url(TOKEN_URL),
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": answer.json()["client_id"],
        },
    )
    assert tokens.status_code == 200


def test_the_discovery_document_lists_the_endpoint_only_while_registration_is_on(cognito_idp, pool):
    url = DISCOVERY_URL.format(pool=pool["id"])
    document = requests.get(url).json()
    assert document["registration_endpoint"] == REGISTER_URL
    assert list(document) == sorted(document)  # alphabetical, as Cognito writes it
    cognito_idp.update_user_pool(
        UserPoolId=pool["id"], DcrConfiguration={"EnableStatus": "Disabled"}
    )
    assert "registration_endpoint" not in requests.get(url).json()


# --- what the configuration permits -----------------------------------------------------------


def test_open_registration_is_refused_while_it_is_off(cognito_idp, pool):
    cognito_idp.update_user_pool(UserPoolId=pool["id"], DcrConfiguration={})
    answer = httpx.post(REGISTER_URL, json=PUBLIC_APP)
    assert answer.status_code == 401
    assert answer.json() == {
        "error": "invalid_token",
        "error_description": "Open registration is not enabled: send an initial access token.",
    }
    assert answer.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    # Authenticated registration still works.
    registered = httpx.post(
        REGISTER_URL, json=PUBLIC_APP, headers={"Authorization": f"Bearer {initial_token(pool)}"}
    )
    assert registered.status_code == 201


@pytest.mark.parametrize("status", ["Disabled", None])
def test_without_registration_enabled_the_endpoint_does_not_exist(cognito_idp, pool, status):
    if status is None:  # a pool that never had a configuration
        pool_id = cognito_idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
        cognito_idp.delete_user_pool_domain(UserPoolId=pool["id"], Domain=DOMAIN)
        cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    else:
        cognito_idp.update_user_pool(
            UserPoolId=pool["id"], DcrConfiguration={"EnableStatus": status}
        )
    answer = httpx.post(REGISTER_URL, json=PUBLIC_APP)
    assert (answer.status_code, answer.json()) == (404, {"error": "not_found"})


def test_each_kind_of_registration_has_its_own_grant_types(cognito_idp, pool):
    machine = {"grant_types": ["client_credentials"], "scope": f"{API}/read"}
    open_machine = httpx.post(REGISTER_URL, json=machine)
    assert (open_machine.status_code, open_machine.json()) == (
        400,
        {
            "error": "invalid_client_metadata",
            "error_description": "The grant type client_credentials is not permitted for open "
            "registration.",
        },
    )
    cognito_idp.update_user_pool(
        UserPoolId=pool["id"],
        DcrConfiguration={
            "OpenDcrEnabled": True,
            "OpenDcrGrantTypes": ["implicit"],  # accepted, and ignored: nothing is permitted
            "AuthenticatedGrantTypes": [],
        },
    )
    open_code = httpx.post(REGISTER_URL, json=PUBLIC_APP)
    assert open_code.json()["error_description"] == (
        "The grant type authorization_code is not permitted for open registration."
    )
    authenticated = httpx.post(
        REGISTER_URL, json=PUBLIC_APP, headers={"Authorization": f"Bearer {initial_token(pool)}"}
    )
    assert (authenticated.status_code, authenticated.json()["error_description"]) == (
        400,
        "The grant type authorization_code is not permitted for authenticated registration.",
    )
    assert client_ids(cognito_idp, pool["id"]) == [pool["registrar_id"]]


# --- refusals: exact answers, nothing created -------------------------------------------------


def _without(member: str) -> dict:
    return {k: v for k, v in PUBLIC_APP.items() if k != member}


METADATA_REFUSALS = [
    ({**PUBLIC_APP, "grant_types": ["implicit"]}, "The grant type implicit is not supported."),
    (
        {**PUBLIC_APP, "grant_types": ["authorization_code", "client_credentials"]},
        "client_credentials cannot be registered together with authorization_code.",
    ),
    (
        {**PUBLIC_APP, "grant_types": ["refresh_token"]},
        "refresh_token needs the authorization_code grant.",
    ),
    (
        {**PUBLIC_APP, "response_types": ["token"]},
        'response_types must be ["code"] with authorization_code, and empty otherwise.',
    ),
    (
        {**PUBLIC_APP, "token_endpoint_auth_method": "private_key_jwt"},
        "The token_endpoint_auth_method private_key_jwt is not supported.",
    ),
    (
        {**PUBLIC_APP, "scope": f"openid {REGISTER_SCOPE}"},
        "A registered client cannot hold the aws.cognito/dcr/register scope.",
    ),
    (
        {**PUBLIC_APP, "scope": f"openid {API}/write"},
        f"The scope {API}/write cannot be registered.",
    ),
    ({**PUBLIC_APP, "scope": 7}, "scope must be a string."),
    (
        {**PUBLIC_APP, "grant_types": "authorization_code"},
        "grant_types must be an array of strings.",
    ),
    (
        {**PUBLIC_APP, "client_name": "Agent (beta)"},
        "client_name must be 1 to 128 letters, digits, spaces or any of _+=,.@-",
    ),
]


@pytest.mark.parametrize(("metadata", "description"), METADATA_REFUSALS)
def test_invalid_metadata_is_refused_and_creates_nothing(cognito_idp, pool, metadata, description):
    answer = httpx.post(REGISTER_URL, json=metadata)
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_client_metadata", "error_description": description}
    assert client_ids(cognito_idp, pool["id"]) == [pool["registrar_id"]]


REDIRECT_REFUSALS = [
    (_without("redirect_uris"), "redirect_uris is required for authorization_code."),
    (
        {**PUBLIC_APP, "redirect_uris": "https://a.example.com"},
        "redirect_uris must be an array of strings.",
    ),
    (
        {**PUBLIC_APP, "redirect_uris": ["http://app.example.com/cb"]},
        "http://app.example.com/cb is not a valid redirect URI: a redirect URI must be an "
        "absolute URI without a fragment, using HTTPS unless its host is localhost, 127.0.0.1 "
        "or [::1].",
    ),
]


@pytest.mark.parametrize(("metadata", "description"), REDIRECT_REFUSALS)
def test_invalid_redirect_uris_are_refused(cognito_idp, pool, metadata, description):
    answer = requests.post(REGISTER_URL, json=metadata)
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "invalid_redirect_uri", "error_description": description},
    )
    assert client_ids(cognito_idp, pool["id"]) == [pool["registrar_id"]]


def test_a_loopback_or_custom_scheme_redirect_is_fine(pool):
    metadata = {**PUBLIC_APP, "redirect_uris": ["http://127.0.0.1:33418/cb", "myapp://cb"]}
    assert httpx.post(REGISTER_URL, json=metadata).status_code == 201


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"redirect_uris": [', "application/json"),
        (b"[]", "application/json"),
        (b"{}", "text/plain"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(cognito_idp, pool, content, content_type):
    answer = httpx.post(REGISTER_URL, content=content, headers={"Content-Type": content_type})
    assert (answer.status_code, answer.json()) == (
        400,
        {
            "error": "invalid_client_metadata",
            "error_description": "The body must be a JSON object (application/json).",
        },
    )


def test_only_a_post_registers(pool):
    answer = httpx.get(REGISTER_URL)
    assert (answer.status_code, answer.json()) == (
        400,
        {
            "error": "invalid_request",
            "error_description": "The registration endpoint takes a POST.",
        },
    )


def test_a_scope_allowed_but_not_defined_is_refused(cognito_idp, pool):
    cognito_idp.update_user_pool(
        UserPoolId=pool["id"],
        DcrConfiguration={"OpenDcrEnabled": True, "AllowedScopes": [f"{API}/gone"]},
    )
    answer = httpx.post(REGISTER_URL, json={**PUBLIC_APP, "scope": f"openid {API}/gone"})
    assert answer.json() == {
        "error": "invalid_client_metadata",
        "error_description": f"The scope {API}/gone does not exist.",
    }


def test_a_machine_client_needs_a_secret_and_a_scope(cognito_idp, pool):
    token = {"Authorization": f"Bearer {initial_token(pool)}"}
    public = httpx.post(
        REGISTER_URL,
        json={"grant_types": ["client_credentials"], "token_endpoint_auth_method": "none"},
        headers=token,
    )
    assert public.json()["error_description"] == "client_credentials needs a client secret."
    cognito_idp.update_user_pool(UserPoolId=pool["id"], DcrConfiguration={})  # no AllowedScopes
    scopeless = httpx.post(
        REGISTER_URL, json={"grant_types": ["client_credentials"]}, headers=token
    )
    assert scopeless.json() == {
        "error": "invalid_client_metadata",
        "error_description": "No scope can be registered for this client.",
    }


def test_the_app_client_quota_counts_registered_clients(cognito_idp, pool, monkeypatch):
    from pytest_cognito_mock.backend import app_clients

    monkeypatch.setattr(app_clients, "MAX_CLIENTS_PER_POOL", 2)
    assert httpx.post(REGISTER_URL, json=PUBLIC_APP).status_code == 201
    answer = httpx.post(REGISTER_URL, json=PUBLIC_APP)
    assert (answer.status_code, answer.json()) == (
        400,
        {
            "error": "invalid_request",
            "error_description": "The user pool has reached its quota of 2 app clients.",
        },
    )


# --- the initial access token -----------------------------------------------------------------

INVALID_TOKEN = {
    "error": "invalid_token",
    "error_description": "The initial access token is invalid or expired.",
}


def test_a_token_without_the_registration_scope_is_insufficient(cognito_idp, pool):
    answer = httpx.post(
        REGISTER_URL,
        json=PUBLIC_APP,
        headers={"Authorization": f"Bearer {initial_token(pool, scope=f'{API}/write')}"},
    )
    assert answer.status_code == 403
    assert answer.json() == {
        "error": "insufficient_scope",
        "error_description": "The initial access token does not have the "
        "aws.cognito/dcr/register scope.",
    }
    assert answer.headers["www-authenticate"].startswith('Bearer error="insufficient_scope"')
    assert client_ids(cognito_idp, pool["id"]) == [pool["registrar_id"]]


@pytest.mark.parametrize("authorization", ["Bearer not-a-token", "Basic YTpi"])
def test_an_unreadable_token_is_invalid(cognito_idp, pool, authorization):
    # Even with open registration on: a request that sends a token is authenticated.
    answer = httpx.post(REGISTER_URL, json=PUBLIC_APP, headers={"Authorization": authorization})
    assert answer.status_code == 401
    expected = (
        INVALID_TOKEN
        if authorization.startswith("Bearer")
        else {
            "error": "invalid_token",
            "error_description": "The initial access token must be a Bearer token.",
        }
    )
    assert answer.json() == expected


def test_an_expired_token_or_one_of_a_deleted_client_is_invalid(cognito_idp, pool):
    with freeze_time("2026-03-01 12:00:00") as clock:
        token = initial_token(pool)
        clock.tick(3600)
        expired = httpx.post(
            REGISTER_URL, json=PUBLIC_APP, headers={"Authorization": f"Bearer {token}"}
        )
    assert (expired.status_code, expired.json()) == (401, INVALID_TOKEN)
    token = initial_token(pool)
    cognito_idp.delete_user_pool_client(UserPoolId=pool["id"], ClientId=pool["registrar_id"])
    orphan = httpx.post(REGISTER_URL, json=PUBLIC_APP, headers={"Authorization": f"Bearer {token}"})
    assert (orphan.status_code, orphan.json()) == (401, INVALID_TOKEN)


def test_a_token_of_another_pool_is_invalid(cognito_idp, cognito_mock, pool):
    other = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    add_resource_server(cognito_idp, other, scopes=("read",))
    client = machine_client(cognito_idp, other, [REGISTER_SCOPE])
    cognito_idp.create_user_pool_domain(UserPoolId=other, Domain="other-app")
    foreign = requests.post(
        "https://other-app.auth.us-east-1.amazoncognito.com/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, client.secret),
    ).json()["access_token"]
    answer = httpx.post(
        REGISTER_URL, json=PUBLIC_APP, headers={"Authorization": f"Bearer {foreign}"}
    )
    assert (answer.status_code, answer.json()) == (401, INVALID_TOKEN)


# --- a registered client afterwards -----------------------------------------------------------

DCR_SECRET_REFUSAL = (
    "The app client {client_id} was created through dynamic client registration and does not "
    "support client secret operations."
)


def test_a_registered_client_refuses_client_secret_operations(cognito_idp, pool):
    client_id = httpx.post(REGISTER_URL, json=_without("token_endpoint_auth_method")).json()[
        "client_id"
    ]
    message = DCR_SECRET_REFUSAL.format(client_id=client_id)
    ids = {"UserPoolId": pool["id"], "ClientId": client_id}
    refused(cognito_idp.add_user_pool_client_secret, "InvalidParameterException", message, **ids)
    refused(cognito_idp.list_user_pool_client_secrets, "InvalidParameterException", message, **ids)
    refused(
        cognito_idp.delete_user_pool_client_secret,
        "InvalidParameterException",
        message,
        ClientSecretId=f"{client_id}--1",
        **ids,
    )
    refused(
        cognito_idp.update_user_pool_client,
        "InvalidParameterException",
        message,
        PublishSecretsInAWSSecretsManager=True,
        **ids,
    )
    assert "ClientSecretArn" not in cognito_idp.describe_user_pool_client(**ids)["UserPoolClient"]


def test_an_update_keeps_the_type_and_refuses_the_registration_scope(cognito_idp, pool):
    client_id = httpx.post(REGISTER_URL, json=PUBLIC_APP).json()["client_id"]
    ids = {"UserPoolId": pool["id"], "ClientId": client_id}
    refused(
        cognito_idp.update_user_pool_client,
        "InvalidParameterException",
        "An app client created through dynamic client registration cannot hold the "
        "aws.cognito/dcr/register scope.",
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", REGISTER_SCOPE],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[CALLBACK],
        **ids,
    )
    updated = cognito_idp.update_user_pool_client(ClientName="renamed", **ids)["UserPoolClient"]
    assert (updated["ClientType"], updated["ClientName"]) == ("DCR", "renamed")
