"""Cleaning saved pages in bulk, for `newsclean clean`: one row per page, in input order, whatever
a page does to the process cleaning it.

With a time limit (default 30 s) or more than one job, pages are cleaned in worker processes
(cleaners.pool.WorkerPool): a page past the limit has its worker killed and replaced and becomes a
`timeout` row; a page on which the worker dies twice becomes a `cleaner_error` row; the run goes
on. At most 8 pages per worker are in flight, so memory stays flat on any number of files.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial

from .article import STATUS_CLEANER_ERROR, STATUS_READ_ERROR, STATUS_TIMEOUT, error_article
from .core import clean
from .io.inputs import SavedPage
from .io.schema import article_record
from .pool import TaskTimeout, WorkerDied, WorkerPool

log = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT = 30.0
IN_FLIGHT_PER_WORKER = 8


def time_limit_setting(value: float | None = None) -> float | None:
    """Seconds per page: the value given, else NEWSCLEAN_TIME_LIMIT, else 30; 0 disables (None)."""
    if value is None:
        raw = os.environ.get("NEWSCLEAN_TIME_LIMIT", "").strip()
        try:
            value = float(raw) if raw else DEFAULT_TIME_LIMIT
        except ValueError:
            raise ValueError(f"NEWSCLEAN_TIME_LIMIT must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"the time limit must be 0 (off) or a number of seconds, not {value:g}")
    return value or None


def page_row(page: SavedPage, article) -> dict:
    return article_record(article, source="saved", source_path=page.source_path,
                          fetched_at=page.fetched_at, http_status=page.http_status)


def clean_saved_page(page: SavedPage, *, kind: str | None, max_bytes: int) -> dict:
    """One saved page to one output row (an error row when the file could not be read)."""
    if page.error:
        article = error_article(STATUS_READ_ERROR, page.error, url=page.url)
    else:
        article = clean(page.data, url=page.url, kind=kind, http_charset=page.http_charset,
                        max_bytes=max_bytes)
    return page_row(page, article)


def failed_page_row(page: SavedPage, exc: BaseException) -> dict:
    """The row of a page whose cleaning did not come back: over the time limit, a worker that
    died on it, or a bug outside clean() itself."""
    if isinstance(exc, TaskTimeout):
        article = error_article(STATUS_TIMEOUT, str(exc), url=page.url)
    elif isinstance(exc, WorkerDied):
        article = error_article(STATUS_CLEANER_ERROR, str(exc), url=page.url)
    else:
        article = error_article(STATUS_CLEANER_ERROR, f"{type(exc).__name__}: {exc}", url=page.url)
    return page_row(page, article)


_WARM_UP_PAGE = ("<html><head><title>Warm-up</title></head><body><article><h1>Warm-up page</h1>"
                  + "".join(f"<p>Paragraph {n}: the worker cleans this page once before its first real one, "
                            f"so that the libraries and models it loads on first use are in memory.</p>"
                            for n in range(6)) + "</article></body></html>")


def warm_up() -> None:
    """Worker initializer (here and in the crawl's workers): clean one small article page before
    saying ready, so that what clean() loads on first use (the block classifier, language and
    date models, lazy imports: a second or more) is in memory, a page's time limit measures the
    page, and a fresh worker's first page is not its victim."""
    clean(_WARM_UP_PAGE, url="https://news.example.org/2025/01/02/warm-up-page", kind="html")


def _light(page: SavedPage) -> SavedPage:
    """The page without its bytes: what the parent keeps to write an error row for it."""
    return SavedPage(data=b"", source_path=page.source_path, url=page.url, http_status=page.http_status,
                     fetched_at=page.fetched_at)


def clean_pages(pages: Iterable[SavedPage], *, jobs: int = 1, time_limit: float | None = DEFAULT_TIME_LIMIT,
                kind: str | None = None, max_bytes: int) -> Iterator[dict]:
    """One row per page, in input order. In this process when jobs is 1 and there is no time
    limit; else in a WorkerPool of `jobs` workers (a limit can only be enforced on another process)."""
    work = partial(clean_saved_page, kind=kind, max_bytes=max_bytes)
    if jobs <= 1 and not time_limit:
        for page in pages:
            try:
                yield work(page)
            except Exception as exc:  # noqa: BLE001 - a bug on one page must not end the run
                log.exception("cleaning %s failed", page.source_path)
                yield failed_page_row(page, exc)
        return
    pool = WorkerPool(max(1, jobs), initializer=warm_up, time_limit=time_limit)
    try:
        pending: deque = deque()
        for page in pages:
            pending.append((_light(page), pool.submit(work, page)))
            if len(pending) >= max(1, jobs) * IN_FLIGHT_PER_WORKER:
                yield _result(*pending.popleft())
        while pending:
            yield _result(*pending.popleft())
    except BaseException:  # interrupted (Ctrl-C, the consumer stopped): stop the workers now
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _result(page: SavedPage, future) -> dict:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - TaskTimeout, WorkerDied, or a bug in the task
        if not isinstance(exc, (TaskTimeout, WorkerDied)):
            log.error("cleaning %s failed: %s: %s", page.source_path, type(exc).__name__, exc)
        return failed_page_row(page, exc)
