"""The loopback endpoint over real HTTP: started on first use, loopback only, the whole JSON
API with AWS's answers to malformed requests, regions from the SigV4 scope or the request's ids,
CORS for browsers, and nothing left behind when the mock stops."""

from __future__ import annotations

import json
import socket
import threading
from urllib.parse import urlsplit

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from pytest_cognito_mock import CognitoMock, MockNotStartedError

TARGET = "AWSCognitoIdentityProviderService."


def post(url: str, operation: str | None, body: bytes | str, **headers: str) -> requests.Response:
    sent = {"Content-Type": "application/x-amz-json-1.1", **headers}
    if operation is not None:
        sent["X-Amz-Target"] = TARGET + operation
    return requests.post(url, data=body, headers=sent, timeout=10)


def signed_post(url: str, region: str, operation: str, params: dict) -> requests.Response:
    """A request signed as an SDK signs it (botocore's own SigV4 signer), for ``region``."""
    request = AWSRequest(
        method="POST",
        url=url,
        data=json.dumps(params),
        headers={
            "X-Amz-Target": TARGET + operation,
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "cognito-idp", region).add_auth(request)
    return requests.post(url, data=request.body, headers=dict(request.headers), timeout=10)


def test_the_endpoint_starts_on_first_use_and_only_then(cognito_mock):
    assert not cognito_mock._service.endpoint_started
    cognito_mock.client().create_user_pool(PoolName="no-endpoint-needed")
    assert not cognito_mock._service.endpoint_started
    url = cognito_mock.endpoint_url
    assert url.startswith("http://127.0.0.1:")
    assert cognito_mock.endpoint_url == url  # one endpoint per mock


def test_a_stopped_mock_has_no_endpoint():
    mock = CognitoMock()
    with pytest.raises(MockNotStartedError, match="endpoint_url needs a started CognitoMock"):
        mock.endpoint_url  # noqa: B018


def test_the_endpoint_and_its_threads_are_gone_with_the_mock():
    before = set(threading.enumerate())
    with CognitoMock() as mock:
        url = mock.endpoint_url
        with requests.Session() as session:  # a kept-alive connection
            assert session.post(url, timeout=10).status_code == 400
            assert len(set(threading.enumerate()) - before) >= 1
    assert set(threading.enumerate()) - before == set()
    port = urlsplit(url).port
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))


def test_the_json_api_answers_and_the_in_process_client_sees_the_same_state(
    cognito_mock, cognito_endpoint
):
    created = signed_post(cognito_endpoint, "eu-west-1", "CreateUserPool", {"PoolName": "ep"})
    assert created.status_code == 200
    assert created.headers["Content-Type"] == "application/x-amz-json-1.1"
    pool_id = created.json()["UserPool"]["Id"]
    assert pool_id.startswith("eu-west-1_")  # the region of the signature's scope
    second = cognito_mock.client("eu-west-1").describe_user_pool(UserPoolId=pool_id)
    assert second["UserPool"]["Name"] == "ep"
    assert cognito_mock.calls[0].region == "eu-west-1"


def test_unsigned_calls_find_their_region_from_the_pool_they_name(cognito_mock, cognito_endpoint):
    idp = cognito_mock.client("ap-southeast-2")
    pool_id = idp.create_user_pool(PoolName="far")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    answer = post(
        cognito_endpoint,
        "SignUp",
        json.dumps({"ClientId": client_id, "Username": "ada", "Password": "Passw0rd!"}),
    )
    assert answer.status_code == 200, answer.text
    assert idp.admin_get_user(UserPoolId=pool_id, Username="ada")["UserStatus"] == "UNCONFIRMED"
    assert cognito_mock.calls[-2].region == "ap-southeast-2"


@pytest.mark.parametrize(
    ("operation", "body", "status", "expected"),
    [
        (None, b"{}", 400, {"__type": "UnknownOperationException"}),
        ("Nope", b"{}", 400, {"__type": "UnknownOperationException"}),
        ("ListUserPools", b"not json", 400, {"__type": "SerializationException"}),
        ("ListUserPools", b"[1, 2]", 400, {"__type": "SerializationException"}),
        (
            "ListUserPools",
            b"{}",
            400,
            {"__type": "InvalidParameterException"},
        ),
        ("DescribeTerms", b"{}", 501, {"__type": "UnsupportedOperation"}),
    ],
    ids=["no-target", "unknown-target", "not-json", "not-an-object", "invalid", "unsupported"],
)
def test_what_the_endpoint_answers_requests_it_cannot_serve(
    cognito_endpoint, unimplemented_operation, operation, body, status, expected
):
    answer = post(cognito_endpoint, operation, body)
    assert answer.status_code == status
    assert answer.json()["__type"] == expected["__type"]
    assert answer.json()["message"]


def test_an_unsupported_operation_says_which_and_where_to_look(
    cognito_endpoint, unimplemented_operation
):
    message = post(cognito_endpoint, unimplemented_operation, b"{}").json()["message"]
    assert message.startswith(
        f"pytest-cognito-mock does not implement the cognito-idp operation "
        f"'{unimplemented_operation}'"
    )
    assert "supported-operations" in message


def test_a_chunked_body_is_read(cognito_endpoint):
    chunks = iter([b'{"MaxResults"', b": 5}"])
    answer = requests.post(
        cognito_endpoint,
        data=chunks,  # a generator: requests sends it chunked
        headers={"X-Amz-Target": TARGET + "ListUserPools"},
        timeout=10,
    )
    assert (answer.status_code, answer.json()) == (200, {"UserPools": []})


def test_a_garbled_request_line_is_a_bad_request(cognito_endpoint):
    parts = urlsplit(cognito_endpoint)
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_browsers_get_cors_answers(cognito_endpoint):
    preflight = requests.options(
        cognito_endpoint,
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Headers"] == (
        "content-type,x-amz-target,x-amz-user-agent"
    )
    answer = post(cognito_endpoint, "ListUserPools", b'{"MaxResults": 1}', Origin="http://x")
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "x-amzn-RequestId" in answer.headers["Access-Control-Expose-Headers"]


def test_the_documents_on_the_endpoint_point_back_at_it(cognito_mock, cognito_endpoint):
    pool_id = cognito_mock.client().create_user_pool(PoolName="docs")["UserPool"]["Id"]
    configuration = requests.get(
        f"{cognito_endpoint}/{pool_id}/.well-known/openid-configuration", timeout=10
    ).json()
    assert configuration["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    assert configuration["jwks_uri"] == f"{cognito_endpoint}/{pool_id}/.well-known/jwks.json"
    keys = requests.get(configuration["jwks_uri"], timeout=10).json()
    assert keys == cognito_mock.jwks(pool_id)


def test_import_uploads_go_to_the_same_endpoint(cognito_mock, cognito_endpoint):
    idp = cognito_mock.client()
    pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    job = idp.create_user_import_job(
        UserPoolId=pool_id,
        JobName="j",
        CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/CognitoImport",
    )["UserImportJob"]
    assert job["PreSignedUrl"].startswith(f"{cognito_endpoint}/aws-cognito-idp-user-import-")


def test_subprocess_env_points_a_child_at_this_mock_and_away_from_real_accounts(cognito_mock):
    base = {
        "PATH": "/usr/bin",
        "AWS_PROFILE": "production",
        "AWS_SESSION_TOKEN": "real-looking",
        "AWS_ACCESS_KEY_ID": "AKIAREAL",
        "HTTPS_PROXY": "http://proxy.example:3128",
        "NO_PROXY": "internal.example",
    }
    env = cognito_mock.subprocess_env(base)
    assert env["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] == cognito_mock.endpoint_url
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == ("testing", "testing")
    assert (env["AWS_REGION"], env["AWS_DEFAULT_REGION"]) == ("us-east-1", "us-east-1")
    assert "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["NO_PROXY"] == "internal.example,127.0.0.1,localhost,::1"
    assert env["PATH"] == "/usr/bin"


def test_an_answer_leaves_in_one_piece(cognito_mock, cognito_endpoint):
    # Head and body in one write, with Nagle's algorithm off: a body sent apart from its head
    # would wait for the client's delayed ACK (about 40 ms an answer on Linux).
    parts = urlsplit(cognito_endpoint)
    request = (
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n"
        b"X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n\r\n"
        b'{"MaxResults": 1}'
    )
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(request)
        first = connection.recv(65536)
        served = list(cognito_mock._service._endpoint._server._connections)  # the server's side
        assert [s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in served] == [1]
    assert first.startswith(b"HTTP/1.1 200 ")
    assert first.endswith(b'{"UserPools":[]}')


def test_a_failure_inside_the_mock_is_a_500_and_is_kept(
    cognito_mock, cognito_endpoint, monkeypatch
):
    def broken(*_):
        raise RuntimeError("a bug in the mock")

    monkeypatch.setattr(cognito_mock._service, "answer_api", broken)
    answer = post(cognito_endpoint, "ListUserPools", b'{"MaxResults": 1}')
    assert (answer.status_code, answer.json()["__type"]) == (500, "InternalErrorException")
    assert answer.headers["Connection"] == "close"
    kept = cognito_mock._service._endpoint.errors
    assert [str(error) for error in kept] == ["a bug in the mock"]


def test_a_body_shorter_than_announced_is_refused(cognito_endpoint):
    parts = urlsplit(cognito_endpoint)
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n"
            b"X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n\r\n{}"
        )
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.endswith(
        b'{"__type":"SerializationException",'
        b'"message":"The request body ended before the length it announced."}'
    )
