#!/usr/bin/env python3
"""Metadata quality on the WCXB dev set: the title, authors and publication date the project
extracts, against trafilatura's metadata (and htmldate alone for the date), on the same pages.

    .venv/bin/python bench/metadata.py --jobs 2 --json bench/results/metadata-$(date +%F).json

Systems (all run on the same pages in one run):
  ours          cleaners.clean(html_bytes, url=None, kind="html") -> .title, .authors (list),
                .published (ISO string)
  trafilatura   trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
                -> .title, .author (authors joined by "; ", split back here), .date; a None
                result (nothing extracted) counts as no metadata at all
  htmldate      htmldate.find_date(html, extensive_search=False, original_date=True): a
                reference row for the date only

References: each page's ground-truth/NNNN.json, `ground_truth` -> `title` (always a string),
`author` (string, maybe empty, or None) and `publish_date` ("YYYY-MM-DD" or None; one page,
4519, has "2003-11").

Scoring, per field and page:
  date    the reference and the extracted value compared on the reference's own precision:
          extracted[:len(reference)] == reference (the first 10 characters of an ISO value, its
          day, for every "YYYY-MM-DD" reference; a time or time zone after the day is ignored).
          On pages whose reference HAS a date: right / wrong (another date) / missing (none
          extracted), counts and rates over those pages. On pages whose reference has NO date:
          invented = a date was extracted anyway (count and rate over those pages).
  title   normalised = casefolded, white space collapsed, non-word characters (punctuation,
          symbols) stripped at both ends. exact = normalised extracted == normalised reference,
          rate over all pages (every reference has a title); tok-F1 = mean over all pages of the
          word-F1 between extracted and reference title (evaluate.py's word_f1: tokens
          re.findall(r"\\w+", s.lower()); a missing title scores 0); missing = no title.
  author  each extracted author and the reference normalised as titles are. On pages with a
          non-empty reference author: right when the reference equals one extracted author, or
          is contained (as whole words: 'ma' is not in 'mark') in the extracted authors joined
          by ", ", or one extracted author or the joined authors are contained in the reference
          (so "Dylan Bailey" is right for "Dylan Bailey, MS, RD", "By Andrew King" for "Andrew
          King", and one of three co-authors for the three); an extracted author that is a URL
          (has "://" or starts with "www.") names no one and never matches; wrong when authors
          were extracted but none matches; missing when none were extracted. On pages with no
          reference author (None or empty): invented = an author (URL or not) was extracted.

Every figure is reported for the held-out part (the headline: pages of sites held out by
bench/quality.py's split, never to be looked at when tuning), its articles, the whole dev set and
its articles (page type from evaluate.get_page_type). --json writes every figure and, per page,
the reference, each system's values and outcomes, so two runs can be compared page by page.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # noqa: E402  (bench/quality.py: benchmark location, pages, split, versions)

SYSTEMS = ["ours", "trafilatura", "htmldate"]
FIELDS = {"ours": ["date", "title", "author"], "trafilatura": ["date", "title", "author"],
          "htmldate": ["date"]}
GROUPS = [("heldout", "HEADLINE -- held-out part"), ("heldout/type:article", "Held-out part, articles"),
          ("all", "Whole dev set"), ("type:article", "Whole dev set, articles")]


# ---------------------------------------------------------------------------------------------
# References


def load_references(wcxb: Path, evaluate, ids: list[str]) -> dict:
    """Title, author, date and page type of each page, read from its ground-truth JSON (the
    dict quality.load_pages builds keeps the title and page type but not author and date)."""
    refs = {}
    for file_id in ids:
        data = json.loads((wcxb / "ground-truth" / f"{file_id}.json").read_text(encoding="utf-8"))
        truth = data.get("ground_truth") or {}
        refs[file_id] = {"title": truth.get("title") or "", "author": truth.get("author") or "",
                         "date": truth.get("publish_date") or None,
                         "page_type": evaluate.get_page_type(data)}
    return refs


# ---------------------------------------------------------------------------------------------
# Extractors: each returns {"title": str | None, "authors": [str], "date": str | None}


def run_ours(data: bytes) -> dict:
    import cleaners

    article = cleaners.clean(data, url=None, kind="html")
    return {"title": article.title, "authors": [a for a in article.authors if a and a.strip()],
            "date": article.published}


def run_trafilatura(html: str) -> dict:
    """trafilatura 2.x returns a Document (or None when it extracts no text: no metadata then)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        return {"title": None, "authors": [], "date": None}
    author = getattr(doc, "author", None) or ""
    return {"title": getattr(doc, "title", None),
            "authors": [a.strip() for a in author.split(";") if a.strip()],
            "date": getattr(doc, "date", None)}


def run_htmldate(html: str) -> dict:
    import htmldate

    return {"title": None, "authors": [],
            "date": htmldate.find_date(html, extensive_search=False, original_date=True)}


_WCXB: Path | None = None


def _init_worker(wcxb: Path) -> None:
    global _WCXB
    _WCXB = wcxb
    for name in ("trafilatura", "readability", "htmldate", "courlan", "charset_normalizer", "cleaners"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def process_page(file_id: str) -> dict:
    """Runs every system on one page; a system that raises extracts nothing on that page."""
    data = quality.read_page(_WCXB, file_id)
    html = data.decode("utf-8", errors="replace")
    values, times, errors = {}, {}, {}
    for system in SYSTEMS:
        start = time.perf_counter()
        try:
            values[system] = run_ours(data) if system == "ours" else (
                run_trafilatura(html) if system == "trafilatura" else run_htmldate(html))
        except Exception as exc:  # noqa: BLE001 - a failing system scores as missing on that page
            values[system] = {"title": None, "authors": [], "date": None}
            errors[system] = f"{type(exc).__name__}: {exc}"
        times[system] = time.perf_counter() - start
    return {"id": file_id, "values": values, "times": times, "errors": errors}


# ---------------------------------------------------------------------------------------------
# Scoring


def normalise(text: str | None) -> str:
    """Casefold, collapse white space, strip non-word characters at both ends ('Title | ' and
    'Title.' compare equal to 'title')."""
    text = " ".join((text or "").casefold().split())
    return re.sub(r"^[\W_]+|[\W_]+$", "", text)


def is_url(text: str) -> bool:
    """An author field holding a link (a profile URL) names no one, whatever its path says."""
    return "://" in text or text.startswith("www.")


def _contains(outer: str, inner: str) -> bool:
    """inner occurs in outer as whole words ('ma' is not in 'mark'), both non-empty."""
    return bool(outer and inner) and re.search(r"(?<!\w)" + re.escape(inner) + r"(?!\w)", outer) is not None


def score_date(extracted: str | None, reference: str | None) -> str:
    """'right' / 'wrong' / 'missing' when the reference has a date, else 'invented' / 'none'."""
    value = (extracted or "").strip()
    if not reference:
        return "invented" if value else "none"
    if not value:
        return "missing"
    return "right" if value[:len(reference)] == reference else "wrong"


def score_author(extracted: list[str], reference: str) -> str:
    """'right' / 'wrong' / 'missing' when the reference names an author, else 'invented' /
    'none'; see the module docstring for what counts as right."""
    keys = [k for k in (normalise(a) for a in extracted) if k]
    names = [k for k in keys if not is_url(k)]
    ref = normalise(reference)
    if not ref:
        return "invented" if keys else "none"
    if not keys:
        return "missing"
    joined = ", ".join(names)
    if ref in names or _contains(joined, ref) or _contains(ref, joined) or any(_contains(ref, k) for k in names):
        return "right"
    return "wrong"


def score_title(evaluate, extracted: str | None, reference: str) -> dict:
    """Exact match catches a title that is right as a whole; token F1 gives credit for a title
    with a site suffix or a subtitle that exact match calls wrong."""
    return {"exact": bool(extracted) and normalise(extracted) == normalise(reference),
            "f1": round(evaluate.word_f1(extracted or "", reference)[2], 4) if extracted else 0.0,
            "missing": not (extracted or "").strip()}


def score_page(evaluate, values: dict, ref: dict, system: str) -> dict:
    """The outcome of each field the system reports (htmldate: the date only)."""
    out = {"date": score_date(values["date"], ref["date"])}
    if "title" in FIELDS[system]:
        out["title"] = score_title(evaluate, values["title"], ref["title"])
    if "author" in FIELDS[system]:
        out["author"] = score_author(values["authors"], ref["author"])
    return out


def _rate(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def tally_outcomes(outcomes: list[str]) -> dict:
    """Counts and rates of a date or author field: right / wrong / missing over the pages with a
    reference value, invented over the pages without one."""
    counts = Counter(outcomes)
    with_ref = counts["right"] + counts["wrong"] + counts["missing"]
    without_ref = counts["invented"] + counts["none"]
    out = {"with_reference": with_ref}
    for key in ("right", "wrong", "missing"):
        out[key] = counts[key]
        out[f"{key}_rate"] = _rate(counts[key], with_ref)
    out.update({"without_reference": without_ref, "invented": counts["invented"],
                "invented_rate": _rate(counts["invented"], without_ref)})
    return out


def tally_titles(scores: list[dict]) -> dict:
    n = len(scores)
    exact = sum(s["exact"] for s in scores)
    missing = sum(s["missing"] for s in scores)
    return {"pages": n, "exact": exact, "exact_rate": _rate(exact, n),
            "mean_f1": round(sum(s["f1"] for s in scores) / n, 4) if n else None,
            "missing": missing, "missing_rate": _rate(missing, n)}


def aggregate(system: str, page_scores: list[dict]) -> dict:
    out = {"pages": len(page_scores), "date": tally_outcomes([s["date"] for s in page_scores])}
    if "title" in FIELDS[system]:
        out["title"] = tally_titles([s["title"] for s in page_scores])
    if "author" in FIELDS[system]:
        out["author"] = tally_outcomes([s["author"] for s in page_scores])
    return out


def groups_of(ref: dict, heldout: bool) -> list[str]:
    part = "heldout" if heldout else "tuning"
    return ["all", f"type:{ref['page_type']}", part, f"{part}/type:{ref['page_type']}"]


# ---------------------------------------------------------------------------------------------
# Report


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def print_table(title: str, figures: dict, group: str) -> None:
    """One row per system: date right/wrong/missing (% of pages with a reference date) and
    invented (count / pages without one); title exact, token F1, missing; author as date."""
    base = figures["ours"].get(group)
    if not base:
        return
    d, a = base["date"], base["author"]
    print(f"\n{title}: {base['pages']} pages ({d['with_reference']} with a reference date, "
          f"{a['with_reference']} with a reference author)")
    print(f"  {'system':<12} | {'date right':>10} {'wrong':>6} {'miss':>6} {'invented':>9} | "
          f"{'title exact':>11} {'tok-F1':>6} {'miss':>4} | {'author right':>12} {'wrong':>6} {'miss':>6} {'invented':>9}")
    for system in SYSTEMS:
        f = figures[system].get(group)
        if not f:
            continue
        d = f["date"]
        row = (f"  {system:<12} | {_pct(d['right_rate']):>10} {_pct(d['wrong_rate']):>6} "
               f"{_pct(d['missing_rate']):>6} {d['invented']:>4}/{d['without_reference']:<4} | ")
        if "title" in f:
            t = f["title"]
            row += f"{_pct(t['exact_rate']):>11} {t['mean_f1']:>6.3f} {t['missing']:>4} | "
        else:
            row += f"{'':>11} {'':>6} {'':>4} | "
        if "author" in f:
            a = f["author"]
            row += (f"{_pct(a['right_rate']):>12} {_pct(a['wrong_rate']):>6} {_pct(a['missing_rate']):>6} "
                    f"{a['invented']:>4}/{a['without_reference']:<4}")
        print(row.rstrip(" |"))


def print_report(report: dict) -> None:
    split = report["split"]
    print(f"\nWCXB dev metadata: {report['pages']} pages; held out by domain: {split['heldout_pages']}, "
          f"tuning part: {split['tuning_pages']}")
    print("(date and author: right / wrong / missing as % of pages with a reference value; invented: "
          "pages with a value but no reference / pages with no reference; title: normalised exact "
          "match, mean token F1, pages with no title)")
    for group, title in GROUPS:
        print_table(title, report["figures"], group)
    errors = report["errors"]
    if any(errors.values()):
        print("\nErrors: " + ", ".join(f"{k}={len(v)}" for k, v in errors.items() if v))
    print("\nTime per page (s, mean): " + ", ".join(
        f"{s}={report['mean_seconds'][s]:.3f}" for s in SYSTEMS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    quality.add_run_arguments(parser)
    args = parser.parse_args(argv)

    wcxb = quality.find_wcxb(args.wcxb)
    evaluate = quality.load_evaluate(wcxb)
    ids, _gt, meta = quality.load_pages(wcxb, evaluate, args.sample)
    if not ids:
        sys.exit(f"error: no pages found under {wcxb}")
    refs = load_references(wcxb, evaluate, ids)

    started = time.time()
    results = quality.run_pages(process_page, _init_worker, wcxb, ids, args.jobs, args.quiet)
    heldout = {r["id"]: quality.is_heldout(meta.get(r["id"], {}).get("domain", r["id"])) for r in results}

    scores = {s: {r["id"]: score_page(evaluate, r["values"][s], refs[r["id"]], s) for r in results}
              for s in SYSTEMS}
    figures = {}
    for system in SYSTEMS:
        grouped = defaultdict(list)
        for result in results:
            for group in groups_of(refs[result["id"]], heldout[result["id"]]):
                grouped[group].append(scores[system][result["id"]])
        figures[system] = {group: aggregate(system, page_scores)
                           for group, page_scores in sorted(grouped.items())}

    n_heldout = sum(heldout.values())
    report = {
        **quality.report_header("WCXB dev (../shared/bench/wcxb-dev): title, author, publication date",
                                started, args, wcxb),
        "systems": {
            "ours": 'cleaners.clean(html_bytes, url=None, kind="html") -> .title, .authors, .published',
            "trafilatura": "trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)"
                           " -> .title, .author (split on ';'), .date",
            "htmldate": "htmldate.find_date(html, extensive_search=False, original_date=True) (date only)",
        },
        "fields": FIELDS,
        "scoring": __doc__.split("Scoring, per field and page:\n")[1].split("\n\nEvery figure")[0],
        "pages": len(results),
        "split": {"method": f"bench/quality.py: sha1('wcxb-heldout:' + registered domain) % 100 "
                            f"< {quality.HELDOUT_PERCENT}",
                  "heldout_pages": n_heldout, "tuning_pages": len(results) - n_heldout},
        "figures": figures,
        "errors": {s: {r["id"]: r["errors"][s] for r in results if s in r["errors"]} for s in SYSTEMS},
        "mean_seconds": {s: round(sum(r["times"][s] for r in results) / len(results), 4) for s in SYSTEMS},
        "per_page": {r["id"]: {"type": refs[r["id"]]["page_type"], "heldout": heldout[r["id"]],
                               "reference": {k: refs[r["id"]][k] for k in ("title", "author", "date")},
                               **{s: {"values": {k: r["values"][s][k] for k in
                                                 (("title", "authors", "date") if s != "htmldate" else ("date",))},
                                      "scores": scores[s][r["id"]]} for s in SYSTEMS}}
                     for r in results},
    }
    print_report(report)
    quality.write_report(report, args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
