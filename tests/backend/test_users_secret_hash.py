from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from pytest_cognito_mock.backend.errors import NotAuthorizedException
from pytest_cognito_mock.backend.models import AppClient, ClientSecret, ClientSettings
from pytest_cognito_mock.backend.secret_hash import (
    MISSING_SECRET_HASH,
    check_secret_hash,
    compute_secret_hash,
)


def _client(secret: str | None) -> AppClient:
    secrets = [ClientSecret("client123--0", secret, 0.0)] if secret is not None else []
    return AppClient("client123", "us-east-1_x", "c", 0, 0, ClientSettings(), secrets=secrets)


def test_the_hash_is_base64_of_hmac_sha256_of_username_and_client_id():
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"alice" + b"client123", hashlib.sha256).digest()
    ).decode()
    assert compute_secret_hash("s3cret", "alice", "client123") == expected


def test_non_ascii_usernames_are_hashed_as_utf8():
    expected = base64.b64encode(
        hmac.new(b"s3cret", "jörg".encode() + b"client123", hashlib.sha256).digest()
    ).decode()
    assert compute_secret_hash("s3cret", "jörg", "client123") == expected


def test_the_right_hash_passes():
    check_secret_hash(
        _client("s3cret"), "alice", compute_secret_hash("s3cret", "alice", "client123")
    )


@pytest.mark.parametrize("given", [None, ""])
def test_a_missing_hash_is_refused_with_the_missing_message(given):
    with pytest.raises(NotAuthorizedException) as raised:
        check_secret_hash(_client("s3cret"), "alice", given)
    assert raised.value.message == (
        "Client client123 is configured for secret but secret was not received"
    )


def test_the_missing_message_is_the_caller_s_choice():
    with pytest.raises(NotAuthorizedException) as raised:
        check_secret_hash(_client("s3cret"), "alice", None, missing_message=MISSING_SECRET_HASH)
    assert raised.value.message == (
        "Client client123 is configured with secret but SECRET_HASH was not received"
    )


def test_a_hash_for_another_username_is_refused():
    wrong = compute_secret_hash("s3cret", "bob", "client123")
    with pytest.raises(NotAuthorizedException) as raised:
        check_secret_hash(_client("s3cret"), "alice", wrong)
    assert raised.value.message == "SecretHash does not match for the client: client123"


def test_a_client_without_a_secret_ignores_any_hash():
    check_secret_hash(_client(None), "alice", None)
    check_secret_hash(_client(None), "alice", "whatever")
