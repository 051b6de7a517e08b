"""Schema migrations: a file written at an older layout opens, migrates in place, and
answers exactly as a file created at the current one."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from pathlib import Path

import pytest

from store.base import Query
from store.sqlite import SQLiteStore
from store.sqlite_rollup_migrations import AGG_AUTHORS_DDL
from store.sqlite_schema import SCHEMA_VERSION
from tests.contract import corpus

# What schema 1 had that schema 2 replaced: no author column, one (kind, ts, id) index.
_V2_INDEXES = ("docs_kind_newest", "docs_kind_oldest", "docs_kind_facts")
# What schema 3 added: the rollup tables and the narrow key index.
_V3_TABLES = ("agg_counts", "agg_author_facets", "agg_voices")


def downgrade_to_schema_2(path: Path) -> None:
    """Turn a current file into the schema-2 layout (no rollups, no docs_keys index)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for name in _V3_TABLES:
            conn.execute(f"DROP TABLE {name}")
        conn.execute("DROP INDEX docs_keys")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    finally:
        conn.close()


def downgrade_to_schema_1(path: Path) -> None:
    """Turn a current file into the schema-1 layout (as yuqing wrote it before the
    ``author`` column and the date-order indexes)."""
    downgrade_to_schema_2(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for name in _V2_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        conn.execute("ALTER TABLE docs DROP COLUMN author")
        conn.execute("CREATE INDEX docs_kind_ts ON docs (kind, ts, id)")
        conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    finally:
        conn.close()


def answers(store: SQLiteStore) -> dict:
    """A spread of reads touching everything schema 2 changed: date orders, summaries
    (distinct authors), search with and without filters."""
    out: dict = {}
    for sort in ("date_desc", "date_asc"):
        page = store.search("comment", Query(sort=sort, size=7, page=2))
        out[sort] = [h.doc["id"] for h in page.hits]
    # Every match, not their order or scores: the search index's statistics count documents
    # replaced or deleted until its segments merge (as Lucene's do), and its order of equal
    # scores follows the order of writing; the two files were written differently.
    page = store.search("comment", Query(q="关停", size=1_000))
    out["search"] = (page.total, sorted(h.doc["id"] for h in page.hits))
    out["filtered"] = store.count("comment", Query(q="政务", filters={"city": "昆明市"}))
    for kind, by in (("comment", "city"), ("comment", "theme"), ("post", "platform"), ("announcement", "city")):
        # Means rounded: the rollups sum sentiment in nanounits, the scan in floats.
        out[(kind, by)] = [dict(asdict(g), sentiment_mean=round(g.sentiment_mean or 0, 6))
                           for g in store.summarize(kind, by)]
    out["timeline"] = [asdict(b) | {"sentiment_mean": round(b.sentiment_mean or 0, 6)}
                       for b in store.timeline("comment", "week")]
    out["count"] = store.count("comment", Query(filters={"city": "昆明市"}))
    return out


@pytest.fixture(scope="module")
def current(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("current") / "yuqing.db"
    store = SQLiteStore(path)
    corpus.load(store)
    store.upsert("comment", corpus.many_comments(120))
    expected = answers(store)
    store.close()
    return path, expected


def copy_of(source: Path, path: Path) -> Path:
    """A consistent copy of the current file (the backup API also copies what is in its WAL)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


@pytest.fixture
def old_file(current, tmp_path) -> Path:
    path = copy_of(current[0], tmp_path / "old.db")
    downgrade_to_schema_1(path)
    return path


def test_a_schema_1_file_migrates_in_place_and_answers_the_same(current, old_file):
    conn = sqlite3.connect(old_file)
    assert "author" not in {r[1] for r in conn.execute("PRAGMA table_info(docs)")}
    conn.close()

    store = SQLiteStore(old_file)
    try:
        assert answers(store) == current[1]
    finally:
        store.close()

    conn = sqlite3.connect(old_file)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        assert meta["schema_version"] == str(SCHEMA_VERSION) == "6"
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert set(_V2_INDEXES) <= indexes and "docs_kind_ts" not in indexes
        # The backfilled author is the one in the document, for every authored document.
        mismatched = conn.execute(
            "SELECT count(*) FROM docs WHERE kind IN ('comment', 'post') "
            "AND author IS NOT json_extract(doc, '$.author_hash')"
        ).fetchone()[0]
        authored = conn.execute("SELECT count(*) FROM docs WHERE author IS NOT NULL").fetchone()[0]
        assert mismatched == 0 and authored > 0
    finally:
        conn.close()


@pytest.fixture
def schema_2_file(current, tmp_path) -> Path:
    path = copy_of(current[0], tmp_path / "v2.db")
    downgrade_to_schema_2(path)
    return path


def test_a_schema_2_file_gains_rollups_counted_from_its_documents(current, schema_2_file):
    conn = sqlite3.connect(schema_2_file)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'agg_counts'").fetchone()
    conn.close()
    store = SQLiteStore(schema_2_file)
    try:
        assert answers(store) == current[1]
        # The migrated file answers from its rollups, not from a scan that happens to agree.
        with store._reading() as conn:
            total = conn.execute("SELECT n FROM agg_counts WHERE kind = 'comment' AND a_field = '' AND b_field = ''"
                                 " AND a_value = '' AND b_value = '' AND label = '' AND stance = ''").fetchone()
            kept = conn.execute("SELECT sum(n) FROM agg_counts WHERE kind = 'comment' AND a_field = ''"
                                " AND b_field = '' AND a_value = '' AND b_value = ''").fetchone()[0]
            stored = conn.execute("SELECT count(*) FROM docs WHERE kind = 'comment'").fetchone()[0]
        assert kept == stored > 0 and (total is None or total[0] < stored)
    finally:
        store.close()


def test_documents_written_after_the_migration_carry_their_author(old_file):
    store = SQLiteStore(old_file)
    try:
        doc = dict(corpus.many_comments(1)[0], id="after-migration", author_hash="ab12cd34ef56ab78")
        assert store.upsert("comment", [doc]).inserted == 1
        changed = dict(doc, author_hash="0000111122223333", text=doc["text"] + "（更新）")
        assert store.upsert("comment", [changed]).updated == 1
    finally:
        store.close()
    conn = sqlite3.connect(old_file)
    try:
        row = conn.execute("SELECT author FROM docs WHERE id = 'after-migration'").fetchone()
        assert row == ("0000111122223333",)
        # Kinds without authors keep none.
        assert conn.execute("SELECT count(*) FROM docs WHERE kind = 'announcement' AND author IS NOT NULL"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def test_a_failed_migration_leaves_the_file_as_it_was(old_file, monkeypatch):
    from store import sqlite_schema

    def broken(conn):
        conn.execute("ALTER TABLE docs ADD COLUMN author TEXT")
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setitem(sqlite_schema.MIGRATIONS, 1, broken)
    with pytest.raises(Exception):
        SQLiteStore(old_file)
    conn = sqlite3.connect(old_file)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
        assert "author" not in {r[1] for r in conn.execute("PRAGMA table_info(docs)")}
    finally:
        conn.close()


def downgrade_to_schema_5(path: Path) -> None:
    """Put a current file's ``agg_author_facets`` back in schema 5's WITHOUT ROWID table."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("ALTER TABLE agg_author_facets RENAME TO agg_author_facets_6")
        conn.execute("CREATE TABLE agg_author_facets (kind TEXT NOT NULL, author TEXT NOT NULL, facets TEXT NOT NULL,"
                     " PRIMARY KEY (kind, author)) WITHOUT ROWID")
        conn.execute("INSERT INTO agg_author_facets SELECT kind, author, facets FROM agg_author_facets_6")
        conn.execute("DROP TABLE agg_author_facets_6")
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    finally:
        conn.close()


def downgrade_to_schema_4(path: Path) -> None:
    """Unpack a current file's distinct-author rows into schema 4's ``agg_authors``: a row per
    (kind, facet, author), keyed author first."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute(AGG_AUTHORS_DDL)
        conn.execute("INSERT INTO agg_authors (kind, field, value, author, n) SELECT kind, json_extract(j.value, '$[0]'),"
                     " json_extract(j.value, '$[1]'), author, json_extract(j.value, '$[2]')"
                     " FROM agg_author_facets, json_each(facets) j")
        conn.execute("DROP TABLE agg_author_facets")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    finally:
        conn.close()


def downgrade_to_schema_3(path: Path) -> None:
    """Turn a current file's rollups into schema 3's: no city pairs beyond (city, themes)
    counts, and distinct authors per platform among commenters with a known region."""
    downgrade_to_schema_4(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("DELETE FROM agg_counts WHERE (a_field = 'city' AND b_field IN ('platform', 'platforms'))"
                     " OR (a_field = 'author_region' AND b_field = 'city')")
        for table in ("agg_authors", "agg_voices"):
            conn.execute(f"DELETE FROM {table} WHERE field LIKE 'city|%'")
        conn.execute("INSERT INTO agg_counts VALUES ('comment', 'author_region', 'platform', '北京', 'weibo', '', '',"
                     " 2, 0, 0)")
        conn.execute("INSERT INTO agg_authors VALUES ('comment', 'platform|author_region', 'weibo', 'a1', 2)")
        conn.execute("INSERT INTO agg_voices VALUES ('comment', 'platform|author_region', 'weibo', 1)")
        # Schema 3 keyed agg_authors facet first.
        conn.execute("ALTER TABLE agg_authors RENAME TO agg_authors_4")
        conn.execute("CREATE TABLE agg_authors (kind TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
                     " author TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, field, value, author)) WITHOUT ROWID")
        conn.execute("INSERT INTO agg_authors SELECT kind, field, value, author, n FROM agg_authors_4")
        conn.execute("DROP TABLE agg_authors_4")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_schema_3_file_gains_the_city_pairs_as_a_recount_has_them(current, tmp_path):
    from tests.unit.store.test_sqlite_rollup import kept_tables, recount

    path = copy_of(current[0], tmp_path / "v3.db")
    downgrade_to_schema_3(path)
    store = SQLiteStore(path)
    try:
        kept = kept_tables(store)
        assert any(field.startswith("city|") for _, field, *_ in kept["agg_voices"])
        with store._reading() as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "agg_author_facets" in tables and "agg_authors" not in tables
        assert kept == recount(store)
        assert answers(store) == current[1]
        # A city's comments by region are a look-up again.
        regions = store.summarize("comment", "author_region", Query(filters={"city": "昆明市"}))
        assert regions and all(g.authors for g in regions)
    finally:
        store.close()


def test_a_schema_4_file_packs_each_authors_rows_into_one(current, tmp_path):
    from tests.unit.store.test_sqlite_rollup import kept_tables, recount

    path = copy_of(current[0], tmp_path / "v4.db")
    with sqlite3.connect(path) as conn:
        packed = conn.execute("SELECT kind, author, facets FROM agg_author_facets ORDER BY 1, 2").fetchall()
    conn.close()
    downgrade_to_schema_4(path)
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT kind || author) FROM agg_authors").fetchone()
    conn.close()
    assert rows[0] > 2 * rows[1] > 0  # several rows per author before
    store = SQLiteStore(path)
    try:
        kept = kept_tables(store)
        # The SQL packing writes exactly the text the writer's pack_facets writes.
        assert sorted(kept["agg_author_facets"]) == packed
        assert kept == recount(store)
        assert answers(store) == current[1]
        # Writes after the migration keep the packed rows right: authors move city, some leave.
        moved = [dict(c, city="西安市", province="陕西省") for c in corpus.comments()[:3]]
        store.upsert("comment", moved)
        store.delete("comment", [c["id"] for c in corpus.comments()[3:5]])
        assert kept_tables(store) == recount(store)
    finally:
        store.close()


def _author_table_sql(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'agg_author_facets'").fetchone()[0]
    conn.close()
    return sql


def test_a_schema_5_file_keeps_its_authors_rows_in_a_rowid_table(current, tmp_path):
    from tests.unit.store.test_sqlite_rollup import kept_tables, recount

    path = copy_of(current[0], tmp_path / "v5.db")
    assert "WITHOUT ROWID" not in _author_table_sql(path).upper()
    with sqlite3.connect(path) as conn:
        packed = conn.execute("SELECT kind, author, facets FROM agg_author_facets ORDER BY 1, 2").fetchall()
    conn.close()
    downgrade_to_schema_5(path)
    assert "WITHOUT ROWID" in _author_table_sql(path).upper()
    store = SQLiteStore(path)
    try:
        assert "WITHOUT ROWID" not in _author_table_sql(path).upper()
        kept = kept_tables(store)
        assert sorted(kept["agg_author_facets"]) == packed and packed
        assert kept == recount(store)
        assert answers(store) == current[1]
        # Authors written after the migration: new ones, moved ones, ones who leave.
        moved = [dict(c, city="西安市", province="陕西省") for c in corpus.comments()[:3]]
        new = [dict(c, id=f"{c['id']}-new", author_hash=f"new-{i}") for i, c in enumerate(corpus.comments()[:4])]
        store.upsert("comment", moved + new)
        store.delete("comment", [c["id"] for c in corpus.comments()[3:5]])
        assert kept_tables(store) == recount(store)
    finally:
        store.close()
