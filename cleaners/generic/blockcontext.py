"""Second-pass features of the block classifier: what the first pass thought of a block's
surroundings.

A block alone often looks like an article paragraph (a teaser's summary, a comment, a product
blurb); the first pass's probabilities around it tell them apart: is it inside the container
that holds most of the page's likely content, between its first and last likely paragraph, in a
run of blocks sharing one class signature the first pass already rejected? The second model
(cleaners/generic/models/blocks-context.json, trained by bench/train_blocks.py on out-of-fold first-pass
probabilities) reads blocks.features() plus these columns. Stacking of this kind is the classic
remedy for a per-block classifier's isolated mistakes.
"""
from __future__ import annotations

import math

import numpy as np

from .blocks import inside, zero_padded

CONTEXT_NAMES = [
    "ctx:p", "ctx:p_prev", "ctx:p_next", "ctx:p_window2", "ctx:p_window6", "ctx:p_parent",
    "ctx:p_gparent", "ctx:p_ggparent", "ctx:p_same_sig", "ctx:log_same_sig", "ctx:page_pos_share",
    "ctx:page_pos_blocks", "ctx:in_span", "ctx:log_dist_pos", "ctx:pos_before_share",
    "ctx:log_dup", "ctx:in_main", "ctx:main_depth_diff", "ctx:parent_pos_share",
]
N_CONTEXT = len(CONTEXT_NAMES)


def _weighted_window(p: np.ndarray, w: np.ndarray, half: int) -> np.ndarray:
    """Word-weighted mean of p over the `half` blocks on each side, the block itself left out."""
    kernel = np.ones(2 * half + 1)
    kernel[half] = 0.0
    num = np.convolve(zero_padded(p * w, half), kernel, mode="valid")
    den = np.convolve(zero_padded(w, half), kernel, mode="valid")
    return np.where(den > 0, num / np.maximum(den, 1e-9), 0.5)


def context(p: np.ndarray, words: np.ndarray, index: np.ndarray, parents: np.ndarray,
            signatures: list, texts: list[str]) -> np.ndarray:
    """A (len(p), N_CONTEXT) float32 matrix.

    p: first-pass probabilities of the text blocks (page order); words: their word counts;
    index: each block's element number, parents: the parent element number of every element
    (-1 for the root), both from blocks.segment(); signatures: a hashable (tag, class) per block;
    texts: the blocks' texts."""
    n = len(p)
    out = np.zeros((n, N_CONTEXT), dtype=np.float32)
    if not n:
        return out
    p = np.asarray(p, dtype=np.float64)
    w = np.asarray(words, dtype=np.float64) + 1.0  # a block of no words still counts a little
    pos = p >= 0.5
    out[:, 0] = p
    out[1:, 1] = p[:-1]
    out[:-1, 2] = p[1:]
    out[:, 3] = _weighted_window(p, w, 2)
    out[:, 4] = _weighted_window(p, w, 6)

    # subtree sums of p*w and w over the element tree (children come after their parents).
    # Plain Python floats in lists: an element access on a numpy array costs more than the sum,
    # and float64 arithmetic gives the same numbers either way.
    n_all = len(parents)
    sub_pw = [0.0] * n_all
    sub_w = [0.0] * n_all
    pos_w = [0.0] * n_all
    index_list = [int(k) for k in index]
    pw = p * w  # the block's p weighted by its words
    for k, pw_k, wk, positive in zip(index_list, pw.tolist(), w.tolist(), pos.tolist()):
        sub_pw[k] = pw_k
        sub_w[k] = wk
        pos_w[k] = wk if positive else 0.0
    parent_list = parents.tolist() if isinstance(parents, np.ndarray) else list(parents)
    for k in range(n_all - 1, 0, -1):
        q = parent_list[k]
        if q >= 0:
            sub_pw[q] += sub_pw[k]
            sub_w[q] += sub_w[k]
            pos_w[q] += pos_w[k]
    total_pos = float(pos_w[0]) if n_all else 0.0
    total_pos = max(total_pos, float(np.where(pos, w, 0.0).sum()))
    # the main container: the deepest element holding >= 80 % of the likely-content words
    depth = [0] * n_all
    for k in range(1, n_all):
        q = parent_list[k]
        depth[k] = depth[q] + 1 if q >= 0 else 0
    main = -1
    if total_pos > 0:
        holders = np.nonzero(np.asarray(pos_w) >= 0.8 * total_pos)[0]
        if len(holders):
            main = int(holders[np.argmax(np.asarray(depth, dtype=np.int64)[holders])])
    in_main = inside(parent_list, main)
    # columns 5, 6, 7: the mean p of the parent's, grandparent's, ... subtree without the block;
    # column 18: the parent's share of the likely-content words (whole-array float64 arithmetic,
    # the same numbers as element by element)
    parent_of = np.asarray(parent_list, dtype=np.intp)
    sub_pw_a, sub_w_a, pos_w_a = np.asarray(sub_pw), np.asarray(sub_w), np.asarray(pos_w)
    anc = parent_of[np.asarray(index_list, dtype=np.intp)]
    for column in (5, 6, 7):
        has = anc >= 0
        k = np.where(has, anc, 0)
        rest_w = np.where(has, sub_w_a[k] - w, 0.0)
        mean = np.full(n, 0.5)
        np.divide(sub_pw_a[k] - pw, rest_w, out=mean, where=rest_w > 0)
        out[:, column] = mean
        if column == 5 and total_pos:
            share = (pos_w_a[k] - np.where(pos, w, 0.0)) / total_pos
            out[:, 18] = np.where(has, share, 0.0)
        anc = np.where(has, parent_of[k], -1)
    out[:, 16] = [in_main[k] for k in index_list]
    out[:, 17] = [(depth[k] - depth[main]) if main >= 0 else -1.0 for k in index_list]

    # blocks sharing the tag and class signature: the others' mean p
    groups: dict = {}
    for i, sig in enumerate(signatures):
        groups.setdefault(sig, []).append(i)
    alone = []
    for members in groups.values():
        if len(members) == 1:
            alone.append(members[0])
            continue
        m = np.asarray(members)
        pw_m, w_m = pw[m], w[m]
        spw, sw = float(pw_m.sum()), float(w_m.sum())
        out[m, 8] = (spw - pw_m) / np.maximum(sw - w_m, 1e-9)
        out[m, 9] = math.log(len(members))
    out[alone, 8] = 0.5

    pos_words = np.where(pos, w, 0.0)
    total = float(w.sum())
    out[:, 10] = pos_words.sum() / total
    out[:, 11] = pos.mean()
    strong = np.nonzero(pos & (w >= 8))[0]
    if len(strong):
        out[:, 12] = (np.arange(n) >= strong[0]) & (np.arange(n) <= strong[-1])
        # distance in blocks to the nearest likely paragraph
        right = np.searchsorted(strong, np.arange(n))
        left = np.clip(right - 1, 0, len(strong) - 1)
        right = np.clip(right, 0, len(strong) - 1)
        dist = np.minimum(np.abs(np.arange(n) - strong[left]), np.abs(strong[right] - np.arange(n)))
        out[:, 13] = np.log1p(dist)
    else:
        out[:, 13] = math.log1p(n)
    cum = np.cumsum(pos_words) - pos_words
    out[:, 14] = cum / max(float(pos_words.sum()), 1.0)
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1
    out[:, 15] = [math.log(counts[t]) for t in texts]
    return out


def signature(block) -> tuple:
    """A block's tag and class attribute: blocks of one template share it."""
    return block.tag, block.el.get("class") or ""


def block_context(found, p: np.ndarray, X: np.ndarray) -> np.ndarray:
    """context() for blocks.segment()'s result and the first pass's probabilities; the word
    counts come from blocks.features() (column log_words)."""
    words = np.expm1(X[:, 1]).round()
    index = np.asarray([b.index for b in found], dtype=np.intp)
    parents = np.asarray(found.parents, dtype=np.intp)
    return context(p, words, index, parents, [signature(b) for b in found], [b.text for b in found])
