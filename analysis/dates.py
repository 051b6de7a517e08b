"""Dates as closure notices write them, resolved to ISO dates.

Notices state when an account stops in several forms: ``2024年6月1日``, ``2024-06-01``,
``6月1日起`` (the year left to the reader), ``自即日起`` (from the day the notice is
signed), and sign off with a date often written in Chinese numerals
(``二〇二四年五月二十日``). A date without a year takes it from the signature date,
else from the publication date; without either it stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇零○Ｏ一二三四五六七八九十"

DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*[日号]?"
    r"|(?P<cy>[" + _CN + r"]{4})年(?P<cm>[" + _CN + r"]{1,2})月(?P<cd>[" + _CN + r"]{1,3})日"
    r"|(?<!\d)(?<!\d年)(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]"
)
# 自即日起 / 即日起 / 从即日起 / 自本公告发布之日起: from the day the notice is signed.
TODAY_RE = re.compile(r"即日起|即日开始|自即日|本公告发布之日起|公告之日起|发布之日起")
# Notices end with the signing body and the date, on one or two short lines; the last
# three lines are searched (a trailing "特此公告" or contact line may follow).
SIGNATURE_LINES = 3
SIGNATURE_LINE_CHARS = 40


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int
    day: int

    def resolve(self, default_year: int | None) -> str | None:
        year = self.year or default_year
        if year is None:
            return None
        try:
            return date(year, self.month, self.day).isoformat()
        except ValueError:
            return None


def _cn_number(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23, 二〇二四 → 2024."""
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (_CN_DIGITS.get(tail, 0) if tail else 0)
    n = 0
    for ch in s:
        n = n * 10 + _CN_DIGITS.get(ch, 0)
    return n


def find_dates(text: str) -> list[DateMention]:
    out = []
    for m in DATE_RE.finditer(text):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        elif m.group("cy"):
            y, mo, d = _cn_number(m.group("cy")), _cn_number(m.group("cm")), _cn_number(m.group("cd"))
        else:
            y, mo, d = None, int(m.group("m2")), int(m.group("d2"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            out.append(DateMention(m.start(), m.end(), y, mo, d))
    return out


def iso_date(value: str | None) -> str | None:
    """The date part of an ISO date or datetime string, if it is one."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def signature_date(text: str) -> str | None:
    """The date a notice is signed: a full date on one of its last lines, alone or after the
    signing body ("张家港市城市管理局\n2024年5月20日", "……办公室 2024年5月20日")."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    for line in reversed(lines[-SIGNATURE_LINES:]):
        dates = [d for d in find_dates(line) if d.year]
        if dates and len(line) <= SIGNATURE_LINE_CHARS and line.endswith(line[dates[-1].start:dates[-1].end]):
            return dates[-1].resolve(None)
    return None
