#!/usr/bin/env python3
"""The line classifier of text dumps against today's text rules, on dumps of HELD-OUT domains
(bench/lines_data.py: wcxb-dev's held-out part by bench/quality.py's split, the held-out domains
of chinese-wce and trafilatura-eval by the same function, and all of dragnet-2013, which no
shipped model is trained on), with the HTML path on the same pages as the ceiling.

    nice -n 10 .venv/bin/python bench/lines_quality.py --jobs 2 --json bench/results/lines-quality-$(date +%F).json

Systems, all on the same pages:
  text-rules   the dump through the text-dump path before the line classifier
               (cleaners.generic.textrules.clean_dump_rules, then core.finish as cleaners.clean does)
  text-model   cleaners.clean(dump, kind="text"): the line classifier, then the text rules
  html         cleaners.clean(html_bytes, kind="html"): the HTML path (block classifier), the ceiling

Scores: word-level P/R/F1 per page with WCXB's evaluate.py (character-level for chinese-wce),
averaged over pages, for sets with full gold; the share of `with` snippets found (higher is
better) and of `without` snippets found (boilerplate kept, lower is better) where the gold has
them (trafilatura-eval has only snippets). Speed: mean ms per page of each system.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lines_data  # noqa: E402
import quality  # noqa: E402

SYSTEMS = ["text-rules", "text-model", "html"]


def _init():
    for name in ("trafilatura", "readability", "htmldate", "courlan", "charset_normalizer", "cleaners"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_page(page: dict) -> dict:
    import cleaners
    from cleaners import core
    from cleaners.generic import textrules

    dump = lines_data.dump_of(page["set"], page["id"])
    texts, times = {}, {}
    start = time.perf_counter()
    texts["text-rules"] = core.finish(textrules.clean_dump_rules(dump), url=None, extractor="text-rules",
                                      cleaner=None).text or ""
    times["text-rules"] = time.perf_counter() - start
    start = time.perf_counter()
    article = cleaners.clean(dump, kind="text")
    times["text-model"] = time.perf_counter() - start
    texts["text-model"] = article.text or ""
    html = lines_data.read_html(page["set"], page["id"])
    start = time.perf_counter()
    texts["html"] = cleaners.clean(html, kind="html").text or ""
    times["html"] = time.perf_counter() - start
    return {"set": page["set"], "id": page["id"], "texts": texts, "times": times,
            "extractor": article.extractor}


def score(page: dict, result: dict, system: str) -> dict:
    gold = page["gold"]
    text = result["texts"][system]
    out = {}
    if gold.get("main_content"):
        out["precision"], out["recall"], out["f1"] = lines_data.page_f1(page["set"], text, gold["main_content"])
    lower = " ".join(text.split()).lower()
    for key in ("with", "without"):
        snippets = [" ".join(s.split()).lower() for s in gold.get(key) or [] if s and s.strip()]
        if snippets:
            out[f"{key}_found"] = sum(s in lower for s in snippets)
            out[f"{key}_total"] = len(snippets)
    return out


def aggregate(scores: list[dict]) -> dict:
    out = {"pages": len(scores)}
    for key in ("f1", "precision", "recall"):
        values = [s[key] for s in scores if key in s]
        if values:
            out[key] = round(sum(values) / len(values), 4)
    for key in ("with", "without"):
        found = sum(s.get(f"{key}_found", 0) for s in scores)
        total = sum(s.get(f"{key}_total", 0) for s in scores)
        if total:
            out[f"{key}_rate"] = round(found / total, 4)
            out[f"{key}_found"], out[f"{key}_total"] = found, total
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(lines_data.ALL_SETS), choices=lines_data.ALL_SETS)
    parser.add_argument("--sample", type=int, help="only N held-out pages per set (a deterministic subset)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args(argv)
    started = time.time()
    pages = []
    for set_name in args.sets:
        held = [p for p in lines_data.load_set(set_name) if p["heldout"]]
        if args.sample:
            keep = set(quality.sample_ids([p["id"] for p in held], args.sample))
            held = [p for p in held if p["id"] in keep]
        pages += held
        print(f"{set_name}: {len(held)} held-out pages", file=sys.stderr)
    if args.jobs > 1:
        import multiprocessing

        with multiprocessing.Pool(args.jobs, initializer=_init) as pool:
            results = list(pool.imap(run_page, pages, chunksize=2))
    else:
        _init()
        results = [run_page(p) for p in pages]
    figures: dict = {}
    for set_name in args.sets:
        pairs = [(p, r) for p, r in zip(pages, results) if p["set"] == set_name]
        if not pairs:
            continue
        groups = defaultdict(list)
        for p, r in pairs:
            groups["all"].append((p, r))
            page_type = p["gold"].get("page_type")
            if page_type == "article":
                groups["articles"].append((p, r))
        figures[set_name] = {}
        for group, members in groups.items():
            figures[set_name][group] = {
                system: {**aggregate([score(p, r, system) for p, r in members]),
                         "ms_per_page": round(1000 * sum(r["times"][system] for _, r in members) / len(members), 1)}
                for system in SYSTEMS}
        figures[set_name]["model_path_share"] = round(
            sum(r["extractor"] == "text-model" for _, r in pairs) / len(pairs), 4)
    print_report(figures)
    report = {**quality.report_header("line classifier of text dumps, held-out domains", started, args,
                                      lines_data.BENCH),
              "systems": {"text-rules": "textrules.clean_dump_rules (the dump path before the line model)",
                          "text-model": 'cleaners.clean(dump, kind="text")',
                          "html": 'cleaners.clean(html_bytes, kind="html")'},
              "figures": figures}
    report["args"] = {"sets": args.sets, "sample": args.sample, "jobs": args.jobs}
    quality.write_report(report, args.json_out)
    return 0


def print_report(figures: dict) -> None:
    print(f"\n  {'set / group':<28} {'system':<11} {'pages':>5} {'F1':>7} {'P':>7} {'R':>7} "
          f"{'with':>7} {'without':>8} {'ms':>7}")
    for set_name, groups in figures.items():
        for group, systems in groups.items():
            if group == "model_path_share":
                continue
            for system, agg in systems.items():
                cells = [f"{agg[k]:>7.4f}" if k in agg else f"{'-':>7}" for k in ("f1", "precision", "recall")]
                cells += [f"{agg[k]:>7.1%}" if k in agg else f"{'-':>7}" for k in ("with_rate",)]
                cells += [f"{agg[k]:>8.1%}" if k in agg else f"{'-':>8}" for k in ("without_rate",)]
                print(f"  {set_name + ' / ' + group:<28} {system:<11} {agg['pages']:>5} {' '.join(cells)} "
                      f"{agg['ms_per_page']:>7.1f}")
        print(f"  {set_name}: {groups['model_path_share']:.1%} of dumps took the text-model path")


if __name__ == "__main__":
    sys.exit(main())
