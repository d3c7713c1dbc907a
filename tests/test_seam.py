"""The botocore seam: which calls reach the mock, and that botocore is restored after."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
from botocore.config import Config

from pytest_cognito_mock import CognitoMock, MockNotStartedError, UnsupportedOperationError

FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def new_client(region: str = "us-east-1", **kwargs: object):
    return boto3.client("cognito-idp", region_name=region, **FAKE, **kwargs)


class RecordingServer:
    """A loopback HTTP server answering every POST with an empty ListUserPools result."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        recorded = self.targets

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorded.append(self.headers.get("X-Amz-Target", ""))
                body = json.dumps({"UserPools": []}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.close()


def test_a_client_created_before_the_mock_started_is_answered_by_it():
    early_client = new_client()
    with CognitoMock() as mock:
        pool_id = early_client.create_user_pool(PoolName="early")["UserPool"]["Id"]
    assert pool_id in mock._service.backend.pools
    assert [c.operation for c in mock.calls] == ["CreateUserPool"]


def test_the_region_comes_from_the_client_and_pools_are_regional():
    with CognitoMock():
        ireland = new_client("eu-west-1")
        virginia = new_client("us-east-1")
        pool_id = ireland.create_user_pool(PoolName="p")["UserPool"]["Id"]
        assert pool_id.startswith("eu-west-1_")
        assert [p["Id"] for p in ireland.list_user_pools(MaxResults=10)["UserPools"]] == [pool_id]
        assert virginia.list_user_pools(MaxResults=10)["UserPools"] == []
        with pytest.raises(virginia.exceptions.ResourceNotFoundException) as raised:
            virginia.describe_user_pool(UserPoolId=pool_id)
        assert raised.value.response["Error"]["Message"] == f"User pool {pool_id} does not exist."


def test_a_custom_endpoint_url_is_answered_by_the_mock_in_the_client_region(recording_server):
    client = new_client("ap-south-1", endpoint_url=recording_server.url)
    with CognitoMock():
        pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
    assert pool_id.startswith("ap-south-1_")
    assert recording_server.targets == []


def test_after_stop_calls_go_to_the_network_again(recording_server):
    client = new_client(endpoint_url=recording_server.url)
    with CognitoMock():
        client.list_user_pools(MaxResults=1)
    assert recording_server.targets == []
    assert client.list_user_pools(MaxResults=1)["UserPools"] == []
    assert recording_server.targets == ["AWSCognitoIdentityProviderService.ListUserPools"]


def test_errors_reach_code_as_modelled_exceptions_with_request_metadata(cognito_idp):
    with pytest.raises(cognito_idp.exceptions.ResourceNotFoundException) as raised:
        cognito_idp.describe_user_pool(UserPoolId="us-east-1_AAAAAAAAA")
    response = raised.value.response
    assert response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "User pool us-east-1_AAAAAAAAA does not exist.",
    }
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert len(response["ResponseMetadata"]["RequestId"]) == 36


def test_an_unsupported_operation_raises_once_naming_it_and_the_docs(
    cognito_mock, unimplemented_operation
):
    # standard retry mode would retry a 5xx up to 5 times: the error must not be one
    operation = unimplemented_operation
    client = new_client(config=Config(retries={"mode": "standard", "max_attempts": 5}))
    attempts: list[str] = []
    client.meta.events.register(
        "request-created.cognito-identity-provider", lambda **kw: attempts.append("attempt")
    )
    method = getattr(client, _python_name(client, operation))
    with pytest.raises(UnsupportedOperationError) as raised:
        method(**_minimal_params(client, operation))
    assert isinstance(raised.value, NotImplementedError)
    assert f"'{operation}'" in str(raised.value)
    assert "docs/supported-operations.md" in str(raised.value)
    assert len(attempts) == 1


def _python_name(client, operation: str) -> str:
    reverse = {api: py for py, api in client.meta.method_to_api_mapping.items()}
    return reverse[operation]


def _minimal_params(client, operation: str) -> dict[str, object]:
    shape = client.meta.service_model.operation_model(operation).input_shape
    samples = {"string": "x_y", "integer": 1, "boolean": True}
    params: dict[str, object] = {}
    for name in shape.required_members:
        member = shape.members[name]
        if member.type_name in samples:
            params[name] = "us-east-1_abc" if name == "UserPoolId" else samples[member.type_name]
        elif member.type_name == "list":
            params[name] = []
        else:
            params[name] = {}
    return params


def test_nested_mocks_the_innermost_answers_and_the_outer_resumes():
    client = new_client()
    with CognitoMock():
        outer_pool = client.create_user_pool(PoolName="outer")["UserPool"]["Id"]
        with CognitoMock() as inner:
            assert client.list_user_pools(MaxResults=10)["UserPools"] == []
            client.create_user_pool(PoolName="inner")
        assert [p["Id"] for p in client.list_user_pools(MaxResults=10)["UserPools"]] == [outer_pool]
    assert len(inner._service.backend.pools) == 1


def test_start_and_stop_must_balance():
    mock = CognitoMock()
    with pytest.raises(MockNotStartedError):
        mock.stop()
    mock.start()
    with pytest.raises(RuntimeError):
        mock.start()
    mock.stop()
    assert not mock.active


def test_signed_calls_work_without_any_configured_credentials(monkeypatch, tmp_path):
    names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")
    for name in (*names, "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    with CognitoMock(region="eu-central-1"):
        client = boto3.client("cognito-idp")  # as code under test would: no region, no keys
        pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
    assert pool_id.startswith("eu-central-1_")
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_configured_credentials_are_left_alone(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mine-too")
    with CognitoMock():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"


def test_threads_sharing_one_client_all_reach_the_mock(cognito_idp, cognito_mock):
    errors: list[BaseException] = []

    def create(n: int) -> None:
        try:
            for i in range(25):
                cognito_idp.create_user_pool(PoolName=f"t{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cognito_mock._service.backend.pools) == 200
    assert len({p.name for p in cognito_mock._service.backend.pools.values()}) == 200


def test_a_client_created_without_any_credentials_can_sign_while_the_mock_runs(
    monkeypatch, tmp_path
):
    names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    # Like a module-level client of the code under test, created before any mock started.
    import_time_client = boto3.session.Session().client("cognito-idp", region_name="us-east-1")
    assert import_time_client._request_signer._credentials is None
    with CognitoMock():
        pool_id = import_time_client.create_user_pool(PoolName="p")["UserPool"]["Id"]
        assert import_time_client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "p"
    assert import_time_client._request_signer._credentials is None
