"""A pool's JWKS and OpenID configuration at their AWS URLs, answered in process through
``requests`` and ``urllib.request`` while the mock is active, and by the loopback server."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import requests
from moto import mock_aws

from pytest_cognito_mock import CognitoMock

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"


@pytest.fixture
def pool_id(cognito_idp) -> str:
    return cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]


def url(pool_id: str, document: str = "jwks.json", region: str = "us-east-1") -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}/.well-known/{document}"


def urllib_get(address: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(address, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def test_requests_gets_the_pools_jwks(cognito_mock, pool_id):
    # What pycognito's Cognito.get_keys() does.
    response = requests.get(url(pool_id), timeout=15)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    jwks = response.json()
    assert jwks == cognito_mock.jwks(pool_id)
    assert [key["kty"] for key in jwks["keys"]] == ["RSA", "RSA"]
    assert len({key["kid"] for key in jwks["keys"]}) == 2


def test_urllib_gets_the_pools_jwks(cognito_mock, pool_id):
    assert urllib_get(url(pool_id)) == (200, cognito_mock.jwks(pool_id))


def test_requests_streams_and_sessions_work_too(cognito_mock, pool_id):
    with requests.Session() as session:
        response = session.get(url(pool_id), stream=True)
        body = b"".join(response.iter_content(64))
    assert json.loads(body) == cognito_mock.jwks(pool_id)


def test_openid_configuration(pool_id):
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    configuration = requests.get(url(pool_id, "openid-configuration")).json()
    assert configuration == {
        "authorization_endpoint": f"{issuer}/authorize",
        "end_session_endpoint": f"{issuer}/logout",
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": f"{issuer}/revoke",
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": f"{issuer}/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": f"{issuer}/userInfo",
    }
    assert urllib_get(url(pool_id, "openid-configuration")) == (200, configuration)


def test_an_unknown_pool_or_another_region_is_not_found(cognito_mock, pool_id):
    cognito_mock.client("eu-west-1").create_user_pool(PoolName="elsewhere")
    for address, missing in (
        (url("us-east-1_nothere00"), "us-east-1_nothere00"),
        (url(pool_id, region="eu-west-1"), pool_id),
        (url(pool_id, "openid-configuration", region="eu-west-1"), pool_id),
    ):
        body = {"message": f"User pool {missing} does not exist."}
        response = requests.get(address)
        assert (response.status_code, response.json()) == (404, body)
        assert urllib_get(address) == (404, body)


def test_other_requests_to_cognito_are_answered_and_other_hosts_pass_through(cognito_mock, pool_id):
    other = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}/.well-known/other"
    response = requests.get(other, timeout=5)
    assert (response.status_code, response.json()) == (
        404,
        {"message": f"GET /{pool_id}/.well-known/other is not a Cognito resource."},
    )
    assert requests.get(url(pool_id).replace("https://", "http://")).json() == cognito_mock.jwks(
        pool_id
    )
    # A POST is an API call; without X-Amz-Target it names no operation.
    posted = requests.post(url(pool_id), timeout=5)
    assert posted.status_code == 400
    assert posted.json()["__type"] == "UnknownOperationException"
    # The suite refuses every non-loopback connection: reaching it means the mock let go.
    with pytest.raises(requests.ConnectionError):
        requests.get(url(pool_id).replace("amazonaws.com", "example.com"), timeout=5)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(other, timeout=5)
    assert refused.value.code == 404


def test_the_interception_ends_with_the_mock():
    originals = (
        requests.Session.__dict__["get_adapter"],
        urllib.request.HTTPSHandler.__dict__["https_open"],
    )
    mock = CognitoMock().start()
    try:
        pool_id = mock.client().create_user_pool(PoolName="app")["UserPool"]["Id"]
        assert requests.get(url(pool_id)).json() == mock.jwks(pool_id)
    finally:
        mock.stop()
    assert (
        requests.Session.__dict__["get_adapter"],
        urllib.request.HTTPSHandler.__dict__["https_open"],
    ) == originals
    with pytest.raises(requests.ConnectionError):
        requests.get(url(pool_id), timeout=5)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url(pool_id), timeout=5)


def test_the_innermost_mock_answers():
    with CognitoMock() as outer:
        outer_pool = outer.client().create_user_pool(PoolName="outer")["UserPool"]["Id"]
        with CognitoMock() as inner:
            inner_pool = inner.client().create_user_pool(PoolName="inner")["UserPool"]["Id"]
            assert requests.get(url(inner_pool)).json() == inner.jwks(inner_pool)
            assert requests.get(url(outer_pool)).status_code == 404
        assert requests.get(url(outer_pool)).json() == outer.jwks(outer_pool)


@pytest.mark.parametrize("moto_first", [True, False], ids=["moto-first", "moto-second"])
def test_moto_does_not_answer_for_our_pools(moto_first):
    # moto's mock_aws serves a JWKS of its own through the `responses` library.
    moto, ours = mock_aws(), CognitoMock()
    first, second = (moto, ours) if moto_first else (ours, moto)
    with first, second:
        pool_id = ours.client().create_user_pool(PoolName="ours")["UserPool"]["Id"]
        assert requests.get(url(pool_id)).json() == ours.jwks(pool_id)
        assert requests.get(url(pool_id, "openid-configuration")).status_code == 200


def test_the_loopback_server_serves_both_documents(cognito_mock, cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    # The loopback server is the one import jobs upload to.
    presigned = cognito_idp.create_user_import_job(
        JobName="job", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]["PreSignedUrl"]
    base = presigned.split("/aws-cognito-idp-user-import")[0]
    assert base.startswith("http://127.0.0.1:")
    jwks = requests.get(f"{base}/{pool_id}/.well-known/jwks.json")
    assert (jwks.status_code, jwks.json()) == (200, cognito_mock.jwks(pool_id))
    configuration = requests.get(f"{base}/{pool_id}/.well-known/openid-configuration").json()
    assert configuration["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    # Its own URLs point back at the loopback server, so it works without the interception.
    assert configuration["jwks_uri"] == f"{base}/{pool_id}/.well-known/jwks.json"
    assert urllib_get(configuration["jwks_uri"]) == (200, cognito_mock.jwks(pool_id))
    missing = requests.get(f"{base}/us-east-1_nothere00/.well-known/jwks.json")
    assert (missing.status_code, missing.json()) == (
        404,
        {"message": "User pool us-east-1_nothere00 does not exist."},
    )


def test_the_loopback_endpoint_serves_pools_of_every_region(cognito_mock):
    pool_id = cognito_mock.client("eu-west-1").create_user_pool(PoolName="eu")["UserPool"]["Id"]
    base = cognito_mock.endpoint_url
    response = requests.get(f"{base}/{pool_id}/.well-known/jwks.json")
    assert response.json() == cognito_mock.jwks(pool_id)
    assert response.headers["Content-Type"] == "application/json"
    assert requests.get(f"{base}/{pool_id}/.well-known/other").status_code == 404
