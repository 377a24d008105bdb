"""Crash safety and pause/resume: a crawl SIGKILLed mid-run leaves only complete Parquet files and a
re-run writes every article exactly once; a crawl stopped with SIGINT under JOBDIR resumes."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import PROJECT, copy_mirror, crawl_cmd, env, manifests, rows, run  # noqa: E402

from crawler.demo.server import TYPES, serve_mirror  # noqa: E402

SPIDERS = ["rt", "sputnik", "republicworld"]
TOTAL_ROWS = 11  # 8 articles + 3 broken pages (see test_crawl_demo_mirror)
SMALL_PARTS = {"NEWSCLEAN_PART_ROWS": 2}


def _article_paths(site_folder: Path) -> set[str]:
    """URL paths of the articles a site's sitemaps and feeds list."""
    paths = set()
    for xml in (f for f in site_folder.rglob("*") if f.is_file() and f.suffix in (".xml", ".rss")):
        for url in re.findall(r"<(?:loc|link)>\s*([^<\s]+)\s*</", xml.read_text(encoding="utf-8")):
            path = urlsplit(url).path
            if path not in ("", "/") and not path.endswith((".xml", ".rss")) and not path.rstrip("/").endswith(("/rss", "/feeds")):
                paths.add(path)
    return paths


class Gate:
    """Holds article responses of the local servers until released, so that the moment of a
    kill or an interrupt never depends on timing: `hold(server, paths)` holds those paths; with
    `first_only`, each server holds only the first article asked for (the others answer)."""

    def __init__(self, first_only: bool = False):
        self.first_only = first_only
        self.released = threading.Event()
        self.arrived: list[str] = []
        self._lock = threading.Lock()
        self._holding: set[int] = set()

    def hold(self, server, paths) -> None:
        for path in paths:
            server.routes[path] = lambda h, s=server: self._serve(h, s)

    def _serve(self, handler, server) -> None:
        path = unquote(urlsplit(handler.path).path)
        with self._lock:
            hold = not (self.first_only and id(server) in self._holding)
            if hold:
                self._holding.add(id(server))
                self.arrived.append(path)
        if hold:
            self.released.wait(300)
        file = server.resolve(path)
        if file is None:
            handler.send_body(404, b"not found", "text/html")
        else:
            handler.send_body(200, file.read_bytes(), TYPES.get(file.suffix) or "text/html; charset=utf-8")

    def wait_arrivals(self, proc, n: int, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.arrived) < n:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{len(self.arrived)} of {n} held requests arrived; crawl exit {proc.poll()}")
            time.sleep(0.05)


def _start_crawl(tmp_path, gate: Gate, hold_sites, extra_settings=None):
    mirror = copy_mirror(tmp_path / "mirror")
    servers = serve_mirror(mirror)
    for site in hold_sites:
        gate.hold(servers[site], _article_paths(mirror / site))
    out = tmp_path / "out"
    # held responses must outlive any wait of the test: no download time-out meanwhile
    settings = {**SMALL_PARTS, "DOWNLOAD_TIMEOUT": 600, **(extra_settings or {})}
    cmd = crawl_cmd(SPIDERS, out, servers=servers, settings=settings)
    proc = subprocess.Popen(cmd, cwd=PROJECT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc, servers, out


def _wait_for_parts(proc, dataset: Path, n: int, timeout: float = 120.0) -> list[Path]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parts = list(dataset.glob("crawl_date=*/site=*/*.parquet"))
        if len(parts) >= n:
            return parts
        if proc.poll() is not None:
            pytest.fail(f"crawl ended before {n} parts were written: {proc.stderr.read().decode()[-3000:]}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"no {n} parts after {timeout}s")


def _assert_exactly_once(dataset: Path):
    data = rows(dataset)
    urls = [r["url"].split("/", 3)[3] for r in data]  # path: ports differ between runs
    assert len(urls) == len(set(urls)), sorted(urls)
    assert len(data) == TOTAL_ROWS
    ok = [r for r in data if r["status"] == "ok"]
    assert len({r["canonical_url"] for r in ok}) == len(ok) == 8


def test_sigkill_mid_crawl_loses_nothing_and_duplicates_nothing(tmp_path):
    # Republic World's articles are held: that spider cannot finish, so the crawl is still running
    # when RT's and Sputnik's parts (2 rows each) are committed, whatever the machine's load.
    gate = Gate()
    proc, servers, out = _start_crawl(tmp_path, gate, ["republicworld"])
    dataset = out / "articles"
    try:
        _wait_for_parts(proc, dataset, 2)
        assert proc.poll() is None, "the crawl finished before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        gate.released.set()
        proc.stdout.close()
        proc.stderr.close()
        for server in servers.values():
            server.stop()
    assert proc.returncode == -signal.SIGKILL
    committed = list(dataset.glob("crawl_date=*/site=*/*.parquet"))
    for path in committed:  # every visible part is a complete Parquet file
        pq.read_table(path)
    rows_before = len(rows(dataset))
    assert 0 < rows_before < TOTAL_ROWS
    (killed_manifest,) = manifests(dataset)
    assert killed_manifest["finished_at"] is None  # the killed run never finished

    servers = serve_mirror(tmp_path / "mirror")  # a new server (new ports), no delay
    try:
        run(crawl_cmd(SPIDERS, out, servers=servers), timeout=180)
    finally:
        for server in servers.values():
            server.stop()
    assert not list(dataset.rglob(".*.tmp")), "stale temporary files of the killed run are removed"
    for path in dataset.glob("crawl_date=*/site=*/*.parquet"):
        pq.read_table(path)
    _assert_exactly_once(dataset)
    rerun = manifests(dataset)[-1]
    assert rerun["rows"] == TOTAL_ROWS - rows_before
    assert rerun["skipped"]["seen"] == rows_before


def test_jobdir_pause_and_resume(tmp_path):
    # One request at a time per spider, and each site holds the first article asked for: when all
    # three are held, every spider has articles still queued, so the interrupted run cannot have
    # them all, whatever the timing.
    job = tmp_path / "job"
    gate = Gate(first_only=True)
    proc, servers, out = _start_crawl(tmp_path, gate, SPIDERS,
                                      {"JOBDIR": job, "CONCURRENT_REQUESTS_PER_DOMAIN": 1})
    dataset = out / "articles"
    try:
        gate.wait_arrivals(proc, len(SPIDERS))
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)  # Ctrl-C once: graceful stop, state kept in JOBDIR
        gate.released.set()  # the requests in flight complete; the queued ones stay in JOBDIR
        proc.communicate(timeout=120)
        first = manifests(dataset)[0]
        assert {s["finish_reason"] for s in first["per_spider"].values()} == {"shutdown"}
        assert first["rows"] < TOTAL_ROWS
        assert all((job / name / "requests.seen").exists() for name in SPIDERS)
        # resume: same servers (the queued requests name them), same JOBDIR
        run(crawl_cmd(SPIDERS, out, servers=servers, settings={**SMALL_PARTS, "JOBDIR": job}), timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
        for server in servers.values():
            server.stop()
    _assert_exactly_once(dataset)
    resumed = manifests(dataset)[-1]
    assert resumed["rows"] == TOTAL_ROWS - first["rows"]
