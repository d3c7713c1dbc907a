"""Which Cognito service answers a call: the registry of active mocks.

The only process-wide state of the package besides the library patches. Each active mock
registers its service with the thread that started it. A call is answered by:

1. the innermost mock started in the calling thread, if any;
2. else, when every active mock was started in one and the same thread, the innermost of them
   (the usual case: worker threads, thread pools and servers run by the code under test);
3. else nobody can tell which mock is meant (mocks are active in several threads and the caller
   started none): :class:`AmbiguousMockError`, naming the threads, instead of a silent answer
   from another test's mock.

The first registration installs every transport adapter; the last removal uninstalls them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import AmbiguousMockError

if TYPE_CHECKING:
    from .service import CognitoService

_entries: list[tuple[CognitoService, int]] = []
_lock = threading.Lock()
#: Called with the lock held: the first registration installs, the last removal uninstalls.
_on_first: list[Callable[[], None]] = []
_on_last: list[Callable[[], None]] = []


def on_activation(install: Callable[[], None], uninstall: Callable[[], None]) -> None:
    """Run ``install`` when the first mock starts and ``uninstall`` when the last one stops."""
    _on_first.append(install)
    _on_last.append(uninstall)


def register(service: CognitoService) -> None:
    with _lock:
        if not _entries:
            for install in _on_first:
                install()
        _entries.append((service, threading.get_ident()))


def unregister(service: CognitoService) -> None:
    with _lock:
        for index in range(len(_entries) - 1, -1, -1):
            if _entries[index][0] is service:
                del _entries[index]
                break
        else:
            raise ValueError("this mock is not active")
        if not _entries:
            for uninstall in reversed(_on_last):
                uninstall()


def any_active() -> bool:
    return bool(_entries)


def current() -> CognitoService | None:
    """The service that answers the calling thread, or None when no mock is active."""
    entries = _entries
    if len(entries) == 1:  # the common case, on the path of every call
        return entries[0][0]
    if not entries:
        return None
    me = threading.get_ident()
    threads = set()
    for service, thread in reversed(entries):
        if thread == me:
            return service
        threads.add(thread)
    if len(threads) == 1:
        return entries[-1][0]
    raise AmbiguousMockError(me, sorted(threads))


def custom_domain_hosts() -> frozenset[str]:
    """The custom domains (``auth.example.com``) of every active mock's pools: requests to them
    are Cognito's too while their mock is active."""
    hosts: frozenset[str] = frozenset()
    for service, _ in _entries:
        hosts |= service.backend.custom_domain_hosts
    return hosts
