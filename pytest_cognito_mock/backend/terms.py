"""Terms documents (Create/Describe/Update/Delete/ListTerms, DescribeTermsByClient).

A terms document is a set of links, by language, to an app client's terms of use or privacy
policy. Its name is its kind (the model admits only ``terms-of-use`` and ``privacy-policy``) and
is unique within the client, so a client has at most two. Managed login shows the links on its
sign-up page once the client has both kinds, each with a link for the reader's language or the
``cognito:default`` one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import clock, ids
from .errors import InvalidParameterException, ResourceNotFoundException, TermsExistsException
from .models import UserPool

TERMS_OF_USE, PRIVACY_POLICY = "terms-of-use", "privacy-policy"
DEFAULT_LINK = "cognito:default"
#: Managed login's ``lang`` values -> the Links key of that language.
LANGUAGE_KEYS = {
    "de": "cognito:german",
    "en": "cognito:english",
    "es": "cognito:spanish",
    "fr": "cognito:french",
    "id": "cognito:bahasa-indonesia",
    "it": "cognito:italian",
    "ja": "cognito:japanese",
    "ko": "cognito:korean",
    "nl": "cognito:dutch",
    "pt-BR": "cognito:portuguese-brazil",
    "zh-CN": "cognito:chinese-simplified",
    "zh-TW": "cognito:chinese-traditional",
}


@dataclass
class Terms:
    terms_id: str
    client_id: str
    name: str
    source: str
    enforcement: str
    created: float
    modified: float
    #: Links key (``cognito:default``, ``cognito:<language>``) -> URL.
    links: dict[str, str] = field(default_factory=dict)


def create_terms(
    pool: UserPool,
    client_id: str,
    name: str,
    *,
    source: str,
    enforcement: str,
    links: Mapping[str, str] | None,
) -> Terms:
    _client(pool, client_id)
    if not links:
        # Optional in the request model, yet every Terms answer carries Links.
        raise InvalidParameterException(
            "1 validation error detected: Value null at 'links' failed to satisfy constraint: "
            "Member must not be null"
        )
    _check_name_free(pool, client_id, name, None)
    now = clock.now()
    terms = Terms(ids.uuid4(), client_id, name, source, enforcement, now, now, dict(links))
    pool.terms[terms.terms_id] = terms
    return terms


def update_terms(
    pool: UserPool,
    terms_id: str,
    *,
    name: str | None = None,
    source: str | None = None,
    enforcement: str | None = None,
    links: Mapping[str, str] | None = None,
) -> Terms:
    """UpdateTerms: the members given replace the stored ones (Links as a whole map)."""
    terms = describe_terms(pool, terms_id)
    if name is not None and name != terms.name:
        _check_name_free(pool, terms.client_id, name, terms_id)
    if name is not None:
        terms.name = name
    if source is not None:
        terms.source = source
    if enforcement is not None:
        terms.enforcement = enforcement
    if links is not None:
        terms.links = dict(links)
    terms.modified = clock.now()
    return terms


def describe_terms(pool: UserPool, terms_id: str) -> Terms:
    terms = pool.terms.get(terms_id)
    if terms is None:
        raise ResourceNotFoundException(f"Terms {terms_id} does not exist.")
    return terms


def describe_terms_by_client(pool: UserPool, client_id: str, name: str) -> Terms:
    _client(pool, client_id)
    found = _named(pool, client_id, name)
    if found is None:
        raise ResourceNotFoundException(f"Terms {name} does not exist for app client {client_id}.")
    return found


def delete_terms(pool: UserPool, terms_id: str) -> None:
    describe_terms(pool, terms_id)
    del pool.terms[terms_id]


def forget_client(pool: UserPool, client_id: str) -> None:
    """A deleted app client takes its terms documents with it."""
    pool.terms = {key: t for key, t in pool.terms.items() if t.client_id != client_id}


def sign_up_links(pool: UserPool, client_id: str, language: str | None) -> list[tuple[str, str]]:
    """The (name, URL) links managed login's sign-up page shows for ``client_id``: the
    ``language`` link of each kind, else its ``cognito:default``; none at all unless both
    kinds have one."""
    key = LANGUAGE_KEYS.get(language or "")
    shown = []
    for name in (TERMS_OF_USE, PRIVACY_POLICY):
        terms = _named(pool, client_id, name)
        links = terms.links if terms is not None else {}
        url = links.get(key or "") or links.get(DEFAULT_LINK)
        if url is None:
            return []
        shown.append((name, url))
    return shown


def _named(pool: UserPool, client_id: str, name: str) -> Terms | None:
    for terms in pool.terms.values():
        if terms.client_id == client_id and terms.name == name:
            return terms
    return None


def _check_name_free(pool: UserPool, client_id: str, name: str, own_id: str | None) -> None:
    found = _named(pool, client_id, name)
    if found is not None and found.terms_id != own_id:
        raise TermsExistsException(f"Terms {name} already exist for app client {client_id}.")


def _client(pool: UserPool, client_id: str) -> None:
    if client_id not in pool.clients:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
