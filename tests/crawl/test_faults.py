"""Fault injection: every way a crawl can be hurt ends equal to a clean crawl.

Two crawls — the government notices that Weibo posts link to, then the posts and their
comment threads (the posts take their city from those notices) — run as child processes
with the production Elasticsearch client against a proxy in front of the test cluster
(``tests/support/flaky_proxy.py``), which can be down from the start, fail a window of
requests mid-crawl, or stay up while a crawl is killed with SIGKILL or two crawls race.
Each scenario ends with the same documents as the clean crawl (crawl times aside) and run
records that say what happened: the spill file and its count, ``interrupted`` for the killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.schema import OBSERVED_FIELD
from demo.data.commentary.markup import local_links
from tests.crawl.test_commentary_links import KEYWORD, linking_posts
from tests.support.crawl import CRAWL_TIMEOUT_SECONDS, REPO_ROOT, crawl_command, crawl_result, run_crawl
from tests.support.elastic import es_url, open_elastic_store, unique_prefix
from tests.support.flaky_proxy import FlakyProxy

COMPARED = ("announcement", "account", "post", "comment")
# Small batches: many writes, so an outage window falls between them.
STORE_BATCH = 3
# Requests the store fails mid-crawl: the client tries each operation 4 times, so this is
# about ten failed reads and writes — the crawl outlives the outage.
OUTAGE_REQUESTS = 40


def crawl_env(prefix: str, spill_dir: Path) -> dict[str, str]:
    return {"YUQING_ES_INDEX_PREFIX": prefix, "YUQING_SPILL_DIR": str(spill_dir)}


class Scenario:
    """One store (an index prefix) behind one proxy, and the two crawls into it."""

    def __init__(self, offline_web, tmp: Path, down_for=None, down=False):
        self.web = offline_web
        self.tmp = tmp
        self.prefix = unique_prefix("fault")
        self.spill_dir = tmp / "unsaved"
        self.proxy = FlakyProxy(es_url(), down_for=down_for)
        self.proxy.down = down

    def __enter__(self) -> "Scenario":
        self.proxy.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.proxy.__exit__(*exc)
        janitor = open_elastic_store(self.prefix)
        try:
            janitor.drop_everything()
        finally:
            janitor.close()

    @property
    def env(self) -> dict[str, str]:
        return crawl_env(self.prefix, self.spill_dir)

    def gov_args(self) -> dict:
        targets = sorted({path for post in linking_posts() for path in local_links(post.text)})
        return {"start_urls": ",".join(self.web.url(p) for p in targets)}

    def weibo_args(self) -> dict:
        return {"keywords": KEYWORD, "base_url": f"{self.web.base_url}/weibo"}

    def crawl(self, spider: str, **settings):
        args = self.gov_args() if spider == "gov" else self.weibo_args()
        return run_crawl(spider, args, store_url=self.proxy.url, env=self.env,
                         extra_settings={"YUQING_STORE_BATCH": STORE_BATCH, **settings}, workdir=self.tmp)

    def start(self, spider: str, name: str, **settings) -> tuple[subprocess.Popen, Path]:
        args = self.gov_args() if spider == "gov" else self.weibo_args()
        workdir = self.tmp / name
        workdir.mkdir(exist_ok=True)
        command, env, stats_file, _ = crawl_command(spider, args, self.proxy.url,
                                                    {"YUQING_STORE_BATCH": STORE_BATCH, **settings}, self.env, None,
                                                    workdir)
        child = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        return child, stats_file

    def load(self, spill: Path):
        env = {"YUQING_STORE": self.proxy.url, **self.env}
        from yuqing.cli import app

        return CliRunner(env=env).invoke(app, ["index", "load", str(spill)])

    def seed(self, notices: dict[str, list[dict]]) -> None:
        """The notices of the clean crawl, stored as its gov crawl stored them (that crawl
        is not under test here; each crawl costs half a minute on a busy machine)."""
        store = open_elastic_store(self.prefix)
        try:
            for kind, docs in notices.items():
                assert store.upsert(kind, docs).errors == []
        finally:
            store.close()

    def snapshot(self) -> dict[str, dict[str, dict]]:
        return snapshot(self.prefix)

    def count(self, kind: str) -> int:
        store = open_elastic_store(self.prefix)
        try:
            store.refresh_indices()
            return store.count(kind)
        finally:
            store.close()

    def runs(self) -> list[dict]:
        store = open_elastic_store(self.prefix)
        try:
            store.refresh_indices()
            return sorted(store.iterate("crawl_run"), key=lambda r: r["started_at"])
        finally:
            store.close()


def snapshot(prefix: str) -> dict[str, dict[str, dict]]:
    """Every document of the compared kinds by id, less its crawl time."""
    store = open_elastic_store(prefix)
    try:
        store.refresh_indices()
        return {kind: {d["id"]: _without_times(d) for d in store.iterate(kind)} for kind in COMPARED}
    finally:
        store.close()


def _without_times(doc: dict) -> dict:
    """A document without its observation times, which differ from run to run: a notice's
    ``first_seen`` is kept only as whether it is the time the notice was first observed."""
    out = {k: v for k, v in doc.items() if k != OBSERVED_FIELD}
    if "first_seen" in out:
        out["first_seen"] = out["first_seen"] == doc.get(OBSERVED_FIELD)
    return out


def assert_same(got: dict, clean: dict) -> None:
    for kind in COMPARED:
        assert set(got[kind]) == set(clean[kind]), (kind, set(got[kind]) ^ set(clean[kind]))
        differing = [i for i in clean[kind] if got[kind][i] != clean[kind][i]]
        fields = sorted({k for i in differing for k in {*got[kind][i], *clean[kind][i]}
                         if got[kind][i].get(k) != clean[kind][i].get(k)})
        assert not differing, (kind, differing[:3], fields, [(got[kind][i], clean[kind][i]) for i in differing[:1]])


@pytest.fixture(scope="module")
def clean(offline_web, tmp_path_factory):
    with Scenario(offline_web, tmp_path_factory.mktemp("clean")) as s:
        for spider in ("gov", "weibo"):
            result = s.crawl(spider)
            assert result.returncode == 0, result.stderr[-3000:]
        docs = s.snapshot()
        assert docs["post"] and docs["comment"] and docs["announcement"]
        assert all(p["city"] for p in docs["post"].values())  # settled from the linked notices
        store = open_elastic_store(s.prefix)
        try:
            notices = {kind: list(store.iterate(kind)) for kind in ("announcement", "account")}
        finally:
            store.close()
        yield docs, notices


def _spilled(run: dict) -> int:
    return run.get("spilled", 0)


def test_store_down_from_the_start_then_loaded(offline_web, tmp_path, clean):
    docs, _ = clean
    with Scenario(offline_web, tmp_path, down=True) as s:
        results = {spider: s.crawl(spider) for spider in ("gov", "weibo")}
        spills = sorted(s.spill_dir.glob("*.jsonl"))
        assert len(spills) == 2 and s.proxy.refused > 0
        for result in results.values():
            assert result.stat("yuqing/stored/post/inserted") == 0 and result.stat("yuqing/stored/announcement/inserted") == 0
        s.proxy.down = False
        # The posts' spill first: their notices are not stored yet, so their places wait…
        weibo_spill = next(p for p in spills if p.name.startswith("weibo"))
        gov_spill = next(p for p in spills if p.name.startswith("gov"))
        for spill in (weibo_spill, gov_spill):
            loaded = s.load(spill)
            assert loaded.exit_code == 0, loaded.output
        # …and are settled when the notices arrive.
        assert_same(s.snapshot(), docs)
        runs = s.runs()
        assert [r["spider"] for r in runs] == ["gov", "weibo"]
        for run, spill in zip(runs, (gov_spill, weibo_spill)):
            assert run["status"] == "partial" and run["spill_file"] == str(spill)
            documents = sum(1 for line in spill.read_text(encoding="utf-8").splitlines() if '"crawl_run"' not in line[:30])
            assert _spilled(run) == documents > 0
            assert any("store unavailable" in e for e in run["errors"])


def test_store_down_mid_crawl_and_back(offline_web, tmp_path, clean):
    docs, notices = clean
    with Scenario(offline_web, tmp_path) as s:
        s.seed(notices)
        # The store fails a window of requests in the middle of the weibo crawl, then answers again.
        start = s.proxy.requests + 4
        s.proxy.down_for = (start, start + OUTAGE_REQUESTS)
        weibo = s.crawl("weibo")
        assert s.proxy.requests > start + OUTAGE_REQUESTS, "the outage ended before the crawl did"
        (spill,) = s.spill_dir.glob("weibo*.jsonl")
        stored_directly = sum(v for k, v in weibo.stats.items() if k.startswith("yuqing/stored/") and k.endswith("inserted"))
        assert stored_directly > 0 and weibo.stat("yuqing/unsaved/post") + weibo.stat("yuqing/unsaved/comment") > 0
        (run,) = [r for r in s.runs() if r["spider"] == "weibo"]
        assert run["status"] == "partial" and run["spill_file"] == str(spill) and _spilled(run) > 0
        loaded = s.load(spill)
        assert loaded.exit_code == 0, loaded.output
        # Spilled early versions of posts do not overwrite the later ones written after the outage.
        assert_same(s.snapshot(), docs)


def test_kill_9_and_rerun(offline_web, tmp_path, clean):
    docs, notices = clean
    with Scenario(offline_web, tmp_path) as s:
        s.seed(notices)
        child, _ = s.start("weibo", "killed", DOWNLOAD_DELAY=0.3)  # slow enough to be killed mid-crawl
        deadline = time.monotonic() + CRAWL_TIMEOUT_SECONDS
        # Killed once its run is recorded and some of its documents are stored.
        while not (s.runs() and s.count("comment")) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert child.poll() is None, "the crawl ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)
        (killed,) = [r for r in s.runs() if r["spider"] == "weibo"]
        assert killed["status"] == "running"  # nobody closed it
        again = s.crawl("weibo")
        assert again.returncode == 0, again.stderr[-3000:]
        runs = {r["id"]: r for r in s.runs() if r["spider"] == "weibo"}
        assert runs[killed["id"]]["status"] == "interrupted"
        assert any("interrupted" in e for e in runs[killed["id"]]["errors"])
        (rerun,) = [r for i, r in runs.items() if i != killed["id"]]
        assert rerun["status"] == "finished"
        assert_same(s.snapshot(), docs)


def test_two_crawlers_on_one_store(offline_web, tmp_path, clean):
    docs, notices = clean
    with Scenario(offline_web, tmp_path) as s:
        s.seed(notices)
        started = [s.start("weibo", f"racer{n}") for n in (1, 2)]
        for child, stats_file in started:
            out, err = child.communicate(timeout=CRAWL_TIMEOUT_SECONDS)
            result = crawl_result(child.returncode, out, err, stats_file, None)
            assert result.returncode == 0, err[-3000:]
        weibo_runs = [r for r in s.runs() if r["spider"] == "weibo"]
        assert len(weibo_runs) == 2 and all(r["status"] == "finished" for r in weibo_runs), \
            [(r["id"], r["status"], r.get("errors"), {k: v for k, v in (r.get("counts") or {}).items()
                                                     if "partial" in k or "blocked" in k or "error" in k})
             for r in weibo_runs]
        assert_same(s.snapshot(), docs)
