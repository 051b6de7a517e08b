"""Every byte a SQLite store wrote: the file, its WAL and shared memory, and the files of the
search index beside it (``<file>.search/``), for tests that check what never reaches disk."""

from __future__ import annotations

from pathlib import Path


def store_bytes(db: str | Path) -> bytes:
    db = Path(db)
    written = [p for p in db.parent.iterdir() if p.name.startswith(db.name)]
    files = [f for p in written for f in ([p] if p.is_file() else sorted(p.rglob("*"))) if f.is_file()]
    return b"".join(f.read_bytes() for f in files)
