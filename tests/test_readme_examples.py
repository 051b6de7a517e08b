"""Every example in README.md, run as a user would paste it.

Each line of a ```sh block is an example. The test runs it with bash, exactly as written,
against a real uvicorn serving a filled store (the one change: the README's port 8000 is
the test server's free port, so parallel test runs never collide). Examples that need
the live web, Docker or a terminal left open are listed in ``NOT_RUN`` with the reason;
a new example that is neither run nor listed fails ``test_every_example_is_accounted_for``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.app import create_app
from api.http_server import Utf8RequestLineProtocol
from core.config import Settings
from tests.api.factories import build_corpus, filled_store
from tests.support.serving import served_in_thread

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

# Examples a test cannot run here, and why (each is covered elsewhere where it can be).
NOT_RUN = {
    "make run": "serves until Ctrl-C; `yuqing demo` is tested in tests/demo",
    "make test": "this very suite",
    "yuqing crawl gov --start-url http://www.example.gov.cn/": "the live web (tests/crawl crawl the offline web)",
    "yuqing crawl gov --source kunming-zfxxgk": "the live web",
    "yuqing crawl weibo --keyword 政务新媒体": "the live m.weibo.cn",
    "yuqing crawl news --start-url http://news.example.com/": "the live web",
    "yuqing explain http://www.example.gov.cn/": "the live web (tests/crawl/test_explain.py runs explain on the offline web)",
    "yuqing serve --port 8000": "serves until Ctrl-C; this test serves the same app",
    "yuqing serve --workers 2": "serves until Ctrl-C; tests/api/test_serve.py starts two workers and asks them",
    "yuqing schedule": "the shipped jobs crawl the live web (and run until stopped); "
                       "tests/unit/test_schedule_and_exit_codes.py runs the scheduler on local jobs",
    "scrapy crawl gov": "the offline web on port 8765 (tests/crawl)",
    "export YUQING_AUTHOR_SALT": "sets a variable only",
    "docker compose": "Docker (tests/test_compose.py checks the file)",
    "export YUQING_STORE=http://localhost:9200": "sets a variable only",
    "yuqing index migrate": "a running Elasticsearch (the contract suite covers migrate)",
    "yuqing index copy": "a running Elasticsearch",
}


def readme_examples() -> list[str]:
    """The command lines of README's ```sh blocks (comment-only and blank lines dropped)."""
    examples, inside = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```sh"
            continue
        if inside and line.strip() and not line.lstrip().startswith("#"):
            examples.append(line.strip())
    return examples


def _not_run_reason(example: str) -> str | None:
    return next((why for start, why in NOT_RUN.items() if example.startswith(start)), None)


def _runnable() -> list[str]:
    return [e for e in readme_examples() if _not_run_reason(e) is None]


def test_every_example_is_accounted_for():
    examples = readme_examples()
    assert any("curl" in e for e in examples) and any("yuqing export" in e for e in examples)
    for start in NOT_RUN:
        assert any(e.startswith(start) for e in examples), f"NOT_RUN lists {start!r}, no longer in README"
    # Downloads must never save an error message as if it were data.
    for example in examples:
        if example.startswith("curl") and "-O" in example:
            assert "--fail" in example, f"a download without --fail saves an error as a file: {example}"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A filled SQLite store served by uvicorn with yuqing's HTTP protocol, as `yuqing serve` runs it."""
    store_url = f"sqlite:///{tmp_path_factory.mktemp('readme') / 'readme.db'}"
    store = filled_store(store_url, build_corpus())
    store.upsert("announcement", [_edited_notice(HISTORY_EXAMPLE_ID)])
    with served_in_thread(create_app(Settings(store=store_url, dev=True), store), http=Utf8RequestLineProtocol) as port:
        yield store_url, port
    store.close()


# The id README's history example asks for: a notice edited once after it was first crawled.
HISTORY_EXAMPLE_ID = "3f2a9c0e5b7d1a64"


def _edited_notice(doc_id: str) -> dict:
    from crawler.history import carry_history

    def version(body: str, crawled: str) -> dict:
        return {"id": doc_id, "url": f"http://www.km.gov.cn/{doc_id}.html", "title": "关于“昆明发布”停止更新的公告",
                "body": body, "published_at": "2024-05-30", "content_hash": hashlib.sha256(body.encode()).hexdigest(),
                "crawled_at": crawled, "city": "昆明市", "province": "云南省"}

    first = carry_history(version("自6月1日起停止更新。", "2024-06-01T00:00:00+00:00"), None,
                          "2024-06-01T00:00:00+00:00")
    return carry_history(version("自7月1日起停止更新。", "2024-06-02T00:00:00+00:00"), first,
                         "2024-06-02T00:00:00+00:00")


def _prepare(example: str, cwd: Path) -> None:
    """Files an example names as the user's own input."""
    if "--pos pos.txt" in example:
        (cwd / "pos.txt").write_text("早就该关了，纯属浪费\n合并得好，支持\n" * 20, encoding="utf-8")
        (cwd / "neg.txt").write_text("关了以后找不到通知了\n太不方便了，反对\n" * 20, encoding="utf-8")
    if "--labelled weibo_senti_100k.csv" in example:  # a public Weibo set's shape: label,review with 1/0
        rows = [("1", "今天心情真好，谢谢大家"), ("0", "太失望了，一直没人回复"), ("1", "办事很顺利，点赞"),
                ("0", "排队三个小时，真让人生气")] * 10
        (cwd / "weibo_senti_100k.csv").write_text("label,review\n" + "".join(f"{a},{b}\n" for a, b in rows),
                                                  encoding="utf-8")
    if "my_themes.yaml" in example:
        shutil.copy(ROOT / "analysis" / "themes.yaml", cwd / "my_themes.yaml")
    # The labelled sets the shipped models are built from, as a user's own labelled files.
    if "--labelled stance.jsonl" in example:
        shutil.copy(ROOT / "analysis" / "stance_closures.jsonl", cwd / "stance.jsonl")
    if "--labelled themes.jsonl" in example:
        shutil.copy(ROOT / "analysis" / "themes_comments.jsonl", cwd / "themes.jsonl")


@pytest.mark.parametrize("example", _runnable())
def test_readme_example_runs(example, served, tmp_path):
    store_url, port = served
    _prepare(example, tmp_path)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "YUQING_STORE": store_url,
           "YUQING_DEV": "1", "PYTHONPATH": str(ROOT)}
    command = example.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"{example}\nexit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr, result.stderr
    if example.startswith("curl") and " -O" not in example:
        body = json.loads(result.stdout)
        assert "error" not in body, body
        assert body, "an empty answer"
    saved = [p for p in tmp_path.iterdir() if p.is_file() and p.suffix in {".csv", ".jsonl", ".json"}
             and p.name not in {"pos.txt", "neg.txt"}]
    if out := re.search(r"--out (models/\S+)", example):
        assert any((tmp_path / out.group(1)).iterdir()), "no model written"
    elif " -O" in example or "--out " in example or "> " in example:
        assert saved, f"{example} saved no file"
        for path in saved:
            text = path.read_text(encoding="utf-8-sig")
            assert text.strip() and not text.startswith('{"error"'), f"{path.name}: {text[:200]}"


def test_raw_utf8_request_line_is_served(served):
    """curl sends the Chinese of a URL as raw UTF-8; the server answers it like the encoded form."""
    _, port = served
    raw = subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/summary/regions?city=西安市"],
                         capture_output=True, text=True, timeout=30)
    encoded = subprocess.run(["curl", "-s", "-G", "--data-urlencode", "city=西安市",
                              f"http://127.0.0.1:{port}/summary/regions"], capture_output=True, text=True, timeout=30)
    other_city = subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/summary/regions?city=昆明市"],
                                capture_output=True, text=True, timeout=30)
    answer = json.loads(raw.stdout)
    assert "error" not in answer and answer["count"] > 0
    assert answer == json.loads(encoded.stdout)
    assert answer != json.loads(other_city.stdout), "the city filter was not applied"


def test_failed_download_leaves_no_file(served, tmp_path):
    """`curl --fail -OJ` on a bad request: exit 22 and nothing saved that looks like data."""
    _, port = served
    result = subprocess.run(["curl", "--fail", "-sOJ", f"http://127.0.0.1:{port}/export/comment?city=&date_from=2024-13-45"],
                            cwd=tmp_path, capture_output=True, timeout=30)
    assert result.returncode == 22
    assert list(tmp_path.iterdir()) == []
