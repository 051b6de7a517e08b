"""Write the list-page layout corpus into ``demo/web/layouts/`` (see ``demo/layouts``).

    python -m demo.build_layouts          # rewrites demo/web/layouts/ and its _gold.yaml

Every layout × variant (1, 3, 20 rows) becomes a small site under
``/layouts/<layout>/r<rows>/``: its list page(s), the notices they link to, and nothing else
(nav, sidebar and footer links lead to pages that do not exist, as a crawler that follows
them finds out with a 404). Pages whose URL has a query (``?page=2``, ``dataproxy.jsp?…``)
are stored as ``<file>__<k=v;k=v>`` and served by ``demo/apps/layouts.py``. The gold file
``_gold.yaml`` (never served) lists, per list page, its notices and its further list pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qsl

import yaml

from demo.layouts import LAST_PAGE_ROWS, VARIANT_ROWS, Row
from demo.layouts.articles import render_article
from demo.layouts.families_a import FAMILIES_A
from demo.layouts.families_b import FAMILIES_B
from demo.layouts.frame import Family, ListContext

LAYOUT_ROOT = Path(__file__).resolve().parent / "web" / "layouts"
GOLD_FILE = LAYOUT_ROOT / "_gold.yaml"
FAMILIES: list[Family] = [*FAMILIES_A, *FAMILIES_B]

CLOSURE_TITLE = "关于“某某发布”微信公众号停止更新的公告"
TITLES = ["关于2024年城乡居民医疗保险集中参保缴费的通知", "关于开展2024年度安全生产大检查的公告",
          "关于公布第二批区级非物质文化遗产代表性项目名录的通知", "关于做好2024年防汛抗旱工作的通知",
          "关于征集2024年民生实事项目建议的公告", "关于调整部分公交线路运营时间的通告",
          "关于举办2024年第二期创业培训班的通知", "关于2024年区级财政预算公开的说明",
          "关于开展全国文明城市创建志愿服务活动的倡议书", "关于公布2024年度区级重点建设项目名单的通知",
          "关于进一步加强城市生活垃圾分类管理的通告", "关于开展2024年度企业年报公示工作的提示"]


def storage_name(path: str) -> str:
    """``news/list.asp?classid=12&page=2`` → ``news/list.asp__classid=12;page=2``; a folder → its index.html."""
    base, _, query = path.partition("?")
    if base.endswith("/") or not base:
        base += "index.html"
    if not query:
        return base
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return base + "__" + ";".join(f"{k}={v}" for k, v in pairs)


def make_rows(family: Family, total: int) -> list[Row]:
    rows = []
    for i in range(total):
        day = 28 - i  # newest first: 2024-05-28, -27, …
        date = f"2024-05-{day:02d}" if day > 0 else f"2024-04-{30 + day:02d}"
        title = CLOSURE_TITLE if i == 0 else TITLES[(i - 1) % len(TITLES)] + ("" if i <= len(TITLES) else f"（{i}）")
        rows.append(Row(title, date, family.article_path(i, date), i == 0, i))
    return rows


def _encode(text: str, family: Family) -> str | bytes:
    if family.encoding == "utf-8":
        return text
    return text.replace('<meta charset="utf-8">', '<meta charset="gb2312">').encode(family.encoding, errors="xmlcharrefreplace")


def build_variant(family: Family, style: int, rows_first: int) -> tuple[dict[str, str | bytes], dict]:
    root = f"/layouts/{family.id}/r{rows_first}/"
    paged = family.paged and rows_first == max(VARIANT_ROWS)
    rows = make_rows(family, rows_first + (LAST_PAGE_ROWS if paged else 0))
    chunks = [rows[:rows_first], rows[rows_first:]] if paged else [rows]
    files: dict[str, str | bytes] = {}
    lists: dict[str, dict] = {}
    for n, chunk in enumerate(chunks):
        ctx = ListContext(root, chunk, n, len(chunks), len(rows), style, family)
        render = family.render_later if (n and family.render_later) else family.render
        files[storage_name(family.page_path(n))] = _encode(render(ctx), family)
        lists[root + family.page_path(n)] = {
            "notices": [root + r.path for r in chunk],
            "next_pages": [root + family.page_path(n + 1)] if n + 1 < len(chunks) else [],
        }
    template = family.article_template
    for k, row in enumerate(rows):
        prev = rows[k - 1] if k else None
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        t = template if template == 8 else (template + k) % 10 if (template + k) % 10 != 8 else 9
        files[storage_name(row.path)] = _encode(render_article(t, row, root, prev, nxt), family)
    gold = {"layout": family.id, "rows": rows_first, "start": root + family.page_path(0), "root": root,
            "closures": [root + r.path for r in rows if r.closure], "lists": lists}
    return files, gold


def build(target: Path = LAYOUT_ROOT) -> dict:
    if target.exists():
        shutil.rmtree(target)
    variants = []
    for style, family in enumerate(FAMILIES):
        for rows_first in VARIANT_ROWS:
            files, gold = build_variant(family, style, rows_first)
            for name, content in files.items():
                path = target / family.id / f"r{rows_first}" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content, encoding="utf-8")
            variants.append(gold)
    # Pages that are not pages, for `yuqing explain`'s one-line errors: an attachment and a
    # corrupt page sent as text/html (NUL bytes, as a truncated upload looks).
    files = target / "files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "notice.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n\x00\x01\x02trailer<<>>\n%%EOF\n")
    (files / "broken.html").write_bytes(b"\x00\x00\x00\x1fPK\x03\x04" + bytes(range(256)) * 4)
    gold = {
        "layouts": {f.id: {"cms": f.cms, "description": f.description, "held_out": f.held_out} for f in FAMILIES},
        "variants": variants,
    }
    GOLD = target / "_gold.yaml"
    GOLD.write_text("# Written by `python -m demo.build_layouts`; do not edit by hand.\n"
                    + yaml.safe_dump(gold, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return gold


if __name__ == "__main__":
    built = build()
    pages = sum(len(v["lists"]) for v in built["variants"])
    print(f"wrote {len(built['layouts'])} layouts, {len(built['variants'])} variants, {pages} list pages "
          f"into {LAYOUT_ROOT}")
