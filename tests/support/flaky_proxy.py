"""A switchable HTTP proxy in front of the test Elasticsearch: the store goes down and comes back.

Fault-injection tests point a crawl (a child process with the production client) at this
proxy. While it is *up* it forwards every request to the real test cluster (osmem-server),
rewriting the client's ``vnd.elasticsearch`` media types to plain JSON as
``tests/support/elastic.JsonHeadersNode`` does in-process; while it is *down* it closes each
connection without an answer, as a crashed or unreachable cluster would. ``down_for=(a, b)``
makes the requests numbered a..b-1 fail — the store going down mid-crawl and coming back —
without any timing in the test.
"""

from __future__ import annotations

import http.client
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+(x-ndjson|json)\s*;\s*compatible-with=\d+")
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade", "host",
               "content-length"}


class FlakyProxy:
    def __init__(self, target_url: str, down_for: tuple[int, int] | None = None):
        target = urlsplit(target_url)
        self.target = (target.hostname, target.port or 80)
        self.down = False
        self.down_for = down_for
        self.requests = 0
        self.refused = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                if not proxy._admit():
                    self.close_connection = True
                    self.connection.close()  # no answer at all: a dead cluster
                    return
                headers = {k: _COMPAT.sub(lambda m: "application/" + m.group(1), v)
                           for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                upstream = http.client.HTTPConnection(*proxy.target, timeout=60)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                finally:
                    upstream.close()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in HOP_HEADERS:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _admit(self) -> bool:
        with self._lock:
            self.requests += 1
            n = self.requests
            failing = self.down or (self.down_for is not None and self.down_for[0] <= n < self.down_for[1])
            if failing:
                self.refused += 1
            return not failing

    def __enter__(self) -> "FlakyProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
