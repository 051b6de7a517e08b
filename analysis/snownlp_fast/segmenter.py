"""snownlp's word segmentation (``snownlp.seg.seg``), batched and cached.

``seg.seg`` splits a text into runs of CJK ideographs (U+4E00–U+9FA5), which its tagger cuts
into words, and everything else, which it splits on whitespace. This class does the same, but

* tags all the ideograph runs of a whole batch of texts in one NumPy Viterbi pass
  (``viterbi.tag_segments``) over precomputed context blocks (``context_tables``);
* remembers the words of each run it has cut: comment threads repeat short runs ("支持",
  "哈哈哈", "转发微博", place names) so a bounded dict skips most of the work on real crawls.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Iterable

from analysis.snownlp_fast.context_tables import ContextTables
from analysis.snownlp_fast.segmenter_counts import SegmenterCounts
from analysis.snownlp_fast.viterbi import tag_segments
from analysis.snownlp_fast.viterbi_small import tag_segment

# Exactly ``snownlp.seg.re_zh``: only this range goes through the tagger.
IDEOGRAPH_RUN = re.compile("([\u4E00-\u9FA5]+)")
B, M, E, S = range(4)
# Words of this many distinct runs are remembered; past that the memo is cleared. A 10k-comment
# benchmark holds ~25k distinct runs; 200k keeps a long crawl warm in ~40 MB.
MAX_MEMO_RUNS = 200_000
# Below this many characters to tag, plain Python beats NumPy's per-call overhead
# (measured with bench/sentiment.py-style comments: equal speed at ~150 characters).
VECTORISE_FROM_CHARS = 150


def words_from_tags(run: str, tags: list[int]) -> list[str]:
    """Join tagged characters into words exactly like ``snownlp.seg.seg.Seg.seg``."""
    words: list[str] = []
    pending = ""
    for char, tag in zip(run, tags):
        if tag == E:
            words.append(pending + char)
            pending = ""
        elif tag == B or tag == S:
            if pending:
                words.append(pending)
            pending = char
        else:
            pending += char
    if pending:
        words.append(pending)
    return words


class Segmenter:
    """Cuts texts into snownlp's words; one instance per process (see ``analysis.sentiment``)."""

    def __init__(self, model: dict[str, Any], vectorise_from: int = VECTORISE_FROM_CHARS):
        """``model``: the dict in snownlp's ``seg.marshal.3``; it is re-indexed, not kept."""
        self.tables = ContextTables(SegmenterCounts.from_marshal(model))
        self.vectorise_from = vectorise_from
        self._memo: dict[str, list[str]] = {}
        # Scrapy pipelines run in one thread, but the API may score from a thread pool; the
        # tables and the memo grow (and get cleared) in place, so batches go one at a time.
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._memo.clear()
            self.tables.clear()

    def segment(self, text: str) -> list[str]:
        return self.segment_many([text])[0]

    def segment_many(self, texts: Iterable[str]) -> list[list[str]]:
        pieces = [_pieces(text) for text in texts]
        with self._lock:
            return self._words(pieces)

    def _words(self, pieces: list[list[tuple[str, bool]]]) -> list[list[str]]:
        memo = self._memo
        runs = {p for text_pieces in pieces for p, is_run in text_pieces if is_run}
        missing = [run for run in runs if run not in memo]
        if len(memo) + len(missing) > MAX_MEMO_RUNS:
            # Full: start again with this batch's runs only. Clearing after the look-up
            # above lost the batch's remembered runs (a KeyError on 43,000 Weibo posts).
            memo.clear()
            missing = list(runs)
        if missing:
            self._cut(missing)
        result = []
        for text_pieces in pieces:
            words: list[str] = []
            for piece, is_run in text_pieces:
                if is_run:
                    words += memo[piece]
                else:
                    words.append(piece)
            result.append(words)
        return result

    def _cut(self, runs: list[str]) -> None:
        tables = self.tables
        tables.trim()
        known_chars = tables.known_chars
        row_ids = [tables.row_ids(run) for run in runs]
        known = [[c in known_chars for c in run] for run in runs]
        rows = tables.rows  # read after row_ids: adding rows may have reallocated it
        if sum(map(len, runs)) >= self.vectorise_from:
            tagged = tag_segments(rows, row_ids, known)
        else:
            tagged = [tag_segment(rows, ids, k) for ids, k in zip(row_ids, known)]
        for run, tags in zip(runs, tagged):
            self._memo[run] = words_from_tags(run, tags)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """(piece, is ideograph run) in order, as ``seg.seg`` walks them; non-runs split on spaces."""
    out: list[tuple[str, bool]] = []
    for part in IDEOGRAPH_RUN.split(text):
        part = part.strip()
        if not part:
            continue
        if IDEOGRAPH_RUN.match(part):
            out.append((part, True))
        else:
            out.extend((word, False) for word in part.split() if word.strip())
    return out
