"""The page's view of time and of the comments: timeline charts on the search and reaction
views, reaction by city, the comments behind a row and behind a notice (网友反应), the way
back keeping the search, tables that fit 1280 px, markdown tables and Beijing times.

This module serves its own store (the shared corpus plus one notice whose text carries a
markdown table, crawled at a UTC time) so the shared browser corpus stays as other tests
count it. Screenshots go to build/screenshots/ for a person to look at.
"""

from __future__ import annotations

from typing import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from api.app import create_app
from core.config import Settings
from tests.api.factories import announcement, build_corpus, filled_store
from tests.browser.conftest import DESKTOP, PHONE, STEP_TIMEOUT_MS
from tests.browser.screens import screenshot
from tests.browser.visit import Visit
from tests.support.serving import served_in_thread

TABLE_NOTICE_URL = "http://127.0.0.1:8765/gov/table/content_1.html"
MARKDOWN_BODY = ("昆明市五华区人民政府办公室关于关停部分政务新媒体账号的公告\n"
                 "经研究，决定关停以下账号：\n"
                 "| 序号 | 账号名称 | 平台 |\n"
                 "|---|---|---|\n"
                 "| 1 | 五华发布 | 微信公众号 |\n"
                 "| 2 | 五华融媒 | 抖音号 |\n"
                 "特此公告。")
CRAWLED_UTC = "2026-12-02T14:45:38+00:00"  # 22:45 in Beijing


@pytest.fixture(scope="module")
def corpus():
    c = build_corpus()
    c.announcements.append(announcement(
        url=TABLE_NOTICE_URL, title="关于关停部分政务新媒体账号的公告（附账号表）", body=MARKDOWN_BODY,
        issuer="昆明市五华区人民政府办公室", published_at="2024-05-01", crawled_at=CRAWLED_UTC,
        province="云南省", city="昆明市", district="五华区", platforms=["wechat", "douyin"],
        themes=["consolidation"], sentiment=0.5, sentiment_label="neutral"))
    return c


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, corpus) -> Iterator[str]:
    store_url = f"sqlite:///{tmp_path_factory.mktemp('timeviews') / 'time.db'}"
    store = filled_store(store_url, corpus)
    with served_in_thread(create_app(Settings(store=store_url, dev=True), store)) as port:
        yield f"http://127.0.0.1:{port}"
    store.close()


@pytest.fixture
def visit(request, browser, base_url) -> Iterator[Visit]:
    options = {"locale": "zh-CN", "viewport": DESKTOP, **getattr(request, "param", {})}
    context = browser.new_context(**options)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    v = Visit(page=page, base_url=base_url)
    page.on("console", v.record)
    page.on("pageerror", lambda exc: v.console_errors.append(f"uncaught: {exc}"))
    yield v
    context.close()
    assert v.console_errors == []


def bars(page, chart: str = "svg.timeline") -> list[tuple[str, int]]:
    return page.locator(f"{chart} g.bar").evaluate_all(
        "gs => gs.map(g => [g.dataset.start, Number(g.dataset.count)])")


def test_search_view_has_a_timeline_of_the_matching_notices(visit, corpus):
    visit.open("/?city=昆明市")
    page = visit.page
    chart = page.locator("#summary svg.timeline")
    chart.wait_for()
    shown = bars(page, "#summary svg.timeline")
    expected = [d for d in corpus.announcements if d["city"] == "昆明市" and d.get("published_at")]
    assert sum(n for _, n in shown) == len(expected) > 0
    assert chart.get_attribute("data-interval") in ("week", "month")
    # Notices carry no tone or stance (issue 18): one plain bar each, its title saying the count.
    assert page.locator("#summary svg.timeline rect[data-part=all]").count() == sum(1 for _, n in shown if n)
    assert page.locator("#summary svg.timeline rect[data-part=negative]").count() == 0
    assert "公告" in page.locator("#summary svg.timeline g.bar title").first.text_content()
    screenshot(page, "search-timeline")


def test_reaction_view_has_timeline_with_stance_and_notices_and_a_city_chart(visit, corpus):
    visit.open("/reaction")
    page = visit.page
    page.locator("svg.timeline").wait_for()
    shown = bars(page)
    assert sum(n for _, n in shown) == len([c for c in corpus.comments if c.get("created_at")])
    starts = [s for s, _ in shown]
    assert starts == sorted(starts) and len(starts) == len(set(starts))
    for stance in ("support", "oppose"):
        assert page.locator(f"svg.timeline rect[data-part={stance}]").count() > 0
    assert page.locator("svg.timeline g.notices line").count() >= 1  # notices per bucket
    cities = page.locator("svg.cities g.city").evaluate_all("gs => gs.map(g => [g.dataset.city, Number(g.dataset.count)])")
    by_city: dict[str, int] = {}
    for c in corpus.comments:
        if c.get("city"):
            by_city[c["city"]] = by_city.get(c["city"], 0) + 1
    assert dict(cities) == {k: v for k, v in by_city.items() if k in dict(cities)} and len(cities) == min(12, len(by_city))
    screenshot(page, "reaction-charts")


@pytest.mark.parametrize("visit", [{"viewport": PHONE}], indirect=True)
def test_charts_fit_a_phone(visit):
    visit.open("/reaction")
    page = visit.page
    page.locator("svg.timeline").wait_for()
    for chart in ("svg.timeline", "svg.cities"):
        box = page.locator(chart).bounding_box()
        assert 0 < box["width"] <= PHONE["width"] and box["height"] > 100, chart
        # Labels keep a readable size on the phone (a scaled drawing shrank them to 6 px).
        smallest = page.locator(f"{chart} text").evaluate_all(
            "ts => Math.min(...ts.map(t => t.getBoundingClientRect().height))")
        assert smallest >= 10, (chart, smallest)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "reaction-phone")


def test_reaction_tables_fit_1280(visit):
    visit.open("/reaction")
    page = visit.page
    for table in page.locator("section.reaction .scroll").all():
        assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways at 1280 px"
    screenshot(page, "reaction-tables-1280")


def test_comments_behind_a_reaction_row(visit, corpus):
    visit.open("/reaction")
    page = visit.page
    row = page.locator("section[data-by=city] tbody tr").first
    city = row.locator("th a").inner_text()
    row.locator("a.to-comments").click()
    page.wait_for_url("**/reaction/comments?**")
    behind = sorted((c for c in corpus.comments if c["city"] == city), key=lambda c: c["created_at"], reverse=True)
    assert f"共 {len(behind)} 条评论" in page.locator("p.total").inner_text()
    items = page.locator("li.comment")
    assert items.count() == min(20, len(behind))
    first = items.first
    assert first.locator(".text").inner_text() == behind[0]["text"]
    assert first.locator(".place").inner_text() == city
    assert first.locator(".region").inner_text() == behind[0]["author_region"]
    assert first.locator(".stance").inner_text() in ("支持", "反对", "中立")
    assert first.locator("a.source").get_attribute("href").startswith("http://127.0.0.1:8765/")
    # Beijing time, readable: 2024年5月…日 HH:MM
    assert "年" in first.locator("time").inner_text() and first.locator("time").get_attribute("datetime").endswith("+08:00")
    if len(behind) > 20:
        page.locator("nav.pager a[rel=next]").click()
        assert page.locator("li.comment").first.locator(".text").inner_text() == behind[20]["text"]
    screenshot(page, "comments-list")


def test_notice_page_leads_to_its_reaction_and_back_to_the_search(visit, corpus):
    visit.open("/?city=昆明市&theme=consolidation&q=关停")
    page = visit.page
    link = page.locator("a", has_text="附账号表").first
    link.click()
    page.wait_for_url("**/announcement/**")
    # The markdown table is a table.
    table = page.locator(".fulltext table")
    assert table.locator("th").all_inner_texts() == ["序号", "账号名称", "平台"]
    assert table.locator("tbody tr").count() == 2 and "|" not in page.locator(".fulltext").inner_text()
    # Crawl time in Beijing time, readable.
    crawled = page.locator("dt", has_text="抓取时间").locator("xpath=../dd/time")
    assert crawled.inner_text() == "2026年12月2日 22:45"
    screenshot(page, "notice-table-and-reaction-link")
    # 网友反应 → the comments about the notice's city since it was published.
    assert "昆明市" in page.locator("a.to-comments").inner_text()
    page.locator("a.to-comments").click()
    page.wait_for_url("**/reaction/comments?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["city"] == ["昆明市"] and query["date_from"] == ["2024-05-01"]
    behind = [c for c in corpus.comments if c["city"] == "昆明市" and c["created_at"][:10] >= "2024-05-01"]
    assert f"共 {len(behind)} 条评论" in page.locator("p.total").inner_text()
    # Back to the notice, then « 返回搜索 keeps every filter of the search.
    page.go_back()
    page.locator("p.crumbs a").click()
    page.wait_for_url("**/?**")
    back = parse_qs(urlsplit(page.url).query)
    assert back["city"] == ["昆明市"] and back["theme"] == ["consolidation"] and back["q"] == ["关停"]
    assert page.locator("select[name=city]").input_value() == "昆明市"
