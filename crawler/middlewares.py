"""Downloader middlewares: skip article URLs the dataset already holds (before fetching), and
retry with exponential back-off."""
from __future__ import annotations

import logging
import random

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from .context import CrawlContext

log = logging.getLogger(__name__)


class AlreadySeen(IgnoreRequest):
    """The article is in the dataset already; not fetched again."""


class SeenFilterMiddleware:
    """Drops article requests whose URL (as fetched, or on the real site) is already in the
    dataset. Sitemaps, feeds and section pages are never filtered: they are re-read every run.
    Only active when the dataset is on; `-a refetch=1` or meta `newsclean_refetch` bypasses it."""

    def __init__(self, crawler):
        self.ctx = CrawlContext.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if self.ctx.writer is None or not request.meta.get("newsclean_article"):
            return None
        if request.meta.get("newsclean_refetch"):
            return None
        urls = [request.url, request.meta.get("site_url")]
        if self.ctx.writer.is_seen(urls):
            self.ctx.skip("seen")
            raise AlreadySeen(f"already in the dataset: {request.meta.get('site_url') or request.url}")
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware plus a wait before each retry: RETRY_BACKOFF_BASE * 2**n seconds
    (n = retries so far, +-25% jitter), capped at RETRY_BACKOFF_MAX, and at least the server's
    Retry-After (seconds) when it sends one with 429/503. The wait does not hold the domain's
    download slot, so other requests go on meanwhile."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def _delay(self, request: Request, retry_after: float | None = None) -> float:
        n = request.meta.get("retry_times", 1)  # already incremented on the new request
        delay = self.backoff_base * (2 ** max(0, n - 1))
        delay *= random.uniform(0.75, 1.25)
        if retry_after:
            delay = max(delay, retry_after)
        return min(delay, self.backoff_max)

    async def _wait(self, delay: float) -> None:
        if delay <= 0:
            return
        from twisted.internet import reactor, task
        from scrapy.utils.defer import maybe_deferred_to_future
        await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))

    async def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            retry_after = None
            value = response.headers.get(b"Retry-After")
            if value:
                try:
                    retry_after = float(value.decode().strip())
                except ValueError:
                    retry_after = None
            delay = self._delay(result, retry_after)
            log.debug("retrying %s in %.1fs (HTTP %s)", request.url, delay, response.status)
            await self._wait(delay)
        return result

    async def process_exception(self, request, exception, spider=None):
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            delay = self._delay(result)
            log.debug("retrying %s in %.1fs (%s)", request.url, delay, type(exception).__name__)
            await self._wait(delay)
        return result
