"""Render the offline government sites from their sources: ``python -m demo.build_gov``.

Sources, per site folder ``demo/web/gov/<id>/``:

* ``_site.yaml`` — the site (name, CMS style, encoding, list path, footer facts, page size);
* ``_notices.yaml`` — its notices: text, dates, and the gold values a reader would extract.

Output: the list and detail pages in the site's CMS idiom (TRS ``index_N.html`` +
``createPageHTML``, JCMS column page + ``_jpage/<column>.yaml`` for the dataproxy app, ASP
``_asp/`` pages for the asp app), WeChat articles under ``demo/web/mp/s/`` for notices that
carry ``wechat:``, and ``expected.yaml``. The rendered files are committed, so tests never
run this; rerun it after editing a source and commit both.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from datetime import datetime
from pathlib import Path

import yaml
from lxml import html as lxml_html

from demo import gov_templates as t
from demo.apps.jcms import datastore_xml
from demo.sites import ACTIONS, GOV_ROOT, PLATFORMS, WEB_ROOT
from core.vocabulary import BEIJING

MP_ROOT = WEB_ROOT / "mp" / "s"
SIDEBAR_SIZE = 5


class Notice:
    """One notice of ``_notices.yaml`` with the URL path it is published at."""

    def __init__(self, raw: dict, site_id: str, site: dict) -> None:
        self.raw = raw
        self.id = str(raw["id"])
        self.date = str(raw["date"])
        self.title: str = raw["title"]
        self.wechat: dict | None = raw.get("wechat")
        self.trap = bool(raw.get("robots_trap"))
        self.path = self._path(site_id, site)

    def _path(self, site_id: str, site: dict) -> str:
        y, m, d = self.date.split("-")
        root = f"/gov/{site_id}/"
        if self.wechat:
            token = base64.urlsafe_b64encode(hashlib.sha256(f"{site_id}:{self.id}".encode()).digest())[:22]
            return f"/mp/s/{token.decode()}"
        if self.trap:
            return f"{root}internal/{y}{m}/t{y}{m}{d}_{self.id}.html"
        style = site["style"]
        if style == "trs":
            return f"{root}{site['list']}{y}{m}/t{y}{m}{d}_{self.id}.html"
        if style == "jcms":
            return f"{root}art/{int(y)}/{int(m)}/{int(d)}/art_{site['column_id']}_{self.id}.html"
        return f"{root}ShowArticle.asp?ArticleID={self.id}"

    def page(self, site: dict) -> t.Page:
        paragraphs = [p.strip() for p in self.raw["body"].strip().split("\n") if p.strip()]
        return t.Page(title=self.title, date=self.date, time=str(self.raw.get("time", "09:00")),
                      source=self.raw.get("source", self.raw["issuer"]), column=site["column"],
                      paragraphs=paragraphs, sign=list(self.raw.get("sign") or []),
                      attachments=list(self.raw.get("attachments") or []))

    def link(self, relative_to: str | None = None, date_format: str = "iso") -> t.Link:
        href = self.path
        if relative_to and href.startswith(relative_to):
            href = "./" + href[len(relative_to):]
        date = self.date
        if date_format == "asp":
            y, m, d = self.date.split("-")
            date = f"{y}-{int(m)}-{int(d)}"
        return t.Link(href, self.raw.get("list_title", self.title), date)

    def body_lines(self) -> list[str]:
        """The notice's text as a reader sees it: its paragraphs (a table one line per row,
        cells separated by spaces) and the signature lines, without title, info line or
        anything around the article. Tests hold extracted bodies against it."""
        lines: list[str] = []
        for para in (p.strip() for p in self.raw["body"].strip().split("\n")):
            if not para:
                continue
            if not para.startswith("<"):
                lines.append(para)
                continue
            fragment = lxml_html.fragment_fromstring(para, create_parent="div")
            rows = fragment.xpath(".//tr") or [fragment]
            for row in rows:
                cells = [" ".join(c.text_content().split()) for c in row.xpath("./th|./td")] or [row.text_content()]
                text = " ".join(c for c in cells if c).strip()
                if text:
                    lines.append(text)
        return lines + [str(line) for line in self.raw.get("sign") or []]

    def expected(self) -> dict:
        province, city, district = (list(self.raw["place"]) + [None])[:3]
        entry = {"path": self.path, "closure": bool(self.raw["closure"]), "title": self.title,
                 "published_at": self.date, "issuer": self.raw["issuer"], "province": province,
                 "city": city, "district": district, "platforms": list(self.raw.get("platforms") or [])}
        entry["body"] = self.body_lines()
        if entry["closure"]:
            entry["accounts"] = [
                {"name": a["name"], "platform": a["platform"], "action": a["action"],
                 "effective_date": None if a.get("effective_date") is None else str(a["effective_date"]),
                 "successor": a.get("successor")} for a in self.raw["accounts"]]
        _check(entry)
        return entry


def _check(entry: dict) -> None:
    where = entry["path"]
    unknown = set(entry["platforms"]) - set(PLATFORMS)
    if unknown:
        raise ValueError(f"{where}: unknown platforms {unknown}")
    for account in entry.get("accounts", []):
        if account["action"] not in ACTIONS or account["platform"] not in PLATFORMS:
            raise ValueError(f"{where}: bad account {account}")
        if account["platform"] not in entry["platforms"]:
            raise ValueError(f"{where}: account platform {account['platform']} missing from platforms")
    if entry["closure"] and not entry.get("accounts"):
        raise ValueError(f"{where}: a closure names at least one account")


def _write(path: Path, text: str, encoding_check: str | None = None) -> None:
    if encoding_check:
        text.encode(encoding_check)  # fail the build, not the crawl, on an unencodable character
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def build_site(folder: Path) -> int:
    site = yaml.safe_load((folder / "_site.yaml").read_text(encoding="utf-8"))
    raw_notices = yaml.safe_load((folder / "_notices.yaml").read_text(encoding="utf-8"))
    notices = [Notice(n, folder.name, site) for n in raw_notices]
    notices.sort(key=lambda n: n.date, reverse=True)  # lists show the newest first (stable for ties)
    root = f"/gov/{folder.name}/"
    check = "gb2312" if site.get("encoding", "utf-8") != "utf-8" else None
    for generated in ("art", "col", "_jpage", "_asp", "internal", "module", site.get("list", "").split("/")[0]):
        if generated and (folder / generated).is_dir():
            shutil.rmtree(folder / generated)
    real = [n for n in notices if not n.trap]
    side = lambda n: [o.link() for o in real if o is not n and not o.wechat][:SIDEBAR_SIZE]  # noqa: E731
    _write(folder / "index.html", _home(site, root, [n.link() for n in notices[:8]]), check)

    style = site["style"]
    per_page = int(site["per_page"])
    if style == "trs":
        list_dir = root + site["list"]
        pages = _chunks(notices, per_page)
        for i, chunk in enumerate(pages):
            name = "index.html" if i == 0 else f"index_{i}.html"
            html = t.trs_list(site, root, [n.link(list_dir) for n in chunk], side(None), i, len(pages))
            _write(folder / site["list"] / name, html)
        for i, n in enumerate(notices):
            if n.wechat:
                continue
            prev = notices[i - 1].link() if i > 0 else None
            nxt = notices[i + 1].link() if i + 1 < len(notices) else None
            _write(WEB_ROOT / n.path.lstrip("/"), t.trs_detail(site, root, n.page(site), side(n), prev, nxt))
    elif style == "jcms":
        column_id = str(site["column_id"])
        records = [t.jcms_record(n.link()) for n in notices]
        _write(folder / "_jpage" / f"{column_id}.yaml",
               yaml.safe_dump({"records": records}, allow_unicode=True, width=10_000))
        next_group = f"{root}module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={column_id}&unitid=1"
        store = datastore_xml(records[:per_page], len(records), next_group)
        _write(folder / "col" / f"col{column_id}" / "index.html",
               t.jcms_column(site, root, store, side(None), column_id, per_page, len(records)))
        _write(folder / "module" / "web" / "jpage" / "jpage.js", JPAGE_JS)
        for n in notices:
            if not n.wechat:
                index_no = f"{site['site_code']}/{n.date[:4]}-{n.id[-5:]}"
                _write(WEB_ROOT / n.path.lstrip("/"),
                       t.jcms_detail(site, root, n.page(site), side(n), column_id, n.raw["issuer"], index_no))
    else:
        class_id = str(site["class_id"])
        pages = _chunks(notices, per_page)
        asp_side = lambda n: [t.Link(l.href.replace(root, ""), l.text) for l in side(n)]  # noqa: E731
        for i, chunk in enumerate(pages, start=1):
            links = [t.Link(l.href.replace(root, ""), l.text, l.date)
                     for l in (n.link(date_format="asp") for n in chunk)]
            _write(folder / "_asp" / f"list_{class_id}_{i}.html",
                   t.asp_list(site, root, links, asp_side(None), class_id, i, len(pages), len(notices)), check)
        for n in notices:
            if not n.wechat:
                _write(folder / "_asp" / f"article_{n.id}.html",
                       t.asp_detail(site, root, n.page(site), asp_side(n), class_id), check)
    for n in notices:
        if n.wechat:
            when = datetime.fromisoformat(f"{n.date}T{n.raw.get('time', '18:00')}").replace(tzinfo=BEIJING)
            _write(MP_ROOT / n.path.rsplit("/", 1)[1],
                   t.wechat_article(n.page(site), n.wechat["account"], n.wechat["region"], int(when.timestamp()),
                                    n.wechat["user"]))
    expected = [n.expected() for n in real]
    header = "# Gold values for the detail pages this site's lists lead to. Generated by demo/build_gov.py.\n"
    _write(folder / "expected.yaml", header + yaml.safe_dump(expected, allow_unicode=True, sort_keys=False, width=200))
    return len(expected)


def _home(site: dict, root: str, latest: list[t.Link]) -> str:
    list_href = root + site["list"]
    charset = t.ASP_META if site["style"] == "asp" else '<meta charset="utf-8">'
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>{charset}<title>{t.e(site['name'])}</title>{t.STYLE_CSS}</head>
<body>{t.header(site, root)}
<div class="wrap main"><div class="list"><h2><a href="{t.e(list_href)}">{t.e(site['column'])}</a></h2>
{t.links_ul(latest)}<p><a href="{t.e(list_href)}">更多&gt;&gt;</a></p></div></div>
{t.footer(site, site['style'])}</body></html>
"""


JPAGE_JS = """/* jpage: renders a JCMS column's datastore and fetches further groups from dataproxy.jsp */
function jpage(opt) {
  var box = document.getElementById(opt.target);
  var xml = box.querySelector('script[type="text/xml"]').textContent;
  var records = [];
  function read(text) {
    var re = /<record><!\\[CDATA\\[([\\s\\S]*?)\\]\\]><\\/record>/g, m, out = [];
    while ((m = re.exec(text))) { out.push(m[1]); }
    return out;
  }
  function show(page) {
    var start = (page - 1) * opt.perPage, pages = Math.ceil(opt.totalRecord / opt.perPage);
    var render = function () {
      var html = '<ul class="xxgk_list">' + records.slice(start, start + opt.perPage).join('') + '</ul><div class="page">';
      for (var i = 1; i <= pages; i++) { html += i == page ? '<span class="cur">' + i + '</span> ' : '<a href="#" data-p="' + i + '">' + i + '</a> '; }
      list.innerHTML = html + '</div>';
    };
    if (records.length >= Math.min(start + opt.perPage, opt.totalRecord)) { render(); return; }
    var q = Object.keys(opt.params).map(function (k) { return k + '=' + encodeURIComponent(opt.params[k]); }).join('&');
    fetch(opt.proxyUrl + '?startrecord=' + (records.length + 1) + '&endrecord=' + (start + opt.perPage) + '&perpage=' + opt.perPage + '&' + q)
      .then(function (r) { return r.text(); }).then(function (text) { records = records.concat(read(text)); render(); });
  }
  var list = document.createElement('div');
  box.appendChild(list);
  list.addEventListener('click', function (ev) { var p = ev.target.getAttribute('data-p'); if (p) { ev.preventDefault(); show(+p); } });
  records = read(xml);
  show(1);
}
"""


def main() -> None:
    if MP_ROOT.is_dir():
        shutil.rmtree(MP_ROOT)
    for source in sorted(GOV_ROOT.glob("*/_notices.yaml")):
        count = build_site(source.parent)
        print(f"{source.parent.name}: {count} detail pages")


if __name__ == "__main__":
    main()
