"""Managed login's sign-up page links the app client's terms documents (CreateTerms) once it
has both kinds; the classic hosted UI never does."""

from __future__ import annotations

import pytest
import requests
from support.hosted import BASE, CALLBACK, DOMAIN
from support.model import requires_operation

pytestmark = [requires_operation("CreateTerms"), requires_operation("UpdateTerms")]

TERMS = {"cognito:default": "https://example.com/terms", "cognito:french": "https://example.com/fr"}
POLICY = {"cognito:default": "https://example.com/privacy"}


def sign_up_page(client_id: str, lang: str | None = None) -> str:
    url = f"{BASE}/signup?response_type=code&client_id={client_id}&redirect_uri={CALLBACK}"
    if lang:
        url += f"&lang={lang}"
    page = requests.get(url)
    assert page.status_code == 200
    return page.text


def links_of(page: str) -> dict[str, str]:
    found = {}
    for part in page.split('data-terms-name="')[1:]:
        name = part.split('"')[0]
        found[name] = part.split('href="')[1].split('"')[0]
    return found


def add_terms(cognito_idp, hosted, name: str, links: dict) -> str:
    return cognito_idp.create_terms(
        UserPoolId=hosted.pool_id,
        ClientId=hosted.web.client_id,
        TermsName=name,
        TermsSource="LINK",
        Enforcement="NONE",
        Links=links,
    )["Terms"]["TermsId"]


@pytest.fixture
def managed_login(cognito_idp, hosted) -> None:
    cognito_idp.update_user_pool_domain(
        UserPoolId=hosted.pool_id, Domain=DOMAIN, ManagedLoginVersion=2
    )


def test_both_kinds_are_linked_in_the_readers_language(cognito_idp, hosted, managed_login):
    add_terms(cognito_idp, hosted, "terms-of-use", TERMS)
    # One kind alone shows nothing.
    assert links_of(sign_up_page(hosted.web.client_id)) == {}
    add_terms(cognito_idp, hosted, "privacy-policy", POLICY)
    assert links_of(sign_up_page(hosted.web.client_id)) == {
        "terms-of-use": TERMS["cognito:default"],
        "privacy-policy": POLICY["cognito:default"],
    }
    # French where there is a French link, the default elsewhere.
    assert links_of(sign_up_page(hosted.web.client_id, "fr")) == {
        "terms-of-use": TERMS["cognito:french"],
        "privacy-policy": POLICY["cognito:default"],
    }
    # Another client of the pool has no terms of its own.
    assert links_of(sign_up_page(hosted.spa.client_id)) == {}


def test_a_kind_without_a_usable_link_hides_both(cognito_idp, hosted, managed_login):
    add_terms(cognito_idp, hosted, "terms-of-use", {"cognito:french": "https://example.com/fr"})
    add_terms(cognito_idp, hosted, "privacy-policy", POLICY)
    assert links_of(sign_up_page(hosted.web.client_id)) == {}
    assert set(links_of(sign_up_page(hosted.web.client_id, "fr"))) == {
        "terms-of-use",
        "privacy-policy",
    }


def test_the_classic_hosted_ui_shows_no_terms(cognito_idp, hosted):
    add_terms(cognito_idp, hosted, "terms-of-use", TERMS)
    add_terms(cognito_idp, hosted, "privacy-policy", POLICY)
    assert links_of(sign_up_page(hosted.web.client_id)) == {}
