"""Every library attribute a transport adapter patches, and whether each is its original."""

from __future__ import annotations

import importlib
from typing import Any

#: Every library attribute a transport adapter patches: (module, class, attribute).
PATCH_POINTS = (
    ("botocore.endpoint", "Endpoint", "_do_get_response"),
    ("botocore.signers", "RequestSigner", "sign"),
    ("aiobotocore.endpoint", "AioEndpoint", "_do_get_response"),
    ("aiobotocore.signers", "AioRequestSigner", "sign"),
    ("requests.sessions", "Session", "get_adapter"),
    ("urllib3.connectionpool", "HTTPConnectionPool", "urlopen"),
    ("httpx", "Client", "_transport_for_url"),
    ("httpx", "AsyncClient", "_transport_for_url"),
    ("aiohttp.connector", "TCPConnector", "_create_connection"),
    ("urllib.request", "HTTPSHandler", "https_open"),
    ("urllib.request", "HTTPHandler", "http_open"),
)


def current(module: str, owner: str, name: str) -> Any:
    try:
        return vars(getattr(importlib.import_module(module), owner))[name]
    except ImportError:  # a library the suite runs without
        return None


ORIGINALS = {point: current(*point) for point in PATCH_POINTS}


def unpatched() -> list[str]:
    """Names of the library methods a Cognito mock patches that are not their originals now."""
    return [
        f"{owner}.{name}"
        for (module, owner, name), original in ORIGINALS.items()
        if current(module, owner, name) is not original
    ]
