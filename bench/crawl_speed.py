#!/usr/bin/env python3
"""The full crawl (Scrapy + cleaning + Parquet dataset) against a local server serving a synthetic
news site (bench/synthetic_site.py, 10,000 pages by default): pages per second, and the crawl
process's memory over time (it must stay flat).

    .venv/bin/python bench/crawl_speed.py --json bench/results/crawl-$(date +%F).json [--compare]
    .venv/bin/python bench/crawl_speed.py --pages 150 --json /tmp/crawl.json   # quick check

What runs:
  * the synthetic site on 127.0.0.1 (a free port; robots.txt -> sitemap index -> news sitemaps of
    <= 1,000 URLs -> N article pages, 2 % of them 404 / 500 / PDF), in a thread of this process;
  * the real crawl in a child process, as a user runs it:
        python -m crawler.cli crawl news --output TMP -s <LOCAL_SETTINGS> -s CONCURRENT_REQUESTS=16
            -s CONCURRENT_REQUESTS_PER_DOMAIN=16 -s LOG_LEVEL=INFO -a base_url=http://127.0.0.1:PORT
            -a allowed_domains=news.example.org -a max_sitemaps=K
    (`--site rt`: the `rt` spider on RT-template pages, so the RT site cleaner runs);
  * from here, every --interval seconds: the RSS and CPU time (psutil) of the child and of its
    cleaning workers (crawler.cleanpool, NEWSCLEAN_CLEAN_WORKERS) together, and the number of
    article pages served so far (progress); after the run: Scrapy's own memusage stats and crawl
    stats (from its log), the run manifest (rows, parts, counts by status), and a DuckDB read-back
    of the whole dataset (row count, URLs, statuses) checked against what the server served.
  * --compare: the same article pages cleaned without Scrapy, in one process (a
    cleaners.clean() loop over the pages generated in memory), to show the crawl's overhead.

Figures: pages/s overall (child start to exit, start-up included) and steady (10 % to 90 % of
the pages); CPU ms per page of the crawl process and its workers; their RSS together at
10/50/90/100 % of the pages and its slope
(MB per 1,000 pages, least squares over the samples from 10 % to 100 %; ~0 means flat).
Exit status 1 when the crawl fails or the dataset does not hold exactly one row per page served.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
for _p in (str(PROJECT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from synthetic_site import (GENERIC_DOMAIN, OK, SITES, SyntheticServer,  # noqa: E402
                            SyntheticSite, kind_of)

from crawler.runner import subprocess_env  # noqa: E402
from report import write_report  # noqa: E402

MB = 2**20
FRACTIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
FLAT_SLOPE_MB = 1.0  # "flat": RSS grows by less than this per 1,000 pages (10 MB over 10,000)
FAKE_ORIGIN = "http://127.0.0.1:8000"  # --compare: the page URL clean() is given (as in the crawl)


# -- the crawl ---------------------------------------------------------------------------------
def crawl_command(site: SyntheticSite, base_url: str, output: Path, concurrency: int,
                  extra_settings: dict | None = None) -> list[str]:
    from crawler.runner import LOCAL_SETTINGS

    settings = dict(LOCAL_SETTINGS)
    settings.update({
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,  # one host: this is the real limit
        "LOG_LEVEL": "INFO",  # for the stats dump at the end (memusage/*, downloader/*)
        "MEMUSAGE_ENABLED": True,
        "MEMUSAGE_CHECK_INTERVAL_SECONDS": 5,
    })
    settings.update(extra_settings or {})
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "news" if site.site == "generic" else "rt",
           "--output", str(output)]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    cmd += ["-a", f"base_url={base_url}", "-a", f"max_sitemaps={site.sitemaps}"]
    if site.site == "generic":
        cmd += ["-a", f"allowed_domains={GENERIC_DOMAIN}"]
    else:  # the rt spider: discovery through robots.txt and our sitemap index only
        cmd += ["-a", f"sitemap={site.origin}/sitemap-index.xml", "-a", "feed=", "-a", "sections=0"]
    return cmd


def process_tree_usage(child) -> tuple[int, int, float, int]:
    """(the crawl process's RSS, its RSS plus its cleaning workers', their CPU seconds together,
    the number of workers): the workers (crawler.cleanpool) hold memory and do most of the work."""
    import psutil

    with child.oneshot():
        crawl_rss = child.memory_info().rss
        cpu = sum(child.cpu_times()[:2])
    rss, workers = crawl_rss, 0
    for kid in child.children(recursive=True):
        try:
            with kid.oneshot():
                rss += kid.memory_info().rss
                cpu += sum(kid.cpu_times()[:2])
                workers += "spawn_main" in " ".join(kid.cmdline())  # not multiprocessing's resource tracker
        except psutil.NoSuchProcess:  # a worker that has just exited
            continue
    return crawl_rss, rss, cpu, workers


def run_crawl(site: SyntheticSite, server: SyntheticServer, workdir: Path, concurrency: int,
              interval: float, timeout: float, progress: bool, extra_settings: dict | None = None) -> dict:
    import psutil

    output = workdir / "out"
    cmd = crawl_command(site, server.url, output, concurrency, extra_settings)
    log_path, out_path = workdir / "crawl.log", workdir / "crawl.stdout"
    me = psutil.Process()
    me_cpu0 = sum(me.cpu_times()[:2])
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    samples = []
    with open(log_path, "wb") as err, open(out_path, "wb") as out:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=PROJECT, env=subprocess_env(), stdout=out, stderr=err)
        child = psutil.Process(proc.pid)
        timed_out = False
        last_print = 0.0
        while True:
            now = time.monotonic() - t0
            try:
                crawl_rss, rss, cpu, workers = process_tree_usage(child)
            except psutil.NoSuchProcess:
                rss = cpu = None
            if rss is not None and proc.poll() is None:
                served = server.snapshot()["articles_served"]
                samples.append({"t": round(now, 2), "pages": served, "rss_mb": round(rss / MB, 1),
                                "crawl_rss_mb": round(crawl_rss / MB, 1), "workers": workers,
                                "cpu_s": round(cpu, 2)})
                if progress and now - last_print >= 15:
                    last_print = now
                    print(f"  {now:6.0f} s  {served:>7,} / {site.pages:,} pages  RSS {rss / MB:6.1f} MB",
                          file=sys.stderr, flush=True)
            if proc.poll() is not None:
                break
            if now > timeout:
                timed_out = True
                proc.kill()
                proc.wait()
                break
            time.sleep(interval)
        elapsed = time.monotonic() - t0
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the crawl, reaped: its whole CPU time
    cpu_total = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
    return {"cpu_s": round(cpu_total, 2), "command": cmd, "returncode": proc.returncode, "timed_out": timed_out, "elapsed_s": elapsed,
            "t0": t0, "samples": samples, "output": output, "log": log_path, "stdout": out_path,
            "server_process_cpu_s": round(sum(me.cpu_times()[:2]) - me_cpu0, 2)}


_STATS = re.compile(r"'([\w/.\-]+)': (-?\d+(?:\.\d+)?)\s*[,}]")


def scrapy_stats(log_path: Path) -> dict:
    """The numeric values of the 'Dumping Scrapy stats' block of the crawl's log."""
    text = log_path.read_text(encoding="utf-8", errors="replace")
    start = text.rfind("Dumping Scrapy stats:")
    if start < 0:
        return {}
    block = text[start:]
    end = block.find("}\n")
    block = block[:end + 1] if end >= 0 else block
    out = {}
    for key, value in _STATS.findall(block):
        out[key] = float(value) if "." in value else int(value)
    return out


def read_manifest(dataset: Path) -> dict | None:
    paths = sorted((dataset / "_manifests").glob("*.json"))
    return json.loads(paths[-1].read_text(encoding="utf-8")) if paths else None


def read_back(dataset: Path, site: SyntheticSite) -> dict:
    """Reads the whole dataset with DuckDB: row count, statuses, and whether the rows' URLs are
    exactly the article URLs of the site (one row each)."""
    import duckdb
    from urllib.parse import urlsplit

    files = list(dataset.glob("crawl_date=*/site=*/*.parquet"))
    if not files:
        return {"rows": 0, "distinct_urls": 0, "by_status": {}, "urls_match": site.pages == 0, "files": 0}
    src = f"read_parquet('{dataset}/**/*.parquet', hive_partitioning=true, union_by_name=true)"
    con = duckdb.connect()
    rows, distinct = con.execute(f"SELECT count(*), count(DISTINCT url) FROM {src}").fetchone()
    by_status = dict(con.execute(f"SELECT status, count(*) FROM {src} GROUP BY ALL ORDER BY ALL").fetchall())
    by_extractor = dict(con.execute(f"SELECT coalesce(extractor, '-'), count(*) FROM {src} "
                                    "GROUP BY ALL ORDER BY ALL").fetchall())
    paths = {urlsplit(u).path for (u,) in con.execute(f"SELECT url FROM {src}").fetchall()}
    expected = {site.path(i) for i in range(site.pages)}
    words = con.execute(f"SELECT round(avg(word_count), 1) FROM {src} WHERE status = 'ok'").fetchone()[0]
    return {"rows": rows, "distinct_urls": distinct, "by_status": by_status, "by_extractor": by_extractor,
            "urls_match": paths == expected, "missing_urls": len(expected - paths),
            "unexpected_urls": len(paths - expected), "mean_words_ok": words, "files": len(files),
            "bytes_on_disk": sum(f.stat().st_size for f in files)}


# -- memory figures ----------------------------------------------------------------------------
def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of y over x."""
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def memory_figures(samples: list[dict], pages: int) -> dict:
    if not samples:
        return {}
    at = {}
    for f in FRACTIONS:  # the first sample at which f of the pages had been served
        hit = next((s for s in samples if s["pages"] >= f * pages), None)
        if hit is not None:
            at[f"{int(f * 100)}%"] = hit
    first = next((s for s in samples if s["pages"] > 0), samples[0])
    # the slope: from 10 % of the pages up to the moment all were served (the samples after that
    # are the final commit and the process's exit, when memory is being given back)
    end = samples.index(at["100%"]) if "100%" in at else len(samples) - 1
    steady = [(s["pages"] / 1000, s["rss_mb"]) for s in samples[:end + 1] if s["pages"] >= 0.1 * pages]
    k = slope(steady)
    peak = max(samples, key=lambda s: s["rss_mb"])
    k_crawl = slope([(s["pages"] / 1000, s["crawl_rss_mb"]) for s in samples[:end + 1] if s["pages"] >= 0.1 * pages])
    rss10, rss100 = at.get("10%", {}).get("rss_mb"), at.get("100%", samples[-1])["rss_mb"]
    return {
        "rss_mb_at": {key: s["rss_mb"] for key, s in at.items()},
        "progress_at": at,
        "rss_mb_first_page": first["rss_mb"],
        "rss_mb_start": samples[0]["rss_mb"],
        "rss_mb_peak": peak["rss_mb"],
        "rss_mb_last": samples[-1]["rss_mb"],
        "rss_mb_peak_at_pages": peak["pages"],
        "growth_mb_10_to_100": round(rss100 - rss10, 1) if rss10 is not None else None,
        "slope_mb_per_1000_pages": round(k, 3) if k is not None else None,
        "crawl_process_rss_mb_peak": max(s["crawl_rss_mb"] for s in samples),
        "crawl_process_slope_mb_per_1000_pages": round(k_crawl, 3) if k_crawl is not None else None,
        "cleaning_workers": max(s["workers"] for s in samples),
        "slope_window": "samples from 10% of the pages served to all served",
        "slope_points": len(steady),
        "flat": (k is not None and k < FLAT_SLOPE_MB),
        "flat_threshold_mb_per_1000_pages": FLAT_SLOPE_MB,
    }


def speed_figures(crawl: dict, server: SyntheticServer, pages: int) -> dict:
    samples = crawl["samples"]
    first = (server.first_article_at - crawl["t0"]) if server.first_article_at else None
    last = (server.last_article_at - crawl["t0"]) if server.last_article_at else None
    out = {"wall_s": round(crawl["elapsed_s"], 2),
           "pages_per_s": round(pages / crawl["elapsed_s"], 2) if crawl["elapsed_s"] else None,
           "startup_s": round(first, 2) if first is not None else None,
           "fetch_phase_s": round(last - first, 2) if first is not None and last is not None else None,
           "after_last_page_s": round(crawl["elapsed_s"] - last, 2) if last is not None else None}
    lo = next((s for s in samples if s["pages"] >= 0.1 * pages), None)
    hi = next((s for s in samples if s["pages"] >= 0.9 * pages), None)
    if lo and hi and hi["t"] > lo["t"]:
        out["steady_pages_per_s"] = round((hi["pages"] - lo["pages"]) / (hi["t"] - lo["t"]), 2)
        out["steady_cpu_ms_per_page"] = round(1000 * (hi["cpu_s"] - lo["cpu_s"]) / (hi["pages"] - lo["pages"]), 2)
        out["steady_window"] = "10% to 90% of the pages"
    if samples:
        cpu = crawl["cpu_s"] or samples[-1]["cpu_s"]
        out["crawl_cpu_s"] = cpu
        out["cpu_ms_per_page"] = round(1000 * cpu / pages, 2) if pages else None
        out["cpu_utilisation"] = round(cpu / crawl["elapsed_s"], 2) if crawl["elapsed_s"] else None
    out["server_process_cpu_s"] = crawl["server_process_cpu_s"]
    return out


# -- --compare: clean() alone ------------------------------------------------------------------
def clean_child(pages: int, site_name: str) -> dict:
    """Runs in a fresh process: cleaners.clean on every HTML article page, generated in memory
    (generation not timed), one at a time."""
    import logging

    import psutil

    t = time.perf_counter()
    import cleaners
    import_s = time.perf_counter() - t
    for name in ("trafilatura", "readability", "htmldate", "courlan", "charset_normalizer", "cleaners"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    site = SyntheticSite(pages, site_name)
    me = psutil.Process()
    rss_start = me.memory_info().rss
    wall = cpu = 0.0
    n = 0
    statuses: dict[str, int] = {}
    rss_samples = []
    for i in range(site.pages):
        if kind_of(i) != OK:
            continue
        _status, _ctype, body = site.render(i)
        w0, c0 = time.perf_counter(), time.process_time()
        article = cleaners.clean(body, url=FAKE_ORIGIN + site.path(i), kind="html")
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        n += 1
        statuses[article.status] = statuses.get(article.status, 0) + 1
        if n % max(1, pages // 20) == 0:
            rss_samples.append({"pages": n, "rss_mb": round(me.memory_info().rss / MB, 1)})
    rss_end = me.memory_info().rss
    return {"pages": n, "import_s": round(import_s, 2), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "pages_per_s": round(n / wall, 2) if wall else None,
            "cpu_ms_per_page": round(1000 * cpu / n, 2) if n else None,
            "statuses": statuses, "rss_mb_start": round(rss_start / MB, 1), "rss_mb_end": round(rss_end / MB, 1),
            "rss_samples": rss_samples}


def run_compare(pages: int, site_name: str, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--clean-child", "--pages", str(pages),
           "--site", site_name]
    done = subprocess.run(cmd, cwd=PROJECT, env=subprocess_env(), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        return {"error": done.stderr[-3000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- report ------------------------------------------------------------------------------------
def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("scrapy", "twisted", "trafilatura", "pyarrow", "duckdb", "lxml", "psutil"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    out["source_tree"] = str(PROJECT)
    try:
        out["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT,
                                           capture_output=True, text=True).stdout.strip() or None
        # edits not committed in the code the crawl runs: the figures are of the working tree
        status = subprocess.run(["git", "status", "--porcelain", "--", "cleaners", "crawler"], cwd=PROJECT,
                                capture_output=True, text=True).stdout
        out["uncommitted_in_cleaners_crawler"] = [line[3:] for line in status.splitlines()] if out["git_commit"] else None
    except OSError:
        out["git_commit"] = out["uncommitted_in_cleaners_crawler"] = None
    return out


def print_report(r: dict) -> None:
    s, m, c = r["speed"], r["memory"], r["checks"]
    print(f"\nFull crawl: {r['pages']:,} synthetic pages ({r['site']} site, {r['domain']}), "
          f"concurrency {r['concurrency']}, {r['date']}")
    rows = [
        ("pages/s overall (start-up included)", f"{s['pages_per_s']:.1f}  ({r['pages']:,} pages in {s['wall_s']:.0f} s)"),
        ("pages/s steady (10%-90% of pages)", f"{s.get('steady_pages_per_s', float('nan')):.1f}"),
        ("start-up to first page / after last page", f"{s.get('startup_s')} s / {s.get('after_last_page_s')} s"),
        ("crawl process CPU per page", f"{s.get('cpu_ms_per_page')} ms (steady {s.get('steady_cpu_ms_per_page')} ms); "
                                       f"CPU use {s.get('cpu_utilisation')} cores"),
        ("server (this process) CPU", f"{s['server_process_cpu_s']} s"),
        ("rows written (manifest / DuckDB)", f"{r['manifest_rows']:,} / {r['readback']['rows']:,}  "
                                             f"(pages served {r['pages_served']:,})"),
        ("parts written", f"{r['parts']}  ({r['readback'].get('bytes_on_disk', 0) / MB:.1f} MB of Parquet)"),
        ("counts by status (manifest)", ", ".join(f"{k} {v:,}" for k, v in sorted(r["counts_by_status"].items()))),
        ("expected by status", ", ".join(f"{k} {v:,}" for k, v in sorted(r["expected_by_status"].items()))),
        ("extractor", ", ".join(f"{k} {v:,}" for k, v in sorted(r["readback"].get("by_extractor", {}).items()))),
        ("checks", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in c.items())),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    if m:
        print(f"\nMemory of the crawl process and its {m.get('cleaning_workers', 0)} cleaning worker(s) together "
              f"(RSS every {r['interval_s']} s; progress = article pages served)")
        print(f"  {'progress':>8} {'pages':>8} {'time s':>8} {'RSS MB':>8}")
        print(f"  {'start':>8} {0:>8} {0.0:>8.1f} {m['rss_mb_start']:>8.1f}")
        for key, sample in m["progress_at"].items():
            print(f"  {key:>8} {sample['pages']:>8,} {sample['t']:>8.1f} {sample['rss_mb']:>8.1f}")
        last = r["memory_samples"][-1]
        print(f"  {'exit':>8} {last['pages']:>8,} {last['t']:>8.1f} {last['rss_mb']:>8.1f}   "
              "(last sample: final commit, then exit)")
        print(f"  peak RSS {m['rss_mb_peak']} MB (at {m['rss_mb_peak_at_pages']:,} pages); "
              f"growth 10%->100%: {m['growth_mb_10_to_100']} MB; slope {m['slope_mb_per_1000_pages']} MB per "
              f"1,000 pages -> {'flat' if m['flat'] else 'NOT flat'} (threshold {FLAT_SLOPE_MB})")
        if m.get("cleaning_workers"):
            print(f"  the crawl process alone: peak {m['crawl_process_rss_mb_peak']} MB, slope "
                  f"{m['crawl_process_slope_mb_per_1000_pages']} MB per 1,000 pages")
        mu = r["scrapy_memusage"]
        if mu:
            print(f"  Scrapy memusage: startup {mu.get('startup_mb')} MB, max {mu.get('max_mb')} MB")
    cmp_ = r.get("compare")
    if cmp_ and "error" not in cmp_:
        print(f"\nWithout Scrapy (cleaners.clean loop, one process, {cmp_['pages']:,} HTML pages): "
              f"{cmp_['pages_per_s']} pages/s, {cmp_['cpu_ms_per_page']} CPU ms/page, RSS "
              f"{cmp_['rss_mb_start']} -> {cmp_['rss_mb_end']} MB")
        ov = r.get("overhead", {})
        print(f"  crawl / clean-only CPU per HTML page: {ov.get('cpu_ratio')}x "
              f"(crawl {ov.get('crawl_cpu_ms_per_html_page')} ms vs clean {cmp_['cpu_ms_per_page']} ms); "
              f"steady crawl speed is {ov.get('speed_share')} of clean-only speed")
    elif cmp_:
        print(f"\n--compare failed:\n{cmp_['error']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="article pages of the site (default 10000)")
    parser.add_argument("--site", choices=SITES, default="generic",
                        help="generic: news.example.org pages (trafilatura path); rt: RT templates (site cleaner)")
    parser.add_argument("--concurrency", type=int, default=16, help="CONCURRENT_REQUESTS (and per domain)")
    parser.add_argument("--json", dest="json_out", help="write the figures to this JSON file")
    parser.add_argument("--compare", action="store_true", help="also clean the same pages without Scrapy")
    parser.add_argument("--interval", type=float, default=1.0, help="memory sampling interval, s (default 1)")
    parser.add_argument("--timeout", type=float, default=None, help="kill the crawl after this many s "
                        "(default 120 + 0.5 s per page)")
    parser.add_argument("--keep", metavar="DIR", help="crawl into DIR and keep it (default: a temp dir, removed)")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="extra Scrapy setting for the crawl (repeatable), e.g. -s CONCURRENT_ITEMS=8")
    parser.add_argument("--note", help="a free-text note stored in the JSON (e.g. what source tree ran)")
    parser.add_argument("--clean-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.clean_child:
        print(json.dumps(clean_child(args.pages, args.site)))
        return 0

    extra = {}
    for pair in args.settings:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            parser.error(f"-s expects KEY=VALUE, got {pair!r}")
        extra[key.strip()] = value
    site = SyntheticSite(args.pages, args.site)
    timeout = args.timeout or 120 + 0.5 * args.pages
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="newsclean-crawl-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = datetime.now(timezone.utc)
    try:
        with SyntheticServer(site) as server:
            print(f"serving {site.pages:,} {site.site} pages on {server.url}; crawling into {workdir}",
                  file=sys.stderr, flush=True)
            crawl = run_crawl(site, server, workdir, args.concurrency, args.interval, timeout,
                              progress=sys.stderr.isatty() or site.pages >= 1000, extra_settings=extra)
            served = server.snapshot()
            speed = speed_figures(crawl, server, site.pages)
        load_after = os.getloadavg()
        dataset = crawl["output"] / "articles"
        manifest = read_manifest(dataset) or {}
        stats = scrapy_stats(crawl["log"])
        readback = read_back(dataset, site)
        memory = memory_figures(crawl["samples"], site.pages)
        compare = run_compare(site.pages, site.site, timeout) if args.compare else None
        log_tail = crawl["log"].read_text(encoding="utf-8", errors="replace")[-3000:]
        warnings = [line for line in crawl["log"].read_text(encoding="utf-8", errors="replace").splitlines()
                    if " WARNING: " in line or " ERROR: " in line]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    counts = manifest.get("counts_by_status", {})
    expected = site.expected_statuses()
    article_bytes = sum(v for k, v in served["bytes"].items() if k.startswith("article_"))
    article_responses = sum(v for k, v in served["counts"].items() if k.startswith("article_"))
    checks = {
        "crawl_exit_0": crawl["returncode"] == 0 and not crawl["timed_out"],
        "every_page_served": served["articles_served"] == site.pages,
        "manifest_rows_eq_pages": manifest.get("rows") == site.pages,
        "duckdb_rows_eq_pages": readback["rows"] == site.pages,
        "one_row_per_url": readback["urls_match"] and readback["distinct_urls"] == readback["rows"],
        "status_counts_add_up": sum(counts.values()) == manifest.get("rows"),
        "status_counts_as_expected": counts == expected,
        "memory_flat": bool(memory.get("flat")),
    }
    per_spider = next(iter(manifest.get("per_spider", {}).values()), {})
    report = {
        "benchmark": "full crawl (Scrapy + cleaners.clean + Parquet dataset) of a synthetic news site on 127.0.0.1",
        "date": date.today().isoformat(),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "pages": site.pages,
        "site": site.site,
        "domain": site.domain,
        "sitemaps": site.sitemaps,
        "concurrency": args.concurrency,
        "note": args.note,
        "extra_settings": extra,
        "interval_s": args.interval,
        "command": " ".join(a if " " not in a else repr(a) for a in crawl["command"]),
        "crawl_returncode": crawl["returncode"],
        "timed_out": crawl["timed_out"],
        "pages_served": served["articles_served"],
        "served": {"responses": served["counts"], "bytes": served["bytes"],
                   "article_responses": article_responses,
                   "mean_article_kb": round(article_bytes / article_responses / 1024, 1) if article_responses else None},
        "rows": readback["rows"],
        "manifest_rows": manifest.get("rows"),
        "parts": len(manifest.get("files", [])),
        "counts_by_status": counts,
        "expected_by_status": expected,
        "skipped": manifest.get("skipped", {}),
        "requests": per_spider.get("requests"),
        "retries": per_spider.get("retries"),
        "readback": readback,
        "speed": speed,
        "pages_per_s": speed["pages_per_s"],
        "memory": memory,
        "scrapy_memusage": ({"startup_mb": round(stats["memusage/startup"] / MB, 1),
                             "max_mb": round(stats.get("memusage/max", 0) / MB, 1)}
                            if "memusage/startup" in stats else {}),
        "scrapy_stats": stats,
        "compare": compare,
        "checks": checks,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "versions": versions(),
        "crawl_log_warnings": warnings[:50],
        "memory_samples": crawl["samples"],
    }
    if compare and "error" not in compare:
        html_pages = expected.get("ok", 0) or 1
        crawl_cpu = speed.get("crawl_cpu_s") or 0
        steady_share = None
        if speed.get("steady_pages_per_s") and compare.get("pages_per_s"):
            steady_share = round(speed["steady_pages_per_s"] / compare["pages_per_s"], 3)
        report["overhead"] = {
            "crawl_cpu_ms_per_html_page": round(1000 * crawl_cpu / html_pages, 2),
            "cpu_ratio": round(1000 * crawl_cpu / html_pages / compare["cpu_ms_per_page"], 3)
            if compare.get("cpu_ms_per_page") else None,
            "speed_share": steady_share,
            "note": "crawl CPU includes start-up, Scrapy, Parquet, SQLite state and the error pages",
        }
    print_report(report)
    if not checks["crawl_exit_0"]:
        print(f"\nthe crawl failed (exit {crawl['returncode']}, timed out: {crawl['timed_out']}); log tail:\n"
              f"{log_tail}", file=sys.stderr)
    write_report(report, args.json_out)
    essential = ("crawl_exit_0", "every_page_served", "manifest_rows_eq_pages", "duckdb_rows_eq_pages",
                 "one_row_per_url", "status_counts_add_up")
    return 0 if all(checks[k] for k in essential) else 1


if __name__ == "__main__":
    sys.exit(main())
