"""The list-page layout corpus: list pages in the shapes of real Chinese government CMS
families, written by ``demo/build_layouts.py`` into ``demo/web/layouts/`` with their gold.

Separate from the nine demo sites (``demo/web/gov/``): those are whole sites with closure
notices to find; these are many small sites whose only question is *which links of a list
page are notices and which lead to further list pages*. Each layout is built three times,
with 1, 3 and 20 rows on its first page (the 20-row one has a second, last page of 4 rows),
under ``/layouts/<layout>/r<rows>/`` — a site root whose home link is the scope of a crawl.

Every page carries the furniture real pages carry: a nav bar whose items may be as long as a
headline (优化营商环境, 政府信息公开年报), a breadcrumb, a sidebar of "related"/hot links (in some
layouts dated and pointing at article-shaped URLs of other columns), 友情链接, a footer; the
articles carry 上一篇/下一篇. Gold (``demo/web/layouts/_gold.yaml``, never served): for every
list page, the notice URLs and the further list pages; for every layout, its family and
whether it is *held out* (never looked at while tuning the classifier).

The templates are written from what real pages of these families look like (TRS WCM's
``createPageHTML``, 大汉 JCMS's CDATA datastore and ``dataproxy.jsp``, 集约化 platforms'
``content/post_N.html``, 浙江 ``/art/Y/M/D/art_C_N.html``, 成都 ``column-index-N.shtml``,
博达 VSB ``info/C/N.htm``, old ASP ``show_N.asp`` in GBK) — written here, not copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VARIANT_ROWS = (1, 3, 20)
# The 20-row variant continues on a second, last page with this many rows.
LAST_PAGE_ROWS = 4


@dataclass(frozen=True)
class Row:
    """One notice of a list: its title, date and where it lives (path under the site root)."""

    title: str
    date: str  # 2024-05-10
    path: str  # site-relative, e.g. "tzgg/202405/t20240510_100001.html"
    closure: bool
    index: int


@dataclass
class Built:
    """What a layout produces for one variant: files (site-relative path → text) and gold."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    # list page (site-relative path, with query if any) → notice paths and further list pages
    lists: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    start: str = ""
