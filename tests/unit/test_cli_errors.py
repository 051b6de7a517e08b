"""A user's mistake on the command line: one line saying what is wrong with an example of
right, exit code 2, no traceback, nothing done — through the real `yuqing` entry point."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

MISTAKES = [
    # (arguments, what the one line must name)
    (["crawl", "weibo", "--keyword", "x", "--since", "2024-13-45"], "--since 2024-05-01"),
    (["crawl", "news", "--start-url", "ftp://x"], "http://news.example.com/closures/"),
    (["crawl", "gov", "--start-url", "ftp://x"], "http://www.km.gov.cn/zwgk/tzgg/"),
    (["export", "comment", "--store", "mysql://x"], "sqlite:///data/yuqing.db"),
    (["export", "comment", "--store", "sqlite:///nonexistent/dir/x.db"], "mkdir -p nonexistent/dir"),
    (["export", "comment", "--date-from", "2024-13-45"], "--date-from 2024-05-01"),
    (["export", "bogus"], "announcement, account, post, comment"),
    (["serve", "--port", "abc"], "--port"),
    (["serve", "--get", "/health", "--store", "postgres://db"], "names no backend"),
    (["index", "copy", "--from", "sqlite:///a.db", "--to", "mysql://x"], "--to"),
    (["reanalyze", "--store", "sqlite:///no/such/dir/x.db"], "four slashes"),
    (["crawl", "weibo"], "--keyword"),
]


def yuqing(args: list[str], cwd, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "YUQING_DEV": "1", **env}
    environment.pop("YUQING_STORE", None)
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "yuqing.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120,
                          )


@pytest.mark.parametrize("args,named", MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_a_mistake_is_one_line_and_exit_2(args, named, tmp_path):
    (tmp_path / "data").mkdir()  # the default store's directory, as in a checkout
    result = yuqing(args, tmp_path, PYTHONPATH=os.getcwd())
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and named in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    # Nothing was done: no store file, no directory made for a mistyped path.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert list((tmp_path / "data").iterdir()) == []


def test_a_bad_setting_in_the_environment_is_one_line(tmp_path):
    result = yuqing(["serve", "--get", "/health"], tmp_path, YUQING_PORT="abc", PYTHONPATH=os.getcwd())
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "YUQING_PORT='abc'" in result.stderr


def test_the_default_store_outside_the_project_says_how(tmp_path):
    result = yuqing(["export", "comment"], tmp_path, PYTHONPATH=os.getcwd())
    assert result.returncode == 2
    assert "the default store" in result.stderr and "YUQING_STORE" in result.stderr
    assert not (tmp_path / "data").exists()


def test_store_help_explains_three_and_four_slashes(tmp_path):
    result = yuqing(["export", "--help"], tmp_path, PYTHONPATH=os.getcwd(), COLUMNS="300")
    assert result.returncode == 0
    assert "sqlite:////srv/yuqing/yuqing.db" in result.stdout and "relative to the working directory" in result.stdout


def test_demo_checks_its_port_before_crawling(tmp_path):
    """A taken port (here from YUQING_PORT, as `make run PORT=…` and deployments set it) fails in
    a second, before the offline web starts or anything is crawled."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        (tmp_path / "data").mkdir()
        result = yuqing(["demo", "--web-port", "0"], tmp_path, PYTHONPATH=os.getcwd(), YUQING_PORT=str(port))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"127.0.0.1:{port}" in result.stderr and f"PORT={port + 1}" in result.stderr
    assert "offline web" not in result.stdout and list((tmp_path / "data").iterdir()) == []


def test_demo_refuses_to_serve_on_the_offline_webs_port(tmp_path):
    """`make run PORT=8765` would crawl for a minute and then fail to bind: 8765 is the
    offline web's. It fails first, and suggests a port that is neither."""
    (tmp_path / "data").mkdir()
    result = yuqing(["demo", "--port", "8765"], tmp_path, PYTHONPATH=os.getcwd())
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: port 8765 is the offline web's own (--web-port); pick another, e.g. --port 8766 or make run PORT=8766"]
    assert "offline web:" not in result.stdout and list((tmp_path / "data").iterdir()) == []
    # A suggestion never names the web's port either.
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = yuqing(["demo", "--port", str(port), "--web-port", str(port + 1)], tmp_path, PYTHONPATH=os.getcwd())
    assert result.returncode == 2 and f"e.g. --port {port + 2} or make run PORT={port + 2}" in result.stderr
