"""Item pipelines: clean every fetched page with `cleaners.clean()`, then write the row to the
dataset (when on) -- skipping articles the dataset already holds."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from scrapy.exceptions import DropItem

from cleaners import clean
from cleaners.article import STATUS_FETCH_ERROR, STATUS_NOT_HTML, error_article
from cleaners.core import MAX_BYTES
from cleaners.io.schema import article_record
from cleaners.registry import host_of
from cleaners.metadata.urls import registered_domain

from . import cleanpool
from .context import CrawlContext
from .dataset import is_permanent
from .items import ArticleRow, PageItem

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def page_to_row(page: PageItem, run_id: str | None, max_bytes: int = MAX_BYTES) -> ArticleRow:
    """Clean one fetched page into a row of the article schema."""
    url = page.get("url")
    final_url = page.get("final_url") or url
    body = page.get("body")
    content_type = (page.get("content_type") or "").split(";")[0].strip().lower()
    if page.get("error_status"):
        article = error_article(page["error_status"], page.get("error") or page["error_status"], url=url)
    elif content_type and not content_type.startswith(HTML_TYPES) and not content_type.endswith("+xml"):
        article = error_article(STATUS_NOT_HTML, f"content type {content_type} is not a web page", url=url)
    else:
        charset = page.get("http_charset") or charset_of(page.get("content_type"))
        article = clean(body, url=final_url, kind="html", http_charset=charset, max_bytes=max_bytes)
    if not article.site:
        article.site = (registered_domain(article.canonical_url) or registered_domain(page.get("site_url"))
                        or registered_domain(url) or page.get("default_site") or host_of(url))
    record = article_record(
        article,
        final_url=final_url,
        fetched_at=page.get("fetched_at") or datetime.now(timezone.utc),
        http_status=page.get("http_status"),
        source=page.get("source"),
        crawl_run_id=run_id,
    )
    record["url"] = url or article.url
    row = ArticleRow(record)
    row.site_url = page.get("site_url")
    return row


def _quiet_drop(message: str) -> DropItem:
    try:
        return DropItem(message, log_level="INFO")  # an expected skip, not a warning
    except TypeError:  # Scrapy < 2.13
        return DropItem(message)


class CleanPipeline:
    """PageItem -> ArticleRow (dict of cleaners.schema.ARTICLE_SCHEMA), cleaned in the pool of
    worker processes (crawler.cleanpool, NEWSCLEAN_CLEAN_WORKERS) or, with 0 workers, here."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.ctx = CrawlContext.of(crawler)
        self.max_bytes = crawler.settings.getint("NEWSCLEAN_MAX_BYTES", MAX_BYTES)
        self.workers = cleanpool.clean_workers(crawler.settings)
        self.pool: cleanpool.CleanPool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        if self.workers:
            self.pool = cleanpool.acquire(self.workers)

    def close_spider(self, spider=None):
        if self.pool is not None:
            self.pool = None
            cleanpool.release()

    async def process_item(self, item, spider=None):
        if not isinstance(item, PageItem):
            return item
        if self.pool is None:
            return page_to_row(item, self.ctx.run_id, self.max_bytes)
        cleaned = await self.pool.clean(dict(item), self.ctx.run_id, self.max_bytes)
        if cleaned is None:  # workers died twice while cleaning it: an error row, not a lost page
            status, reason = cleanpool.WORKER_DIED
            return page_to_row(PageItem(item, body=None, error_status=status, error=reason),
                               self.ctx.run_id, self.max_bytes)
        record, site_url = cleaned
        row = ArticleRow(record)
        row.site_url = site_url
        return row


class DatasetPipeline:
    """Writes rows to the partitioned dataset; drops those already in it (same URL, canonical
    URL or content hash). Off unless NEWSCLEAN_DATASET_ENABLED (newsclean crawl turns it on)."""

    def __init__(self, crawler):
        self.ctx = CrawlContext.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        if not isinstance(item, dict) or "status" not in item:
            return item
        writer = self.ctx.writer
        if writer is None:
            self.ctx.count_row(item)
            return item
        site_url = getattr(item, "site_url", None)
        urls = [item.get("url"), item.get("canonical_url"), item.get("final_url"), site_url]
        if writer.is_seen(urls, [item.get("content_hash")]):
            self.ctx.skip("duplicate")
            raise _quiet_drop(f"already in the dataset: {item.get('canonical_url') or item.get('url')}")
        writer.write(item, keys_urls=[site_url], mark=is_permanent(item))
        self.ctx.count_row(item)
        return item


__all__ = ["CleanPipeline", "DatasetPipeline", "page_to_row", "STATUS_FETCH_ERROR"]
