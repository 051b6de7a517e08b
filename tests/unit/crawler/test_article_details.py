"""Article details seen on real pages (issue 17, item 5), read from the layout corpus's
article templates (``demo/layouts/articles.py``): markup inside ArticleTitle, a
``__2024年第N号`` number after the title, and a meta date that disagrees with the page."""

from __future__ import annotations

from crawler.extraction import extract_article
from demo.build_layouts import TITLES
from demo.sites import WEB_ROOT

SITE = WEB_ROOT / "layouts" / "trs-ul" / "r20"
URL = "http://127.0.0.1/layouts/trs-ul/r20/"


def _article(path: str, rules):
    return extract_article((SITE / path).read_text(encoding="utf-8"), URL + path, rules)


def test_markup_inside_article_title_meta_is_dropped(rules):
    # template 1: <meta name="ArticleTitle" content="A&lt;div&gt;——B&lt;/div&gt;">
    a = _article("tzgg/202405/t20240527_100001.html", rules)
    assert a.title == TITLES[0] + "——某某区政务公开专栏"
    assert "<" not in a.title and a.title_source == "meta"


def test_a_document_number_suffix_is_cut_from_the_title(rules):
    # template 2: <title>…__2024年第5号_某某区人民政府</title>, no meta
    a = _article("tzgg/202405/t20240526_100002.html", rules)
    assert a.title == TITLES[1]


def test_the_date_under_the_title_wins_when_meta_disagrees_by_more_than_a_day(rules):
    # template 3: PubDate 2024-06-28 (a later edit), 发布时间：2024-05-25 under the title
    a = _article("tzgg/202405/t20240525_100003.html", rules)
    assert a.published_at.startswith("2024-05-25")
    assert a.date_source == "label (over meta)" and a.date_overruled.startswith("2024-06-28")


def test_meta_date_stands_when_the_page_agrees(rules):
    a = _article("tzgg/202405/t20240528_100000.html", rules)  # template 0
    assert a.published_at.startswith("2024-05-28") and a.date_source == "meta" and a.date_overruled is None
