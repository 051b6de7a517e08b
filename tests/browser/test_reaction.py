"""The researchers' view: the reaction to the closures by city and theme, in numbers."""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean

from tests.browser.actions import choose
from tests.browser.expected import theme_labels
from tests.browser.page_reading import shown_total


def by_theme(docs: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        for t in d["themes"]:
            groups[t].append(d)
    return groups


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%（{part}）"


def table(visit, by: str) -> dict[str, list[str]]:
    rows = visit.page.locator(f'section[data-by="{by}"] tbody tr').evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")
    return {r[0]: r[1:] for r in rows}


def test_comments_by_theme_with_sentiment_and_stance_shares(visit, corpus):
    visit.open("/reaction")
    assert f"共 {len(corpus.comments)} 条评论" in visit.page.locator(".total").inner_text()
    labels = theme_labels()
    shown = table(visit, "theme")
    groups = by_theme(corpus.comments)
    assert set(shown) == {labels[t] for t in groups}
    for theme, docs in groups.items():
        n = len(docs)
        cells = shown[labels[theme]]
        assert cells[0] == str(n)
        assert cells[1] == str(len({d["author_hash"] for d in docs}))
        assert abs(float(cells[2]) - fmean(d["sentiment"] for d in docs)) <= 0.005 + 1e-9
        sentiments = [sum(d["sentiment_label"] == k for d in docs) for k in ("positive", "neutral", "negative")]
        stances = [sum(d["stance"] == k for d in docs) for k in ("support", "oppose", "neutral")]
        # The count sits under the share (a line break at 1280 px keeps the table unscrolled).
        assert [c.replace("\n", "") for c in cells[3:9]] == [share(k, n) for k in sentiments + stances], theme


def test_rows_narrow_the_view_and_lead_to_the_announcements(visit, corpus):
    visit.open("/reaction")
    city = max(sorted({d["city"] for d in corpus.comments}), key=lambda c: sum(d["city"] == c for d in corpus.comments))
    with visit.page.expect_navigation():
        visit.page.locator('section[data-by="city"] tbody th a', has_text=city).click()
    in_city = [d for d in corpus.comments if d["city"] == city]
    assert f"共 {len(in_city)} 条评论" in visit.page.locator(".total").inner_text()
    assert visit.page.locator("select[name=city]").input_value() == city
    labels = theme_labels()
    assert {k: v[0] for k, v in table(visit, "theme").items()} == {
        labels[t]: str(len(docs)) for t, docs in by_theme(in_city).items()}
    # Its "公告 →" link opens the search page on that city's announcements.
    with visit.page.expect_navigation():
        visit.page.locator('section[data-by="city"] a.to-announcements').first.click()
    assert shown_total(visit.page) == sum(d["city"] == city for d in corpus.announcements)


def test_switching_to_announcements_drops_the_stance_columns(visit, corpus):
    visit.open("/reaction")
    choose(visit, "kind", "announcement")
    assert f"共 {len(corpus.announcements)} 条公告" in visit.page.locator(".total").inner_text()
    assert visit.page.get_by_role("columnheader", name="支持").count() == 0
    assert visit.page.locator("select[name=stance]").count() == 0
    assert visit.page.url.endswith("/reaction?kind=announcement")
