"""The client_credentials grant at POST /oauth2/token, in process at the real domain URL, through
requests, httpx, urllib and Authlib; tokens checked with PyJWT against the pool's JWKS."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import httpx
import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from support.hosted import API, BASE, TOKEN_URL

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/{pool}"


def verified(token: str, pool_id: str) -> dict:
    """The claims of ``token``, checked by PyJWT against the JWKS fetched from the issuer."""
    jwks = jwt.PyJWKClient(f"{ISSUER.format(pool=pool_id)}/.well-known/jwks.json")
    key = jwks.get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=ISSUER.format(pool=pool_id))


def test_a_machine_gets_an_access_token_for_its_scopes(hosted):
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        auth=(hosted.machine.client_id, hosted.machine.secret),
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    body = answer.json()
    assert list(body) == ["access_token", "token_type", "expires_in"]
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    claims = verified(body["access_token"], hosted.pool_id)
    assert claims["sub"] == claims["client_id"] == hosted.machine.client_id
    assert claims["token_use"] == "access"
    assert claims["scope"] == f"{API}/read {API}/write"
    assert claims["version"] == 2
    assert claims["exp"] - claims["iat"] == 3600
    assert not {"username", "cognito:groups", "origin_jti", "event_id"} & set(claims)


def test_the_secret_may_come_in_the_body(hosted):
    answer = requests.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": hosted.machine.client_id,
            "client_secret": hosted.machine.secret,
            "scope": f"{API}/read",
        },
    )
    assert answer.status_code == 200
    assert verified(answer.json()["access_token"], hosted.pool_id)["scope"] == f"{API}/read"


@pytest.mark.parametrize(
    ("scope", "granted"),
    [
        (f"{API}/write", f"{API}/write"),
        (f"{API}/write {API}/read", f"{API}/write {API}/read"),
        # A scope the pool knows but the client lacks is dropped, not refused.
        (f"{API}/read openid", f"{API}/read"),
    ],
)
def test_the_requested_scopes_narrow_the_token(hosted, scope, granted):
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(hosted.machine.client_id, hosted.machine.secret),
    )
    assert verified(answer.json()["access_token"], hosted.pool_id)["scope"] == granted


def token_error(data: dict, auth=None, **kwargs) -> tuple[int, dict]:
    answer = requests.post(TOKEN_URL, data=data, auth=auth, **kwargs)
    return answer.status_code, answer.json()


def test_refusals_are_oauth_errors(hosted):
    machine = (hosted.machine.client_id, hosted.machine.secret)
    grant = {"grant_type": "client_credentials"}
    assert token_error(grant, (hosted.machine.client_id, "wrong")) == (
        400,
        {"error": "invalid_client"},
    )
    assert token_error(grant, ("no-such-client", "x")) == (400, {"error": "invalid_client"})
    assert token_error(grant) == (400, {"error": "invalid_client"})
    assert token_error({"grant_type": "password"}, machine) == (
        400,
        {"error": "unsupported_grant_type"},
    )
    assert token_error({}, machine) == (400, {"error": "invalid_request"})
    assert token_error({**grant, "scope": f"{API}/delete"}, machine) == (
        400,
        {"error": "invalid_scope"},
    )
    both = {**grant, "client_id": hosted.web.client_id}
    assert token_error(both, machine) == (400, {"error": "invalid_client"})
    # A client that is not a machine client may not use the grant.
    assert token_error(grant, (hosted.web.client_id, hosted.web.secret)) == (
        400,
        {"error": "unauthorized_client"},
    )


def test_only_form_posts_are_read(hosted):
    machine = (hosted.machine.client_id, hosted.machine.secret)
    as_json = requests.post(TOKEN_URL, json={"grant_type": "client_credentials"}, auth=machine)
    assert (as_json.status_code, as_json.json()) == (400, {"error": "invalid_request"})
    fetched = requests.get(TOKEN_URL, auth=machine)
    assert (fetched.status_code, fetched.json()) == (400, {"error": "invalid_request"})


def test_authlib_fetches_a_machine_token(hosted):
    with OAuth2Session(
        hosted.machine.client_id, hosted.machine.secret, scope=f"{API}/read"
    ) as session:
        token = session.fetch_token(TOKEN_URL, grant_type="client_credentials")
    assert token["token_type"] == "Bearer"
    assert verified(token["access_token"], hosted.pool_id)["scope"] == f"{API}/read"


def test_httpx_and_urllib_reach_the_same_endpoint(hosted):
    basic = base64.b64encode(
        f"{hosted.machine.client_id}:{hosted.machine.secret}".encode()
    ).decode()
    headers = {"Authorization": f"Basic {basic}"}
    with httpx.Client() as client:
        answer = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=headers)
    assert answer.status_code == 200
    request = urllib.request.Request(
        TOKEN_URL,
        data=b"grant_type=client_credentials",
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request) as response:
        body = json.loads(response.read())
    assert verified(body["access_token"], hosted.pool_id)["client_id"] == hosted.machine.client_id


def test_a_v3_pre_token_trigger_customises_machine_tokens(cognito_idp, cognito_mock, hosted):
    events = []

    def customise(event, context):
        events.append(event)
        event["response"]["claimsAndScopeOverrideDetails"] = {
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {"tenant": event["request"]["clientMetadata"]["tenant"]},
                "scopesToSuppress": [f"{API}/write"],
            }
        }
        return event

    arn = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
    cognito_mock.register_lambda(arn, customise)
    cognito_idp.update_user_pool(
        UserPoolId=hosted.pool_id,
        LambdaConfig={"PreTokenGenerationConfig": {"LambdaVersion": "V3_0", "LambdaArn": arn}},
    )
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials", "aws_client_metadata": '{"tenant": "acme"}'},
        auth=(hosted.machine.client_id, hosted.machine.secret),
    )
    claims = verified(answer.json()["access_token"], hosted.pool_id)
    assert claims["tenant"] == "acme"
    assert claims["scope"] == f"{API}/read"
    (event,) = events
    assert event["triggerSource"] == "TokenGeneration_ClientCredentials"
    assert event["version"] == "3"
    assert event["request"]["scopes"] == [f"{API}/read", f"{API}/write"]
    assert event["callerContext"]["clientId"] == hosted.machine.client_id


def test_a_v2_pre_token_trigger_is_not_called_for_machines(cognito_idp, cognito_mock, hosted):
    called = []
    arn = "arn:aws:lambda:us-east-1:123456789012:function:v2"
    cognito_mock.register_lambda(arn, lambda event, context: called.append(event) or event)
    cognito_idp.update_user_pool(
        UserPoolId=hosted.pool_id,
        LambdaConfig={"PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": arn}},
    )
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        auth=(hosted.machine.client_id, hosted.machine.secret),
    )
    assert answer.status_code == 200
    assert called == []


def test_bad_client_metadata_is_an_invalid_request(hosted):
    status, body = token_error(
        {"grant_type": "client_credentials", "aws_client_metadata": "[1, 2]"},
        (hosted.machine.client_id, hosted.machine.secret),
    )
    assert (status, body) == (400, {"error": "invalid_request"})


def test_a_custom_domain_serves_the_same_endpoint(cognito_idp, hosted):
    cognito_idp.create_user_pool_domain(
        UserPoolId=hosted.pool_id,
        Domain="auth.example.com",
        CustomDomainConfig={"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"},
    )
    answer = requests.post(
        "https://auth.example.com/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(hosted.machine.client_id, hosted.machine.secret),
    )
    assert answer.status_code == 200
    discovery = requests.get(
        f"{ISSUER.format(pool=hosted.pool_id)}/.well-known/openid-configuration"
    ).json()
    assert discovery["token_endpoint"] == "https://auth.example.com/oauth2/token"


def test_a_domain_nobody_has_does_not_resolve(cognito_idp, hosted):
    with pytest.raises(requests.ConnectionError):
        requests.post("https://other-app.auth.us-east-1.amazoncognito.com/oauth2/token")
    cognito_idp.delete_user_pool_domain(UserPoolId=hosted.pool_id, Domain="my-app")
    with pytest.raises(requests.ConnectionError):
        requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{BASE}/oauth2/token", data=b"")


def test_discovery_lists_the_domain_endpoints(hosted):
    discovery = requests.get(
        f"{ISSUER.format(pool=hosted.pool_id)}/.well-known/openid-configuration"
    ).json()
    assert discovery["authorization_endpoint"] == f"{BASE}/oauth2/authorize"
    assert discovery["token_endpoint"] == TOKEN_URL
    assert discovery["userinfo_endpoint"] == f"{BASE}/oauth2/userInfo"
    assert discovery["revocation_endpoint"] == f"{BASE}/oauth2/revoke"
    assert discovery["end_session_endpoint"] == f"{BASE}/logout"
    assert discovery["jwks_uri"] == f"{ISSUER.format(pool=hosted.pool_id)}/.well-known/jwks.json"
    assert (
        requests.get(f"{BASE}/.well-known/jwks.json").json()
        == requests.get(discovery["jwks_uri"]).json()
    )
