#!/usr/bin/env python3
"""The whole generic path on the TUNING parts, with out-of-fold block probabilities: an honest
development set for the rules after the classifier and for its thresholds.

Why: the shipped block models were trained on the tuning parts, so on those pages they are
in-sample -- sure of almost every block -- and a rule that rescues doubtful blocks, or a lower
threshold, looks useless there; the held-out parts must not be used to choose. bench/train_blocks.py
--dump-oof writes, for every tuning page, the second pass's probabilities from a model trained on
the other folds (K folds by site: no site on both sides). This script runs cleaners.clean() on
those pages with the classifier's probabilities replaced by the dumped ones, so every rule after
the classifier (comment sections, article end, container, sections, fallbacks, text rules) sees
what it would see on a site it has never met -- on 1,608 pages instead of the 782 held out.

    .venv/bin/python bench/train_blocks.py --jobs 2 --cache --dump-oof /tmp/oof.pkl --out /tmp/oof-model/blocks.json
    .venv/bin/python bench/oof_pipeline.py --oof /tmp/oof.pkl --jobs 2 [--thresholds "jsonld=0.7,none=0.45;..."]

(--out elsewhere keeps the shipped models in place.) Several --thresholds settings (separated by
';') run in one pass over the pages; unnamed groups keep the shipped thresholds. Figures per set:
WCXB mean word F1 (all pages, articles), trafilatura-eval article / boilerplate snippets,
chinese-wce character F1, also per declared-article group (extract.declared_article). Only pages
the dump holds run; one whose blocks no longer match it (the features changed since) runs with
the shipped model and is counted as stale.
"""
from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import pickle
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import labelled  # noqa: E402
import quality  # noqa: E402

SETS = ("wcxb", "trafeval", "chinese")
GROUPS = ("jsonld", "opengraph", "none")

_OOF: dict = {}
_PAGE: dict = {}  # the page being cleaned in this worker: its key, thresholds, what happened


def parse_thresholds(spec: str | None, shipped: dict) -> list[dict]:
    """'jsonld=0.7,none=0.45;opengraph=0.6' -> one dict per setting, the shipped values filled in."""
    settings = []
    for part in (spec or "").split(";") if spec else [""]:
        setting = dict(shipped)
        for item in filter(None, (x.strip() for x in part.split(","))):
            group, _, value = item.partition("=")
            if group not in GROUPS:
                raise SystemExit(f"error: unknown group {group!r} in --thresholds (one of {', '.join(GROUPS)})")
            setting[group] = float(value)
        settings.append(setting)
    return settings


def _init(oof_path: str) -> None:
    """Worker set-up: the dump, and the classifier's probabilities replaced by it."""
    global _OOF
    _OOF = pickle.loads(Path(oof_path).read_bytes())
    logging.disable(logging.CRITICAL)
    from cleaners.generic import blocks
    from cleaners.generic import extract as generic

    shipped = generic.block_probabilities

    def out_of_fold(tree, url, meta):
        found = blocks.segment(tree)
        dumped = _OOF.get(_PAGE["key"])
        if dumped is not None and len(dumped[1]) == len(found):
            proba = dumped[1]
        else:
            _PAGE["stale"] = True
            found, proba, _ = shipped(tree, url, meta)
        _PAGE["group"] = generic.declared_article(meta)
        return found, proba, _PAGE["thresholds"][_PAGE["group"]]

    generic.block_probabilities = out_of_fold


def clean_page(task) -> dict:
    """One page under every threshold setting: its texts, declared group, whether the dump fit."""
    import cleaners

    set_name, file_id, directory, settings = task
    data = (quality.read_page(Path(directory), file_id) if set_name == "wcxb"
            else labelled.read_page(Path(directory), file_id))
    _PAGE.update(key=file_id if set_name == "wcxb" else f"{set_name}:{file_id}", group="-", stale=False)
    texts = []
    for setting in settings:
        _PAGE["thresholds"] = setting
        texts.append(cleaners.clean(data, url=None, kind="html").text or "")
    return {"set": set_name, "id": file_id, "texts": texts, "group": _PAGE["group"], "stale": _PAGE["stale"]}


def tuning_pages(names: list[str], sample: int | None, dumped: set):
    """(set, page id, directory) of every tuning page the dump holds, and the gold (and WCXB's
    scorer) per set."""
    tasks, gold = [], {}
    for name in names:
        if name == "wcxb":
            wcxb = quality.find_wcxb(None)
            evaluate = quality.load_evaluate(wcxb)
            ids, gt, meta = quality.load_pages(wcxb, evaluate, None)
            part = [i for i in ids if not quality.is_heldout(meta.get(i, {}).get("domain", i))]
            directory = wcxb
        else:
            directory = labelled.set_dir(quality.SHARED_BENCH, name)
            gt, evaluate = labelled.load(name, directory), None
            part = [i for i in sorted(gt) if gt[i]["part"] == "tuning"]
        gold[name] = (gt, evaluate)
        part = [i for i in part if (i if name == "wcxb" else f"{name}:{i}") in dumped]
        tasks += [(name, i, str(directory)) for i in quality.sample_ids(part, sample)]
    return tasks, gold


def figures(name: str, pages: list[dict], k: int, gold) -> dict:
    """The set's figures for setting k over the given pages."""
    gt, evaluate = gold[name]
    if name == "wcxb":
        scores = [(quality.score_page(evaluate, p["texts"][k], gt[p["id"]]), gt[p["id"]]["page_type"]) for p in pages]
        articles = [s["f1"] for s, kind in scores if kind == "article"]
        return {"pages": len(scores), "f1": round(statistics.mean(s["f1"] for s, _ in scores), 4) if scores else None,
                "f1_articles": round(statistics.mean(articles), 4) if articles else None,
                "without_found": sum(s["without_found"] for s, _ in scores)}
    agg = labelled.aggregate([labelled.score_page(name, p["texts"][k], gt[p["id"]]) for p in pages])
    keys = ("f1", "precision", "recall") if name == "chinese" else ("with_found", "without_found", "snippet_f1")
    return {"pages": agg["n"], **{key: agg.get(key) for key in keys}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--oof", required=True, help="bench/train_blocks.py --dump-oof's pickle")
    parser.add_argument("--set", default=",".join(SETS), help="tuning parts to run (default: all three)")
    parser.add_argument("--thresholds", help="settings 'group=value,...' separated by ';' (default: the shipped ones)")
    parser.add_argument("--sample", type=int, help="only N pages of each set (a quick check)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", dest="json_out", help="write the figures here")
    parser.add_argument("--texts", help="write every page's text per setting here (JSON), to compare runs")
    args = parser.parse_args(argv)
    if not Path(args.oof).is_file():
        sys.exit(f"error: {args.oof} is absent: write it with bench/train_blocks.py --dump-oof")
    names = [n for n in args.set.split(",") if n]
    if set(names) - set(SETS):
        sys.exit(f"error: --set takes {', '.join(SETS)} (dragnet-2013 is never trained on: it has no folds)")
    from cleaners.generic import extract as generic

    second = generic._model()[3]
    settings = parse_thresholds(args.thresholds, {g: second.threshold_for(g) for g in GROUPS})
    tasks, gold = tuning_pages(names, args.sample, set(pickle.loads(Path(args.oof).read_bytes())))
    started = time.time()
    work = [(*t, settings) for t in tasks]
    if args.jobs > 1:
        with multiprocessing.Pool(args.jobs, initializer=_init, initargs=(args.oof,)) as pool:
            pages = list(pool.imap(clean_page, work, chunksize=4))
    else:
        _init(args.oof)
        pages = [clean_page(t) for t in work]
    report = {"oof": str(args.oof), "pages": len(pages), "seconds": round(time.time() - started),
              "stale_pages": sum(p["stale"] for p in pages), "settings": []}
    for k, setting in enumerate(settings):
        entry = {"thresholds": setting, "sets": {}}
        for name in names:
            of_set = [p for p in pages if p["set"] == name]
            entry["sets"][name] = {"all": figures(name, of_set, k, gold),
                                   **{g: figures(name, [p for p in of_set if p["group"] == g], k, gold)
                                      for g in GROUPS}}
        report["settings"].append(entry)
        print(f"thresholds {setting}")
        for name, by_group in entry["sets"].items():
            print(f"  {name:9s} " + "  ".join(f"{g}: " + " ".join(f"{key} {value}" for key, value in v.items())
                                                for g, v in by_group.items()))
    print(f"{len(pages)} pages in {report['seconds']} s; {report['stale_pages']} ran with the shipped model "
          "(their blocks no longer match the dump)", file=sys.stderr)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=1), encoding="utf-8")
    if args.texts:
        Path(args.texts).write_text(json.dumps({f"{p['set']}:{p['id']}": p["texts"] for p in pages}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
