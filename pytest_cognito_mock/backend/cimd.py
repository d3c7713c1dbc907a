"""Client ID Metadata Document (CIMD) policies and their cache of retrieved documents.

A CIMD policy ties one to five ``https`` URL patterns to one app client of the pool. An external
OAuth client whose ``client_id`` is an ``https`` URL matching a pattern is accepted as that app
client, with its redirect URIs and grants from the JSON metadata document it serves at the URL
(draft-ietf-oauth-client-id-metadata-document). Cognito caches a retrieved document for the
document's ``Cache-Control: max-age`` when it lies between one day and one year, else for the
policy's CacheDuration; ListClientMetadataURLs shows that cache, UpdateClientMetadataURLState
refreshes or invalidates it.

The mock never reaches the network: what it retrieves from a URL is what a test served there
with ``CognitoMock.serve_client_metadata`` (:data:`ServedDocument`, kept on the backend).
Choices where AWS is silent (limits, wildcard rules, wording) are in docs/fidelity.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import CognitoBackend, clock, ids
from .errors import (
    CachedCIMDURLDoesNotExistException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from .models import AppClient, UserPool

#: "If you don't set a value, the default is 86,400 seconds."
DEFAULT_CACHE_DURATION = 86_400
#: The range in which a document's own ``max-age`` overrides the policy's CacheDuration.
MAX_AGE_RANGE = (86_400, 31_556_952)
#: The mock's quota of CIMD policies per user pool (AWS has not published one).
MAX_POLICIES_PER_POOL = 20

REFRESH, INVALIDATE = "REFRESH", "INVALIDATE"

NOT_FOUND = "CIMD policy {policy_id} does not exist."
CLIENT_NOT_FOUND = "User pool client {client_id} does not exist."
NAME_TAKEN = "A CIMD policy named {name} already exists in user pool {pool_id}."
DUPLICATE_PATTERN = "URLPatterns contains {pattern} more than once."
TOO_MANY = f"The user pool has reached its quota of {MAX_POLICIES_PER_POOL} CIMD policies."
NOT_CACHED = "There is no cached client metadata document for {url} in CIMD policy {policy_id}."
NOT_RETRIEVED = "Amazon Cognito couldn't retrieve a valid client metadata document from {url}."


@dataclass(frozen=True)
class ServedDocument:
    """What a test serves at a metadata URL: the JSON document and its ``max-age``, if any."""

    document: Mapping[str, Any]
    max_age: int | None = None


@dataclass
class CachedURL:
    """A metadata URL Cognito received for a policy; ``document`` None once invalidated."""

    url: str
    document: dict[str, Any] | None = None
    cached: float | None = None
    expires: float | None = None


@dataclass
class CIMDPolicy:
    policy_id: str
    #: The app client, kept after the client is deleted (answers then omit ClientId).
    client_id: str
    name: str
    cache_duration: int
    url_patterns: list[str]
    created: float
    modified: float
    #: URL -> its cache state, in the order the URLs were first received.
    urls: dict[str, CachedURL] = field(default_factory=dict)


def create_policy(
    pool: UserPool,
    client_id: str,
    name: str,
    url_patterns: Sequence[str],
    cache_duration: int | None,
) -> CIMDPolicy:
    _check_client(pool, client_id)
    _check_name_free(pool, name, None)
    patterns = _checked_patterns(url_patterns)
    if len(pool.cimd_policies) >= MAX_POLICIES_PER_POOL:
        raise LimitExceededException(TOO_MANY)
    now = clock.now()
    policy = CIMDPolicy(
        policy_id=ids.uuid4().replace("-", ""),
        client_id=client_id,
        name=name,
        cache_duration=cache_duration if cache_duration is not None else DEFAULT_CACHE_DURATION,
        url_patterns=patterns,
        created=now,
        modified=now,
    )
    pool.cimd_policies[policy.policy_id] = policy
    return policy


def update_policy(
    pool: UserPool,
    policy_id: str,
    client_id: str,
    url_patterns: Sequence[str],
    name: str | None,
    cache_duration: int | None,
) -> CIMDPolicy:
    """UpdateCIMDPolicy: ClientId and URLPatterns are required and replace the stored ones;
    PolicyName and CacheDuration change only when given. Cached documents of URLs that no
    pattern matches any more are dropped."""
    policy = describe_policy(pool, policy_id)
    _check_client(pool, client_id)
    if name is not None:
        _check_name_free(pool, name, policy_id)
    patterns = _checked_patterns(url_patterns)
    policy.client_id = client_id
    policy.url_patterns = patterns
    if name is not None:
        policy.name = name
    if cache_duration is not None:
        policy.cache_duration = cache_duration
    policy.urls = {url: entry for url, entry in policy.urls.items() if _matches_any(policy, url)}
    policy.modified = clock.now()
    return policy


def describe_policy(pool: UserPool, policy_id: str) -> CIMDPolicy:
    policy = pool.cimd_policies.get(policy_id)
    if policy is None:
        raise ResourceNotFoundException(NOT_FOUND.format(policy_id=policy_id))
    return policy


def delete_policy(pool: UserPool, policy_id: str) -> None:
    describe_policy(pool, policy_id)
    del pool.cimd_policies[policy_id]


def client_of(pool: UserPool, policy: CIMDPolicy) -> str | None:
    """The policy's app client id while that client exists."""
    return policy.client_id if policy.client_id in pool.clients else None


def update_url_state(
    backend: CognitoBackend, pool: UserPool, policy_id: str, url: str, action: str
) -> None:
    """REFRESH retrieves the document again (and caches it anew); INVALIDATE drops it. Both
    need a cached document for the URL."""
    policy = describe_policy(pool, policy_id)
    entry = policy.urls.get(url)
    if entry is None or entry.document is None:
        raise CachedCIMDURLDoesNotExistException(NOT_CACHED.format(url=url, policy_id=policy_id))
    if action == INVALIDATE:
        _forget(entry)
        return
    served = backend.client_metadata_documents.get(url)
    if served is None or not is_valid_document(url, served.document):
        _forget(entry)
        raise InvalidParameterException(NOT_RETRIEVED.format(url=url))
    _cache(policy, entry, served)


def retrieve(
    backend: CognitoBackend, pool: UserPool, url: str
) -> tuple[CIMDPolicy, dict[str, Any]] | None:
    """The policy a CIMD client's URL falls under and its metadata document, from the cache
    while it lasts, else retrieved (and cached). None when no policy of an existing client
    matches the URL or no valid document is served there. The first matching policy, in
    creation order, wins."""
    policy = next(
        (
            p
            for p in pool.cimd_policies.values()
            if client_of(pool, p) is not None and _matches_any(p, url)
        ),
        None,
    )
    if policy is None:
        return None
    entry = policy.urls.setdefault(url, CachedURL(url))
    if entry.document is not None and entry.expires is not None and clock.now() < entry.expires:
        return policy, entry.document
    served = backend.client_metadata_documents.get(url)
    if served is None or not is_valid_document(url, served.document):
        _forget(entry)
        return None
    _cache(policy, entry, served)
    assert entry.document is not None
    return policy, entry.document


def app_client_for_url(backend: CognitoBackend, url: str) -> AppClient | None:
    """For the mock's helpers, which name a client by its id alone: the app client of the
    first policy, in any pool, whose pattern matches the CIMD URL ``url``."""
    for pool in backend.pools.values():
        for policy in pool.cimd_policies.values():
            client_id = client_of(pool, policy)
            if client_id is not None and _matches_any(policy, url):
                return pool.clients[client_id]
    return None


def first_redirect_uri(backend: CognitoBackend, url: str) -> str | None:
    """The first redirect URI of the document served at ``url``, if any."""
    served = backend.client_metadata_documents.get(url)
    redirects = served.document.get("redirect_uris") if served is not None else None
    return str(redirects[0]) if isinstance(redirects, list) and redirects else None


def is_valid_document(url: str, document: Mapping[str, Any]) -> bool:
    """The draft's rules Cognito applies: the document names its own URL as ``client_id``,
    lists redirect URIs, and is a public client's (``token_endpoint_auth_method`` none)."""
    redirects = document.get("redirect_uris")
    return (
        document.get("client_id") == url
        and isinstance(redirects, list)
        and bool(redirects)
        and all(isinstance(uri, str) for uri in redirects)
        and document.get("token_endpoint_auth_method", "none") == "none"
        and "client_secret" not in document
    )


def matches(pattern: str, url: str) -> bool:
    """Whether ``url`` matches ``pattern`` exactly, where each ``*`` stands for any run of
    characters other than ``/``, ``?`` and ``#``: a wildcard stays within one host or one
    path segment, so ``https://*.example.com/app.json`` cannot match another host's path."""
    return _compiled(pattern).fullmatch(url) is not None


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile("[^/?#]*".join(re.escape(part) for part in pattern.split("*")))


def _matches_any(policy: CIMDPolicy, url: str) -> bool:
    return any(matches(pattern, url) for pattern in policy.url_patterns)


def _cache(policy: CIMDPolicy, entry: CachedURL, served: ServedDocument) -> None:
    low, high = MAX_AGE_RANGE
    max_age = served.max_age
    lifetime = max_age if max_age is not None and low <= max_age <= high else policy.cache_duration
    now = clock.now()
    entry.document, entry.cached, entry.expires = dict(served.document), now, now + lifetime


def _forget(entry: CachedURL) -> None:
    entry.document = entry.cached = entry.expires = None


def _checked_patterns(patterns: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    for pattern in patterns:
        if pattern in seen:
            raise InvalidParameterException(DUPLICATE_PATTERN.format(pattern=pattern))
        seen.add(pattern)
    return list(patterns)


def _check_client(pool: UserPool, client_id: str) -> None:
    if client_id not in pool.clients:
        raise ResourceNotFoundException(CLIENT_NOT_FOUND.format(client_id=client_id))


def _check_name_free(pool: UserPool, name: str, own_id: str | None) -> None:
    for policy in pool.cimd_policies.values():
        if policy.name == name and policy.policy_id != own_id:
            raise InvalidParameterException(NAME_TAKEN.format(name=name, pool_id=pool.id))
