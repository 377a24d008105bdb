"""Per-crawler glue between the pipeline, the middlewares and the dataset: one `CrawlContext` per
crawler, created on first use, holding the run id, the dataset writer (when the dataset is on) and
the counts that go into the run manifest."""
from __future__ import annotations

import logging
import os
import threading
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals

from cleaners import health

from .dataset import DatasetWriter, Manifest, check_run_id, new_run_id

log = logging.getLogger(__name__)

_PROCESS_RUN_ID = None
_SHARED_WRITERS: dict[tuple[str, str], DatasetWriter] = {}
_SHARED_LOCK = threading.Lock()


def process_run_id() -> str:
    """One run id per process unless NEWSCLEAN_RUN_ID says otherwise: the spiders that
    `newsclean crawl` runs together share it (and one manifest)."""
    global _PROCESS_RUN_ID
    if _PROCESS_RUN_ID is None:
        _PROCESS_RUN_ID = check_run_id(os.environ.get("NEWSCLEAN_RUN_ID") or new_run_id())
    return _PROCESS_RUN_ID


def _cluster_options(settings) -> dict:
    """Redis mode (crawler.cluster): the Redis state store; {} for the SQLite one."""
    if not settings.get("NEWSCLEAN_REDIS_URL"):
        return {}
    from .cluster import dataset_options

    return dataset_options(settings)


def dataset_dir(settings) -> Path:
    explicit = settings.get("NEWSCLEAN_DATASET_DIR")
    if explicit:
        return Path(explicit)
    return Path(settings.get("NEWSCLEAN_OUTPUT") or "output") / "articles"


class CrawlContext:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.run_id = check_run_id(settings.get("NEWSCLEAN_RUN_ID") or process_run_id())
        self.enabled = settings.getbool("NEWSCLEAN_DATASET_ENABLED")
        self.writer: DatasetWriter | None = None
        self.manifest: Manifest | None = None
        self.recovery: dict = {}
        self.by_status: Counter = Counter()
        self.by_site_status: dict[str, Counter] = defaultdict(Counter)
        self.skipped: Counter = Counter()
        self.refused: Counter = Counter()  # sitemaps and feeds not read, by reason
        self.templates: dict = {}  # cleaners.health counts: pages per site template, fallbacks
        self.files_before = 0
        self.started_at = None
        self._loop = None
        if self.enabled:
            root = dataset_dir(settings)
            with _SHARED_LOCK:
                key = (str(root.resolve()), self.run_id)
                writer = _SHARED_WRITERS.get(key)
                if writer is None:
                    writer = DatasetWriter(
                        root, self.run_id, **_cluster_options(settings),
                        part_rows=settings.getint("NEWSCLEAN_PART_ROWS", 5000),
                        part_seconds=settings.getfloat("NEWSCLEAN_PART_SECONDS", 300.0),
                        row_group_size=settings.getint("NEWSCLEAN_ROW_GROUP_SIZE", 500),
                    )
                    self.recovery = writer.recover()
                    _SHARED_WRITERS[key] = writer
                self.writer = writer
            self.manifest = Manifest.for_run(writer.root, self.run_id)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def of(cls, crawler) -> "CrawlContext":
        ctx = getattr(crawler, "_newsclean_context", None)
        if ctx is None:
            ctx = cls(crawler)
            crawler._newsclean_context = ctx
        return ctx

    def count_row(self, row: dict) -> None:
        self.by_status[row.get("status") or "unknown"] += 1
        self.by_site_status[row.get("site") or "unknown"][row.get("status") or "unknown"] += 1
        health.count(self.templates, row)
        self.crawler.stats.inc_value(f"newsclean/rows/{row.get('status')}")

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1
        self.crawler.stats.inc_value(f"newsclean/skipped/{reason}")

    def refuse(self, reason: str) -> None:
        self.refused[reason] += 1
        self.crawler.stats.inc_value(f"newsclean/refused/{reason}")

    def write_failed(self, message: str) -> None:
        """A part could not be written: stop the run (the disk is likely full or read-only); the
        manifest names the failure and `newsclean crawl` exits non-zero."""
        self.crawler.stats.inc_value("newsclean/write_errors")
        if not getattr(self, "_closing", False):
            self._closing = True
            log.error("newsclean: stopping the crawl: %s", message)
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="dataset_write_error"))

    def spider_opened(self, spider):
        self.started_at = datetime.now(timezone.utc).isoformat()
        if self.writer is not None:
            self.files_before = len(self.writer.files)
            self.manifest.spider_started(spider.name, self.started_at, self.recovery)
            from twisted.internet import task
            self._loop = task.LoopingCall(self.writer.rotate_due)
            self._loop.start(min(5.0, max(0.5, self.writer.part_seconds / 4)), now=False)

    def spider_closed(self, spider, reason):
        if self.writer is None:
            return
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        files = self.writer.close()  # commit every open part (then mark its keys seen)
        stats = self.crawler.stats
        skipped = Counter(self.skipped)
        for reason_key, stat in (("robots", "robotstxt/forbidden"), ("offsite", "offsite/filtered")):
            value = stats.get_value(stat) or 0
            if value:
                skipped[reason_key] += value
        info = {
            "started_at": self.started_at,
            "finished_at": datetime.now(timezone.utc).isoformat(),
            "finish_reason": reason,
            "rows": sum(self.by_status.values()),
            "counts_by_status": dict(self.by_status),
            "counts_by_site": {s: sum(c.values()) for s, c in self.by_site_status.items()},
            "skipped": dict(skipped),
            "requests": stats.get_value("downloader/request_count") or 0,
            "responses": stats.get_value("downloader/response_count") or 0,
            "retries": stats.get_value("retry/count") or 0,
            "rows_refused": self.writer.rows_refused,
            "discovery_refused": dict(self.refused),
            "write_errors": list(self.writer.failures),
            "templates_by_site": self.templates,
            "template_health": {
                "share": self.crawler.settings.getfloat("NEWSCLEAN_FALLBACK_WARN_SHARE", health.DEFAULT_SHARE),
                "min_pages": self.crawler.settings.getint("NEWSCLEAN_FALLBACK_WARN_MIN_PAGES",
                                                          health.DEFAULT_MIN_PAGES)},
        }
        self.manifest.spider_finished(spider.name, info, self.by_status, self.by_site_status,
                                      skipped, files)
        for warning in self.manifest.data["template_warnings"]:
            log.warning("newsclean: %s", warning)
        stats.set_value("newsclean/manifest", str(self.manifest.path))
        log.info("newsclean: run %s manifest %s", self.run_id, self.manifest.path)
