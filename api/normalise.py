"""Normalised counts: a count always travels with the total it is out of and the ratio.

The one shape (``{"count", "total", "ratio"}``, ``api.models.summary.Share``) every
summary uses, so a client reads shares the same way on every route.
"""

from __future__ import annotations

# Ratios are rounded so JSON stays readable; 4 decimals keep 0.01 % resolution, finer
# than any group in a corpus of this size needs.
RATIO_DECIMALS = 4


def ratio(count: int, total: int) -> float:
    """``count / total`` rounded; 0 when there is nothing to be a share of."""
    return round(count / total, RATIO_DECIMALS) if total else 0.0


def share(count: int, total: int) -> dict:
    return {"count": count, "total": total, "ratio": ratio(count, total)}


def shares(counts: dict[str, int], total: int, keys: tuple[str, ...] = ()) -> dict[str, dict]:
    """A share per key: every expected key first (zero when absent), then any other counted."""
    names = list(keys) + [k for k in counts if k not in keys]
    return {k: share(counts.get(k, 0), total) for k in names}
