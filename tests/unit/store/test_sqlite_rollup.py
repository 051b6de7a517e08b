"""The rollups kept on write agree with a recount from scratch and with the scan they replace.

After each kind of change a crawl or ``yuqing reanalyze`` makes (inserts, re-crawled
updates that move a comment to another city or author, relabelling every document,
deletes, unchanged re-sends), two checks:

- the kept tables equal the tables ``sqlite_rollup.rebuild`` counts from the documents;
- every summary, timeline and count the rollups answer equals the GROUP BY over the
  documents (``sqlite_summary``), the path that answered everything before schema 3.
"""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from store.base import Query
from store.sqlite import SQLiteStore, _count
from store.sqlite_query import build_where
from store import sqlite_rollup, sqlite_rollup_read as rollup
from store.sqlite_summary import group_field, summarize_groups, timeline_buckets
from tests.contract import corpus

TABLES = sqlite_rollup.ROLLUP_TABLES

# (kind, by, filters) the rollups answer; each must equal the scan.
SUMMARIES = [
    ("comment", "city", {}), ("comment", "theme", {}), ("comment", "author_region", {}),
    ("comment", "platform", {}), ("comment", "stance", {}), ("comment", "sentiment_label", {}),
    ("comment", "province", {}), ("post", "city", {}), ("post", "theme", {}), ("post", "platform", {}),
    ("announcement", "city", {}), ("announcement", "theme", {}), ("announcement", "platform", {}),
    ("announcement", "city", {"sentiment_label": "negative"}),
    # One city by a field kept paired with the city (schema 4).
    ("comment", "theme", {"city": "昆明市"}), ("comment", "author_region", {"city": "西安市"}),
    ("comment", "platform", {"city": "昆明市"}), ("post", "theme", {"city": "昆明市"}),
    ("announcement", "theme", {"city": "昆明市"}), ("announcement", "platform", {"city": "西安市"}),
    # A single-valued field grouped by and filtered on: the unfiltered groups of those values.
    ("comment", "city", {"city": "西安市"}), ("comment", "city", {"city": ["昆明市", "西安市"]}),
    ("comment", "author_region", {"author_region": "云南"}), ("comment", "city", {"city": "无此城"}),
    ("comment", "province", {"province": "云南省"}), ("post", "city", {"city": "昆明市"}),
    ("announcement", "city", {"city": ["昆明市", "西安市"], "sentiment_label": "negative"}),
]
# Filters whose distinct authors the rollups hold (``sqlite_rollup_read.authors``); "known"
# stands for a commenter-region filter listing every region there is (in that city).
AUTHORS = [
    ("comment", {}), ("comment", {"city": "昆明市"}), ("comment", {"themes": "formalism"}),
    ("comment", {"stance": "oppose"}), ("comment", {"sentiment_label": "negative"}),
    ("comment", {"city": "昆明市", "themes": "formalism"}), ("comment", {"city": "西安市", "platform": "weibo"}),
    ("comment", {"author_region": "known"}), ("comment", {"city": "西安市", "author_region": "known"}),
    ("post", {}), ("post", {"city": "昆明市"}), ("post", {"city": "昆明市", "themes": "formalism"}),
]
# ... and some it does not: the scan answers them.
AUTHORS_SCANNED = [
    ("comment", {"city": ["昆明市", "西安市"]}), ("comment", {"themes": "formalism", "stance": "oppose"}),
    ("comment", {"city": "昆明市", "post_id": "weibo:p1"}), ("comment", {"author_region": "*"}),
]
TIMELINES = [
    ("comment", {}), ("comment", {"city": "昆明市"}), ("comment", {"themes": "formalism"}),
    ("comment", {"city": ["昆明市", "西安市"], "stance": "oppose"}), ("announcement", {"platforms": "wechat"}),
    ("post", {"sentiment_label": ["positive", "neutral"]}),
]


def kept_tables(store: SQLiteStore) -> dict[str, set]:
    with store._reading() as conn:
        return {t: set(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}


def recounted_tables(store: SQLiteStore) -> dict[str, set]:
    with store._writing() as conn:
        sqlite_rollup.rebuild(conn)
        recount = {t: set(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}
        raise _Undo(recount)  # rolls the recount back: the kept tables stay as they were


class _Undo(Exception):
    def __init__(self, tables):
        self.tables = tables


def recount(store: SQLiteStore) -> dict[str, set]:
    try:
        recounted_tables(store)
    except _Undo as undo:
        return undo.tables
    raise AssertionError("unreachable")


def rounded(items) -> list[dict]:
    return [dict(asdict(x), sentiment_mean=None if x.sentiment_mean is None else round(x.sentiment_mean, 9))
            for x in items]


def check(store: SQLiteStore) -> None:
    before = kept_tables(store)
    assert before["agg_counts"], "the rollups hold nothing"
    assert recount(store) == before
    assert kept_tables(store) == before
    with store._reading() as conn:
        for kind, by, filters in SUMMARIES:
            query = Query(filters=filters)
            plan = rollup.plan(kind, query)
            field = group_field(kind, by)
            kept = rollup.summarize(conn, plan, field, 5)
            assert kept is not None, (kind, by, filters)
            scanned = summarize_groups(conn, kind, field, build_where(kind, query).source(), 5)
            assert rounded(kept) == rounded(scanned), (kind, by, filters)
        for kind, filters in TIMELINES:
            for interval in ("day", "week", "month"):
                for dates in ({}, {"date_from": "2024-05-03", "date_to": "2024-06-20"}):
                    query = Query(filters=filters, **dates)
                    kept = rollup.timeline(conn, rollup.plan(kind, query), interval)
                    scanned = timeline_buckets(conn, interval, build_where(kind, query).source())
                    assert rounded(kept) == rounded(scanned), (kind, filters, interval, dates)
                    assert rollup.count(conn, rollup.plan(kind, query)) == _count(conn, build_where(kind, query))
        for kind, filters in AUTHORS + AUTHORS_SCANNED:
            if filters.get("author_region") == "known":
                where = build_where(kind, Query(filters={k: v for k, v in filters.items() if k != "author_region"}))
                regions = [g.key for g in summarize_groups(conn, kind, "author_region", where.source(), 0)]
                assert regions, filters
                filters = {**filters, "author_region": regions}
            query = Query(filters=filters)
            kept = rollup.authors(conn, kind, query)
            src = build_where(kind, query).source()
            scanned = conn.execute(f"SELECT count(DISTINCT d.author) FROM {src.tables} WHERE {src.where}",
                                   src.params).fetchone()[0]
            if (kind, filters) in AUTHORS_SCANNED:
                assert kept is None, (kind, filters)
            else:
                assert kept == scanned, (kind, filters)
            assert store.authors(kind, query) == scanned, (kind, filters)


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "rollup.db")
    corpus.load(s)
    s.upsert("comment", corpus.many_comments(300))
    yield s
    s.close()


def test_after_inserts(store):
    check(store)


def test_after_updates_that_move_documents_between_groups(store):
    rng = random.Random(7)
    comments = list(store.iterate("comment"))
    changed = []
    for doc in rng.sample(comments, 80):
        doc = dict(doc)
        doc["city"] = rng.choice(["昆明市", "西安市", "长沙市", None])
        doc["themes"] = rng.sample(["formalism", "consolidation", "duplication_waste", "access_to_information"],
                                   rng.randint(0, 2))
        doc["author_hash"] = rng.choice([doc.get("author_hash"), "moved-author", None])
        doc["created_at"] = rng.choice([doc.get("created_at"), "2024-07-01T10:00:00+08:00", None])
        doc["author_region"] = rng.choice(["云南", "北京", None])
        doc["text"] = (doc.get("text") or "") + "（更新）"
        changed.append(doc)
    report = store.upsert("comment", changed)
    assert report.updated == len(changed) and not report.errors
    check(store)


def test_after_relabelling_every_document(store):
    # What ``yuqing reanalyze`` does: every document upserted again with new labels.
    rng = random.Random(11)
    for kind in ("announcement", "post", "comment"):
        docs = []
        for doc in store.iterate(kind):
            score = round(rng.random(), 4)
            doc = dict(doc, sentiment=score, sentiment_label=rng.choice(["positive", "neutral", "negative"]))
            if kind != "announcement":
                doc["stance"] = rng.choice(["support", "oppose", "neutral", None])
            docs.append(doc)
        assert store.upsert(kind, docs).updated > 0
    check(store)


def test_after_deletes_and_unchanged_resends(store):
    comments = list(store.iterate("comment"))
    assert store.delete("comment", [d["id"] for d in comments[::3]]) == len(comments[::3])
    assert store.delete("announcement", [d["id"] for d in list(store.iterate("announcement"))[:4]]) == 4
    before = kept_tables(store)
    assert store.upsert("comment", comments[1::3]).unchanged == len(comments[1::3])
    assert kept_tables(store) == before
    check(store)


def test_deleting_everything_empties_the_rollups(store):
    for kind in ("announcement", "post", "comment"):
        store.delete(kind, [d["id"] for d in store.iterate(kind)])
    assert kept_tables(store) == {t: set() for t in TABLES}
    assert store.summarize("comment", "city") == [] and store.count("comment") == 0


def test_a_failed_batch_changes_no_rollup(store):
    before = kept_tables(store)
    docs = [dict(d, city="新城市") for d in list(store.iterate("comment"))[:5]]

    class Boom(Exception):
        pass

    def refuse():
        yield from docs
        raise Boom

    with pytest.raises(Boom):
        store.upsert("comment", refuse())
    assert kept_tables(store) == before


def test_queries_the_rollups_cannot_answer_fall_back_to_the_scan(store):
    assert rollup.plan("comment", Query(q="关停")) is None
    assert rollup.plan("comment", Query(filters={"post_id": "weibo:1"})) is None
    assert rollup.plan("comment", Query(filters={"city": "昆明市", "themes": "formalism"})) is None
    assert rollup.plan("comment", Query(filters={"themes": ["formalism", "consolidation"]})) is None
    assert rollup.plan("account", None) is None
    with store._reading() as conn:
        # A theme's cities are not kept paired with it beyond their counts: the scan answers.
        assert rollup.summarize(conn, rollup.plan("comment", Query(filters={"themes": "formalism"})), "city", 5) is None
        assert rollup.summarize(conn, rollup.plan("comment", Query(filters={"city": "昆明市"})), "province", 5) is None
        # A list field grouped by itself: a document filtered in by one theme counts in its other themes' groups too.
        assert rollup.summarize(conn, rollup.plan("comment", Query(filters={"themes": "formalism"})), "themes", 5) is None
    # … and the store's answer is still right.
    groups = store.summarize("comment", "city", Query(filters={"themes": "formalism"}))
    mine = [d for d in store.iterate("comment") if "formalism" in (d.get("themes") or [])]
    assert groups
    for g in groups:
        with_theme = [d for d in mine if d.get("city") == g.key]
        assert g.count == len(with_theme)
        assert g.authors == len({d["author_hash"] for d in with_theme if d.get("author_hash") is not None})


# Filters the scan answers, for comparing its two ways of applying them.
SCANNED_FILTERS = [
    {"city": "昆明市"}, {"city": ["昆明市", "西安市"]}, {"city": "昆明市", "themes": "formalism"},
    {"platform": "weibo", "stance": "oppose"}, {"themes": ["formalism", "consolidation"]}, {"city": "无此城"},
    {"post_id": "weibo:4900001"},
]


@pytest.mark.parametrize("filters", SCANNED_FILTERS, ids=str)
def test_filters_as_sets_answer_as_the_row_checks(store, filters):
    """Summaries and timelines read a filter as a set of documents from the value index;
    searches check it row by row. Both ways select the same documents."""
    for q in (None, "关停"):
        query = Query(q=q, filters=filters)
        as_sets = build_where("comment", query, filters_as_sets=True).source()
        checked = build_where("comment", query).source()
        assert "d.pk IN (SELECT v.doc" in as_sets.where and "EXISTS" in checked.where
        with store._reading() as conn:
            for by in ("city", "themes", "stance"):
                assert rounded(summarize_groups(conn, "comment", by, as_sets, 5)) == \
                    rounded(summarize_groups(conn, "comment", by, checked, 5)), (filters, q, by)
            assert rounded(timeline_buckets(conn, "day", as_sets)) == rounded(timeline_buckets(conn, "day", checked))
    # And the store's summary is the one a count by hand gives.
    wanted = {k: set(v) if isinstance(v, list) else {v} for k, v in filters.items()}

    def matches(doc: dict) -> bool:
        for name, values in wanted.items():
            have = doc.get(name)
            have = set(have) if isinstance(have, list) else {have}
            if not have & values:
                return False
        return True

    mine = [d for d in store.iterate("comment") if matches(d)]
    assert bool(mine) == ("无此城" not in str(filters)), (filters, len(mine))
    by_city = {g.key: g.count for g in store.summarize("comment", "city", Query(filters=filters))}
    hand: dict[str, int] = {}
    for d in mine:
        if d.get("city"):
            hand[d["city"]] = hand.get(d["city"], 0) + 1
    assert by_city == hand


def test_a_batch_repeating_an_id_is_written_in_order(store):
    first = dict(corpus.many_comments(1)[0], id="twice", city="昆明市")
    second = dict(first, city="西安市", text=first["text"] + "（改）")
    report = store.upsert("comment", [first, second])
    assert (report.inserted, report.updated) == (1, 1)
    assert store.get("comment", "twice")["city"] == "西安市"
    check(store)


def test_a_document_sqlite_refuses_is_named_and_the_rest_of_its_batch_kept(store):
    with store._writing() as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON docs WHEN NEW.id = 'refused'"
                     " BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END")
    docs = [dict(d, id=f"batch-{i}") for i, d in enumerate(corpus.many_comments(4))]
    docs.insert(2, dict(docs[0], id="refused"))
    report = store.upsert("comment", docs)
    assert report.inserted == 4
    assert [(i, "refused by a trigger" in why) for i, why in report.errors] == [("refused", True)]
    assert store.get("comment", "refused") is None and store.get("comment", "batch-3") is not None
    with store._writing() as conn:
        conn.execute("DROP TRIGGER refuse")
    check(store)


@pytest.mark.parametrize("sort", ["date_desc", "date_asc"])
@pytest.mark.parametrize("filters", [{}, {"city": "昆明市"}, {"city": ["昆明市", "西安市"], "sentiment_label": "negative"}])
def test_cursor_pages_walk_every_match_once_in_order_with_the_kept_total(store, sort, filters):
    # Many comments share a timestamp: the id breaks ties, in the keyset and in the order.
    same_time = [dict(d, id=f"tie-{i:03d}", created_at="2024-06-01T12:00:00+08:00")
                 for i, d in enumerate(corpus.many_comments(45))]
    store.upsert("comment", same_time)
    wanted = {d["id"] for d in store.iterate("comment", Query(filters=filters))}
    seen, keys, cursor, totals = [], [], None, set()
    while True:
        page = store.search("comment", Query(filters=filters, sort=sort, size=7, cursor=cursor))
        totals.add(page.total)
        seen += [h.doc["id"] for h in page.hits]
        keys += [(h.doc.get("created_at") is None, h.doc.get("created_at"), h.doc["id"]) for h in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and set(seen) == wanted and wanted
    assert totals == {len(wanted)}
    from store.documents import parse_date

    def order(key):
        undated, created, doc_id = key
        ts = parse_date(created, "created_at").ts if created else 0.0
        return (undated, -ts if sort == "date_desc" else ts, doc_id)

    assert keys == sorted(keys, key=order)


def test_packed_facets_are_the_json_of_the_sorted_triples():
    """``pack_facets`` writes each triple from its facet's cached opening: the text must be
    exactly ``json.dumps`` of the sorted triples (the migration's SQL writes that text, and
    an unchanged row is recognised by it), whatever the values hold."""
    import json

    hard = ["昆明市", 'say "no"', "back\\slash", "tab\tand\nnewline", "\x00\x1f", "😀 non-BMP", "\u2028", "", "a|b"]
    facets = {(field, value): n for n, (field, value) in enumerate(
        ((f, v) for f in ("city", "city|themes", "", "themes") for v in hard), start=1)}
    packed = sqlite_rollup.pack_facets(facets)
    assert packed == json.dumps([[f, v, n] for (f, v), n in sorted(facets.items())], ensure_ascii=False,
                                separators=(",", ":"))
    assert sqlite_rollup.unpack_facets(packed) == facets
    assert sqlite_rollup.pack_facets({}) == "[]"
