"""Exact filters on every filter field, date ranges, sort orders."""

from __future__ import annotations

import pytest

from store.errors import InvalidQuery
from store.base import Query
from core.schema import DATE_FIELD, FILTER_FIELDS, LIST_FIELDS
from tests.contract import corpus


@pytest.fixture
def loaded(store):
    return corpus.load(store)


def ids(store, kind, query: Query) -> set[str]:
    return {d["id"] for d in store.iterate(kind, query)}


def has(doc: dict, field: str, wanted) -> bool:
    value = doc.get(field)
    values = value if field in LIST_FIELDS else [value]
    wanted = wanted if isinstance(wanted, list) else [wanted]
    return any(v in wanted for v in values if v is not None)


def field_values(docs: list[dict], field: str) -> list:
    seen = []
    for d in docs:
        value = d.get(field)
        for v in value if field in LIST_FIELDS else [value]:
            if v is not None and v not in seen:
                seen.append(v)
    return seen


FILTER_CASES = [(kind, name) for kind, names in FILTER_FIELDS.items() for name in names]


@pytest.mark.parametrize("kind,name", FILTER_CASES, ids=[f"{k}.{n}" for k, n in FILTER_CASES])
def test_every_filter_field_selects_exactly_the_documents_with_that_value(store, loaded, kind, name):
    docs = loaded.docs[kind]
    values = field_values(docs, name)
    assert values, f"corpus has no {kind}.{name} values"
    for value in values[:4]:
        expected = {d["id"] for d in docs if has(d, name, value)}
        assert ids(store, kind, Query(filters={name: value})) == expected, (name, value)
        assert store.search(kind, Query(filters={name: value})).total == len(expected)


@pytest.mark.parametrize("kind,name", [("announcement", "city"), ("announcement", "themes"), ("comment", "author_region")])
def test_a_list_of_values_matches_any_of_them(store, loaded, kind, name):
    docs = loaded.docs[kind]
    values = field_values(docs, name)[:2]
    expected = {d["id"] for d in docs if has(d, name, values)}
    single = {d["id"] for d in docs if has(d, name, values[0])}
    assert expected != single
    assert ids(store, kind, Query(filters={name: values})) == expected


def test_filters_on_different_fields_all_apply(store, loaded):
    docs = loaded.docs["announcement"]
    expected = {d["id"] for d in docs if d["province"] == "江苏省"} & {
        d["id"] for d in docs if "weibo" in d["platforms"] or "app" in d["platforms"]
    }
    assert expected
    query = Query(filters={"province": "江苏省", "platforms": ["weibo", "app"]})
    assert ids(store, "announcement", query) == expected


def test_boolean_filter(store, loaded):
    expected = {d["id"] for d in loaded.docs["post"] if d["partial"]}
    assert expected and expected != set(loaded.by_id("post"))
    assert ids(store, "post", Query(filters={"partial": True})) == expected
    assert ids(store, "post", Query(filters={"partial": False})) == set(loaded.by_id("post")) - expected


def test_unknown_filter_names_the_allowed_ones(store, loaded):
    with pytest.raises(InvalidQuery) as err:
        store.search("announcement", Query(filters={"town": "昆明市"}))
    assert "town" in str(err.value)
    assert "city" in str(err.value) and "themes" in str(err.value)


def test_filter_on_a_value_nobody_has(store, loaded):
    assert store.search("announcement", Query(filters={"city": "拉萨市"})).total == 0


@pytest.mark.parametrize(
    "kind,date_from,date_to",
    [
        ("announcement", "2024-05-01", "2024-05-31"),
        ("announcement", "2024-06-23", "2024-06-23"),  # a single day, both ends inclusive
        ("announcement", "2024-05-11", "2024-05-11"),  # 00:30 +08:00 counts as its local date
        ("announcement", "2024-07-01", None),
        ("announcement", None, "2024-05-10"),
        ("comment", "2024-06-10", "2024-06-20"),
        ("account", "2024-06-01", "2024-07-31"),
    ],
)
def test_date_ranges_are_inclusive_on_the_local_date(store, loaded, kind, date_from, date_to):
    field = DATE_FIELD[kind]
    expected = {
        d["id"]
        for d in loaded.docs[kind]
        if corpus.day_of(d, field)
        and (date_from is None or corpus.day_of(d, field) >= date_from)
        and (date_to is None or corpus.day_of(d, field) <= date_to)
    }
    assert expected
    assert ids(store, kind, Query(date_from=date_from, date_to=date_to)) == expected
    assert store.count(kind, Query(date_from=date_from, date_to=date_to)) == len(expected)


def test_a_bad_date_is_a_value_error(store, loaded):
    with pytest.raises(InvalidQuery) as err:
        store.search("announcement", Query(date_from="May 2024"))
    assert "date_from" in str(err.value)


@pytest.mark.parametrize("sort", ["date_desc", "date_asc"])
def test_date_sort_orders_and_puts_undated_last(store, loaded, sort):
    docs = loaded.docs["announcement"]
    page = store.search("announcement", Query(sort=sort, size=100))
    got = [h.doc["id"] for h in page.hits]
    assert len(got) == len(docs)
    dated = [h.doc for h in page.hits if h.doc["published_at"]]
    undated = [h.doc["id"] for h in page.hits if not h.doc["published_at"]]
    assert undated and got[-len(undated):] == undated
    from datetime import datetime, timezone

    def instant(d):
        value = datetime.fromisoformat(d["published_at"])
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()

    stamps = [instant(d) for d in dated]
    assert stamps == sorted(stamps, reverse=(sort == "date_desc"))
