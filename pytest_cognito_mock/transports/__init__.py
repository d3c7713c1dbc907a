"""Transports: one adapter per client library, each feeding the active mock.

========== ============================================================== ====================
library    patch point (class level, looked up at call time)              feeds
========== ============================================================== ====================
botocore   ``Endpoint._do_get_response``, ``RequestSigner.sign``          the service (fast)
aiobotocore ``AioEndpoint._do_get_response``, ``AioRequestSigner.sign``   the service
requests   ``Session.get_adapter``                                        the HTTP router
urllib3    ``HTTPConnectionPool.urlopen``                                 the HTTP router
httpx      ``Client._transport_for_url``, ``AsyncClient._transport_for_url`` the HTTP router
aiohttp    ``ClientSession._request``                                     the HTTP router
urllib     ``HTTPSHandler.https_open``, ``HTTPHandler.http_open``         the HTTP router
========== ============================================================== ====================

Each adapter module is the only place that touches its library's internals; each has
``install()`` and ``uninstall()``. The adapters are installed when the first mock starts and
removed when the last one stops, restoring the libraries exactly. A library that is not
installed is never imported; one that is gets imported when the first mock starts, so code that
imports it later is caught too.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from types import ModuleType

from .. import _active

#: The import name whose presence decides -> this package's adapter module for it.
ADAPTERS: dict[str, str] = {
    "botocore": "botocore",
    "aiobotocore": "aiobotocore",
    "requests": "requests",
    "urllib3": "urllib3",
    "httpx": "httpx",
    "aiohttp": "aiohttp",
    "urllib": "urllib",
}

_available: list[ModuleType] | None = None
_installed: list[ModuleType] = []


def available() -> list[ModuleType]:
    """The adapter modules of the libraries installed here (found once per process)."""
    global _available
    if _available is None:
        found = []
        for library, adapter in ADAPTERS.items():
            if importlib.util.find_spec(library) is None:
                continue
            try:
                with warnings.catch_warnings():
                    # A library may warn on import (old dependencies); starting a mock must not
                    # fail for that under -W error.
                    warnings.simplefilter("ignore")
                    found.append(importlib.import_module(f"{__name__}.{adapter}"))
            except ImportError:  # installed but broken: nothing to patch
                continue
        _available = found
    return _available


def install() -> None:
    for adapter in available():
        adapter.install()
        _installed.append(adapter)


def uninstall() -> None:
    while _installed:
        _installed.pop().uninstall()


_active.on_activation(install, uninstall)
