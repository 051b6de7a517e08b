"""Serving the app over HTTP: uvicorn on httptools and uvloop, with a request-line fix for
raw UTF-8 targets.

curl sends ``curl '…/summary/regions?city=西安市'`` as raw UTF-8 bytes in the request
line; browsers percent-encode them first. Both of uvicorn's parsers (h11 and httptools'
llhttp) follow RFC 9112 strictly and answer ``400 Invalid HTTP request received.`` in
plain text, so the README's own examples failed. nginx and Apache accept such targets
and so does this server: before llhttp reads a request line, every byte ≥ 0x80 in that
line is percent-encoded — exactly what a browser would have sent — and the app sees the
same request either way. Any request llhttp still refuses gets a 400 in the API's JSON
error shape instead of plain text.

Why httptools and uvloop rather than uvicorn's pure-Python h11 and asyncio: measured side by
side at a million comments with 8 clients (``bench/serving.py``), the summaries' p95 fell
to 0.75× while the server's CPU per request stayed the same (0.97×): the parser and the loop
were not the cost (FastAPI's own per-request work is). The lower tail is kept; why the C
loop gives it was not measured.

Limitation, on purpose: only the request line is touched (never headers or bodies), and
only when it starts a fresh read; a raw-UTF-8 request pipelined behind another in one TCP
segment still gets the JSON 400. No client pipelines by default.
"""

from __future__ import annotations

import json
import re
import socket

import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# A request line longer than this is passed on unencoded (raw UTF-8 in it then gets the 400):
# the buffer waiting for a line's end stays bounded.
MAX_REQUEST_LINE = 64 * 1024


def percent_encode_high_bytes(line: bytes) -> bytes:
    """``GET /a?city=西安市 HTTP/1.1`` → ``GET /a?city=%E8%A5%BF… HTTP/1.1``."""
    return _HIGH_BYTE.sub(lambda m: b"%%%02X" % m.group()[0], line)


def bad_request_body(message: str) -> bytes:
    return json.dumps({"error": {"code": "bad_request", "message": message, "detail": None}}).encode()


class Utf8RequestLineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, accepting raw UTF-8 in request targets and answering a
    malformed request with the JSON error envelope."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._request_line = b""  # the start of a request line whose end has not arrived yet
        self._line_next = True  # the next byte received starts a request line

    # The parser calls these from inside feed_data: a message begun after the last one
    # completed (a pipelined request) means the next read does not start a request line.
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._line_next = False

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._line_next = True

    def data_received(self, data: bytes) -> None:
        if self._request_line or self._line_next:
            data = self._request_line + data
            end = data.find(b"\n")
            if end < 0 and len(data) < MAX_REQUEST_LINE:
                self._unset_keepalive_if_required()  # a request is arriving: no idle timeout
                self._request_line = data  # wait for the rest of the line
                return
            self._request_line = b""
            if end >= 0:
                data = percent_encode_high_bytes(data[:end]) + data[end:]
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        body = bad_request_body("malformed HTTP request: " + msg.rstrip(".")
                                + "; percent-encode the URL, e.g. curl -G --data-urlencode 'q=…'")
        head = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend([b"content-type: application/json\r\n", b"content-length: %d\r\n" % len(body),
                     b"connection: close\r\n\r\n"])
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on (taken, not allowed), or None when it can.
    Checked before any slow work (a demo crawl) so a taken port fails in a second."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def run(app, *, host: str, port: int, log_level: str = "info", workers: int = 1) -> None:
    """Serve ``app`` until Ctrl-C, with the request-line fix above. Several ``workers``:
    ``app`` is an import string of an app factory, which each worker process calls (uvicorn
    spawns them, so an app object cannot be handed over)."""
    uvicorn.run(app, host=host, port=port, log_level=log_level, http=Utf8RequestLineProtocol,
                workers=workers, factory=workers > 1)
