"""snownlp's Viterbi tagger for one segment in plain Python, for small batches.

A NumPy step costs microseconds of call overhead whatever the array size, so for the one
comment a pipeline scores at a time, the batched ``viterbi.tag_segments`` spends most of its
time in overhead (~10 calls per character). Here the same recursion runs on Python floats:
the context block comes out of the table as one list (``tolist``), the 16 states are a flat
list, and paths are back-pointers. Same additions, same strict ``>`` tie rule, same handling of
unknown characters and of the final choice as ``viterbi`` (whose docstring explains them), so
both give snownlp's tags; the tests run both against stock snownlp.
"""

from __future__ import annotations

import numpy as np

S_TAG = 3
# Index of state (t1, t2) in the flat 16-state list, and of (t1, t2, t3) in a 64-value block.
PAIRS = [(t2, t3) for t2 in range(4) for t3 in range(4)]


def _first_max(values: list[float], order: range | list[int]) -> int:
    best = order[0]
    for i in order:
        if values[i] > values[best]:
            best = i
    return best


# Final state: first maximum with the last character's tag major, the previous one's minor.
FINAL_ORDER = [t2 * 4 + t3 for t3 in range(4) for t2 in range(4)]


def tag_segment(rows: np.ndarray, row_ids: list[int], known: list[bool]) -> list[int]:
    """Best tag index sequence (0..3 = b, m, e, s) for one segment."""
    n = len(row_ids)
    if n == 0:
        return []
    first = rows[row_ids[0], 0, 0].tolist() if known[0] else [0.0] * 4
    if n == 1:
        return [_first_max(first, range(4))]
    block = rows[row_ids[1], 0].ravel().tolist() if known[1] else [0.0] * 16
    states = [first[t2] + block[t2 * 4 + t3] for t2, t3 in PAIRS]  # index t2 * 4 + t3
    pointers: list[list[int]] = []
    for i in range(2, n):
        if not known[i]:
            # Unscored: each state takes the last predecessor written, the one whose t1 is s.
            states = [states[12 + t2] for t2, _ in PAIRS]
            pointers.append([S_TAG] * 16)
            continue
        block = rows[row_ids[i]].ravel().tolist()  # index t1 * 16 + t2 * 4 + t3
        new_states, back = [], []
        for t2, t3 in PAIRS:
            j = t2 * 4 + t3
            # Predecessors (t1, t2) in snownlp's order b, m, e, s; replace only on a strict '>'.
            best, arg = states[t2] + block[j], 0
            p = states[4 + t2] + block[16 + j]
            if p > best:
                best, arg = p, 1
            p = states[8 + t2] + block[32 + j]
            if p > best:
                best, arg = p, 2
            p = states[12 + t2] + block[48 + j]
            if p > best:
                best, arg = p, 3
            new_states.append(best)
            back.append(arg)
        states = new_states
        pointers.append(back)
    end = _first_max(states, FINAL_ORDER)
    t2, t3 = divmod(end, 4)
    tags = [t3, t2]
    for back in reversed(pointers):
        t1 = back[t2 * 4 + t3]
        tags.append(t1)
        t2, t3 = t1, t2
    tags.reverse()
    return tags
