"""CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain,
through boto3."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time
from support.errors import refused

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f8e1c2d-aaaa-bbbb-cccc-000000000001"
PREFIX_RULE = (
    "The domain name contains an invalid character. Domain names can only contain lower-case "
    "letters, numbers, and hyphens. Please enter a different name that follows this format: "
    r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
)


def test_a_prefix_domain_is_described_and_named_by_its_pool(cognito_idp, pool_id):
    with freeze_time("2025-03-04 05:06:07"):
        answer = cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="my-app")
    answer.pop("ResponseMetadata")
    assert answer == {}  # a prefix domain has no CloudFront distribution of its own
    description = cognito_idp.describe_user_pool_domain(Domain="my-app")["DomainDescription"]
    assert description.pop("CloudFrontDistribution").endswith(".cloudfront.net")
    assert description == {
        "UserPoolId": pool_id,
        "AWSAccountId": "123456789012",
        "Domain": "my-app",
        "S3Bucket": "aws-cognito-prod-iad-assets",
        "Version": "20250304050607",
        "Status": "ACTIVE",
        "CustomDomainConfig": {},
    }
    pool = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Domain"] == "my-app"
    assert "CustomDomain" not in pool


def test_a_custom_domain_reports_its_cloudfront_distribution(cognito_idp, cognito_mock, pool_id):
    answer = cognito_idp.create_user_pool_domain(
        UserPoolId=pool_id,
        Domain="auth.example.com",
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
        ManagedLoginVersion=2,
    )
    assert re.fullmatch(r"d[0-9a-f]{13}\.cloudfront\.net", answer["CloudFrontDomain"])
    assert answer["ManagedLoginVersion"] == 2
    other = cognito_mock.client()
    description = other.describe_user_pool_domain(Domain="auth.example.com")["DomainDescription"]
    assert description["CloudFrontDistribution"] == answer["CloudFrontDomain"]
    assert description["CustomDomainConfig"] == {"CertificateArn": CERTIFICATE}
    assert description["ManagedLoginVersion"] == 2
    assert other.describe_user_pool(UserPoolId=pool_id)["UserPool"]["CustomDomain"] == (
        "auth.example.com"
    )


def test_an_unknown_domain_has_an_empty_description(cognito_idp):
    answer = cognito_idp.describe_user_pool_domain(Domain="nobody-has-this")
    assert answer["DomainDescription"] == {}


def test_a_prefix_domain_exists_only_in_its_region(cognito_idp, cognito_mock, pool_id):
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="regional")
    elsewhere = cognito_mock.client(region="eu-west-1")
    assert elsewhere.describe_user_pool_domain(Domain="regional")["DomainDescription"] == {}
    pool_there = elsewhere.create_user_pool(PoolName="there")["UserPool"]["Id"]
    elsewhere.create_user_pool_domain(UserPoolId=pool_there, Domain="regional")
    assert (
        elsewhere.describe_user_pool_domain(Domain="regional")["DomainDescription"]["UserPoolId"]
        == pool_there
    )


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("My-App", PREFIX_RULE),
        ("-app", PREFIX_RULE),
        ("app_1", PREFIX_RULE),
        ("aws-content-analysis", "Domain cannot contain reserved word: aws"),
        ("newcognito", "Domain cannot contain reserved word: cognito"),
        ("myamazonapp", "Domain cannot contain reserved word: amazon"),
    ],
)
def test_a_prefix_breaking_the_rules_is_refused(cognito_idp, pool_id, prefix, message):
    refused(
        cognito_idp.create_user_pool_domain,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        Domain=prefix,
    )
    assert "Domain" not in cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]


def test_a_prefix_longer_than_63_gets_the_model_message(cognito_idp, pool_id):
    refused(
        cognito_idp.create_user_pool_domain,
        "InvalidParameterException",
        f"1 validation error detected: Value '{'a' * 64}' at 'domain' failed to satisfy "
        "constraint: Member must have length less than or equal to 63",
        UserPoolId=pool_id,
        Domain="a" * 64,
    )


def test_a_prefix_is_one_pools_and_a_pool_has_one_prefix(cognito_idp, pool_id):
    other = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="taken")
    refused(
        cognito_idp.create_user_pool_domain,
        "InvalidParameterException",
        "Domain already associated with another user pool.",
        UserPoolId=other,
        Domain="taken",
    )
    refused(
        cognito_idp.create_user_pool_domain,
        "InvalidParameterException",
        f"User pool {pool_id} already has a domain configured.",
        UserPoolId=pool_id,
        Domain="second",
    )
    assert cognito_idp.describe_user_pool_domain(Domain="second")["DomainDescription"] == {}


def test_a_pool_may_have_a_prefix_and_a_custom_domain(cognito_idp, pool_id):
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="both")
    cognito_idp.create_user_pool_domain(
        UserPoolId=pool_id,
        Domain="login.example.org",
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )
    pool = cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert (pool["Domain"], pool["CustomDomain"]) == ("both", "login.example.org")


def test_an_unknown_pool_is_refused(cognito_idp):
    refused(
        cognito_idp.create_user_pool_domain,
        "ResourceNotFoundException",
        "User pool us-east-1_nope does not exist.",
        UserPoolId="us-east-1_nope",
        Domain="fine",
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (None, "CertificateArn is required in CustomDomainConfig."),
        (
            {"CertificateArn": CERTIFICATE.replace("us-east-1", "eu-west-1")},
            "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't "
            "valid, or doesn't include a valid certificate chain.",
        ),
    ],
)
def test_a_custom_domain_needs_a_us_east_1_certificate(cognito_idp, pool_id, config, message):
    kwargs = {"CustomDomainConfig": config} if config else {}
    refused(
        cognito_idp.create_user_pool_domain,
        "InvalidParameterException",
        message,
        UserPoolId=pool_id,
        Domain="auth.example.com",
        **kwargs,
    )


def test_a_custom_name_that_is_not_a_host_name_is_refused(cognito_idp, pool_id):
    refused(
        cognito_idp.create_user_pool_domain,
        "InvalidParameterException",
        "The domain auth..example.com is not a valid domain name.",
        UserPoolId=pool_id,
        Domain="auth..example.com",
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )


def test_update_changes_the_version_and_certificate(cognito_idp, pool_id):
    cognito_idp.create_user_pool_domain(
        UserPoolId=pool_id,
        Domain="id.example.com",
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )
    renewed = CERTIFICATE.replace("0001", "0002")
    answer = cognito_idp.update_user_pool_domain(
        UserPoolId=pool_id,
        Domain="id.example.com",
        CustomDomainConfig={"CertificateArn": renewed},
        ManagedLoginVersion=2,
    )
    assert answer["ManagedLoginVersion"] == 2
    assert answer["CloudFrontDomain"].endswith(".cloudfront.net")
    described = cognito_idp.describe_user_pool_domain(Domain="id.example.com")["DomainDescription"]
    assert described["CustomDomainConfig"] == {"CertificateArn": renewed}
    assert described["ManagedLoginVersion"] == 2


def test_update_and_delete_of_a_domain_the_pool_lacks_are_refused(cognito_idp, pool_id):
    other = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=other, Domain="theirs")
    for call in (cognito_idp.update_user_pool_domain, cognito_idp.delete_user_pool_domain):
        for name in ("theirs", "missing"):
            refused(
                call,
                "InvalidParameterException",
                "No such domain or user pool exists.",
                UserPoolId=pool_id,
                Domain=name,
            )
    assert cognito_idp.describe_user_pool_domain(Domain="theirs")["DomainDescription"]


def test_a_pool_with_a_domain_cannot_be_deleted_until_the_domain_is(cognito_idp, pool_id):
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="keep")
    refused(
        cognito_idp.delete_user_pool,
        "InvalidParameterException",
        "User pool cannot be deleted. It has a domain configured that should be deleted first.",
        UserPoolId=pool_id,
    )
    cognito_idp.delete_user_pool_domain(UserPoolId=pool_id, Domain="keep")
    assert "Domain" not in cognito_idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    cognito_idp.delete_user_pool(UserPoolId=pool_id)
    # The prefix is free again, for any pool.
    fresh = cognito_idp.create_user_pool(PoolName="fresh")["UserPool"]["Id"]
    cognito_idp.create_user_pool_domain(UserPoolId=fresh, Domain="keep")
