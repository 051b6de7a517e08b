"""Read the search page the way a reader sees it: hits, the total, the side summary.

Each reader collects what it needs in one ``evaluate`` round trip, and returns dataclasses
so the tests compare named fields rather than positions in a tuple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

TOTAL = re.compile(r"共 (\d+) 条")
PAGE_OF = re.compile(r"第 (\d+)/(\d+) 页")


@dataclass(frozen=True)
class Hit:
    title: str
    url: str  # the source page (原文)
    detail: str  # this site's page for the notice
    date: str
    meta: str
    marks: list[str]
    snippets: str
    tags: str
    accounts: list[str]  # one line per closed account


@dataclass(frozen=True)
class SummaryRow:
    key: str  # the filter value the row links to (city name or theme id)
    href: str
    label: str
    count: int
    cells: int  # columns shown: name and count only, since issue 18 took the notices' tone off the page
    top: str  # the row's tooltip: its top themes (cities) or top cities (themes)


def shown_total(page: Page) -> int:
    found = TOTAL.search(page.locator("#results h2 .count").inner_text())
    assert found, "the results heading shows no total"
    return int(found.group(1))


def shown_page(page: Page) -> tuple[int, int] | None:
    found = PAGE_OF.search(page.locator("#results h2 .count").inner_text())
    return (int(found.group(1)), int(found.group(2))) if found else None


def hits(page: Page) -> list[Hit]:
    rows = page.eval_on_selector_all("#results li.hit", """items => items.map(li => ({
        title: li.querySelector("h3 a").innerText,
        url: li.querySelector("a.source").href,
        detail: li.querySelector("h3 a").href,
        date: (li.querySelector(".meta time") || {innerText: ""}).innerText,
        meta: li.querySelector(".meta").innerText,
        marks: [...li.querySelectorAll("mark")].map(m => m.innerText),
        snippets: [...li.querySelectorAll(".snippet")].map(p => p.innerText).join("\\n"),
        tags: li.querySelector(".tags").innerText,
        accounts: [...li.querySelectorAll(".accounts li")].map(a => a.innerText),
    }))""")
    return [Hit(**row) for row in rows]


def summary(page: Page, by: str) -> list[SummaryRow]:
    """The rows of the side summary by ``city`` or ``theme``."""
    table = page.locator(f'#summary section[data-by="{by}"] table')
    rows = table.evaluate("""t => [...t.tBodies[0].rows].map(r => ({
        href: r.cells[0].querySelector("a").getAttribute("href"),
        top: r.cells[0].querySelector("a").title,
        cells: [...r.cells].map(c => c.innerText.trim()),
    }))""")
    out = []
    for row in rows:
        label, count = row["cells"][:2]
        key = parse_qs(urlsplit(row["href"]).query)[by][0]
        out.append(SummaryRow(key=key, href=row["href"], label=label, count=int(count), cells=len(row["cells"]),
                              top=row["top"]))
    return out
