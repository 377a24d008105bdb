"""Cleaning in worker processes (crawler.cleanpool): the same rows as cleaning in the crawl
process, a worker that dies loses no page, and a killed crawl leaves no worker behind."""
from __future__ import annotations

import asyncio
import signal
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil
import pytest
from scrapy.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import copy_mirror, crawl_cmd, env, rows, run  # noqa: E402

from cleaners.core import MAX_BYTES  # noqa: E402
from crawler import cleanpool  # noqa: E402
from crawler.demo import MIRROR  # noqa: E402
from crawler.demo.server import serve_mirror  # noqa: E402
from crawler.rows import page_to_row  # noqa: E402

SPIDERS = ["rt", "sputnik", "republicworld"]
TOTAL_ROWS = 11  # 8 articles + 3 broken pages (see test_crawl_demo_mirror)
FETCHED = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def _pages() -> list[dict]:
    """Fetched-page dicts of the demo mirror's article pages (as the spiders yield them)."""
    pages = []
    for path in sorted(MIRROR.rglob("*.html"))[:6]:
        url = "https://www.rt.com/" + path.relative_to(MIRROR / "rt").as_posix() if "rt" in path.parts else None
        pages.append({"url": url or f"https://example.org/{path.name}", "body": path.read_bytes(),
                      "content_type": "text/html; charset=utf-8", "http_status": 200,
                      "fetched_at": FETCHED, "source": "sitemap"})
    assert len(pages) >= 4, "the demo mirror has article pages"
    return pages


def test_clean_workers_setting():
    assert cleanpool.clean_workers(Settings({"NEWSCLEAN_CLEAN_WORKERS": "0"})) == 0
    assert cleanpool.clean_workers(Settings({"NEWSCLEAN_CLEAN_WORKERS": 3})) == 3
    auto = cleanpool.clean_workers(Settings({"NEWSCLEAN_CLEAN_WORKERS": "auto"}))
    assert auto == (min(psutil.cpu_count(), cleanpool.MAX_AUTO_WORKERS) if psutil.cpu_count() > 1 else 0)
    with pytest.raises(ValueError):
        cleanpool.clean_workers(Settings({"NEWSCLEAN_CLEAN_WORKERS": "-1"}))


async def _clean_all(pool, pages):
    return await asyncio.gather(*(pool.clean(page, "run-1", MAX_BYTES) for page in pages))


def test_workers_give_the_rows_the_crawl_process_gives():
    pages = _pages()
    pool = cleanpool.CleanPool(2)
    try:
        cleaned = asyncio.run(_clean_all(pool, pages))
    finally:
        pool.shutdown()
    for page, (record, site_url) in zip(pages, cleaned):
        here = page_to_row(page, "run-1", MAX_BYTES)
        assert record == dict(here)
        assert site_url == here.site_url
    assert any(record["status"] == "ok" and record["word_count"] > 50 for record, _ in cleaned)


def test_a_page_that_kills_its_worker_is_reported_and_the_others_are_cleaned():
    from crashworker import clean_or_die

    pages = _pages()[:3]
    crash = {**pages[0], "url": "https://example.org/crash"}
    pool = cleanpool.CleanPool(1, task=clean_or_die)
    try:
        first = asyncio.run(_clean_all(pool, [crash]))
        after = asyncio.run(_clean_all(pool, pages))
    finally:
        pool.shutdown()
    assert first == [cleanpool.WORKER_DIED]  # died twice: the pipeline makes it a cleaner_error row
    assert pool.restarts >= 2
    assert [record == dict(page_to_row(page, "run-1", MAX_BYTES)) for (record, _), page in zip(after, pages)] \
        == [True] * len(pages)


def _workers_of(pid: int) -> list[psutil.Process]:
    try:
        kids = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for kid in kids:
        try:
            if "spawn_main" in " ".join(kid.cmdline()):
                out.append(kid)
        except psutil.NoSuchProcess:
            continue
    return out


def _wait_for_workers(proc, n: int, timeout: float = 60.0) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = _workers_of(proc.pid)
        if len(workers) >= n:
            return workers
        assert proc.poll() is None, "the crawl ended before its workers started"
        time.sleep(0.05)
    pytest.fail(f"no {n} cleaning workers after {timeout} s")


def test_worker_killed_mid_crawl_loses_no_page(tmp_path):
    mirror = copy_mirror(tmp_path / "mirror")
    servers = serve_mirror(mirror, delay=0.3)
    out = tmp_path / "out"
    cmd = crawl_cmd(SPIDERS, out, servers=servers,
                    settings={"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "NEWSCLEAN_CLEAN_WORKERS": 1})
    import subprocess

    proc = subprocess.Popen(cmd, cwd=out.parent, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        (worker,) = _wait_for_workers(proc, 1)
        worker.kill()
        _stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
        for server in servers.values():
            server.stop()
    assert proc.returncode == 0, stderr.decode()[-3000:]
    data = rows(out / "articles")
    assert len(data) == TOTAL_ROWS and len({r["url"] for r in data}) == TOTAL_ROWS
    assert sum(r["status"] == "ok" for r in data) == 8


def test_sigkilled_crawl_leaves_no_worker_behind(tmp_path):
    mirror = copy_mirror(tmp_path / "mirror")
    servers = serve_mirror(mirror, delay=0.3)
    cmd = crawl_cmd(SPIDERS, tmp_path / "out", servers=servers,
                    settings={"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "NEWSCLEAN_CLEAN_WORKERS": 2})
    import subprocess

    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = _wait_for_workers(proc, 2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        gone, alive = psutil.wait_procs(workers, timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
        for server in servers.values():
            server.stop()
    assert not alive, f"workers left running after the crawl was killed: {[p.pid for p in alive]}"


def test_crawl_with_workers_writes_the_rows_of_a_crawl_without(tmp_path):
    mirror = copy_mirror(tmp_path / "mirror")
    results = {}
    for workers in (0, 2):
        servers = serve_mirror(mirror)
        try:
            run(crawl_cmd(SPIDERS, tmp_path / f"out{workers}", servers=servers,
                          settings={"NEWSCLEAN_CLEAN_WORKERS": workers}))
        finally:
            for server in servers.values():
                server.stop()
        results[workers] = {r["url"].split("/", 3)[3]: (r["status"], r["title"], r["text"], r["published"])
                            for r in rows(tmp_path / f"out{workers}" / "articles")}
    assert len(results[0]) == TOTAL_ROWS
    assert results[0] == results[2]
