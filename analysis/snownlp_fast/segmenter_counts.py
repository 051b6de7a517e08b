"""snownlp's segmenter counts, re-keyed by plain character strings.

The shipped model (``seg/seg.marshal.3``) stores its counts in dicts keyed by nested tuples,
e.g. ``tri[(('政', 'b'), ('务', 'e'), ('号', 's'))]``. Python does not cache tuple hashes, so
every lookup re-hashes three inner tuples, and a context needs up to 64 of them. Re-keyed by
the character string ("政务号") with the tag combinations in a small tuple, one lookup on a
cached ``str`` hash fetches everything the model knows about a context — and a miss (the
usual case for trigrams) costs one lookup instead of 64. Building this takes ~2 s once, and the
nested-tuple dicts can then be dropped, so memory does not double.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TAGS = ("b", "m", "e", "s")
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
ALL_TAGS = (0, 1, 2, 3)
# snownlp's sentence-start state, and the character that stands for it in string keys
# (keys are built from runs of CJK ideographs, so NUL never collides with a real character).
BOS = ("", "BOS")
PAD = "\x00"
NO_UNI = (0, 0, 0, 0)
NO_PAIR = (0,) * 16


@dataclass(frozen=True)
class SegmenterCounts:
    l1: float
    l2: float
    l3: float
    uni_total: float
    uni: dict[str, tuple[int, ...]]  # char -> count of (char, tag) per tag; PAD -> count of BOS
    pairs: dict[str, tuple[int, ...]]  # c1 + c2 -> bi count of ((c1, t1), (c2, t2)) at t1 * 4 + t2
    # c1 + c2 + c3 -> tri counts packed as count * 64 + (t1 * 16 + t2 * 4 + t3): one small int
    # per context for the ~95% that have a single entry (a tuple of 4-tuples took 3× the memory).
    triples: dict[str, int | tuple[int, ...]]

    @classmethod
    def from_marshal(cls, model: dict[str, Any]) -> "SegmenterCounts":
        if tuple(model["status"]) != TAGS:
            raise ValueError(f"unexpected segmenter tag set {model['status']!r}")
        for name in ("uni", "bi", "tri"):
            # NormalProb answers 0 for an unseen key; the sparse indexes below rely on it.
            if model[name]["none"] != 0:
                raise ValueError(f"segmenter {name} counts have a non-zero default")
        return cls(
            l1=model["l1"], l2=model["l2"], l3=model["l3"], uni_total=model["uni"]["total"],
            uni=_index_uni(model["uni"]["d"]), pairs=_index_pairs(model["bi"]["d"]),
            triples=_index_triples(model["tri"]["d"]),
        )

    def known_chars(self) -> frozenset[str]:
        """Characters snownlp scores: ``tag`` skips one whose (char, tag) pairs all have count 0."""
        return frozenset(c for c, counts in self.uni.items() if c != PAD and any(counts))

    def trigram_entries(self, key: str) -> list[tuple[int, int, int, int]]:
        """(t1, t2, t3, count) of every trigram count of a 3-character key."""
        packed = self.triples.get(key)
        if packed is None:
            return []
        return [(code >> 4, (code >> 2) & 3, code & 3, value >> 6)
                for value in (packed if isinstance(packed, tuple) else (packed,)) for code in (value & 63,)]


# The loops below are written flat (no helper call per entry): they run over ~1.3 million
# entries at load time. A state the tagger can never ask for — another tag, a "character" of
# several letters — is left out: it could only collide with a real key. BOS stands for all four
# tags of PAD, because the tagger looks it up whatever tag it is trying.

def _expand(state: tuple[str, str]) -> list[tuple[str, int]]:
    if state == BOS:
        return [(PAD, t) for t in ALL_TAGS]
    char, tag = state
    return [(char, TAG_INDEX[tag])] if len(char) == 1 and tag in TAG_INDEX else []


def _index_uni(counts: dict) -> dict[str, tuple[int, ...]]:
    uni: dict[str, list[int]] = {}
    for state, count in counts.items():
        for char, t in _expand(state):
            uni.setdefault(char, [0, 0, 0, 0])[t] = count
    return {k: tuple(v) for k, v in uni.items()}


def _index_pairs(counts: dict) -> dict[str, tuple[int, ...]]:
    pairs: dict[str, list[int]] = {}
    rare = []
    for key, count in counts.items():
        (a, ta), (b, tb) = key
        t1, t2 = TAG_INDEX.get(ta), TAG_INDEX.get(tb)
        if t1 is None or t2 is None or len(a) != 1 or len(b) != 1:
            rare.append((key, count))
            continue
        slot = pairs.get(a + b)
        if slot is None:
            slot = pairs[a + b] = [0] * 16
        slot[t1 * 4 + t2] = count
    for (s1, s2), count in rare:
        for c1, t1 in _expand(s1):
            for c2, t2 in _expand(s2):
                pairs.setdefault(c1 + c2, [0] * 16)[t1 * 4 + t2] = count
    return {k: tuple(v) for k, v in pairs.items()}


def _index_triples(counts: dict) -> dict[str, int | tuple[int, ...]]:
    triples: dict[str, int | tuple[int, ...]] = {}
    get = TAG_INDEX.get

    def put(key: str, value: int) -> None:
        previous = triples.get(key)
        if previous is None:
            triples[key] = value
        elif isinstance(previous, tuple):
            triples[key] = previous + (value,)
        else:
            triples[key] = (previous, value)

    rare = []
    for key, count in counts.items():
        (a, ta), (b, tb), (c, tc) = key
        t1, t2, t3 = get(ta), get(tb), get(tc)
        chars = a + b + c
        if t1 is None or t2 is None or t3 is None or len(chars) != 3:
            rare.append((key, count))
            continue
        put(chars, count * 64 + t1 * 16 + t2 * 4 + t3)
    for (s1, s2, s3), count in rare:
        for c1, t1 in _expand(s1):
            for c2, t2 in _expand(s2):
                for c3, t3 in _expand(s3):
                    put(c1 + c2 + c3, count * 64 + t1 * 16 + t2 * 4 + t3)
    return triples
