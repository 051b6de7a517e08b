"""Old ASP sites (动易-style ``list.asp?classid=…&page=N`` and ``ShowArticle.asp?ArticleID=…``).

The pages are pre-rendered files under ``demo/web/gov/<site>/_asp/``:
``list_<classid>_<page>.html`` and ``article_<ArticleID>.html``; they go out in the site's
encoding (GBK for these sites), with the bare ``text/html`` header IIS 6 sends, so a client
must read the charset from the page's ``<meta http-equiv>``. A missing page, a page number
past the end or a non-numeric id gets the site's 404 page, as such sites answer.
"""

from __future__ import annotations

from demo.apps import DemoRequest, DemoResponse, not_found
from demo.sites import gov_sites, site_for_path

_ASP_SITES = [site for site in gov_sites() if site.style == "asp"]
PREFIX = tuple(f"{site.url_prefix}{page}" for site in _ASP_SITES for page in ("list.asp", "ShowArticle.asp"))


def handle(request: DemoRequest) -> DemoResponse:
    site = site_for_path(request.path)
    assert site is not None
    page = request.path[len(site.url_prefix):]
    if page == "list.asp":
        class_id = request.arg("classid", "") or ""
        number = request.int_arg("page", 1)
        name = f"list_{class_id}_{number}.html"
    elif page == "ShowArticle.asp":
        name = f"article_{request.arg('ArticleID', '')}.html"
    else:
        return not_found()
    source = site.root / "_asp" / name
    if not name.replace("_", "").replace(".", "").isalnum() or not source.is_file():
        return not_found()
    body = site.encode(source.read_text(encoding="utf-8"))
    return DemoResponse(200, {"Content-Type": site.content_type(), "Server": site.server_header,
                              "X-Powered-By": "ASP.NET"}, body)
