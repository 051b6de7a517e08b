"""Narrowing a search with the filters, and reading past the first page."""

from __future__ import annotations

from collections import Counter

from tests.browser.actions import choose, search
from tests.browser.expected import matches, summary_by
from tests.browser.page_reading import hits, shown_page, shown_total, summary

PAGE_SIZE = 20  # what the page shows per page (api/routes/web.py)
PLATFORM_LABELS = {"wechat": "微信公众号", "weibo": "微博", "douyin": "抖音", "app": "客户端 App"}


def most_common(values) -> str:
    return Counter(values).most_common(1)[0][0]


def test_city_platform_and_theme_narrow_a_search(visit, corpus):
    visit.open("/")
    search(visit, "关停")
    docs = [d for d in corpus.announcements if matches(d, "关停")]
    assert shown_total(visit.page) == len(docs)

    city = most_common(d["city"] for d in docs if d["city"])
    choose(visit, "city", city)
    in_city = [d for d in docs if d["city"] == city]
    assert 0 < len(in_city) < len(docs)
    assert shown_total(visit.page) == len(in_city)
    assert all(city in h.meta for h in hits(visit.page))
    # The side summary describes the current search, so only that city is left in them.
    assert [(r.key, r.count) for r in summary(visit.page, "city")] == [(city, len(in_city))]

    platform = most_common(p for d in in_city for p in d["platforms"] if not all(p in e["platforms"] for e in in_city))
    choose(visit, "platform", platform)
    on_platform = [d for d in in_city if platform in d["platforms"]]
    assert 0 < len(on_platform) < len(in_city)
    assert shown_total(visit.page) == len(on_platform)
    assert all(PLATFORM_LABELS[platform] in h.tags for h in hits(visit.page))

    theme = most_common(t for d in on_platform for t in d["themes"])
    choose(visit, "theme", theme)
    final = [d for d in on_platform if theme in d["themes"]]
    assert 0 < len(final) <= len(on_platform)
    assert sorted(h.url for h in hits(visit.page)) == sorted(d["url"] for d in final)
    assert [(r.key, r.count) for r in summary(visit.page, "theme")][0] == (theme, len(final))
    # Every choice is still shown in the form, and the search term was kept all along.
    assert visit.page.get_by_role("searchbox").input_value() == "关停"
    for name, value in (("city", city), ("platform", platform), ("theme", theme)):
        assert visit.page.locator(f"select[name={name}]").input_value() == value

    choose(visit, "city", "")  # back to every city
    assert shown_total(visit.page) == sum(platform in d["platforms"] and theme in d["themes"] for d in docs)
    assert len(summary(visit.page, "city")) > 1


def test_date_range_typed_into_the_date_fields(visit, corpus):
    visit.open("/")
    visit.page.get_by_label("起始日期").fill("2024-03-01")
    visit.page.get_by_label("截止日期").fill("2024-05-31")
    search(visit, "停止更新")
    docs = [d for d in corpus.announcements if matches(d, "停止更新") and "2024-03-01" <= d["published_at"] <= "2024-05-31"]
    assert 0 < len(docs) and shown_total(visit.page) == len(docs)
    assert sorted(h.date for h in hits(visit.page)) == sorted(d["published_at"] for d in docs)
    chips = visit.page.locator(".chips").inner_text()
    assert "起始日期：2024-03-01" in chips and "截止日期：2024-05-31" in chips
    # Removing one chip keeps the rest of the search.
    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="去掉 截止日期 2024-05-31").click()
    assert visit.page.get_by_label("截止日期").input_value() == ""
    assert shown_total(visit.page) == sum(matches(d, "停止更新") and d["published_at"] >= "2024-03-01"
                                          for d in corpus.announcements)


def test_summary_follows_the_search(visit, corpus):
    visit.open("/")
    search(visit, "关停")
    docs = [d for d in corpus.announcements if matches(d, "关停")]
    shown = summary(visit.page, "city")
    assert [(r.key, r.count) for r in shown] == [(r.key, r.count) for r in summary_by(docs, "city", "themes")]


def test_paging_through_a_search_sorted_by_date(visit, corpus):
    visit.open("/")
    search(visit, "集约化")
    docs = [d for d in corpus.announcements if matches(d, "集约化")]
    assert len(docs) > PAGE_SIZE  # the corpus gives this search a second page
    choose(visit, "sort", "date_desc")
    assert shown_page(visit.page) == (1, 2)
    first = hits(visit.page)
    assert len(first) == PAGE_SIZE

    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="下一页").click()
    assert shown_page(visit.page) == (2, 2)
    assert visit.page.locator(".pager [aria-current=page]").inner_text() == "2"
    second = hits(visit.page)
    assert len(second) == len(docs) - PAGE_SIZE
    assert visit.page.get_by_role("link", name="下一页").count() == 0  # the last page
    # Both pages together: every match once, newest first, the search and sort kept.
    newest_first = sorted(docs, key=lambda d: d["published_at"], reverse=True)
    assert [h.url for h in first + second] == [d["url"] for d in newest_first]
    assert [h.date for h in first + second] == [d["published_at"][:10] for d in newest_first]
    assert visit.page.get_by_role("searchbox").input_value() == "集约化"
    assert visit.page.locator("select[name=sort]").input_value() == "date_desc"

    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="上一页").click()
    assert shown_page(visit.page) == (1, 2)
    assert [h.url for h in hits(visit.page)] == [h.url for h in first]

