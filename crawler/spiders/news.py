"""News sites: list pages → articles about closures → their comment threads.

    scrapy crawl news -a start_urls=http://127.0.0.1:8765/news/pinglun/,http://127.0.0.1:8765/news/daily/
    yuqing crawl news --start-url http://127.0.0.1:8765/news/pinglun/

A start URL may be a list page (its article links and next pages are followed) or an
article. An article about closures (crawler/parsing/news.py: CLOSURE_WORDS) becomes a
PostItem, then its comments follow — from the WordPress comment pages in the HTML or from
the JSON comment API the page announces — one request at a time, ending with a
ThreadCoverageItem (fetched vs the count the site shows, and why a thread is partial).
Articles about something else are counted (``yuqing/news/off_topic``) and skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urljoin

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.items import PostItem
from crawler.parsing import news as nw
from crawler.parsing.coverage import INVALID_JSON, CommentThread, error_reason, failed_request
from core.schema import url_id
from core.untrusted import parse_json

# Comments asked per API page (the portal's widget asks for 20; most APIs cap there).
API_PAGE_SIZE = 20
DEFAULT_MAX_COMMENT_PAGES = 200


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, start_urls: str | list[str] = "", max_comment_pages: str | int = DEFAULT_MAX_COMMENT_PAGES,
                 author_salt: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        urls = start_urls.split(",") if isinstance(start_urls, str) else list(start_urls)
        self.start_urls = [u.strip() for u in urls if u.strip()]
        if not self.start_urls:
            raise ValueError("news spider needs start URLs (-a start_urls=URL,URL / --start-url URL)")
        self.max_comment_pages = int(max_comment_pages)
        self.author_salt = author_salt
        self.run_args = {"start_urls": list(self.start_urls)}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        from crawler.project import yuqing_settings

        settings = yuqing_settings(crawler)
        return super().from_crawler(crawler, *args, author_salt=settings.author_key(), **kwargs)

    async def start(self):
        for url in self.start_urls:
            yield Request(url, callback=self.parse, errback=self.on_error)

    # -- list pages and articles ----------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if nw.is_article(response):
            yield from self.parse_article(response)
            return
        articles, pages = nw.list_links(response)
        self.crawler.stats.inc_value("yuqing/news/list_pages")
        for href in articles:
            yield response.follow(href, callback=self.parse_article, errback=self.on_error)
        for href in pages:
            yield response.follow(href, callback=self.parse, errback=self.on_error)

    def parse_article(self, response: Response) -> Iterator[Any]:
        fields = nw.article_fields(response)
        if not nw.is_about_closures(fields):
            self.crawler.stats.inc_value("yuqing/news/off_topic")
            self.logger.info("not about account closures, skipped: %s", response.url)
            return
        site = nw.site_key(response.url)
        post = PostItem(id=f"news:{url_id(response.url)}", url=response.url, platform=nw.PLATFORM,
                        text=fields.text, title=fields.title or None, created_at=fields.published_at,
                        subject_city_hint=fields.section)
        thread = CommentThread(post.id, max_pages=self.max_comment_pages)
        self.crawler.stats.inc_value("yuqing/news/articles")
        yield post
        box = nw.api_box(response)
        if box is not None:
            api, article_id = box
            if thread.may_fetch_page():
                thread.queue.append(self._api_request(urljoin(response.url, api), article_id, None, thread, site))
        elif response.css("ol.commentlist, #comments"):
            yield from self._wp_page(response, thread, site)
        yield from self._continue(thread)

    # -- WordPress comment pages ----------------------------------------------------------
    def parse_wp_comments(self, response: Response) -> Iterator[Any]:
        thread: CommentThread = response.meta["thread"]
        yield from self._wp_page(response, thread, response.meta["site"])
        yield from self._continue(thread)

    def _wp_page(self, response: Response, thread: CommentThread, site: str) -> Iterator[Any]:
        total = nw.wp_comment_total(response)
        if total is not None:
            thread.comments_reported = total
        self.crawler.stats.inc_value("yuqing/news/comment_pages")
        for item in nw.wp_comments(response, thread.post_id, site, self.author_salt):
            if thread.add(item.id):
                yield item
        nxt = nw.wp_next_comment_page(response)
        if nxt and thread.may_fetch_page():
            thread.queue.append(response.follow(nxt, callback=self.parse_wp_comments, errback=self.on_error,
                                                meta={"thread": thread, "site": site}))

    # -- JSON comment API -----------------------------------------------------------------
    def _api_request(self, api: str, article_id: str, cursor: str | None, thread: CommentThread,
                     site: str) -> Request:
        query = {"article_id": article_id, "limit": API_PAGE_SIZE}
        if cursor:
            query["cursor"] = cursor
        return Request(f"{api}?{urlencode(query)}", callback=self.parse_api_comments, errback=self.on_error,
                       headers={"Accept": "application/json"},
                       meta={"thread": thread, "site": site, "api": api, "article_id": article_id})

    def parse_api_comments(self, response: Response) -> Iterator[Any]:
        thread: CommentThread = response.meta["thread"]
        try:
            page = nw.parse_api_page(parse_json(response.text))
        except ValueError:
            page = None
        if page is None:
            self.crawler.stats.inc_value("yuqing/news/invalid_json")
            self.logger.warning("comments of %s: not a comment-API answer (%s); thread marked partial",
                                thread.post_id, response.url)
            thread.mark_partial(INVALID_JSON)
        else:
            self.crawler.stats.inc_value("yuqing/news/comment_pages")
            if page.total is not None:
                thread.comments_reported = page.total
            for item in nw.api_comments(page.comments, thread.post_id, response.meta["site"], self.author_salt):
                if thread.add(item.id):
                    yield item
            if page.next_cursor and thread.may_fetch_page():
                meta = response.meta
                thread.queue.append(self._api_request(meta["api"], meta["article_id"], page.next_cursor,
                                                      thread, meta["site"]))
        yield from self._continue(thread)

    # -- thread end and errors ------------------------------------------------------------
    def _continue(self, thread: CommentThread) -> Iterator[Any]:
        yield from thread.advance(self.crawler.stats, "news")

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """A request that failed for good (4xx/5xx after retries, timeout, refused connection)."""
        request, what = failed_request(self, failure, "news")
        thread: CommentThread | None = request.meta.get("thread")
        if thread is not None:
            thread.mark_partial(error_reason(what))
            yield from self._continue(thread)
