"""User pool domains: where a pool's hosted UI and OAuth 2.0 endpoints live.

A *prefix* domain is ``<prefix>.auth.<region>.amazoncognito.com``; a *custom* domain is a
fully qualified name of the customer's own (``auth.example.com``), fronted by CloudFront. A
pool may have one of each. Both kinds go through the same ``Domain`` member, so a name with a
dot is a custom domain (the model's pattern, which admits only prefixes, is checked here, with
AWS's own message, rather than by the model validation).

The backend keeps every domain by the host it answers on, so the HTTP router finds the pool of
``https://<host>/oauth2/token`` with one lookup.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

from . import CognitoBackend, clock
from .errors import InvalidParameterException
from .models import UserPool

_PREFIX = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?")
#: Words AWS refuses anywhere in a prefix, in the order it checks them.
_RESERVED_WORDS = ("aws", "amazon", "cognito")
_PREFIX_MESSAGE = (
    "The domain name contains an invalid character. Domain names can only contain lower-case "
    "letters, numbers, and hyphens. Please enter a different name that follows this format: "
    r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
)
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
#: The airport code in the name of the S3 bucket holding a region's hosted-UI assets.
_ASSET_CODES = {
    "us-east-1": "iad",
    "us-east-2": "cmh",
    "us-west-1": "sfo",
    "us-west-2": "pdx",
    "eu-west-1": "dub",
    "eu-west-2": "lhr",
    "eu-west-3": "cdg",
    "eu-central-1": "fra",
    "eu-north-1": "arn",
    "ap-northeast-1": "nrt",
    "ap-northeast-2": "icn",
    "ap-south-1": "bom",
    "ap-southeast-1": "sin",
    "ap-southeast-2": "syd",
    "ca-central-1": "yul",
    "sa-east-1": "gru",
}


@dataclass
class Domain:
    """One domain of a pool, as DescribeUserPoolDomain reports it."""

    name: str
    user_pool_id: str
    region: str
    account_id: str
    created: float
    #: Set for a custom domain: ``CertificateArn`` and, when given, ``SecurityPolicy``.
    custom_domain_config: dict[str, Any] | None = None
    #: 1 (classic hosted UI) or 2 (managed login); None when never given.
    managed_login_version: int | None = None
    routing: dict[str, Any] | None = None
    version: str = field(default="")

    @property
    def custom(self) -> bool:
        return self.custom_domain_config is not None

    @property
    def host(self) -> str:
        """The host name the domain's endpoints answer on."""
        return self.name if self.custom else prefix_host(self.name, self.region)

    @property
    def cloudfront_domain(self) -> str:
        """The CloudFront distribution in front of the domain: stable per domain name."""
        digest = hashlib.sha256(self.name.encode("utf-8")).hexdigest()
        return f"d{digest[:13]}.cloudfront.net"

    @property
    def renders_managed_login(self) -> bool:
        return self.managed_login_version == 2


@dataclass(frozen=True)
class DomainOptions:
    """The settings CreateUserPoolDomain and UpdateUserPoolDomain both take (None: not given)."""

    custom_domain_config: dict[str, Any] | None = None
    managed_login_version: int | None = None
    routing: dict[str, Any] | None = None


def prefix_host(prefix: str, region: str) -> str:
    return f"{prefix}.auth.{region}.amazoncognito.com"


def create_domain(
    backend: CognitoBackend,
    pool: UserPool,
    name: str,
    options: DomainOptions = DomainOptions(),
) -> Domain:
    custom_domain_config = options.custom_domain_config
    managed_login_version, routing = options.managed_login_version, options.routing
    custom = "." in name
    if custom:
        _check_custom_name(name, custom_domain_config)
    else:
        _check_prefix(name)
    _check_version(managed_login_version)
    taken = pool.custom_domain if custom else pool.domain
    if taken is not None:
        raise InvalidParameterException(f"User pool {pool.id} already has a domain configured.")
    domain = Domain(
        name=name,
        user_pool_id=pool.id,
        region=pool.region,
        account_id=backend.account_id,
        created=clock.now(),
        custom_domain_config=dict(custom_domain_config or {}) if custom else None,
        managed_login_version=managed_login_version,
        routing=routing,
    )
    domain.version = _version_stamp(domain.created)
    if domain.host in backend.domains:
        raise InvalidParameterException("Domain already associated with another user pool.")
    backend.domains[domain.host] = domain
    if custom:
        backend.custom_domain_hosts = backend.custom_domain_hosts | {domain.host}
        pool.custom_domain = name
    else:
        pool.domain = name
    return domain


def describe_domain(backend: CognitoBackend, region: str, name: str) -> Domain | None:
    """The domain ``name`` as seen from ``region``; None when there is none (AWS answers an
    empty description then, not an error)."""
    domain = backend.domains.get(name if "." in name else prefix_host(name, region))
    if domain is None or domain.region != region:
        return None
    return domain


def update_domain(
    backend: CognitoBackend,
    pool: UserPool,
    name: str,
    options: DomainOptions = DomainOptions(),
) -> Domain:
    custom_domain_config = options.custom_domain_config
    managed_login_version, routing = options.managed_login_version, options.routing
    domain = _pool_domain(backend, pool, name)
    _check_version(managed_login_version)
    if domain.custom and custom_domain_config is not None:
        _check_custom_name(name, custom_domain_config)
        domain.custom_domain_config = dict(custom_domain_config)
    if managed_login_version is not None:
        domain.managed_login_version = managed_login_version
    if routing is not None:
        domain.routing = routing
    domain.version = _version_stamp(clock.now())
    return domain


def delete_domain(backend: CognitoBackend, pool: UserPool, name: str) -> None:
    domain = _pool_domain(backend, pool, name)
    del backend.domains[domain.host]
    if domain.custom:
        backend.custom_domain_hosts = backend.custom_domain_hosts - {domain.host}
        pool.custom_domain = None
    else:
        pool.domain = None


def domains_of(backend: CognitoBackend, pool: UserPool) -> list[Domain]:
    """The pool's domains, the custom one first (its URLs are the ones apps publish)."""
    found = []
    if pool.custom_domain is not None:
        found.append(backend.domains[pool.custom_domain])
    if pool.domain is not None:
        found.append(backend.domains[prefix_host(pool.domain, pool.region)])
    return found


def asset_bucket(region: str) -> str:
    return f"aws-cognito-prod-{_ASSET_CODES.get(region, region)}-assets"


def _pool_domain(backend: CognitoBackend, pool: UserPool, name: str) -> Domain:
    domain = describe_domain(backend, pool.region, name)
    if domain is None or domain.user_pool_id != pool.id:
        raise InvalidParameterException("No such domain or user pool exists.")
    return domain


def _check_prefix(name: str) -> None:
    if not _PREFIX.fullmatch(name):
        raise InvalidParameterException(_PREFIX_MESSAGE)
    for word in _RESERVED_WORDS:
        if word in name:
            raise InvalidParameterException(f"Domain cannot contain reserved word: {word}")


def _check_custom_name(name: str, config: dict[str, Any] | None) -> None:
    labels = name.split(".")
    if len(name) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise InvalidParameterException(f"The domain {name} is not a valid domain name.")
    if not config or "CertificateArn" not in config:
        raise InvalidParameterException("CertificateArn is required in CustomDomainConfig.")
    if not config["CertificateArn"].startswith("arn:aws:acm:us-east-1:"):
        # CloudFront only takes certificates from us-east-1, and so does Cognito.
        raise InvalidParameterException(
            "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't "
            "valid, or doesn't include a valid certificate chain."
        )


def _check_version(version: int | None) -> None:
    if version is not None and version not in (1, 2):
        raise InvalidParameterException("ManagedLoginVersion must be 1 or 2.")


def _version_stamp(when: float) -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(when))
