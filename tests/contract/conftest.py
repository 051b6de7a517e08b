"""One contract suite, every backend: each test here runs once per store backend.

The SQLite leg uses a file in tmp_path. The Elasticsearch leg runs against osmem-server
(an in-memory OpenSearch-compatible server) in CI, or against a real cluster when
YUQING_TEST_ES_URL is set; see tests/support/elastic.py. Neither leg is ever skipped.
"""

from __future__ import annotations

import pytest

from store import open_store

BACKENDS = ["sqlite", "elastic"]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    if request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path / 'contract.db'}")
    else:
        from tests.support.elastic import fresh_elastic_store

        s = fresh_elastic_store(request)
    yield s
    s.close()
