"""The spill file: where a crawl puts the documents its store could not take.

JSON Lines, one ``{"kind": …, "doc": {…}}`` per line, appended as the crawl goes (so a
killed crawl keeps every line it wrote); ``yuqing index load FILE`` stores them later.
The crawler writes it and the CLI reads it: the format lives here, once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.schema import KINDS
from core.untrusted import parse_json

SPILL_SUFFIX = ".jsonl"


def spill_file_name(run_id: str) -> str:
    """A file name for a crawl run's spill (``gov:2024-06-01T00:00:00+00:00`` has ':' and '+')."""
    return run_id.replace(":", "_").replace("+", "_") + SPILL_SUFFIX


def spill_line(kind: str, doc: dict[str, Any]) -> str:
    return json.dumps({"kind": kind, "doc": doc}, ensure_ascii=False) + "\n"


def parse_spill_line(line: str | bytes) -> tuple[str, dict]:
    """(kind, document) of one line, or ValueError saying what is wrong with it (not UTF-8,
    not JSON, nested too deep…); strings come back cleaned of lone surrogates."""
    try:
        record = parse_json(line)
    except ValueError as exc:
        raise ValueError(f"not a spill record ({exc})") from None
    if not isinstance(record, dict) or "kind" not in record or "doc" not in record:
        raise ValueError('not a spill record (expected {"kind": …, "doc": {…}})')
    kind, doc = record["kind"], record["doc"]
    if kind not in KINDS or not isinstance(doc, dict):
        raise ValueError(f"unknown kind {kind!r} or a document that is not an object")
    return kind, doc


def spill_path(directory: Path, run_id: str) -> Path:
    return Path(directory) / spill_file_name(run_id)
