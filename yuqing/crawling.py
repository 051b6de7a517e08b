"""Run a spider in-process with yuqing's settings (used by the CLI, the demo and the scheduler)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from core.config import Settings


def scrapy_settings(settings: Settings, **overrides: Any):
    """Scrapy settings for this project, with yuqing's typed settings applied on top."""
    import os

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    s = get_project_settings()
    s.set("YUQING_SETTINGS", settings, priority="cmdline")
    s.set("YUQING_STORE", settings.store, priority="cmdline")
    s.set("ROBOTSTXT_OBEY", settings.obey_robots, priority="cmdline")
    s.set("DOWNLOAD_DELAY", settings.download_delay, priority="cmdline")
    s.set("CONCURRENT_REQUESTS_PER_DOMAIN", settings.concurrent_requests_per_domain, priority="cmdline")
    s.set("LOG_LEVEL", settings.log_level, priority="cmdline")
    for key, value in overrides.items():
        s.set(key, value, priority="cmdline")
    return s


def run_crawl(spider: str, settings: Settings, spider_args: dict[str, Any] | None = None,
              **scrapy_overrides: Any) -> dict:
    """Crawl to completion and return the crawl's stats (blocking; one call per process,
    because Twisted's reactor cannot restart — tests run crawls in a subprocess)."""
    # The `yuqing` CLI has configured logging already; a second root handler from Scrapy
    # would print every line twice.
    root = logging.getLogger()
    configured = bool(root.handlers)
    if configured:
        # `yuqing -v` asked for DEBUG; otherwise the configured level.
        wanted = logging.getLevelName(settings.log_level.upper())
        wanted = wanted if isinstance(wanted, int) else logging.INFO
        level = min(root.level or logging.INFO, wanted)
        root.setLevel(level)
        # Scrapy sets its own loggers to DEBUG (its handler filters them); filter here too.
        for handler in root.handlers:
            handler.setLevel(level)
    # The setting, not CrawlerProcess(install_root_handler=…), which Scrapy 2.13+ deprecates.
    scrapy_overrides.setdefault("LOG_INSTALL_ROOT_HANDLER", not configured)
    process = CrawlerProcess(scrapy_settings(settings, **scrapy_overrides))
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **(spider_args or {}))
    process.start()
    return dict(crawler.stats.get_stats())
