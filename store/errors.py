"""Store errors. Both backends raise these same types for the same faults.

Each carries a stable ``code``: the API puts it in its error envelope and the web page
looks up its Chinese message by it, so no caller ever interprets English text.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every store failure."""

    code = "store_error"


class StoreUnavailable(StoreError):
    """The backend cannot be reached or opened (API: 503)."""

    code = "store_unavailable"


class QuerySyntaxError(StoreError):
    """A search string the backend cannot parse (API: 400)."""

    code = "bad_query"


class InvalidQuery(StoreError, ValueError):
    """A query the store cannot run as asked: an unknown filter, kind, sort or cursor, a page out
    of range (API: 422). A ValueError too, as it is a caller's mistake."""

    code = "invalid_query"


class QueryTimeout(StoreError):
    """A query ran past the configured time limit (API: 503)."""

    code = "query_timeout"


class UnknownBackend(StoreError):
    """The store URL's scheme names no backend."""

    code = "unknown_backend"


class DocumentRejected(StoreError):
    """A document failed validation or indexing; carries its id and the reason."""

    code = "document_rejected"

    def __init__(self, doc_id: str, reason: str):
        super().__init__(f"document {doc_id!r} rejected: {reason}")
        self.doc_id = doc_id
        self.reason = reason
