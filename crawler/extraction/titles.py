"""Titles without the site (and column) that CMS templates append to ``<title>``."""

from __future__ import annotations

import re

from crawler.extraction.rules import TitleRules

_SPACES = re.compile(r"\s+")


def clean_title(title: str) -> str:
    return _SPACES.sub(" ", title).strip()


def _is_site_or_column(segment: str, rules: TitleRules, known: set[str]) -> bool:
    segment = segment.strip()
    if not segment:
        return True
    if segment in known or segment in rules.column_names:
        return True
    return any(p.search(segment) for p in rules.site_suffix_patterns)


def strip_site_suffix(title: str, rules: TitleRules, known_names: tuple[str | None, ...] = ()) -> str:
    """``关于…的公告_通知公告_某某区人民政府`` → ``关于…的公告``.

    Trailing segments after a separator are dropped while they name a site or a column
    (by pattern, by the column list, or because they equal the page's SiteName/ColumnName
    in ``known_names``). The head segment is never dropped, so a title is never emptied.
    """
    title = clean_title(title)
    for pattern in rules.number_suffix_patterns:
        # "关于…的通知__2007年第23号": the document number the CMS appends, not the title.
        head = pattern.sub("", title).strip()
        title = head or title
    known = {n.strip() for n in known_names if n}
    changed = True
    while changed:
        changed = False
        for sep in rules.separators:
            head, found, tail = title.rpartition(sep)
            if not found or not head.strip():
                continue
            if _is_site_or_column(tail, rules, known):
                title = head.strip()
                changed = True
                break
    return title
