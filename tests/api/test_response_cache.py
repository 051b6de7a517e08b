"""Summaries kept in memory until the store changes (``api/response_cache.py``).

A real SQLite store and the real app; a thin proxy counts the store's summary calls, so
"answered from memory" is the store not being asked, and a write by a second store on the
same file (another connection, as a crawl in another process is) must be seen at once.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from store import open_store
from store.errors import QueryTimeout
from tests.api.conftest import make_settings
from tests.api.factories import build_corpus, comment, filled_store

CITIES = "/summary/cities?kind=comment"


class CountingSummaries:
    """A real store that counts ``summarize`` calls and can be told to time out."""

    def __init__(self, inner, version=None):
        self.inner, self.calls, self.fail = inner, 0, False
        self._version = version

    def summarize(self, *args, **kwargs):
        self.calls += 1
        if self.fail:
            raise QueryTimeout("the query took longer than 0 ms and was stopped; narrow it down")
        return self.inner.summarize(*args, **kwargs)

    def data_version(self):
        return self._version() if self._version else self.inner.data_version()

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite:///{tmp_path / 'cache.db'}"


@pytest.fixture
def store(store_url):
    s = filled_store(store_url, build_corpus())
    yield s
    s.close()


def serve(store, store_url, **settings):
    return TestClient(create_app(make_settings(store_url, **settings), store))


def test_a_repeated_summary_is_answered_without_asking_the_store(store, store_url):
    spy = CountingSummaries(store)
    with serve(spy, store_url) as client:
        first = client.get(CITIES)
        calls = spy.calls
        again = client.get(CITIES)
        assert first.status_code == again.status_code == 200 and calls > 0
        assert spy.calls == calls  # not asked again
        assert again.content == first.content
        assert again.headers["content-type"] == first.headers["content-type"]
        # The security headers are added to an answer from memory as to any other.
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
        client.get("/summary/themes?kind=comment")
        assert spy.calls > calls  # another summary is another answer


def test_a_write_by_another_connection_is_seen_on_the_next_request(store, store_url):
    with serve(store, store_url) as client:
        before = client.get(CITIES).json()
        crawl = open_store(store_url)  # a second connection to the file, as a crawl process has
        try:
            crawl.upsert("comment", [comment(id="weibo:cache-new", city="西安市", province="陕西省",
                                             text="新评论", created_at="2024-06-02T10:00:00+08:00")])
        finally:
            crawl.close()
        after = client.get(CITIES).json()
    assert after["total"] == before["total"] + 1
    xian = {r["city"]: r["documents"] for r in after["data"]}.get("西安市", 0)
    assert xian == {r["city"]: r["documents"] for r in before["data"]}.get("西安市", 0) + 1


def test_a_write_through_the_served_store_itself_is_seen(store, store_url):
    with serve(store, store_url) as client:
        before = client.get(CITIES).json()["total"]
        store.upsert("comment", [comment(id="weibo:cache-own", city="昆明市", text="又一条")])
        assert client.get(CITIES).json()["total"] == before + 1


def test_no_cache_in_the_request_asks_the_store_again(store, store_url):
    spy = CountingSummaries(store)
    with serve(spy, store_url) as client:
        client.get(CITIES)
        calls = spy.calls
        client.get(CITIES, headers={"Cache-Control": "no-cache"})
        assert spy.calls > calls


def test_csv_and_errors_are_not_kept(store, store_url):
    spy = CountingSummaries(store)
    with serve(spy, store_url) as client:
        csv = f"{CITIES}&format=csv"
        client.get(csv)
        calls = spy.calls
        assert client.get(csv).headers["content-type"].startswith("text/csv")
        assert spy.calls > calls  # a CSV names the time it was exported: made each time
        spy.fail = True
        assert client.get("/summary/themes?kind=comment").status_code == 503
        spy.fail = False
        answer = client.get("/summary/themes?kind=comment")
        assert answer.status_code == 200 and answer.json()["data"]


def test_a_backend_that_cannot_tell_when_it_changed_keeps_nothing(store, store_url):
    spy = CountingSummaries(store, version=lambda: None)  # as ElasticStore.data_version answers
    with serve(spy, store_url) as client:
        client.get(CITIES)
        calls = spy.calls
        client.get(CITIES)
        assert spy.calls == 2 * calls


def test_zero_entries_turns_it_off_and_the_kept_answers_are_bounded(store, store_url):
    spy = CountingSummaries(store)
    with serve(spy, store_url, response_cache_entries=0) as client:
        client.get(CITIES)
        calls = spy.calls
        client.get(CITIES)
        assert spy.calls == 2 * calls
    with serve(spy, store_url, response_cache_entries=2) as client:
        tops = [f"{CITIES}&top={n}" for n in (1, 2, 3)]
        for path in tops:
            client.get(path)
        calls = spy.calls
        client.get(tops[2])
        assert spy.calls == calls  # among the two kept
        client.get(tops[0])
        assert spy.calls > calls  # dropped: the least recently used of three


def test_only_summaries_are_kept(store, store_url):
    with serve(store, store_url) as client:
        first = client.get("/comments", params={"size": 1}).json()
        store.upsert("comment", [comment(id="weibo:cache-list", text="列表")])
        assert client.get("/comments", params={"size": 1}).json()["count"] == first["count"] + 1
