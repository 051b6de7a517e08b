"""Elasticsearch index templates: explicit mappings per kind, Chinese text analysis, names.

Every field of ``core/schema.py`` is mapped here by hand (``tests/unit/store/
test_elastic_mappings.py`` fails when a schema field is missing), because dynamic mapping
would guess wrong in ways that are expensive to undo: a city would become analysed text
(no exact filter, no terms aggregation) and the first document's date format would decide
the field's type for ever.

Indices are versioned behind aliases: documents of a kind live in ``{prefix}-{kind}-v{N}``
and every read and write goes through the alias ``{prefix}-{kind}``. The mapping's hash
is stored in the index ``_meta``, so ``yuqing index migrate`` can tell whether the live
index still matches this module and reindex into ``v{N+1}`` when it does not.

Chinese text
------------
A stock Elasticsearch has no Chinese word segmenter, so the default analyzer cuts runs of
Chinese into overlapping bigrams (``standard`` tokenizer + ``cjk_width`` + ``lowercase`` +
``cjk_bigram``: the built-in ``cjk`` analyzer without its English stop words, which would
drop words such as "app" or "it" from titles), after character filters that turn the
punctuation joining words and numbers (``.,;:'_``) into spaces, so that ``2024.05.11`` is
three words in both backends. Searches match every term as a phrase of
bigrams, so ``政务新媒体`` finds the five characters in that order, exactly like the
SQLite backend's bigram table (``store/sqlite_text.py``) — the contract suite holds both
to the same hit sets. Where the ``analysis-smartcn`` or IK plugin is installed, the
analyzer can be switched (``ANALYZERS``); the mapping hash changes, so ``migrate``
reindexes. See docs/elasticsearch.md.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


# Bump when a change here must reach existing indices even though the JSON below hashes
# the same (e.g. a different meaning of an internal field).
MAPPING_REVISION = 1

# Internal fields the store adds to every document and strips before returning it.
# DAY_FIELD: the calendar date as written in the document (first 10 characters of its
# date field). Date filters and timelines use it, not the instant, because the SQLite
# backend compares dates as written: 2024-03-05T01:00:00+08:00 is a 5 March document in
# both, although it is 4 March in UTC.
DAY_FIELD = "yq_day"
# HASH_FIELD: hash of the document as sent, so a re-sent identical document counts as
# unchanged without rewriting it.
HASH_FIELD = "yq_hash"
INTERNAL_FIELDS = (DAY_FIELD, HASH_FIELD)

DEFAULT_ANALYZER = "cjk_bigram"

# Analysis settings per analyzer choice: (index settings "analysis", index analyzer, search analyzer).
ANALYZERS: dict[str, tuple[dict[str, Any], str, str]] = {
    # Stock Elasticsearch, no plugin: overlapping bigrams of Chinese, words elsewhere.
    "cjk_bigram": (
        {
            # The standard tokenizer (Unicode word breaks) keeps 2024.05.11, 10,000, 1.2万,
            # a_b and don't as one token each, so a search for 2024 or 2万 found them in the
            # SQLite backend (which splits at anything but letters and digits) and not here.
            # These filters turn the characters that join words or numbers into spaces
            # first. Each replacement has the length of what it replaces (ASCII by a space,
            # full-width and curly ones by the ideographic space), so highlight offsets
            # stay exact without relying on a server's offset correction.
            "char_filter": {
                "yuqing_ascii_joiners": {"type": "pattern_replace", "pattern": "[.,;:'_]", "replacement": " "},
                "yuqing_wide_joiners": {"type": "pattern_replace", "replacement": "\u3000",
                                        "pattern": "[\u2019\uff07\uff0c\uff0e\uff1a\uff1b\uff3f]"},
            },
            "analyzer": {
                "yuqing_text": {
                    "type": "custom",
                    "char_filter": ["yuqing_ascii_joiners", "yuqing_wide_joiners"],
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                }
            },
        },
        "yuqing_text",
        "yuqing_text",
    ),
    # Needs `bin/elasticsearch-plugin install analysis-smartcn` on every node.
    "smartcn": ({}, "smartcn", "smartcn"),
    # Needs the IK plugin (github.com/infinilabs/analysis-ik) of the server's exact version.
    "ik": ({}, "ik_max_word", "ik_smart"),
}

# Dates arrive as ISO-8601 (with or without time and zone) from the crawlers; some
# government pages give "2024-03-05 10:00:00", which the pipelines may pass through.
DATE_FORMATS = "strict_date_optional_time||yyyy-MM-dd HH:mm:ss||yyyy-MM-dd HH:mm||epoch_millis"

KEYWORD: dict[str, Any] = {"type": "keyword"}
DATE: dict[str, Any] = {"type": "date", "format": DATE_FORMATS}
# double, not float: a float32 sentiment of 0.8 averages to 0.800000011920929, and the
# two backends must report the same means.
SCORE: dict[str, Any] = {"type": "double"}
COUNT: dict[str, Any] = {"type": "long"}
FLAG: dict[str, Any] = {"type": "boolean"}
# Kept in _source and returned, never searched: nested structures the API passes through.
STORED_ONLY: dict[str, Any] = {"type": "object", "enabled": False}


def _text(analyzer: str, search_analyzer: str, raw: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": analyzer, "search_analyzer": search_analyzer}
    if raw:
        # Exact value for sorting and terms aggregations; long bodies are not worth it.
        field["fields"] = {"raw": {"type": "keyword", "ignore_above": 512}}
    return field


def _keyword_with_text(analyzer: str, search_analyzer: str) -> dict[str, Any]:
    """An exact-match field (filters, aggregations) that can also be searched as words."""
    return {"type": "keyword", "fields": {"text": {"type": "text", "analyzer": analyzer,
                                                   "search_analyzer": search_analyzer}}}


def properties(kind: str, analyzer: str = DEFAULT_ANALYZER) -> dict[str, Any]:
    """The explicit field mapping of one kind."""
    _, index_an, search_an = ANALYZERS[analyzer]
    text = _text(index_an, search_an)
    titled = _text(index_an, search_an, raw=True)
    issuer = _keyword_with_text(index_an, search_an)
    sentiment = {"sentiment": SCORE, "sentiment_label": KEYWORD, "sentiment_model": KEYWORD}
    place = {"province": KEYWORD, "city": KEYWORD}
    common = {"id": KEYWORD, DAY_FIELD: {"type": "date", "format": "yyyy-MM-dd"},
              HASH_FIELD: {"type": "keyword", "index": False, "doc_values": False}}
    by_kind: dict[str, dict[str, Any]] = {
        "announcement": {
            "url": KEYWORD, "title": titled, "body": text, "published_at": DATE, "issuer": issuer,
            "site_name": KEYWORD, "column": KEYWORD, **place, "district": KEYWORD, "admin_code": KEYWORD,
            "place_ambiguous": FLAG, "platforms": KEYWORD, "themes": KEYWORD, "accounts": STORED_ONLY,
            **sentiment, "crawled_at": DATE, "content_hash": KEYWORD, "source": KEYWORD,
            "wechat_account": KEYWORD,
            "status": KEYWORD, "first_seen": DATE, "versions": STORED_ONLY, "missing_since": DATE,
            "missing_count": COUNT, "missing_reason": KEYWORD,
        },
        "account": {
            "name": titled, "platform": KEYWORD, "action": KEYWORD, "announcement_id": KEYWORD,
            "issuer": issuer, **place, "effective_date": DATE, "successor": titled, "reasons": KEYWORD,
            "confidence": SCORE, "evidence": text,
        },
        "post": {
            "url": KEYWORD, "platform": KEYWORD, "text": text, "title": titled, "author_hash": KEYWORD,
            "created_at": DATE, **place, "region": KEYWORD, "links": KEYWORD, "themes": KEYWORD,
            "platforms": KEYWORD, **sentiment,
            "stance": KEYWORD, "stance_model": KEYWORD, "reposts": COUNT, "likes": COUNT, "comments_reported": COUNT,
            "comments_fetched": COUNT, "partial": FLAG, "partial_reason": KEYWORD, "keyword": KEYWORD,
            "crawled_at": DATE,
        },
        "comment": {
            "post_id": KEYWORD, "platform": KEYWORD, "text": text, "reply_to": KEYWORD, "created_at": DATE,
            "likes": COUNT, "author_hash": KEYWORD, "author_region": KEYWORD, "weak_id": FLAG, **place, "themes": KEYWORD,
            "platforms": KEYWORD,
            **sentiment, "stance": KEYWORD, "stance_model": KEYWORD, "crawled_at": DATE,
        },
        "crawl_run": {
            "spider": KEYWORD, "started_at": DATE, "finished_at": DATE, "status": KEYWORD,
            "counts": STORED_ONLY, "errors": {"type": "text", "analyzer": "standard"}, "args": STORED_ONLY,
            "heartbeat_at": DATE, "heartbeat_every": {"type": "float"}, "process": KEYWORD, "spill_file": KEYWORD,
            "spilled": COUNT,
        },
        "alert": {
            "rule": KEYWORD, "kind": KEYWORD, "day": DATE, "message": {"type": "text", "analyzer": "standard"},
            "city": KEYWORD, "value": SCORE, "baseline": SCORE, "threshold": SCORE, "document_id": KEYWORD,
            "created_at": DATE, "run_id": KEYWORD, "delivered": FLAG,
        },
        "page": {
            "url": KEYWORD, "etag": KEYWORD, "last_modified": KEYWORD, "fetched_at": DATE, "checked_at": DATE,
            "source": KEYWORD,
        },
    }
    return {**common, **by_kind[kind]}


def index_settings(analyzer: str = DEFAULT_ANALYZER) -> dict[str, Any]:
    analysis, _, _ = ANALYZERS[analyzer]
    # One shard: a kind holds at most a few million documents here, well inside one shard's
    # comfortable size (tens of GB), and one shard keeps terms-aggregation counts exact.
    settings: dict[str, Any] = {"number_of_shards": 1}
    if analysis:
        settings["analysis"] = analysis
    return settings


def mapping_hash(kind: str, analyzer: str = DEFAULT_ANALYZER) -> str:
    """Fingerprint of everything that decides how documents are indexed."""
    spec = {"revision": MAPPING_REVISION, "settings": index_settings(analyzer),
            "properties": properties(kind, analyzer)}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def mappings(kind: str, analyzer: str = DEFAULT_ANALYZER) -> dict[str, Any]:
    return {
        # Unknown fields are kept in _source (nothing is lost) but not indexed: a crawler
        # adding a field must not silently grow the mapping with a guessed type.
        "dynamic": False,
        "_meta": {"yuqing": {"kind": kind, "mapping_hash": mapping_hash(kind, analyzer), "analyzer": analyzer}},
        "properties": properties(kind, analyzer),
    }


def alias_name(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}"


def index_name(prefix: str, kind: str, version: int) -> str:
    return f"{alias_name(prefix, kind)}-v{version}"


def index_version(prefix: str, kind: str, index: str) -> int | None:
    """``yuqing-announcement-v3`` → 3; None for an index that is not one of ours."""
    head = alias_name(prefix, kind) + "-v"
    tail = index[len(head):] if index.startswith(head) else ""
    return int(tail) if tail.isdigit() else None


def template(prefix: str, kind: str, analyzer: str = DEFAULT_ANALYZER) -> dict[str, Any]:
    """Body of ``PUT _index_template/{prefix}-{kind}``."""
    return {
        "index_patterns": [f"{alias_name(prefix, kind)}-v*"],
        # Above the built-in templates (priority 100 for logs-*, metrics-*…) so that ours
        # wins even if someone chooses a prefix that overlaps them.
        "priority": 200,
        "template": {"settings": index_settings(analyzer), "mappings": mappings(kind, analyzer)},
        "_meta": {"managed_by": "yuqing", "mapping_hash": mapping_hash(kind, analyzer)},
    }
