"""The offline web: a small HTTP server replaying the sites yuqing crawls, on 127.0.0.1.

    with OfflineWeb() as web:          # a free port, served from a daemon thread
        web.base_url                   # "http://127.0.0.1:PORT"
        web.gov_start_urls()           # the first list page of every government site
        web.requests                   # every path (with query) served so far

Run it in the foreground with ``python -m demo.server --port 8765``.

What it serves, in order:
1. dynamic apps from ``demo/apps/`` (see that package's docstring for the contract);
2. ``/robots.txt`` (``demo/web/robots.txt``);
3. static files under ``demo/web/`` at the same paths; a folder serves its ``index.html``
   (and a folder URL without its trailing slash is redirected, as nginx and IIS do);
   files of a government site are sent in that site's encoding (``_site.yaml``), so the
   GBK site's UTF-8 sources go out as GBK bytes;
4. otherwise a 404 page. Files and folders starting with ``_`` or ``.`` and the gold files
   (``expected.yaml``) are never served.

Failure injection for tests: ``web.fail(prefix, status=503, times=1)`` makes the next
``times`` requests under ``prefix`` answer ``status`` (a flaky upstream, a WAF block).
"""

from __future__ import annotations

import argparse
import mimetypes
import threading
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from demo.apps import NOT_FOUND_PAGE, App, DemoRequest, DemoResponse, discover_apps, route
from demo.sites import WEB_ROOT, gov_sites, site_for_path

HIDDEN_FILES = frozenset({"expected.yaml"})


_SERVER_ERROR = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{status} 服务暂不可用</title></head>
<body><h1>{status}</h1><p>服务器繁忙，请稍后再试。</p></body></html>
"""


@dataclass
class _Failure:
    prefix: str
    status: int
    remaining: int


class OfflineWeb:
    """The offline web on ``host:port`` (port 0 picks a free one), served from a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, root: Path = WEB_ROOT) -> None:
        self.host = host
        self.port = port
        self.root = root
        self.apps: list[App] = discover_apps()
        self._lock = threading.Lock()
        self._requests: list[str] = []
        self._failures: list[_Failure] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> OfflineWeb:
        if self._httpd is not None:
            return self
        handler = type("Handler", (_Handler,), {"web": self})
        httpd = ThreadingHTTPServer((self.host, self.port), handler)
        httpd.daemon_threads = True
        # Keep-alive connections a crawler leaves open must not block stop().
        httpd.block_on_close = False
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(target=httpd.serve_forever, name="offline-web", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd = None
        self._thread = None

    def __enter__(self) -> OfflineWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests and the demo ask -----------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def gov_start_urls(self) -> list[str]:
        """The first list page of every government site."""
        return [self.url(site.list_path) for site in gov_sites()]

    @property
    def requests(self) -> list[str]:
        """Every request path (with its query string) served so far, in order (a copy)."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def fail(self, prefix: str, status: int = 503, times: int = 1) -> None:
        """Answer the next ``times`` requests whose path starts with ``prefix`` with ``status``."""
        with self._lock:
            self._failures.append(_Failure(prefix, status, times))

    # -- used by the handler -------------------------------------------------------------
    def _record(self, target: str) -> None:
        with self._lock:
            self._requests.append(target)

    def _injected_failure(self, path: str) -> int | None:
        with self._lock:
            for failure in self._failures:
                if failure.remaining > 0 and path.startswith(failure.prefix):
                    failure.remaining -= 1
                    return failure.status
        return None

    def respond(self, request: DemoRequest) -> DemoResponse:
        status = self._injected_failure(request.path)
        if status is not None:
            return _page(_SERVER_ERROR.format(status=status), status)
        app = route(self.apps, request.path)
        if app is not None:
            return app.handle(request)
        if request.path == "/robots.txt":
            return DemoResponse(200, {"Content-Type": "text/plain; charset=utf-8"},
                                (self.root / "robots.txt").read_bytes())
        return self._static(request.path)

    def _static(self, path: str) -> DemoResponse:
        parts = [p for p in path.split("/") if p]
        if any(p.startswith((".", "_")) or p in HIDDEN_FILES for p in parts):
            return _page(NOT_FOUND_PAGE, 404)
        target = self.root.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                return DemoResponse(301, {"Location": path + "/"}, b"")
            target = target / "index.html"
        if not target.is_file():
            return _page(NOT_FOUND_PAGE, 404)
        site = site_for_path(path)
        content_type = mimetypes.guess_type(target.name)[0]
        if content_type is None:
            # WeChat article URLs (/mp/s/<token>) have no extension but are pages.
            content_type = "text/html" if not target.suffix else "application/octet-stream"
        if content_type == "text/html" and site is not None:
            body = site.encode(target.read_text(encoding="utf-8"))
            return DemoResponse(200, {"Content-Type": site.content_type(), "Server": site.server_header}, body)
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        return DemoResponse(200, {"Content-Type": content_type}, target.read_bytes())


def _page(html: str, status: int) -> DemoResponse:
    return DemoResponse(status, {"Content-Type": "text/html; charset=utf-8"}, html.encode("utf-8"))


class _Handler(BaseHTTPRequestHandler):
    web: OfflineWeb
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_POST(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        self.web._record(self.path)
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = parse_qs(parts.query, keep_blank_values=True)
        if body and "form-urlencoded" in (self.headers.get("Content-Type") or ""):
            for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                query.setdefault(key, []).extend(values)
        request = DemoRequest(self.command, unquote(parts.path), query, dict(self.headers.items()), body)
        try:
            response = self.web.respond(request)
        except Exception:  # a broken app is a 500, as on the real web; the trace goes to stderr
            traceback.print_exc()
            response = _page(_SERVER_ERROR.format(status=500), 500)
        self._server_name = response.headers.get("Server", "nginx")
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() != "server":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def version_string(self) -> str:
        # Old sites announce themselves (IIS for the ASP site); the rest look like nginx.
        return getattr(self, "_server_name", "nginx")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # tests read web.requests; a line per request would drown pytest output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the offline web in the foreground.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    args = parser.parse_args(argv)
    try:
        web = OfflineWeb(args.host, args.port).start()
    except OSError as exc:  # the port is taken (another offline web, a demo) or not ours to bind
        parser.exit(2, f"cannot serve the offline web on {args.host}:{args.port}: {exc.strerror or exc}; "
                       "choose another port, or --port 0 for any free one\n")
    print(f"offline web at {web.base_url}/", flush=True)
    for url in web.gov_start_urls():
        print(f"  {url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()


if __name__ == "__main__":
    main()
