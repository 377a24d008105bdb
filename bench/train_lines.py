#!/usr/bin/env python3
"""Trains the line classifier of text dumps (cleaners/generic/lines.py; models
cleaners/generic/models/lines.json and lines-context.json) on dumps of labelled pages
(bench/lines_data.py: wcxb-dev's tuning part, chinese-wce and trafilatura-eval outside their
held-out domains; never dragnet-2013, never a held-out domain).

    .venv/bin/pip install scikit-learn   # training only; the package evaluates the model with numpy
    nice -n 10 .venv/bin/python bench/lines_data.py --jobs 2     # the dumps (cached in /tmp)
    OMP_NUM_THREADS=2 nice -n 10 .venv/bin/python bench/train_lines.py --jobs 2 --cache --first-only --folds 3

The shipped model (--first-only) is one pass of trees over each line's features, exported by
bench/train_blocks.py's exporter (blockmodel.export) with its tree settings. Without
--first-only a second pass is trained too, as bench/train_blocks.py's: it reads the features
plus the first pass's probabilities around the line (lines.context), trained on OUT-OF-FOLD
first-pass probabilities (K folds by domain), so that it learns from opinions about unseen sites
as at run time; it did not gain out of fold, so it is not shipped. The last pass's out-of-fold
probabilities choose the threshold: the best mean page F1 (word-level, character-level for
Chinese) of the chosen lines on the full-gold training pages.

WCXB pages: articles only by default (--wcxb-types); trained on every page type the model keeps
short lines, as lists are content on forum, product and listing pages, and does worse on
articles, which is what a news dump is.

Labels: bench/lines_data.label_lines (trigram containment in the gold text; `with` / `without`
snippets as partial labels). Sample weights: a line's share of its page's words (+1 per line), so
every page counts alike, as the benchmarks average F1 over pages.
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lines_data  # noqa: E402
import quality  # noqa: E402
import train_blocks  # noqa: E402

from cleaners.generic import blockmodel, lines  # noqa: E402

MODEL_PATH = lines.MODEL_PATH
CACHE = Path("/tmp/newsclean-lines-features.pkl")


def page_row(page: dict) -> dict | None:
    """Features, labels and weights of one page's dump lines."""
    dump = lines_data.dump_of(page["set"], page["id"])
    all_lines = lines.split_dump(dump)
    X, index = lines.features(all_lines, None)
    if not index:
        return None
    texts = [all_lines[i] for i in index]
    labels = lines_data.label_lines(texts, page["gold"])
    y = np.array([np.nan if v is None else v for v in labels], dtype=np.float64)
    size = np.array([lines.units(t) for t in texts]) + 1.0
    return {**{k: page[k] for k in ("set", "id", "domain", "heldout")}, "X": X, "y": y,
            "size": size, "texts": texts,
            "reference": page["gold"].get("main_content")}


def _row_of(page):
    return page_row(page)


def build(pages, jobs):
    if jobs > 1:
        import multiprocessing

        with multiprocessing.Pool(jobs) as pool:
            rows = list(pool.imap(_row_of, pages, chunksize=4))
    else:
        rows = [page_row(p) for p in pages]
    return [r for r in rows if r is not None]


def stack(rows, columns_of):
    Xs, ys, ws = [], [], []
    for r in rows:
        known = ~np.isnan(r["y"])
        if not known.any():
            continue
        w = r["size"][known]
        Xs.append(columns_of(r)[known])
        ys.append(r["y"][known] >= 0.5)
        ws.append(w / w.sum())
    return np.concatenate(Xs), np.concatenate(ys), np.concatenate(ws)


def out_of_fold(rows, k, columns_of, iterations, label):
    folds = [quality._stable_hash("lines-cv:" + r["domain"]) % k for r in rows]
    probas = [None] * len(rows)
    for fold in range(k):
        X, y, w = stack([r for r, f in zip(rows, folds) if f != fold], columns_of)
        model = train_blocks.make_model(iterations=iterations).fit(X, y, sample_weight=w)
        for i, (r, f) in enumerate(zip(rows, folds)):
            if f == fold:
                probas[i] = model.predict_proba(columns_of(r))[:, 1]
        print(f"  {label} fold {fold} done", file=sys.stderr)
    return probas


GRID = [round(0.2 + 0.05 * i, 2) for i in range(13)]  # 0.2 .. 0.8


def choose_threshold(scorer, rows, probas):
    """The threshold with the best mean page F1 on the full-gold rows."""
    gold = [(r, p) for r, p in zip(rows, probas) if r["reference"]]
    f1 = np.array([[scorer(r["set"], "\n".join(t for t, q in zip(r["texts"], p) if q >= cut), r["reference"])[2]
                    for cut in GRID] for r, p in gold])
    means = f1.mean(axis=0)
    for s in sorted({r["set"] for r, _ in gold}):
        mask = np.array([r["set"] == s for r, _ in gold])
        print(f"  {s} ({mask.sum()} pages): " + " ".join(f"{c}:{m:.4f}" for c, m in zip(GRID, f1[mask].mean(axis=0))),
              file=sys.stderr)
    best = int(np.argmax(means))
    print(f"  chosen threshold {GRID[best]}: mean page F1 {means[best]:.4f} (out of fold)", file=sys.stderr)
    return GRID[best]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--cache", action="store_true", help=f"reuse/write features in {CACHE}")
    parser.add_argument("--sample", type=int, help="only N pages per set (a quick check of the script)")
    parser.add_argument("--first-only", action="store_true", help="no second (context) pass")
    parser.add_argument("--wcxb-types", nargs="+", default=["article"],
                        help="WCXB page types to train on (default: article; 'all' for every type)")
    args = parser.parse_args(argv)
    started = time.time()
    pages = []
    for set_name in lines_data.TRAIN_SETS:
        ps = [p for p in lines_data.load_set(set_name) if not p["heldout"]]
        if set_name == "wcxb-dev" and "all" not in args.wcxb_types:
            ps = [p for p in ps if p["gold"].get("page_type") in args.wcxb_types]
        if args.sample:
            ps = ps[:args.sample]
        print(f"{set_name}: {len(ps)} training pages", file=sys.stderr)
        pages += ps
    names = lines.feature_names()
    cached = pickle.loads(CACHE.read_bytes()) if args.cache and CACHE.exists() and not args.sample else None
    key = {"features": names, "labels": lines_data.LABELS_VERSION, "pages": [(p["set"], p["id"]) for p in pages]}
    if cached and cached.get("key") == key:  # (features, labels or pages changed since: computed afresh)
        rows = cached["rows"]
    else:
        rows = build(pages, args.jobs)
        if args.cache and not args.sample:
            CACHE.write_bytes(pickle.dumps({"key": key, "rows": rows}))
    assert not any(r["heldout"] or r["set"] in lines_data.EVAL_ONLY for r in rows)
    n_lines = sum(len(r["y"]) for r in rows)
    n_known = sum(int((~np.isnan(r["y"])).sum()) for r in rows)
    n_pos = sum(int((r["y"] >= 0.5).sum()) for r in rows)
    print(f"features of {n_lines} lines ({n_known} labelled, {n_pos} article) of {len(rows)} pages "
          f"in {time.time() - started:.0f} s", file=sys.stderr)
    scorer = lines_data.page_f1
    first = lambda r: r["X"]  # noqa: E731
    p1 = out_of_fold(rows, args.folds, first, args.iterations, "first pass")
    sizes = {s: sum(1 for r in rows if r["set"] == s) for s in lines_data.TRAIN_SETS}
    about = {"trained_on": f"dumps (../shared/tools/make_dump.py) of {len(rows)} pages outside the held-out "
                           f"domains: {sizes}; {n_lines} lines, {n_known} labelled, {n_pos} article",
             "training": "bench/train_lines.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    out = Path(args.out)
    second_out = blockmodel.second_path(out)
    if args.first_only:
        threshold = choose_threshold(scorer, rows, p1)
    else:
        contexts = {id(r): np.hstack([r["X"], lines.context(p)]) for r, p in zip(rows, p1)}
        second = lambda r: contexts[id(r)]  # noqa: E731
        p2 = out_of_fold(rows, args.folds, second, args.iterations, "second pass")
        print("first pass:", file=sys.stderr)
        choose_threshold(scorer, rows, p1)
        print("second pass:", file=sys.stderr)
        threshold = choose_threshold(scorer, rows, p2)
    X, y, w = stack(rows, first)
    model = train_blocks.make_model(iterations=args.iterations).fit(X, y, sample_weight=w)
    blockmodel.export(model, out, feature_names=names, threshold=threshold, extra=about)
    if args.first_only:
        second_out.unlink(missing_ok=True)
    else:
        X, y, w = stack(rows, second)
        model = train_blocks.make_model(iterations=args.iterations).fit(X, y, sample_weight=w)
        blockmodel.export(model, second_out, feature_names=names + lines.CONTEXT_NAMES, threshold=threshold,
                          extra=about)
    lines._models.cache_clear()
    for path in (out, second_out):
        if path.is_file():
            print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)", file=sys.stderr)
    print(f"done in {time.time() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
