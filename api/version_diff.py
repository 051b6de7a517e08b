"""The versions of an announcement, each against the one before, line by line (``difflib``)."""

from __future__ import annotations

import difflib



def version_list(doc: dict) -> list[dict]:
    """Earlier versions, oldest first, then the current one."""
    earlier = list(doc.get("versions") or [])
    current = {"title": doc.get("title"), "body": doc.get("body"), "published_at": doc.get("published_at"),
               "content_hash": doc.get("content_hash"),
               "first_seen": earlier[-1].get("replaced_at") if earlier else doc.get("first_seen"),
               "last_seen": doc.get("crawled_at"), "replaced_at": None}
    return [*earlier, current]


def diff(before: dict, after: dict) -> dict:
    old = (before.get("body") or "").splitlines()
    new = (after.get("body") or "").splitlines()
    lines = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [{"op": "equal", "text": t} for t in old[i1:i2]]
            continue
        lines += [{"op": "delete", "text": t} for t in old[i1:i2]]
        lines += [{"op": "insert", "text": t} for t in new[j1:j2]]
    return {"from_hash": before.get("content_hash"), "to_hash": after.get("content_hash"),
            "title_changed": before.get("title") != after.get("title"), "lines": lines}


def history(doc: dict) -> dict:
    versions = version_list(doc)
    return {**doc, "status": doc.get("status") or "live", "versions": versions,
            "diffs": [diff(a, b) for a, b in zip(versions, versions[1:])]}
