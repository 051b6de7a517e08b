"""Weibo: keyword search → posts (full long text) → comments → replies.

    scrapy crawl weibo -a keywords=政务新媒体,停更 -a max_pages=5 -a since=2024-05-01 \\
        -a base_url=http://127.0.0.1:8765/weibo
    yuqing crawl weibo --keyword 政务新媒体 --keyword 停更 --max-pages 5 --since 2024-05-01

Stages (each a callback below):
1. ``parse_search`` — search pages per keyword, at most ``max_pages``; posts older than
   ``since`` are skipped, each post is taken once even when several keywords find it.
2. ``parse_long_text`` — a post with ``isLongText`` gets its full text before it is yielded,
   so the store never keeps the truncated preview (complaint 5). When that request is blocked,
   the post is kept with its preview (marked partial) and its comments are not asked for.
3. ``parse_hotflow`` — comment pages, sending back the ``max_id`` *and* ``max_id_type`` each
   page returned (the type switches from 0 to 1 after the first pages; echoing 0 loses the rest).
4. ``parse_replies`` — second-level replies of comments with more replies than the hotflow
   row carried inline.
5. Each thread ends with a ThreadCoverageItem: fetched vs reported, and why it is partial.

Blocks (crawler/blocks.py) stop the thread they hit and are counted; 5xx and timeouts are
retried by Scrapy's RetryMiddleware first and then mark the thread partial. The optional
cookie (YUQING_WEIBO_COOKIE) is sent as a header and never logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.blocks import BLOCK_STATUSES, REDIRECT_STATUSES, Block, advice, detect_block
from crawler.parsing import weibo as wb
from crawler.parsing.coverage import (ENDED_EARLY, INVALID_JSON, LONG_TEXT_MISSING, CommentThread,
                                      blocked_reason, error_reason, failed_request)
from crawler.parsing.text import html_to_text
from crawler.parsing.times import parse_since
from core.untrusted import parse_json

# Comment + reply pages per thread before it is marked partial ("page_limit"). Hotflow pages
# hold ~20 comments on the real site, so 200 pages reach far beyond what Weibo serves
# (about 3,000-4,000 comments per post before it stops paging).
DEFAULT_MAX_COMMENT_PAGES = 200
DEFAULT_MAX_SEARCH_PAGES = 10
# What the m.weibo.cn web app sends with its XHRs; some endpoints answer HTML without them.
JSON_HEADERS = {"Accept": "application/json, text/plain, */*", "X-Requested-With": "XMLHttpRequest",
                "MWeibo-Pwa": "1"}


class WeiboSpider(scrapy.Spider):
    name = "weibo"

    def __init__(self, keywords: str = "", max_pages: str | int = DEFAULT_MAX_SEARCH_PAGES,
                 since: str | None = None, base_url: str | None = None,
                 max_comment_pages: str | int = DEFAULT_MAX_COMMENT_PAGES,
                 cookie: str | None = None, author_salt: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.keywords = [k.strip() for k in str(keywords).split(",") if k.strip()]
        if not self.keywords:
            raise ValueError("weibo spider needs keywords (-a keywords=政务新媒体,停更 / --keyword 政务新媒体)")
        self.max_pages = int(max_pages)
        self.max_comment_pages = int(max_comment_pages)
        self.since_at = parse_since(since)
        self.since = self.since_at.isoformat() if self.since_at else None
        self.base_url = (base_url or "https://m.weibo.cn").rstrip("/")
        self._cookie = cookie or None  # never logged, never in run_args
        self.author_salt = author_salt
        self.run_args = {"keywords": list(self.keywords), "max_pages": self.max_pages,
                         "since": self.since, "base_url": self.base_url}
        self._seen_posts: set[str] = set()
        self._threads: dict[str, CommentThread] = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        from crawler.project import yuqing_settings

        settings = yuqing_settings(crawler)
        kwargs["base_url"] = kwargs.get("base_url") or settings.weibo_base_url
        cookie = settings.weibo_cookie.get_secret_value() if settings.weibo_cookie else None
        return super().from_crawler(crawler, *args, cookie=cookie,
                                    author_salt=settings.author_key(), **kwargs)

    # -- requests -------------------------------------------------------------------------
    async def start(self):
        for keyword in self.keywords:
            yield self._request(wb.search_url(self.base_url, keyword, 1), self.parse_search,
                                keyword=keyword, page=1)

    def _request(self, url: str, callback, thread: CommentThread | None = None, **meta: Any) -> Request:
        headers = {**JSON_HEADERS, "Referer": f"{self.base_url}/"}
        if self._cookie:
            headers["Cookie"] = self._cookie
        return Request(url, callback=callback, errback=self.on_error, headers=headers, meta={
            **meta, "thread": thread, "dont_redirect": True,
            "handle_httpstatus_list": [*BLOCK_STATUSES, *REDIRECT_STATUSES],
        })

    # -- 1. search ------------------------------------------------------------------------
    def parse_search(self, response: Response) -> Iterator[Any]:
        keyword, page = response.meta["keyword"], response.meta["page"]
        data = self._payload(response, None, f"search {keyword!r} page {page}")
        if data is None:
            return
        if data.get("ok") != 1:
            self.logger.info("search %r ends at page %d (ok=%s)", keyword, page, data.get("ok"))
            return
        result = wb.parse_search(data)
        self.crawler.stats.inc_value("yuqing/weibo/search_pages")
        for mblog in result.mblogs:
            yield from self._take_post(mblog, keyword)
        if self._all_before_since(result.mblogs):
            # Results come newest first: a page entirely older than --since ends the search.
            self.crawler.stats.inc_value("yuqing/weibo/since_stop")
            self.logger.info("search %r: page %d is all before %s; not asking for more", keyword, page, self.since)
            return
        if result.next_page and result.next_page > page:
            if result.next_page > self.max_pages:
                self.crawler.stats.inc_value("yuqing/weibo/search_page_limit")
                self.logger.info("search %r: stopping at page %d (max_pages=%d)", keyword, page, self.max_pages)
                return
            yield self._request(wb.search_url(self.base_url, keyword, result.next_page), self.parse_search,
                                keyword=keyword, page=result.next_page)

    def _all_before_since(self, mblogs: list[dict]) -> bool:
        if not self.since_at or not mblogs:
            return False
        created = [wb.mblog_info(m).created for m in mblogs]
        return all(c is not None and c < self.since_at for c in created)

    def _take_post(self, mblog: dict, keyword: str) -> Iterator[Any]:
        info = wb.mblog_info(mblog)
        if info.id in self._seen_posts:
            return
        self._seen_posts.add(info.id)
        if self.since_at and info.created and info.created < self.since_at:
            self.crawler.stats.inc_value("yuqing/weibo/before_since")
            return
        if info.is_long:
            yield self._request(wb.extend_url(self.base_url, info.id), self.parse_long_text,
                                mblog=mblog, keyword=keyword, post_id=info.id)
        else:
            yield from self._start_thread(mblog, keyword, None)

    # -- 2. long text ---------------------------------------------------------------------
    def parse_long_text(self, response: Response) -> Iterator[Any]:
        mblog = response.meta["mblog"]
        # The thread exists before its post is yielded, so that a block on this request stops
        # it: the comments of a post whose long text was refused are not asked for either.
        thread = self._new_thread(wb.mblog_info(mblog))
        data = self._payload(response, thread, f"long text of {thread.post_id}")
        full = wb.long_text(data) if data else None
        yield from self._start_thread(mblog, response.meta["keyword"], full, thread)

    def _new_thread(self, info: wb.MblogInfo) -> CommentThread:
        return CommentThread(wb.weibo_id(info.id), comments_reported=info.comments_count,
                             max_pages=self.max_comment_pages)

    def _start_thread(self, mblog: dict, keyword: str, full_html: str | None,
                      thread: CommentThread | None = None) -> Iterator[Any]:
        info = wb.mblog_info(mblog)
        post = wb.post_item(mblog, self.base_url, self.author_salt, full_html=full_html, keyword=keyword)
        thread = thread or self._new_thread(info)
        if info.is_long and full_html is None:
            # Keep the post (its comments matter) but say that its text is the preview.
            self.crawler.stats.inc_value("yuqing/weibo/long_text_missing")
            self.logger.warning("post %s: full text unavailable, storing the preview", post.id)
            thread.mark_partial(LONG_TEXT_MISSING)
            post.text = html_to_text(mblog.get("text"))
        self._threads[post.id] = thread
        self.crawler.stats.inc_value("yuqing/weibo/posts")
        yield post
        if info.comments_count > 0 and thread.may_fetch_page():
            thread.queue.append(self._request(wb.hotflow_url(self.base_url, info.id, info.mid), self.parse_hotflow,
                                              thread, post_native=info.id, mid=info.mid, max_id=0))
        yield from self._continue(thread)

    # -- 3. comments ----------------------------------------------------------------------
    def parse_hotflow(self, response: Response) -> Iterator[Any]:
        thread: CommentThread = response.meta["thread"]
        data = self._payload(response, thread, f"comments of {thread.post_id}")
        if data is not None:
            yield from self._hotflow_page(response, thread, data)
        yield from self._continue(thread)

    def _hotflow_page(self, response: Response, thread: CommentThread, data: dict) -> Iterator[Any]:
        if data.get("ok") != 1:
            if response.meta["max_id"]:  # the previous page promised more
                self._ended_early(thread, data)
            return
        page = wb.parse_hotflow(data)
        self.crawler.stats.inc_value("yuqing/weibo/comment_pages")
        if page.total_number is not None:
            thread.comments_reported = max(thread.comments_reported or 0, page.total_number)
        for row in page.comments:
            yield from self._comment(thread, row, reply_to=None)
            yield from self._replies(thread, row)
        if page.max_id and thread.may_fetch_page():
            meta = response.meta
            thread.queue.append(self._request(
                wb.hotflow_url(self.base_url, meta["post_native"], meta["mid"], page.max_id, page.max_id_type),
                self.parse_hotflow, thread, post_native=meta["post_native"], mid=meta["mid"], max_id=page.max_id))

    def _replies(self, thread: CommentThread, row: dict) -> Iterator[Any]:
        parent_id = wb.weibo_id(row.get("id"))
        inline = wb.inline_replies(row)
        for reply in inline:
            yield from self._comment(thread, reply, reply_to=parent_id)
        if wb.reply_count(row) > len(inline) and thread.may_fetch_page():
            thread.queue.append(self._request(wb.child_url(self.base_url, str(row.get("id"))), self.parse_replies,
                                              thread, parent_id=parent_id, cid=str(row.get("id")), max_id=0))

    def _comment(self, thread: CommentThread, row: dict, reply_to: str | None) -> Iterator[Any]:
        item = wb.comment_item(row, thread.post_id, self.author_salt, reply_to=reply_to)
        if thread.add(item.id):
            yield item

    # -- 4. replies -----------------------------------------------------------------------
    def parse_replies(self, response: Response) -> Iterator[Any]:
        thread: CommentThread = response.meta["thread"]
        data = self._payload(response, thread, f"replies to {response.meta['parent_id']}")
        if data is not None:
            if data.get("ok") != 1:
                if response.meta["max_id"]:
                    self._ended_early(thread, data)
            else:
                page = wb.parse_child(data)
                self.crawler.stats.inc_value("yuqing/weibo/reply_pages")
                for row in page.comments:
                    yield from self._comment(thread, row, reply_to=response.meta["parent_id"])
                if page.max_id and thread.may_fetch_page():
                    cid = response.meta["cid"]
                    thread.queue.append(self._request(wb.child_url(self.base_url, cid, page.max_id),
                                                      self.parse_replies, thread, parent_id=response.meta["parent_id"],
                                                      cid=cid, max_id=page.max_id))
        yield from self._continue(thread)

    # -- 5. thread end, blocks and errors -------------------------------------------------
    def _continue(self, thread: CommentThread) -> Iterator[Any]:
        yield from thread.advance(self.crawler.stats, "weibo")

    def _payload(self, response: Response, thread: CommentThread | None, what: str) -> dict | None:
        """The decoded JSON answer, or None after dealing with a block or a broken answer."""
        payload: Any = None
        if response.status not in (*BLOCK_STATUSES, *REDIRECT_STATUSES):
            try:
                payload = parse_json(response.text)  # bounded depth, no lone surrogates (core/untrusted.py)
            except ValueError:
                self.crawler.stats.inc_value("yuqing/weibo/invalid_json")
                self.logger.warning("%s: the answer is not JSON (%d bytes from %s); thread marked partial",
                                  what, len(response.body), response.url)
                if thread:
                    thread.mark_partial(INVALID_JSON)
                return None
        block = detect_block(response.status, response.headers, payload)
        if block is not None:
            self._blocked(block, thread, what)
            return None
        if response.status in REDIRECT_STATUSES:
            self.crawler.stats.inc_value("yuqing/weibo/unexpected_redirect")
            self.logger.error("%s: unexpected HTTP %d redirect; thread marked partial", what, response.status)
            if thread:
                thread.mark_partial(error_reason(f"http_{response.status}"))
            return None
        if not isinstance(payload, dict):
            self.crawler.stats.inc_value("yuqing/weibo/invalid_json")
            self.logger.warning("%s: JSON answer is not an object; thread marked partial", what)
            if thread:
                thread.mark_partial(INVALID_JSON)
            return None
        return payload

    def _blocked(self, block: Block, thread: CommentThread | None, what: str) -> None:
        self.crawler.stats.inc_value(block.stat_key)
        scope = "stopping this thread" if thread else "skipping it"
        self.logger.warning("blocked (%s) at %s: %s; %s, the crawl goes on. Hint: %s",
                            block.reason, what, block.detail, scope, advice(block, has_cookie=bool(self._cookie)))
        if thread:
            thread.stop(blocked_reason(block.reason))

    def _ended_early(self, thread: CommentThread, data: dict) -> None:
        self.crawler.stats.inc_value("yuqing/weibo/ended_early")
        self.logger.warning("%s: Weibo answered ok=%s though the previous page promised more; thread marked partial",
                            thread.post_id, data.get("ok"))
        thread.mark_partial(ENDED_EARLY)

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """A request that failed for good (5xx after retries, timeout, refused connection)."""
        request, what = failed_request(self, failure, "weibo")
        thread: CommentThread | None = request.meta.get("thread")
        if thread is not None:
            thread.mark_partial(error_reason(what))
            yield from self._continue(thread)
        elif request.callback == self.parse_long_text:
            mblog = request.meta["mblog"]
            thread = self._new_thread(wb.mblog_info(mblog))
            thread.mark_partial(error_reason(what))
            yield from self._start_thread(mblog, request.meta["keyword"], None, thread)
