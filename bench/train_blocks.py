#!/usr/bin/env python3
"""Trains the block classifier of the generic path (cleaners/generic/blocks.py features, model in
cleaners/generic/models/blocks.json) on the TUNING parts of the WCXB dev set, trafilatura-eval and
chinese-wce only: the held-out sites (bench/quality.py's and bench/labelled.py's splits, by
registered domain) are never read, and dragnet-2013 (AGPL data) is never trained on.

    .venv/bin/pip install scikit-learn   # training only; the package evaluates the model with numpy
    .venv/bin/python bench/train_blocks.py --jobs 2

Two passes. The first model reads each block's own features (cleaners/generic/blocks.py). The second
reads those plus what the first pass thought of the block's surroundings (cleaners/generic/blockcontext.py);
it is trained on OUT-OF-FOLD first-pass probabilities (K folds by site), so that it learns from
first-pass opinions about unseen pages, as at run time. Its own out-of-fold probabilities choose
the thresholds: one per generic.declared_article() group (the page declares itself an article
in JSON-LD, in og:type, or not at all), the combination with the best mean page F1 on WCXB among
those that keep no more boilerplate (`without` snippets) than trafilatura on the same WCXB pages
and no more than trafilatura's favor_precision mode on trafilatura-eval's tuning pages.
Both passes go to cleaners/generic/models/ (blocks.json, blocks-context.json).

Labels: a block is main content when at least half of its word trigrams (its words, for blocks
of one or two words) occur in the page's ground-truth main_content (words: \w+ tokens, CJK text
split per character, so Chinese pages get labels too). trafilatura-eval has snippets, not full
text: partial labels -- a block that holds an article (`with`) snippet or lies inside one is
content, one that holds or lies inside a boilerplate (`without`) or reader-comment snippet is
not, the other blocks of the page are left out. Sample weights: the block's share of its page's
(labelled) words, so every page counts alike (the benchmark averages F1 over pages).
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
import labelled  # noqa: E402
import quality  # noqa: E402

PROJECT = quality.PROJECT
MODEL_PATH = PROJECT / "cleaners" / "generic" / "models" / "blocks.json"
CACHE = Path("/tmp/newsclean-blocks-cache-3.pkl")

_SETS: dict = {}
EXTRA_SETS = ("trafeval", "chinese")


def _init(sets):
    global _SETS
    _SETS = sets
    logging.disable(logging.CRITICAL)


def _trigrams(tokens):
    return [" ".join(tokens[i:i + 3]) for i in range(len(tokens) - 2)]


def full_text_labels(texts, reference):
    """Share of each block's token trigrams (its tokens, for blocks of 1-2) in the reference."""
    ref_tokens = labelled.char_tokens(reference)
    ref_tri = set(_trigrams(ref_tokens))
    ref_key = " " + " ".join(ref_tokens) + " "
    labels = np.zeros(len(texts), dtype=np.float32)
    for i, text in enumerate(texts):
        toks = labelled.char_tokens(text)
        if not toks:
            continue
        if len(toks) < 3:
            labels[i] = float(" " + " ".join(toks) + " " in ref_key)
        else:
            tri = _trigrams(toks)
            labels[i] = sum(t in ref_tri for t in tri) / len(tri)
    return labels


def snippet_labels(texts, positive, negative):
    """Partial labels from snippets: (labels, mask). A block holding a snippet or lying inside one
    (>= 3 words, or 2 for boilerplate) takes its side; a block matching both sides is left out."""
    norm = [" ".join(t.split()) for t in texts]
    pos = [" ".join(x.split()) for x in positive if x and x.strip()]
    neg = [" ".join(x.split()) for x in negative if x and x.strip()]

    def matches(text, snippets, min_words):
        return any(sn in text or (len(text.split()) >= min_words and text in sn) for sn in snippets)

    labels = np.zeros(len(texts), dtype=np.float32)
    mask = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(norm):
        if not text:
            continue
        is_pos, is_neg = matches(text, pos, 3), matches(text, neg, 2)
        if is_pos != is_neg:
            labels[i], mask[i] = float(is_pos), True
    return labels, mask


def page_rows(key):
    """Features, labels and weights of one page's blocks, plus what the page-level scoring needs."""
    from cleaners import core
    from cleaners.generic import extract as generic
    from cleaners.io.decode import decode

    set_name, file_id = key
    directory, gt = _SETS[set_name]
    data = (quality.read_page(directory, file_id) if set_name == "wcxb"
            else labelled.read_page(directory, file_id))
    text, _ = decode(data, None)
    tree = core._parse_html(text.lstrip("\ufeff"))
    if isinstance(tree, Exception):
        return None
    X, blocks, meta, traf_text = generic.block_features(tree, None)
    texts = [b.text for b in blocks]
    page = gt[file_id]
    if set_name == "trafeval":
        labels, mask = snippet_labels(texts, page["with"], page["without"] + (page.get("comments_with") or []))
    else:
        labels, mask = full_text_labels(texts, page["main_content"]), np.ones(len(texts), dtype=bool)
    nwords = np.asarray([len(labelled.char_tokens(t)) for t in texts], dtype=np.float32)
    from cleaners.generic.blockcontext import signature

    sig_ids: dict = {}
    row = {"id": file_id if set_name == "wcxb" else f"{set_name}:{file_id}", "set": set_name,
           "file_id": file_id, "site": page["site"],
           "X": X, "y": labels, "mask": mask, "words": nwords, "texts": texts,
           "traf": traf_text, "kind": generic.page_kind(tree, meta), "declared": generic.declared_article(meta),
           "index": np.asarray([b.index for b in blocks], dtype=np.int32),
           "parents": np.asarray(blocks.parents, dtype=np.int32),
           "sigs": [sig_ids.setdefault(signature(b), len(sig_ids)) for b in blocks]}
    if set_name == "wcxb":
        row["traf_default"] = "\n".join(generic._trafilatura_text(tree, None))
    elif set_name == "trafeval":
        row["traf_precision"] = quality.run_trafilatura(text, precision=True)
    return row


def quality_tokenize(text):
    import re

    return re.findall(r"\w+", text.lower())


def build(sets, keys, jobs):
    if jobs > 1:
        import multiprocessing

        with multiprocessing.Pool(jobs, initializer=_init, initargs=(sets,)) as pool:
            rows = list(pool.imap(page_rows, keys, chunksize=4))
    else:
        _init(sets)
        rows = [page_rows(k) for k in keys]
    return [r for r in rows if r is not None]


def stack(rows, columns_of):
    """Training matrix of the labelled blocks: every page weighs alike, split over its blocks by
    their share of the page's labelled words."""
    X = np.concatenate([columns_of(r)[r["mask"]] for r in rows])
    y = np.concatenate([r["y"][r["mask"]] for r in rows]) >= 0.5
    w = np.concatenate([r["words"][r["mask"]] / max(r["words"][r["mask"]].sum(), 1.0) for r in rows])
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


def folds_of(rows, k):
    """Fold number of every row: by site (hash), so no site is on both sides of a fold."""
    return [quality._stable_hash("cv:" + r["site"]) % k for r in rows]


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
    """Page-level word F1 (block texts only: no fallback, no text rules) by threshold and type,
    on the WCXB pages."""
    pairs = [(r, p) for r, p in zip(rows, probas) if r["set"] == "wcxb"]
    rows, probas = [r for r, _ in pairs], [p for _, p in pairs]
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


def _found_normalised(snippets, text):
    """trafilatura-eval's count: snippets found after white-space normalisation, case kept."""
    norm = " ".join(text.split())
    return sum(" ".join(x.split()) in norm for x in snippets)


def choose_thresholds(evaluate, rows, gt, probas):
    """Thresholds for the second pass, from its out-of-fold probabilities, on the pages the block
    classifier decides at run time (not thread / product pages, which go to trafilatura).

    One threshold per generic.declared_article() group (groups of >= MIN_GROUP_PAGES WCXB pages;
    the overall best for the rest): the combination with the best mean page F1 on WCXB (block
    texts only) among those that keep no more `without` snippets (boilerplate) than trafilatura's
    default mode on the same WCXB pages, and no more than its favor_precision mode on the
    trafilatura-eval tuning pages. Returns (overall threshold, {group: threshold})."""
    chosen = [(r, p) for r, p in zip(rows, probas) if r.get("kind") is None and r["set"] == "wcxb"]
    snippet_pages = [(r, p) for r, p in zip(rows, probas) if r.get("kind") is None and r["set"] == "trafeval"]
    if not chosen:  # (a tiny --sample of thread / product pages only)
        return 0.5, {}
    f1 = np.array([[evaluate.word_f1(page_text(r, p, t), gt[r["id"]]["main_content"])[2] for t in GRID]
                   for r, p in chosen])
    without = np.array([[_found(gt[r["id"]]["without"], page_text(r, p, t)) for t in GRID] for r, p in chosen])
    budget = sum(_found(gt[r["id"]]["without"], r.get("traf_default", "")) for r, _ in chosen)
    te_gt = _SETS_GT.get("trafeval", {})
    te_without = np.array([[_found_normalised(te_gt[r["file_id"]]["without"], page_text(r, p, t)) for t in GRID]
                           for r, p in snippet_pages]).reshape(len(snippet_pages), len(GRID))
    te_with = np.array([[_found_normalised(te_gt[r["file_id"]]["with"], page_text(r, p, t)) for t in GRID]
                        for r, p in snippet_pages]).reshape(len(snippet_pages), len(GRID))
    te_budget = sum(_found_normalised(te_gt[r["file_id"]]["without"], r.get("traf_precision") or "")
                    for r, _ in snippet_pages)
    overall = GRID[int(np.argmax(f1.mean(axis=0)))]
    group_of = np.array([r["declared"] for r, _ in chosen])
    te_group_of = np.array([r["declared"] for r, _ in snippet_pages])
    groups = [g for g in sorted(set(group_of)) if (group_of == g).sum() >= MIN_GROUP_PAGES]
    rest, te_rest = ~np.isin(group_of, groups), ~np.isin(te_group_of, groups)
    at = GRID.index(overall)
    base = (f1[rest, at].sum(), without[rest, at].sum(), te_without[te_rest, at].sum(), te_with[te_rest, at].sum())
    sums = {g: (f1[group_of == g].sum(axis=0), without[group_of == g].sum(axis=0),
                te_without[te_group_of == g].sum(axis=0), te_with[te_group_of == g].sum(axis=0)) for g in groups}
    for g in groups:
        print(f"  {g} ({(group_of == g).sum()} WCXB pages, {(te_group_of == g).sum()} trafilatura-eval): " + " ".join(
            f"{t}:{f / (group_of == g).sum():.4f}/{w}/{tw}" for t, f, w, tw in zip(GRID, *sums[g][:3])), file=sys.stderr)
    best = None
    for combo in itertools.product(range(len(GRID)), repeat=len(groups)):
        totals = [base[j] + sum(sums[g][j][i] for g, i in zip(groups, combo)) for j in range(4)]
        total_f1, total_without, total_te, total_te_with = totals
        within = total_without <= budget and total_te <= te_budget
        excess = max(0, total_without - budget) + max(0, total_te - te_budget)
        key = (within, total_f1 if within else -excess)
        if best is None or key > best[0]:
            best = (key, combo, total_f1 / len(chosen), total_without, total_te, total_te_with)
    _, combo, mean_f1, total_without, total_te, total_te_with = best
    print(f"  chosen: WCXB mean F1 {mean_f1:.4f}, `without` snippets {total_without} "
          f"(trafilatura on the same {len(chosen)} pages: {budget}); trafilatura-eval `without` {total_te} "
          f"(favor_precision: {te_budget}), `with` {total_te_with} on {len(snippet_pages)} pages", file=sys.stderr)
    return overall, {str(g): GRID[i] for g, i in zip(groups, combo)}


_SETS_GT: dict = {}


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
    parser.add_argument("--extra", default=",".join(EXTRA_SETS),
                        help="labelled sets trained on beside WCXB (their tuning parts): "
                             "trafeval, chinese, both (default) or none")
    parser.add_argument("--shared-bench", default=str(quality.SHARED_BENCH))
    args = parser.parse_args(argv)
    wcxb = quality.find_wcxb(args.wcxb)
    evaluate = quality.load_evaluate(wcxb)
    ids, gt, meta = quality.load_pages(wcxb, evaluate, None)
    for file_id in ids:
        gt[file_id]["site"] = quality.site_of(meta.get(file_id, {}).get("domain", file_id))
    tuning = [i for i in ids if not quality.is_heldout(meta.get(i, {}).get("domain", i))]
    if args.sample:
        tuning = quality.sample_ids(tuning, args.sample)
    print(f"{len(tuning)} WCXB tuning pages (held-out sites excluded: {len(ids) - len(tuning)} pages)", file=sys.stderr)
    sets = {"wcxb": (wcxb, gt)}
    keys = [("wcxb", i) for i in tuning]
    extra = [name for name in args.extra.split(",") if name and name != "none"]
    if "dragnet" in extra:
        sys.exit("error: dragnet-2013 is AGPL data: evaluation only, never training data")
    for name in extra:
        directory = labelled.set_dir(Path(args.shared_bench), name)
        set_gt = labelled.load(name, directory)
        for page in set_gt.values():
            page["site"] = page["domain"]
        part = [i for i in sorted(set_gt) if set_gt[i]["part"] == "tuning"]
        if args.sample:
            part = quality.sample_ids(part, max(2, args.sample // 2))
        print(f"{len(part)} {labelled.SETS[name]} tuning pages (held out: {len(set_gt) - len(part)})", file=sys.stderr)
        sets[name] = (directory, set_gt)
        _SETS_GT[name] = set_gt
        keys += [(name, i) for i in part]
    started = time.time()

    if args.cache and CACHE.exists() and not args.sample:
        rows = pickle.loads(CACHE.read_bytes())
    else:
        rows = build(sets, keys, args.jobs)
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
    folds = folds_of(rows, k)
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
    f1t = [evaluate.word_f1(r["traf"], gt[r["id"]]["main_content"])[2] for r in rows if r["set"] == "wcxb"]
    print(f"  trafilatura (fast, in-path) F1 {np.mean(f1t):.4f}")
    counts = {name: sum(r["set"] == name for r in rows) for name in sets}
    about = {"trained_on": "tuning parts only (held-out sites excluded): " + ", ".join(
                 f"{n} pages of {'WCXB dev' if name == 'wcxb' else labelled.SETS[name]}" for name, n in counts.items())
             + f"; {sum(int(r['mask'].sum()) for r in rows)} labelled blocks",
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
