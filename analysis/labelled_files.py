"""Reading a labelled JSON-lines file (``yuqing stance train``, ``yuqing themes train``):
one object per line, blank lines skipped, a clear error naming the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator


def labelled_lines(path: Path | str, error: type[ValueError]) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed JSON)`` of each non-blank line; ``error`` for a missing file,
    text that is not UTF-8 or a line that is not JSON. The caller checks each object's fields
    and that the file held any."""
    path = Path(path)
    if not path.is_file():
        raise error(f"labelled file {path} does not exist or is not a file")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"labelled file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{path}:{n}: not a JSON object ({exc.msg})") from exc
