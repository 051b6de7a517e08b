"""The pipeline chain on real objects: a Scrapy crawler, the analysis, a SQLite file, the
crawl-run extension and the crawl's one storage."""

from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import AnnouncementItem, CommentItem, PostItem, ThreadCoverageItem
from crawler.pipelines import AnalysePipeline, CoveragePipeline, StorePipeline, SubjectPlacePipeline, ValidatePipeline
from crawler.runs import CrawlRunRecorder
from crawler.storage import CrawlStorage
from store import open_store
from core.schema import Announcement, url_id
from core.config import Settings

ANNOUNCEMENT_URL = "http://127.0.0.1:8765/gov/kunming/zwgk/tzgg/202405/t20240510_1.html"
BODY = ("为推进政务新媒体集约化建设，切实减轻基层负担，经研究决定，自2024年6月1日起，"
        "“五华城管”微信公众号、五华城管新浪微博停止更新，相关信息统一通过“昆明发布”发布。\n"
        "昆明市五华区人民政府办公室\n2024年5月10日")


class NamedSpider(Spider):
    name = "gov"


class Chain:
    """Every pipeline in settings order, the run recorder, and the crawl's storage."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.pipes = [cls.from_crawler(crawler) for cls in (ValidatePipeline, AnalysePipeline, SubjectPlacePipeline,
                                                            CoveragePipeline, StorePipeline)]
        self.recorder = CrawlRunRecorder.from_crawler(crawler)
        self.storage = CrawlStorage.of(crawler)
        self.recorder.spider_opened(crawler.spider)
        self._closed = False

    def __call__(self, item):
        for pipe in self.pipes:
            item = pipe.process_item(item)
        return item

    def close(self, reason: str = "finished") -> None:
        """As Scrapy ends a crawl: pipelines close, spider_closed, then the engine stops."""
        if self._closed:
            return
        self._closed = True
        self.pipes[-1].close_spider()
        self.recorder.spider_closed(self.crawler.spider, reason)
        self.storage.close()


def make_crawler(settings: Settings, **scrapy_settings):
    crawler = get_crawler(NamedSpider, {"YUQING_SETTINGS": settings, **scrapy_settings})
    crawler.spider = crawler._create_spider()
    crawler.spider.run_args = {"start_urls": [ANNOUNCEMENT_URL]}
    return crawler


@pytest.fixture
def chain(tmp_path):
    url = f"sqlite:///{tmp_path / 'pipe.db'}"
    run = Chain(make_crawler(Settings(_env_file=None, store=url, dev=True), YUQING_STORE_BATCH=3))
    yield run, url
    run.close()  # some tests close it themselves to read the run record; closing is idempotent


def announcement(**fields):
    return AnnouncementItem(**{"url": ANNOUNCEMENT_URL, "title": "关于五华区部分政务新媒体账号停止更新的公告",
                               "body": BODY, "published_at": "2024-05-10", "issuer": "昆明市五华区人民政府办公室",
                               **fields})


def test_validate_drops_items_missing_what_later_stages_need():
    v = ValidatePipeline()
    with pytest.raises(DropItem, match="title"):
        v.process_item(announcement(title=""))
    with pytest.raises(DropItem, match="too short"):
        v.process_item(announcement(body="停止更新"))
    with pytest.raises(DropItem, match="text"):
        v.process_item(CommentItem(id="weibo:1", post_id="weibo:0", platform="weibo", text=""))
    assert v.process_item(announcement()).title.startswith("关于")


def test_announcement_is_analysed_stored_with_its_accounts_and_the_run_recorded(chain):
    run, url = chain
    doc = run(announcement())
    assert isinstance(doc, Announcement) and doc.id == url_id(ANNOUNCEMENT_URL)
    assert doc.city == "昆明市" and doc.district == "五华区" and "wechat" in doc.platforms
    # Issue 18: a notice keeps snownlp's raw score but gets no tone label.
    assert doc.sentiment_label is None and doc.sentiment is not None and doc.content_hash
    run.close()
    store = open_store(url)
    try:
        stored = store.get("announcement", doc.id)
        assert stored["title"] == doc.title
        accounts = list(store.iterate("account"))
        assert {a["name"] for a in accounts} >= {"五华城管"}
        assert all(a["announcement_id"] == doc.id and a["city"] == "昆明市" for a in accounts)
        (crawl_run,) = list(store.iterate("crawl_run"))
        assert crawl_run["spider"] == "gov" and crawl_run["status"] == "finished" and crawl_run["finished_at"]
        assert crawl_run["counts"]["yuqing/stored/announcement/inserted"] == 1
        assert crawl_run["args"] == {"start_urls": [ANNOUNCEMENT_URL]}  # the spider's run_args, recorded
    finally:
        store.close()


def test_recrawl_of_the_same_page_is_unchanged_not_duplicated(chain):
    run, url = chain
    run(announcement())
    run.storage.flush()
    run(announcement())
    run.storage.flush()
    stats = run.crawler.stats.get_stats()
    assert stats["yuqing/stored/announcement/inserted"] == 1
    assert stats["yuqing/stored/announcement/unchanged"] == 1
    assert run.storage.store.count("announcement") == 1


def test_post_takes_the_city_of_the_announcement_it_links_to_and_comments_follow(chain):
    run, url = chain
    run(announcement())
    run.storage.flush()
    post = run(PostItem(id="weibo:9", url="http://127.0.0.1/weibo/detail/9", platform="weibo",
                           text="这个公告大家怎么看？以后去哪里看通知[思考]", links=[ANNOUNCEMENT_URL + "#share"],
                           comments_reported=5))
    comment = run(CommentItem(id="weibo:91", post_id="weibo:9", platform="weibo", text="早该关了，纯属浪费资源"))
    assert (post.province, post.city) == ("云南省", "昆明市")
    assert (comment.province, comment.city) == ("云南省", "昆明市")
    assert comment.stance in {"support", "oppose", "neutral"}


def test_a_comment_whose_post_came_in_an_earlier_crawl_takes_the_stored_posts_place(chain):
    run, url = chain
    run(PostItem(id="weibo:8", url="http://127.0.0.1/weibo/detail/8", platform="weibo", text="长沙岳麓区的政务号停更了"))
    run.close()
    later = Chain(make_crawler(Settings(_env_file=None, store=url, dev=True)))
    try:
        comment = later(CommentItem(id="weibo:81", post_id="weibo:8", platform="weibo", text="支持"))
        assert (comment.province, comment.city) == ("湖南省", "长沙市")
    finally:
        later.close()


def test_thread_coverage_updates_the_stored_post(chain):
    run, url = chain
    run(PostItem(id="weibo:7", url="http://127.0.0.1/weibo/detail/7", platform="weibo",
                 text="长沙岳麓区的政务号停更了", comments_reported=40))
    run(ThreadCoverageItem(post_id="weibo:7", comments_fetched=12, comments_reported=41, partial=True,
                           partial_reason="blocked:login"))
    run.storage.flush()  # coverage updates the post in the write queue; it is stored with the next batch
    post = run.storage.store.get("post", "weibo:7")
    assert run.crawler.stats.get_value("yuqing/stored/post/inserted") == 1  # written once, complete
    assert (post["comments_fetched"], post["comments_reported"], post["partial"], post["partial_reason"]) == \
        (12, 41, True, "blocked:login")


def test_a_store_that_is_down_loses_nothing_and_the_spill_file_loads_later(tmp_path):
    """Elasticsearch unreachable for the whole crawl: every document, the coverage update
    and the run record go to a spill file, and `yuqing index load` stores them afterwards."""
    from typer.testing import CliRunner

    from yuqing.cli import app

    crawler = make_crawler(Settings(_env_file=None, dev=True, spill_dir=tmp_path / "unsaved",
                                    store="http://127.0.0.1:9"),  # nothing listens there: a real client, really refused
                           YUQING_STORE_BATCH=2)
    run = Chain(crawler)
    run(announcement())
    run(PostItem(id="weibo:5", url="http://127.0.0.1/weibo/detail/5", platform="weibo", text="长沙的政务号停更了"))
    run(CommentItem(id="weibo:51", post_id="weibo:5", platform="weibo", text="支持，早该关了"))
    run(ThreadCoverageItem(post_id="weibo:5", comments_fetched=1, comments_reported=3, partial=True,
                           partial_reason="page_limit"))
    run.close()

    spill = run.storage.spill_file
    assert spill is not None and spill.parent == tmp_path / "unsaved"
    stats = crawler.stats.get_stats()
    assert stats["yuqing/unsaved/announcement"] == 1 and stats["yuqing/unsaved/comment"] == 1

    target = tmp_path / "later.db"
    result = CliRunner().invoke(app, ["index", "load", str(spill), "--store", f"sqlite:///{target}"])
    assert result.exit_code == 0, result.output
    store = open_store(f"sqlite:///{target}")
    try:
        assert store.count("announcement") == 1 and store.count("comment") == 1
        assert store.count("account") >= 1
        post = store.get("post", "weibo:5")
        assert (post["comments_fetched"], post["comments_reported"], post["partial_reason"]) == (1, 3, "page_limit")
        (run,) = list(store.iterate("crawl_run"))
        assert run["status"] == "partial" and any("store unavailable" in e for e in run["errors"])
    finally:
        store.close()


def test_loading_a_damaged_spill_file_stores_the_good_lines_and_names_the_bad(tmp_path):
    from typer.testing import CliRunner

    from yuqing.cli import app

    spill = tmp_path / "bad.jsonl"
    spill.write_text('{"kind": "comment", "doc": {"id": "weibo:1", "post_id": "weibo:0", "platform": "weibo", '
                     '"text": "好"}}\n{"kind": "comment", "doc": \n{"kind": "nonsense", "doc": {}}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["index", "load", str(spill), "--store", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 1
    assert "line 2" in result.output and "line 3" in result.output
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert store.count("comment") == 1
    finally:
        store.close()
