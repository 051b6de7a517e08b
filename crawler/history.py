"""An announcement's history: earlier versions kept, takedowns confirmed before they are said.

Journalists' first question about an official notice is "was it deleted, and what did it say?".
So a re-fetch that finds a notice's text changed keeps the earlier version (text, hash, first
and last seen) on the document, and a stored notice that answers 404/410, is redirected to its
site's home page, or is gone from its list is counted as missing; after ``confirmations``
runs in a row it is ``taken_down``, dated from the first miss (a site down for an afternoon,
or a list page that failed once, must not make a notice "deleted").

Pure functions over documents (dicts): the history pipeline stage and the takedown checks
of the gov crawl (``crawler/incremental.py``) call them with the stored version.
"""

from __future__ import annotations

from typing import Any

# Runs in a row a notice must be missing before it is called taken down. Two: one outage
# (a 404 from a CMS being redeployed, a list page that failed) is common on small
# government servers; two scheduled runs hours apart are rarely both unlucky.
DEFAULT_TAKEDOWN_CONFIRMATIONS = 2

# Fields that together are "what the notice said"; a change in any is a new version.
VERSIONED_FIELDS = ("title", "body", "published_at")


def carry_history(new: dict[str, Any], stored: dict[str, Any] | None, now: str) -> dict[str, Any]:
    """``new`` (a freshly fetched announcement) with the history of ``stored`` carried over:
    first seen, earlier versions (plus the stored one when the text changed), status."""
    if stored is None:
        return {**new, "first_seen": new.get("first_seen") or new.get("crawled_at") or now, "status": "live",
                "versions": [], "missing_since": None, "missing_count": 0, "missing_reason": None}
    versions = list(stored.get("versions") or [])
    out = {**new, "first_seen": stored.get("first_seen") or stored.get("crawled_at") or now,
           "missing_since": None, "missing_count": 0, "missing_reason": None}
    if stored.get("content_hash") != new.get("content_hash"):
        versions.append({
            **{f: stored.get(f) for f in VERSIONED_FIELDS},
            "content_hash": stored.get("content_hash"),
            "first_seen": versions[-1]["replaced_at"] if versions else out["first_seen"],
            # The last crawl that stored this version (a run that found it unchanged rewrote nothing).
            "last_seen": stored.get("crawled_at"),
            "replaced_at": now,
        })
    out["versions"] = versions
    out["status"] = "edited" if versions else "live"
    return out


def mark_missing(stored: dict[str, Any], reason: str, now: str,
                 confirmations: int = DEFAULT_TAKEDOWN_CONFIRMATIONS) -> dict[str, Any]:
    """The stored notice after one more run found it missing (``reason``: "HTTP 404",
    "redirected to the home page", "gone from its list"). Taken down once confirmed."""
    count = int(stored.get("missing_count") or 0) + 1
    since = stored.get("missing_since") or now
    status = "taken_down" if count >= confirmations else stored.get("status") or "live"
    return {**stored, "missing_since": since, "missing_count": count, "missing_reason": reason, "status": status}


def current_version(doc: dict[str, Any]) -> dict[str, Any]:
    """The live text as a version entry, for showing beside the earlier ones."""
    versions = doc.get("versions") or []
    return {**{f: doc.get(f) for f in VERSIONED_FIELDS}, "content_hash": doc.get("content_hash"),
            "first_seen": versions[-1]["replaced_at"] if versions else doc.get("first_seen"),
            "last_seen": doc.get("crawled_at"), "replaced_at": None}
