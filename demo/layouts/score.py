"""Scoring a crawl of the layout corpus against its gold (``demo/web/layouts/_gold.yaml``).

What a crawl *did* is read from the offline web's request log (``OfflineWeb.requests``):
the spider followed a link exactly when it asked for its URL. Per variant (one small site
under ``/layouts/<layout>/r<rows>/``):

* a notice the gold lists and the spider asked for is a hit; one it did not ask for, a miss;
* a URL the spider asked for that is neither a notice nor a gold list page (the start page
  and its further pages) is a wrong follow: a nav item, a sidebar item, a footer link, a
  column tag, a page number that is not there;
* further list pages are scored apart (pages found / gold pages).

A gold list page with a query (``dataproxy.jsp?startrecord=21``) matches a request for the
same path whose query holds the gold's pairs (the spider adds the parameters its CMS needs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml

GOLD_FILE = Path(__file__).resolve().parent.parent / "web" / "layouts" / "_gold.yaml"


def load_gold(path: Path = GOLD_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _key(url: str) -> tuple[str, frozenset]:
    parts = urlsplit(url)
    path = parts.path
    if path.endswith("/"):
        path += "index.html"
    return path, frozenset(parse_qsl(parts.query, keep_blank_values=True))


def _matches(gold: str, asked: tuple[str, frozenset]) -> bool:
    path, pairs = _key(gold)
    return path == asked[0] and pairs <= asked[1]


@dataclass
class VariantScore:
    layout: str
    rows: int
    notices: int = 0
    hits: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    pages: int = 0
    pages_found: int = 0
    closures: int = 0
    closures_found: int = 0


@dataclass
class CorpusScore:
    part: str
    variants: list[VariantScore]

    def _sum(self, name: str) -> int:
        return sum(getattr(v, name) for v in self.variants)

    @property
    def recall(self) -> float:
        return self._sum("hits") / max(1, self._sum("notices"))

    @property
    def precision(self) -> float:
        wrong = sum(len(v.wrong) for v in self.variants)
        return self._sum("hits") / max(1, self._sum("hits") + wrong)

    @property
    def page_recall(self) -> float:
        return self._sum("pages_found") / max(1, self._sum("pages"))

    def summary(self) -> str:
        wrong = sum(len(v.wrong) for v in self.variants)
        return (f"{self.part}: {len({v.layout for v in self.variants})} layouts, {len(self.variants)} variants — "
                f"notice links recall {self.recall:.3f} ({self._sum('hits')}/{self._sum('notices')}), "
                f"precision {self.precision:.3f} ({wrong} wrong follows); further list pages "
                f"{self._sum('pages_found')}/{self._sum('pages')}; closures {self._sum('closures_found')}/{self._sum('closures')}")

    def misses_by_layout(self) -> str:
        lines = []
        for v in self.variants:
            if v.misses or v.wrong or v.pages_found < v.pages:
                lines.append(f"  {v.layout} r{v.rows}: {len(v.misses)} missed, {len(v.wrong)} wrong, "
                             f"pages {v.pages_found}/{v.pages}")
                lines += [f"    missed {m}" for m in v.misses[:5]]
                lines += [f"    wrong  {w}" for w in v.wrong[:5]]
        return "\n".join(lines) or "  (none)"


def score(gold: dict, requests: Iterable[str], closure_urls: Iterable[str], *, held_out: bool) -> CorpusScore:
    """The crawl's figures on the tuned (``held_out=False``) or held-out part of the corpus."""
    asked = {_key(r) for r in requests}
    closures = {_key(u)[0] for u in closure_urls}
    out = []
    for variant in gold["variants"]:
        if gold["layouts"][variant["layout"]]["held_out"] != held_out:
            continue
        root = variant["root"]
        mine = {a for a in asked if a[0].startswith(root)}
        v = VariantScore(variant["layout"], variant["rows"])
        lists = variant["lists"]
        notices = [n for page in lists.values() for n in page["notices"]]
        gold_pages = [p for page in lists.values() for p in page["next_pages"]]
        known = {_key(n) for n in notices}
        for n in notices:
            v.notices += 1
            if _key(n) in mine:
                v.hits += 1
            else:
                v.misses.append(n)
        v.pages = len(gold_pages)
        v.pages_found = sum(1 for p in gold_pages if any(_matches(p, a) for a in mine))
        list_pages = list(lists)
        for a in sorted(mine, key=lambda k: (k[0], sorted(k[1]))):
            if a in known or any(_matches(p, a) for p in list_pages):
                continue
            v.wrong.append(a[0] + ("?" + "&".join(f"{k}={x}" for k, x in sorted(a[1])) if a[1] else ""))
        v.closures = len(variant["closures"])
        v.closures_found = sum(1 for c in variant["closures"] if _key(c)[0] in closures)
        out.append(v)
    return CorpusScore("held-out" if held_out else "tuned", out)
