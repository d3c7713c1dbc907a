"""Identity providers (Create, Describe, List, Update, Delete, GetIdentityProviderByIdentifier),
GetSigningCertificate, AdminLinkProviderForUser and AdminDisableProviderForUser, through boto3."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest
from cryptography import x509
from freezegun import freeze_time
from support.model import requires_member

from pytest_cognito_mock.backend import identity_providers as backend_providers
from pytest_cognito_mock.backend.provider_links import ProviderFeatureNotImplementedError

PROVIDER_KEYS = {
    "UserPoolId",
    "ProviderName",
    "ProviderType",
    "ProviderDetails",
    "AttributeMapping",
    "IdpIdentifiers",
    "LastModifiedDate",
    "CreationDate",
}
SOCIAL = {"client_id": "app-id", "client_secret": "app-secret", "authorize_scopes": "email"}
APPLE = {
    "client_id": "com.example.web",
    "team_id": "TEAM123456",
    "key_id": "KEY1234567",
    "private_key": "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
    "authorize_scopes": "email name",
}
ISSUER = "https://idp.example.com"
OIDC = {
    "client_id": "oidc-client",
    "client_secret": "oidc-secret",
    "attributes_request_method": "GET",
    "oidc_issuer": ISSUER,
    "authorize_scopes": "openid email",
}
ENTITY_ID = "https://sso.example.com/metadata"
METADATA = f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{ENTITY_ID}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="https://sso.example.com/slo/post"/>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://sso.example.com/slo/redirect"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://sso.example.com/sso/redirect"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def refused(cognito_idp, error: str, message: str, call, **kwargs) -> None:
    with pytest.raises(getattr(cognito_idp.exceptions, error)) as raised:
        call(**kwargs)
    assert raised.value.response["Error"]["Message"] == message


def create(cognito_idp, pool_id: str, name: str, provider_type: str, details: dict, **kwargs):
    return cognito_idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName=name,
        ProviderType=provider_type,
        ProviderDetails=details,
        **kwargs,
    )["IdentityProvider"]


def describe(cognito_idp, pool_id: str, name: str) -> dict:
    return cognito_idp.describe_identity_provider(UserPoolId=pool_id, ProviderName=name)[
        "IdentityProvider"
    ]


def pool_state(cognito_mock, pool_id: str):
    return cognito_mock._service.backend.pools[pool_id]


def identities(cognito_idp, pool_id: str, username: str) -> list[dict] | None:
    attributes = cognito_idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    found = [a["Value"] for a in attributes if a["Name"] == "identities"]
    return json.loads(found[0]) if found else None


def local_user(cognito_idp, pool_id: str, username: str = "ana") -> str:
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    return username


def link(cognito_idp, pool_id: str, username: str, provider: str, value: str, attribute=None):
    cognito_idp.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
        SourceUser={
            "ProviderName": provider,
            "ProviderAttributeName": attribute or "Cognito_Subject",
            "ProviderAttributeValue": value,
        },
    )


# -- Create and Describe: the shape of each type -----------------------------------------------


def test_a_google_provider_is_completed_with_googles_endpoints(cognito_idp, pool_id):
    with freeze_time("2024-05-01 12:00:00"):
        created = create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    assert set(created) == PROVIDER_KEYS
    assert created["UserPoolId"] == pool_id
    assert (created["ProviderName"], created["ProviderType"]) == ("Google", "Google")
    assert created["ProviderDetails"] == {
        **SOCIAL,
        "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oidc_issuer": "https://accounts.google.com",
        "token_request_method": "POST",
        "token_url": "https://www.googleapis.com/oauth2/v4/token",
    }
    assert created["AttributeMapping"] == {"username": "sub"}
    assert created["IdpIdentifiers"] == []
    assert created["CreationDate"] == created["LastModifiedDate"]
    assert created["CreationDate"] == datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    assert describe(cognito_idp, pool_id, "Google") == created


def test_facebook_endpoints_follow_its_api_version(cognito_idp, pool_id):
    details = create(cognito_idp, pool_id, "Facebook", "Facebook", SOCIAL)["ProviderDetails"]
    assert details == {
        **SOCIAL,
        "api_version": "v17.0",
        "attributes_url": "https://graph.facebook.com/v17.0/me?fields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": "https://www.facebook.com/v17.0/dialog/oauth",
        "token_request_method": "GET",
        "token_url": "https://graph.facebook.com/v17.0/oauth/access_token",
    }
    cognito_idp.update_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Facebook",
        ProviderDetails={**SOCIAL, "api_version": "v19.0"},
    )
    updated = describe(cognito_idp, pool_id, "Facebook")
    assert (
        updated["ProviderDetails"]["authorize_url"] == "https://www.facebook.com/v19.0/dialog/oauth"
    )
    assert updated["ProviderDetails"]["api_version"] == "v19.0"
    assert updated["AttributeMapping"] == {"username": "id"}


def test_login_with_amazon_maps_the_username_to_user_id(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id, "LoginWithAmazon", "LoginWithAmazon", SOCIAL)
    assert created["ProviderDetails"] == {
        **SOCIAL,
        "attributes_url": "https://api.amazon.com/user/profile",
        "attributes_url_add_attributes": "false",
        "authorize_url": "https://www.amazon.com/ap/oa",
        "token_request_method": "POST",
        "token_url": "https://api.amazon.com/auth/o2/token",
    }
    assert created["AttributeMapping"] == {"username": "user_id"}


def test_apples_private_key_is_kept_but_never_answered(cognito_idp, cognito_mock, pool_id):
    created = create(cognito_idp, pool_id, "SignInWithApple", "SignInWithApple", APPLE)
    public = {key: value for key, value in APPLE.items() if key != "private_key"}
    assert created["ProviderDetails"] == {
        **public,
        "attributes_url_add_attributes": "false",
        "authorize_url": "https://appleid.apple.com/auth/authorize",
        "oidc_issuer": "https://appleid.apple.com",
        "token_request_method": "POST",
        "token_url": "https://appleid.apple.com/auth/token",
    }
    assert describe(cognito_idp, pool_id, "SignInWithApple") == created
    # An update made from what Describe answers (no private_key) keeps the stored key.
    cognito_idp.update_identity_provider(
        UserPoolId=pool_id,
        ProviderName="SignInWithApple",
        ProviderDetails={**public, "authorize_scopes": "email"},
    )
    stored = pool_state(cognito_mock, pool_id).identity_providers["SignInWithApple"]
    assert stored.details["private_key"] == APPLE["private_key"]
    assert stored.details["authorize_scopes"] == "email"


def test_an_oidc_issuer_alone_gives_the_endpoints_under_it(cognito_idp, pool_id):
    created = create(
        cognito_idp,
        pool_id,
        "Okta",
        "OIDC",
        {**OIDC, "oidc_issuer": ISSUER + "/"},
        AttributeMapping={"email": "email"},
    )
    assert created["ProviderDetails"] == {
        **OIDC,
        "oidc_issuer": ISSUER + "/",
        "authorize_url": f"{ISSUER}/authorize",
        "token_url": f"{ISSUER}/token",
        "attributes_url": f"{ISSUER}/userinfo",
        "jwks_uri": f"{ISSUER}/.well-known/jwks.json",
        "attributes_url_add_attributes": "false",
    }
    assert created["AttributeMapping"] == {"email": "email", "username": "sub"}


def test_explicit_oidc_endpoints_are_kept(cognito_idp, pool_id):
    endpoints = {
        "authorize_url": "https://login.example.org/oauth/authorize",
        "token_url": "https://login.example.org/oauth/token",
        "attributes_url": "https://login.example.org/oauth/me",
        "jwks_uri": "https://login.example.org/keys",
    }
    created = create(
        cognito_idp,
        pool_id,
        "Corp",
        "OIDC",
        {**OIDC, **endpoints, "attributes_url_add_attributes": "true"},
        AttributeMapping={"username": "preferred_username"},
    )
    assert created["ProviderDetails"] == {
        **OIDC,
        **endpoints,
        "attributes_url_add_attributes": "false",
    }
    assert created["AttributeMapping"] == {"username": "preferred_username"}


def test_saml_metadata_gives_the_redirect_binding_endpoints(cognito_idp, pool_id):
    details = {"MetadataFile": METADATA, "IDPSignout": "true"}
    created = create(cognito_idp, pool_id, "Corp-SAML", "SAML", details)
    assert created["ProviderDetails"] == {
        **details,
        "SSORedirectBindingURI": "https://sso.example.com/sso/redirect",
        "SLORedirectBindingURI": "https://sso.example.com/slo/redirect",
    }
    # SAML has no subject claim to map the user name to.
    assert created["AttributeMapping"] == {}
    by_url = create(
        cognito_idp, pool_id, "Url-SAML", "SAML", {"MetadataURL": "https://sso.example.com/md"}
    )
    assert by_url["ProviderDetails"] == {"MetadataURL": "https://sso.example.com/md"}


def test_encrypted_saml_responses_get_a_stable_encryption_certificate(cognito_idp, pool_id):
    details = {"MetadataFile": METADATA, "EncryptedResponses": "true"}
    created = create(cognito_idp, pool_id, "Enc", "SAML", details)["ProviderDetails"]
    certificate = created["ActiveEncryptionCertificate"]
    x509.load_der_x509_certificate(base64.b64decode(certificate))
    cognito_idp.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Enc", ProviderDetails={**details, "IDPSignout": "true"}
    )
    updated = describe(cognito_idp, pool_id, "Enc")["ProviderDetails"]
    assert updated["ActiveEncryptionCertificate"] == certificate


@requires_member("CreateIdentityProvider", "AcrMapping")
def test_acr_mapping_is_echoed_only_when_given(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id, "Acr", "OIDC", OIDC, AcrMapping={"Level1": "urn:mfa"})
    assert created["AcrMapping"] == {"Level1": "urn:mfa"}
    assert "AcrMapping" not in create(cognito_idp, pool_id, "NoAcr", "OIDC", OIDC)


def test_a_second_client_sees_the_provider(cognito_idp, cognito_mock, pool_id):
    created = create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    other = cognito_mock.client()
    assert describe(other, pool_id, "Google") == created


# -- Create refused ---------------------------------------------------------------------------


def test_a_social_provider_must_be_named_after_its_type(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Provider NameOfGP cannot be of type Google.",
        cognito_idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="NameOfGP",
        ProviderType="Google",
        ProviderDetails={"token_url": "https://www.googleapis.com/oauth2/v4/token"},
    )
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Provider Facebook cannot be of type OIDC.",
        cognito_idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Facebook",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
    )
    assert cognito_idp.list_identity_providers(UserPoolId=pool_id)["Providers"] == []


@pytest.mark.parametrize(
    ("provider_type", "details", "message"),
    [
        (
            "LoginWithAmazon",
            {"client_id": "a", "client_secret": "b"},
            "client_id, client_secret and authorize_scopes are all required idp details.",
        ),
        (
            "Google",
            {**SOCIAL, "client_secret": ""},
            "client_id, client_secret and authorize_scopes are all required idp details.",
        ),
        (
            "SignInWithApple",
            {key: value for key, value in APPLE.items() if key != "private_key"},
            "client_id, team_id, key_id, private_key and authorize_scopes are all required idp "
            "details.",
        ),
        (
            "OIDC",
            {key: value for key, value in OIDC.items() if key != "oidc_issuer"},
            "client_id, client_secret, attributes_request_method, oidc_issuer and "
            "authorize_scopes are all required idp details.",
        ),
        (
            "OIDC",
            {**OIDC, "attributes_request_method": "PUT"},
            "attributes_request_method must be GET or POST, not PUT.",
        ),
        (
            "SAML",
            {"IDPSignout": "true"},
            "At least one of the MetadataURL or MetadataFile should be provided.",
        ),
        (
            "SAML",
            {"MetadataURL": "https://sso.example.com/md", "MetadataFile": METADATA},
            "Only one of the MetadataURL or MetadataFile may be provided.",
        ),
        (
            "SAML",
            {"MetadataFile": "<md:EntityDescriptor"},
            "The SAML metadata in MetadataFile is not well-formed XML.",
        ),
        (
            "SAML",
            {"MetadataFile": "<EntityDescriptor entityID='x'/>"},
            "The SAML metadata in MetadataFile describes no identity provider (an "
            "EntityDescriptor with an IDPSSODescriptor).",
        ),
    ],
)
def test_provider_details_are_checked(cognito_idp, pool_id, provider_type, details, message):
    name = provider_type if provider_type in backend_providers.SOCIAL_TYPES else "Mine"
    refused(
        cognito_idp,
        "InvalidParameterException",
        message,
        cognito_idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName=name,
        ProviderType=provider_type,
        ProviderDetails=details,
    )
    assert cognito_idp.list_identity_providers(UserPoolId=pool_id)["Providers"] == []


def test_a_name_already_taken_is_refused(cognito_idp, pool_id):
    first = create(cognito_idp, pool_id, "Corp", "OIDC", OIDC)
    refused(
        cognito_idp,
        "DuplicateProviderException",
        f"Corp already exists in user pool {pool_id}.",
        cognito_idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": METADATA},
    )
    assert describe(cognito_idp, pool_id, "Corp") == first
    # Names are case sensitive.
    assert create(cognito_idp, pool_id, "corp", "OIDC", OIDC)["ProviderName"] == "corp"


def test_unknown_provider_and_unknown_pool(cognito_idp, pool_id):
    for call in (
        cognito_idp.describe_identity_provider,
        cognito_idp.update_identity_provider,
        cognito_idp.delete_identity_provider,
    ):
        refused(
            cognito_idp,
            "ResourceNotFoundException",
            "Identity provider Nope does not exist.",
            call,
            UserPoolId=pool_id,
            ProviderName="Nope",
        )
    missing = "us-east-1_Missing00"
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        f"User pool {missing} does not exist.",
        cognito_idp.create_identity_provider,
        UserPoolId=missing,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails=SOCIAL,
    )


def test_the_same_name_in_two_pools_is_two_providers(cognito_idp, pool_id):
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    create(cognito_idp, other_pool, "Google", "Google", {**SOCIAL, "client_id": "other"})
    assert describe(cognito_idp, pool_id, "Google")["ProviderDetails"]["client_id"] == "app-id"
    assert describe(cognito_idp, other_pool, "Google")["UserPoolId"] == other_pool


# -- IdP identifiers ---------------------------------------------------------------------------


def test_identifiers_find_their_provider(cognito_idp, pool_id):
    created = create(
        cognito_idp,
        pool_id,
        "Corp",
        "SAML",
        {"MetadataFile": METADATA},
        IdpIdentifiers=["example.com", "corp"],
    )
    assert created["IdpIdentifiers"] == ["example.com", "corp"]
    found = cognito_idp.get_identity_provider_by_identifier(
        UserPoolId=pool_id, IdpIdentifier="EXAMPLE.com"
    )["IdentityProvider"]
    assert found == created
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        "Identity provider with identifier other.com does not exist.",
        cognito_idp.get_identity_provider_by_identifier,
        UserPoolId=pool_id,
        IdpIdentifier="other.com",
    )


def test_an_identifier_names_one_provider(cognito_idp, pool_id):
    create(cognito_idp, pool_id, "Corp", "OIDC", OIDC, IdpIdentifiers=["corp"])
    refused(
        cognito_idp,
        "InvalidParameterException",
        "The IdP identifier Corp is already used by the provider Corp.",
        cognito_idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Other",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        IdpIdentifiers=["Corp"],
    )
    refused(
        cognito_idp,
        "InvalidParameterException",
        "The IdP identifier b is given twice.",
        cognito_idp.create_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Other",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        IdpIdentifiers=["b", "b"],
    )
    assert [
        p["ProviderName"]
        for p in cognito_idp.list_identity_providers(UserPoolId=pool_id)["Providers"]
    ] == ["Corp"]
    # A provider may keep its own identifiers on update, and frees those it drops.
    cognito_idp.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", IdpIdentifiers=["corp", "c2"]
    )
    cognito_idp.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", IdpIdentifiers=["c2"]
    )
    create(cognito_idp, pool_id, "Other", "OIDC", OIDC, IdpIdentifiers=["corp"])
    by_identifier = cognito_idp.get_identity_provider_by_identifier(
        UserPoolId=pool_id, IdpIdentifier="corp"
    )
    assert by_identifier["IdentityProvider"]["ProviderName"] == "Other"


# -- Update ------------------------------------------------------------------------------------


def test_update_replaces_what_is_given_and_keeps_the_rest(cognito_idp, pool_id):
    with freeze_time("2024-05-01 12:00:00"):
        created = create(
            cognito_idp,
            pool_id,
            "Corp",
            "OIDC",
            OIDC,
            AttributeMapping={"email": "email"},
            IdpIdentifiers=["corp"],
        )
    with freeze_time("2024-05-02 12:00:00"):
        updated = cognito_idp.update_identity_provider(
            UserPoolId=pool_id, ProviderName="Corp", AttributeMapping={"name": "name"}
        )["IdentityProvider"]
    assert updated["AttributeMapping"] == {"name": "name", "username": "sub"}
    assert updated["ProviderDetails"] == created["ProviderDetails"]
    assert updated["IdpIdentifiers"] == ["corp"]
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"] == datetime(2024, 5, 2, 12, tzinfo=timezone.utc)
    assert describe(cognito_idp, pool_id, "Corp") == updated


def test_updated_details_are_checked_as_on_creation(cognito_idp, pool_id):
    created = create(cognito_idp, pool_id, "Corp", "OIDC", OIDC)
    refused(
        cognito_idp,
        "InvalidParameterException",
        "client_id, client_secret, attributes_request_method, oidc_issuer and authorize_scopes "
        "are all required idp details.",
        cognito_idp.update_identity_provider,
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderDetails={"client_id": "only"},
    )
    assert describe(cognito_idp, pool_id, "Corp") == created
    new_issuer = "https://new.example.com"
    cognito_idp.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", ProviderDetails={**OIDC, "oidc_issuer": new_issuer}
    )
    details = describe(cognito_idp, pool_id, "Corp")["ProviderDetails"]
    assert details["authorize_url"] == f"{new_issuer}/authorize"


# -- List --------------------------------------------------------------------------------------


def test_providers_are_listed_in_pages(cognito_idp, pool_id):
    names = [f"Idp{index}" for index in range(5)]
    for name in names:
        create(cognito_idp, pool_id, name, "OIDC", OIDC)
    listed = cognito_idp.list_identity_providers(UserPoolId=pool_id)
    assert "NextToken" not in listed
    assert [p["ProviderName"] for p in listed["Providers"]] == names
    assert set(listed["Providers"][0]) == {
        "ProviderName",
        "ProviderType",
        "LastModifiedDate",
        "CreationDate",
    }
    seen, token = [], None
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = cognito_idp.list_identity_providers(UserPoolId=pool_id, MaxResults=2, **kwargs)
        assert len(page["Providers"]) <= 2
        seen += [p["ProviderName"] for p in page["Providers"]]
        token = page.get("NextToken")
        if token is None:
            break
    assert seen == names
    paginator = cognito_idp.get_paginator("list_identity_providers")
    pages = list(paginator.paginate(UserPoolId=pool_id, PaginationConfig={"PageSize": 3}))
    assert [len(p["Providers"]) for p in pages] == [3, 2]


def test_list_refuses_a_page_of_zero_and_a_foreign_token(cognito_idp, pool_id):
    refused(
        cognito_idp,
        "InvalidParameterException",
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1",
        cognito_idp.list_identity_providers,
        UserPoolId=pool_id,
        MaxResults=0,
    )
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Invalid pagination token.",
        cognito_idp.list_identity_providers,
        UserPoolId=pool_id,
        NextToken="bm90LWEtdG9rZW4",
    )


# -- Delete ------------------------------------------------------------------------------------


def test_delete_removes_the_provider_and_its_links(cognito_idp, cognito_mock, pool_id):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL, IdpIdentifiers=["gmail.com"])
    create(cognito_idp, pool_id, "Corp", "OIDC", OIDC)
    ana = local_user(cognito_idp, pool_id)
    link(cognito_idp, pool_id, ana, "Google", "1001")
    link(cognito_idp, pool_id, ana, "Corp", "corp-1")
    cognito_idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Google")
    assert [
        p["ProviderName"]
        for p in cognito_idp.list_identity_providers(UserPoolId=pool_id)["Providers"]
    ] == ["Corp"]
    assert [i["providerName"] for i in identities(cognito_idp, pool_id, ana)] == ["Corp"]
    assert pool_state(cognito_mock, pool_id).provider_links == {("Corp", "corp-1"): "ana"}
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        "Identity provider with identifier gmail.com does not exist.",
        cognito_idp.get_identity_provider_by_identifier,
        UserPoolId=pool_id,
        IdpIdentifier="gmail.com",
    )
    # The name is free again.
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)


# -- GetSigningCertificate ---------------------------------------------------------------------


def test_the_signing_certificate_is_stable_per_pool(cognito_idp, cognito_mock, pool_id):
    first = cognito_idp.get_signing_certificate(UserPoolId=pool_id)["Certificate"]
    certificate = x509.load_der_x509_certificate(base64.b64decode(first, validate=True))
    assert pool_id in certificate.subject.rfc4514_string()
    assert certificate.issuer == certificate.subject
    assert cognito_mock.client().get_signing_certificate(UserPoolId=pool_id)["Certificate"] == first
    other_pool = cognito_idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    assert cognito_idp.get_signing_certificate(UserPoolId=other_pool)["Certificate"] != first
    missing = "us-east-1_Missing00"
    refused(
        cognito_idp,
        "ResourceNotFoundException",
        f"User pool {missing} does not exist.",
        cognito_idp.get_signing_certificate,
        UserPoolId=missing,
    )


# -- AdminLinkProviderForUser ------------------------------------------------------------------


def test_a_link_shows_in_the_users_identities(cognito_idp, cognito_mock, pool_id):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    create(cognito_idp, pool_id, "Corp", "OIDC", OIDC)
    create(cognito_idp, pool_id, "Corp-SAML", "SAML", {"MetadataFile": METADATA})
    ana = local_user(cognito_idp, pool_id)
    with freeze_time("2024-05-01 12:00:00.250"):
        link(cognito_idp, pool_id, ana, "Google", "102769505389790198629")
    link(cognito_idp, pool_id, ana, "Corp", "corp-1")
    link(cognito_idp, pool_id, ana, "Corp-SAML", "ana@example.com", attribute="email")
    linked = identities(cognito_mock.client(), pool_id, ana)
    assert linked[0] == {
        "userId": "102769505389790198629",
        "providerName": "Google",
        "providerType": "Google",
        "issuer": None,
        "primary": False,
        "dateCreated": 1714564800250,
    }
    assert [(i["providerType"], i["issuer"], i["primary"]) for i in linked[1:]] == [
        ("OIDC", ISSUER, False),
        ("SAML", ENTITY_ID, False),
    ]
    raw = next(
        a["Value"]
        for a in cognito_idp.admin_get_user(UserPoolId=pool_id, Username=ana)["UserAttributes"]
        if a["Name"] == "identities"
    )
    assert raw.startswith('[{"userId":"102769505389790198629","providerName":"Google"')
    assert pool_state(cognito_mock, pool_id).provider_links == {
        ("Google", "102769505389790198629"): "ana",
        ("Corp", "corp-1"): "ana",
        ("Corp-SAML", "ana@example.com"): "ana",
    }


def test_linking_an_identity_again_to_its_user_changes_nothing(cognito_idp, pool_id):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    ana = local_user(cognito_idp, pool_id)
    link(cognito_idp, pool_id, ana, "Google", "1001")
    before = identities(cognito_idp, pool_id, ana)
    link(cognito_idp, pool_id, ana, "Google", "1001")
    assert identities(cognito_idp, pool_id, ana) == before


def test_link_refusals(cognito_idp, cognito_mock, pool_id):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    ana = local_user(cognito_idp, pool_id)
    bob = local_user(cognito_idp, pool_id, "bob")
    link(cognito_idp, pool_id, ana, "Google", "1001")

    def refused_link(error: str, message: str, source: dict, destination: str = bob) -> None:
        refused(
            cognito_idp,
            error,
            message,
            cognito_idp.admin_link_provider_for_user,
            UserPoolId=pool_id,
            DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": destination},
            SourceUser=source,
        )

    subject = {"ProviderAttributeName": "Cognito_Subject"}
    refused_link(
        "InvalidParameterException",
        "Invalid SourceUser: Cognito users with a username/password may not be passed in as a "
        "SourceUser, only as a DestinationUser",
        {**subject, "ProviderName": "Cognito", "ProviderAttributeValue": ana},
    )
    refused_link(
        "InvalidParameterException",
        f"The provider Facebook does not exist for User Pool {pool_id}",
        {**subject, "ProviderName": "Facebook", "ProviderAttributeValue": "1"},
    )
    refused_link(
        "InvalidParameterException",
        "Invalid SourceUser: ProviderAttributeName must be Cognito_Subject for a Google provider.",
        {"ProviderName": "Google", "ProviderAttributeName": "email", "ProviderAttributeValue": "x"},
    )
    refused_link(
        "InvalidParameterException",
        "Invalid SourceUser: ProviderName, ProviderAttributeName and ProviderAttributeValue are "
        "all required.",
        {"ProviderName": "Google"},
    )
    refused_link(
        "InvalidParameterException",
        "Merging is not currently supported, provide a SourceUser that has not been linked yet",
        {**subject, "ProviderName": "Google", "ProviderAttributeValue": "1001"},
    )
    refused_link(
        "UserNotFoundException",
        "User does not exist.",
        {**subject, "ProviderName": "Google", "ProviderAttributeValue": "2002"},
        destination="nobody",
    )
    # A federated user of that identity already exists: Cognito does not merge users.
    local_user(cognito_idp, pool_id, "Google_3003")
    refused_link(
        "InvalidParameterException",
        "Merging is not currently supported, provide a SourceUser that has not been signed up in "
        "order to link",
        {**subject, "ProviderName": "Google", "ProviderAttributeValue": "3003"},
    )
    assert identities(cognito_idp, pool_id, bob) is None
    assert list(pool_state(cognito_mock, pool_id).provider_links) == [("Google", "1001")]


def test_a_federated_user_may_be_the_destination(cognito_idp, pool_id):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    create(cognito_idp, pool_id, "Corp", "OIDC", OIDC)
    federated = local_user(cognito_idp, pool_id, "Google_1001")
    cognito_idp.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Google", "ProviderAttributeValue": "1001"},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "corp-1",
        },
    )
    assert [i["userId"] for i in identities(cognito_idp, pool_id, federated)] == ["corp-1"]
    refused(
        cognito_idp,
        "UserNotFoundException",
        "User does not exist.",
        cognito_idp.admin_link_provider_for_user,
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Google", "ProviderAttributeValue": "9999"},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "corp-2",
        },
    )


def test_a_user_carries_at_most_five_identities(cognito_idp, cognito_mock, pool_id):
    create(cognito_idp, pool_id, "Corp", "OIDC", OIDC)
    ana = local_user(cognito_idp, pool_id)
    for index in range(5):
        link(cognito_idp, pool_id, ana, "Corp", f"corp-{index}")
    refused(
        cognito_idp,
        "LimitExceededException",
        "A user can be linked to at most 5 federated identities.",
        cognito_idp.admin_link_provider_for_user,
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": ana},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "corp-5",
        },
    )
    assert len(identities(cognito_idp, pool_id, ana)) == 5
    assert len(pool_state(cognito_mock, pool_id).provider_links) == 5


# -- AdminDisableProviderForUser ---------------------------------------------------------------


def disable(cognito_idp, pool_id: str, provider: str, value: str, attribute="Cognito_Subject"):
    cognito_idp.admin_disable_provider_for_user(
        UserPoolId=pool_id,
        User={
            "ProviderName": provider,
            "ProviderAttributeName": attribute,
            "ProviderAttributeValue": value,
        },
    )


def test_disable_removes_the_link_and_its_identity(cognito_idp, cognito_mock, pool_id):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    create(cognito_idp, pool_id, "Corp", "OIDC", OIDC)
    ana = local_user(cognito_idp, pool_id)
    link(cognito_idp, pool_id, ana, "Google", "1001")
    link(cognito_idp, pool_id, ana, "Corp", "corp-1")
    disable(cognito_idp, pool_id, "Google", "1001")
    assert [i["providerName"] for i in identities(cognito_idp, pool_id, ana)] == ["Corp"]
    disable(cognito_mock.client(), pool_id, "Corp", "corp-1")
    assert identities(cognito_idp, pool_id, ana) is None
    assert pool_state(cognito_mock, pool_id).provider_links == {}
    # Unlinked, the identity may be linked to someone else.
    bob = local_user(cognito_idp, pool_id, "bob")
    link(cognito_idp, pool_id, bob, "Google", "1001")
    assert [i["userId"] for i in identities(cognito_idp, pool_id, bob)] == ["1001"]


def test_disable_refusals_and_federated_users(cognito_idp, pool_id):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    refused(
        cognito_idp,
        "UserNotFoundException",
        "User does not exist.",
        cognito_idp.admin_disable_provider_for_user,
        UserPoolId=pool_id,
        User={
            "ProviderName": "Google",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "1001",
        },
    )
    refused(
        cognito_idp,
        "InvalidParameterException",
        f"The provider Corp does not exist for User Pool {pool_id}",
        cognito_idp.admin_disable_provider_for_user,
        UserPoolId=pool_id,
        User={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "1001",
        },
    )
    refused(
        cognito_idp,
        "InvalidParameterException",
        "Invalid User: ProviderAttributeName must be Cognito_Subject for a Google provider.",
        cognito_idp.admin_disable_provider_for_user,
        UserPoolId=pool_id,
        User={
            "ProviderName": "Google",
            "ProviderAttributeName": "email",
            "ProviderAttributeValue": "1001",
        },
    )
    federated = local_user(cognito_idp, pool_id, "Google_1001")
    disable(cognito_idp, pool_id, "Google", "1001")
    assert cognito_idp.admin_get_user(UserPoolId=pool_id, Username=federated)["Enabled"] is False


def test_disabling_password_sign_in_is_not_implemented(cognito_idp, pool_id):
    ana = local_user(cognito_idp, pool_id)
    with pytest.raises(ProviderFeatureNotImplementedError):
        disable(cognito_idp, pool_id, "Cognito", ana)
    refused(
        cognito_idp,
        "UserNotFoundException",
        "User does not exist.",
        cognito_idp.admin_disable_provider_for_user,
        UserPoolId=pool_id,
        User={"ProviderName": "Cognito", "ProviderAttributeValue": "nobody"},
    )


# -- SupportedIdentityProviders ----------------------------------------------------------------


def test_unknown_providers_are_those_neither_cognito_nor_of_the_pool(
    cognito_idp, cognito_mock, pool_id
):
    create(cognito_idp, pool_id, "Google", "Google", SOCIAL)
    pool = pool_state(cognito_mock, pool_id)
    names = ["COGNITO", "Google", "Corp", "google", "Corp"]
    assert backend_providers.unknown_providers(pool, names) == ["Corp", "google"]
    assert backend_providers.unknown_providers(pool, []) == []


def test_a_deleted_users_links_do_not_pass_to_a_new_user_of_the_same_name(
    cognito_idp, cognito_mock, pool_id
):
    cognito_idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={
            "client_id": "g",
            "client_secret": "s",
            "authorize_scopes": "email profile openid",
        },
    )
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="sam", MessageAction="SUPPRESS")
    source = {
        "ProviderName": "Google",
        "ProviderAttributeName": "Cognito_Subject",
        "ProviderAttributeValue": "g-1",
    }
    destination = {"ProviderName": "Cognito", "ProviderAttributeValue": "sam"}
    cognito_idp.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=destination, SourceUser=source
    )
    cognito_idp.admin_delete_user(UserPoolId=pool_id, Username="sam")
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="sam", MessageAction="SUPPRESS")
    fresh = cognito_idp.admin_get_user(UserPoolId=pool_id, Username="sam")
    assert "identities" not in {a["Name"] for a in fresh["UserAttributes"]}
    # The identity is free to be linked again.
    cognito_idp.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=destination, SourceUser=source
    )
