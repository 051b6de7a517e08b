"""/docs with no network: every request the page makes goes to the app itself
(anything else is refused and fails the test), and the operations are listed."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.screens import screenshot


def offline(visit) -> list[str]:
    """Refuse every request that leaves the app's own host and port; return what was refused."""
    own = urlsplit(visit.base_url).netloc
    refused: list[str] = []

    def route(r):
        if urlsplit(r.request.url).netloc == own or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    visit.page.context.route("**/*", route)
    return refused


def test_swagger_ui_shows_the_operations_offline(visit):
    refused = offline(visit)
    visit.open("/docs")
    page = visit.page
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for path in ("/announcements", "/summary/timeline", "/health", "/health/live", "/export/comment"):
        assert any(p.replace("\u200b", "") == path for p in paths), path
    assert page.locator(".opblock-get").count() >= 10
    assert refused == []
    screenshot(page, "api-docs-swagger")
