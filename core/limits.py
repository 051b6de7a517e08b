"""Limits that the store, the API and the CLI must agree on."""

from __future__ import annotations

# Hits reachable by page/size: Elasticsearch's default index.max_result_window, held to on
# SQLite too so both backends page alike; past it a client pages with ``cursor``.
MAX_RESULT_WINDOW = 10_000
# A search string longer than this is a pasted document, not a search: it only costs time.
MAX_QUERY_CHARS = 256
# Terms in one search string (each becomes a phrase clause on both backends).
MAX_QUERY_TERMS = 32
# Largest page a store returns in one call; the API caps lower (YUQING_MAX_PAGE_SIZE).
MAX_PAGE_SIZE = 1_000
# Characters of one text the analysis reads (title and body or text, each): the longest closure
# notices seen run to ~3,000 characters and long Weibo posts to a few thousand, so 50,000 is
# 16× the longest real text while keeping one text under half a second of analysis (the cost
# is linear: BENCHMARKS.md "Analysis cost by text length"). Labels of a longer text come from
# its first MAX_ANALYSIS_CHARS characters and say so (`truncated`); the stored text is whole.
MAX_ANALYSIS_CHARS = 50_000
# A store query running longer than this is stopped (503), so one bad search cannot hang the API.
DEFAULT_QUERY_TIMEOUT_MS = 3000
