"""The app's handle on its store: opened lazily, reopened after a failed start.

A store that cannot be opened must not stop the API from starting (issue 3: Elasticsearch
unreachable at start → ``serve`` still starts, ``/health`` says why, queries answer 503).
So the app holds a provider, not a store: ``get()`` returns the open store or raises
``StoreUnavailable`` with the reason the last attempt failed, and tries again at most every
``REOPEN_INTERVAL_S`` so a cluster that comes up later is picked up without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from store import backend_name, open_store, redact
from store.base import Health, Store
from store.errors import StoreUnavailable

logger = logging.getLogger(__name__)

# Seconds between attempts to open a store that failed to open. Long enough that a
# flood of requests against a dead cluster does not turn into a flood of connection
# attempts; short enough that a cluster restarting under docker-compose is found quickly.
REOPEN_INTERVAL_S = 5.0


class StoreProvider:
    def __init__(self, url: str, opener: Callable[[], Store] | None = None, store: Store | None = None):
        self.url = url
        self._opener = opener or (lambda: open_store(url))
        self._store = store
        self._owned = store is None  # close only what this provider opened
        self._error: str | None = None
        self._last_attempt = float("-inf")
        self._lock = threading.Lock()

    @property
    def opened(self) -> Store | None:
        """The store if it is open now, without waiting or trying to open it."""
        return self._store

    def get(self) -> Store:
        if self._store is not None:
            return self._store
        with self._lock:
            if self._store is None and time.monotonic() - self._last_attempt >= REOPEN_INTERVAL_S:
                self._open()
            if self._store is None:
                raise StoreUnavailable(self._error or "the store is not open")
            return self._store

    def _open(self) -> None:
        self._last_attempt = time.monotonic()
        try:
            self._store = self._opener()
            self._error = None
        except Exception as exc:  # any failure to open is "down", reported with its reason
            self._error = f"cannot open {redact(self.url)}: {exc}"
            logger.warning("store unavailable: %s", self._error)

    def health(self) -> Health:
        try:
            store = self.get()
        except StoreUnavailable as exc:
            return Health(ok=False, backend=backend_name(self.url), detail=str(exc))
        try:
            return store.health()
        except Exception as exc:  # health must answer even when the backend misbehaves
            return Health(ok=False, backend=getattr(store, "backend", backend_name(self.url)), detail=str(exc))

    def close(self) -> None:
        if self._store is not None and self._owned:
            self._store.close()
            self._store = None
