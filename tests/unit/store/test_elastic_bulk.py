"""Bulk writes under pressure: 429 per item, 429 per request, lost connections.

A cluster whose write queue is full answers a bulk request 200 with some items refused
(status 429, ``es_rejected_execution_exception``); one restarting drops connections. The
fault-injecting nodes below stand between the client and the test cluster: the items they
do not refuse reach the real server, so what the tests read back is really indexed.
"""

from __future__ import annotations

import json
import logging

import pytest
from elastic_transport import ApiResponseMeta, ConnectionError, HttpHeaders
from elastic_transport._node import NodeApiResponse

from store.elastic import ElasticStore
from tests.contract import corpus
from tests.support.elastic import JsonHeadersNode, es_url, unique_prefix

# Short waits between item retries: the store's real backoff (1, 2, 4… s) is configuration.
TEST_BACKOFF_S = 0.01
REJECTED = {"type": "es_rejected_execution_exception",
            "reason": "rejected execution of coordinating operation [queue capacity = 200]"}


def _meta(node: JsonHeadersNode, status: int = 200) -> ApiResponseMeta:
    return ApiResponseMeta(status=status, http_version="1.1", duration=0.0, node=node.config,
                           headers=HttpHeaders({"content-type": "application/json",
                                                "x-elastic-product": "Elasticsearch"}))


class RejectingBulkNode(JsonHeadersNode):
    """Refuses chosen bulk items with 429 a set number of times; forwards the rest."""

    refusals: dict[str, int] = {}  # document id -> how many more times to refuse it
    requests: list[list[str]] = []  # ids of every bulk request, in order

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if "_bulk" not in target:
            return super().perform_request(method, target, body=body, headers=headers, **kwargs)
        lines = [line for line in body.split(b"\n") if line]
        pairs = [(lines[i], lines[i + 1]) for i in range(0, len(lines), 2)]  # index action + source
        # An action line is {"index": …} for a changed document, {"create": …} for a new one.
        ops = [next(iter(json.loads(action))) for action, _ in pairs]
        ids = [json.loads(action)[op]["_id"] for (action, _), op in zip(pairs, ops)]
        type(self).requests.append(ids)
        refused = {i for i in ids if self.refusals.get(i, 0) > 0}
        for i in refused:
            self.refusals[i] -= 1
        answered: dict[str, dict] = {}
        forward = [line for pair, i in zip(pairs, ids) if i not in refused for line in pair]
        if forward:
            resp = super().perform_request(method, target, body=b"\n".join(forward) + b"\n", headers=headers,
                                           **kwargs)
            answered = {next(iter(item.values()))["_id"]: item for item in json.loads(resp.body)["items"]}
        items = [answered.get(i) or {op: {"_id": i, "status": 429, "error": REJECTED}} for i, op in zip(ids, ops)]
        payload = {"took": 1, "errors": any("error" in next(iter(it.values())) for it in items), "items": items}
        return NodeApiResponse(_meta(self), json.dumps(payload).encode())


class DropsFirstBulkNode(JsonHeadersNode):
    """Loses the connection on the first bulk request, as a node restarting does."""

    bulk_calls = 0

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if "_bulk" in target:
            type(self).bulk_calls += 1
            if type(self).bulk_calls == 1:
                raise ConnectionError("Connection reset by peer")
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def _store(node_class, **options) -> ElasticStore:
    return ElasticStore.from_url(es_url(), index_prefix=unique_prefix("bulk"), refresh=True, node_class=node_class,
                                 bulk_backoff_s=TEST_BACKOFF_S, **options)


@pytest.fixture
def rejecting():
    RejectingBulkNode.refusals, RejectingBulkNode.requests = {}, []
    store = _store(RejectingBulkNode, bulk_retries=3)
    yield store
    store.drop_everything()
    store.close()


def test_items_refused_with_429_are_resent_until_accepted(rejecting):
    docs = corpus.comments()[:6]
    busy = docs[2]["id"]
    RejectingBulkNode.refusals = {busy: 2}
    report = rejecting.upsert("comment", docs)
    assert (report.inserted, report.errors) == (len(docs), [])
    # the whole batch once, then only the refused item, twice
    assert RejectingBulkNode.requests == [[d["id"] for d in docs], [busy], [busy]]
    assert rejecting.get("comment", busy) == docs[2]
    assert rejecting.count("comment") == len(docs)


def test_items_refused_past_the_retries_are_reported_with_id_and_reason(rejecting, caplog):
    docs = corpus.comments()[:5]
    stuck = docs[1]["id"]
    RejectingBulkNode.refusals = {stuck: 99}
    with caplog.at_level(logging.WARNING, logger="store.elastic"):
        report = rejecting.upsert("comment", docs)
    assert report.inserted == len(docs) - 1
    assert [doc_id for doc_id, _ in report.errors] == [stuck]
    assert report.errors[0][1].startswith("es_rejected_execution_exception: rejected execution")
    assert len(RejectingBulkNode.requests) == 1 + 3  # first try and bulk_retries
    assert rejecting.get("comment", stuck) is None
    assert stuck in caplog.text and "es_rejected_execution_exception" in caplog.text


def test_a_lost_connection_is_retried_by_the_client():
    DropsFirstBulkNode.bulk_calls = 0
    store = _store(DropsFirstBulkNode)
    try:
        docs = corpus.announcements()[:4]
        report = store.upsert("announcement", docs)
        assert (report.inserted, report.errors) == (len(docs), [])
        assert DropsFirstBulkNode.bulk_calls == 2
        assert store.count("announcement") == len(docs)
    finally:
        store.drop_everything()
        store.close()
