#!/usr/bin/env python3
"""Speed and peak memory of cleaners.clean against trafilatura and readability-lxml alone, on the
same WCXB dev pages (the same deterministic subset as bench/quality.py --sample N).

    .venv/bin/python bench/speed.py --sample 300 --json bench/results/speed-$(date +%F).json

Single process, one page at a time. Systems:
  ours         cleaners.clean(html_bytes, url=None, kind="html")  (the whole path: decode, parse,
               metadata, the block classifier or trafilatura on thread / product pages, the
               fallbacks when < 40 words are found, text rules, language)
  trafilatura  trafilatura.extract(html, include_comments=False)
  readability  readability.Document(html).summary()

Measures, all after a warm-up pass over the first pages that is not counted:
  * speed: pages per second, wall clock and CPU time (process_time; less disturbed by other load
    on a shared machine). The systems are interleaved page by page so that a change in machine
    load hits all of them alike.
  * tracemalloc peak: the largest Python-heap peak of any one page, and the mean per-page peak
    (a separate pass; tracemalloc does not see libxml2's C allocations, RSS does).
  * peak RSS: each system in a fresh child process (python bench/speed.py --rss-child SYSTEM)
    that imports every library, warms up, then runs all pages, reading one page at a time (so
    the high-water mark is the extraction's, not the page store's): peak RSS (VmHWM) and its
    growth over the RSS before the run (VmHWM, reset before the run where Linux allows). One child
    at a time.
Ratios are ours / trafilatura (speed: > 1 means ours is faster; memory: > 1 means ours uses more).
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # noqa: E402  (bench/quality.py: page selection and versions)
from report import write_report  # noqa: E402

SYSTEMS = ["ours", "trafilatura", "readability"]
WARMUP = 5


def runner(system: str):
    import trafilatura
    from readability import Document

    import cleaners

    if system == "ours":
        return lambda data, html: cleaners.clean(data, url=None, kind="html")
    if system == "trafilatura":
        return lambda data, html: trafilatura.extract(html, include_comments=False)
    if system == "readability":
        return lambda data, html: Document(html).summary()
    raise ValueError(system)


def quiet_logs() -> None:
    for name in ("trafilatura", "readability", "htmldate", "courlan", "charset_normalizer", "cleaners"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def pages_dir(path: str | None) -> Path:
    """The set's directory: WCXB dev by default, or any set laid out like it (html/*.html.gz and
    ground-truth/*.json), such as ../shared/bench/dragnet-2013 (speed needs no scorer)."""
    if not path:
        return quality.find_wcxb(None)
    directory = Path(path)
    if not (directory / "html").is_dir() or not (directory / "ground-truth").is_dir():
        sys.exit(f"error: {directory} has no html/ and ground-truth/ directories")
    return directory


def page_ids(wcxb: Path, sample: int) -> list[str]:
    """The same pages as quality.py --sample N, without parsing the ground truth."""
    return quality.sample_ids([p.name[:-len(".json")] for p in (wcxb / "ground-truth").glob("*.json")
                               if (wcxb / "html" / (p.name[:-len(".json")] + ".html.gz")).is_file()],
                              sample)


def read(wcxb: Path, file_id: str) -> tuple[str, bytes, str]:
    data = quality.read_page(wcxb, file_id)
    return file_id, data, data.decode("utf-8", errors="replace")


def load(wcxb: Path, sample: int) -> list[tuple[str, bytes, str]]:
    return [read(wcxb, file_id) for file_id in page_ids(wcxb, sample)]


def safe(run, data, html) -> None:
    try:
        run(data, html)
    except Exception:  # noqa: BLE001 - a baseline failing on a page still costs its time
        pass


def rss_now() -> int:
    try:
        import psutil

        return psutil.Process().memory_info().rss
    except ImportError:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize()


def reset_peak_rss() -> None:
    """Resets the kernel's RSS high-water mark (Linux: clear_refs 5), where allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def peak_rss() -> int:
    """Peak RSS of this process: VmHWM (per address space, so not inherited from the parent
    across fork + exec, unlike ru_maxrss), else ru_maxrss."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def rss_child(system: str, wcxb: Path, sample: int) -> dict:
    """Runs in a fresh process: peak RSS of one system over the pages."""
    quiet_logs()
    ids = page_ids(wcxb, sample)
    runs = {s: runner(s) for s in SYSTEMS}  # every library imported, whatever the system
    run = runs[system]
    for file_id in ids[:WARMUP]:
        safe(run, *read(wcxb, file_id)[1:])
    gc.collect()
    before = rss_now()
    reset_peak_rss()
    for file_id in ids:  # one page in memory at a time, so the peak is the extraction's
        safe(run, *read(wcxb, file_id)[1:])
    peak = max(peak_rss(), before)
    return {"rss_before_mb": round(before / 2**20, 1), "rss_peak_mb": round(peak / 2**20, 1),
            "rss_growth_mb": round(max(0, peak - before) / 2**20, 1)}


def measure_speed(pages, runs, rounds: int = 1) -> dict:
    """Wall and CPU time of each system over the pages, interleaved page by page. The figures are
    the first pass's; with rounds > 1 the pages are cleaned `rounds` times over and each page's
    fastest CPU time is kept too (best_cpu_s, best_pages_per_cpu_s: the machine's noise -- another
    VM's load, a garbage collection of the oldest generation landing on one system -- only ever
    adds time, so the minimum is the steadiest estimate, as timeit reports it)."""
    wall = {s: 0.0 for s in SYSTEMS}
    cpu = {s: 0.0 for s in SYSTEMS}
    best = {s: [float("inf")] * len(pages) for s in SYSTEMS}
    for round_number in range(rounds):
        for i, (_id, data, html) in enumerate(pages):
            for system in SYSTEMS:
                w0, c0 = time.perf_counter(), time.process_time()
                safe(runs[system], data, html)
                w1, c1 = time.perf_counter(), time.process_time()
                if round_number == 0:
                    wall[system] += w1 - w0
                    cpu[system] += c1 - c0
                best[system][i] = min(best[system][i], c1 - c0)
    n = len(pages)
    out = {s: {"pages": n, "wall_s": round(wall[s], 3), "cpu_s": round(cpu[s], 3),
               "pages_per_s": round(n / wall[s], 2) if wall[s] else None,
               "pages_per_cpu_s": round(n / cpu[s], 2) if cpu[s] else None,
               "ms_per_page": round(1000 * wall[s] / n, 2)} for s in SYSTEMS}
    if rounds > 1:
        for s in SYSTEMS:
            total = sum(best[s])
            out[s].update({"rounds": rounds, "best_cpu_s": round(total, 3),
                           "best_pages_per_cpu_s": round(n / total, 2) if total else None})
    return out


def measure_tracemalloc(pages, runs) -> dict:
    out = {}
    for system in SYSTEMS:
        gc.collect()
        tracemalloc.start()
        peaks = []
        for _id, data, html in pages:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            safe(runs[system], data, html)
            peaks.append(max(0, tracemalloc.get_traced_memory()[1] - base))
        tracemalloc.stop()
        out[system] = {"tracemalloc_peak_mb": round(max(peaks) / 2**20, 2),
                       "tracemalloc_mean_peak_mb": round(sum(peaks) / len(peaks) / 2**20, 2)}
    return out


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wcxb", help=f"the WCXB dev directory (default: {quality.DEFAULT_WCXB})")
    parser.add_argument("--sample", type=int, default=300, help="pages (default 300)")
    parser.add_argument("--json", dest="json_out", help="write the figures to this JSON file")
    parser.add_argument("--no-rss", action="store_true", help="skip the per-system RSS children")
    parser.add_argument("--rounds", type=int, default=1,
                        help="clean the pages this many times and report each page's fastest CPU time too")
    parser.add_argument("--rss-child", choices=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    wcxb = pages_dir(args.wcxb)

    if args.rss_child:
        print(json.dumps(rss_child(args.rss_child, wcxb, args.sample)))
        return 0

    quiet_logs()
    pages = load(wcxb, args.sample)
    runs = {s: runner(s) for s in SYSTEMS}
    print(f"{len(pages)} WCXB dev pages, {sum(len(p[1]) for p in pages) / 2**20:.1f} MB of HTML; "
          f"warm-up on {min(WARMUP, len(pages))} pages not counted", file=sys.stderr)
    for _id, data, html in pages[:WARMUP]:
        for system in SYSTEMS:
            safe(runs[system], data, html)

    speed = measure_speed(pages, runs, max(1, args.rounds))
    memory = measure_tracemalloc(pages, runs)
    rss = {}
    if not args.no_rss:
        for system in SYSTEMS:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--rss-child", system,
                   "--sample", str(args.sample), "--wcxb", str(wcxb)]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"RSS child for {system} failed:\n{done.stderr}", file=sys.stderr)
                continue
            rss[system] = json.loads(done.stdout.strip().splitlines()[-1])

    figures = {s: {**speed[s], **memory[s], **rss.get(s, {})} for s in SYSTEMS}
    ours, traf = figures["ours"], figures["trafilatura"]
    ratios = {
        "speed_pages_per_s": ratio(ours["pages_per_s"], traf["pages_per_s"]),
        "speed_pages_per_cpu_s": ratio(ours["pages_per_cpu_s"], traf["pages_per_cpu_s"]),
        "time_per_page": ratio(ours["ms_per_page"], traf["ms_per_page"]),
        "tracemalloc_peak": ratio(ours["tracemalloc_peak_mb"], traf["tracemalloc_peak_mb"]),
        "tracemalloc_mean_peak": ratio(ours["tracemalloc_mean_peak_mb"], traf["tracemalloc_mean_peak_mb"]),
        "rss_peak": ratio(ours.get("rss_peak_mb"), traf.get("rss_peak_mb")),
        "rss_growth": ratio(ours.get("rss_growth_mb"), traf.get("rss_growth_mb")),
        "readability_speed_vs_trafilatura": ratio(figures["readability"]["pages_per_s"], traf["pages_per_s"]),
    }
    if "best_pages_per_cpu_s" in ours:
        ratios["speed_best_of_rounds_per_cpu_s"] = ratio(ours["best_pages_per_cpu_s"], traf["best_pages_per_cpu_s"])

    print(f"\nSpeed and memory on {len(pages)} WCXB dev pages (single process, warm-up excluded)")
    print(f"  {'system':<12} {'pages/s':>8} {'pages/CPU-s':>11} {'ms/page':>8} {'tm peak MB':>10} "
          f"{'tm mean MB':>10} {'RSS peak MB':>11} {'RSS growth MB':>13}")
    for system in SYSTEMS:
        f = figures[system]
        print(f"  {system:<12} {f['pages_per_s']:>8.2f} {f['pages_per_cpu_s']:>11.2f} {f['ms_per_page']:>8.1f} "
              f"{f['tracemalloc_peak_mb']:>10.2f} {f['tracemalloc_mean_peak_mb']:>10.2f} "
              f"{f.get('rss_peak_mb', float('nan')):>11.1f} {f.get('rss_growth_mb', float('nan')):>13.1f}")
    if "best_pages_per_cpu_s" in ours:
        print(f"  fastest of {args.rounds} rounds, pages per CPU-s: "
              + ", ".join(f"{system} {figures[system]['best_pages_per_cpu_s']:.2f}" for system in SYSTEMS))
    print("\nRatios ours / trafilatura: " + ", ".join(f"{k}={v}" for k, v in ratios.items()))

    report = {
        "benchmark": "WCXB dev pages (../shared/bench/wcxb-dev), speed and peak memory",
        "date": date.today().isoformat(),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "pages": len(pages),
        "args": {"sample": args.sample, "wcxb": str(wcxb), "warmup_pages": WARMUP, "rounds": args.rounds},
        "machine": {"platform": platform.platform(), "processor": platform.processor()},
        "versions": quality.versions(),
        "systems": {
            "ours": 'cleaners.clean(html_bytes, url=None, kind="html")',
            "trafilatura": "trafilatura.extract(html, include_comments=False)",
            "readability": "readability.Document(html).summary()",
        },
        "figures": figures,
        "ratios_ours_over_trafilatura": ratios,
    }
    write_report(report, args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
