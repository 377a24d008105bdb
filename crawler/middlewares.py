"""Downloader middlewares: skip article URLs the dataset already holds (before fetching), retry
with exponential back-off, and turn what Scrapy would drop without a word (redirect loops,
redirects off the site, bodies that inflate past the size limit) into exceptions that the
spiders' errbacks write as error rows."""
from __future__ import annotations

import logging
import random
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from w3lib.url import safe_url_string

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


class RedirectRefused(IgnoreRequest):
    """A redirect not followed; `status` is the redirect's HTTP status (the row keeps it, so the
    URL is settled and not fetched again every run)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class RedirectLoop(RedirectRefused):
    """A redirect back to a URL of the same chain."""


class OffsiteRedirect(RedirectRefused):
    """A redirect to a host outside the spider's allowed_domains (Scrapy drops the new request
    when it is scheduled, with no errback: the page would vanish)."""


class TooLarge(IgnoreRequest):
    """A body over DOWNLOAD_MAXSIZE once inflated (gzip, deflate, brotli, zstd bombs)."""


REDIRECT_CODES = (301, 302, 303, 307, 308)


class RedirectGuardMiddleware:
    """Sees every 3xx response before Scrapy's RedirectMiddleware (it sits closer to the
    downloader): a target already in the chain is a RedirectLoop, a target off the allowed
    domains an OffsiteRedirect (both reach the request's errback, which makes the row); a target
    on the site's own domains is fetched from the spider's base_url when one is set (a mirror
    must not send the crawl to the live site)."""

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_CODES or not location or request.meta.get("dont_redirect"):
            return response
        spider = self.crawler.spider
        target = urljoin(request.url, safe_url_string(location.decode("latin-1").strip()))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if _strip(target) in {_strip(u) for u in chain}:
            raise RedirectLoop("redirect loop: " + " -> ".join([*chain, target])[:400], response.status)
        allowed = [d.lower() for d in getattr(spider, "allowed_domains", None) or () if d]
        host = (urlsplit(target).hostname or "").lower()
        on_base = getattr(spider, "on_base", None)
        if allowed and not any(host == d or host.endswith("." + d) for d in allowed) and not (
                on_base and on_base(target)):
            raise OffsiteRedirect(f"redirected off the site to {target}"[:400], response.status)
        fetch_url = getattr(spider, "fetch_url", None)
        if fetch_url is not None and getattr(spider, "base_url", None):
            local = fetch_url(target)
            if local != target:
                response.headers[b"Location"] = local.encode("ascii", "replace")
            # the target on the real site, for the row's final_url (the redirected request gets
            # a copy of this meta)
            request.meta["newsclean_site_target"] = target if local != target else spider.site_url(target)
        return response


def _strip(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(fragment="", netloc=parts.netloc.lower()).geturl()


class BoundedCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware (it already stops inflating at DOWNLOAD_MAXSIZE, or the
    request's download_maxsize), raising TooLarge instead of a bare IgnoreRequest so that the
    page becomes a too_large row rather than vanishing."""

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            if "DOWNLOAD_MAXSIZE" in str(exc) or "max size" in str(exc):
                raise TooLarge(str(exc)) from exc
            raise


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
