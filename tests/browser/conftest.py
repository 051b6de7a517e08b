"""A journalist's browser on the real page: uvicorn on a free port, Debian's Chromium via Playwright.

One server and one browser serve the whole session (starting Chromium is the slow part);
each test gets a fresh browser context, so cookies and history never leak between tests.
Playwright drives the system Chromium through ``executable_path``; no browser is ever
downloaded (``playwright install`` is never run). ``scripts/system-packages.sh`` (run by ``make test``) installs the Debian packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Error, sync_playwright

from api.app import create_app
from tests.api.factories import Corpus, build_corpus, filled_store
from tests.browser.visit import Visit
from tests.support.serving import served_in_thread
from core.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
# The developers' rule for headless Chromium: no sandbox (CI runs as root in a container),
# no GPU, and nothing that phones home (component updates, background fetches).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
# Every page here is local and small; a step that takes this long is broken, so fail it
# instead of waiting Playwright's default 30 s.
STEP_TIMEOUT_MS = 10_000


# When the browser corpus was crawled: the factories leave ``crawled_at`` empty, and the
# notice page cites the crawl date.
CRAWLED_AT = "2024-09-30T08:00:00+08:00"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    c = build_corpus()
    for doc in c.announcements:
        doc["crawled_at"] = CRAWLED_AT
    return c


@pytest.fixture(scope="session")
def store_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"


@pytest.fixture(scope="session")
def store(store_url, corpus):
    s = filled_store(store_url, corpus)
    yield s
    s.close()


@pytest.fixture(scope="session")
def base_url(store_url, store) -> Iterator[str]:
    """The app served by a real uvicorn in a thread, as ``yuqing serve`` would serve it."""
    with served_in_thread(create_app(Settings(store=store_url, dev=True), store)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests drive Debian's Chromium. Install it with\n"
            "    sudo apt-get update && sudo apt-get install -y chromium chromium-driver\n"
            "(`make test` does this through scripts/system-packages.sh). Do not run `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail(f"{CHROMIUM} is installed but would not start under Playwright: {exc}", pytrace=False)
        yield b
        b.close()


# A desktop screen, and a phone's (the width of the most common phones' CSS viewport).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def visit(request, browser, base_url) -> Iterator[Visit]:
    """A fresh tab; the test fails if the page logged a console error or threw in JS.
    ``@pytest.mark.parametrize("visit", [{...}], indirect=True)`` passes context options
    (a phone's viewport, JS switched off, clipboard permissions)."""
    options = {"locale": "zh-CN", "viewport": DESKTOP, **getattr(request, "param", {})}
    context = browser.new_context(**options)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    v = Visit(page=page, base_url=base_url)
    page.on("console", v.record)
    page.on("pageerror", lambda exc: v.console_errors.append(f"uncaught: {exc}"))
    yield v
    context.close()
    assert v.console_errors == [], "the page logged errors in the browser console"
