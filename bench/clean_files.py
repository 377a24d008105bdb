#!/usr/bin/env python3
"""`newsclean clean` over thousands of saved files: pages per second and memory over time.

Writes N synthetic article pages (written here, varied, with the usual boilerplate) into a
temporary folder, runs the real command (`python -m cleaners.cli clean DIR -o OUT -j JOBS`) as a
subprocess, samples the resident memory of the command and its workers every 0.25 s, and checks
that every file is a row of the output. Memory must stay flat: the figures at 10 % … 100 % of the
run and the slope per 1,000 pages show it.

    .venv/bin/python bench/clean_files.py --files 5000 --jobs 1 --json bench/results/clean-files-$(date +%F).json
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import psutil
import pyarrow.parquet as pq

from report import write_report  # bench/report.py (this script's folder is on the path when run)

WORDS = ("council minister report city river market school police budget election court energy "
         "hospital train harbour festival museum weather farmers workers company tax bridge").split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    return " ".join(words).capitalize() + "."


def page(i: int) -> str:
    rng = random.Random(i)
    title = f"Story {i}: " + " ".join(rng.choice(WORDS) for _ in range(6))
    body = "\n".join(f"<p>{' '.join(sentence(rng) for _ in range(rng.randint(2, 5)))}</p>"
                     for _ in range(rng.randint(4, 14)))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Daily</title>
<meta property="og:title" content="{title}"><link rel="canonical" href="https://news.example.org/{i}.html">
<meta property="article:published_time" content="2026-0{1 + i % 9}-1{i % 10}T08:00:00+00:00"></head><body>
<nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav>
<div class="cookie">This website uses cookies. Accept cookies</div>
<article><h1>{title}</h1>{body}<div class="share">Share on Facebook</div>
<aside><h3>Related</h3><ul><li><a href="/r1">Other story one</a></li><li><a href="/r2">Other story two</a></li></ul></aside>
</article><footer>© Daily 2026. All rights reserved.</footer></body></html>"""


def rss_of_tree(process: psutil.Process) -> int:
    total = 0
    for proc in [process] + process.children(recursive=True):
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsclean-bench-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for i in range(args.files):
            (folder / f"{i:06d}.html").write_text(page(i), encoding="utf-8")
        out = Path(tmp) / "out.parquet"
        command = [sys.executable, "-m", "cleaners.cli", "clean", str(folder), "-o", str(out),
                   "-j", str(args.jobs), "--no-progress"]
        started = time.monotonic()
        log = open(Path(tmp) / "stderr.log", "w+b")  # a file, not a pipe: a full pipe would stall the run
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        ps = psutil.Process(proc.pid)
        samples: list[tuple[float, int]] = []
        while proc.poll() is None:
            samples.append((time.monotonic() - started, rss_of_tree(ps)))
            time.sleep(0.25)
        elapsed = time.monotonic() - started
        log.seek(0)
        stderr = log.read().decode(errors="replace")
        log.close()
        if proc.returncode != 0:
            raise SystemExit(f"newsclean clean failed: {stderr}")
        table = pq.read_table(out, columns=["status"])
        statuses = {s: table.column("status").to_pylist().count(s) for s in set(table.column("status").to_pylist())}

    mb = [rss / 2**20 for _, rss in samples if rss]  # 0: the process had just exited
    at = {f"{p}%": round(mb[min(len(mb) - 1, int(len(mb) * p / 100))], 1) for p in (10, 50, 90, 100)} if mb else {}
    # memory growth over the second half of the run (after start-up and warm caches), per 1,000 pages
    slope = ((mb[-1] - mb[len(mb) // 2]) / (args.files * 0.5 / 1000)) if len(mb) > 10 else None
    result = {
        "date": date.today().isoformat(), "files": args.files, "jobs": args.jobs,
        "rows": table.num_rows, "statuses": statuses, "seconds": round(elapsed, 2),
        "pages_per_second": round(args.files / elapsed, 1), "rss_mb_at": at,
        "rss_mb_peak": round(max(mb), 1) if mb else None,
        "rss_slope_mb_per_1000_pages": round(slope, 2) if slope is not None else None,
        "summary": stderr.strip().splitlines()[-1] if stderr.strip() else "",
    }
    print(f"{args.files} files, -j {args.jobs}: {result['pages_per_second']} pages/s, {elapsed:.1f} s; "
          f"rows {table.num_rows} {statuses}")
    print(f"RSS (MB, command + workers) at {at}; peak {result['rss_mb_peak']}; "
          f"slope {result['rss_slope_mb_per_1000_pages']} MB / 1,000 pages")
    if table.num_rows != args.files:
        raise SystemExit("rows != files")
    write_report(result, args.json)


if __name__ == "__main__":
    main()
