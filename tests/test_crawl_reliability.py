"""Reliability of the crawl path (issue 12): the HTTP fault matrix (bench/faults.py), a poison
page among good ones, a part that cannot be written, and the per-page time limit of the cleaning
workers. Real crawls in subprocesses against real servers on 127.0.0.1; Parquet read back."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import PROJECT, crawl_cmd, duck, env, manifests, rows, run  # noqa: E402

sys.path.insert(0, str(PROJECT / "bench"))
import faults  # noqa: E402
from synthetic_site import SyntheticSite  # noqa: E402

from cleaners.core import MAX_BYTES  # noqa: E402
from crawler import cleanpool  # noqa: E402
from crawler.dataset import DatasetWriter  # noqa: E402
from crawler.demo.server import MirrorServer  # noqa: E402
from crawler.rows import page_to_row  # noqa: E402

HTML = "text/html; charset=utf-8"


def _site(tmp_path, pages: dict[str, tuple[int, str, bytes]]) -> MirrorServer:
    """A server with /sitemap.xml listing `pages` (path -> status, content type, body)."""
    def sitemap(h):
        base = f"http://127.0.0.1:{h.server.server_address[1]}"
        locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in pages)
        h.send_body(200, ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                          f'schemas/sitemap/0.9">{locs}</urlset>').encode(), "application/xml")

    routes = {"/sitemap.xml": sitemap, "/robots.txt": lambda h: h.send_body(200, b"User-agent: *\n", "text/plain")}
    for path, (status, ctype, body) in pages.items():
        routes[path] = lambda h, s=status, c=ctype, b=body: h.send_body(s, b, c)
    (tmp_path / "www").mkdir(exist_ok=True)
    return MirrorServer(tmp_path / "www", routes=routes).start()


def _good_pages(n: int) -> dict[str, tuple[int, str, bytes]]:
    site = SyntheticSite(n * 3)
    pages = {}
    for i in range(n * 3):
        status, ctype, body = site.render(i)
        if status == 200 and ctype == HTML:
            pages[f"/news/2025/01/02/good-article-number-{i}-page"] = (status, ctype, body)
        if len(pages) == n:
            return pages
    raise AssertionError("not enough synthetic articles")


# -- the fault matrix ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    return faults.run_matrix(tmp_path_factory.mktemp("faults"), bomb_mb=64, chunked_mb=20)


def test_every_url_of_the_fault_matrix_ends_as_one_row(matrix):
    assert matrix["checks"]["exit_code"] == 0, matrix["stderr_tail"]
    assert matrix["checks"]["one_row_per_url"] and matrix["checks"]["no_other_rows"], matrix["matrix"]
    for case in matrix["matrix"]:
        assert case["pass"], case


def test_fault_matrix_names_each_failure(matrix):
    by_case = {m["case"]: m for m in matrix["matrix"]}
    assert "redirect loop" in by_case["redirect-loop"]["error"]
    assert "offsite.invalid" in by_case["redirect-offsite"]["error"]
    assert by_case["redirect-sister"]["final_url"].startswith(f"https://{faults.SISTER}/")
    assert by_case["not-found"]["http_status"] == 404
    assert by_case["status-40000"]["http_status"] is None  # named in the error, not stored
    assert "max size" in by_case["chunked-huge"]["error"]


def test_hostile_sitemaps_are_refused_and_counted(matrix):
    assert all(s["pass"] for s in matrix["sitemaps"]), matrix["sitemaps"]
    assert matrix["checks"]["canary_never_fetched"] and matrix["checks"]["external_dtd_never_fetched"]
    assert matrix["discovery_refused"]["sitemap: entity declarations"] == 1
    assert matrix["discovery_refused"]["sitemap: too large"] == 2


# -- poison rows --------------------------------------------------------------------------------
def test_a_row_the_schema_refuses_becomes_an_error_row_and_costs_no_other(tmp_path):
    writer = DatasetWriter(tmp_path / "ds", "run-1", part_rows=1000)
    fetched = datetime(2026, 12, 1, tzinfo=timezone.utc)
    for n in range(30):
        writer.write({"url": f"https://example.org/a/{n}", "site": "example.org", "status": "ok",
                      "title": f"Title {n}", "text": f"text {n}", "content_hash": f"h{n}", "fetched_at": fetched})
    written = writer.write({"url": "https://example.org/poison", "site": "example.org", "status": "ok",
                            "title": "Lone \ud800 surrogate", "text": "x", "content_hash": "hp"})
    odd = writer.write({"url": "https://example.org/status", "site": "example.org", "status": "fetch_error",
                        "http_status": 40000})
    files = writer.close()
    assert written["status"] == odd["status"] == "cleaner_error"
    assert "row not writable" in written["error"] and "UnicodeEncodeError" in written["error"]
    assert writer.rows_refused == 2 and not writer.failures
    table = pq.read_table(tmp_path / "ds" / files[0])
    assert table.num_rows == 32
    assert duck(tmp_path / "ds", "SELECT count(*) FROM ARTICLES WHERE status = 'ok'") == [(30,)]
    assert writer.state.seen_any(["https://example.org/poison"])  # settled: not fetched again and again


def test_a_poison_page_in_a_crawl_costs_no_other_row(tmp_path):
    pages = _good_pages(30)
    poison_path = "/news/2025/01/02/poison-article-with-a-lone-surrogate-page"
    pages[poison_path] = (200, HTML, faults._article("poison", faults.POISON_LD))
    server = _site(tmp_path, pages)
    try:
        done = run(crawl_cmd(["news"], tmp_path / "out", args={
            "sitemap": f"{server.url}/sitemap.xml", "allowed_domains": "127.0.0.1"}), timeout=240)
    finally:
        server.stop()
    data = rows(tmp_path / "out" / "articles")
    assert len(data) == 31 and len({r["url"] for r in data}) == 31
    assert sum(r["status"] == "ok" for r in data) == 31
    poison = next(r for r in data if r["url"].endswith(poison_path))
    assert poison["status"] == "ok" and "\ufffd" in (poison["title"] or "") + (poison["description"] or "") + str(poison["authors"])
    assert "rows written: 31" in done.stdout


def test_a_part_that_cannot_be_written_fails_the_run_and_the_next_run_repairs_it(tmp_path):
    pages = _good_pages(3)
    server = _site(tmp_path, pages)
    dataset = tmp_path / "out" / "articles"
    blockers = []
    for day in (date.today() - timedelta(days=1), date.today(), date.today() + timedelta(days=1)):
        folder = dataset / f"crawl_date={day.isoformat()}"
        folder.mkdir(parents=True)
        for site in ("example.org", "unknown"):  # the synthetic pages' canonical domain; none
            blockers.append(folder / f"site={site}")
            blockers[-1].write_text("a file where the partition folder goes")
    cmd = crawl_cmd(["news"], tmp_path / "out", args={"sitemap": f"{server.url}/sitemap.xml",
                                                      "allowed_domains": "127.0.0.1"})
    try:
        failed = run(cmd, check=False, timeout=240)
        assert failed.returncode == 1, failed.stderr[-3000:]
        assert "NOT WRITTEN" in failed.stdout
        (manifest,) = manifests(dataset)
        assert manifest["write_errors"] and manifest["per_spider"]["news"]["finish_reason"] == "dataset_write_error"
        assert rows(dataset) == []
        for blocker in blockers:
            blocker.unlink()
        run(cmd, timeout=240)  # nothing was recorded as seen: the next run writes every page
    finally:
        server.stop()
    data = rows(dataset)
    assert len(data) == 3 and all(r["status"] == "ok" for r in data)


# -- the time limit -----------------------------------------------------------------------------
def test_a_page_past_the_time_limit_is_a_timeout_and_its_worker_replaced():
    from hangworker import clean_or_hang

    good = [{"url": f"https://news.example.org/news/2025/01/02/x-{n}", "body": body, "http_status": 200,
             "content_type": HTML, "source": "sitemap",
             "fetched_at": datetime(2026, 12, 1, tzinfo=timezone.utc)} for n, (_s, _c, body) in enumerate(_good_pages(3).values())]
    hang = {**good[0], "url": "https://news.example.org/hang"}
    pool = cleanpool.CleanPool(1, task=clean_or_hang, time_limit=5.0)

    async def clean_all(pages):
        return await asyncio.gather(*(pool.clean(p, "run-1", MAX_BYTES) for p in pages))

    try:
        first = asyncio.run(clean_all([hang, *good]))
    finally:
        pool.shutdown()
    assert first[0].status == "timeout" and "time limit" in first[0].reason
    assert [record == dict(page_to_row(page, "run-1", MAX_BYTES)) for (record, _), page in zip(first[1:], good)] \
        == [True] * len(good)
    assert pool.restarts >= 1


def test_a_slow_page_in_a_crawl_costs_at_most_the_time_limit(tmp_path):
    pages = _good_pages(4)
    # ~9 MB of paragraphs: 15+ s of cleaning, far past a 3 s limit (the other pages: ~0.05 s)
    big = ("<html><head><title>Endless</title></head><body>" + "".join(
        f"<div class=c{i % 50}><p>Paragraph {i} of a long page with words that go on and on {i * 7}.</p>"
        f"<a href=/x{i}>link {i}</a></div>" for i in range(75000)) + "</body></html>").encode()
    slow_path = "/news/2025/01/02/an-endless-page-that-takes-long-to-clean-page"
    pages[slow_path] = (200, HTML, big)
    server = _site(tmp_path, pages)
    try:
        run(crawl_cmd(["news"], tmp_path / "out", settings={"NEWSCLEAN_CLEAN_WORKERS": 1, "NEWSCLEAN_TIME_LIMIT": 3},
                      args={"sitemap": f"{server.url}/sitemap.xml", "allowed_domains": "127.0.0.1"}), timeout=240)
    finally:
        server.stop()
    data = {r["url"].split("/", 3)[3]: r for r in rows(tmp_path / "out" / "articles")}
    assert len(data) == 5
    slow = data[slow_path.lstrip("/")]
    assert slow["status"] == "timeout" and "time limit of 3 s" in slow["error"]
    assert sum(r["status"] == "ok" for r in data.values()) == 4, [(r["status"], r["error"]) for r in data.values()]
    manifest = manifests(tmp_path / "out" / "articles")[-1]
    assert manifest["counts_by_status"] == {"ok": 4, "timeout": 1}
    json.dumps(manifest)
