#!/usr/bin/env python3
"""Extraction quality on the WCXB dev set: the project's generic path against trafilatura and
readability-lxml, side by side, scored with the benchmark's own evaluate.py.

    .venv/bin/python bench/quality.py --jobs 2 --json bench/results/quality-$(date +%F).json

Systems (all run on the same pages in one run):
  ours               cleaners.clean(html_bytes, url=None, kind="html") -- the whole project path
                     (a site cleaner when the page's canonical URL is one of ours, else generic:
                     the learned block classifier, trafilatura / readability when it finds
                     < 40 words, then the generic text rules)
  ours-norules       the same with the generic text rules switched off
                     (cleaners.generic.extract.APPLY_TEXT_RULES = False)
  trafilatura        trafilatura.extract(html, include_comments=False)
  traf-precision     trafilatura.extract(html, include_comments=False, favor_precision=True)
  readability        readability-lxml Document(html).summary() -> text

Scores come from evaluate.py in the benchmark directory (imported, not copied): word-level
precision / recall / F1 per page, averaged over pages, and the rates of `with` snippets found
(higher is better) and `without` snippets found (boilerplate; lower is better).

Held-out split: pages are split BY DOMAIN (registered domain of metadata.json's `domain`) with a
fixed hash; ~30 % of domains are held out. The held-out figures are the headline. Any tuning of
the cleaners must only look at the other ("tuning") part: the per-rule log below is computed on
the tuning part only.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import logging
import os
import platform
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import labelled  # noqa: E402  (bench/labelled.py: dragnet-2013, trafilatura-eval, chinese-wce)
from report import write_report  # noqa: E402  (bench/report.py; metadata.py and lines_quality.py call quality.write_report)

SHARED_BENCH = Path(os.environ.get("NEWSCLEAN_SHARED", PROJECT.parent / "shared")) / "bench"
DEFAULT_WCXB = SHARED_BENCH / "wcxb-dev"
SYSTEMS = ["ours", "ours-norules", "trafilatura", "traf-precision", "readability"]
TYPE_ORDER = ["article", "forum", "product", "collection", "listing", "documentation", "service"]
HELDOUT_PERCENT = 30  # share of domains held out (by hash), never to be looked at when tuning


# ---------------------------------------------------------------------------------------------
# Benchmark data


def find_wcxb(path: str | None) -> Path:
    wcxb = Path(path) if path else DEFAULT_WCXB
    if not (wcxb / "evaluate.py").is_file() or not (wcxb / "html").is_dir():
        sys.exit(f"error: the WCXB benchmark is not at {wcxb} (expected evaluate.py, html/, "
                 f"ground-truth/ and metadata.json there). It lives in ../shared/bench/wcxb-dev "
                 f"beside the project checkout; pass --wcxb DIR to point elsewhere.")
    return wcxb


def load_evaluate(wcxb: Path):
    """The benchmark's own scorer, imported from its directory."""
    spec = importlib.util.spec_from_file_location("wcxb_evaluate", wcxb / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stable_hash(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16)


def site_of(domain: str) -> str:
    """The registered domain ('store.steampowered.com' -> 'steampowered.com')."""
    from cleaners.metadata.urls import registered_domain

    return registered_domain("//" + domain) or domain


def is_heldout(domain: str) -> bool:
    return _stable_hash("wcxb-heldout:" + site_of(domain)) % 100 < HELDOUT_PERCENT


def sample_ids(ids: list[str], n: int | None) -> list[str]:
    """A deterministic subset of n pages (spread over the set by a hash of the file id)."""
    if not n or n >= len(ids):
        return sorted(ids)
    return sorted(sorted(ids, key=lambda i: _stable_hash("wcxb-sample:" + i))[:n])


def load_pages(wcxb: Path, evaluate, sample: int | None):
    """(ids, ground truth by id, metadata by id)."""
    gt = evaluate.load_ground_truth(".")  # evaluate.py reads <its dir>/<split>/ground-truth
    meta = json.loads((wcxb / "metadata.json").read_text(encoding="utf-8"))["files"]
    ids = sample_ids([i for i in gt if (wcxb / "html" / f"{i}.html.gz").is_file()], sample)
    return ids, gt, meta


def read_page(wcxb: Path, file_id: str) -> bytes:
    with gzip.open(wcxb / "html" / f"{file_id}.html.gz", "rb") as fh:
        return fh.read()


# ---------------------------------------------------------------------------------------------
# Extractors

_BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
               "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
               "blockquote", "pre", "table", "thead", "tbody", "tr", "td", "th", "figure",
               "figcaption", "form", "hr", "br", "address", "details", "summary"}


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, a line per block element (so words of adjacent blocks
    never run together)."""
    import lxml.html

    if not markup or not markup.strip():
        return ""
    root = lxml.html.fromstring(markup)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def run_trafilatura(html: str, precision: bool = False) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, favor_precision=precision) or ""


def run_readability(html: str) -> str:
    from readability import Document

    return html_to_text(Document(html).summary())


def run_ours(data: bytes, rules: bool = True):
    import cleaners
    from cleaners.generic import extract as generic

    generic.APPLY_TEXT_RULES = rules
    try:
        article = cleaners.clean(data, url=None, kind="html")
    finally:
        generic.APPLY_TEXT_RULES = True
    return article


def rule_drops(paragraphs: list[str], title: str | None) -> list[tuple[str, str]]:
    """Replays textrules.filter_paragraphs stage by stage on the rules-off output and names the
    rule that dropped each line: [(rule, line), ...]."""
    from cleaners.generic import textrules

    def removed(before: list[str], after: list[str]) -> list[str]:
        left = Counter(after)
        out = []
        for line in before:
            if left[line]:
                left[line] -= 1
            else:
                out.append(line)
        return out

    drops: list[tuple[str, str]] = []
    lines = [p for p in paragraphs if p.strip()]
    widgets = textrules.drop_read_more_widgets(lines)
    drops += [("read-more-widget", line) for line in removed(lines, widgets)]
    kept = []
    for line in widgets:
        rule = textrules.junk_rule(line) if hasattr(textrules, "junk_rule") else (
            "junk" if textrules.is_junk_line(line) else None)
        if rule:
            drops.append((rule, line))
        else:
            kept.append(line)
    final = textrules.drop_repeats(kept, title)
    title_key = " ".join(title.split()).casefold() if title else None
    for line in removed(kept, final):
        is_title = title_key and " ".join(line.split()).casefold() == title_key
        drops.append(("repeat:title" if is_title else "repeat:back-to-back", line))
    return drops


_WCXB: Path | None = None
_RUN_SYSTEMS: list[str] = SYSTEMS
_READ = None


def _init_worker(wcxb: Path) -> None:
    global _WCXB, _READ
    _WCXB = wcxb
    _READ = lambda file_id: read_page(wcxb, file_id)  # noqa: E731
    for name in ("trafilatura", "readability", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _init_set_worker(spec: tuple) -> None:
    """Worker set-up for a run of quality.py: (set name, its directory, the systems to run)."""
    global _RUN_SYSTEMS, _READ
    name, directory, systems = spec
    _init_worker(directory)
    _RUN_SYSTEMS = list(systems)
    if name != "wcxb":
        _READ = lambda file_id: labelled.read_page(directory, file_id)  # noqa: E731


def page_text_of(data: bytes) -> str:
    """The page as text for the baselines: UTF-8 when it is, else the project's own decoder
    (charset declarations, detection), so a GBK page reaches every system as the same text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from cleaners.io.decode import decode

        return decode(data, None)[0]


def process_page(file_id: str) -> dict:
    """Runs every system on one page: texts, timings, which path ours took, rule drops."""
    data = _READ(file_id)
    html = page_text_of(data)
    texts, times, errors, path = {}, {}, {}, {}
    drops: list[tuple[str, str]] = []
    for system in _RUN_SYSTEMS:
        start = time.perf_counter()
        try:
            if system in ("ours", "ours-norules"):
                article = run_ours(data, rules=(system == "ours"))
                texts[system] = article.text or ""
                path[system] = article.extractor or article.status
                if article.status not in ("ok", "no_article"):
                    errors[system] = f"{article.status}: {article.error}"
                if system == "ours-norules" and article.extractor in ("blocks", "trafilatura", "readability"):
                    drops = rule_drops(article.text.split("\n\n") if article.text else [],
                                       article.title)
            elif system == "trafilatura":
                texts[system] = run_trafilatura(html)
            elif system == "traf-precision":
                texts[system] = run_trafilatura(html, precision=True)
            elif system == "readability":
                texts[system] = run_readability(html)
        except Exception as exc:  # noqa: BLE001 - a failing baseline scores 0 on that page
            texts[system] = ""
            errors[system] = f"{type(exc).__name__}: {exc}"
        times[system] = time.perf_counter() - start
    return {"id": file_id, "texts": texts, "times": times, "errors": errors, "path": path,
            "drops": drops}


# ---------------------------------------------------------------------------------------------
# Scoring


def run_pages(process, init_worker, wcxb: Path, ids: list[str], jobs: int, quiet: bool) -> list[dict]:
    """process(file_id) over all pages (after init_worker(wcxb) in each process), in `jobs`
    processes when > 1; the results sorted by page id. Shared with bench/metadata.py."""
    started = time.time()
    results: list[dict] = []

    def progress() -> None:
        if not quiet and len(results) % 50 == 0:
            print(f"  {len(results)}/{len(ids)} pages, {time.time() - started:.0f} s", file=sys.stderr, flush=True)

    if jobs > 1:
        import multiprocessing

        with multiprocessing.Pool(jobs, initializer=init_worker, initargs=(wcxb,)) as pool:
            for result in pool.imap_unordered(process, ids, chunksize=2):
                results.append(result)
                progress()
    else:
        init_worker(wcxb)
        for file_id in ids:
            results.append(process(file_id))
            progress()
    return sorted(results, key=lambda r: r["id"])


def add_run_arguments(parser) -> None:
    """--wcxb, --sample, --json, --jobs, --quiet: shared with bench/metadata.py."""
    parser.add_argument("--wcxb", help=f"the WCXB dev directory (default: {DEFAULT_WCXB})")
    parser.add_argument("--sample", type=int, help="only N pages (a deterministic subset)")
    parser.add_argument("--json", dest="json_out", help="write all figures to this JSON file")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def report_header(benchmark: str, started: float, args, wcxb: Path) -> dict:
    """The fields every JSON report starts with (shared with bench/metadata.py): what ran, when,
    how long, with which arguments and library versions."""
    return {"benchmark": benchmark,
            "date": date.today().isoformat(),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(time.time() - started, 1),
            "args": {"sample": args.sample, "jobs": args.jobs, "wcxb": str(wcxb)},
            "versions": versions()}


def score_page(evaluate, text: str, gt: dict) -> dict:
    """WCXB's own word F1 and snippet checks, with soft hyphens taken out of both sides first
    (labelled.visible: invisible, and kept in two of its gold files)."""
    text = labelled.visible(text)
    with_, without = [labelled.visible(s) for s in gt["with"]], [labelled.visible(s) for s in gt["without"]]
    p, r, f1 = evaluate.word_f1(text, labelled.visible(gt["main_content"]))
    lower = text.lower()
    return {
        "precision": p, "recall": r, "f1": f1,
        "with_rate": evaluate.snippet_check(text, with_),
        "without_rate": evaluate.snippet_check(text, without),
        "with_found": sum(1 for s in with_ if s.lower() in lower),
        "with_total": len(gt["with"]),
        "without_found": sum(1 for s in without if s.lower() in lower),
        "without_total": len(gt["without"]),
    }


def aggregate(scores: list[dict]) -> dict:
    n = len(scores)
    if not n:
        return {"n": 0}
    out = {"n": n}
    for key in ("f1", "precision", "recall", "with_rate", "without_rate"):
        out[key] = round(sum(s[key] for s in scores) / n, 4)
    for key in ("with_found", "with_total", "without_found", "without_total"):
        out[key] = sum(s[key] for s in scores)
    return out


def groups_of(file_id: str, gt: dict, meta: dict) -> list[str]:
    page_type = gt[file_id]["page_type"]
    part = "heldout" if is_heldout(meta.get(file_id, {}).get("domain", file_id)) else "tuning"
    return ["all", f"type:{page_type}", part, f"{part}/type:{page_type}"]


def rule_log(evaluate, results: list[dict], gt: dict, meta: dict, page_scores: dict) -> list[dict]:
    """Per generic text rule, on the TUNING part only: lines and words dropped, how many of those
    lines are article text, the `with` snippets the rule loses, and its contribution to the mean
    word-F1 (F1 with the rule's drops minus F1 with that rule's lines put back; word-F1 is a bag
    of words, so putting lines back is appending them)."""
    tuning = [r for r in results if not is_heldout(meta.get(r["id"], {}).get("domain", r["id"]))]
    n = len(tuning)
    stats: dict[str, dict] = defaultdict(lambda: {"pages": 0, "lines": 0, "words": 0,
                                                  "lines_in_reference": 0, "with_lost": 0,
                                                  "f1_contribution": 0.0, "examples": []})
    for result in tuning:
        if not result["drops"]:
            continue
        reference = gt[result["id"]]["main_content"]
        ref_folded = " " + " ".join(evaluate.tokenize(reference)) + " "
        on_text = result["texts"]["ours"]
        on_f1 = page_scores["ours"][result["id"]]["f1"]
        by_rule: dict[str, list[str]] = defaultdict(list)
        for rule, line in result["drops"]:
            family = rule if not rule.startswith("exact:") else rule  # keep each label apart
            by_rule[family].append(line)
        for rule, lines in by_rule.items():
            entry = stats[rule]
            entry["pages"] += 1
            entry["lines"] += len(lines)
            entry["words"] += sum(len(evaluate.tokenize(x)) for x in lines)
            in_ref = [x for x in lines if evaluate.tokenize(x)
                      and " " + " ".join(evaluate.tokenize(x)) + " " in ref_folded]
            entry["lines_in_reference"] += len(in_ref)
            restored = on_text + "\n\n" + "\n\n".join(lines)
            entry["f1_contribution"] += on_f1 - evaluate.word_f1(restored, reference)[2]
            lower_on, lower_restored = on_text.lower(), restored.lower()
            entry["with_lost"] += sum(1 for s in gt[result["id"]]["with"]
                                      if s.lower() in lower_restored and s.lower() not in lower_on)
            if in_ref and len(entry["examples"]) < 5:
                entry["examples"].append({"id": result["id"], "line": in_ref[0][:160]})
    out = []
    for rule, entry in stats.items():
        entry["f1_contribution"] = round(entry["f1_contribution"] / max(n, 1), 6)
        out.append({"rule": rule, **entry})
    return sorted(out, key=lambda e: (e["f1_contribution"], -e["lines"]))


# ---------------------------------------------------------------------------------------------
# Report


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    import cleaners

    out = {"python": platform.python_version(), "newsclean": cleaners.__version__}
    for package in ("trafilatura", "readability-lxml", "lxml", "justext", "htmldate"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT,
                                capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "cleaners"], cwd=PROJECT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        out["git"] = commit + ("+dirty(cleaners/)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        out["git"] = None
    return out


def rule_label(rule: str) -> str:
    """'pattern:9' -> 'pattern:9 ^(photo|image|...' so the table says which regex it is."""
    if rule.startswith("pattern:"):
        from cleaners.generic import textrules

        try:
            return f"{rule} {textrules._JUNK_PATTERNS[int(rule.split(':')[1])].pattern}"
        except (IndexError, ValueError, AttributeError):
            return rule
    return rule


def _row(label: str, agg: dict) -> str:
    if not agg.get("n"):
        return f"  {label:<16} {'-':>5}"
    return (f"  {label:<16} {agg['n']:>5} {agg['f1']:>7.4f} {agg['precision']:>7.4f} "
            f"{agg['recall']:>7.4f} {agg['with_rate']:>7.1%} {agg['without_rate']:>8.1%}   "
            f"{agg['with_found']:>5}/{agg['with_total']:<5} {agg['without_found']:>5}/{agg['without_total']:<5}")


def print_report(report: dict) -> None:
    figures = report["figures"]
    systems = report["run_systems"]
    header = (f"  {'system':<16} {'pages':>5} {'F1':>7} {'P':>7} {'R':>7} {'with':>7} {'without':>8}   "
              f"{'with found':>11} {'w/o found':>11}")

    def table(title: str, group: str) -> None:
        print(f"\n{title}")
        print(header)
        print("  " + "-" * (len(header) - 2))
        for system in systems:
            print(_row(system, figures[system].get(group, {"n": 0})))

    split = report["split"]
    print(f"\nWCXB dev: {report['pages']} pages; held out by domain: {split['heldout_pages']} pages "
          f"({split['heldout_sites']} of {split['sites']} sites), tuning part: {split['tuning_pages']} pages")
    print("(F1/P/R: mean word-level scores per page; with: share of required snippets found, "
          "higher is better; without: share of boilerplate snippets found, lower is better)")
    table("HEADLINE -- held-out part, all page types", "heldout")
    table("Held-out part, articles", "heldout/type:article")
    table("Whole dev set, all page types", "all")
    table("Whole dev set, articles", "type:article")
    table("Tuning part, all page types", "tuning")

    print("\nF1 per page type (whole dev set)")
    print(f"  {'type':<14} {'pages':>5} " + " ".join(f"{s:>15}" for s in systems))
    for page_type in TYPE_ORDER:
        group = f"type:{page_type}"
        n = figures["ours"].get(group, {}).get("n", 0)
        if n:
            print(f"  {page_type:<14} {n:>5} " + " ".join(
                f"{figures[s][group]['f1']:>15.4f}" for s in systems))

    if "ours-norules" in systems:
        print_rules_on_off(report)
    print("\nWhich path ours took: " + ", ".join(f"{k}={v}" for k, v in report["paths"]["ours"].items()))
    errors = report["errors"]
    if any(errors.values()):
        print("Errors / non-ok statuses: " + ", ".join(f"{k}={len(v)}" for k, v in errors.items() if v))
    if report["rule_log"]:
        print_rule_log(report)
    print("\nTime per page (s, mean): " + ", ".join(
        f"{s}={report['mean_seconds'][s]:.3f}" for s in systems) + "  (see bench/speed.py for speed)")


def print_rules_on_off(report: dict) -> None:
    figures = report["figures"]
    print("\nGeneric text rules ON vs OFF (ours vs ours-norules): F1 and snippets")
    print(f"  {'group':<26} {'pages':>5} {'F1 on':>8} {'F1 off':>8} {'delta':>8} "
          f"{'with on/off':>13} {'w/o on/off':>12}")
    groups = ["heldout", "heldout/type:article", "all", "tuning"] + [f"type:{t}" for t in TYPE_ORDER]
    for group in groups:
        on, off = figures["ours"].get(group, {}), figures["ours-norules"].get(group, {})
        if not on.get("n"):
            continue
        print(f"  {group:<26} {on['n']:>5} {on['f1']:>8.4f} {off['f1']:>8.4f} "
              f"{on['f1'] - off['f1']:>+8.4f} {on['with_found']:>6}/{off['with_found']:<6} "
              f"{on['without_found']:>5}/{off['without_found']:<6}")
    pages = report["rules_on_vs_off_pages"]
    print(f"  pages where rules change F1: {pages['better']} better, {pages['worse']} worse, "
          f"{pages['same']} same; `with` snippets lost to rules: {pages['with_lost']}")


def print_rule_log(report: dict) -> None:
    log = report["rule_log"]
    print(f"\nPer-rule log (tuning part only, {report['split']['tuning_pages']} pages; "
          f"F1 contrib = mean F1 gained by the rule, negative = the rule hurts)")
    print(f"  {'rule':<34} {'pages':>5} {'lines':>6} {'words':>6} {'in ref':>6} {'with lost':>9} {'F1 contrib':>11}")
    for entry in log:
        print(f"  {rule_label(entry['rule'])[:34]:<34} {entry['pages']:>5} {entry['lines']:>6} {entry['words']:>6} "
              f"{entry['lines_in_reference']:>6} {entry['with_lost']:>9} {entry['f1_contribution']:>+11.6f}")


def run_wcxb(args) -> dict:
    """The WCXB dev report (every system, held-out part as headline, per-rule log)."""
    wcxb = find_wcxb(args.wcxb)
    evaluate = load_evaluate(wcxb)
    ids, gt, meta = load_pages(wcxb, evaluate, args.sample)
    if not ids:
        sys.exit(f"error: no pages found under {wcxb}")

    started = time.time()
    systems = [s for s in SYSTEMS if s in args.systems] if args.systems else SYSTEMS
    results = run_pages(process_page, _init_set_worker, ("wcxb", wcxb, systems), ids, args.jobs, args.quiet)

    page_scores = {s: {r["id"]: score_page(evaluate, r["texts"][s], gt[r["id"]]) for r in results}
                   for s in systems}
    figures = {}
    for system in systems:
        grouped = defaultdict(list)
        for result in results:
            for group in groups_of(result["id"], gt, meta):
                grouped[group].append(page_scores[system][result["id"]])
        figures[system] = {group: aggregate(scores) for group, scores in sorted(grouped.items())}

    better = worse = same = with_lost = 0
    for result in results if "ours-norules" in systems else []:
        on, off = page_scores["ours"][result["id"]], page_scores["ours-norules"][result["id"]]
        delta = on["f1"] - off["f1"]
        better += delta > 1e-9
        worse += delta < -1e-9
        same += abs(delta) <= 1e-9
        with_lost += max(0, off["with_found"] - on["with_found"])

    heldout_ids = [r["id"] for r in results if is_heldout(meta.get(r["id"], {}).get("domain", r["id"]))]
    heldout_set = set(heldout_ids)
    sites = {site_of(meta.get(i, {}).get("domain", i)) for i in ids}
    report = {
        **report_header("WCXB dev (../shared/bench/wcxb-dev), scored with its evaluate.py", started, args, wcxb),
        "systems": {
            "ours": 'cleaners.clean(html_bytes, url=None, kind="html")',
            "ours-norules": "the same with cleaners.generic.extract.APPLY_TEXT_RULES = False",
            "trafilatura": "trafilatura.extract(html, include_comments=False)",
            "traf-precision": "trafilatura.extract(html, include_comments=False, favor_precision=True)",
            "readability": "readability.Document(html).summary() -> text, a line per block",
        },
        "run_systems": systems,
        "pages": len(results),
        "split": {
            "method": f"sha1('wcxb-heldout:' + registered domain) % 100 < {HELDOUT_PERCENT}",
            "heldout_pages": len(heldout_ids),
            "tuning_pages": len(results) - len(heldout_ids),
            "sites": len(sites),
            "heldout_sites": sum(1 for s in sites if is_heldout(s)),
        },
        "figures": figures,
        "rules_on_vs_off_pages": {"better": better, "worse": worse, "same": same,
                                  "with_lost": with_lost},
        "paths": {s: dict(Counter(r["path"].get(s, "-") for r in results).most_common())
                  for s in ("ours", "ours-norules") if s in systems},
        "errors": {s: {r["id"]: r["errors"][s] for r in results if s in r["errors"]} for s in systems},
        "mean_seconds": {s: sum(r["times"][s] for r in results) / len(results) for s in systems},
        "rule_log": rule_log(evaluate, results, gt, meta, page_scores) if "ours-norules" in systems else [],
        "per_page": {r["id"]: {"type": gt[r["id"]]["page_type"],
                               "heldout": r["id"] in heldout_set,
                               "path": r["path"].get("ours"),
                               **{s: round(page_scores[s][r["id"]]["f1"], 4) for s in systems}}
                     for r in results},
    }
    print_report(report)
    return report


LABELLED_SYSTEMS = ["ours", "trafilatura", "traf-precision", "readability"]


def run_labelled(name: str, args) -> dict:
    """One of bench/labelled.py's sets: every system on the same pages, scored with the set's
    own metric; the held-out part (all of dragnet-2013) is the headline."""
    directory = labelled.set_dir(Path(args.shared_bench), name)
    gt = labelled.load(name, directory)
    ids = sample_ids(list(gt), args.sample)
    systems = args.systems or LABELLED_SYSTEMS
    started = time.time()
    print(f"\n{labelled.SETS[name]}: {len(ids)} pages", file=sys.stderr)
    results = run_pages(process_page, _init_set_worker, (name, directory, systems), ids, args.jobs, args.quiet)
    scores = {s: {r["id"]: labelled.score_page(name, r["texts"].get(s, ""), gt[r["id"]]) for r in results}
              for s in systems}
    figures = {}
    for system in systems:
        grouped = defaultdict(list)
        for r in results:
            for group in labelled.groups_of(name, gt[r["id"]]):
                grouped[group].append(scores[system][r["id"]])
        figures[system] = {group: labelled.aggregate(v) for group, v in sorted(grouped.items())}
    metric = labelled.METRIC[name]
    report = {
        **report_header(f"{labelled.SETS[name]} (../shared/bench/{labelled.SETS[name]})", started, args, directory),
        "metric": metric, "systems": systems, "pages": len(results),
        "headline": labelled.headline_group(name),
        "split": {"method": ("all held out (never trained on)" if name == "dragnet" else
                             f"sha1('{name}-heldout:' + registered domain) % 100 < {labelled.HELDOUT_PERCENT}"),
                  "heldout_pages": sum(gt[r["id"]]["part"] == "heldout" for r in results)},
        "figures": figures,
        "paths": dict(Counter(r["path"].get("ours", "-") for r in results).most_common()),
        "errors": {s: {r["id"]: r["errors"][s] for r in results if s in r["errors"]} for s in systems},
        "mean_seconds": {s: sum(r["times"][s] for r in results) / max(len(results), 1) for s in systems},
        "per_page": {r["id"]: {"part": gt[r["id"]]["part"], "path": r["path"].get("ours"),
                               **{s: {k: (round(v, 4) if isinstance(v, float) else v)
                                      for k, v in scores[s][r["id"]].items()} for s in systems}}
                     for r in results},
    }
    print_labelled(name, report)
    return report


def print_labelled(name: str, report: dict) -> None:
    metric = report["metric"]
    what = {"words": "F1 / P / R: mean word-level scores per page (WCXB's tokens)",
            "chars": "F1 / P / R: mean character-level scores per page (CJK split per character)",
            "snippets": "with: article snippets found (higher is better); w/o: boilerplate snippets kept "
                        "(lower is better)"}[metric]
    print(f"\n{labelled.SETS[name]}: {report['pages']} pages, held out: {report['split']['heldout_pages']} "
          f"({report['split']['method']})\n({what})")
    figures = report["figures"]
    groups = [report["headline"]] + sorted(g for g in figures[report["systems"][0]]
                                           if g != report["headline"] and g != "all") + (
        ["all"] if report["headline"] != "all" else [])
    for group in groups:
        print(f"\n  {labelled.SETS[name]} -- {group}" + ("  (HEADLINE)" if group == report["headline"] else ""))
        for system in report["systems"]:
            print(labelled.format_row(system, figures[system].get(group, {"n": 0}), metric))
    print("\n  which path ours took: " + ", ".join(f"{k}={v}" for k, v in report["paths"].items()))
    print("  time per page (s, mean): " + ", ".join(f"{s}={t:.3f}" for s, t in report["mean_seconds"].items()))


ALL_SETS = ["wcxb", "dragnet", "trafeval", "chinese"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    parser.add_argument("--set", default="wcxb",
                        help="comma-separated: wcxb, dragnet, trafeval, chinese, or all (default wcxb)")
    parser.add_argument("--shared-bench", default=str(SHARED_BENCH),
                        help=f"where the labelled sets are (default {SHARED_BENCH})")
    parser.add_argument("--systems", type=lambda v: v.split(","),
                        help="comma-separated systems for the non-WCXB sets (default: "
                             + ",".join(LABELLED_SYSTEMS) + ")")
    args = parser.parse_args(argv)
    names = ALL_SETS if args.set == "all" else args.set.split(",")
    unknown = [n for n in names if n not in ALL_SETS]
    if unknown:
        sys.exit(f"error: unknown set(s) {unknown}; choose from {ALL_SETS} or all")
    reports = {name: run_wcxb(args) if name == "wcxb" else run_labelled(name, args) for name in names}
    write_report(reports[names[0]] if len(names) == 1 else {"sets": reports}, args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
