"""Every HTTP client library reaches the mock at Cognito's real URLs, and only there: the same
requests, sent through requests, urllib3, httpx (sync and async), aiohttp and urllib."""

from __future__ import annotations

import json

import pytest
from support.http_drivers import API, DRIVERS, Driver, api_headers, jwks_url

from pytest_cognito_mock import UnsupportedOperationError

pytestmark = pytest.mark.parametrize("driver", DRIVERS, ids=str)


def test_the_pools_jwks_at_its_aws_url(driver: Driver, cognito_mock, pool_id):
    status, headers, body = driver.send("GET", jwks_url(pool_id), {}, None)
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == cognito_mock.jwks(pool_id)


def test_a_pool_of_another_region_is_not_found(driver: Driver, pool_id):
    status, _, body = driver.send("GET", jwks_url(pool_id, "eu-west-1"), {}, None)
    assert (status, json.loads(body)) == (404, {"message": f"User pool {pool_id} does not exist."})


def test_the_json_api_answers_and_a_second_client_sees_the_state(
    driver: Driver, cognito_idp, cognito_mock
):
    body = json.dumps({"PoolName": f"made-with-{driver}"}).encode()
    status, headers, answer = driver.send("POST", API, api_headers("CreateUserPool"), body)
    assert status == 200
    assert headers["content-type"] == "application/x-amz-json-1.1"
    pool_id = json.loads(answer)["UserPool"]["Id"]
    described = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["Name"] == f"made-with-{driver}"
    assert [(call.operation, call.region) for call in cognito_mock.calls][-2:] == [
        ("CreateUserPool", "us-east-1"),
        ("DescribeUserPool", "us-east-1"),
    ]


def test_the_fips_host_is_the_same_service(driver: Driver, pool_id):
    url = "https://cognito-idp-fips.us-east-1.amazonaws.com/"
    body = json.dumps({"UserPoolId": pool_id}).encode()
    status, _, answer = driver.send("POST", url, api_headers("DescribeUserPool"), body)
    assert (status, json.loads(answer)["UserPool"]["Id"]) == (200, pool_id)


def test_modelled_errors_come_back_as_aws_error_bodies(driver: Driver, cognito_mock):
    body = json.dumps({"UserPoolId": "us-east-1_nothere00"}).encode()
    status, headers, answer = driver.send("POST", API, api_headers("DescribeUserPool"), body)
    assert status == 400
    assert headers["x-amzn-errortype"] == "ResourceNotFoundException:"
    assert json.loads(answer) == {
        "__type": "ResourceNotFoundException",
        "message": "User pool us-east-1_nothere00 does not exist.",
    }


@pytest.mark.parametrize(
    ("headers", "body", "code", "message"),
    [
        ({}, b"{}", "UnknownOperationException", "The request has no X-Amz-Target header."),
        (
            api_headers("NoSuchThing"),
            b"{}",
            "UnknownOperationException",
            "AWSCognitoIdentityProviderService.NoSuchThing is not an operation of cognito-idp.",
        ),
        (
            api_headers("ListUserPools"),
            b"MaxResults=10",
            "SerializationException",
            "Unable to parse the request body as JSON.",
        ),
        (
            api_headers("ListUserPools"),
            b'{"MaxResults": 10, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            "SerializationException",
            "The request body is nested deeper than 1000 levels.",
        ),
    ],
    ids=["no-target", "unknown-target", "not-json", "nested-5000-deep"],
)
def test_malformed_requests_get_what_aws_json_services_answer(
    driver: Driver, cognito_mock, headers, body, code, message
):
    status, _, answer = driver.send("POST", API, headers, body)
    assert (status, json.loads(answer)) == (400, {"__type": code, "message": message})


def test_an_operation_the_mock_lacks_raises_in_process(
    driver: Driver, cognito_mock, unimplemented_operation
):
    with pytest.raises(UnsupportedOperationError, match=f"'{unimplemented_operation}'"):
        driver.send("POST", API, api_headers(unimplemented_operation), b"{}")


def test_a_user_pool_domain_that_does_not_exist_fails_as_dns_would(driver: Driver, cognito_mock):
    with pytest.raises(driver.connection_error):
        driver.send("GET", "https://nosuch.auth.us-east-1.amazoncognito.com/login", {}, None)


def test_other_hosts_are_untouched(driver: Driver, cognito_mock, other_host):
    status, _, body = driver.send("GET", other_host, {}, None)
    assert (status, body) == (200, b"hello from another host")
