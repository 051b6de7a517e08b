"""`yuqing schedule` against the offline web: a notice column that changes between cycles
(``demo/apps/watch.py``: one notice edited, one deleted, one withdrawn to the home page, one
new) and Weibo threads whose comments spike.

Three cycles of every job (``--once``, as cron would run it): the first stores the column and the
commentary (the comment spike raises an alert), the second — after the column changed — fetches
a fraction of the first's pages, keeps the edited notice's earlier version and counts the two
gone notices as missing once, the third confirms the takedowns. Then the long-running scheduler:
a failing job does not stop it, and SIGTERM stops it cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from core.config import Settings
from core.schema import url_id
from demo.apps import watch
from store import open_store
from tests.support.crawl import REPO_ROOT

CYCLE_TIMEOUT_S = 400


def _env(store_url: str) -> dict[str, str]:
    return {**os.environ, "YUQING_DEV": "1", "YUQING_DOWNLOAD_DELAY": "0", "YUQING_STORE": store_url}


def _jobs(path, jobs: list[tuple[str, list[str]]]) -> str:
    lines = ["jobs:"]
    for name, args in jobs:
        lines += [f"  - name: {name}", f"    args: [{', '.join(args)}]", "    interval: 1h"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _cycle(jobs_file: str, store_url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yuqing.cli", "schedule", "--once", "--jobs", jobs_file],
                          cwd=REPO_ROOT, env=_env(store_url), capture_output=True, text=True,
                          timeout=CYCLE_TIMEOUT_S)


def _watch_fetches(requests: list[str]) -> Counter:
    return Counter(r for r in requests if r.startswith("/watch/"))


@pytest.fixture(scope="module")
def cycles(offline_web, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("schedule")
    store_url = f"sqlite:///{workdir / 'watch.db'}"
    column = offline_web.url(watch.LIST)
    gov = ("watch", ["crawl", "gov", "--start-url", column])
    weibo = ("weibo", ["crawl", "weibo", "--keyword", "停更", "--max-pages", "1",
                       "--base-url", offline_web.url("/weibo")])
    both, column_only = _jobs(workdir / "both.yaml", [gov, weibo]), _jobs(workdir / "column.yaml", [gov])
    watch.set_epoch(0)
    fetched, results = [], []
    try:
        for n, jobs_file in enumerate([both, column_only, column_only]):
            if n == 1:
                watch.set_epoch(1)  # the column changes between the first and the second cycle
            offline_web.clear_requests()
            results.append(_cycle(jobs_file, store_url))
            fetched.append(_watch_fetches(offline_web.requests))
    finally:
        watch.set_epoch(0)
    return results, fetched, store_url, column


def test_every_cycle_runs_each_job_and_logs_its_exit_code(cycles):
    results, _, _, _ = cycles
    first = results[0]
    assert "job watch: exit 0 (complete)" in first.stderr, first.stderr[-3000:]
    # The offline Weibo blocks a few threads on purpose: completed, with blocks logged (exit 1).
    assert "job weibo: exit 1 (completed with errors" in first.stderr
    assert first.returncode == 1
    for later in results[1:]:
        assert "job watch: exit 0 (complete)" in later.stderr, later.stderr[-3000:]
        assert later.returncode == 0


def test_the_second_cycle_fetches_a_fraction_of_the_first_and_nothing_twice(cycles):
    _, fetched, _, _ = cycles
    first, second, third = (sum(f.values()) for f in fetched)
    assert second < first / 2 and third < first / 2, (first, second, third)
    # Within a run nothing is asked for twice: no path of the column is fetched two times.
    for run in fetched:
        assert max(run.values()) == 1, run.most_common(3)
    # The new notice is fetched in the second cycle; an unchanged notice without validators is not.
    assert fetched[1][watch._path(watch.NEW)] == 1
    assert fetched[1][watch._path(40)] == 0


def test_the_edit_is_kept_as_history_and_the_takedowns_are_confirmed(cycles):
    _, _, store_url, column = cycles
    base = column.split("/watch/")[0]
    client = TestClient(create_app(Settings(store=store_url, dev=True)))
    edited = client.get(f"/announcements/{url_id(base + watch._path(watch.EDITED))}/history").json()
    assert edited["status"] == "edited" and len(edited["versions"]) == 2
    inserted = [line["text"] for line in edited["diffs"][0]["lines"] if line["op"] == "insert"]
    assert any("2024年7月1日" in text for text in inserted)
    gone = {url_id(base + watch._path(n)): n for n in (watch.DELETED, watch.WITHDRAWN)}
    taken = client.get("/announcements", params={"status": "taken_down"}).json()
    assert {d["id"] for d in taken["data"]} == set(gone)
    for doc_id in gone:
        doc = client.get(f"/announcements/{doc_id}").json()
        assert doc["missing_since"] and doc["status"] == "taken_down"
    page = client.get(f"/announcement/{url_id(base + watch._path(watch.DELETED))}").text
    assert "已删除" in page
    assert "已修改" in client.get(f"/announcement/{url_id(base + watch._path(watch.EDITED))}").text


def test_the_comment_spike_raises_one_alert_and_the_sources_are_healthy(cycles):
    _, _, store_url, _ = cycles
    client = TestClient(create_app(Settings(store=store_url, dev=True)))
    alerts = client.get("/alerts", params={"rule": "comment_spike"}).json()
    assert alerts["count"] >= 1
    store = open_store(store_url)
    try:
        spike = alerts["data"][0]
        from store.base import Query
        day_count = store.count("comment", Query(filters={"city": spike["city"]}, date_from=spike["day"],
                                                 date_to=spike["day"]))
    finally:
        store.close()
    assert day_count == spike["value"] and spike["value"] > 3 * spike["baseline"]
    assert "comment_spike" in client.get("/").text or spike["message"] in client.get("/").text
    sources = client.get("/sources").json()["data"]
    column = next(s for s in sources if s["source"].startswith("adhoc:") and "watch" in s["source"])
    assert len(column["runs"]) == 3 and not column["needs_attention"]
    assert column["runs"][-1]["list_records"] == watch.COUNT  # the first cycle read the whole list


def test_the_scheduler_survives_a_failing_job_and_stops_cleanly_on_sigterm(offline_web, tmp_path):
    store_url = f"sqlite:///{tmp_path / 'sched.db'}"
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text("jobs:\n"
                    "  - name: broken\n    args: [crawl, gov, --start-url, not-a-url]\n    interval: 1s\n"
                    f"  - name: column\n    args: [crawl, gov, --start-url, {offline_web.url(watch.LIST)}]\n"
                    "    interval: 1h\n", encoding="utf-8")
    log = tmp_path / "schedule.log"
    with log.open("w") as out:
        child = subprocess.Popen([sys.executable, "-m", "yuqing.cli", "schedule", "--run-now", "--jobs", str(jobs)],
                                 cwd=REPO_ROOT, env=_env(store_url), stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + CYCLE_TIMEOUT_S
            while time.monotonic() < deadline:
                text = log.read_text()
                if text.count("job broken: exit 2 (bad arguments)") >= 2 and "job column: exit" in text:
                    break
                time.sleep(0.5)
            child.send_signal(signal.SIGTERM)
            code = child.wait(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
    text = log.read_text()
    assert text.count("job broken: exit 2 (bad arguments)") >= 2, text[-3000:]
    assert "job column: exit 0 (complete)" in text
    assert "SIGTERM received; stopping" in text and "schedule: stopped" in text
    assert code == 0
