"""`yuqing serve`: --get runs one request in-process; the server itself starts and answers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner

from yuqing.cli import app
from core.config import ROOT

runner = CliRunner()


@pytest.fixture
def env(monkeypatch, store_url, store):
    """The session store, selected through the environment as a user would."""
    for name in list(os.environ):
        if name.startswith("YUQING_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("YUQING_STORE", store_url)
    monkeypatch.setenv("YUQING_DEV", "1")
    return monkeypatch


def test_get_prints_json_and_exits_zero(env, corpus):
    result = runner.invoke(app, ["serve", "--get", "/health"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["counts"]["announcement"] == len(corpus.announcements)


def test_get_with_query_string_and_store_option(env, corpus, store_url):
    env.setenv("YUQING_STORE", "sqlite:///nowhere/else.db")
    result = runner.invoke(app, ["serve", "--store", store_url, "--get", "/announcements?q=关停&size=3"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["count"] == sum("关停" in d["title"] + d["body"] for d in corpus.announcements)
    assert len(body["data"]) == 3


@pytest.mark.parametrize("path,status", [("/announcements/nope", 404), ("announcements?size=0", 422),
                                         ("/announcements?q=%22x", 400)])
def test_get_exits_non_zero_on_errors(env, path, status):
    result = runner.invoke(app, ["serve", "--get", path])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"]
    assert f"HTTP {status}" in result.stderr


def test_serving_needs_no_salt_because_the_api_hashes_no_one(env):
    """Only the spiders pseudonymise (and refuse the shipped salt outside dev mode); a
    researcher reading a store must not be asked for the crawler's secret."""
    env.delenv("YUQING_DEV")
    env.delenv("YUQING_AUTHOR_SALT", raising=False)
    result = runner.invoke(app, ["serve", "--get", "/health"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "ok"


def test_help_explains_every_option_with_an_example():
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--store", "--host", "--port", "--get"):
        assert option in result.stdout
    assert result.stdout.count("Example") >= 3 and "sqlite:///" in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_the_url_and_answers(store_url, store, corpus):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    env.update(YUQING_DEV="1", YUQING_LOG_LEVEL="WARNING")
    proc = subprocess.Popen(
        [sys.executable, "-m", "yuqing.cli", "serve", "--store", store_url, "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first_line
        body = None
        for _ in range(100):  # wait for the socket; the assertion is on the answer, not the time
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/health").json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert body is not None, proc.stderr.read() if proc.poll() is not None else "server never answered"
        assert body["counts"]["announcement"] == len(corpus.announcements)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _spawned_children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` and that multiprocessing spawned (uvicorn's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry))
    return found


def test_serve_with_two_workers_answers_from_two_processes(store_url, store, corpus):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    env.update(YUQING_DEV="1", YUQING_LOG_LEVEL="WARNING")
    proc = subprocess.Popen(
        [sys.executable, "-m", "yuqing.cli", "serve", "--store", store_url, "--port", str(port), "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline()
        bodies = []
        for _ in range(200):  # wait for the workers; the assertions are on the answers
            try:
                bodies.append(httpx.get(f"http://127.0.0.1:{port}/health").json())
                if len(bodies) == 10:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert len(bodies) == 10, proc.stderr.read() if proc.poll() is not None else "server never answered"
        # Each worker opened the store given by --store (passed on through YUQING_STORE).
        assert all(b["counts"]["announcement"] == len(corpus.announcements) for b in bodies), bodies
        workers = _spawned_children(proc.pid)
        assert len(workers) == 2, workers
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # Stopping the server stops its workers.
    for _ in range(50):
        if not any(os.path.exists(f"/proc/{pid}") for pid in workers):
            break
        time.sleep(0.1)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
