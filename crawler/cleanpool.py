"""Cleaning in worker processes during a crawl, with a time limit per page.

Scrapy runs in one thread on one core: when the pipeline cleans every page inside Scrapy's event
loop, a crawl of a fast server uses one core while cleaning (the expensive part) could use them
all. With NEWSCLEAN_CLEAN_WORKERS = N > 0 the pipeline hands each page to one pool of N worker
processes (cleaners.pool.WorkerPool; one pool per crawl process, shared by its spiders) and awaits
the row, so Scrapy keeps fetching and parsing while the workers clean. 0 cleans in the crawl
process itself; "auto" (the default) means one worker per core on machines with more than one
core, at most MAX_AUTO_WORKERS (each worker holds ~200 MB, and a polite crawl of real sites is
limited by its delays, not by cleaning).

Each worker cleans one page at a time, so what happens to a page is its own:
- a page that takes longer than NEWSCLEAN_TIME_LIMIT seconds (default 30; 0 = no limit) has its
  worker killed and replaced, and becomes a `timeout` error row: one pathological page costs the
  crawl at most the limit, never a worker for good;
- a page whose worker dies (a crash inside a parser, the out-of-memory killer) is cleaned once
  more in a new worker; when that one dies too the page becomes a cleaner_error row that says so.
With NEWSCLEAN_CLEAN_WORKERS=0 there is no worker to kill, hence no time limit.
The workers leave with the crawl, even a SIGKILLed one.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import NamedTuple

from cleaners.article import STATUS_CLEANER_ERROR, STATUS_TIMEOUT
from cleaners.batch import DEFAULT_TIME_LIMIT  # one default for newsclean clean and the crawl
from cleaners.pool import TaskTimeout, WorkerDied, WorkerPool

from .rows import page_to_row

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_POOL: "CleanPool | None" = None
_USERS = 0
MAX_AUTO_WORKERS = 4


def clean_workers(settings) -> int:
    """The number of worker processes the settings ask for (0: clean in the crawl process)."""
    value = settings.get("NEWSCLEAN_CLEAN_WORKERS", "auto")
    if value is None or str(value).strip().lower() in ("", "auto"):
        cores = os.cpu_count() or 1
        return min(cores, MAX_AUTO_WORKERS) if cores > 1 else 0  # on one core a worker only adds copying
    workers = int(value)
    if workers < 0:
        raise ValueError(f"NEWSCLEAN_CLEAN_WORKERS must be >= 0 or 'auto', not {value!r}")
    return workers


def time_limit(settings) -> float | None:
    """Seconds a page may take in a worker (NEWSCLEAN_TIME_LIMIT; 0 or less: no limit)."""
    value = settings.get("NEWSCLEAN_TIME_LIMIT", DEFAULT_TIME_LIMIT)
    seconds = float(DEFAULT_TIME_LIMIT if value in (None, "") else value)
    return seconds if seconds > 0 else None


def _start_worker() -> None:
    """Worker initializer: the crawl's log format, then cleaners.batch.warm_up (models loaded
    before the first page's clock starts)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    from cleaners.batch import warm_up

    warm_up()


def _clean_in_worker(page: dict, run_id: str | None, max_bytes: int) -> tuple[dict, str | None]:
    row = page_to_row(page, run_id, max_bytes)
    return dict(row), row.site_url


class Unclean(NamedTuple):
    """A page the pool could not clean: the error row's status and reason."""

    status: str
    reason: str


WORKER_DIED = Unclean(STATUS_CLEANER_ERROR, "a cleaning worker process died twice while this page was "
                                            "being cleaned (a crash in a parser or out of memory)")


class CleanPool:
    """The crawl's worker pool: pages in, (row, site URL) or Unclean out."""

    def __init__(self, workers: int, task=None, time_limit: float | None = DEFAULT_TIME_LIMIT):
        """task: what a worker runs for a page (a module-level function, as a worker imports it
        anew); _clean_in_worker unless a test passes another."""
        self.workers = workers
        self.task = task or _clean_in_worker
        self.time_limit = time_limit
        self._pool = WorkerPool(workers, initializer=_start_worker, time_limit=time_limit)

    @property
    def restarts(self) -> int:
        """Workers replaced so far (deaths and time-outs)."""
        return self._pool.restarts

    async def clean(self, page: dict, run_id: str | None, max_bytes: int) -> tuple[dict, str | None] | Unclean:
        """(row as a dict, site URL), or Unclean(timeout / cleaner_error, why)."""
        try:
            return await asyncio.wrap_future(self._pool.submit(self.task, page, run_id, max_bytes))
        except TaskTimeout as exc:
            log.warning("cleaning %s passed the time limit: a timeout row (%s)", page.get("url"), exc)
            return Unclean(STATUS_TIMEOUT, str(exc))
        except WorkerDied:
            log.warning("cleaning workers died twice on %s: a cleaner_error row", page.get("url"))
            return WORKER_DIED

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


def acquire(workers: int, time_limit: float | None = DEFAULT_TIME_LIMIT) -> CleanPool:
    """The process's pool (created on first use), shared by every spider of the crawl."""
    global _POOL, _USERS
    with _LOCK:
        if _POOL is None:
            _POOL = CleanPool(workers, time_limit=time_limit)
        _USERS += 1
        return _POOL


def release() -> None:
    """The last spider to close shuts the pool down (its workers exit)."""
    global _POOL, _USERS
    with _LOCK:
        _USERS -= 1
        if _USERS > 0 or _POOL is None:
            return
        pool, _POOL = _POOL, None
    pool.shutdown()
