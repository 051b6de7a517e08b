"""Client exceptions become store errors a user can act on, without credentials."""

from __future__ import annotations

import pytest
from elastic_transport import ApiResponseMeta, ConnectionError, ConnectionTimeout, HttpHeaders, NodeConfig
from elasticsearch import ApiError, AuthenticationException, BadRequestError

from store.elastic_errors import describe, item_reason, translate
from store.errors import QuerySyntaxError, QueryTimeout, StoreError, StoreUnavailable

CLUSTER = "http://es.example:9200"


def _meta(status: int) -> ApiResponseMeta:
    return ApiResponseMeta(status=status, http_version="1.1", headers=HttpHeaders(), duration=0.0,
                           node=NodeConfig("http", "es.example", 9200))


def _api_error(cls, status: int, reason: str):
    body = {"error": {"root_cause": [{"type": "x", "reason": reason}], "type": "x", "reason": reason}, "status": status}
    return cls(message=reason, meta=_meta(status), body=body)


def test_connection_errors_name_the_cluster_and_the_cause():
    inner = ConnectionError("HTTPConnection(host='es.example', port=9200): Failed to establish a new connection")
    outer = ConnectionError("Connection error", errors=(inner,))
    err = translate(outer, CLUSTER, "searching")
    assert isinstance(err, StoreUnavailable)
    assert str(err) == f"Elasticsearch at {CLUSTER} is unreachable (searching): Failed to establish a new connection"


def test_a_slow_search_is_a_query_timeout_a_slow_write_is_unavailability():
    assert isinstance(translate(ConnectionTimeout("timed out"), CLUSTER, "searching", search=True), QueryTimeout)
    assert isinstance(translate(ConnectionTimeout("timed out"), CLUSTER, "writing"), StoreUnavailable)


@pytest.mark.parametrize(
    "exc,search,expected,words",
    [
        (_api_error(AuthenticationException, 401, "unable to authenticate"), False, StoreUnavailable, "YUQING_ES_PASSWORD"),
        (_api_error(ApiError, 503, "no master"), False, StoreUnavailable, "no master"),
        (_api_error(ApiError, 429, "rejected execution"), False, StoreUnavailable, "rejected"),
        (_api_error(BadRequestError, 400, "failed to parse search_after"), True, QuerySyntaxError, "search_after"),
        (_api_error(BadRequestError, 400, "mapper conflict"), False, StoreError, "mapper conflict"),
    ],
)
def test_api_errors(exc, search, expected, words):
    err = translate(exc, CLUSTER, "doing it", search=search)
    assert type(err) is expected
    assert words in str(err)


def test_describe_api_error_uses_the_root_cause():
    assert describe(_api_error(BadRequestError, 400, "field [x] is not a date")) == "HTTP 400: field [x] is not a date"


def test_bulk_item_reason_includes_the_cause():
    result = {"_id": "p1", "status": 400, "error": {
        "type": "mapper_parsing_exception", "reason": "failed to parse field [likes] of type [long]",
        "caused_by": {"type": "illegal_argument_exception", "reason": "For input string: \"many\""}}}
    assert item_reason(result) == ('mapper_parsing_exception: failed to parse field [likes] of type [long] '
                                   '(For input string: "many")')
    assert item_reason({"status": 500}) == "status 500"
