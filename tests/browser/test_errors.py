"""Mistakes a reader makes get a readable message on the page, never a stack trace."""

from __future__ import annotations

import pytest

from tests.browser.actions import search

TRACE_MARKERS = ("Traceback", "Internal Server Error", 'File "', "Exception")


def expect_status_logged(visit, status: int) -> None:
    """Chromium logs a non-2xx document to the console. The page answers 400/422 on
    purpose (scripts see the failure), so that one line is expected; anything else is not."""
    logged = [e for e in visit.console_errors if f"status of {status}" in e]
    assert len(logged) <= 1, visit.console_errors
    for line in logged:
        visit.console_errors.remove(line)


@pytest.mark.parametrize("query", ['"关停', "“停止更新"])
def test_unbalanced_quote_shows_a_readable_error(visit, query):
    visit.open("/")
    with visit.page.expect_response(lambda r: r.url.startswith(visit.base_url + "/?")) as answer:
        search(visit, query)
    assert answer.value.status == 400
    alert = visit.page.get_by_role("alert")
    assert alert.is_visible()
    message = alert.inner_text()
    assert "搜索语法有误" in message and "quote" in message.lower()
    page_text = visit.page.locator("body").inner_text()
    assert not any(marker in page_text for marker in TRACE_MARKERS)
    # The query is kept so the reader can fix it, and the page is still usable.
    assert visit.page.get_by_role("searchbox").input_value() == query
    assert visit.page.locator("li.hit").count() == 0
    expect_status_logged(visit, 400)

    search(visit, query.lstrip('"“'))
    assert visit.page.get_by_role("alert").count() == 0
    assert visit.page.locator("li.hit").count() > 0


def test_bad_page_number_in_a_shared_link_is_explained(visit):
    visit.open("/?q=%E5%85%B3%E5%81%9C&page=0")
    message = visit.page.get_by_role("alert").inner_text()
    assert "page" in message
    assert not any(marker in message for marker in TRACE_MARKERS)
    expect_status_logged(visit, 422)
