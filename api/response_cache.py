"""Summaries answered from memory until the store changes.

A summary costs the store well under a millisecond at 1,000,000 comments (the rollups), but
the request around it costs ~3 ms of FastAPI: resolving the parameters, validating the
answer against its model, serialising it, two hand-offs to the thread pool. On 2 cores with 8
clients asking, that queueing, not the store, was what a request waited for (p95 up to
~100 ms). A dashboard asks the same few summaries over and over, so the answer to a
``GET /summary/...`` is kept, with the store's ``data_version()`` read before it was made,
and sent again while that version holds:

- any write to the store (this process's, a crawl's in another process) changes the version,
  so nothing stale is ever sent: at worst an answer is newer than the version it is kept
  under, and it is made again on the next request;
- only JSON answers with status 200 are kept: a CSV names the time it was exported, an error
  must be asked again;
- ``Cache-Control: no-cache`` in the request asks for a fresh answer (HTTP's meaning);
- a backend that cannot tell cheaply when it changed (Elasticsearch) keeps nothing;
- at most ``entries`` answers per process, the least recently used dropped first; 0 turns
  the cache off (``YUQING_RESPONSE_CACHE_ENTRIES``).

A pure ASGI middleware, so an answer from memory skips the whole FastAPI stack, and the
security headers (the middleware outside this one) are added to it as to any other.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from api.store_provider import StoreProvider

CACHED_PREFIX = "/summary/"
# A summary is a few kilobytes to tens of kilobytes; a larger answer is sent, not kept.
MAX_KEPT_BYTES = 1_000_000


@dataclass(frozen=True)
class _Kept:
    version: tuple[int, int]  # (the store object's id, its data_version)
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    def __init__(self, app: Any, provider: StoreProvider, entries: int):
        self.app = app
        self.provider = provider
        self.entries = entries
        self._kept: OrderedDict[tuple, _Kept] = OrderedDict()

    async def __call__(self, scope, receive, send) -> None:
        version = self._version(scope)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], _header(scope, b"accept"))
        kept = self._kept.get(key)
        if kept is not None and kept.version == version:
            self._kept.move_to_end(key)
            await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
            await send({"type": "http.response.body", "body": kept.body})
            return
        answer = _Answer()

        async def noting(message) -> None:
            answer.note(message)
            await send(message)

        await self.app(scope, receive, noting)
        if answer.keepable():
            self._kept[key] = _Kept(version, answer.headers, b"".join(answer.body))
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)

    def _version(self, scope) -> tuple[int, int] | None:
        """The store's version if this request's answer may come from (or go to) memory."""
        if (self.entries <= 0 or scope["type"] != "http" or scope["method"] != "GET"
                or not scope["path"].startswith(CACHED_PREFIX)
                or b"no-cache" in _header(scope, b"cache-control")):
            return None
        store = self.provider.opened
        if store is None:
            return None
        number = store.data_version()
        return None if number is None else (id(store), number)


class _Answer:
    """What the app sent, noted as it went out."""

    def __init__(self) -> None:
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.size = 0
        self.complete = False

    def note(self, message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body" and self.size <= MAX_KEPT_BYTES:
            chunk = message.get("body", b"")
            self.size += len(chunk)
            self.body.append(chunk)
            self.complete = not message.get("more_body", False)

    def keepable(self) -> bool:
        content_type = dict(self.headers).get(b"content-type", b"")
        return (self.status == 200 and self.complete and self.size <= MAX_KEPT_BYTES
                and content_type.startswith(b"application/json"))


def _header(scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value
    return b""
