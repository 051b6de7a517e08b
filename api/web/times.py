"""Times on the page in Beijing time, as a reader writes them: 2026年12月2日 22:45.

Stored times are ISO 8601 with a zone (``crawled_at`` is UTC, a comment's ``created_at``
carries +08:00); the page showed them raw (``2026-12-02T14:45:38+00:00``). A date without
a time stays a date; a time without a zone was written by a Chinese site and is already
Beijing time (``core.vocabulary.BEIJING``).
"""

from __future__ import annotations

from datetime import date, datetime

from core.vocabulary import BEIJING


def beijing(value: str | None) -> str:
    """``2026-12-02T14:45:38+00:00`` → ``2026年12月2日 22:45``; ``2024-05-01`` → ``2024年5月1日``."""
    if not value:
        return ""
    text = value.strip()
    try:
        if len(text) <= 10:
            d = date.fromisoformat(text)
            return f"{d.year}年{d.month}月{d.day}日"
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text  # not ISO: show what the source wrote
    moment = moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment.astimezone(BEIJING)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def iso_beijing(value: str | None) -> str:
    """The ``datetime`` attribute of a ``<time>``: the same instant, in +08:00."""
    if not value or len(value.strip()) <= 10:
        return (value or "").strip()
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value
    moment = moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment.astimezone(BEIJING)
    return moment.isoformat(timespec="minutes")
