"""Cleaning in worker processes during a crawl.

Scrapy runs in one thread on one core: when the pipeline cleans every page inside Scrapy's event
loop, a crawl of a fast server uses one core while cleaning (the expensive part) could use them
all. With NEWSCLEAN_CLEAN_WORKERS = N > 0 the pipeline hands each page to one pool of N worker
processes (one pool per crawl process, shared by its spiders) and awaits the row, so Scrapy keeps
fetching and parsing while the workers clean. 0 cleans in the crawl process itself; "auto" (the
default) means one worker per core on machines with more than one core, at most MAX_AUTO_WORKERS
(each worker holds ~200 MB, and a polite crawl of real sites is limited by its delays, not by
cleaning).

Nothing is lost when a worker dies (a crash inside a parser, the out-of-memory killer): the pool
is replaced and the page cleaned again in the new one; a page on which a second worker dies too
becomes a cleaner_error row that says so (the pool serves several pages at once, so the page
may be a bystander of another one's crash), and the crawl goes on.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from typing import NamedTuple

from cleaners.article import STATUS_CLEANER_ERROR

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


def _exit_with(parent_pid: int) -> None:
    """A worker waits for pages on a pipe that it holds both ends of, so a crawl killed with
    SIGKILL would leave it waiting forever: it leaves when its parent is gone."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            os._exit(0)


def _start_worker(parent_pid: int) -> None:
    """Load the block classifier once per worker instead of on its first page."""
    threading.Thread(target=_exit_with, args=(parent_pid,), name="exit-with-parent", daemon=True).start()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    from cleaners.generic import extract as generic

    generic._model()


def _clean_in_worker(page: dict, run_id: str | None, max_bytes: int) -> tuple[dict, str | None]:
    row = page_to_row(page, run_id, max_bytes)
    return dict(row), row.site_url


class CleanPool:
    """A process pool that replaces itself when one of its workers dies."""

    def __init__(self, workers: int, task=None):
        """task: what a worker runs for a page (a module-level function, as a worker imports it
        anew); _clean_in_worker unless a test passes another."""
        self.workers = workers
        self.task = task or _clean_in_worker
        self.restarts = 0
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn, not fork: the crawl process has threads (Twisted's pool, the dataset writer)
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(os.getpid(),))

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:  # the first of the waiting pages to notice replaces it
            broken.shutdown(wait=False, cancel_futures=True)
            self.restarts += 1
            log.warning("a cleaning worker died; starting a new pool of %d (restart %d)",
                        self.workers, self.restarts)
            self._executor = self._new_executor()

    async def clean(self, page: dict, run_id: str | None, max_bytes: int) -> tuple[dict, str | None] | "Unclean":
        """(row as a dict, site URL), or WORKER_DIED when a worker died on this page twice."""
        for _attempt in range(2):
            executor = self._executor
            try:
                return await asyncio.wrap_future(executor.submit(self.task, page, run_id, max_bytes))
            except BrokenProcessPool:
                self._replace(executor)
        return WORKER_DIED

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


def acquire(workers: int) -> CleanPool:
    """The process's pool (created on first use), shared by every spider of the crawl."""
    global _POOL, _USERS
    with _LOCK:
        if _POOL is None:
            _POOL = CleanPool(workers)
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


class Unclean(NamedTuple):
    """A page the pool could not clean: the error row's status and reason."""

    status: str
    reason: str


WORKER_DIED = Unclean(STATUS_CLEANER_ERROR, "a cleaning worker process died twice while this page was "
                                            "being cleaned (a crash in a parser or out of memory)")
