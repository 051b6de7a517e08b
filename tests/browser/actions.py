"""What a reader does on the page: type a search, pick a filter. Each waits for the page
that the action loads, so the next read sees the new results."""

from __future__ import annotations

from tests.browser.visit import Visit


def search(visit: Visit, text: str) -> None:
    box = visit.page.get_by_role("searchbox")
    box.fill(text)
    with visit.page.expect_navigation():
        box.press("Enter")


def choose(visit: Visit, select: str, value: str) -> None:
    """Pick a filter value; the page's script runs the search as soon as it changes."""
    with visit.page.expect_navigation():
        visit.page.locator(f"select[name={select}]").select_option(value)
