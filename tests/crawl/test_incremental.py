"""The incremental gov crawl (crawler/incremental.py) over HTTP on the offline web's changing
column: a list page that fails does not end the walk (and calls no notice gone), and a
re-crawl stops at the first list page of known notices."""

from __future__ import annotations

from demo.apps import watch
from store import open_store
from tests.support.crawl import run_crawl


def test_a_failed_list_page_is_skipped_and_a_recrawl_stops_at_known_notices(offline_web, tmp_path):
    store_url = f"sqlite:///{tmp_path / 'incremental.db'}"
    args = {"start_urls": offline_web.url(watch.LIST)}
    watch.set_epoch(0)
    offline_web.fail(f"{watch.LIST}index_1.html", status=404, times=1)  # the second list page, once
    offline_web.clear_requests()
    first = run_crawl("gov", args, store_url=store_url, workdir=tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    served = offline_web.requests
    # The walk went on past the failed page to the last one (index_7: 40 notices, 5 a page).
    assert f"{watch.LIST}index_1.html" in served and f"{watch.LIST}index_7.html" in served
    store = open_store(store_url)
    try:
        assert store.count("announcement") == watch.COUNT - watch.PER_PAGE  # all but the failed page's
    finally:
        store.close()

    offline_web.clear_requests()
    second = run_crawl("gov", args, store_url=store_url, workdir=tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    again = [r for r in offline_web.requests if r.startswith(watch.LIST)]
    assert f"{watch.LIST}index_2.html" not in again  # stopped after the first page of known notices
    assert second.stat("yuqing/incremental/list_stop") >= 1
    # Known notices with validators answered 304; those without were not asked for.
    assert second.stat("yuqing/incremental/not_modified") + second.stat("yuqing/incremental/fresh") == watch.PER_PAGE
    # Nothing was called missing: the notices of the page that failed in the first run were
    # never stored, and every stored one is still there.
    assert not any(k.startswith("yuqing/history/missing") for k in second.stats)
