#!/usr/bin/env python3
"""Trains the block classifier of the generic path (cleaners/generic/blocks.py features, model in
cleaners/generic/models/blocks.json) on the TUNING part of the WCXB dev set only: the held-out sites
(bench/quality.py's split, by registered domain) are never read.

    .venv/bin/pip install scikit-learn   # training only; the package evaluates the model with numpy
    .venv/bin/python bench/train_blocks.py --jobs 2

Two passes. The first model reads each block's own features (cleaners/generic/blocks.py). The second
reads those plus what the first pass thought of the block's surroundings (cleaners/generic/blockcontext.py);
it is trained on OUT-OF-FOLD first-pass probabilities (K folds by site), so that it learns from
first-pass opinions about unseen pages, as at run time. Its own out-of-fold probabilities choose
the thresholds: one per generic.declared_article() group (the page declares itself an article
in JSON-LD, in og:type, or not at all), the combination with the best mean page F1 among those
that keep no more boilerplate (`without` snippets) than trafilatura on the same pages.
Both passes go to cleaners/generic/models/ (blocks.json, blocks-context.json).

Labels: a block is main content when at least half of its word trigrams (its words, for blocks
of one or two words) occur in the page's ground-truth main_content. Sample weights: the block's
share of its page's words, so every page counts alike (the benchmark averages F1 over pages).
Model: sklearn HistGradientBoostingClassifier, fixed seed (deterministic), exported as plain
JSON trees that cleaners/generic/blockmodel.py evaluates with numpy.

The report: K-fold cross-validation by site on the tuning part (page-level word F1 of the
block texts by threshold and page type, first and second pass, and trafilatura's fast mode).
"""
from __future__ import annotations

import argparse
import itertools
import logging
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # noqa: E402

PROJECT = quality.PROJECT
MODEL_PATH = PROJECT / "cleaners" / "generic" / "models" / "blocks.json"
CACHE = Path("/tmp/newsclean-blocks-cache-2.pkl")

_WCXB = None
_GT = None


def _init(wcxb, gt):
    global _WCXB, _GT
    _WCXB, _GT = wcxb, gt
    logging.disable(logging.CRITICAL)


def _trigrams(tokens):
    return [" ".join(tokens[i:i + 3]) for i in range(len(tokens) - 2)]


def page_rows(file_id: str):
    """Features, labels and weights of one page's blocks, plus what the page-level scoring needs."""
    from cleaners import core
    from cleaners.generic import extract as generic
    from cleaners.io.decode import decode

    data = quality.read_page(_WCXB, file_id)
    text, _ = decode(data, None)
    tree = core._parse_html(text.lstrip("\ufeff"))
    if isinstance(tree, Exception):
        return None
    X, blocks, meta, traf_text = generic.block_features(tree, None)
    ref = _GT[file_id]["main_content"]
    ref_tokens = quality_tokenize(ref)
    ref_tri = set(_trigrams(ref_tokens))
    ref_key = " " + " ".join(ref_tokens) + " "
    labels = np.zeros(len(blocks), dtype=np.float32)
    nwords = np.zeros(len(blocks), dtype=np.float32)
    for i, b in enumerate(blocks):
        toks = quality_tokenize(b.text)
        nwords[i] = len(toks)
        if not toks:
            continue
        if len(toks) < 3:
            labels[i] = float(" " + " ".join(toks) + " " in ref_key)
        else:
            tri = _trigrams(toks)
            labels[i] = sum(t in ref_tri for t in tri) / len(tri)
    from cleaners.generic.blockcontext import signature

    sig_ids: dict = {}
    return {"id": file_id, "X": X, "y": labels, "words": nwords, "texts": [b.text for b in blocks],
            "traf": traf_text, "traf_default": "\n".join(generic._trafilatura_text(tree, None)),
            "kind": generic.page_kind(tree, meta), "declared": generic.declared_article(meta),
            "index": np.asarray([b.index for b in blocks], dtype=np.int32),
            "parents": np.asarray(blocks.parents, dtype=np.int32),
            "sigs": [sig_ids.setdefault(signature(b), len(sig_ids)) for b in blocks]}


def quality_tokenize(text):
    import re

    return re.findall(r"\w+", text.lower())


def build(wcxb, gt, ids, jobs):
    if jobs > 1:
        import multiprocessing

        with multiprocessing.Pool(jobs, initializer=_init, initargs=(wcxb, gt)) as pool:
            rows = list(pool.imap(page_rows, ids, chunksize=4))
    else:
        _init(wcxb, gt)
        rows = [page_rows(i) for i in ids]
    return [r for r in rows if r is not None]


def stack(rows, columns_of):
    X = np.concatenate([columns_of(r) for r in rows])
    y = np.concatenate([r["y"] for r in rows]) >= 0.5
    w = np.concatenate([r["words"] / max(r["words"].sum(), 1.0) for r in rows])
    w = w + 1e-4  # empty-word blocks still count a little
    return X, y, w


def make_model(seed=0, iterations=100):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=iterations, learning_rate=0.15, max_leaf_nodes=31,
                                          min_samples_leaf=40, l2_regularization=1.0,
                                          max_features=0.3,  # a random 30 % of features per split
                                          random_state=seed, early_stopping=False)


def page_text(row, proba, threshold):
    return "\n".join(t for t, p in zip(row["texts"], proba) if p >= threshold)


def _site(row, meta):
    return quality.site_of(meta.get(row["id"], {}).get("domain", row["id"]))


def folds_of(rows, meta, k):
    """Fold number of every row: by site (hash), so no site is on both sides of a fold."""
    return [quality._stable_hash("cv:" + _site(r, meta)) % k for r in rows]


def out_of_fold(rows, folds, k, columns_of, iterations, label):
    """Probabilities of every row's blocks from a model trained on the other folds."""
    probas = [None] * len(rows)
    for fold in range(k):
        train = [r for r, f in zip(rows, folds) if f != fold]
        X, y, w = stack(train, columns_of)
        model = make_model(iterations=iterations).fit(X, y, sample_weight=w) if len(set(y)) > 1 else None
        for i, (r, f) in enumerate(zip(rows, folds)):
            if f == fold:  # (a tiny --sample may leave a fold without both classes: no opinion then)
                probas[i] = (model.predict_proba(columns_of(r))[:, 1] if model is not None and len(r["X"])
                             else np.full(len(r["X"]), 0.5))
        print(f"  {label} fold {fold}: {len(train)} train pages", file=sys.stderr)
    return probas


def with_context(row, p1, keep):
    """The second pass's input: the first pass's features plus blockcontext's columns."""
    from cleaners.generic.blockcontext import context

    words = np.expm1(row["X"][:, 1]).round()
    C = context(p1, words, row["index"], row["parents"], row["sigs"], row["texts"])
    return np.hstack([row["X"][:, keep], C])


def report_cv(evaluate, rows, gt, probas, label):
    """Page-level word F1 (block texts only: no fallback, no text rules) by threshold and type."""
    types = sorted({gt[r["id"]]["page_type"] for r in rows})
    for threshold in (0.3, 0.4, 0.5, 0.6):
        f1 = {r["id"]: evaluate.word_f1(page_text(r, p, threshold), gt[r["id"]]["main_content"])[2]
              for r, p in zip(rows, probas)}
        by_type = "  ".join(f"{t[:5]} {np.mean([f1[r['id']] for r in rows if gt[r['id']]['page_type'] == t]):.3f}"
                            for t in types)
        print(f"  CV {label} threshold {threshold}: F1 {np.mean(list(f1.values())):.4f}   {by_type}")


GRID = [round(0.25 + 0.05 * i, 2) for i in range(12)]  # 0.25 .. 0.8
MIN_GROUP_PAGES = 30


def _found(snippets, text):
    lower = text.lower()
    return sum(s.lower() in lower for s in snippets)


def choose_thresholds(evaluate, rows, gt, probas):
    """Thresholds for the second pass, from its out-of-fold probabilities, on the pages the block
    classifier decides at run time (not thread / product pages, which go to trafilatura).

    One threshold per generic.declared_article() group (groups of >= MIN_GROUP_PAGES pages; the
    overall best for the rest): the combination with the best mean page F1 (block texts only)
    among those that keep no more `without` snippets (boilerplate) than trafilatura's default
    mode keeps on the same pages. Returns (overall threshold, {group: threshold})."""
    chosen = [(r, p) for r, p in zip(rows, probas) if r.get("kind") is None]
    if not chosen:  # (a tiny --sample of thread / product pages only)
        return 0.5, {}
    f1 = np.array([[evaluate.word_f1(page_text(r, p, t), gt[r["id"]]["main_content"])[2] for t in GRID]
                   for r, p in chosen])
    without = np.array([[_found(gt[r["id"]]["without"], page_text(r, p, t)) for t in GRID] for r, p in chosen])
    budget = sum(_found(gt[r["id"]]["without"], r.get("traf_default", "")) for r, _ in chosen)
    overall = GRID[int(np.argmax(f1.mean(axis=0)))]
    group_of = np.array([r["declared"] for r, _ in chosen])
    groups = [g for g in sorted(set(group_of)) if (group_of == g).sum() >= MIN_GROUP_PAGES]
    rest = ~np.isin(group_of, groups)
    base_f1 = f1[rest, GRID.index(overall)].sum()
    base_without = without[rest, GRID.index(overall)].sum()
    sums = {g: (f1[group_of == g].sum(axis=0), without[group_of == g].sum(axis=0)) for g in groups}
    for g in groups:
        print(f"  {g} ({(group_of == g).sum()} pages): " + " ".join(
            f"{t}:{f / (group_of == g).sum():.4f}/{w}" for t, f, w in zip(GRID, *sums[g])), file=sys.stderr)
    best = None
    for combo in itertools.product(range(len(GRID)), repeat=len(groups)):
        total_f1 = base_f1 + sum(sums[g][0][i] for g, i in zip(groups, combo))
        total_without = base_without + sum(sums[g][1][i] for g, i in zip(groups, combo))
        key = (total_without <= budget, total_f1 if total_without <= budget else -total_without)
        if best is None or key > best[0]:
            best = (key, combo, total_f1 / len(chosen), total_without)
    _, combo, mean_f1, total_without = best
    print(f"  chosen: mean F1 {mean_f1:.4f}, `without` snippets {total_without} "
          f"(trafilatura on the same {len(chosen)} pages: {budget})", file=sys.stderr)
    return overall, {str(g): GRID[i] for g, i in zip(groups, combo)}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--wcxb")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--folds", type=int, default=5,
                        help="K of the K-fold split by site (out-of-fold probabilities, thresholds)")
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--cache", action="store_true", help=f"reuse/write features in {CACHE}")
    parser.add_argument("--sample", type=int, help="only N tuning pages (a quick check of the script)")
    parser.add_argument("--threshold", type=float, default=0.4,
                        help="the first pass's threshold (used only when the second pass is missing)")
    parser.add_argument("--iterations", type=int, default=100, help="boosting iterations")
    parser.add_argument("--with-trafilatura", action="store_true",
                        help="also use trafilatura's output as a feature (slower at run time)")
    parser.add_argument("--dump-oof", help="write the out-of-fold probabilities (pickle) here")
    args = parser.parse_args(argv)
    wcxb = quality.find_wcxb(args.wcxb)
    evaluate = quality.load_evaluate(wcxb)
    ids, gt, meta = quality.load_pages(wcxb, evaluate, None)
    tuning = [i for i in ids if not quality.is_heldout(meta.get(i, {}).get("domain", i))]
    if args.sample:
        tuning = quality.sample_ids(tuning, args.sample)
    print(f"{len(tuning)} tuning pages (held-out sites excluded: {len(ids) - len(tuning)} pages)", file=sys.stderr)
    started = time.time()

    if args.cache and CACHE.exists() and not args.sample:
        rows = pickle.loads(CACHE.read_bytes())
    else:
        rows = build(wcxb, gt, tuning, args.jobs)
        if args.cache and not args.sample:
            CACHE.write_bytes(pickle.dumps(rows))
    print(f"features of {sum(len(r['X']) for r in rows)} blocks in {time.time() - started:.0f} s", file=sys.stderr)
    from cleaners.generic.blocks import feature_names

    names = feature_names()
    drop = () if args.with_trafilatura else ("in_traf", "traf_share")
    keep = np.array([not n.startswith(drop) for n in names]) if drop else np.ones(len(names), dtype=bool)
    kept_names = [n for n, k in zip(names, keep) if k]
    from cleaners.generic import blockmodel
    from cleaners.generic.blockcontext import CONTEXT_NAMES

    first = lambda r: r["X"][:, keep]  # noqa: E731
    k = args.folds
    folds = folds_of(rows, meta, k)
    # out-of-fold first-pass probabilities: the second pass learns from what the first pass
    # says about pages it has not seen, as at run time
    p1 = out_of_fold(rows, folds, k, first, args.iterations, "first pass")
    contexts = {r["id"]: with_context(r, p, keep) for r, p in zip(rows, p1)}
    second = lambda r: contexts[r["id"]]  # noqa: E731
    # and the second pass's out-of-fold probabilities, to choose its thresholds
    p2 = out_of_fold(rows, folds, k, second, args.iterations, "second pass")
    report_cv(evaluate, rows, gt, p1, "first pass")
    report_cv(evaluate, rows, gt, p2, "second pass")
    threshold, thresholds = choose_thresholds(evaluate, rows, gt, p2)
    print(f"  thresholds: {threshold} overall, by declared article: {thresholds}", file=sys.stderr)
    if args.dump_oof:
        Path(args.dump_oof).write_bytes(pickle.dumps({r["id"]: (a, b) for r, a, b in zip(rows, p1, p2)}))
    f1t = [evaluate.word_f1(r["traf"], gt[r["id"]]["main_content"])[2] for r in rows]
    print(f"  trafilatura (fast, in-path) F1 {np.mean(f1t):.4f}")
    about = {"trained_on": f"WCXB dev, tuning part only ({len(rows)} pages, "
                           f"{sum(len(r['X']) for r in rows)} blocks; held-out sites excluded)",
             "training": "bench/train_blocks.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    out = Path(args.out)
    X, y, w = stack(rows, first)
    model = make_model(iterations=args.iterations).fit(X, y, sample_weight=w)
    blockmodel.export(model, out, feature_names=kept_names, threshold=args.threshold, extra=about)
    X, y, w = stack(rows, second)
    model = make_model(iterations=args.iterations).fit(X, y, sample_weight=w)
    second_out = blockmodel.second_path(out)
    blockmodel.export(model, second_out, feature_names=kept_names + CONTEXT_NAMES,
                      threshold=threshold, extra={**about, "thresholds": thresholds})
    for path in (out, second_out):
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
