"""GET /reaction: comments (or posts, announcements) by city and theme, in numbers.

Expected figures are computed from the corpus in plain Python, not asked of the store.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean

from parsel import Selector

from tests.support.scans import watch_scans


def rows(page: Selector, by: str) -> dict[str, list[str]]:
    out = {}
    for tr in page.css(f'section[data-by="{by}"] tbody tr'):
        key = tr.css("th a::attr(href)").re_first(rf"[?&]{by}=([^&]+)")
        out[key] = ["".join(td.css("::text").getall()).strip() for td in tr.css("td")]
    return out


def groups(docs: list[dict], by: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        for value in (d[by] if isinstance(d[by], list) else [d[by]]):
            if value:
                out[value].append(d)
    return out


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%（{part}）"


def test_comments_by_city_with_authors_sentiment_and_stance(client, corpus):
    from urllib.parse import quote

    page = Selector(client.get("/reaction").text)
    assert f"共 {len(corpus.comments)} 条评论" in "".join(page.css(".total ::text").getall())
    shown = rows(page, "city")
    expected = groups(corpus.comments, "city")
    assert set(shown) == {quote(c) for c in expected}
    for city, docs in expected.items():
        cells = shown[quote(city)]
        n = len(docs)
        assert cells[0] == str(n)
        assert cells[1] == str(len({d["author_hash"] for d in docs}))  # distinct authors
        assert cells[2] == f"{fmean(d['sentiment'] for d in docs):.2f}"
        labels = [sum(d["sentiment_label"] == k for d in docs) for k in ("positive", "neutral", "negative")]
        stances = [sum(d["stance"] == k for d in docs) for k in ("support", "oppose", "neutral")]
        assert cells[3:9] == [percent(k, n) for k in labels + stances], city


def test_a_row_narrows_the_view_and_the_filters_apply(client, corpus):
    page = Selector(client.get("/reaction", params={"theme": "formalism", "stance": "oppose"}).text)
    docs = [d for d in corpus.comments if "formalism" in d["themes"] and d["stance"] == "oppose"]
    assert f"共 {len(docs)} 条评论" in "".join(page.css(".total ::text").getall())
    by_city = groups(docs, "city")
    city_link = page.css('section[data-by="city"] tbody th a::attr(href)').get()
    narrowed = Selector(client.get(city_link).text)
    city = narrowed.css("select[name=city] option[selected]::attr(value)").get()
    assert f"共 {len(by_city[city])} 条评论" in "".join(narrowed.css(".total ::text").getall())
    assert narrowed.css("select[name=theme] option[selected]::attr(value)").get() == "formalism"


def test_announcements_take_no_stance(client, corpus):
    page = Selector(client.get("/reaction", params={"kind": "announcement"}).text)
    assert f"共 {len(corpus.announcements)} 条公告" in "".join(page.css(".total ::text").getall())
    assert "立场占比" not in page.get() and "作者数" not in page.get()
    assert "stance" not in page.css("form").get()
    refused = client.get("/reaction", params={"kind": "announcement", "stance": "support"})
    assert refused.status_code == 422
    assert "立场（stance）：不是此页面可用的参数" in Selector(refused.text).css("[role=alert]").get()


def test_commenter_regions_share_the_known_locations(client, corpus):
    page = Selector(client.get("/reaction").text)
    known = [d["author_region"] for d in corpus.comments if d["author_region"]]
    shown = {tr.css("th::text").get(): tr.css("td::text").getall()
             for tr in page.css('section[data-by="region"] tbody tr')}
    assert shown == {r: [str(known.count(r)), f"{round(100 * known.count(r) / len(known))}%"] for r in set(known)}


def test_a_search_is_summarised_by_city_theme_and_time_in_one_scan(client, corpus, monkeypatch):
    """With words the rollups cannot answer: by city, by theme and the timeline come from
    one scan (``Store.prepare_overview``); the commenter regions and the stance split of
    the timeline are scans of their own. The rows are still the matching comments'."""
    from urllib.parse import quote

    word = "关了"  # in several comments of the factories
    docs = [d for d in corpus.comments if word in d["text"]]
    assert len(docs) > 1
    scans = watch_scans(monkeypatch)
    page = Selector(client.get("/reaction", params={"q": f"{word} -从未出现的词"}).text)
    assert scans.count("overview_rows") == 1 and "pair_counts" not in scans
    assert scans.count("summarize_groups") == 1  # the commenter regions
    shown = rows(page, "city")
    expected = groups(docs, "city")
    assert set(shown) == {quote(c) for c in expected}
    for city, matching in expected.items():
        assert shown[quote(city)][:2] == [str(len(matching)), str(len({d["author_hash"] for d in matching}))]
