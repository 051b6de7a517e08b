"""snownlp's segmenter probabilities, precomputed per character context.

snownlp's tagger (``snownlp/seg/y09_2047.py``) scores every character with
``log_prob(s1, s2, s3)``: a linear interpolation of unigram, bigram and trigram estimates over
(character, tag) pairs, where the tag is one of b/m/e/s (begin, middle, end of a word, single).
Stock snownlp calls it 64 times per character (4 tags for each of the 3 characters in the
window), each call doing six dict lookups on nested tuples and a ``log``: that is its hotspot.

The value depends only on the three characters (c1, c2, c3) and their three tags, so this
module computes the whole 4×4×4 block for a character context once — with the very same float
operations in the same order, so every entry is bit-identical to stock — stores it as a row of
one NumPy array, and afterwards a context costs one dict lookup.

Most contexts share their row: when the model never saw the character trigram, every trigram
term is exactly 0 and the block depends only on (c2, c3), so such contexts point at a shared
bigram row instead of a new one, which keeps the table small.
"""

from __future__ import annotations

from math import inf, log

import numpy as np

from analysis.snownlp_fast.segmenter_counts import NO_PAIR, NO_UNI, PAD, SegmenterCounts

ROW_SHAPE = (4, 4, 4)  # [tag of c1, tag of c2, tag of c3]
# Rows are 512 bytes; start small and double. Above the cap the table is cleared (between
# batches) and refilled with what the next texts need. 10k varied comments need ~20k rows.
INITIAL_ROWS = 4096
MAX_ROWS = 200_000


class ContextTables:
    """Log-probability blocks for character contexts, built lazily and cached."""

    def __init__(self, counts: SegmenterCounts):
        self._counts = counts
        self.known_chars = counts.known_chars()
        self.clear()

    def clear(self) -> None:
        self.rows = np.empty((INITIAL_ROWS, *ROW_SHAPE), dtype=np.float64)
        self._n_rows = 0
        self._row_of_context: dict[str, int] = {}
        self._row_of_bigram: dict[str, int] = {}
        self._bigrams: dict[str, tuple[np.ndarray, list[float], list[float]]] = {}

    @property
    def size(self) -> int:
        return self._n_rows

    def trim(self) -> None:
        """Start afresh when the table has outgrown its cap (call between batches only:
        clearing invalidates row ids handed out before)."""
        if self._n_rows > MAX_ROWS:
            self.clear()

    def row_ids(self, segment: str) -> list[int]:
        """Row id of each character's context in ``segment`` (a run of CJK ideographs)."""
        padded = PAD + PAD + segment
        get = self._row_of_context.get
        ids = []
        for i in range(len(segment)):
            key = padded[i:i + 3]
            rid = get(key)
            if rid is None:
                rid = self._row_of_context[key] = self._new_context(key)
            ids.append(rid)
        return ids

    # -- building rows -----------------------------------------------------------------------
    #
    # ``log_prob`` is log(uni + bi + tri) with
    #   uni = l1 * (float(uni[s3]) / uni.total)
    #   bi  = div(l2 * bi[(s2, s3)], uni[s2])           (div: 0 when the denominator is 0)
    #   tri = div(l3 * tri[(s1, s2, s3)], bi[(s1, s2)])
    # A row starts as the 16-value block log(uni + bi) of its last two characters, repeated for
    # the 4 tags of c1 (adding a zero trigram term to a non-negative float changes nothing),
    # and only the entries whose trigram term is non-zero get their own log: the shipped model
    # has about one trigram count per character trigram it knows, and none for most contexts.

    def _new_context(self, key: str) -> int:
        trigram_terms = self._trigram_terms(key)
        if not trigram_terms:
            bigram = key[1:]
            rid = self._row_of_bigram.get(bigram)
            if rid is None:
                rid = self._row_of_bigram[bigram] = self._add_row(self._bigram(bigram)[0])
            return rid
        block, uni_terms, bi_terms = self._bigram(key[1:])
        rid = self._add_row(block)
        row = self.rows[rid]
        for t1, t2, t3, tri in trigram_terms:
            # Same expression, same left-to-right order as ``log_prob``: bit-identical.
            total = uni_terms[t3] + bi_terms[t2 * 4 + t3] + tri
            row[t1, t2, t3] = -inf if total == 0 else log(total)
        return rid

    def _add_row(self, block: np.ndarray) -> int:
        if self._n_rows == len(self.rows):
            self.rows = np.concatenate([self.rows, np.empty_like(self.rows)])
        self.rows[self._n_rows] = block  # broadcast over the tag of c1
        self._n_rows += 1
        return self._n_rows - 1

    def _bigram(self, bigram: str) -> tuple[np.ndarray, list[float], list[float]]:
        """(log(uni + bi) block over (t2, t3), the uni terms, the bi terms), memoised."""
        cached = self._bigrams.get(bigram)
        if cached is not None:
            return cached
        counts = self._counts
        l1, l2, total_uni = counts.l1, counts.l2, counts.uni_total
        uni_terms = [l1 * (float(n) / total_uni) for n in counts.uni.get(bigram[1], NO_UNI)]
        pair = counts.pairs.get(bigram, NO_PAIR)
        denominators = counts.uni.get(bigram[0], NO_UNI)
        bi_terms, values = [], []
        for t2 in range(4):
            denominator = denominators[t2]
            for t3 in range(4):
                bi = 0 if denominator == 0 else float(l2 * pair[t2 * 4 + t3]) / denominator
                bi_terms.append(bi)
                total = uni_terms[t3] + bi
                values.append(-inf if total == 0 else log(total))
        cached = self._bigrams[bigram] = (np.array(values, dtype=np.float64).reshape(4, 4), uni_terms, bi_terms)
        return cached

    def _trigram_terms(self, key: str) -> list[tuple[int, int, int, float]]:
        """The non-zero ``div(l3 * tri[(s1, s2, s3)], bi[(s1, s2)])`` terms, by tag triple."""
        entries = self._counts.trigram_entries(key)
        if not entries:
            return []
        l3 = self._counts.l3
        denominators = self._counts.pairs.get(key[:2], NO_PAIR)
        terms = []
        for t1, t2, t3, count in entries:
            denominator = denominators[t1 * 4 + t2]
            if denominator:
                term = float(l3 * count) / denominator
                if term != 0:
                    terms.append((t1, t2, t3, term))
        return terms
