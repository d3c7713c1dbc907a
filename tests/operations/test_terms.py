"""CreateTerms, DescribeTerms, DescribeTermsByClient, UpdateTerms, DeleteTerms, ListTerms,
through boto3."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import boto3
import pytest
from freezegun import freeze_time
from support.errors import refused
from support.model import requires_operation

pytestmark = [
    requires_operation("CreateTerms"),
    requires_operation("DescribeTerms"),
    requires_operation("DescribeTermsByClient"),
    requires_operation("UpdateTerms"),
    requires_operation("DeleteTerms"),
    requires_operation("ListTerms"),
]

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
LINKS = {
    "cognito:default": "https://example.com/terms",
    "cognito:spanish": "https://example.com/es",
}
MISSING_ID = "11111111-2222-4333-8444-555555555555"
NOON = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
LATER = datetime(2030, 1, 1, 13, tzinfo=timezone.utc)


def create(cognito_idp, pool_id, client_id, name="terms-of-use", links=None) -> dict:
    return cognito_idp.create_terms(
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName=name,
        TermsSource="LINK",
        Enforcement="NONE",
        Links=links or LINKS,
    )["Terms"]


def describe(cognito_idp, pool_id, terms_id) -> dict:
    return cognito_idp.describe_terms(UserPoolId=pool_id, TermsId=terms_id)["Terms"]


def listed(cognito_idp, pool_id, **kwargs) -> dict:
    answer = cognito_idp.list_terms(UserPoolId=pool_id, **kwargs)
    answer.pop("ResponseMetadata")
    return answer


def not_found(terms_id: str) -> str:
    return f"Terms {terms_id} does not exist."


@pytest.fixture
def other_client(cognito_idp, pool_id) -> str:
    return cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="other")[
        "UserPoolClient"
    ]["ClientId"]


def test_create_describe_and_by_client(cognito_idp, pool_id, client_id):
    with freeze_time(NOON):
        created = create(cognito_idp, pool_id, client_id)
    assert UUID4.match(created["TermsId"])
    assert created == {
        "TermsId": created["TermsId"],
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "TermsName": "terms-of-use",
        "TermsSource": "LINK",
        "Enforcement": "NONE",
        "Links": LINKS,
        "CreationDate": NOON,
        "LastModifiedDate": NOON,
    }
    assert describe(cognito_idp, pool_id, created["TermsId"]) == created
    assert (
        cognito_idp.describe_terms_by_client(
            UserPoolId=pool_id, ClientId=client_id, TermsName="terms-of-use"
        )["Terms"]
        == created
    )
    other = boto3.client("cognito-idp", region_name="us-east-1")
    assert other.describe_terms(UserPoolId=pool_id, TermsId=created["TermsId"])["Terms"] == created


def test_one_document_per_name_per_client(cognito_idp, pool_id, client_id, other_client):
    first = create(cognito_idp, pool_id, client_id)
    refused(
        cognito_idp.create_terms,
        "TermsExistsException",
        f"Terms terms-of-use already exist for app client {client_id}.",
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
        Links={"cognito:default": "https://example.com/other"},
    )
    assert describe(cognito_idp, pool_id, first["TermsId"]) == first
    # The other kind, and the same kind for another client, are separate documents.
    create(cognito_idp, pool_id, client_id, "privacy-policy")
    create(cognito_idp, pool_id, other_client)
    assert len(listed(cognito_idp, pool_id)["Terms"]) == 3


def test_the_model_admits_only_the_two_kinds(cognito_idp, pool_id, client_id):
    refused(
        cognito_idp.create_terms,
        "InvalidParameterException",
        "1 validation error detected: Value 'cookie-policy' at 'termsName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "^(terms-of-use|privacy-policy)$",
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="cookie-policy",
        TermsSource="LINK",
        Enforcement="NONE",
        Links=LINKS,
    )


def test_links_keys_are_languages_of_managed_login(cognito_idp, pool_id, client_id):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        create(cognito_idp, pool_id, client_id, links={"cognito:klingon": "https://x.example"})
    assert "at 'links' failed to satisfy constraint" in raised.value.response["Error"]["Message"]
    every_language = {
        f"cognito:{name}": f"https://example.com/{name}"
        for name in [
            "default",
            "dutch",
            "english",
            "french",
            "spanish",
            "german",
            "bahasa-indonesia",
            "italian",
            "japanese",
            "korean",
            "portuguese-brazil",
            "chinese-simplified",
            "chinese-traditional",
        ]
    }
    assert create(cognito_idp, pool_id, client_id, links=every_language)["Links"] == every_language


def test_create_needs_links(cognito_idp, pool_id, client_id):
    refused(
        cognito_idp.create_terms,
        "InvalidParameterException",
        "1 validation error detected: Value null at 'links' failed to satisfy constraint: "
        "Member must not be null",
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
    )
    assert listed(cognito_idp, pool_id) == {"Terms": []}


def test_unknown_pool_client_and_terms(cognito_idp, pool_id, client_id):
    refused(
        cognito_idp.create_terms,
        "ResourceNotFoundException",
        "User pool us-east-1_nothere does not exist.",
        UserPoolId="us-east-1_nothere",
        ClientId=client_id,
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
        Links=LINKS,
    )
    refused(
        cognito_idp.create_terms,
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
        UserPoolId=pool_id,
        ClientId="nosuchclient",
        TermsName="terms-of-use",
        TermsSource="LINK",
        Enforcement="NONE",
        Links=LINKS,
    )
    for call in (cognito_idp.describe_terms, cognito_idp.update_terms, cognito_idp.delete_terms):
        refused(
            call,
            "ResourceNotFoundException",
            not_found(MISSING_ID),
            UserPoolId=pool_id,
            TermsId=MISSING_ID,
        )
    refused(
        cognito_idp.describe_terms_by_client,
        "ResourceNotFoundException",
        f"Terms privacy-policy does not exist for app client {client_id}.",
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="privacy-policy",
    )
    refused(
        cognito_idp.list_terms,
        "ResourceNotFoundException",
        "User pool us-east-1_nothere does not exist.",
        UserPoolId="us-east-1_nothere",
    )


def test_terms_are_found_only_in_their_own_pool(cognito_idp, pool_id, client_id):
    terms_id = create(cognito_idp, pool_id, client_id)["TermsId"]
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    refused(
        cognito_idp.describe_terms,
        "ResourceNotFoundException",
        not_found(terms_id),
        UserPoolId=other_pool,
        TermsId=terms_id,
    )


def test_update_replaces_what_it_names(cognito_idp, pool_id, client_id):
    with freeze_time(NOON):
        created = create(cognito_idp, pool_id, client_id)
    new_links = {"cognito:default": "https://example.com/v2"}
    with freeze_time(LATER):
        updated = cognito_idp.update_terms(
            UserPoolId=pool_id, TermsId=created["TermsId"], Links=new_links
        )["Terms"]
    assert updated == {**created, "Links": new_links, "LastModifiedDate": LATER}
    assert describe(cognito_idp, pool_id, created["TermsId"]) == updated
    renamed = cognito_idp.update_terms(
        UserPoolId=pool_id, TermsId=created["TermsId"], TermsName="privacy-policy"
    )["Terms"]
    assert renamed["TermsName"] == "privacy-policy"
    assert renamed["Links"] == new_links
    refused(
        cognito_idp.describe_terms_by_client,
        "ResourceNotFoundException",
        f"Terms terms-of-use does not exist for app client {client_id}.",
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="terms-of-use",
    )


def test_update_cannot_take_a_name_the_client_has(cognito_idp, pool_id, client_id, other_client):
    terms = create(cognito_idp, pool_id, client_id)
    policy = create(cognito_idp, pool_id, client_id, "privacy-policy")
    refused(
        cognito_idp.update_terms,
        "TermsExistsException",
        f"Terms privacy-policy already exist for app client {client_id}.",
        UserPoolId=pool_id,
        TermsId=terms["TermsId"],
        TermsName="privacy-policy",
        Links={"cognito:default": "https://example.com/changed"},
    )
    assert describe(cognito_idp, pool_id, terms["TermsId"]) == terms
    assert describe(cognito_idp, pool_id, policy["TermsId"]) == policy
    # Another client's document of that name is no obstacle; nor is keeping its own name.
    other = create(cognito_idp, pool_id, other_client, "privacy-policy")
    cognito_idp.update_terms(UserPoolId=pool_id, TermsId=terms["TermsId"], TermsName="terms-of-use")
    assert describe(cognito_idp, pool_id, other["TermsId"])["ClientId"] == other_client


def test_delete(cognito_idp, pool_id, client_id):
    terms_id = create(cognito_idp, pool_id, client_id)["TermsId"]
    cognito_idp.delete_terms(UserPoolId=pool_id, TermsId=terms_id)
    refused(
        cognito_idp.describe_terms,
        "ResourceNotFoundException",
        not_found(terms_id),
        UserPoolId=pool_id,
        TermsId=terms_id,
    )
    assert listed(cognito_idp, pool_id) == {"Terms": []}
    # The name is free again.
    assert create(cognito_idp, pool_id, client_id)["TermsId"] != terms_id


def test_list_pages_through_the_pool_oldest_first(cognito_idp, pool_id, client_id, other_client):
    with freeze_time(NOON):
        made = [
            create(cognito_idp, pool_id, client, name)
            for client in (client_id, other_client)
            for name in ("terms-of-use", "privacy-policy")
        ]
    summaries = [
        {
            "TermsId": t["TermsId"],
            "TermsName": t["TermsName"],
            "Enforcement": "NONE",
            "CreationDate": NOON,
            "LastModifiedDate": NOON,
        }
        for t in made
    ]
    assert listed(cognito_idp, pool_id) == {"Terms": summaries}
    first = listed(cognito_idp, pool_id, MaxResults=3)
    assert first["Terms"] == summaries[:3]
    second = listed(cognito_idp, pool_id, MaxResults=3, NextToken=first["NextToken"])
    assert second == {"Terms": summaries[3:]}
    refused(
        cognito_idp.list_terms,
        "InvalidParameterException",
        "Invalid pagination token.",
        UserPoolId=pool_id,
        NextToken="forged",
    )


def test_deleting_the_client_deletes_its_terms(cognito_idp, pool_id, client_id, other_client):
    gone = create(cognito_idp, pool_id, client_id)["TermsId"]
    kept = create(cognito_idp, pool_id, other_client)
    cognito_idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    refused(
        cognito_idp.describe_terms,
        "ResourceNotFoundException",
        not_found(gone),
        UserPoolId=pool_id,
        TermsId=gone,
    )
    assert [t["TermsId"] for t in listed(cognito_idp, pool_id)["Terms"]] == [kept["TermsId"]]


def test_deleting_the_pool_deletes_its_terms(cognito_idp, pool_id, client_id):
    terms_id = create(cognito_idp, pool_id, client_id)["TermsId"]
    cognito_idp.delete_user_pool(UserPoolId=pool_id)
    refused(
        cognito_idp.describe_terms,
        "ResourceNotFoundException",
        f"User pool {pool_id} does not exist.",
        UserPoolId=pool_id,
        TermsId=terms_id,
    )
