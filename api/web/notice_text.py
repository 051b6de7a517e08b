"""A notice's full text as blocks: paragraphs, and the tables some notices write in
markdown (``| 序号 | 账号名称 | 平台 |`` then ``|---|---|---|``) — the usual way a CMS export
or a converted document lists the accounts closed. Shown raw, those read as a wall of
pipes; here they become real tables.

Only the table lines go through markdown-it (with raw HTML off, so markup in a notice stays
text); every other line stays a plain paragraph with the search terms marked, because
government prose is full of ``1.`` and ``*`` that markdown would turn into lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from api.web.highlight import mark_terms

_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Block:
    kind: str  # "p" | "table"
    html: Markup


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _table(lines: list[str]) -> Markup | None:
    """A markdown table as HTML, or None when the lines are not one (no separator row)."""
    if len(lines) < 2 or not _SEPARATOR.match(lines[1]):
        return None
    html = _markdown().render("\n".join(line.strip() for line in lines))
    return Markup(html) if "<table>" in html else None


def plain(body: str) -> str:
    """The text with markdown tables read as text (cells apart, rows ended by ；) for a
    one-line excerpt, where ``| 序号 | 账号名称 |`` and ``|---|`` would be noise."""
    lines = []
    for line in body.splitlines():
        if _SEPARATOR.match(line) and "-" in line:
            continue
        if _TABLE_LINE.match(line):
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|")) + "；"
        lines.append(line)
    return "\n".join(lines)


def blocks(body: str, terms: list[str]) -> list[Block]:
    lines = [line for line in body.splitlines() if line.strip()]
    out: list[Block] = []
    i = 0
    while i < len(lines):
        if _TABLE_LINE.match(lines[i]):
            j = i
            while j < len(lines) and (_TABLE_LINE.match(lines[j]) or _SEPARATOR.match(lines[j])):
                j += 1
            table = _table(lines[i:j])
            if table is not None:
                out.append(Block("table", table))
                i = j
                continue
        out.append(Block("p", mark_terms(lines[i].strip(), terms)))
        i += 1
    return out
