"""ElasticStore beyond the contract suite: migrations, failures, retries, credentials.

Runs against the session's osmem-server (or $YUQING_TEST_ES_URL), like the contract leg.
"""

from __future__ import annotations

import logging
import socket

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders
from elastic_transport._node import NodeApiResponse

from store import elastic_mappings
from store.base import Query
from store.elastic import ElasticStore
from store.errors import QueryTimeout, StoreError, StoreUnavailable
from tests.contract import corpus
from tests.support.elastic import JsonHeadersNode, es_url, open_elastic_store, unique_prefix


@pytest.fixture
def es_store():
    store = open_elastic_store(unique_prefix("unit"))
    yield store
    store.drop_everything()
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- migrations ---------------------------------------------------------------------


def test_first_use_creates_a_versioned_index_behind_the_alias(es_store):
    es_store.upsert("announcement", corpus.announcements()[:3])
    alias = es_store.indices.alias("announcement")
    assert es_store.indices.live_indices("announcement") == [f"{alias}-v1"]
    mapping = es_store.es.indices.get_mapping(index=alias)[f"{alias}-v1"]["mappings"]
    assert mapping["_meta"]["yuqing"]["mapping_hash"] == elastic_mappings.mapping_hash("announcement")
    assert mapping["properties"]["city"]["type"] == "keyword"


def test_migrate_is_a_no_op_when_the_mapping_is_current(es_store):
    es_store.upsert("announcement", corpus.announcements()[:3])
    steps = {s.kind: s for s in es_store.migrate()}
    assert steps["announcement"].action == "unchanged"
    assert steps["comment"].action == "created"


def test_changed_mapping_reindexes_and_swaps_the_alias_in_one_call(es_store, monkeypatch):
    docs = corpus.announcements()
    es_store.upsert("announcement", docs)
    alias = es_store.indices.alias("announcement")
    monkeypatch.setattr(elastic_mappings, "MAPPING_REVISION", elastic_mappings.MAPPING_REVISION + 1)

    calls = []
    real = es_store.indices.es.indices.update_aliases

    def spy(**kwargs):
        # At the moment of the swap the old index still serves every search.
        calls.append((kwargs["actions"], es_store.count("announcement")))
        return real(**kwargs)

    monkeypatch.setattr(es_store.indices.es.indices, "update_aliases", spy)
    (step,) = es_store.migrate(["announcement"])
    assert (step.action, step.previous, step.index, step.documents) == ("reindexed", f"{alias}-v1", f"{alias}-v2", len(docs))
    assert len(calls) == 1
    actions, count_before_swap = calls[0]
    assert [list(a) for a in actions] == [["remove"], ["add"]]
    assert count_before_swap == len(docs)
    assert es_store.indices.live_indices("announcement") == [f"{alias}-v2"]
    assert es_store.count("announcement") == len(docs)
    assert es_store.get("announcement", docs[0]["id"]) == docs[0]
    assert es_store.count("announcement", Query(q="政务新媒体")) == len(corpus.matching(docs, ("title", "body"), "政务新媒体"))
    # the previous version is kept (move the alias back by hand if needed) unless asked otherwise
    assert f"{alias}-v1" in es_store.indices.versions("announcement")
    assert es_store.migrate(["announcement"])[0].action == "unchanged"


def test_migrate_can_delete_the_previous_version(es_store, monkeypatch):
    es_store.upsert("comment", corpus.comments()[:5])
    monkeypatch.setattr(elastic_mappings, "MAPPING_REVISION", elastic_mappings.MAPPING_REVISION + 1)
    (step,) = es_store.migrate(["comment"], delete_previous=True)
    assert step.deleted_previous
    assert list(es_store.indices.versions("comment")) == [step.index]
    assert es_store.count("comment") == 5


def test_a_plain_index_in_the_aliases_place_is_reported(es_store):
    es_store.es.indices.create(index=es_store.indices.alias("post"))
    with pytest.raises(StoreError, match="not yuqing's alias"):
        es_store.count("post")


# --- writes -------------------------------------------------------------------------


def test_documents_the_cluster_rejects_are_reported_with_id_and_reason(es_store):
    posts = corpus.posts()[:3]
    bad = dict(posts[1], likes="very many")  # a long field: the cluster refuses to parse it
    report = es_store.upsert("post", [posts[0], bad, posts[2]])
    assert report.inserted == 2
    assert [doc_id for doc_id, _ in report.errors] == [bad["id"]]
    assert "likes" in report.errors[0][1]
    assert es_store.get("post", bad["id"]) is None


def test_a_document_sent_twice_in_one_batch_counts_as_insert_then_unchanged(es_store):
    doc = corpus.comments()[0]
    report = es_store.upsert("comment", [doc, dict(doc)])
    assert (report.inserted, report.updated, report.unchanged) == (1, 0, 1)


class TooManyRequestsOnceNode(JsonHeadersNode):
    """Answers the first bulk request with 429, as a cluster under indexing pressure does."""

    bulk_calls = 0

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if "_bulk" in target:
            type(self).bulk_calls += 1
            if type(self).bulk_calls == 1:
                meta = ApiResponseMeta(status=429, http_version="1.1", headers=HttpHeaders({
                    "content-type": "application/json", "x-elastic-product": "Elasticsearch"}),
                    duration=0.0, node=self.config)
                return NodeApiResponse(meta, b'{"error":{"type":"es_rejected_execution_exception",'
                                             b'"reason":"rejected execution"},"status":429}')
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def test_bulk_writes_are_retried_after_429():
    TooManyRequestsOnceNode.bulk_calls = 0
    store = ElasticStore.from_url(es_url(), index_prefix=unique_prefix("retry"), refresh=True,
                                  node_class=TooManyRequestsOnceNode)
    try:
        report = store.upsert("announcement", corpus.announcements()[:4])
        assert (report.inserted, report.errors) == (4, [])
        assert TooManyRequestsOnceNode.bulk_calls >= 2
        assert store.count("announcement") == 4
    finally:
        store.drop_everything()
        store.close()


# --- failures -----------------------------------------------------------------------


def test_unreachable_cluster_opens_fine_then_says_why(caplog):
    url = f"http://127.0.0.1:{_free_port()}"
    store = ElasticStore.from_url(url, username="elastic", password="s3cret-pw", node_class=JsonHeadersNode,
                                  request_timeout=2)
    caplog.set_level(logging.DEBUG)
    try:
        health = store.health()
        assert health.ok is False and health.backend == "elasticsearch"
        assert url in health.detail
        with pytest.raises(StoreUnavailable) as err:
            store.search("announcement", Query(q="关停"))
        assert "unreachable" in str(err.value) and url in str(err.value)
        with pytest.raises(StoreUnavailable):
            store.upsert("announcement", corpus.announcements()[:1])
        assert "s3cret-pw" not in str(err.value) + health.detail + caplog.text
    finally:
        store.close()


def test_credentials_come_from_settings_and_stay_out_of_the_url():
    from core.config import Settings

    settings = Settings(es_username="reader", es_password="pw-from-env", es_index_prefix="yq-custom",
                        _env_file=None)
    store = ElasticStore.from_url("https://search.example:9243/", **settings.store_options())
    try:
        node = store.es.transport.node_pool.get()
        assert "pw-from-env" not in store.display_url and store.display_url == "https://search.example:9243"
        assert node.config.host == "search.example" and node.config.port == 9243
        assert store.prefix == "yq-custom"
        assert store.indices.alias("comment") == "yq-custom-comment"
    finally:
        store.close()


def test_url_options_and_userinfo():
    store = ElasticStore.from_url("http://u:p@127.0.0.1:9200/?analyzer=smartcn&refresh=wait_for&prefix=abc")
    try:
        assert (store.prefix, store.indices.analyzer, store.refresh) == ("abc", "smartcn", "wait_for")
        assert "u:p" not in store.display_url
    finally:
        store.close()


def test_not_an_elasticsearch_url():
    with pytest.raises(ValueError, match="http"):
        ElasticStore.from_url("ftp://example")


def test_health_counts_every_kind(es_store):
    loaded = corpus.load(es_store)
    health = es_store.health()
    assert health.ok, health.detail
    assert health.counts == {kind: len(docs) for kind, docs in loaded.docs.items()}


class HangingSearches:
    """A cluster that knows its indices but never answers a search: a node stuck in GC or
    behind a dropped route. Index metadata gets a plausible answer; _search and _count
    requests are counted and left hanging until the server stops."""

    def __init__(self, alias: str):
        import http.server
        import threading

        self.searches = 0
        self.release = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - stdlib signature
                if self.path.startswith("/_search") or "/_search" in self.path or "/_count" in self.path:
                    return self.hang()
                body = {f"{alias}-v1": {"aliases": {alias: {}}, "mappings": {}}}
                data = __import__("json").dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("x-elastic-product", "Elasticsearch")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET  # noqa: N815

            def hang(self):
                owner.searches += 1
                owner.release.wait(30)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_a_cluster_that_hangs_fails_a_search_once_within_its_time_limit():
    """Not four 30-second attempts: one attempt, bounded by the query time limit (+2 s)."""
    prefix = unique_prefix("hang")
    cluster = HangingSearches(f"{prefix}-announcement")
    store = ElasticStore.from_url(cluster.url, index_prefix=prefix, query_timeout_ms=200, node_class=JsonHeadersNode)
    try:
        with pytest.raises(QueryTimeout, match="did not answer in time"):
            store.search("announcement", Query(q="关停"))
        assert cluster.searches == 1
    finally:
        store.close()
        cluster.close()


def test_credentials_never_reach_a_log_line_even_at_debug(caplog):
    """Against the test cluster, with the client logging every request and its body."""
    import base64

    secret = "pw-" + unique_prefix("secret")
    store = ElasticStore.from_url(f"http://writer:{secret}@{es_url().split('://', 1)[1]}",
                                  index_prefix=unique_prefix("creds"), refresh=True, node_class=JsonHeadersNode)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="elastic_transport")
    try:
        store.upsert("comment", corpus.comments()[:3])
        store.search("comment", Query(q="关停"))
        store.health()
        bad = store.upsert("post", [dict(corpus.posts()[0], likes="many")])
        assert bad.errors
        assert "elastic_transport" in caplog.text  # the client did log its requests
        encoded = base64.b64encode(f"writer:{secret}".encode()).decode()
        assert secret not in caplog.text and encoded not in caplog.text
        assert secret not in store.display_url and secret not in str(bad.errors)
    finally:
        store.drop_everything()
        store.close()


def test_the_clients_request_lines_wait_for_verbose_runs():
    client_log, root = logging.getLogger("elastic_transport"), logging.getLogger()
    saved = client_log.level, root.level
    try:
        for root_level, expected in ((logging.INFO, logging.ERROR), (logging.DEBUG, logging.NOTSET)):  # DEBUG: yuqing -v
            client_log.setLevel(logging.NOTSET)
            root.setLevel(root_level)
            ElasticStore.from_url("http://127.0.0.1:9").close()
            assert client_log.level == expected
    finally:
        client_log.setLevel(saved[0])
        root.setLevel(saved[1])


def test_a_cluster_offers_no_cheap_version_so_the_api_keeps_no_answers(es_store):
    assert es_store.data_version() is None
