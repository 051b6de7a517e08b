"""Dynamic parts of the offline web, one module per app.

The contract (kept small so that a new app is one file):

* A module ``demo/apps/<name>.py`` defines

  - ``PREFIX``: a URL path prefix such as ``"/weibo/api/"``, or a tuple of prefixes;
  - ``handle(request: DemoRequest) -> DemoResponse``.

* :func:`discover_apps` imports every such module (modules whose name starts with ``_``
  are skipped) and the server routes each request whose path starts with one of an
  app's prefixes to that app; when prefixes overlap, the longest one wins. Apps take
  precedence over static files and over ``/robots.txt``.
* ``request.path`` is the URL path without the query (percent-decoded); ``request.query``
  is ``urllib.parse.parse_qs`` of the query string (values are lists, blank values kept).
  For a form POST, the form fields are merged into ``query`` as well, and the raw bytes
  are in ``request.body``.
* An exception raised by ``handle`` becomes a 500 page (and is re-raised in the server
  log), just as a broken backend looks to a crawler on the real web.

Helpers below build the common responses: :func:`json_response`, :func:`html_response`,
:func:`text_response`, :func:`redirect` and :func:`not_found`.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[["DemoRequest"], "DemoResponse"]


@dataclass
class DemoRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of a query parameter, or ``default`` when absent."""
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int) -> int:
        """A query parameter as int; ``default`` when absent or not a number (as lenient
        as the JSP and PHP backends real sites run)."""
        value = self.arg(name)
        try:
            return int(value) if value is not None else default
        except ValueError:
            return default


@dataclass
class DemoResponse:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> DemoResponse:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return DemoResponse(status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, body)


def html_response(html: str, status: int = 200, encoding: str = "utf-8",
                  headers: dict[str, str] | None = None) -> DemoResponse:
    return DemoResponse(status, {"Content-Type": f"text/html; charset={encoding}", **(headers or {})},
                        html.encode(encoding))


def text_response(text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8",
                  encoding: str = "utf-8") -> DemoResponse:
    return DemoResponse(status, {"Content-Type": content_type}, text.encode(encoding))


def redirect(location: str, status: int = 302) -> DemoResponse:
    return DemoResponse(status, {"Location": location, "Content-Type": "text/html; charset=utf-8"},
                        f'<a href="{location}">moved</a>'.encode("utf-8"))


# The offline web's ordinary 404 page: apps answer with it, and so do static files (demo/server.py).
NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title>
<style>body{font-family:"Microsoft YaHei",sans-serif;text-align:center;color:#555;padding-top:80px}
h1{font-size:64px;color:#c00;margin:0}</style></head>
<body><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>
<p><a href="/">返回首页</a></p></body></html>
"""


def not_found() -> DemoResponse:
    """The offline web's ordinary 404 page (the same one static files get)."""
    return html_response(NOT_FOUND_PAGE, status=404)


@dataclass(frozen=True)
class App:
    name: str
    prefixes: tuple[str, ...]
    handle: Handler


def discover_apps() -> list[App]:
    """Every app module in this package, ordered so that longer prefixes are tried first."""
    apps: list[App] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        prefix = getattr(module, "PREFIX", None)
        handle = getattr(module, "handle", None)
        if prefix is None or handle is None:
            continue  # a helper module shared by apps, not an app itself
        prefixes = (prefix,) if isinstance(prefix, str) else tuple(prefix)
        apps.append(App(info.name, prefixes, handle))
    return apps


def route(apps: list[App], path: str) -> App | None:
    """The app owning ``path``: the one with the longest matching prefix."""
    best: tuple[int, App] | None = None
    for app in apps:
        for prefix in app.prefixes:
            if path.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), app)
    return best[1] if best else None
