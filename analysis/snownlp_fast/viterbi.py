"""snownlp's Viterbi tagger, run for many segments at once with NumPy.

Stock ``CharacterBasedGenerativeModel.tag`` keeps, per character, a dict of up to 16 states
keyed by (tag of the previous character, tag of this one), each with its score and a copy of
its whole tag path (so a segment of n characters copies O(n²) list items). Here a state set is
a ``(segments, 4, 4)`` array, paths are recovered from back-pointers, and all segments of a
batch advance one character position per NumPy step: sorted longest first, the segments still
running at position i are always a prefix of the batch, so no padding or masks are needed.

Exactness rests on four details copied from stock ``tag``:

* scores are ``previous + log_prob`` — one IEEE addition, identical in NumPy;
* among predecessors with equal scores the first one in snownlp's iteration order (tag b, m,
  e, s of the character two back) wins, because it replaces a state only on ``p > best``;
  ``argmax`` returns the first maximum, which is the same rule;
* a character the model has never seen is not scored: each new state takes, unscored, the
  *last* predecessor written to its dict key, i.e. the one whose earlier tag is s;
* the final state is the first maximum in the dict's insertion order (tag of the last
  character major, tag of the one before it minor).
"""

from __future__ import annotations

import numpy as np

S_TAG = 3  # index of tag "s", the last one snownlp iterates


def tag_segments(rows: np.ndarray, row_ids: list[list[int]], known: list[list[bool]]) -> list[list[int]]:
    """Best tag index sequence (0..3 = b, m, e, s) for each segment.

    ``rows[r]`` is the ``[t1, t2, t3]`` log-probability block of a context (see
    ``context_tables``); ``row_ids[n][i]`` is the block of character i of segment n and
    ``known[n][i]`` whether the model knows that character.
    """
    count = len(row_ids)
    if count == 0:
        return []
    lengths = np.fromiter((len(r) for r in row_ids), dtype=np.intp, count=count)
    order = np.argsort(-lengths, kind="stable")
    lengths = lengths[order]
    width = int(lengths[0])
    if width == 0:
        return [[] for _ in range(count)]

    # Ragged inputs → one (segments, width) matrix in longest-first order.
    ids = np.zeros((count, width), dtype=np.intp)
    unknown = np.zeros((count, width), dtype=bool)
    flat_rows = np.fromiter((i for n in order.tolist() for i in row_ids[n]), dtype=np.intp)
    flat_known = np.fromiter((k for n in order.tolist() for k in known[n]), dtype=bool)
    which = np.repeat(np.arange(count), lengths)
    position = np.arange(len(which)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    ids[which, position] = flat_rows
    unknown[which, position] = ~flat_known
    # running[i] = how many segments are longer than i (they form a prefix of the batch).
    running = np.searchsorted(-lengths, -np.arange(width + 1), side="left")

    tags = np.zeros((count, width), dtype=np.int8)
    pointers: list[np.ndarray] = []

    # Position 0: one predecessor (start, start); row[0, 0] is the (BOS, BOS, c) block.
    block = rows[ids[:, 0], 0, 0]
    block[unknown[:, 0]] = 0.0  # unseen character: the path score is carried unchanged
    first = block
    done = int(running[1])
    tags[done:, 0] = first[done:].argmax(axis=1)

    if width > 1:
        # Position 1: states (t of c0, t of c1), each with a single predecessor.
        k = done
        block = rows[ids[:k, 1], 0]
        block[unknown[:k, 1]] = 0.0
        states = first[:k, :, None] + block
        finals: dict[int, np.ndarray] = {1: states[running[2]:k]}
        for i in range(2, width):
            k = int(running[i])
            previous = states[:k]
            candidates = previous[:, :, :, None] + rows[ids[:k, i]]  # [n, t1, t2, t3]
            best_prev = candidates.argmax(axis=1)  # first maximum = snownlp's tie rule
            states = candidates.max(axis=1)
            skip = unknown[:k, i]
            if skip.any():
                states[skip] = previous[skip, S_TAG, :, None]
                best_prev[skip] = S_TAG
            pointers.append(best_prev)
            finals[i] = states[running[i + 1]:k]
        _backtrack(tags, finals, pointers, running, width)

    inverse = np.empty(count, dtype=np.intp)
    inverse[order] = np.arange(count)
    as_lists = tags.tolist()
    lengths_list = lengths.tolist()
    return [as_lists[j][:lengths_list[j]] for j in inverse.tolist()]


def _backtrack(tags: np.ndarray, finals: dict[int, np.ndarray], pointers: list[np.ndarray],
               running: np.ndarray, width: int) -> None:
    """Fill ``tags`` from the last position back, all running segments at once."""
    count = tags.shape[0]
    tag2 = np.zeros(count, dtype=np.intp)  # tag of the character before position i
    tag3 = np.zeros(count, dtype=np.intp)  # tag of the character at position i
    for i in range(width - 1, 0, -1):
        k, start = int(running[i]), int(running[i + 1])
        ending = finals[i]
        if len(ending):
            # Segments ending here pick their first best state in (t3 major, t2 minor) order.
            best = ending.transpose(0, 2, 1).reshape(len(ending), 16).argmax(axis=1)
            tag3[start:k] = best // 4
            tag2[start:k] = best % 4
        tags[:k, i] = tag3[:k]
        if i >= 2:
            earlier = pointers[i - 2][np.arange(k), tag2[:k], tag3[:k]]
            tag3[:k] = tag2[:k]
            tag2[:k] = earlier
        else:
            tags[:k, 0] = tag2[:k]
