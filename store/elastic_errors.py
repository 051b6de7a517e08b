"""Elasticsearch failures as store errors, in words a user can act on.

The client raises transport errors nested three deep and API errors carrying the whole
response; callers of the store (the API's 503 page, a crawl log, `yuqing index copy`) need
one line: which cluster, doing what, and why. Messages name the cluster by its URL without
credentials; the password never reaches them because it travels apart from the URL.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, AuthenticationException, AuthorizationException

from store.errors import QuerySyntaxError, QueryTimeout, StoreError, StoreUnavailable

# urllib3 prefixes its messages with the connection's repr; the URL is already in ours.
_CONNECTION_REPR = re.compile(r"^\w+\(host='[^']*', port=\d+\):\s*")


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, without the client's nested reprs."""
    if isinstance(exc, ApiError):
        info = exc.info if isinstance(exc.info, dict) else {}
        err = info.get("error") if isinstance(info.get("error"), dict) else {}
        cause = (err.get("root_cause") or [{}])[0] if err else {}
        reason = cause.get("reason") or err.get("reason") or exc.message
        return f"HTTP {exc.meta.status}: {reason}"
    innermost: Any = exc
    while getattr(innermost, "errors", None):
        innermost = innermost.errors[-1]
    # Transport errors keep the detail in .message; their str() is only "Connection error".
    message = getattr(innermost, "message", None)
    text = (message if isinstance(message, str) and message else str(innermost)).split("\n")[0]
    text = text or type(innermost).__name__
    return _CONNECTION_REPR.sub("", text)


def translate(exc: BaseException, cluster: str, action: str, *, search: bool = False) -> StoreError:
    """The store error for a client exception (callers raise it ``from None``)."""
    if isinstance(exc, ConnectionTimeout):
        kind = QueryTimeout if search else StoreUnavailable
        return kind(f"Elasticsearch at {cluster} did not answer in time ({action}): {describe(exc)}")
    if isinstance(exc, TransportConnectionError):
        return StoreUnavailable(f"Elasticsearch at {cluster} is unreachable ({action}): {describe(exc)}")
    if isinstance(exc, (AuthenticationException, AuthorizationException)):
        return StoreUnavailable(
            f"Elasticsearch at {cluster} refused the credentials ({action}, HTTP {exc.meta.status}); "
            "check YUQING_ES_USERNAME / YUQING_ES_PASSWORD"
        )
    if isinstance(exc, ApiError):
        status = exc.meta.status
        if status == 429 or status >= 500:
            return StoreUnavailable(f"Elasticsearch at {cluster} is unavailable ({action}): {describe(exc)}")
        if search and status == 400:
            return QuerySyntaxError(f"Elasticsearch refused the query: {describe(exc)}")
        return StoreError(f"Elasticsearch refused {action}: {describe(exc)}")
    return StoreError(f"Elasticsearch at {cluster} failed ({action}): {describe(exc)}")


# Everything the client raises: API errors (the cluster answered) and transport errors (it
# did not: refused or lost connections, timeouts — ConnectionTimeout is not a
# ConnectionError — TLS and serialisation failures).
CLIENT_ERRORS = (TransportError, ApiError)


def item_reason(result: Mapping[str, Any]) -> str:
    """Why the cluster refused one bulk item: ``mapper_parsing_exception: failed to parse…``."""
    error = result.get("error")
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            reason += f" ({cause['reason']})"
        return reason
    return str(error or f"status {result.get('status', '?')}")
