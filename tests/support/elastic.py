"""Elasticsearch for tests: osmem-server in CI, a real cluster when YUQING_TEST_ES_URL is set.

osmem-server is an in-memory OpenSearch-compatible server shipped as a wheel (no JVM,
starts in ~0.1 s). It is started once per test session and stopped when the session ends;
each test gets its own index prefix, so tests never see each other's documents and the
same code path runs against a real cluster, where the prefix's indices and templates are
deleted after the test.

The official client announces ``application/vnd.elasticsearch+json; compatible-with=9``,
which osmem rejects; ``JsonHeadersNode`` rewrites those headers to plain JSON. It is a
test shim only: production code talks to a real Elasticsearch with the client's defaults.
"""

from __future__ import annotations

import atexit
import itertools
import os
import re
import threading
import uuid
from typing import Any

from elastic_transport import Urllib3HttpNode

from store.elastic import ElasticStore

ENV_URL = "YUQING_TEST_ES_URL"

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+(x-ndjson|json)\s*;\s*compatible-with=\d+")


class JsonHeadersNode(Urllib3HttpNode):
    """Sends ``application/json`` where the client would send Elasticsearch's vendor type."""

    def perform_request(self, method: str, target: str, body: bytes | None = None, headers: Any = None,
                        **kwargs: Any):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value and "vnd.elasticsearch" in value:
                    headers[name] = _COMPAT.sub(lambda m: "application/" + m.group(1), value)
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


_server_lock = threading.Lock()
_server: Any = None
_prefixes = itertools.count(1)


def osmem_url() -> str:
    """The session's osmem-server, started on first use and stopped at exit."""
    global _server
    with _server_lock:
        if _server is None or _server.process.poll() is not None:
            from osmem_server import OsmemServer

            # Japanese analysis (kagome) is not needed for Chinese bigrams and costs start-up time.
            _server = OsmemServer.start(japanese=False)
            atexit.register(_server.close)
        return _server.url


def es_url() -> str:
    """Where the Elasticsearch leg runs: $YUQING_TEST_ES_URL, else the session's osmem-server."""
    return os.environ.get(ENV_URL) or osmem_url()


def client_options() -> dict[str, Any]:
    """Client options for the test cluster (the header shim only against osmem)."""
    return {} if os.environ.get(ENV_URL) else {"node_class": JsonHeadersNode}


def unique_prefix(label: str = "t") -> str:
    """An index prefix no other test uses (lower case: index names must be)."""
    return f"yq{next(_prefixes)}-{label}-{uuid.uuid4().hex[:8]}".lower()


def open_elastic_store(prefix: str | None = None, **options: Any) -> ElasticStore:
    """A store on the test cluster with its own prefix; writes visible on return."""
    opts = {"refresh": True, **client_options(), **options}
    return ElasticStore.from_url(es_url(), index_prefix=prefix or unique_prefix(), **opts)


def fresh_elastic_store(request: Any) -> ElasticStore:
    """The ``store`` fixture's Elasticsearch leg: an empty store, cleaned up after the test."""
    prefix = unique_prefix(_label(request))
    store = open_elastic_store(prefix)

    def cleanup() -> None:
        # The fixture closes its store first; drop the indices with a client of our own.
        janitor = open_elastic_store(prefix)
        try:
            janitor.drop_everything()
        finally:
            janitor.close()

    request.addfinalizer(cleanup)
    return store


def _label(request: Any) -> str:
    name = getattr(getattr(request, "node", None), "name", "") or "t"
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:20] or "t"
