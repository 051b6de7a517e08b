"""Serving the app over HTTP: uvicorn with a request-line fix for raw UTF-8 targets.

curl sends ``curl '…/summary/regions?city=西安市'`` as raw UTF-8 bytes in the request
line; browsers percent-encode them first. Both of uvicorn's parsers (h11 and httptools'
llhttp) follow RFC 9112 strictly and answer ``400 Invalid HTTP request received.`` in
plain text, so the README's own examples failed. nginx and Apache accept such targets
and so does this server: before h11 reads a request line, every byte ≥ 0x80 in that line
is percent-encoded — exactly what a browser would have sent — and the app sees the same
request either way. Any request h11 still refuses gets a 400 in the API's JSON error
shape instead of plain text.

Limitation, on purpose: only the request line is touched (never headers or bodies), and
only when it starts a fresh read; a raw-UTF-8 request pipelined behind another in one TCP
segment still gets the JSON 400. No client pipelines by default.
"""

from __future__ import annotations

import json
import re
import socket

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# A request line longer than this is left to h11, which refuses it (its own limit is 16 KiB).
MAX_REQUEST_LINE = 64 * 1024


def percent_encode_high_bytes(line: bytes) -> bytes:
    """``GET /a?city=西安市 HTTP/1.1`` → ``GET /a?city=%E8%A5%BF… HTTP/1.1``."""
    return _HIGH_BYTE.sub(lambda m: b"%%%02X" % m.group()[0], line)


def bad_request_body(message: str) -> bytes:
    return json.dumps({"error": {"code": "bad_request", "message": message, "detail": None}}).encode()


class Utf8RequestLineProtocol(H11Protocol):
    """uvicorn's h11 protocol, accepting raw UTF-8 in request targets and answering a
    malformed request with the JSON error envelope."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._request_line = b""  # the start of a request line whose end has not arrived yet

    def _starts_request(self) -> bool:
        return self.conn.their_state is h11.IDLE and not self.conn.trailing_data[0]

    def data_received(self, data: bytes) -> None:
        if self._request_line or self._starts_request():
            data = self._request_line + data
            end = data.find(b"\n")
            if end < 0 and len(data) < MAX_REQUEST_LINE:
                self._request_line = data  # wait for the rest of the line
                return
            self._request_line = b""
            if end >= 0:
                data = percent_encode_high_bytes(data[:end]) + data[end:]
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        body = bad_request_body("malformed HTTP request: " + msg.rstrip(".")
                                + "; percent-encode the URL, e.g. curl -G --data-urlencode 'q=…'")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=body), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
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
