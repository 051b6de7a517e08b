"""An ASGI app served by a real uvicorn in a thread, on a socket it already holds: what the API,
README and browser tests talk to over HTTP."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

import pytest
import uvicorn

SERVER_START_SECONDS = 15


def free_socket() -> socket.socket:
    """A listening socket on a free port, handed to uvicorn so no other process can grab it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def served_in_thread(app: Any, **config: Any) -> Iterator[int]:
    """Serve ``app`` (uvicorn ``Config`` options in ``config``, e.g. ``http=``) until the block
    ends; yields the port. Fails the test when uvicorn has not started within the limit."""
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail("uvicorn did not start serving the app; see the log above", pytrace=False)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=SERVER_START_SECONDS)
        sock.close()
