"""Opening the page: every announcement listed, and the side summary by city and theme."""

from __future__ import annotations

import pytest

from tests.browser.expected import summary_by, theme_labels
from tests.browser.page_reading import hits, shown_page, shown_total, summary



def test_page_lists_every_announcement_with_filters_to_choose(visit, corpus):
    visit.open("/")
    page = visit.page
    assert "政务新媒体关停舆情" in page.title()
    assert shown_total(page) == len(corpus.announcements)
    assert shown_page(page) == (1, 2)  # 36 announcements, 20 a page
    assert len(hits(page)) == 20
    options = {name: page.locator(f"select[name={name}] option").evaluate_all("os => os.map(o => o.value)")
               for name in ("province", "city", "platform", "theme")}
    docs = corpus.announcements
    assert set(options["province"]) == {""} | {d["province"] for d in docs if d["province"]}
    assert set(options["city"]) == {""} | {d["city"] for d in docs if d["city"]}
    assert set(options["platform"]) == {""} | {p for d in docs for p in d["platforms"]}
    assert set(options["theme"]) == {""} | {t for d in docs for t in d["themes"]}
    # The search box has the focus, ready to type into.
    assert page.evaluate("document.activeElement.name") == "q"


@pytest.mark.parametrize("by,field,top_of", [("city", "city", "themes"), ("theme", "themes", "city")])
def test_side_summary_shows_the_numbers_of_the_stored_documents(visit, corpus, by, field, top_of):
    visit.open("/")
    shown = summary(visit.page, by)
    expected = summary_by(corpus.announcements, field, top_of)
    assert [r.key for r in shown] == [r.key for r in expected]
    labels = theme_labels()
    for row, want in zip(shown, expected):
        assert row.count == want.count, row.key
        # Issue 18: no tone for notices (snownlp's score of a formal notice is not meaningful).
        assert row.cells == 2, row.key
        if by == "city":
            assert row.label == want.key
            top = "主要主题：" + "、".join(f"{labels[k]} ({n})" for k, n in want.top)
        else:
            assert row.label == labels[want.key]
            top = "主要城市：" + "、".join(f"{k} ({n})" for k, n in want.top)
        assert row.top == top, row.key


def test_summary_is_in_sight_beside_the_results(visit):
    """On a desktop screen the summary sits beside the first results, not below twenty of them."""
    visit.open("/")
    aside = visit.page.locator("#summary").bounding_box()
    results = visit.page.locator("#results").bounding_box()
    assert aside["y"] < visit.page.viewport_size["height"] / 2
    assert aside["x"] >= results["x"] + results["width"]


def test_a_city_row_links_to_that_citys_announcements(visit, corpus):
    visit.open("/")
    first = summary(visit.page, "city")[0]
    with visit.page.expect_navigation():
        visit.page.locator("#summary a", has_text=first.label).first.click()
    assert shown_total(visit.page) == first.count
    assert all(first.key in h.meta for h in hits(visit.page))
    assert visit.page.locator("select[name=city]").input_value() == first.key
