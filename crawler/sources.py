"""Crawl sources from ``crawler/sources.yaml`` (see that file for how to add one).

``load_sources(path)`` reads and checks the file; ``select_sources(sources, ids, base_url)``
turns ids (or a group name: ``demo``, ``live``) into start URLs, with a clear error for an
unknown id or a demo source asked for without a base URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCES_FILE = Path(__file__).resolve().parent / "sources.yaml"
GROUPS = ("live", "demo")
CMS_STYLES = frozenset({"trs", "jcms", "asp", "other"})


class SourcesError(ValueError):
    """The sources file is malformed, or a selection names something it does not hold."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    city: str
    cms: str
    group: str  # live | demo
    url: str | None = None  # live sources: absolute
    path: str | None = None  # demo sources: relative to the offline web's base URL
    verified: bool = False

    def start_url(self, base_url: str | None = None) -> str:
        if self.url:
            return self.url
        if not base_url:
            raise SourcesError(f"source {self.id!r} is an offline-web path ({self.path}); "
                               "give the offline web's address with -a base_url=http://127.0.0.1:PORT")
        return base_url.rstrip("/") + "/" + (self.path or "").lstrip("/")


def _source(group: str, raw: dict, n: int) -> Source:
    where = f"{group}[{n}]"
    missing = [k for k in ("id", "name", "city", "cms") if not raw.get(k)]
    location = "url" if group == "live" else "path"
    if not raw.get(location):
        missing.append(location)
    if missing:
        raise SourcesError(f"sources file: {where} lacks {', '.join(missing)}")
    if raw["cms"] not in CMS_STYLES:
        raise SourcesError(f"sources file: {where} ({raw['id']}) has cms {raw['cms']!r}; "
                           f"use one of {', '.join(sorted(CMS_STYLES))}")
    return Source(id=str(raw["id"]), name=str(raw["name"]), city=str(raw["city"]), cms=str(raw["cms"]),
                  group=group, url=raw.get("url"), path=raw.get("path"), verified=bool(raw.get("verified", False)))


def load_sources(path: Path | None = None) -> list[Source]:
    """Every source in the file, live first; ids must be unique."""
    path = Path(path or SOURCES_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc}") from None
    if not isinstance(raw, dict) or set(raw) - set(GROUPS):
        raise SourcesError(f"sources file {path} must hold the groups {', '.join(GROUPS)} only")
    sources = [_source(group, item, n) for group in GROUPS for n, item in enumerate(raw.get(group) or [])]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen or source.id in GROUPS:
            raise SourcesError(f"sources file {path}: id {source.id!r} is used twice or names a group")
        seen.add(source.id)
    return sources


def select_sources(sources: list[Source], ids: list[str]) -> list[Source]:
    """The sources named by ``ids`` (a group name selects its whole group), in file order."""
    by_id = {s.id: s for s in sources}
    unknown = [i for i in ids if i not in by_id and i not in GROUPS]
    if unknown:
        raise SourcesError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(by_id)} "
                           f"(or a group: {', '.join(GROUPS)})")
    wanted = set(ids)
    return [s for s in sources if s.id in wanted or s.group in wanted]
