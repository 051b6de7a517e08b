"""Bookkeeping for one comment thread: what was fetched, what cut it short, what comes next.

Users of comparable tools get threads fetched only partly "with no way to know" (FIELD-NOTES,
complaint 1). So each thread counts the distinct comments it yielded, keeps the reasons it
was cut short, and ends with a :class:`~crawler.items.ThreadCoverageItem` that the store
pipeline writes onto the post (``comments_fetched`` next to ``comments_reported``).

Coverage is also summed over the crawl run, in the crawl stats under ``yuqing/coverage/``
(the store pipeline keeps every ``yuqing/`` stat in the crawl_run's ``counts``): threads
ended, how many of them partial, comments fetched, and the platform's reported total for
the threads that had one, so that "fetched 1,120 of 1,480 reported (76%)" can be said of a
run as well as of a post.

A thread's requests go one at a time (a queue per thread): paging needs the previous
answer anyway (``max_id``, cursors), it keeps a thread polite, and it makes "the thread is
finished" simply "its queue is empty". Threads of different posts still run in parallel.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterator

from crawler.items import ThreadCoverageItem

# Partial reasons, as stored in Post.partial_reason (joined with "; " when several).
PAGE_LIMIT = "page_limit"
INVALID_JSON = "invalid_json"
ENDED_EARLY = "ended_early"  # the platform said "no more" although the last page promised more
LONG_TEXT_MISSING = "long_text_missing"


# Crawl-stats keys for the per-run coverage totals (see record_coverage).
STAT_THREADS = "yuqing/coverage/threads"
STAT_PARTIAL = "yuqing/coverage/partial_threads"
STAT_FETCHED = "yuqing/coverage/comments_fetched"
STAT_REPORTED = "yuqing/coverage/comments_reported"
# Fetched counted only over threads whose platform reported a total, so the share below
# compares like with like (a WordPress page without a comment count has no denominator).
STAT_FETCHED_OF_REPORTED = "yuqing/coverage/comments_fetched_of_reported"
STAT_UNREPORTED = "yuqing/coverage/threads_without_reported"
STAT_SHARE = "yuqing/coverage/fetched_share"


def blocked_reason(block_reason: str) -> str:
    return f"blocked:{block_reason}"


def failed_request(spider, failure, platform: str) -> tuple[Any, str]:
    """Count and log a request that failed for good (an HTTP error after retries, a timeout,
    a refused connection); return the request and a short reason such as ``http_500``."""
    request = failure.request
    response = getattr(failure.value, "response", None)
    what = f"http_{response.status}" if response is not None else type(failure.value).__name__.lower()
    spider.crawler.stats.inc_value(f"yuqing/{platform}/errors/{what}")
    spider.logger.error("request failed (%s): %s", what, request.url)
    return request, what


def error_reason(what: str) -> str:
    return f"error:{what}"


@dataclass
class CommentThread:
    post_id: str  # the PostItem id ("weibo:…", "news:…")
    comments_reported: int | None = None
    max_pages: int = 0  # 0: no limit
    pages: int = 0
    fetched: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    queue: deque[Any] = field(default_factory=deque)  # scrapy Requests, sent one at a time
    finished: bool = False
    stopped: bool = False  # a block: nothing more is asked for this thread

    def add(self, comment_id: str) -> bool:
        """Count a comment; False when this thread already yielded it (inline replies come again
        on the reply pages)."""
        if comment_id in self.fetched:
            return False
        self.fetched.add(comment_id)
        return True

    def mark_partial(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def may_fetch_page(self) -> bool:
        """Count one more page; False (and partial) once the page limit is reached, and False
        for good once the thread was stopped (a block is never answered with more requests)."""
        if self.stopped:
            return False
        if self.max_pages and self.pages >= self.max_pages:
            self.mark_partial(PAGE_LIMIT)
            return False
        self.pages += 1
        return True

    def stop(self, reason: str) -> None:
        """Give up on the rest of the thread (a block): drop what was queued, queue nothing more."""
        self.mark_partial(reason)
        self.stopped = True
        self.queue.clear()

    def next_request(self) -> Any | None:
        return self.queue.popleft() if self.queue else None

    def advance(self, stats, platform: str) -> Iterator[Any]:
        """What a spider yields after each page of the thread: its next request, or, when
        nothing is left, its coverage item (counting a partial thread in the crawl stats)."""
        request = self.next_request()
        if request is not None:
            yield request
        elif not self.finished:
            if self.reasons:
                stats.inc_value(f"yuqing/{platform}/partial_threads")
            coverage = self.coverage()
            record_coverage(stats, coverage)
            yield coverage

    def coverage(self) -> ThreadCoverageItem:
        self.finished = True
        return ThreadCoverageItem(
            post_id=self.post_id,
            comments_fetched=len(self.fetched),
            comments_reported=self.comments_reported,
            partial=bool(self.reasons),
            partial_reason="; ".join(self.reasons) or None,
        )


def record_coverage(stats, coverage: ThreadCoverageItem) -> None:
    """Add one ended thread to the crawl run's coverage totals (FIELD-NOTES, complaint 1:
    coverage per post *and* per crawl run).

    The share is recomputed at every thread end rather than once at the close: the store
    pipeline writes the crawl_run in its ``close_spider``, before the spider's own
    ``closed`` hook runs, so a figure set there would never reach the store."""
    stats.inc_value(STAT_THREADS)
    stats.inc_value(STAT_FETCHED, coverage.comments_fetched)
    if coverage.partial:
        stats.inc_value(STAT_PARTIAL)
    if coverage.comments_reported is None:
        stats.inc_value(STAT_UNREPORTED)
    else:
        stats.inc_value(STAT_REPORTED, coverage.comments_reported)
        stats.inc_value(STAT_FETCHED_OF_REPORTED, coverage.comments_fetched)
    reported = stats.get_value(STAT_REPORTED, 0)
    if reported:
        stats.set_value(STAT_SHARE, round(stats.get_value(STAT_FETCHED_OF_REPORTED, 0) / reported, 4))
