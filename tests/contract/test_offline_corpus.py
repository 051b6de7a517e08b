"""Both backends agree on the offline web's own corpus, not only on the hand-written one.

Issue 3, part 3: "for the Chinese queries in the suite, both backends return the same hit
sets on the offline web's corpus". The offline web is crawled once for this module with the
real spiders (gov first, so that posts can take the city of the notices they link to, then
weibo and news side by side) into SQLite; every document is then moved to the
Elasticsearch leg with ``yuqing index copy`` (osmem-server, or $YUQING_TEST_ES_URL). The
tests ask both stores the questions journalists and researchers ask — two-character terms,
longer terms, phrases, OR, exclusions, with city / platform / theme filters and date ranges
— and compare hit sets, totals, orders and summaries.

Filter values and date bounds are read from the crawled corpus (its most frequent city,
the middle of its dates…), never written here, so the cases stay meaningful when the
offline web's content changes.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from typer.testing import CliRunner

from demo.server import OfflineWeb
from store import open_store
from store.base import Query, Store
from store.elastic import ElasticStore
from core.schema import DATE_FIELD, KINDS, TEXT_FIELDS
from tests.contract import corpus
from tests.support.crawl import run_crawl
from tests.support.elastic import client_options, es_url, unique_prefix
from yuqing.cli import app
from yuqing.commands import index as index_command

SEARCHED = ("announcement", "post", "comment", "account")
WEIBO_KEYWORDS = "政务新媒体,停更"
# Means are sums of the same floats in another order: equal to far more places than a
# reader sees, not to the last bit (rounding to fixed places can still straddle a boundary).
MEAN_TOLERANCE = 1e-9
# Hits per page when collecting a whole hit set (the comments outnumber one page of 1,000).
PAGE = 500

# Search strings as typed into the search box: 2-character terms, longer terms, phrases in
# ASCII and Chinese quotes, OR, exclusion, Latin words, numbers.
QUERIES = [
    "关停", "注销", "停更", "微博", "公众号", "抖音", "账号", "服务",
    "政务新媒体", "停止更新", "僵尸号", "形式主义", "基层减负", "信息公开", "不再更新",
    '"停止更新"', "“政务新媒体”", "关停 微博", "账号 注销", "注销 OR 关停", "停更 OR 停止更新 OR 注销",
    "政务 -微博", "公众号 -抖音 -微博", "APP", "ａｐｐ", "12345",
]
# Single Chinese terms, checked against a plain substring search of the crawled text as well.
PLAIN_TERMS = [q for q in QUERIES if q.isascii() is False and all("\u4e00" <= ch <= "\u9fff" for ch in q)]

# (kind, search string, filters, dates): each filter names the corpus value to use
# ("top" = the kind's most frequent value of that field, "second", or "top+second" for a list).
FILTERED: list[tuple[str, str | None, dict[str, str], str | None]] = [
    ("announcement", "关停", {"city": "top"}, None),
    ("announcement", "注销 OR 关停", {"city": "top+second"}, None),
    ("announcement", "政务新媒体", {"themes": "top"}, "first_half"),
    ("announcement", "公众号 -微博", {"platforms": "top"}, "second_half"),
    ("announcement", None, {"province": "top"}, "second_half"),
    ("post", "停更", {"platform": "top"}, None),
    ("post", "政务新媒体", {"city": "top"}, "second_half"),
    ("post", "注销 OR 停更", {"themes": "top"}, None),
    ("comment", "停更", {"platform": "top"}, None),
    ("comment", "形式主义", {"city": "top"}, None),
    ("comment", "公众号", {"platform": "second"}, "first_half"),
    ("comment", "注销 OR 停更", {"city": "top+second", "sentiment_label": "top"}, None),
    ("comment", None, {"author_region": "top"}, "second_half"),
    ("comment", "政务 -形式主义", {"stance": "top"}, None),
    ("account", "服务", {"platform": "top"}, None),
    ("account", None, {"action": "top", "city": "top"}, None),
]
SUMMARIES = [(kind, by) for kind in ("announcement", "post", "comment") for by in ("city", "theme")] + [
    ("comment", "platform"), ("comment", "author_region"), ("post", "platform"), ("account", "action"),
]


@dataclass
class Corpus:
    sqlite: Store
    elastic: ElasticStore
    docs: dict[str, list[dict]]  # every crawled document by kind, from SQLite
    copy_output: str


def _crawl(db_url: str) -> None:
    with OfflineWeb() as web:
        gov = run_crawl("gov", {"start_urls": ",".join(web.gov_start_urls())}, store_url=db_url)
        assert gov.returncode == 0, gov.stderr[-3000:]
        # Commentary crawls read the notices (for places) and write their own kinds; SQLite's
        # single writer with a busy timeout lets them run side by side.
        with ThreadPoolExecutor(max_workers=2) as pool:
            weibo = pool.submit(run_crawl, "weibo", {"keywords": WEIBO_KEYWORDS, "base_url": f"{web.base_url}/weibo"},
                                db_url, None, {"YUQING_WEIBO_COOKIE": "SUB=offline-corpus-test"})
            news = pool.submit(run_crawl, "news", {"start_urls": f"{web.base_url}/news/pinglun/,"
                                                                  f"{web.base_url}/news/daily/"}, db_url)
            for done in (weibo.result(), news.result()):
                assert done.returncode == 0, done.stderr[-3000:]


def _open_with_test_client(url: str, settings: Any) -> Store:
    if url.startswith("http"):
        return ElasticStore.from_url(url, **settings.store_options(), **client_options())
    return open_store(url, **settings.store_options())


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Corpus:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('offline-corpus') / 'crawl.db'}"
    _crawl(db_url)
    prefix = unique_prefix("offline")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_command, "_open", _open_with_test_client)
        result = CliRunner(env={"COLUMNS": "200"}).invoke(
            app, ["index", "copy", "--from", db_url, "--to", f"{es_url()}/?prefix={prefix}"])
    assert result.exit_code == 0, result.output
    sqlite = open_store(db_url)
    elastic = ElasticStore.from_url(es_url(), index_prefix=prefix, **client_options())
    docs = {kind: list(sqlite.iterate(kind)) for kind in KINDS}
    yield Corpus(sqlite, elastic, docs, result.output)
    sqlite.close()
    elastic.drop_everything()
    elastic.close()


def _table_rows(output: str) -> dict[str, list[str]]:
    """Body rows of the rich table in ``output`` by first cell (progress lines have no │)."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells and cells[0]:
            rows[cells[0]] = cells[1:]
    return rows


# --- resolving corpus-relative cases ------------------------------------------------


def _ranked_values(docs: list[dict], field: str) -> list[str]:
    """Values of ``field`` by how many documents hold them (ties by value)."""
    counts: dict[str, int] = {}
    for doc in docs:
        value = doc.get(field)
        for v in (value if isinstance(value, list) else [value]):
            if v not in (None, ""):
                counts[str(v)] = counts.get(str(v), 0) + 1
    return sorted(counts, key=lambda v: (-counts[v], v))


def _filter_value(docs: list[dict], field: str, spec: str) -> str | list[str]:
    ranked = _ranked_values(docs, field)
    assert len(ranked) >= 2 or spec == "top", f"the crawled corpus has too few {field} values: {ranked}"
    picks = {"top": ranked[0], "second": ranked[1] if len(ranked) > 1 else None}
    if "+" in spec:
        return [picks[part] for part in spec.split("+")]
    return picks[spec]


def _dates(docs: list[dict], kind: str, spec: str | None) -> dict[str, str]:
    if spec is None:
        return {}
    days = sorted({d[DATE_FIELD[kind]][:10] for d in docs if d.get(DATE_FIELD[kind])})
    middle = days[len(days) // 2]
    return {"date_to": middle} if spec == "first_half" else {"date_from": middle}


def _query(c: Corpus, kind: str, q: str | None, filters: dict[str, str], dates: str | None, **paging: Any) -> Query:
    docs = c.docs[kind]
    resolved = {field: _filter_value(docs, field, spec) for field, spec in filters.items()}
    return Query(q=q, filters=resolved, **_dates(docs, kind, dates), **paging)


def _all_ids(store: Store, kind: str, query: Query) -> list[str]:
    """Every hit's id in the store's order, paging with the cursor."""
    ids: list[str] = []
    cursor = None
    while True:
        page = store.search(kind, dataclasses.replace(query, cursor=cursor, highlight=False))
        ids.extend(h.doc["id"] for h in page.hits)
        cursor = page.next_cursor
        if not cursor:
            return ids


def _same_hits(c: Corpus, kind: str, query: Query) -> set[str]:
    """Assert both stores find the same documents with the same totals; return them."""
    paged = dataclasses.replace(query, size=PAGE)
    want, got = _all_ids(c.sqlite, kind, paged), _all_ids(c.elastic, kind, paged)
    want_ids, got_ids = set(want), set(got)
    assert got_ids == want_ids, f"only in SQLite: {sorted(want_ids - got_ids)[:5]}, only in ES: {sorted(got_ids - want_ids)[:5]}"
    assert len(got) == len(want) == len(want_ids)
    assert c.elastic.search(kind, query).total == c.sqlite.search(kind, query).total == len(want_ids)
    assert c.elastic.count(kind, query) == c.sqlite.count(kind, query) == len(want_ids)
    return want_ids


# --- the corpus ---------------------------------------------------------------------


def test_every_crawled_document_reached_elasticsearch(crawled):
    for kind in ("announcement", "account", "post", "comment", "crawl_run"):
        assert crawled.docs[kind], f"the crawl stored no {kind}"
        assert crawled.elastic.count(kind) == len(crawled.docs[kind])
        # the copy reports what it did: read, inserted, updated, unchanged, errors, now in target
        n = str(len(crawled.docs[kind]))
        assert _table_rows(crawled.copy_output)[kind] == [n, n, "0", "0", "0", "0", n]
    sample = crawled.docs["comment"][len(crawled.docs["comment"]) // 2]
    assert crawled.elastic.get("comment", sample["id"]) == sample


# --- hit sets -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", SEARCHED)
@pytest.mark.parametrize("q", QUERIES)
def test_chinese_queries_find_the_same_documents(crawled, kind, q):
    _same_hits(crawled, kind, Query(q=q))


@pytest.mark.parametrize("kind", ("announcement", "post", "comment"))
def test_plain_terms_find_every_document_that_contains_them(crawled, kind):
    """Beyond agreeing with each other, both find what a substring search finds."""
    found_any = 0
    for term in PLAIN_TERMS:
        expected = corpus.matching(crawled.docs[kind], TEXT_FIELDS[kind], term)
        assert _same_hits(crawled, kind, Query(q=term)) == expected, term
        found_any += bool(expected)
    assert found_any >= len(PLAIN_TERMS) // 2, "the crawled corpus should contain most of these terms"


@pytest.mark.parametrize("kind,q,filters,dates", FILTERED,
                         ids=[f"{k}-{q or 'all'}-{'-'.join(f)}-{d or 'any'}" for k, q, f, d in FILTERED])
def test_filters_and_dates_narrow_both_alike(crawled, kind, q, filters, dates):
    query = _query(crawled, kind, q, filters, dates)
    narrowed = _same_hits(crawled, kind, query)
    unfiltered = _same_hits(crawled, kind, Query(q=q))
    assert narrowed <= unfiltered


def test_most_cases_find_something(crawled):
    """Guards the suite against agreeing on nothing: most cases must have hits."""
    non_empty = sum(bool(crawled.sqlite.count(kind, Query(q=q))) for kind in SEARCHED for q in QUERIES)
    assert non_empty >= len(SEARCHED) * len(QUERIES) // 2
    filtered = sum(bool(crawled.sqlite.count(k, _query(crawled, k, q, f, d))) for k, q, f, d in FILTERED)
    assert filtered >= len(FILTERED) * 2 // 3


@pytest.mark.parametrize("sort", ["date_desc", "date_asc", "relevance"])
@pytest.mark.parametrize("kind,q", [("comment", "停更 OR 公众号 OR 形式主义"), ("announcement", "公告"), ("post", None)])
def test_paging_with_the_cursor_walks_the_same_hits(crawled, kind, q, sort):
    query = Query(q=q, size=7, sort=sort)
    want, got = _all_ids(crawled.sqlite, kind, query), _all_ids(crawled.elastic, kind, query)
    assert len(got) == len(set(got)) == crawled.sqlite.count(kind, Query(q=q)) > 7
    if sort == "relevance":
        assert set(got) == set(want)  # the engines score differently; the hits are the same
    else:
        assert got == want  # by date, then id: one order


# --- aggregates ---------------------------------------------------------------------


def _rows(groups: list[Any], *, approx: bool = False) -> list[dict[str, Any]]:
    """Groups as plain rows; ``approx`` makes each mean compare within MEAN_TOLERANCE."""
    rows = []
    for group in groups:
        row = dataclasses.asdict(group)
        if approx and row.get("sentiment_mean") is not None:
            row["sentiment_mean"] = pytest.approx(row["sentiment_mean"], abs=MEAN_TOLERANCE)
        row["top"] = [list(t) for t in row.get("top", [])]
        rows.append(row)
    return rows


@pytest.mark.parametrize("kind,by", SUMMARIES, ids=[f"{k}-by-{b}" for k, b in SUMMARIES])
@pytest.mark.parametrize("q", [None, "停更 OR 注销 OR 关停"])
def test_summaries_agree(crawled, kind, by, q):
    query = Query(q=q)
    want = _rows(crawled.sqlite.summarize(kind, by, query), approx=True)
    got = _rows(crawled.elastic.summarize(kind, by, query))
    assert got == want
    if q is None:
        assert want, f"no {kind} groups by {by} in the crawled corpus"


@pytest.mark.parametrize("kind", ("announcement", "comment"))
@pytest.mark.parametrize("interval", ("week", "month"))
def test_timelines_agree(crawled, kind, interval):
    want = _rows(crawled.sqlite.timeline(kind, interval), approx=True)
    assert want
    assert _rows(crawled.elastic.timeline(kind, interval)) == want
