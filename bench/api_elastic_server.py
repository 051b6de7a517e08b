"""Serve the API on the Elasticsearch backend against osmem-server, for ``bench/api.py``.

Usage: ``python bench/api_elastic_server.py OSMEM_URL INDEX_PREFIX PORT``. The same app
``yuqing serve`` runs, under uvicorn, with the store opened through the header shim
osmem-server needs (``tests/support/elastic.JsonHeadersNode``; a real cluster needs none).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import uvicorn

    from api.app import create_app
    from store.elastic import ElasticStore
    from tests.support.elastic import JsonHeadersNode
    from core.config import Settings

    url, prefix, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = ElasticStore.from_url(url, index_prefix=prefix, node_class=JsonHeadersNode)
    settings = Settings(store=url, port=port)
    uvicorn.run(create_app(settings, store=store), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
