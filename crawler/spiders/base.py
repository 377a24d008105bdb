"""The base of every newsclean spider: discover article URLs through robots.txt sitemaps, (news)
sitemaps and RSS/Atom feeds, then section pages as a fallback, and fetch each article once.

Common spider arguments (-a NAME=VALUE):
  base_url=URL        fetch from here instead of the live site (a mirror or a local test server):
                      URLs on the site's domains are rewritten to base_url + path.
  sitemap=URL[,URL]   sitemaps to read (replace the spider's own); feed=URL[,URL] likewise for feeds;
  sections=URL[,URL]  section pages (fallback discovery, read when sitemaps and feeds are done);
                      sections=0 turns section pages off.
  limit=N             fetch at most N articles this run.
  max_sitemaps=N      follow at most N entries of a sitemap index (newest first; default 50).
  refetch=1           fetch articles again even when the dataset has them.
  robots_sitemaps=0   do not read `Sitemap:` lines of robots.txt.
  follow=1            also follow article links found on article pages (off: sections only).
"""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.internet.defer import CancelledError

try:  # Scrapy >= 2.14 names the cancelled download
    from scrapy.exceptions import DownloadCancelledError
except ImportError:  # pragma: no cover
    DownloadCancelledError = CancelledError

from cleaners.article import STATUS_FETCH_ERROR, STATUS_TOO_LARGE

from ..dataset import ascii_host
from ..items import PageItem
from ..sitemaps import LOOP, TOO_DEEP, TOO_LARGE, Refused, check_xml, inflate

log = logging.getLogger(__name__)

SOURCE_SITEMAP = "sitemap"
SOURCE_RSS = "rss"
SOURCE_LINK = "link"

_DENY_DEFAULT = (
    r"/amp/", r"/amp$", r"\.(?:jpe?g|png|gif|webp|svg|pdf|mp3|mp4|zip|css|js|xml|rss)$",
    r"/(?:tag|tags|author|authors|search|login|subscribe|video|videos|photo|gallery)/",
)


def _split(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _truthy(value) -> bool:
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


def host_matches(host: str | None, domains) -> bool:
    """Whether a host is one of the domains or under one (hosts compared in IDNA form)."""
    if not host:
        return False
    try:
        host = ascii_host(host.lower())
    except UnicodeError:
        return False
    return any(host == d or host.endswith("." + d) for d in domains)


class NewsSpider(scrapy.Spider):
    """Subclasses set: name, site, domains, home, sitemap_urls, feed_urls, section_urls,
    article_patterns (regular expressions searched in the URL path)."""

    site: str | None = None  # the site's registered domain, for rows whose page names none
    domains: tuple[str, ...] = ()  # the real site's domains (subdomains match)
    home: str | None = None  # the real site's main URL (https://www.rt.com)
    sitemap_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    section_urls: tuple[str, ...] = ()
    article_patterns: tuple[str, ...] = ()
    deny_patterns: tuple[str, ...] = _DENY_DEFAULT
    sitemap_follow: tuple[str, ...] = ()  # sitemap-index entries to follow (regex); () = all
    max_sitemaps = 50  # sitemap-index entries followed per index (newest lastmod first)
    robots_sitemaps = True
    follow_article_links = False  # follow article links found on article pages

    def __init__(self, *args, base_url=None, sitemap=None, feed=None, sections=None, limit=None,
                 refetch=None, robots_sitemaps=None, follow=None, max_sitemaps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.domains = tuple(ascii_host(d.lower().lstrip(".")) for d in self.domains)  # IDNA form
        if sitemap is not None:
            self.sitemap_urls = tuple(_split(sitemap))
        if feed is not None:
            self.feed_urls = tuple(_split(feed))
        if sections is not None:
            self.section_urls = () if sections in ("0", "") else tuple(_split(sections))
        if robots_sitemaps is not None:
            self.robots_sitemaps = _truthy(robots_sitemaps)
        if follow is not None:
            self.follow_article_links = _truthy(follow)
        self.limit = int(limit) if limit else None
        if max_sitemaps is not None:
            self.max_sitemaps = int(max_sitemaps)
        self.refetch = _truthy(refetch) if refetch is not None else False
        self._article_re = [re.compile(p) for p in self.article_patterns]
        self._deny_re = [re.compile(p, re.IGNORECASE) for p in self.deny_patterns]
        self._follow_re = [re.compile(p) for p in self.sitemap_follow]
        self._scheduled = 0
        self._reported_seen: set[str] = set()  # known articles skipped, each counted once
        self._requested: set[str] = set()  # articles this run asked for
        self._sections_done = False
        self._discovering = False  # set by start(): contract checks (scrapy check) never start
        allowed = set(self.domains)
        if self.base_url:
            allowed.add(urlsplit(self.base_url).hostname)
        if allowed and not getattr(self, "allowed_domains", None):
            self.allowed_domains = sorted(a for a in allowed if a)

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # NEWSCLEAN_USER_AGENT given by the user (-s or settings) wins over the default USER_AGENT.
        if settings.getpriority("NEWSCLEAN_USER_AGENT") > settings.getpriority("USER_AGENT"):
            settings.set("USER_AGENT", settings.get("NEWSCLEAN_USER_AGENT"),
                         priority=settings.getpriority("NEWSCLEAN_USER_AGENT"))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._on_bytes, signal=signals.bytes_received)
        return spider

    # -- URLs: real site <-> where we fetch from ----------------------------------------------
    @property
    def origin(self) -> str | None:
        return self.base_url or (self.home.rstrip("/") if self.home else None)

    def absolute(self, url: str) -> str:
        """A configured URL or path, made absolute on the real site (or the base URL)."""
        if "://" in url:
            return url
        return urljoin((self.home or self.origin or "") + "/", url.lstrip("/"))

    def fetch_url(self, url: str) -> str:
        """Where to fetch a real-site URL from (base_url rewrites the site's own hosts)."""
        if not self.base_url:
            return url
        parts = urlsplit(url)
        if host_matches(parts.hostname, self.domains):
            base = urlsplit(self.base_url)
            path = (base.path.rstrip("/") + parts.path) or "/"
            return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))
        return url

    def on_base(self, url: str) -> bool:
        """Whether a URL is on the base URL (same scheme, host and port, under its path)."""
        if not self.base_url:
            return False
        base, parts = urlsplit(self.base_url), urlsplit(url)
        prefix = base.path.rstrip("/")
        return (parts.scheme, parts.netloc.lower()) == (base.scheme, base.netloc.lower()) and (
            not prefix or parts.path == prefix or parts.path.startswith(prefix + "/"))

    def site_url(self, fetched: str) -> str:
        """The real-site URL of a fetched URL (inverse of fetch_url): what a row is keyed by, so
        that a re-run from another mirror, port or host finds the article it wrote."""
        if self.home and self.on_base(fetched):
            return self.home.rstrip("/") + fetched[len(self.base_url):]
        return fetched

    def is_article(self, url: str) -> bool:
        parts = urlsplit(url)
        on_site = host_matches(parts.hostname, self.domains) or (
            self.base_url and parts.netloc == urlsplit(self.base_url).netloc)
        if not on_site:
            return False
        path = parts.path
        if self.base_url and parts.netloc == urlsplit(self.base_url).netloc:
            prefix = urlsplit(self.base_url).path.rstrip("/")
            if prefix and path.startswith(prefix):
                path = path[len(prefix):] or "/"
        if any(r.search(path) for r in self._deny_re):
            return False
        return any(r.search(path) for r in self._article_re)

    # -- requests -----------------------------------------------------------------------------
    async def start(self):
        self._discovering = True
        for request in self.discovery_requests():
            if request is not None:
                yield request

    def discovery_requests(self):
        if self.robots_sitemaps and self.origin:
            yield self.discovery_request(self.origin + "/robots.txt", self.parse_robots, priority=20,
                                         meta={"dont_obey_robotstxt": True})
        for url in self.sitemap_urls:
            yield self.sitemap_request(self.absolute(url))
        for url in self.feed_urls:
            yield self.discovery_request(self.fetch_url(self.absolute(url)), self.parse_feed, priority=15)

    def discovery_request(self, url: str, callback, priority: int = 0, meta=None):
        """Sitemaps, feeds, robots.txt and section pages are read again on every run (also when
        a JOBDIR keeps the seen-requests filter), but only once within a run."""
        seen = self.__dict__.setdefault("_discovery_urls", set())
        if url in seen:
            return None
        seen.add(url)
        return scrapy.Request(url, callback=callback, errback=self.discovery_failed, priority=priority,
                              meta=meta or {}, dont_filter=True)

    def sitemap_request(self, url: str, chain=()):
        """A sitemap (or index) request; `chain`: the indexes that led to it."""
        meta = {"sitemap_chain": list(chain), "download_maxsize": self._sitemap_limit(),
                "download_warnsize": self._sitemap_limit()}
        return self.discovery_request(self.fetch_url(url), self.parse_sitemap, priority=15, meta=meta)

    def article_request(self, url: str, source: str):
        """A request for an article found at `url` (a real-site URL), or None past the limit."""
        site_url = self.site_url(url)
        # Known articles are dropped here, before they are queued: a re-run over sitemaps of
        # hundreds of thousands of URLs then holds only the new ones in memory.
        # (SeenFilterMiddleware checks again at download time, for requests from a JOBDIR queue.)
        if not self.refetch and site_url not in self._requested and self._in_dataset(self.fetch_url(url), site_url):
            return None
        if self.limit is not None and self._scheduled >= self.limit:
            return None
        self._scheduled += 1
        self._requested.add(site_url)  # found again later (feed after sitemap): the dupefilter's
        meta = {"newsclean_article": True, "source": source, "site_url": site_url}
        if self.refetch:
            meta["newsclean_refetch"] = True
        return scrapy.Request(self.fetch_url(url), callback=self.parse_article,
                              errback=self.fetch_failed, meta=meta, priority=5)

    def _in_dataset(self, *urls: str) -> bool:
        from ..context import CrawlContext

        context = CrawlContext.of(self.crawler)
        # Committed state only: an article written earlier in this run and found again (sitemap,
        # then feed) is Scrapy's duplicate filter's business, as before.
        if context.writer is None or not context.writer.state.seen_any(list(urls), []):
            return False
        if urls[-1] not in self._reported_seen:  # found through several sources: count it once
            self._reported_seen.add(urls[-1])
            context.skip("seen")
        return True

    def _on_idle(self, spider=None):
        if self._sections_done or not self._discovering:
            return
        self._sections_done = True
        if not self.section_urls:
            return
        requests = [self.discovery_request(self.fetch_url(self.absolute(url)), self.parse_section)
                    for url in self.section_urls]
        requests = [r for r in requests if r is not None]
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    # -- discovery callbacks ------------------------------------------------------------------
    def parse_robots(self, response):
        for line in response.text.splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap" and value.strip():
                request = self.sitemap_request(value.strip())
                if request is not None:
                    yield request

    def refuse(self, kind: str, url: str, reason: str, detail: str = "") -> None:
        """A sitemap or feed not read: logged and counted in the manifest (discovery_refused)."""
        from ..context import CrawlContext

        log.warning("%s refused: %s: %s%s", kind, url, reason, f" ({detail})" if detail else "")
        CrawlContext.of(self.crawler).refuse(f"{kind}: {reason}")

    def _sitemap_limit(self) -> int:
        return self.crawler.settings.getint("NEWSCLEAN_SITEMAP_MAXSIZE", 50 * 1024 * 1024)

    def parse_sitemap(self, response):
        """Reads a sitemap index, a sitemap or a news sitemap (gzipped or not); refuses, and
        counts, sitemaps that declare entities or an external DTD, inflate past
        NEWSCLEAN_SITEMAP_MAXSIZE, list themselves or an index above them, or nest deeper than
        NEWSCLEAN_SITEMAP_DEPTH.

        """
        try:
            body = check_xml(inflate(response.body, self._sitemap_limit()))
        except Refused as exc:
            self.refuse("sitemap", response.url, exc.reason, str(exc))
            return
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # noqa: BLE001 - a broken sitemap must not stop the crawl
            self.refuse("sitemap", response.url, "unreadable", str(exc))
            return
        if sitemap.type == "sitemapindex":
            chain = [*response.meta.get("sitemap_chain", ()), response.url]
            if len(chain) > self.crawler.settings.getint("NEWSCLEAN_SITEMAP_DEPTH", 4):
                self.refuse("sitemap", response.url, TOO_DEEP, " -> ".join(chain)[:300])
                return
            followed = 0
            # newest first (by lastmod, when given), so max_sitemaps keeps the recent ones
            entries = sorted(sitemap, key=lambda e: e.get("lastmod") or "", reverse=True)
            for entry in entries:
                loc = entry.get("loc")
                if not loc or (self._follow_re and not any(r.search(loc) for r in self._follow_re)):
                    continue
                if followed >= self.max_sitemaps:
                    break
                followed += 1
                if self.fetch_url(loc) in chain or loc in chain:
                    self.refuse("sitemap", loc, LOOP, " -> ".join([*chain, loc])[:300])
                    continue
                request = self.sitemap_request(loc, chain)
                if request is not None:
                    yield request
        else:
            for entry in sitemap:
                loc = entry.get("loc")
                if loc and self.is_article(loc):
                    request = self.article_request(loc, SOURCE_SITEMAP)
                    if request is not None:
                        yield request

    def parse_feed(self, response):
        """Reads an RSS 2.0 or Atom feed.

        """
        try:
            check_xml(response.body)
        except Refused as exc:
            self.refuse("feed", response.url, exc.reason, str(exc))
            return
        selector = scrapy.Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        links = selector.xpath("//item/link/text()").getall()
        links += selector.xpath("//item/guid[not(@isPermaLink='false')]/text()").getall()
        links += selector.xpath("//entry/link[not(@rel) or @rel='alternate']/@href").getall()
        seen = set()
        for link in links:
            link = link.strip()
            if link and link not in seen and self.is_article(link):
                seen.add(link)
                request = self.article_request(link, SOURCE_RSS)
                if request is not None:
                    yield request

    def parse_section(self, response):
        """A section page: follows the article links on it.

        """
        yield from self.follow_articles(response)

    def follow_articles(self, response):
        if not hasattr(response, "css"):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip())
            real = self.site_url(url)
            if self.is_article(real):
                request = self.article_request(real, SOURCE_LINK)
                if request is not None:
                    yield request

    def discovery_failed(self, failure):
        """A sitemap, feed or section page that could not be fetched: counted in the manifest
        (discovery_refused), except robots.txt refusals (counted as skipped: robots)."""
        from ..middlewares import TooLarge

        value, request = failure.value, failure.request
        message = str(value) or type(value).__name__
        if failure.check(IgnoreRequest) and "robots.txt" in message:
            return
        kind = "sitemap" if request.callback == self.parse_sitemap else (
            "feed" if request.callback == self.parse_feed else "discovery")
        if failure.check(HttpError):
            reason, message = f"HTTP {value.response.status}", ""
        elif failure.check(TooLarge) or "max size" in message:
            reason = TOO_LARGE
        elif failure.check(CancelledError, DownloadCancelledError):
            reason = "download cancelled (over the size limit?)"
        else:
            reason = type(value).__name__
        if request.url.endswith("/robots.txt"):
            kind = "robots.txt"
        self.refuse(kind, request.url, reason, message[:200])

    # -- articles -----------------------------------------------------------------------------
    def parse_article(self, response):
        """An article page: yields it for the cleaning pipeline.

        """
        yield self.page_item(response)
        if self.follow_article_links:
            yield from self.follow_articles(response)

    def page_item(self, response) -> PageItem:
        request = response.request
        meta = request.meta if request is not None else {}
        redirects = meta.get("redirect_urls") or []
        asked = redirects[0] if redirects else (request.url if request is not None else response.url)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        site_url = meta.get("site_url") or self.site_url(asked)
        return PageItem(
            url=site_url,  # the site's own URL (mirror rewriting undone): the row's key
            final_url=(meta.get("newsclean_site_target") or self.site_url(response.url)) if redirects else site_url,
            site_url=site_url,
            body=response.body,
            content_type=content_type,
            http_charset=None,
            http_status=response.status,
            fetched_at=datetime.now(timezone.utc),
            source=meta.get("source") or SOURCE_LINK,
            default_site=self.site,
        )

    def _on_bytes(self, data, request, spider=None):
        """bytes_received: count each article's body, so that a download Scrapy cancelled for
        exceeding DOWNLOAD_MAXSIZE as it streamed (chunked, no Content-Length: a bare
        CancelledError) is told apart from other failures."""
        if request.meta.get("newsclean_article"):
            request.meta["newsclean_bytes"] = request.meta.get("newsclean_bytes", 0) + len(data)

    def _max_size(self, request) -> int:
        return int(request.meta.get("download_maxsize") or self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def fetch_failed(self, failure):
        """Errback of article requests: a failed fetch becomes a row, not silence. Requests
        dropped on purpose (robots.txt, already in the dataset) are only counted."""
        from ..middlewares import AlreadySeen, RedirectRefused, TooLarge

        request = failure.request
        meta = request.meta
        redirects = meta.get("redirect_urls") or []
        site_url = meta.get("site_url") or self.site_url(redirects[0] if redirects else request.url)
        item = PageItem(url=site_url, final_url=self.site_url(request.url), site_url=site_url, body=None,
                        fetched_at=datetime.now(timezone.utc), source=meta.get("source") or SOURCE_LINK,
                        default_site=self.site, error_status=STATUS_FETCH_ERROR)
        value = failure.value
        message = str(value) or type(value).__name__
        if failure.check(HttpError):
            response = value.response
            item["final_url"] = self.site_url(response.url)
            item["http_status"], item["error"] = http_status_and_error(response.status)
        elif failure.check(RedirectRefused):  # a loop, or off the site
            item["error"] = message
            item["http_status"] = value.status  # a redirect: settled, not fetched again next run
        elif failure.check(TooLarge) or "max size" in message or (
                failure.check(CancelledError, DownloadCancelledError)
                and meta.get("newsclean_bytes", 0) > self._max_size(request)):
            item["error_status"] = STATUS_TOO_LARGE
            item["error"] = (message if "max size" in message or failure.check(TooLarge) else
                             f"the body passed DOWNLOAD_MAXSIZE ({self._max_size(request)} bytes) as it "
                             f"streamed in (max size): download cancelled")[:500]
        elif failure.check(AlreadySeen) or (failure.check(IgnoreRequest) and "robots.txt" in message):
            return  # on purpose: counted as skipped (seen, robots)
        elif failure.check(IgnoreRequest) and "max redirections" in message:
            item["error"] = f"too many redirects ({len(redirects) + 1}): {message}"
        else:
            item["error"] = f"{type(value).__name__}: {message}"[:500]
        yield item


def http_status_and_error(status: int) -> tuple[int | None, str]:
    """An HTTP error response's status for the row and its error text; a status outside
    100-999 (a broken server) is named in the error, not stored (the column is int16)."""
    if 100 <= status <= 999:
        return status, f"HTTP {status}"
    return None, f"HTTP status {status} (not a valid HTTP status)"
