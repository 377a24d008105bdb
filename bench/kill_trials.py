#!/usr/bin/env python3
"""Kill trials: SIGKILL a real crawl at random (seeded) moments, re-run it, and check that the
dataset has every article exactly once and no corrupt file.

    .venv/bin/python bench/kill_trials.py --json bench/results/kill-trials-$(date +%F).json
    .venv/bin/python bench/kill_trials.py --trials 2 --pages 60          # a quick check (the test)

Each trial, on a fresh output folder:
  1. the synthetic news site (bench/synthetic_site.py, --pages articles, 2 % of them 404 / 500 /
     PDF) is served on 127.0.0.1 and `newsclean crawl news` crawls it in a child process, with
     small parts (--part-rows) so that kills land between part commits as well as inside them;
  2. the crawl is SIGKILLed at a moment drawn by the seeded generator: odd trials once the server
     has answered k article requests (k in [1, pages - 1]: an article is still unanswered, so the
     crawl is still running), even trials once j parts are committed (j in [1, parts - 2], so
     kills land between commits too: cleaning lags behind fetching); where the crawl is (fetching,
     cleaning in its workers, writing a row group, renaming a part, recording it) is up to the
     machine;
  3. the crawl is run again to completion from a new server on another port (the rows must be
     keyed by the site's own URL, not the mirror's);
  4. checks: every Parquet file is read by pyarrow (corrupt: files that fail), no temporary file is
     left, DuckDB reads the whole dataset; duplicates: article URLs with more than one row that
     settles the URL (ok, 404, PDF; a 500 is retried by design, each try a row, reported apart);
     missing: article URLs of the site with no row; no cleaning worker outlives the killed crawl.
Exit status 1 when any trial finds a corrupt file, a duplicate or a missing article.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
for _p in (str(PROJECT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from crawl_speed import crawl_command  # noqa: E402
from synthetic_site import SyntheticServer, SyntheticSite  # noqa: E402

from crawler.dataset import TRANSIENT_HTTP  # noqa: E402
from crawler.runner import subprocess_env  # noqa: E402
from report import write_report  # noqa: E402


def _workers_of(pid: int) -> list:
    import psutil

    try:
        kids = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return kids


def check_dataset(dataset: Path, site: SyntheticSite) -> dict:
    """Corrupt files, temporary files, duplicates and missing articles of a crawl's dataset."""
    import duckdb
    import pyarrow.parquet as pq

    files = sorted(dataset.glob("crawl_date=*/site=*/*.parquet"))
    corrupt = []
    for path in files:
        try:
            pq.read_table(path)
        except Exception as exc:  # noqa: BLE001 - what we count
            corrupt.append(f"{path.name}: {exc}")
    temporary = [p.name for p in dataset.rglob(".*.tmp")]
    if not files:
        return {"files": 0, "corrupt": corrupt, "temporary_files": temporary, "rows": 0,
                "duplicates": 0, "missing": site.pages, "retried_transient_rows": 0}
    src = f"read_parquet('{dataset}/**/*.parquet', hive_partitioning=true)"
    con = duckdb.connect()
    rows = con.execute(f"SELECT url, status, http_status FROM {src}").fetchall()
    settled: dict[str, int] = {}
    transient: dict[str, int] = {}
    for url, status, http_status in rows:
        retried = status == "fetch_error" and (http_status is None or http_status in TRANSIENT_HTTP)
        (transient if retried else settled)[url] = (transient if retried else settled).get(url, 0) + 1
    expected = {site.url(i) for i in range(site.pages)}
    present = set(settled) | set(transient)
    return {
        "files": len(files), "corrupt": corrupt, "temporary_files": temporary, "rows": len(rows),
        "duckdb_rows": con.execute(f"SELECT count(*) FROM {src}").fetchone()[0],
        "duplicates": sum(n - 1 for n in settled.values() if n > 1),
        "duplicate_urls": sorted(u for u, n in settled.items() if n > 1)[:10],
        "missing": len(expected - present), "missing_urls": sorted(expected - present)[:10],
        "unexpected_urls": sorted(present - expected)[:10],
        "retried_transient_rows": sum(transient.values()) - len(transient),
    }


def _moment_reached(server, out: Path, kill_after: tuple[str, int]) -> bool:
    what, k = kill_after
    if what == "articles":
        return server.snapshot()["articles_served"] >= k
    return len(list(out.glob("articles/crawl_date=*/site=*/*.parquet"))) >= k


def one_trial(n: int, kill_after: tuple[str, int], site: SyntheticSite, workdir: Path, *, part_rows: int,
              timeout: float) -> dict:
    import psutil

    out = workdir / f"trial-{n:02d}"
    extra = {"NEWSCLEAN_PART_ROWS": part_rows, "LOG_LEVEL": "WARNING", "MEMUSAGE_ENABLED": False}
    trial = {"trial": n, "kill_after": f"{kill_after[1]} {kill_after[0]}"}
    with SyntheticServer(site) as server:
        cmd = crawl_command(site, server.url, out, 16, extra)
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=PROJECT, env=subprocess_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            while not _moment_reached(server, out, kill_after) and proc.poll() is None:
                if time.monotonic() - t0 > timeout:
                    raise TimeoutError(f"trial {n}: {kill_after} articles not served in {timeout} s")
                time.sleep(0.005)
            kids = _workers_of(proc.pid)
            trial["running_at_kill"] = proc.poll() is None
            trial["parts_at_kill"] = len(list(out.glob("articles/crawl_date=*/site=*/*.parquet")))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        trial["killed_at_s"] = round(time.monotonic() - t0, 2)
        trial["exit"] = proc.returncode
        _gone, alive = psutil.wait_procs(kids, timeout=15)
        trial["workers_left_running"] = len(alive)
        for kid in alive:  # ours: the killed crawl's children
            kid.kill()
        trial["before_rerun"] = check_dataset(out / "articles", site)
    with SyntheticServer(site) as server:  # another port: rows must be keyed by the site's URL
        rerun = subprocess.run(crawl_command(site, server.url, out, 16, extra), cwd=PROJECT,
                               env=subprocess_env(), capture_output=True, text=True, timeout=timeout)
    trial["rerun_exit"] = rerun.returncode
    trial["after_rerun"] = check_dataset(out / "articles", site)
    after = trial["after_rerun"]
    trial["ok"] = (trial["running_at_kill"] and rerun.returncode == 0 and not after["corrupt"]
                   and not after["temporary_files"] and after["duplicates"] == 0 and after["missing"] == 0
                   and not trial["before_rerun"]["corrupt"] and trial["workers_left_running"] == 0)
    if not trial["ok"]:
        trial["rerun_stderr"] = rerun.stderr[-2000:]
    shutil.rmtree(out, ignore_errors=True)
    return trial


def run_trials(trials: int, pages: int, *, seed: int = 12, part_rows: int = 20, timeout: float = 300,
               workdir: Path | None = None, progress: bool = True) -> dict:
    site = SyntheticSite(pages)
    rng = random.Random(seed)
    parts = max(3, pages // part_rows)
    moments = [("articles", rng.randint(1, pages - 1)) if n % 2 else ("parts", rng.randint(1, parts - 2))
               for n in range(1, trials + 1)]
    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="newsclean-kill-", dir=workdir) as tmp:
        for n, kill_after in enumerate(moments, 1):
            result = one_trial(n, kill_after, site, Path(tmp), part_rows=part_rows, timeout=timeout)
            results.append(result)
            if progress:
                before, after = result["before_rerun"], result["after_rerun"]
                print(f"trial {n:>2}: killed after {result['kill_after']:>12} ({result['killed_at_s']:>5} s, "
                      f"{before['rows']:>3} rows in {before['files']:>2} parts); re-run: {after['rows']} rows, "
                      f"corrupt {len(after['corrupt'])}, duplicates {after['duplicates']}, "
                      f"missing {after['missing']} -> {'ok' if result['ok'] else 'FAILED'}", flush=True)
    totals = {
        "trials": trials, "trials_ok": sum(r["ok"] for r in results),
        "kills_while_running": sum(r["running_at_kill"] for r in results),
        "kills_after_committed_parts": sum(r["before_rerun"]["files"] > 0 for r in results),
        "corrupt_files": sum(len(r["after_rerun"]["corrupt"]) + len(r["before_rerun"]["corrupt"]) for r in results),
        "temporary_files_left": sum(len(r["after_rerun"]["temporary_files"]) for r in results),
        "duplicates": sum(r["after_rerun"]["duplicates"] for r in results),
        "missing": sum(r["after_rerun"]["missing"] for r in results),
        "workers_left_running": sum(r["workers_left_running"] for r in results),
        "retried_transient_rows": sum(r["after_rerun"]["retried_transient_rows"] for r in results),
    }
    return {
        "benchmark": "kill_trials", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "pages": pages, "seed": seed, "part_rows": part_rows, "wall_s": round(time.monotonic() - started, 1),
        "expected_by_status": site.expected_statuses(), "totals": totals,
        "passed": totals["trials_ok"] == trials, "results": results,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--part-rows", type=int, default=20, help="NEWSCLEAN_PART_ROWS of the crawls")
    parser.add_argument("--json", help="write the report here")
    args = parser.parse_args(argv)
    report = run_trials(args.trials, args.pages, seed=args.seed, part_rows=args.part_rows)
    t = report["totals"]
    print(f"{t['trials_ok']} of {t['trials']} trials ok ({t['kills_while_running']} kills mid-crawl): corrupt "
          f"files {t['corrupt_files']}, duplicates {t['duplicates']}, missing {t['missing']}, temporary files "
          f"left {t['temporary_files_left']}, workers left {t['workers_left_running']} "
          f"({report['wall_s']} s)")
    write_report(report, args.json)
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
