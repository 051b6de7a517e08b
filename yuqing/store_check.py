"""Open and ask the store before a crawl sends its first request.

A crawl whose store cannot be opened (``--store mysql://x``, a SQLite path under a regular
file, an Elasticsearch cluster that does not answer) used to print tracebacks from inside
Scrapy and exit 0, so cron reported success. Checked here first, it is one line and exit 3.
"""

from __future__ import annotations

from core.config import Settings
from store import open_store, redact
from store.errors import StoreError
from store.urls import store_url_problem


class StoreUnusable(Exception):
    """The store cannot be used; the message is one line for the user."""


def check_store(settings: Settings) -> None:
    """Raise ``StoreUnusable`` unless the configured store opens and says it is healthy."""
    url = settings.store
    problem = store_url_problem(url)
    if problem:
        raise StoreUnusable(f"store {redact(url)} cannot be used: {_one_line(problem)}")
    try:
        store = open_store(url, **settings.store_options())
    except (StoreError, ValueError, OSError) as exc:
        raise StoreUnusable(f"store {redact(url)} cannot be used: {_one_line(exc)}") from None
    try:
        health = store.health()
    except StoreError as exc:
        raise StoreUnusable(f"store {redact(url)} cannot be used: {_one_line(exc)}") from None
    finally:
        store.close()
    if not health.ok:
        raise StoreUnusable(f"store {redact(url)} cannot be used: {_one_line(health.detail) or 'not healthy'}")


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())
