"""Deep paging with ``search_after``: sort values that resume exactly, hits that really follow.

Past ``index.max_result_window`` (10,000 hits) a page starts from the previous page's
last sort values (``search_after``), never from an offset. Two things can go wrong with
a relevance order there; the pure functions below deal with them:

1. Scores are 32-bit floats printed in their shortest form; read back as a 64-bit float
   the number is a hair off, and the cluster misplaces the cursor. ``exact_sort_values``
   writes the score out as the 64-bit value equal to the 32-bit one.
2. A server that keeps scores in 64 bits but prints them in 32 (osmem-server, the test
   cluster) compares the cursor's printed score with its own: a hair high or low. Low, it
   sends the cursor's hit and its ties again, the next page repeats the last one and a
   client paging "until no cursor" never ends; ``strictly_after`` keeps only hits whose sort
   values come after the cursor's, so every loop ends. High, it skips the hits tied in
   score with the cursor; no client-side fix exists for that, so tests of relevance past
   the window use documents whose scores differ (tests/unit/store/test_elastic_paging.py).
   Elasticsearch itself has neither problem.
"""

from __future__ import annotations

import struct
from typing import Any, Sequence

# Sort values of a hit with no value for a date sort: Elasticsearch substitutes the
# extreme long (missing: _last); other servers send null. Both sort last.
_LAST = (1, 0)


def as_float32(value: float) -> float:
    """The 64-bit float equal to the 32-bit float nearest ``value``."""
    return struct.unpack("f", struct.pack("f", value))[0]


def exact_sort_values(values: list[Any], scored: bool) -> list[Any]:
    """Sort values for search_after, with a leading score written out exactly."""
    if not scored or not values or not isinstance(values[0], float):
        return values
    return [as_float32(values[0]), *values[1:]]


def _clause(clause: Any) -> tuple[str, bool]:
    """(field, descending) of one sort clause: ``{"id": {"order": "asc"}}`` or ``"_score"``."""
    if isinstance(clause, str):
        return clause, clause == "_score"
    ((field, opts),) = clause.items()
    order = opts.get("order") if isinstance(opts, dict) else opts
    return field, (order or ("desc" if field == "_score" else "asc")) == "desc"


def sort_key(values: Sequence[Any], sort: Sequence[Any]) -> tuple[Any, ...]:
    """A tuple that orders hits as the cluster does for ``sort`` (ascending tuples)."""
    key: list[Any] = []
    for value, clause in zip(values, sort):
        field, desc = _clause(clause)
        if value is None:
            key.append(_LAST)
            continue
        if field == "_score" and isinstance(value, (int, float)):
            value = as_float32(float(value))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            key.append((0, -value if desc else value))
        elif desc:
            raise ValueError(f"cannot order {field!r} descending by {value!r}")
        else:
            key.append((0, value))
    return tuple(key)


def strictly_after(hits: list[dict[str, Any]], after: Sequence[Any], sort: Sequence[Any]) -> list[dict[str, Any]]:
    """The hits whose sort values come after the cursor's (all of them, on a server that
    honours search_after exactly)."""
    cursor = sort_key(after, sort)
    return [h for h in hits if sort_key(h["sort"], sort) > cursor]
