"""Answers kept until what they were read from changes.

Two readers of a SQLite store keep answers this way, each with the version of what it read
in the key, so a change makes a new key and the answer is made again:

- ``SearchIndex.count``: a query's count per commit of the search index (its token);
- ``SQLiteStore`` summaries and timelines the rollups cannot answer, which scan their
  matches (``sqlite_summary``: ~70–300 ms a call for a common word in 50,000 notices), per
  ``data_version`` of the file, read before the scan. The search page makes several such
  scans for every page of results, though its side summaries and timeline depend on the
  search, not on the page.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

# An answer of more items than this (a summary by a field of many values) is not kept: a
# few hundred of them could hold hundreds of MB.
MAX_KEPT_ITEMS = 10_000

T = TypeVar("T")


class KeptAnswers:
    """The last ``size`` answers by key, for any thread. A kept answer is handed out as a
    copy (groups and buckets are mutable), except a tuple, which the reader keeping it
    makes of immutable values; None (nothing to keep: the reader could not answer) and
    answers of more than ``MAX_KEPT_ITEMS`` items are handed out, not kept."""

    def __init__(self, size: int):
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return _copy(self._kept[key])
        found = make()
        self.keep(key, found)
        return found

    def keep(self, key: Hashable, answer: Any) -> None:
        """``answer`` kept under ``key``, as ``answer`` keeps what ``make`` returns (a reader
        that made several answers at once keeps each)."""
        if answer is None or (isinstance(answer, (list, tuple)) and len(answer) > MAX_KEPT_ITEMS):
            return
        with self._lock:
            self._kept[key] = _copy(answer)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def kept(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._kept


def _copy(answer: T) -> T:
    return answer if isinstance(answer, tuple) else copy.deepcopy(answer)
