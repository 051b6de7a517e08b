"""The project's typed settings as a crawl sees them."""

from __future__ import annotations

from core.config import Settings


def yuqing_settings(crawler) -> Settings:
    """The Settings object `yuqing crawl` put on the crawler, else one read from the environment
    (a plain `scrapy crawl`)."""
    return crawler.settings.get("YUQING_SETTINGS") or Settings()
