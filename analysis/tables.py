"""Layouts that set an account's name apart from its platform, rewritten as the sentences the
account rules read: tables, and names with the platform in brackets.

District-level notices often list the accounts they close in a table — 序号 | 账号名称 | 平台 |
主办单位 | 处理方式 — which the crawler's extraction (trafilatura) hands over as pipe-separated
rows. Each row names an account and its platform in separate cells, so the sentence rules of
``analysis.accounts`` (a name next to a platform word) see nothing. A row of such a table is
rewritten as ``“name”platform action。`` ("| 鼓楼教育 | 新浪微博 | 鼓楼区教育局 | 停止更新 |" →
"“鼓楼教育”新浪微博停止更新。"); every other line is kept as it is.

Only tables whose header names both an account-name column and a platform column are
rewritten; a table without a header row is left alone.

Numbered lists put the platform in brackets after the name ("（一）张家港教育（新浪微博）；",
"岳麓城管（新浪微博）、岳麓教育（抖音）两个账号…"); such a name is quoted and the brackets
dropped ("“张家港教育”新浪微博；"), which is the shape the sentence rules know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.platforms import PLATFORM_RE

# Header words of the columns that matter, as the notices title them.
NAME_HEADERS = ("账号名称", "账号", "名称", "新媒体名称")
PLATFORM_HEADERS = ("平台", "类型", "渠道", "载体")
# What happens to the account, and when ("处理方式", "调整方式", "注销时间").
ACTION_HEADERS = ("处理", "调整", "方式", "措施", "情况", "状态")
DATE_HEADERS = ("时间", "日期")
_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}")
# A name (letters, digits, ·; no punctuation, so it starts after a list marker or a comma)
# directly followed by a platform word in brackets.
_BRACKETED_PLATFORM = re.compile(r"(?P<name>[\u4e00-\u9fffA-Za-z0-9·]{2,16})[（(](?P<platform>"
                                 + PLATFORM_RE.pattern + r")[）)]")


@dataclass(frozen=True)
class TableColumns:
    name: int
    platform: int
    action: int | None
    date: int | None


def _cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
        return None
    return [c.strip() for c in stripped[1:-1].split("|")]


def _column(header: list[str], words: tuple[str, ...], exclude: set[int] = frozenset()) -> int | None:
    for word in words:  # the most specific header word first
        for i, cell in enumerate(header):
            if i not in exclude and word in cell:
                return i
    return None


def header_columns(header: list[str]) -> TableColumns | None:
    """Where the name, platform, action and date sit, if this row is an accounts table header."""
    name = _column(header, NAME_HEADERS)
    if name is None:
        return None
    platform = _column(header, PLATFORM_HEADERS, {name})
    if platform is None:
        return None
    action = _column(header, ACTION_HEADERS, {name, platform})
    date = _column(header, DATE_HEADERS, {name, platform} | ({action} if action is not None else set()))
    return TableColumns(name, platform, action, date)


def _row_sentence(cells: list[str], cols: TableColumns) -> str | None:
    if max(cols.name, cols.platform) >= len(cells):
        return None
    name, platform = cells[cols.name].strip("“”\"「」《》"), cells[cols.platform]
    if not name or not platform:
        return None
    tail = "".join(cells[i] for i in (cols.date, cols.action) if i is not None and i < len(cells))
    return f"“{name}”{platform}{tail}。"


def layouts_as_sentences(text: str) -> str:
    """``text`` with accounts tables and bracketed platforms rewritten as sentences."""
    return _BRACKETED_PLATFORM.sub(lambda m: f"“{m['name']}”{m['platform']}", rows_as_sentences(text))


def rows_as_sentences(text: str) -> str:
    """``text`` with the rows of every accounts table rewritten as sentences."""
    if "|" not in text:
        return text
    out, cols = [], None
    for line in text.split("\n"):
        cells = _cells(line)
        if cells is None:
            cols = None  # the table ended
            out.append(line)
            continue
        if _SEPARATOR_ROW.match(line.strip()):
            continue
        if cols is None:
            cols = header_columns(cells)
            if cols is None:
                out.append(line)
            continue
        out.append(_row_sentence(cells, cols) or line)
    return "\n".join(out)
