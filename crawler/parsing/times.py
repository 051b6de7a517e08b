"""Weibo's time formats to timezone-aware ISO-8601 strings.

Comments and full posts carry the ctime format ``Sat May 04 10:00:00 +0800 2024``; search
cards on m.weibo.cn often show a relative time instead (``刚刚``, ``5分钟前``, ``3小时前``,
``今天 10:05``, ``昨天 10:05``, ``05-04``, ``2023-05-04``), always in Beijing time.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from core.vocabulary import BEIJING

_CTIME = "%a %b %d %H:%M:%S %z %Y"
_MINUTES_AGO = re.compile(r"^(\d+)\s*分钟前$")
_HOURS_AGO = re.compile(r"^(\d+)\s*小时前$")
_DAYS_AGO = re.compile(r"^(\d+)\s*天前$")
_TODAY = re.compile(r"^今天\s*(\d{1,2}):(\d{2})$")
_YESTERDAY = re.compile(r"^昨天\s*(\d{1,2}):(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
_FULL_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_weibo_time(value: str | None, now: datetime | None = None) -> datetime | None:
    """A timezone-aware datetime for any of Weibo's time formats, or None if unrecognised.

    ``now`` anchors the relative formats (defaults to the current Beijing time).
    """
    if not value:
        return None
    text = value.strip()
    try:
        return datetime.strptime(text, _CTIME)
    except ValueError:
        pass
    now = (now or datetime.now(BEIJING)).astimezone(BEIJING)
    if text == "刚刚":
        return now.replace(microsecond=0)
    if m := _MINUTES_AGO.match(text):
        return (now - timedelta(minutes=int(m[1]))).replace(second=0, microsecond=0)
    if m := _HOURS_AGO.match(text):
        return (now - timedelta(hours=int(m[1]))).replace(minute=0, second=0, microsecond=0)
    if m := _DAYS_AGO.match(text):
        return (now - timedelta(days=int(m[1]))).replace(hour=0, minute=0, second=0, microsecond=0)
    if m := _TODAY.match(text):
        return now.replace(hour=int(m[1]), minute=int(m[2]), second=0, microsecond=0)
    if m := _YESTERDAY.match(text):
        return (now - timedelta(days=1)).replace(hour=int(m[1]), minute=int(m[2]), second=0, microsecond=0)
    if m := _MONTH_DAY.match(text):
        hour, minute = (int(m[3]), int(m[4])) if m[3] else (0, 0)
        return _safe(now.year, int(m[1]), int(m[2]), hour, minute, 0)
    if m := _FULL_DATE.match(text):
        return _safe(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
    try:  # ISO strings from JSON comment APIs ("2024-05-04T10:00:00+08:00")
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)


def iso_time(value: str | None, now: datetime | None = None) -> str | None:
    """:func:`parse_weibo_time` as an ISO string (what items and the store carry)."""
    parsed = parse_weibo_time(value, now)
    return parsed.isoformat() if parsed else None


def parse_since(value: str | None) -> datetime | None:
    """The ``--since`` argument (``YYYY-MM-DD`` or an ISO datetime) as an aware datetime.

    Raises ValueError with the offending value, so a typo stops the crawl before it starts.
    """
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"since={value!r} is not a date (expected YYYY-MM-DD)") from None
    if isinstance(parsed, datetime) and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BEIJING)
    return parsed


def _safe(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)
    except ValueError:
        return None


__all__ = ["BEIJING", "iso_time", "parse_since", "parse_weibo_time"]
