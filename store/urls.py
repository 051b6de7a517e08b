"""Is a store URL usable? Checked before any work starts, one line saying why not.

SQLite URLs follow SQLAlchemy's convention: three slashes then a path, so
``sqlite:///data/yuqing.db`` is ``data/yuqing.db`` relative to the working directory and
``sqlite:////srv/yuqing/yuqing.db`` (four slashes) is the absolute ``/srv/yuqing/yuqing.db``.
The directory must exist: a typo in a path should be an error, not a new directory tree
created silently relative to wherever the command ran.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

SQLITE_URL_HELP = ("sqlite:///data/yuqing.db is data/yuqing.db relative to the working directory; "
                   "sqlite:////srv/yuqing/yuqing.db (four slashes) is the absolute /srv/yuqing/yuqing.db")
STORE_URL_EXAMPLES = "sqlite:///data/yuqing.db, sqlite:////abs/path/yuqing.db or http://localhost:9200"


def sqlite_path(url: str) -> Path:
    """``sqlite:///rel/path.db`` → ``rel/path.db``; ``sqlite:////abs/path.db`` → ``/abs/path.db``."""
    prefix = "sqlite:///"
    if not url.lower().startswith(prefix):
        raise ValueError(f"SQLite store URL must look like sqlite:///path.db, not {url!r}")
    rest = url[len(prefix):]
    if not rest or rest == ":memory:":
        raise ValueError(f"SQLite store URL {url!r} names no file; use sqlite:///path/to/yuqing.db")
    return Path(rest)


def missing_directory(path: Path) -> str | None:
    """Why a SQLite file cannot be made at ``path`` (its directory is missing), or None."""
    if path.is_dir():
        return f"{path} is a directory; name a file in it, e.g. {path / 'yuqing.db'}"
    parent = path.parent
    if not parent.is_dir():
        where = parent if parent.is_absolute() else f"{parent} (relative to {Path.cwd()})"
        return f"the directory {where} does not exist; create it first (mkdir -p {parent}) — {SQLITE_URL_HELP}"
    return None


def store_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as a store URL, or None when it can be opened."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        try:
            return missing_directory(sqlite_path(url))
        except ValueError as exc:
            return f"{exc} ({SQLITE_URL_HELP})"
    if scheme in ("http", "https"):
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError as exc:
            return f"store URL is not a valid URL ({exc}); example: http://localhost:9200"
        if not parts.hostname:
            return "Elasticsearch store URL has no host; example: http://localhost:9200"
        return None
    shown = url.split("@")[-1] if "@" in url else url
    return f"store URL {shown!r} names no backend; use {STORE_URL_EXAMPLES}"
