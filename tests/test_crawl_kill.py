"""Crash safety and pause/resume: a crawl SIGKILLed mid-run leaves only complete Parquet files and a
re-run writes every article exactly once; a crawl stopped with SIGINT under JOBDIR resumes."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import PROJECT, copy_mirror, crawl_cmd, env, manifests, rows, run  # noqa: E402

from crawler.demo.server import serve_mirror  # noqa: E402

SPIDERS = ["rt", "sputnik", "republicworld"]
TOTAL_ROWS = 11  # 8 articles + 3 broken pages (see test_crawl_demo_mirror)
SLOW = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "NEWSCLEAN_PART_ROWS": 2}


def _start_slow_crawl(tmp_path, extra_settings=None):
    mirror = copy_mirror(tmp_path / "mirror")
    servers = serve_mirror(mirror, delay=0.3)
    out = tmp_path / "out"
    cmd = crawl_cmd(SPIDERS, out, servers=servers, settings={**SLOW, **(extra_settings or {})})
    proc = subprocess.Popen(cmd, cwd=PROJECT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc, servers, out


def _wait_for_parts(proc, dataset: Path, n: int, timeout: float = 60.0) -> list[Path]:
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
    proc, servers, out = _start_slow_crawl(tmp_path)
    dataset = out / "articles"
    try:
        _wait_for_parts(proc, dataset, 2)
        assert proc.poll() is None, "the crawl finished before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
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
        run(crawl_cmd(SPIDERS, out, servers=servers))
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
    job = tmp_path / "job"
    proc, servers, out = _start_slow_crawl(tmp_path, {"JOBDIR": job})
    dataset = out / "articles"
    try:
        _wait_for_parts(proc, dataset, 1)
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)  # Ctrl-C once: graceful stop, state kept in JOBDIR
        proc.communicate(timeout=60)
        first = manifests(dataset)[0]
        assert {s["finish_reason"] for s in first["per_spider"].values()} == {"shutdown"}
        assert first["rows"] < TOTAL_ROWS
        assert all((job / name / "requests.seen").exists() for name in SPIDERS)
        # resume: same servers (the queued requests name them), same JOBDIR
        run(crawl_cmd(SPIDERS, out, servers=servers, settings={**SLOW, "JOBDIR": job}))
    finally:
        if proc.poll() is None:
            proc.kill()
        for server in servers.values():
            server.stop()
    _assert_exactly_once(dataset)
    resumed = manifests(dataset)[-1]
    assert resumed["rows"] == TOTAL_ROWS - first["rows"]
