"""From a store URL to an Elasticsearch client: node, credentials, retries, logging.

``http(s)://[user:password@]host:9200[/path][?analyzer=…&refresh=…&prefix=…]``. The node
URL keeps scheme, host, port and path; credentials travel apart from it (``basic_auth``),
so the URL a message or log line shows never holds a password. Nothing here connects:
building a client cannot fail because the cluster is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from elasticsearch import Elasticsearch

# Whole-request retries by the client on connection errors, timeouts and these statuses
# (a node restarting under docker-compose answers 502/503 for a few seconds).
CLIENT_RETRIES = 3
RETRY_STATUSES = (429, 502, 503, 504)
REQUEST_TIMEOUT_S = 30.0
# The client's loggers (requests at INFO, retries and failing nodes at WARNING) are below this one.
CLIENT_LOGGER = "elastic_transport"


@dataclass(frozen=True)
class StoreURL:
    """A store URL taken apart: where the cluster is, who to be, the URL's own options."""

    node_url: str  # no credentials: safe to show
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    options: dict[str, str] = field(default_factory=dict)  # ?analyzer=…&refresh=…&prefix=…


def parse_store_url(url: str) -> StoreURL:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an Elasticsearch URL: {parts.scheme}://{parts.hostname or ''} "
                         "(expected http(s)://host:9200)")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return StoreURL(
        node_url=urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", "")),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        options=dict(parse_qsl(parts.query)),
    )


def credentials(parsed: StoreURL, username: str | None, password: str | None) -> tuple[str, str] | None:
    """Explicit arguments (from YUQING_ES_* settings), then ``user:password@`` in the URL."""
    user = username or parsed.username
    pw = password or parsed.password
    return (user, pw) if user and pw else None


def build_client(node_url: str, auth: tuple[str, str] | None, request_timeout: float = REQUEST_TIMEOUT_S,
                 **client_options: Any) -> Elasticsearch:
    """The client; ``client_options`` go to ``Elasticsearch(...)`` (``node_class``, ``ca_certs``…)."""
    if auth:
        client_options.setdefault("basic_auth", auth)
    quiet_client_log()
    return Elasticsearch(node_url, request_timeout=request_timeout, max_retries=CLIENT_RETRIES,
                         retry_on_timeout=True, retry_on_status=RETRY_STATUSES, **client_options)


def quiet_client_log() -> None:
    """Keep the client's own log lines for ``--verbose`` (DEBUG) runs.

    At INFO the client logs every request (a bulk copy sends two per 500 documents), and
    each retry as a WARNING with a full traceback — three tracebacks for one unreachable
    cluster. What finally fails reaches the user as one store error with its reason, so at
    the default level only the client's errors pass. Left alone when the application chose
    a level for the client's logger.
    """
    client_log = logging.getLogger(CLIENT_LOGGER)
    if client_log.level == logging.NOTSET and logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        client_log.setLevel(logging.ERROR)
