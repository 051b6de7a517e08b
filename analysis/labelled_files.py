"""Reading the files a user trains a model from (``yuqing sentiment|stance|themes train``):
UTF-8 text, blank lines skipped, a clear error naming the file (and line) for anything else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator


def training_text(path: Path | str, role: str, error: type[ValueError]) -> str:
    """The text of a training file; ``error`` saying "{role} file … does not exist", "… is not a
    file" or "… is not UTF-8 text" otherwise. A leading byte-order mark is dropped."""
    path = Path(path)
    if not path.exists():
        raise error(f"{role} file {path} does not exist")
    if not path.is_file():
        raise error(f"{role} file {path} is not a file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{role} file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def labelled_lines(path: Path | str, error: type[ValueError]) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed JSON)`` of each non-blank line of a JSON-lines file; ``error`` for
    a file ``training_text`` refuses or a line that is not JSON. The caller checks each
    object's fields and that the file held any."""
    for n, line in enumerate(training_text(path, "labelled", error).splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{path}:{n}: not a JSON object ({exc.msg})") from exc
