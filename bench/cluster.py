#!/usr/bin/env python3
"""Redis mode (crawler.cluster) measured: crawl speed and memory with 1, 2 and 3 workers, Redis
memory per million seen URLs, and the time `compact` takes per million rows.

    nice -n 10 .venv/bin/python bench/cluster.py --json bench/results/cluster-$(date +%F).json
    .venv/bin/python bench/cluster.py --pages 300 --urls 20000 --compact-rows 20000 --json /tmp/c.json  # quick

What runs (all on 127.0.0.1: a redis-server of its own, bench/localredis.py, and the synthetic
site of bench/synthetic_site.py in a thread of this process):
  * workers: for N in --workers (1 2 3), N real `newsclean crawl news --redis URL` processes
    started together on a fresh Redis and output, crawling the same --pages pages (cleaning in
    each worker's process, NEWSCLEAN_CLEAN_WORKERS=0, so a worker is one process); pages/s from
    the first worker's start to the last one's exit, the workers' CPU time per page (and the
    pages/s two free cores would give at that cost), each worker's peak RSS (psutil samples),
    rows per worker, and a DuckDB check that every page is in the dataset exactly once.
  * Redis memory: INFO memory `used_memory` before and after recording --urls URLs through
    RedisStateStore.commit_part (1,000 URLs per part, as the crawl writes them: 16-byte digests in
    one set), and, for comparison, the same URLs as plain strings in a set.
  * compaction: --compact-rows synthetic rows (texts of ~2,000 characters) in parts of 1,000
    rows in one partition, then `compact_partition` (DuckDB sort by published, Parquet write,
    folder swap, state update); seconds, and seconds per million rows (linear extrapolation).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
for _p in (str(PROJECT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from crawl_speed import crawl_command, process_tree_usage, read_back  # noqa: E402
from localredis import RedisServer  # noqa: E402
from synthetic_site import SyntheticServer, SyntheticSite  # noqa: E402

from crawler.runner import subprocess_env  # noqa: E402

MB = 2**20


def info_memory(client) -> int:
    return int(client.info("memory")["used_memory"])


# -- workers -----------------------------------------------------------------------------------
def run_workers(n: int, pages: int, workdir: Path, concurrency: int, interval: float, timeout: float) -> dict:
    import psutil

    redis = RedisServer(workdir / "redis", persist=False).start()
    site = SyntheticSite(pages)
    output = workdir / "out"
    settings = {"NEWSCLEAN_CLEAN_WORKERS": 0, "LOG_LEVEL": "INFO", "NEWSCLEAN_CLAIM_TTL": 30}
    try:
        with SyntheticServer(site).start() as server:
            cmd = crawl_command(site, server.url, output, concurrency, settings) + ["--redis", redis.url, "--quiet"]
            t0 = time.monotonic()
            children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            procs, logs = [], []
            for k in range(n):
                log = open(workdir / f"worker{k}.log", "wb")
                logs.append(log)
                procs.append(subprocess.Popen(cmd, cwd=PROJECT, env=subprocess_env(), stdout=log,
                                              stderr=subprocess.STDOUT))
            handles = [psutil.Process(p.pid) for p in procs]
            peak = [0.0] * n
            while any(p.poll() is None for p in procs):
                for k, (proc, handle) in enumerate(zip(procs, handles)):
                    if proc.poll() is None:
                        try:
                            peak[k] = max(peak[k], process_tree_usage(handle)[1] / MB)
                        except psutil.NoSuchProcess:
                            pass
                if time.monotonic() - t0 > timeout:
                    for proc in procs:
                        proc.kill()
                    break
                time.sleep(interval)
            wall = time.monotonic() - t0
            children1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, reaped
            cpu = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
            for log in logs:
                log.close()
            served = server.snapshot()
        redis_used = info_memory(redis.client())
    finally:
        redis.kill()
    dataset = output / "articles"
    check = read_back(dataset, site)
    manifests = [json.loads(p.read_text()) for p in sorted((dataset / "_manifests").glob("*.json"))]
    return {
        "workers": n, "pages": pages, "wall_s": round(wall, 2), "pages_per_s": round(pages / wall, 1),
        "workers_cpu_s": round(cpu, 1), "cpu_ms_per_page": round(cpu / pages * 1000, 1),
        "ceiling_pages_per_s_on_2_cores": round(2 * pages / cpu, 1),
        "returncodes": [p.returncode for p in procs], "peak_rss_mb_per_worker": [round(x, 1) for x in peak],
        "rows_per_worker": sorted((m["rows"] for m in manifests), reverse=True),
        "exactly_once": check["rows"] == pages and check["distinct_urls"] == pages and check["urls_match"],
        "rows": check["rows"], "files": check["files"], "sitemaps_served": served["counts"].get("sitemap", 0),
        "redis_used_memory_mb_after": round(redis_used / MB, 1),
    }


# -- Redis memory ------------------------------------------------------------------------------
def redis_memory(urls: int, workdir: Path) -> dict:
    from crawler.redisstate import RedisStateStore, redis_client

    redis = RedisServer(workdir / "redis-mem", persist=False).start()
    try:
        client = redis_client(redis.url)
        store = RedisStateStore(client, "bench")
        rng = random.Random(7)
        sections = ["world", "politics", "business", "science", "sport", "culture"]

        def url(i: int) -> str:  # ~90 characters, like real article URLs
            slug = "-".join(rng.choice(["council", "budget", "river", "vote", "plan", "rail", "school",
                                        "energy", "housing", "court"]) for _ in range(6))
            return f"https://www.example-news{i % 50}.com/{sections[i % 6]}/2025/03/14/{slug}-{1_000_000 + i}"

        before = info_memory(client)
        t0 = time.monotonic()
        batch = 1000
        for start in range(0, urls, batch):
            keys = [url(i) for i in range(start, min(urls, start + batch))]
            store.commit_part(f"crawl_date=2025-03-14/site=x/part-{start // batch:07d}.parquet", len(keys),
                              keys, [], "bench")
        seconds = time.monotonic() - t0
        after = info_memory(client)
        counts = store.counts()
        client.delete(store.url_key_name, store.parts_key)
        plain_before = info_memory(client)
        rng.seed(7)
        for start in range(0, urls, batch):
            client.sadd("bench:plain", *[url(i) for i in range(start, min(urls, start + batch))])
        plain = info_memory(client) - plain_before
    finally:
        redis.kill()
    per_million = (after - before) / urls * 1_000_000
    return {
        "urls": urls, "seen_urls_recorded": counts["url"], "parts_recorded": counts["parts"],
        "used_memory_before_mb": round(before / MB, 2), "used_memory_after_mb": round(after / MB, 2),
        "bytes_per_url_with_parts_hash": round((after - before) / urls, 1),
        "mb_per_million_urls": round(per_million / MB, 1),
        "plain_url_strings_mb_per_million": round(plain / urls * 1_000_000 / MB, 1),
        "commit_seconds": round(seconds, 2), "urls_per_s": round(urls / seconds),
        "note": "used_memory includes the parts hash (one field per 1,000 URLs); digests are 16-byte blake2b",
    }


# -- compaction --------------------------------------------------------------------------------
def compaction(rows: int, workdir: Path) -> dict:
    import pyarrow.parquet as pq

    from cleaners.io.parquet import ParquetWriter
    from cleaners.io.schema import DATASET_SCHEMA
    from crawler.compact import compact_partition, open_state

    root = workdir / "compact" / "articles"
    folder = root / "crawl_date=2025-03-14" / "site=example.org"
    state = open_state(root)
    rng = random.Random(11)
    words = ("council budget river vote plan rail school energy housing court officials residents "
             "announced reviewed approved the of and in to a for on with").split()
    base = datetime(2025, 1, 1, tzinfo=timezone.utc)
    per_part = 1000
    t0 = time.monotonic()
    for p in range(0, rows, per_part):
        path = folder / f"part-bench-{p // per_part:05d}.parquet"
        writer = ParquetWriter(path, schema=DATASET_SCHEMA, row_group_size=500)
        urls = []
        for i in range(p, min(rows, p + per_part)):
            when = base + timedelta(minutes=rng.randrange(0, 500_000))
            url = f"https://example.org/news/{1_000_000 + i}-story"
            urls.append(url)
            text = " ".join(rng.choice(words) for _ in range(330))
            writer.write({"url": url, "canonical_url": url, "site": "example.org", "title": f"Story {i}",
                          "text": text, "published": when.isoformat(), "published_date": when.date(),
                          "word_count": 330, "content_hash": f"{i:064x}", "status": "ok",
                          "fetched_at": datetime.now(timezone.utc), "http_status": 200, "crawl_run_id": "bench"})
        writer.close()
        state.commit_part(path.relative_to(root).as_posix(), len(urls), urls, [], "bench")
    made = time.monotonic() - t0
    parts = len(list(folder.glob("*.parquet")))
    size = sum(f.stat().st_size for f in folder.glob("*.parquet"))
    result = compact_partition(root, folder, state, target_rows=1_000_000)
    state.close()
    out_files = list(folder.glob("*.parquet"))
    rows_after = sum(pq.ParquetFile(f).metadata.num_rows for f in out_files)
    return {
        "rows": rows, "parts_before": parts, "bytes_before_mb": round(size / MB, 1),
        "files_after": len(out_files), "bytes_after_mb": round(sum(f.stat().st_size for f in out_files) / MB, 1),
        "rows_after": rows_after, "seconds": round(result["seconds"], 2),
        "seconds_per_million_rows": round(result["seconds"] / rows * 1_000_000, 1),
        "atomic_swap": result["atomic_swap"], "text_chars_per_row": "~2,000 (330 words)",
        "setup_seconds": round(made, 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--compact-rows", type=int, default=250_000)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--skip-memory", action="store_true", help="workers only (no Redis memory, no compaction)")
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args(argv)
    import scrapy
    import scrapy_redis

    report = {
        "benchmark": "cluster", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_average_at_start": os.getloadavg()},
        "versions": {"scrapy": scrapy.__version__, "scrapy_redis": getattr(scrapy_redis, "__version__", "?"),
                     "redis_server": subprocess.run(["redis-server", "--version"], capture_output=True,
                                                    text=True).stdout.strip()},
        "command": " ".join(sys.argv),
    }
    with tempfile.TemporaryDirectory(prefix="newsclean-cluster-") as tmp:
        tmp = Path(tmp)
        report["workers"] = []
        for n in args.workers:
            print(f"{n} worker(s), {args.pages} pages ...", file=sys.stderr, flush=True)
            result = run_workers(n, args.pages, tmp / f"w{n}", args.concurrency, args.interval, args.timeout)
            print(f"  {result['pages_per_s']} pages/s, peak RSS {result['peak_rss_mb_per_worker']} MB, "
                  f"rows {result['rows_per_worker']}, exactly once: {result['exactly_once']}",
                  file=sys.stderr, flush=True)
            report["workers"].append(result)
        one = report["workers"][0]["pages_per_s"]
        for result in report["workers"]:
            result["speedup_vs_first"] = round(result["pages_per_s"] / one, 2)
    if args.skip_memory:
        return _finish(report, args)
    with tempfile.TemporaryDirectory(prefix="newsclean-cluster-") as tmp:
        tmp = Path(tmp)
        print(f"Redis memory, {args.urls:,} URLs ...", file=sys.stderr, flush=True)
        report["redis_memory"] = redis_memory(args.urls, tmp)
        print(f"  {report['redis_memory']}", file=sys.stderr, flush=True)
        print(f"compaction, {args.compact_rows:,} rows ...", file=sys.stderr, flush=True)
        report["compaction"] = compaction(args.compact_rows, tmp)
        print(f"  {report['compaction']}", file=sys.stderr, flush=True)
    return _finish(report, args)


def _finish(report: dict, args) -> int:
    report["load_average_at_end"] = os.getloadavg()
    text = json.dumps(report, indent=2, default=str)
    if args.json_out:
        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_text(text + "\n", encoding="utf-8")
    print(text)
    ok = all(r["exactly_once"] and set(r["returncodes"]) == {0} for r in report["workers"])
    compaction = report.get("compaction")
    return 0 if ok and (compaction is None or compaction["rows_after"] == args.compact_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
