"""Summaries the rollups cannot answer, remembered until the file changes.

A summary of a search's matches is a scan (``sqlite_summary``): ~70–300 ms a call for a
common word in 50,000 notices. The search page makes six such passes for every page of
results, though its side summaries and timeline depend on the search, not on the page. So
the store keeps the last ``SCANS_KEPT`` scan answers under the file's ``data_version``
(read before the scan: any write since, by any connection, makes a new version and the
answer is made again), as ``SearchIndex.count`` keeps counts per index commit.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

SCANS_KEPT = 128
# An answer of more groups than this (a summary by a field of many values) is not kept: 128
# of them could hold hundreds of MB.
MAX_KEPT_ITEMS = 10_000

T = TypeVar("T")


class RememberedScans:
    def __init__(self, version: Callable[[], int | None]):
        self._version = version
        self._kept: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, key: Hashable, scan: Callable[[], T]) -> T:
        """``scan()``'s answer, or a copy of the one kept for ``key`` at this version."""
        version = self._version()
        if version is None:
            return scan()
        full = (version, key)
        with self._lock:
            if full in self._kept:
                self._kept.move_to_end(full)
                return copy.deepcopy(self._kept[full])  # groups and buckets are mutable
        found = scan()
        if isinstance(found, list) and len(found) > MAX_KEPT_ITEMS:
            return found
        with self._lock:
            self._kept[full] = copy.deepcopy(found)
            while len(self._kept) > SCANS_KEPT:
                self._kept.popitem(last=False)
        return found
