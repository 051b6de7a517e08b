"""Store errors. Each carries what a caller needs to report it; the API maps them to HTTP."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every store failure."""


class StoreUnavailable(StoreError):
    """The backend cannot be reached or opened (API: 503)."""


class QuerySyntaxError(StoreError):
    """A search string the backend cannot parse (API: 400)."""


class QueryTimeout(StoreError):
    """A query ran past the configured time limit (API: 503)."""


class UnknownBackend(StoreError):
    """The store URL's scheme names no backend."""


class DocumentRejected(StoreError):
    """A document failed validation or indexing; carries its id and the reason."""

    def __init__(self, doc_id: str, reason: str):
        super().__init__(f"document {doc_id!r} rejected: {reason}")
        self.doc_id = doc_id
        self.reason = reason
