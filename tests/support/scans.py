"""The SQLite store's scans of its documents, named as they run."""

from __future__ import annotations

SCANS = ("summarize_groups", "day_rows", "pair_counts", "overview_rows")


def watch_scans(monkeypatch) -> list[str]:
    """A list that gets the name of each scan ``store.sqlite`` runs from now on (summaries,
    pairs, days, the search page's overview), for a test to check which ran."""
    import store.sqlite as sqlite_module

    scans: list[str] = []
    for name in SCANS:
        real = getattr(sqlite_module, name)
        monkeypatch.setattr(sqlite_module, name,
                            lambda *a, _real=real, _name=name, **k: scans.append(_name) or _real(*a, **k))
    return scans
