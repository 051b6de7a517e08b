"""The serving protocol (api/http_server.py) over real sockets: raw UTF-8 request lines are
percent-encoded however the bytes arrive, and nothing else a client sends is touched.

The app is an echo, so each test sees exactly what reached the app; yuqing's own app
behind this protocol is exercised by tests/test_readme_examples.py."""

from __future__ import annotations

import json
import socket
import time

import pytest

from api.http_server import Utf8RequestLineProtocol
from tests.support.serving import served_in_thread


async def echo(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    answer = json.dumps({"path": scope["path"], "raw_path": scope["raw_path"].decode("latin-1"),
                         "query": scope["query_string"].decode("latin-1"),
                         "body": body.decode("utf-8", "replace")}).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]})
    await send({"type": "http.response.body", "body": answer})


@pytest.fixture(scope="module")
def port():
    with served_in_thread(echo, http=Utf8RequestLineProtocol) as port:
        yield port


def read_responses(sock: socket.socket, count: int) -> list[tuple[bytes, bytes]]:
    """``count`` responses (head, body) read off a keep-alive connection."""
    buffer, out = b"", []
    while len(out) < count:
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {len(out)} responses: {buffer[:200]!r}"
            buffer += chunk
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        while len(buffer) < length:
            buffer += sock.recv(65536)
        out.append((head, buffer[:length]))
        buffer = buffer[length:]
    return out


def exchange(port: int, *parts: bytes, responses: int = 1, pause: float = 0.05) -> list[tuple[bytes, bytes]]:
    """Send ``parts`` as separate writes (a pause between, so each arrives as its own read)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i, part in enumerate(parts):
            if i:
                time.sleep(pause)
            sock.sendall(part)
        return read_responses(sock, responses)


CITY = "西安市".encode()
ENCODED = "%E8%A5%BF%E5%AE%89%E5%B8%82"


def test_a_raw_utf8_target_reaches_the_app_as_a_browser_would_send_it(port):
    [(head, body)] = exchange(port, b"GET /summary?city=" + CITY + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert json.loads(body)["query"] == f"city={ENCODED}"


def test_a_request_line_split_across_reads_is_encoded_whole(port):
    line = b"GET /summary?city=" + CITY + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    cut = line.index(CITY) + 2  # inside the first character's bytes
    [(head, body)] = exchange(port, line[:cut], line[cut:])
    assert head.startswith(b"HTTP/1.1 200")
    assert json.loads(body)["query"] == f"city={ENCODED}"


def test_every_request_on_a_kept_alive_connection_is_encoded(port):
    request = b"GET /q?city=" + CITY + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        answers = []
        for _ in range(3):
            sock.sendall(request)
            answers += read_responses(sock, 1)
    assert [json.loads(body)["query"] for _, body in answers] == [f"city={ENCODED}"] * 3


def test_a_utf8_body_arriving_after_its_headers_is_passed_on_untouched(port):
    """Only a request line is ever rewritten: a JSON body of raw Chinese (POST /analyze) that
    arrives in a read of its own, first line and all, reaches the app byte for byte."""
    text = json.dumps({"texts": [{"text": "关停政务新媒体\n形式主义"}]}, ensure_ascii=False).encode()
    head = b"POST /analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(text)
    [(status, body)] = exchange(port, head, text)
    assert status.startswith(b"HTTP/1.1 200")
    assert json.loads(body)["body"] == text.decode()


def test_a_malformed_request_gets_the_json_error_envelope(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /a b c\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"application/json" in head.lower() and b"connection: close" in head.lower()
    error = json.loads(body)["error"]
    assert error["code"] == "bad_request" and "percent-encode" in error["message"]
