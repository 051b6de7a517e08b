"""Downloader middlewares.

``BackoffRetryMiddleware``: Scrapy's own RetryMiddleware retries a 5xx or a timeout at once,
which against a struggling government server (or a rate-limited API) is hammering. This
one waits ``base * 2**(attempt-1)`` seconds (capped) before handing the retry back, without
blocking the reactor: other requests go on meanwhile. Blocks (418, 432, captcha) are not
retried at all; the spiders stop that thread and report it.
"""

from __future__ import annotations

from typing import Awaitable, Callable

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

# 1 s, 2 s, 4 s … is the usual advice for transient 5xx; 30 s caps a long outage's wait
# per attempt so that RETRY_TIMES attempts still finish within a couple of minutes.
DEFAULT_BACKOFF_BASE_S = 1.0
DEFAULT_BACKOFF_MAX_S = 30.0


async def reactor_sleep(seconds: float) -> None:
    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings, sleep: Callable[[float], Awaitable[None]] = reactor_sleep):
        super().__init__(settings)
        self.base = settings.getfloat("YUQING_RETRY_BACKOFF_BASE", DEFAULT_BACKOFF_BASE_S)
        self.cap = settings.getfloat("YUQING_RETRY_BACKOFF_MAX", DEFAULT_BACKOFF_MAX_S)
        self.sleep = sleep

    def delay_for(self, retry: Request) -> float:
        attempt = max(int(retry.meta.get("retry_times", 1)), 1)
        return min(self.cap, self.base * 2 ** (attempt - 1))

    async def _wait(self, result):
        if isinstance(result, Request) and self.base > 0:
            await self.sleep(self.delay_for(result))
        return result

    async def process_response(self, request: Request, response: Response, spider=None):
        return await self._wait(super().process_response(request, response))

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        return await self._wait(super().process_exception(request, exception))
