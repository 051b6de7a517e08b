"""The gov spider over HTTP on the offline web, through the whole pipeline chain
(validate → analyse → SQLite store), compared with every site's expected.yaml.

The web is crawled once per module (``gov_crawl``, ``scrapy crawl gov``); a second crawl
into the same store, by ``yuqing crawl gov`` as a scheduler runs it, checks that re-crawling
updates instead of duplicating, and how the command reports a broken start URL. Bodies are
held against the notices' own lines (no page furniture in, no paragraph out).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import typer
from typer.testing import CliRunner

from crawler.spiders.gov import DEFAULT_MAX_LIST_PAGES
from demo.sites import all_expected, gov_sites
from store import open_store
from tests.support.crawl import CRAWL_TIMEOUT_SECONDS, REPO_ROOT, CrawlResult, run_crawl
from tests.unit.crawler.helpers import BodyCheck, check_body
from yuqing.cli import app as cli_app


@dataclass
class GovCrawl:
    first: CrawlResult
    requests: list[str]  # paths the offline web served during the first crawl
    docs: dict[str, dict]  # stored announcements by URL path (with query)
    store_url: str


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def gov_crawl(offline_web, tmp_path_factory) -> GovCrawl:
    workdir = tmp_path_factory.mktemp("gov-crawl")
    store_url = f"sqlite:///{workdir / 'crawl.db'}"
    offline_web.clear_requests()
    result = run_crawl("gov", {"start_urls": ",".join(offline_web.gov_start_urls())},
                       store_url=store_url, workdir=workdir)
    assert result.returncode == 0, result.stderr[-4000:]
    requests = offline_web.requests
    store = open_store(store_url)
    try:
        docs = {_path(d["url"]): d for d in store.iterate("announcement")}
    finally:
        store.close()
    return GovCrawl(result, requests, docs, store_url)


EXPECTED = all_expected()
CLOSURES = [e for e in EXPECTED if e.closure]
ORDINARY = [e for e in EXPECTED if not e.closure]


def test_the_crawl_finished_cleanly(gov_crawl):
    stats = gov_crawl.first.stats
    assert stats["finish_reason"] == "finished"
    assert stats.get("log_count/ERROR", 0) == 0
    assert stats.get("yuqing/store_errors", 0) == 0
    assert stats["yuqing/stored/announcement/inserted"] == len(gov_crawl.docs)


def test_gold_data_covers_every_site_style():
    styles = {site.style for site in gov_sites()}
    assert {"trs", "jcms", "asp"} <= styles
    assert len(CLOSURES) >= 30 and len(ORDINARY) >= 5


@pytest.mark.parametrize("entry", CLOSURES, ids=lambda e: e.path)
def test_every_closure_announcement_is_found_with_its_fields(gov_crawl, entry):
    doc = gov_crawl.docs.get(entry.path)
    assert doc is not None, f"{entry.site}: {entry.title} not stored"
    assert doc["title"] == entry.title
    assert doc["issuer"] == entry.issuer
    assert (doc["published_at"] or "")[:10] == entry.published_at[:10]
    if len(entry.published_at) > 10:
        assert doc["published_at"] == entry.published_at
    assert doc["city"] == entry.city
    assert doc["province"] == entry.province


def test_ordinary_notices_are_rejected(gov_crawl):
    stored = [e.path for e in ORDINARY if e.path in gov_crawl.docs]
    assert stored == []
    # …because they were read and judged, not because they were never fetched.
    fetched = set(gov_crawl.requests)
    assert all(e.path in fetched for e in ORDINARY)
    assert gov_crawl.first.stats["yuqing/not_closure"] >= len(ORDINARY)


def test_nothing_but_gold_closures_is_stored(gov_crawl):
    assert set(gov_crawl.docs) == {e.path for e in CLOSURES}


def test_robots_disallowed_paths_are_never_requested(gov_crawl, offline_web):
    robots = (offline_web.root / "robots.txt").read_text(encoding="utf-8")
    disallowed = [line.split(":", 1)[1].strip() for line in robots.splitlines()
                  if line.lower().startswith("disallow:") and line.split(":", 1)[1].strip()]
    assert disallowed
    assert "/robots.txt" in gov_crawl.requests
    assert not [p for p in gov_crawl.requests if any(p.startswith(d) for d in disallowed)]
    # The lists do link there: the spider wanted it and robots.txt stopped it.
    assert gov_crawl.first.stats.get("robotstxt/forbidden", 0) >= 1


def test_every_list_page_style_was_walked(gov_crawl):
    requests = gov_crawl.requests
    assert any("index_1.html" in p for p in requests)  # TRS createPageHTML
    assert any("/module/web/jpage/dataproxy.jsp?" in p and "startrecord=" in p for p in requests)  # JCMS
    assert any("list.asp?" in p and "page=2" in p for p in requests)  # ASP 下一页
    assert any(p.startswith("/mp/s/") for p in requests)  # WeChat articles linked from lists


def test_gbk_site_text_is_decoded(gov_crawl):
    gbk_sites = {site.id for site in gov_sites() if site.encoding == "gbk"}
    gbk_closures = [e for e in CLOSURES if e.site in gbk_sites]
    assert gbk_closures
    for entry in gbk_closures:
        doc = gov_crawl.docs[entry.path]
        assert doc["title"] == entry.title
        assert "\ufffd" not in doc["body"] and "公告" + "\ufffd" not in doc["title"]
        assert any(term in doc["body"] for term in ("公众号", "微博", "抖音", "头条", "APP", "客户端", "小程序", "账号"))


@pytest.mark.parametrize("entry", CLOSURES, ids=lambda e: e.path)
def test_every_body_is_the_whole_notice_and_nothing_else(gov_crawl, entry):
    """No sidebar, footer, info line, index table or repeated title; no paragraph lost."""
    body = gov_crawl.docs[entry.path]["body"]
    assert check_body(body, entry.body) == BodyCheck(missing=[], extra=[])


# -- the command a user types -----------------------------------------------------------------

def test_a_recrawl_by_the_cli_updates_nothing_and_names_a_broken_start_url(gov_crawl, offline_web):
    """The second crawl is `yuqing crawl gov` as a scheduler runs it, into the same store:
    one site given by its home page instead of its list (reached through 更多>>), and one
    start URL that 404s. Every announcement is met again and left unchanged, nothing is
    duplicated, the broken source is named with its HTTP status, and the exit code is 1."""
    home = next(s for s in gov_sites() if s.id == "kunming")
    starts = [offline_web.url(home.url_prefix) if home.list_path in url else url
              for url in offline_web.gov_start_urls()]
    broken = offline_web.url(f"{home.url_prefix}no-such-column/")
    # --full: every notice is fetched again (an incremental re-crawl would stop at the known ones;
    # tests/crawl/test_scheduler.py covers that).
    args = ["--full", *(a for url in [*starts, broken] for a in ("--start-url", url))]
    env = {**os.environ, "YUQING_DEV": "1", "YUQING_DOWNLOAD_DELAY": "0", "YUQING_STORE": gov_crawl.store_url}
    done = subprocess.run([sys.executable, "-m", "yuqing.cli", "crawl", "gov", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=CRAWL_TIMEOUT_SECONDS)
    assert done.returncode == 1, done.stderr[-3000:]
    assert f"start URL {broken} could not be fetched: the site answered HTTP 404" in done.stderr
    assert f"announcement 0 new, 0 updated, {len(gov_crawl.docs)} unchanged" in done.stdout
    assert "government pages:" in done.stdout and "1 fetches failed" in done.stdout
    assert "yuqing.progress: done (finished): pages " in done.stderr and "| failed 1" in done.stderr
    # One log handler: every line once, no DEBUG chatter, no deprecation noise.
    assert done.stderr.count("Spider closed (finished)") == 1
    assert " DEBUG " not in done.stderr and "Deprecat" not in done.stderr
    store = open_store(gov_crawl.store_url)
    try:
        assert store.count("announcement") == len(gov_crawl.docs)
        runs = sorted(store.iterate("crawl_run"), key=lambda r: r["started_at"])
    finally:
        store.close()
    assert len(runs) == 2 and runs[0]["status"] == "finished"
    assert runs[1]["counts"].get("yuqing/start_failed") == 1  # the run record keeps the failure
    # Each run records the arguments it was given (the spider's run_args).
    assert runs[0]["args"]["start_urls"] == offline_web.gov_start_urls()
    assert runs[1]["args"]["start_urls"] == [*starts, broken]


@pytest.mark.parametrize("args, message", [
    (["--start-url", "www.km.gov.cn/zwgk/tzgg/"], "not an http(s) URL"),
    (["--source", "nowhere"], "unknown source(s) nowhere"),
    (["--source", "demo-kunming"], "--base-url"),
])
def test_yuqing_crawl_gov_refuses_bad_arguments_before_crawling(args, message):
    result = CliRunner().invoke(cli_app, ["crawl", "gov", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())


def test_the_cli_and_the_spider_share_the_list_page_limit():
    (param,) = [p for p in typer.main.get_command(cli_app).commands["crawl"].commands["gov"].params
                if p.name == "max_list_pages"]
    assert param.default == DEFAULT_MAX_LIST_PAGES
