"""What every domain endpoint handler is given."""

from __future__ import annotations

from dataclasses import dataclass

from ..backend import CognitoBackend
from ..backend.domains import Domain
from ..backend.models import UserPool
from ..http.messages import HttpRequest


@dataclass(frozen=True)
class DomainRequest:
    """One request to a pool's domain, inside the service's transaction."""

    request: HttpRequest
    backend: CognitoBackend
    pool: UserPool
    domain: Domain
    #: Where this domain's pages are, as the client reached them: ``https://<domain host>`` in
    #: process, ``http://127.0.0.1:<port>/domain/<domain host>`` on the loopback endpoint.
    #: Every link and redirect within the domain starts with it.
    base_url: str
    #: The path within the domain (``/login``), wherever the request reached it.
    path: str = "/"
