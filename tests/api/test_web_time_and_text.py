"""Beijing times, markdown tables in notice text, and chart data, without a browser."""

from __future__ import annotations

import pytest

from api.web.chart_data import timeline_bars
from api.web.charts import interval_for
from api.web.notice_text import blocks
from api.web.times import beijing, iso_beijing
from store.base import Query


@pytest.mark.parametrize("stored,shown", [
    ("2026-12-02T14:45:38+00:00", "2026年12月2日 22:45"),
    ("2024-05-10T12:00:00+08:00", "2024年5月10日 12:00"),
    ("2024-05-10T23:30:00", "2024年5月10日 23:30"),  # no zone: a Chinese site wrote Beijing time
    ("2024-05-01", "2024年5月1日"),
    ("", ""), ("昨天 12:00", "昨天 12:00"),  # not ISO: shown as the source wrote it
])
def test_times_read_in_beijing_time(stored, shown):
    assert beijing(stored) == shown


def test_time_attribute_is_the_same_instant_in_beijing():
    assert iso_beijing("2026-12-02T14:45:38+00:00") == "2026-12-02T22:45+08:00"


def test_markdown_table_becomes_a_table_and_prose_stays_prose():
    body = "决定如下：\n| 序号 | 账号 |\n|:--|--:|\n| 1 | <b>五华发布</b> |\n1. 自即日起停止更新\n| 不是 | 表格 |"
    out = blocks(body, ["停止更新"])
    assert [b.kind for b in out] == ["p", "table", "p", "p"]
    table = str(out[1].html)
    assert "<th" in table and "序号" in table and "<td" in table
    assert "&lt;b&gt;" in table and "<b>" not in table  # markup in a notice stays text
    assert "<ol>" not in str(out[2].html) and "<mark>" in str(out[2].html)  # no list, search term marked
    assert str(out[3].html) == "| 不是 | 表格 |"  # pipes without a separator row are not a table


def test_excerpt_reads_a_markdown_table_as_text():
    from api.web.notice_text import plain

    assert plain("如下：\n| 序号 | 账号 |\n|---|---|\n| 1 | 五华发布 |") == "如下：\n序号 账号；\n1 五华发布；"


@pytest.mark.parametrize("first,last,interval", [("2024-05-01", "2024-05-30", "day"),
                                                 ("2024-05-01", "2024-09-30", "week"),
                                                 ("2023-01-01", "2024-09-30", "month"), (None, None, "month")])
def test_interval_follows_the_span(first, last, interval):
    assert interval_for(first, last) == interval


def test_timeline_bars_split_by_stance_add_up(store, corpus):
    bars, interval = timeline_bars(store, "comment", Query(), with_notices=True)
    assert interval in ("day", "week")
    assert sum(b.count for b in bars) == len(corpus.comments)
    for b in bars:
        assert sum(p.count for p in b.parts) <= b.count
    by_stance = {s: sum(p.count for b in bars for p in b.parts if p.key == s) for s in ("support", "oppose", "neutral")}
    assert by_stance == {s: sum(c["stance"] == s for c in corpus.comments) for s in by_stance}


def test_pages_show_charts_and_comments(client, corpus):
    page = client.get("/reaction").text
    assert 'class="chart timeline"' in page and 'class="chart cities"' in page and "/reaction/comments" in page
    assert 'class="chart timeline"' in client.get("/").text
    listed = client.get("/reaction/comments", params={"city": "西安市"})
    assert listed.status_code == 200
    assert f"共 <strong>{sum(c['city'] == '西安市' for c in corpus.comments)}</strong> 条评论" in listed.text
    bad = client.get("/reaction/comments", params={"stance": "maybe"})
    assert bad.status_code == 422 and ("立场" in bad.text or "stance" in bad.text)
