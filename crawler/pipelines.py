"""Item pipelines: clean every fetched page with `cleaners.clean()`, then write the row to the
dataset (when on) -- skipping articles the dataset already holds."""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from cleaners.article import STATUS_CLEANER_ERROR
from cleaners.core import MAX_BYTES

from . import cleanpool
from .context import CrawlContext
from .dataset import DatasetWriteError, is_permanent, safe_text, writable_row
from .items import ArticleRow, PageItem
from .rows import error_row, page_to_row

log = logging.getLogger(__name__)


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
        self.time_limit = cleanpool.time_limit(crawler.settings)
        self.pool: cleanpool.CleanPool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        if self.workers:
            self.pool = cleanpool.acquire(self.workers, self.time_limit)

    def close_spider(self, spider=None):
        if self.pool is not None:
            self.pool = None
            cleanpool.release()

    async def process_item(self, item, spider=None):
        if not isinstance(item, PageItem):
            return item
        if self.pool is None:
            return page_to_row(item, self.ctx.run_id, self.max_bytes)
        try:
            cleaned = await self.pool.clean(dict(item), self.ctx.run_id, self.max_bytes)
        except Exception as exc:  # noqa: BLE001 - the pool's own failure costs this page its text only
            log.exception("cleaning %s in a worker failed", item.get("url"))
            return error_row(item, self.ctx.run_id, STATUS_CLEANER_ERROR, f"{type(exc).__name__}: {exc}"[:500])
        if isinstance(cleaned, cleanpool.Unclean):  # workers died on it (or its time ran out)
            return error_row(item, self.ctx.run_id, cleaned.status, cleaned.reason)
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
        site_url = safe_text(getattr(item, "site_url", None))
        row, refused = writable_row(item)  # the row, or an error row when the schema refuses it
        urls = [row.get("url"), row.get("canonical_url"), row.get("final_url"), site_url]
        if writer.is_seen(urls, [row.get("content_hash")]):
            self.ctx.skip("duplicate")
            raise _quiet_drop(f"already in the dataset: {row.get('canonical_url') or row.get('url')}")
        try:
            writer.write(row, keys_urls=[site_url], mark=is_permanent(row), refused=refused or "")
        except DatasetWriteError as exc:  # the part is lost: end the run with an error, not silence
            self.ctx.write_failed(str(exc))
            raise DropItem(f"not written: {exc}") from exc
        self.ctx.count_row(row)
        return item if not refused else ArticleRow(row)


