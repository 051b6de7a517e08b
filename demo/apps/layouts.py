"""The list-page layout corpus (``/layouts/…``, written by ``demo/build_layouts.py``).

Static, except that the URL's query picks the file, as it does on the CMSs the layouts
imitate: ``list.asp?classid=12&page=2``, ``index.html?uid=4818&pageNum=2``,
``dataproxy.jsp?…&startrecord=21&…``. A page with a query is stored as
``<file>__<k=v;k=v>``; a request is answered with the stored file whose pairs are all in
the request's query (the real CMSs also ignore parameters they do not need), else with the
plain file. Pages go out as stored, with a bare ``text/html`` (the GBK ASP layout's pages
name their charset only in ``<meta>``, as old IIS sites do).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from demo.apps import DemoRequest, DemoResponse, not_found, redirect
from demo.sites import WEB_ROOT

PREFIX = "/layouts/"
ROOT = WEB_ROOT / "layouts"


def _stored(target: Path, query: dict[str, list[str]]) -> Path | None:
    asked = {(k, v) for k, values in query.items() for v in values}
    best, best_size = None, -1
    for candidate in target.parent.glob(target.name + "__*"):
        pairs = {tuple(p.split("=", 1)) for p in candidate.name.split("__", 1)[1].split(";") if "=" in p}
        if pairs <= asked and len(pairs) > best_size:
            best, best_size = candidate, len(pairs)
    if best is None and target.is_file():
        return target
    return best


def handle(request: DemoRequest) -> DemoResponse:
    parts = [p for p in request.path[len(PREFIX):].split("/") if p]
    if any(p.startswith((".", "_")) or "__" in p for p in parts):
        return not_found()
    target = ROOT.joinpath(*parts)
    if target.is_dir():
        if not request.path.endswith("/"):
            return redirect(request.path + "/", 301)
        target = target / "index.html"
    found = _stored(target, request.query) if request.query else (target if target.is_file() else None)
    if found is None:
        return not_found()
    body = found.read_bytes()
    guessed = mimetypes.guess_type(found.name)[0]
    if guessed and not guessed.startswith("text/"):
        content_type = guessed  # an attachment (files/notice.pdf), for `yuqing explain`'s errors
    else:
        content_type = "text/xml; charset=utf-8" if body.lstrip().startswith(b"<?xml") else "text/html"
    return DemoResponse(200, {"Content-Type": content_type}, body)
