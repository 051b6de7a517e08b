"""Crawl tests: the offline web on a free port, started once per session and shared by the
gov, weibo and news spider tests (each module crawls it once, into its own store)."""

from __future__ import annotations

import pytest

from demo.server import OfflineWeb


@pytest.fixture(scope="session")
def offline_web():
    with OfflineWeb() as web:
        yield web
