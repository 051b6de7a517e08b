"""The offline web's government sites: their settings and the gold data next to their pages.

Each site is a folder ``demo/web/gov/<id>/`` holding

* ``_site.yaml`` — name, CMS style, encoding, list path (see :class:`GovSite`);
* the pages, served at ``/gov/<id>/…`` (files and folders starting with ``_`` are never served);
* ``expected.yaml`` — one entry per detail page the site's lists lead to, with the values a
  careful reader would extract (see :class:`ExpectedAnnouncement`). Spider, store, API and
  analysis tests compare against it. It is not served either.

Conventions of the gold data: ``city`` is the prefecture-level city (张家港 → 苏州市, with
``district`` 张家港市); ``issuer`` is the body that signs the notice (for a republished notice,
the original issuer); an account's ``effective_date`` is the date the notice names, and the
publication date when it says 自即日起 / 自本公告发布之日起; ``body`` is the notice's text line by line
(paragraphs, table rows, signature), without title or anything around the article; ``successor`` is the named account
or app where the notice says the information will be found instead (a website alone is no
successor; null when the notice names none for that account); ``platforms`` lists every platform
the notice names, closed or not.

WeChat articles live under ``demo/web/mp/`` (served at ``/mp/s/…``); their gold entries sit in
the ``expected.yaml`` of the government site whose list links to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

WEB_ROOT = Path(__file__).resolve().parent / "web"
GOV_ROOT = WEB_ROOT / "gov"

PLATFORMS = ("wechat", "weibo", "douyin", "toutiao", "kuaishou", "bilibili", "app", "miniprogram")
ACTIONS = ("stop_updating", "deregister", "merge")


@dataclass(frozen=True)
class GovSite:
    id: str
    name: str
    style: str  # trs | jcms | asp
    encoding: str  # what goes on the wire: utf-8, gbk
    list_path: str  # URL path of the first list page
    declared_charset: str  # the charset named in <meta> and (when sent) the HTTP header
    charset_in_header: bool  # old IIS sites send a bare "text/html"
    server_header: str
    root: Path

    @property
    def url_prefix(self) -> str:
        return f"/gov/{self.id}/"

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)

    def content_type(self) -> str:
        return f"text/html; charset={self.declared_charset}" if self.charset_in_header else "text/html"


@dataclass(frozen=True)
class ExpectedAccount:
    name: str
    platform: str
    action: str  # stop_updating | deregister | merge
    effective_date: str | None
    successor: str | None


@dataclass(frozen=True)
class ExpectedAnnouncement:
    site: str
    path: str
    closure: bool
    title: str
    published_at: str
    issuer: str
    province: str
    city: str
    district: str | None
    platforms: tuple[str, ...]
    accounts: tuple[ExpectedAccount, ...]
    # The notice's text line by line (paragraphs, table rows as space-separated cells, the
    # signature): what an extracted body must hold in full and hold nothing beyond.
    body: tuple[str, ...] = ()


def _load_site(folder: Path) -> GovSite:
    raw = yaml.safe_load((folder / "_site.yaml").read_text(encoding="utf-8"))
    encoding = raw.get("encoding", "utf-8")
    return GovSite(
        id=folder.name,
        name=raw["name"],
        style=raw["style"],
        encoding=encoding,
        list_path=f"/gov/{folder.name}/{raw['list']}",
        declared_charset=raw.get("declared_charset", encoding),
        charset_in_header=raw.get("charset_in_header", True),
        server_header=raw.get("server_header", "nginx"),
        root=folder,
    )


@lru_cache(maxsize=1)
def _sites() -> tuple[GovSite, ...]:
    return tuple(_load_site(p.parent) for p in sorted(GOV_ROOT.glob("*/_site.yaml")))


def gov_sites() -> list[GovSite]:
    """Every government site of the offline web, ordered by id."""
    return list(_sites())


def gov_site(site_id: str) -> GovSite:
    for site in _sites():
        if site.id == site_id:
            return site
    raise KeyError(f"no government site {site_id!r} in {GOV_ROOT}")


def site_for_path(path: str) -> GovSite | None:
    """The site serving a URL path, or None outside /gov/<id>/."""
    for site in _sites():
        if path.startswith(site.url_prefix):
            return site
    return None


def load_expected(site_id: str) -> list[ExpectedAnnouncement]:
    """The gold entries of one site, in the order of its expected.yaml."""
    site = gov_site(site_id)
    raw = yaml.safe_load((site.root / "expected.yaml").read_text(encoding="utf-8")) or []
    return [_entry(site_id, item) for item in raw]


def all_expected() -> list[ExpectedAnnouncement]:
    return [entry for site in _sites() for entry in load_expected(site.id)]


def _entry(site_id: str, item: dict) -> ExpectedAnnouncement:
    accounts = tuple(
        ExpectedAccount(a["name"], a["platform"], a["action"], _iso(a.get("effective_date")), a.get("successor"))
        for a in item.get("accounts") or []
    )
    return ExpectedAnnouncement(
        site=site_id,
        path=item["path"],
        closure=bool(item["closure"]),
        title=item["title"],
        published_at=_iso(item["published_at"]) or "",
        issuer=item["issuer"],
        province=item["province"],
        city=item["city"],
        district=item.get("district"),
        platforms=tuple(item.get("platforms") or ()),
        accounts=accounts,
        body=tuple(str(line) for line in item.get("body") or ()),
    )


def _iso(value: object) -> str | None:
    # YAML reads a bare 2024-05-10 as a date; the gold data compares as ISO strings.
    return None if value is None else str(value)


def reset_cache() -> None:
    """Forget loaded site settings (for tests that write sites of their own)."""
    _sites.cache_clear()
