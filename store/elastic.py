"""The Elasticsearch backend: what a deployment that outgrows one machine runs on.

``ElasticStore.from_url("http://host:9200", username=…, password=…)`` builds a client but opens
no connection, so ``yuqing serve`` starts while the cluster is still down; each method
then raises ``StoreUnavailable`` with the reason until it answers. Indices are created on
first use of a kind (``store/elastic_indices.py``), mappings live in
``store/elastic_mappings.py``, queries and aggregations are built by pure functions in
``store/elastic_query.py`` and ``store/elastic_aggs.py``.

URL: ``http(s)://[user:password@]host:9200[/path][?analyzer=cjk_bigram&refresh=wait_for]``
(``store/elastic_client.py``). Credentials come preferably from ``YUQING_ES_USERNAME`` /
``YUQING_ES_PASSWORD``; they are passed to the client apart from the URL and never appear
in a log line or error message.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Mapping

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from store import elastic_aggs as aggs
from store import elastic_mappings as m
from core.limits import DEFAULT_QUERY_TIMEOUT_MS
from store.base import Bucket, GroupBy, Group, Health, Hit, Interval, MigrationStep, Page, Query, UpsertReport
from store.elastic_client import REQUEST_TIMEOUT_S, build_client, credentials, parse_store_url
from store.elastic_errors import CLIENT_ERRORS, describe, item_reason, translate
from store.elastic_indices import IndexManager
from store.elastic_paging import exact_sort_values, strictly_after
from store.elastic_query import MAX_RESULT_WINDOW, compile_query, compile_search, encode_cursor
from store.errors import InvalidQuery, QueryTimeout, StoreError
from core.schema import AUTHORED_KINDS, KINDS, OBSERVED_FIELD, Kind
from store.documents import checked_rows, is_stale  # backend-neutral document checks, shared so both stores refuse alike

logger = logging.getLogger(__name__)

# Documents per bulk request. 500 announcements of ~3 KB make ~1.5 MB requests, well
# under the 100 MB http.max_content_length and small enough that a 429 retry resends little.
CHUNK_SIZE = 500
MAX_CHUNK_BYTES = 10 * 1024 * 1024
# A busy cluster answers 429 (es_rejected_execution) per item; streaming_bulk resends those
# items with exponential backoff 1, 2, 4, 8, 16 s — about half a minute of patience.
BULK_RETRIES = 5
BULK_INITIAL_BACKOFF_S = 1.0
BULK_MAX_BACKOFF_S = 30.0
# Rounds of re-reading and re-writing documents another writer changed between our read and
# our write (two crawlers on one cluster); each round loses to at most one concurrent write.
CONFLICT_ROUNDS = 5
# /health must answer fast even when the cluster does not.
HEALTH_TIMEOUT_S = 2.0
# Creating a template, an index and its alias takes well under a second on a healthy
# cluster; an index creation waits for its primary shard, a few seconds when busy.
PREPARE_TIMEOUT_S = 10.0
# How much longer than the search's own time limit the client waits for its answer: the
# cluster reports a timed-out search itself (timed_out: true) within the limit, plus the
# time the answer takes to travel; 2 s covers a busy cluster's queueing.
SEARCH_TIMEOUT_MARGIN_S = 2.0
DEFAULT_PREFIX = "yuqing"


class ElasticStore:
    backend = "elasticsearch"

    def __init__(
        self,
        es: Elasticsearch,
        *,
        prefix: str = DEFAULT_PREFIX,
        analyzer: str = m.DEFAULT_ANALYZER,
        refresh: bool | str = False,
        query_timeout_ms: int = DEFAULT_QUERY_TIMEOUT_MS,
        display_url: str = "elasticsearch",
        result_window: int = MAX_RESULT_WINDOW,
        bulk_retries: int = BULK_RETRIES,
        bulk_backoff_s: float = BULK_INITIAL_BACKOFF_S,
    ):
        self.es = es
        self.prefix = prefix
        # Index housekeeping (create on first use, migrate) asks small questions: it gets a
        # shorter timeout and no resend on timeout, so a cluster that hangs fails the first
        # request of a kind in seconds. The reindex sets its own long timeout.
        self.indices = IndexManager(es.options(request_timeout=PREPARE_TIMEOUT_S, retry_on_timeout=False),
                                    prefix, analyzer)
        # False: documents become searchable within the refresh interval (1 s), which keeps
        # bulk crawls fast. True / "wait_for": visible on return (tests, `index copy`).
        self.refresh = refresh
        self.query_timeout_ms = query_timeout_ms
        self.display_url = display_url
        # How far page/size may reach: the indices' max_result_window (Elasticsearch's
        # default); past it pages resume from the cursor with search_after.
        self.result_window = result_window
        # 429 retries per bulk item and the first wait (doubling up to BULK_MAX_BACKOFF_S).
        self.bulk_retries = bulk_retries
        self.bulk_backoff_s = bulk_backoff_s
        self._ready: set[str] = set()
        self._lock = threading.Lock()

    # --- construction -------------------------------------------------------------

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        index_prefix: str | None = None,
        username: str | None = None,
        password: str | None = None,
        analyzer: str | None = None,
        refresh: bool | str | None = None,
        request_timeout: float = REQUEST_TIMEOUT_S,
        query_timeout_ms: int | None = None,
        result_window: int = MAX_RESULT_WINDOW,
        bulk_retries: int = BULK_RETRIES,
        bulk_backoff_s: float = BULK_INITIAL_BACKOFF_S,
        **client_options: Any,
    ) -> "ElasticStore":
        """Build the client; never connects, so it cannot fail because the cluster is down.

        ``client_options`` go to ``Elasticsearch(...)`` (``node_class``, ``ca_certs``,
        ``verify_certs``…).
        """
        parsed = parse_store_url(url)
        params = parsed.options
        node_url = parsed.node_url
        es = build_client(node_url, credentials(parsed, username, password), request_timeout,
                          **client_options)
        refresh_param = params.get("refresh")
        return cls(
            es,
            # The URL's own ?prefix= is the most specific thing the user wrote: it wins.
            prefix=params.get("prefix") or index_prefix or DEFAULT_PREFIX,
            analyzer=analyzer or params.get("analyzer") or m.DEFAULT_ANALYZER,
            refresh=refresh if refresh is not None else _refresh_value(refresh_param),
            query_timeout_ms=query_timeout_ms if query_timeout_ms is not None else DEFAULT_QUERY_TIMEOUT_MS,
            display_url=node_url,
            result_window=result_window,
            bulk_retries=bulk_retries,
            bulk_backoff_s=bulk_backoff_s,
        )

    # --- error translation --------------------------------------------------------

    @contextmanager
    def _guard(self, action: str, *, search: bool = False) -> Iterator[None]:
        try:
            yield
        except CLIENT_ERRORS as exc:
            raise translate(exc, self.display_url, action, search=search) from None

    def _alias(self, kind: str) -> str:
        if kind not in KINDS:
            raise InvalidQuery(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
        if kind not in self._ready:
            with self._lock, self._guard(f"preparing the {kind} index"):
                if kind not in self._ready:
                    self.indices.ensure(kind)
                    self._ready.add(kind)
        return self.indices.alias(kind)

    # --- writes -------------------------------------------------------------------

    def upsert(self, kind: Kind, docs: Iterable[Mapping[str, Any]]) -> UpsertReport:
        report = UpsertReport()
        rows = checked_rows(kind, docs, report)
        if kind not in KINDS:
            list(rows)  # reported per document like any other refusal, so a pipeline logs and goes on
            return report
        alias = self._alias(kind)
        chunk: dict[str, dict[str, Any]] = {}
        for row in rows:
            # A document sent twice in one batch: write the first before reading the
            # second's previous state, so it counts as updated/unchanged as in SQLite.
            if row.id in chunk or len(chunk) >= CHUNK_SIZE:
                report.merge(self._write_chunk(alias, chunk))
                chunk = {}
            body = dict(row.doc)
            body[m.DAY_FIELD] = row.date.day if row.date else None
            body[m.HASH_FIELD] = row.fingerprint
            chunk[row.id] = body
        if chunk:
            report.merge(self._write_chunk(alias, chunk))
        return report

    def _write_chunk(self, alias: str, chunk: dict[str, dict[str, Any]]) -> UpsertReport:
        report = UpsertReport()
        with self._guard("writing documents"):
            for _ in range(CONFLICT_ROUNDS):
                chunk = self._write_round(alias, chunk, report)
                if not chunk:
                    break
            for doc_id in chunk:  # still racing another writer after every round
                report.errors.append((doc_id, "another writer kept changing it; send it again"))
        for doc_id, reason in report.errors:
            logger.warning("Elasticsearch rejected %s in %s: %s", doc_id, alias, reason)
        return report

    def _write_round(self, alias: str, chunk: dict[str, dict[str, Any]], report: UpsertReport) -> dict[str, dict[str, Any]]:
        """Write what is new and not stale against the stored versions just read; each write is
        conditional on that version (sequence number, or "create" for a new id), so a write
        racing another crawler's comes back as a conflict and is retried — returned here."""
        found = self.es.mget(index=alias, ids=list(chunk), source_includes=[m.HASH_FIELD, OBSERVED_FIELD])
        previous = {d["_id"]: d for d in found["docs"] if d.get("found")}
        actions = []
        for doc_id, body in chunk.items():
            stored = previous.get(doc_id)
            source = (stored or {}).get("_source") or {}
            if stored and source.get(m.HASH_FIELD) == body[m.HASH_FIELD]:
                report.unchanged += 1
            elif stored and is_stale(body, source):
                report.stale += 1
            elif stored:
                action = {"_op_type": "index", "_index": alias, "_id": doc_id, "_source": body}
                if "_seq_no" in stored and "_primary_term" in stored:
                    action.update(if_seq_no=stored["_seq_no"], if_primary_term=stored["_primary_term"])
                actions.append(action)
            else:
                actions.append({"_op_type": "create", "_index": alias, "_id": doc_id, "_source": body})
        again: dict[str, dict[str, Any]] = {}
        for ok, item in streaming_bulk(
            self.es, actions, chunk_size=CHUNK_SIZE, max_chunk_bytes=MAX_CHUNK_BYTES,
            max_retries=self.bulk_retries, initial_backoff=self.bulk_backoff_s, max_backoff=BULK_MAX_BACKOFF_S,
            raise_on_error=False, refresh=self.refresh,
        ):
            result = item.get("index") or item.get("create") or {}
            doc_id = str(result.get("_id", "?"))
            if ok and result.get("result") == "created":
                report.inserted += 1
            elif ok:
                report.updated += 1
            elif result.get("status") == 409 and doc_id in chunk:
                again[doc_id] = chunk[doc_id]
            else:
                report.errors.append((doc_id, item_reason(result)))
        return again

    def delete(self, kind: Kind, doc_ids: Iterable[str]) -> int:
        alias = self._alias(kind)
        actions = [{"_op_type": "delete", "_index": alias, "_id": i} for i in dict.fromkeys(doc_ids)]
        deleted = 0
        with self._guard("deleting documents"):
            for ok, item in streaming_bulk(self.es, actions, chunk_size=CHUNK_SIZE, raise_on_error=False,
                                           max_retries=self.bulk_retries, initial_backoff=self.bulk_backoff_s,
                                           max_backoff=BULK_MAX_BACKOFF_S, refresh=self.refresh):
                result = item.get("delete", {})
                if ok and result.get("result") == "deleted":
                    deleted += 1
                elif not ok and result.get("status") != 404:  # already gone is what was asked
                    logger.warning("Elasticsearch did not delete %s from %s: %s",
                                   result.get("_id", "?"), alias, item_reason(result))
        return deleted

    # --- reads --------------------------------------------------------------------

    def get(self, kind: Kind, doc_id: str) -> dict | None:
        alias = self._alias(kind)
        with self._guard("reading a document"):
            try:
                found = self.es.get(index=alias, id=doc_id, source_excludes=list(m.INTERNAL_FIELDS))
            except NotFoundError:
                return None
        return dict(found["_source"])

    def _reader(self) -> Elasticsearch:
        """The client for API reads. The cluster stops a search at query_timeout_ms and says
        so (timed_out); the client waits a little longer for that answer and does not resend
        a read that timed out, so a request to a cluster that hangs answers 503 in seconds,
        not after four 30-second attempts."""
        return self.es.options(request_timeout=self.query_timeout_ms / 1000 + SEARCH_TIMEOUT_MARGIN_S,
                               retry_on_timeout=False)

    def _search(self, alias: str, **kwargs: Any) -> dict[str, Any]:
        with self._guard("searching", search=True):
            resp = self._reader().search(index=alias, timeout=f"{self.query_timeout_ms}ms", **kwargs)
        if resp.get("timed_out"):
            raise QueryTimeout(f"the search ran past {self.query_timeout_ms} ms; narrow it with filters or dates")
        return dict(resp)

    def _search_after(self, alias: str, after: list[Any], size: int, **kwargs: Any) -> tuple[list[dict[str, Any]], int]:
        """Up to ``size`` hits that come after the cursor (``store/elastic_paging.py``), and
        the total of the whole query.

        Hits a server sends although they do not follow the cursor (ties with it, on
        servers that compare scores in another precision) come first in its order; ask again
        for as many more as were dropped, never past the result window.
        """
        want = ask = size
        while True:
            resp = self._search(alias, size=ask, search_after=after, **kwargs)
            hits = resp["hits"]["hits"]
            kept = strictly_after(hits, after, kwargs["sort"])
            if len(kept) >= want or len(hits) < ask:
                return kept[:want], int(resp["hits"]["total"]["value"])
            if ask >= self.result_window:
                raise StoreError("the cluster keeps returning hits from before the cursor; "
                                 "page on with sort=date_desc instead")
            ask = min(self.result_window, ask + len(hits) - len(kept))

    def search(self, kind: Kind, query: Query) -> Page:
        alias = self._alias(kind)
        if query.size == 0:
            return Page(total=self.count(kind, query), hits=[])
        body = compile_search(kind, query, self.result_window)
        # Ask for one more hit than the page holds: whether it comes back says whether
        # there is a next page, without a second request.
        deep = body.search_after is not None
        probe = deep or body.from_ + query.size + 1 <= self.result_window
        size = query.size + (1 if probe else 0)
        scored = any("_score" in s for s in body.sort if isinstance(s, dict))
        kwargs: dict[str, Any] = {
            "query": body.query, "sort": body.sort, "track_total_hits": True,
            "source_excludes": list(m.INTERNAL_FIELDS), "track_scores": scored,
        }
        if body.highlight:
            kwargs["highlight"] = body.highlight
        if deep:
            raw, total = self._search_after(alias, body.search_after, size, **kwargs)
        else:
            resp = self._search(alias, size=size, from_=body.from_, **kwargs)
            raw = resp["hits"]["hits"]
            total = int(resp["hits"]["total"]["value"])
        page = raw[: query.size]
        more = len(raw) > query.size if probe else body.from_ + len(page) < total
        hits = [Hit(doc=dict(h["_source"]), score=h.get("_score") if scored else None,
                    highlights={k: list(v) for k, v in (h.get("highlight") or {}).items()}) for h in page]
        cursor = None
        if more and page:
            cursor = encode_cursor(query.sort, exact_sort_values(page[-1]["sort"], scored), body.offset + len(page))
        return Page(total=total, hits=hits, next_cursor=cursor)

    def count(self, kind: Kind, query: Query | None = None) -> int:
        alias = self._alias(kind)
        es_query, _ = compile_query(kind, query)
        with self._guard("counting", search=True):
            return int(self._reader().count(index=alias, query=es_query)["count"])

    def summarize(self, kind: Kind, by: GroupBy, query: Query | None = None, top: int = 5) -> list[Group]:
        alias = self._alias(kind)
        es_query, _ = compile_query(kind, query)
        resp = self._search(alias, size=0, query=es_query, aggs=aggs.summary_aggs(kind, by, top))
        return aggs.parse_groups(resp["aggregations"])

    def authors(self, kind: Kind, query: Query | None = None) -> int | None:
        alias = self._alias(kind)
        if kind not in AUTHORED_KINDS:
            return None
        es_query, _ = compile_query(kind, query)
        resp = self._search(alias, size=0, query=es_query, aggs=aggs.authors_aggs())
        return aggs.parse_authors(resp["aggregations"])

    def prepare_overview(self, kind: Kind, query: Query, top: int = 5) -> None:
        """Nothing yet: each summary and the timeline stay one aggregation request each.
        One request with all their aggregations would be the equivalent of SQLite's one
        scan; not measured here, where only osmem runs."""

    def timeline(self, kind: Kind, interval: Interval, query: Query | None = None) -> list[Bucket]:
        alias = self._alias(kind)
        es_query, _ = compile_query(kind, query)
        resp = self._search(alias, size=0, query=es_query, aggs=aggs.timeline_aggs(interval))
        return aggs.parse_timeline(resp["aggregations"])

    def iterate(self, kind: Kind, query: Query | None = None, batch_size: int = 500) -> Iterator[dict]:
        """search_after on ``id``: constant memory, no scroll context to expire, no 10,000 cap."""
        if batch_size < 1:
            raise ValueError("batch_size must be 1 or more")
        batch_size = min(batch_size, self.result_window)  # the most one search may return
        alias = self._alias(kind)
        es_query, _ = compile_query(kind, query)
        after: list[Any] | None = None
        while True:
            kwargs: dict[str, Any] = {"query": es_query, "sort": [{"id": {"order": "asc"}}], "size": batch_size,
                                      "source_excludes": list(m.INTERNAL_FIELDS), "track_total_hits": False}
            if after is not None:
                kwargs["search_after"] = after
            with self._guard("reading documents in bulk"):
                hits = self.es.search(index=alias, **kwargs)["hits"]["hits"]
            for h in hits:
                yield dict(h["_source"])
            if len(hits) < batch_size:
                return
            after = hits[-1]["sort"]

    # --- operations ---------------------------------------------------------------

    def health(self) -> Health:
        client = self.es.options(request_timeout=HEALTH_TIMEOUT_S, max_retries=0)
        try:
            cluster = client.cluster.health()
            counts: dict[str, int] = {}
            for kind in KINDS:
                try:
                    counts[kind] = int(client.count(index=self.indices.alias(kind))["count"])
                except NotFoundError:
                    counts[kind] = 0
        except Exception as exc:  # health reports every failure as "down", with its reason
            return Health(ok=False, backend=self.backend, detail=f"Elasticsearch at {self.display_url}: {describe(exc)}")
        status = cluster.get("status", "unknown")
        return Health(ok=status in ("green", "yellow"), backend=self.backend,
                      detail=f"cluster {cluster.get('cluster_name', '?')} is {status}", counts=counts)

    def data_version(self) -> None:
        """A cluster has no cheap "changed since" to ask for every request (a refresh can land
        at any time): nothing is kept for it, every answer is asked of the cluster."""
        return None

    def migrate(self, kinds: Iterable[str] = KINDS, delete_previous: bool = False) -> list[MigrationStep]:
        """Create or upgrade every kind's template and index (``yuqing index migrate``)."""
        steps = []
        for kind in kinds:
            with self._guard(f"migrating {kind}"):
                steps.append(self.indices.migrate(kind, delete_previous=delete_previous))
            self._ready.add(kind)
        return steps

    def refresh_indices(self) -> None:
        """Make every write so far visible to searches (after a bulk copy)."""
        with self._guard("refreshing"):
            self.es.indices.refresh(index=f"{self.prefix}-*", allow_no_indices=True, ignore_unavailable=True)

    def drop_everything(self) -> None:
        """Delete this prefix's indices and templates (tests and deliberate resets only)."""
        with self._guard("deleting indices"):
            self.indices.delete_all()
        self._ready.clear()

    def close(self) -> None:
        self.es.close()


def _refresh_value(raw: str | None) -> bool | str:
    if raw is None or raw.lower() in ("", "false", "0", "no"):
        return False
    return "wait_for" if raw.lower() == "wait_for" else True
