"""Counts as platforms write them: ints, numeric strings, or "1.2万" / "3亿" / "10+" on busy
posts and threads. A count that cannot be read is None (or 0 where a number is needed),
never an exception that loses the rest of the page."""

from __future__ import annotations

from typing import Any


def count(value: Any) -> int:
    parsed = count_or_none(value)
    return parsed if parsed is not None else 0


def count_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip().rstrip("+")
    try:
        if text.endswith("万"):
            return int(float(text[:-1]) * 10_000)
        if text.endswith("亿"):
            return int(float(text[:-1]) * 100_000_000)
        return int(float(text))
    except ValueError:
        return None
