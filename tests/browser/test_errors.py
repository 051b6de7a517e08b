"""Mistakes a reader makes get a readable message on the page, never a stack trace, and
never figures that would read as "nothing found"."""

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


def assert_no_results_shown(visit) -> None:
    assert visit.page.locator("#results").count() == 0
    assert visit.page.locator("#summary").count() == 0
    assert "共 0 条" not in visit.page.locator("body").inner_text()


@pytest.mark.parametrize("query", ['"关停', "“停止更新"])
def test_unbalanced_quote_shows_a_readable_error(visit, query):
    visit.open("/")
    with visit.page.expect_response(lambda r: r.url.startswith(visit.base_url + "/?")) as answer:
        search(visit, query)
    assert answer.value.status == 400
    alert = visit.page.get_by_role("alert")
    assert alert.is_visible()
    message = alert.inner_text()
    assert "搜索语法有误" in message and "quote" in message.lower() and "引号要成对使用" in message
    page_text = visit.page.locator("body").inner_text()
    assert not any(marker in page_text for marker in TRACE_MARKERS)
    assert_no_results_shown(visit)
    # The query is kept so the reader can fix it, and the page is still usable.
    assert visit.page.get_by_role("searchbox").input_value() == query
    expect_status_logged(visit, 400)

    search(visit, query.lstrip('"“'))
    assert visit.page.get_by_role("alert").count() == 0
    assert visit.page.locator("li.hit").count() > 0


def test_bad_page_number_in_a_shared_link_is_explained(visit):
    visit.open("/?q=%E5%85%B3%E5%81%9C&page=0")
    message = visit.page.get_by_role("alert").inner_text()
    assert "页码（page）：页码应为从 1 开始的整数" in message
    assert not any(marker in message for marker in TRACE_MARKERS)
    assert_no_results_shown(visit)
    expect_status_logged(visit, 422)


def test_reversed_date_range_is_explained(visit):
    visit.open("/")
    visit.page.get_by_label("起始日期").fill("2024-06-01")
    visit.page.get_by_label("截止日期").fill("2024-05-01")
    search(visit, "关停")
    assert "起始日期晚于截止日期" in visit.page.get_by_role("alert").inner_text()
    assert visit.page.get_by_label("起始日期").input_value() == "2024-06-01"  # kept, to fix
    assert_no_results_shown(visit)
    expect_status_logged(visit, 422)
