"""Dates as Chinese government pages state them, normalised to ISO.

``2024年5月10日`` → ``2024-05-10``; ``发布时间：2024-05-10 09:30`` → ``2024-05-10T09:30:00+08:00``
(a time is kept only when the page states one, and carries Beijing's offset, which every
site here uses). Patterns and labels come from ``rules.yaml`` (section ``dates``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from crawler.extraction.rules import DateRules

# Anything that may sit between a label and its date: colons, spaces, brackets.
_GAP = re.compile(r"[\s:：【】\[\]（）()]*")


def _iso(match: re.Match[str], offset: str) -> str | None:
    parts = match.groupdict()
    try:
        day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    except (TypeError, ValueError):
        return None  # 2024年13月40日 is a typo or an identifier, not a date
    hour, minute = parts.get("H"), parts.get("M")
    if hour is None or minute is None:
        return day.isoformat()
    if not (0 <= int(hour) < 24 and 0 <= int(minute) < 60):
        return day.isoformat()
    return f"{day.isoformat()}T{int(hour):02d}:{int(minute):02d}:00{offset}"


def parse_date(text: str, rules: DateRules) -> str | None:
    """The first date written anywhere in ``text``, as ISO (or None)."""
    best: tuple[int, str] | None = None
    for pattern in rules.value_patterns:
        for match in pattern.finditer(text):
            iso = _iso(match, rules.utc_offset)
            if iso and (best is None or match.start() < best[0]):
                best = (match.start(), iso)
            if iso:
                break
    return best[1] if best else None


def date_at_start(text: str, rules: DateRules) -> str | None:
    """A date that begins ``text`` (after separators), as ISO."""
    for pattern in rules.value_patterns:
        match = pattern.match(text)
        if match:
            return _iso(match, rules.utc_offset)
    return None


def labelled_date(text: str, rules: DateRules) -> str | None:
    """The date after the first label that has one (``发布时间：…``, ``日期：…``)."""
    found: list[tuple[int, str]] = []
    for label in rules.labels:
        for occurrence in re.finditer(re.escape(label), text):
            tail = text[occurrence.end(): occurrence.end() + rules.label_gap_chars + 40]
            gap = _GAP.match(tail)
            if gap is None or gap.end() > rules.label_gap_chars:
                continue
            iso = date_at_start(tail[gap.end():], rules)
            if iso:
                found.append((occurrence.start(), iso))
                break
    # The first labelled date on the page is the article's; later ones belong to
    # "related articles" boxes.
    return min(found)[1] if found else None


def last_date(text: str, rules: DateRules) -> str | None:
    """The last date written in ``text``: the signature date (落款) under a notice."""
    last: tuple[int, str] | None = None
    for pattern in rules.value_patterns:
        for match in pattern.finditer(text):
            iso = _iso(match, rules.utc_offset)
            if iso and (last is None or match.start() > last[0]):
                last = (match.start(), iso)
    return last[1] if last else None


def epoch_to_iso(epoch: int, rules: DateRules) -> str:
    """Epoch seconds (WeChat's ``var ct``) as Beijing time with its offset."""
    sign = -1 if rules.utc_offset.startswith("-") else 1
    hours, minutes = rules.utc_offset.lstrip("+-").split(":")
    tz = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    return datetime.fromtimestamp(epoch, tz).replace(second=0).isoformat()
