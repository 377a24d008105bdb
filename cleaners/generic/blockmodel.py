"""The block classifier's model: gradient-boosted trees stored as plain JSON (no pickle), evaluated
with numpy. Trained by bench/train_blocks.py (sklearn HistGradientBoostingClassifier), shipped
as cleaners/generic/models/blocks.json, loaded once on first use."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "models" / "blocks.json"
CHUNK_ROWS = 256  # rows evaluated at once: the arrays of rows x test nodes (~27 KB a row) then stay
# in the CPU cache; on dragnet-2013 pages 256 rows take ~10 % less time than 128 or 512


def float32_below(split: np.ndarray) -> np.ndarray:
    """The largest float32 <= each float64 split. For any float32 x, x <= split exactly when
    x <= float32_below(split) (no float32 lies between the two), NaN false either way."""
    low = split.astype(np.float32)
    over = low.astype(np.float64) > split
    low[over] = np.nextafter(low[over], np.float32(-np.inf))
    return low


class _QuickScorerTables:
    """TreeModel's trees as QuickScorer tables: per test node its feature, split (float64 and
    float32_below) and the bit mask of the leaves of its left subtree; per tree its leaves'
    values in left-to-right order. Test nodes are laid out [slot][tree] (slot: a node's place
    among its tree's tests, trees with fewer tests padded with tests that never fail)."""

    __slots__ = ("feature", "split", "split32", "left_leaves", "one", "slots", "leaf_value", "leaf_offset")


def _tree_layout(model, root: int, end: int) -> tuple[list[int], list[tuple[int, int]]]:
    """One tree's leaves left to right, and its test nodes (in node order) with the bit mask of
    their left subtree's leaves. A subtree's leaves are consecutive in left-to-right order, so
    one walk that gives every node its (first leaf, number of leaves) makes every mask."""
    leaves: list[int] = []
    span: dict[int, tuple[int, int]] = {}
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if model.is_leaf[node]:
            span[node] = (len(leaves), 1)
            leaves.append(node)
        elif children_done:
            first, n_left = span[int(model.left[node])]
            span[node] = (first, n_left + span[int(model.right[node])][1])
        else:  # popped in this order: the left subtree, the right one, then the node itself
            stack += [(node, True), (int(model.right[node]), False), (int(model.left[node]), False)]
    tests = []
    for node in range(root, end):
        if not model.is_leaf[node]:
            first, count = span[int(model.left[node])]
            tests.append((node, ((1 << count) - 1) << first))
    return leaves, tests


def quickscorer_tables(model) -> _QuickScorerTables:
    ends = [*model.roots[1:].tolist(), len(model.feature)]
    trees = [_tree_layout(model, root, end) for root, end in zip(model.roots.tolist(), ends)]
    most_leaves = max(len(leaves) for leaves, _ in trees)
    if most_leaves > 64:
        raise ValueError(f"a tree of {most_leaves} leaves: the bit masks hold at most 64")
    mask_type = np.uint32 if most_leaves <= 32 else np.uint64
    n_trees, slots = len(trees), max(1, max(len(tests) for _, tests in trees))
    feature = np.zeros((slots, n_trees), dtype=np.intp)
    split = np.full((slots, n_trees), np.inf)  # padding: x > inf never holds
    split32 = np.full((slots, n_trees), np.inf, dtype=np.float32)
    left_leaves = np.zeros((slots, n_trees), dtype=mask_type)
    leaf_value = np.zeros((n_trees, most_leaves))
    for t, (leaves, tests) in enumerate(trees):
        leaf_value[t, :len(leaves)] = model.value[leaves]
        for slot, (node, mask) in enumerate(tests):
            feature[slot, t], split[slot, t] = model.feature[node], model.split[node]
            split32[slot, t], left_leaves[slot, t] = model.split32[node], mask
    tables = _QuickScorerTables()
    tables.feature, tables.split, tables.split32 = feature.ravel(), split.ravel(), split32.ravel()
    tables.left_leaves, tables.one, tables.slots = left_leaves.ravel(), mask_type(1), slots
    tables.leaf_value, tables.leaf_offset = leaf_value.ravel(), np.arange(n_trees) * most_leaves
    return tables


class TreeModel:
    """A sum of binary decision trees (x[feature] <= threshold goes left), then a sigmoid.

    Evaluated the QuickScorer way (Lucchese et al., SIGIR 2015), which needs no walk down the
    trees: number each tree's leaves left to right; a test that fails (the row goes right) rules
    out every leaf of its left subtree; the leaf the row reaches is the leftmost one no failed
    test ruled out. With a tree's leaves as the bits of an integer, that is one comparison per
    (row, test node), an OR of the failed tests' bit masks per tree, and the lowest bit still
    clear: a few whole-array numpy operations, ~2.5x faster than stepping (row, tree) pairs
    down the trees, with the same leaves and so the same sums, bit for bit.
    float32 rows (what blocks.features() makes) are compared with the splits rounded down to
    float32 (float32_below), which decides every comparison exactly as float64 would, without
    copying the rows to float64."""

    def __init__(self, spec: dict):
        self.features: list[str] = spec["features"]
        self.baseline = float(spec["baseline"])
        self.threshold = float(spec.get("threshold", 0.5))
        # optional thresholds by page group (generic.declared_article), chosen by cross-validation
        self.thresholds: dict[str, float] = {k: float(v) for k, v in spec.get("thresholds", {}).items()}
        self.feature = np.asarray(spec["feature"], dtype=np.intp)
        self.split = np.asarray(spec["split"], dtype=np.float64)
        self.left = np.asarray(spec["left"], dtype=np.intp)
        self.right = np.asarray(spec["right"], dtype=np.intp)
        self.value = np.asarray(spec["value"], dtype=np.float64)
        self.roots = np.asarray(spec["roots"], dtype=np.intp)
        self.is_leaf = self.left == np.arange(len(self.left))
        self.split32 = float32_below(self.split)
        self._tables = quickscorer_tables(self)

    def columns(self, names: list[str]) -> np.ndarray:
        """Where the model's features sit among `names` (the full feature list of blocks.py);
        a model may use a subset. KeyError when a feature is missing."""
        index = {name: i for i, name in enumerate(names)}
        return np.asarray([index[name] for name in self.features], dtype=np.intp)

    def threshold_for(self, group: str | None) -> float:
        """The probability from which a block of a page of this group is kept."""
        return self.thresholds.get(group, self.threshold)

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Sum of the trees' values per row (before the sigmoid), in chunks of CHUNK_ROWS rows:
        the evaluation holds arrays of rows x test nodes, which on a page of 100,000 blocks
        would be gigabytes at once."""
        n = X.shape[0]
        if n > CHUNK_ROWS:
            return np.concatenate([self._raw(X[start:start + CHUNK_ROWS]) for start in range(0, n, CHUNK_ROWS)])
        return self._raw(X)

    def _raw(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        if n == 0:
            return np.zeros(0)
        tables = self._tables
        if X.dtype == np.float32:  # blocks.features() is float32: compared as is, no float64 copy
            split = tables.split32
        else:
            X, split = np.asarray(X, dtype=np.float64), tables.split
        nan = np.isnan(X)
        if nan.any():  # NaN goes right at every test, as +inf does (every split is finite)
            X = np.where(nan, X.dtype.type(np.inf), X)
        # failed[row, k]: the row goes right at test node k (nodes ordered depth-slot-major, so
        # that the OR below runs over contiguous rows of trees)
        failed = X[:, tables.feature] > split
        ruled_out = np.bitwise_or.reduce(np.multiply(failed, tables.left_leaves).reshape(n, tables.slots, -1),
                                         axis=1)
        exit_bit = (ruled_out + tables.one) & ~ruled_out  # the lowest bit still clear
        leaf = np.frexp(exit_bit.astype(np.float64))[1] - 1  # its position (exact: a power of two)
        values = np.ascontiguousarray(tables.leaf_value[tables.leaf_offset + leaf])  # (rows, trees)
        return self.baseline + values.sum(axis=1)

    def raw_reference(self, X: np.ndarray) -> np.ndarray:
        """raw() the plain way, one row and one tree at a time (slow): what the tests hold the
        vectorised walk to."""
        X = np.asarray(X, dtype=np.float64)
        out = np.zeros(X.shape[0])
        for i, row in enumerate(X):
            values = []
            for root in self.roots:
                k = int(root)
                while not self.is_leaf[k]:
                    k = int(self.left[k] if row[self.feature[k]] <= self.split[k] else self.right[k])
                values.append(self.value[k])
            out[i] = self.baseline + np.sum(values)
        return out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of the positive class, one per row."""
        return 1.0 / (1.0 + np.exp(-self.raw(X)))

    def predict_proba_of(self, parts: list[np.ndarray], columns: np.ndarray) -> np.ndarray:
        """predict_proba(np.hstack(parts)[:, columns]) without building that matrix: the rows
        are joined and their columns picked CHUNK_ROWS at a time (on a page of 100,000 blocks
        the full copies cost hundreds of megabytes each)."""
        n = parts[0].shape[0]
        if len(parts) == 1:  # one matrix: its columns picked, no joined copy first
            chunks = [parts[0][start:start + CHUNK_ROWS][:, columns] for start in range(0, n, CHUNK_ROWS)]
        else:
            chunks = [np.hstack([part[start:start + CHUNK_ROWS] for part in parts])[:, columns]
                      for start in range(0, n, CHUNK_ROWS)]
        return np.concatenate([self.predict_proba(chunk) for chunk in chunks]) if chunks else np.zeros(0)


def second_path(path: Path | str) -> Path:
    """Where the second-pass model (cleaners/generic/blockcontext.py) of a first-pass model lives."""
    path = Path(path)
    return path.with_name(path.stem + "-context" + path.suffix)


@lru_cache(maxsize=None)
def load(path: str | None = None) -> TreeModel:
    with open(path or MODEL_PATH, encoding="utf-8") as fh:
        return TreeModel(json.load(fh))


def export(model, path: Path, feature_names: list[str] | None = None, threshold: float = 0.5,
           extra: dict | None = None) -> dict:
    """Writes a fitted sklearn HistGradientBoostingClassifier (binary, numeric features, no
    missing values) as JSON trees."""
    from .blocks import feature_names as names

    feature, split, left, right, value, roots = [], [], [], [], [], []
    max_depth = 0
    for iteration in model._predictors:
        (predictor,) = iteration
        nodes = predictor.nodes
        offset = len(feature)
        roots.append(offset)
        for i, node in enumerate(nodes):
            if node["is_leaf"]:
                feature.append(0)
                split.append(0.0)
                left.append(offset + i)
                right.append(offset + i)
                value.append(round(float(node["value"]), 6))
            else:
                feature.append(int(node["feature_idx"]))
                split.append(float(node["num_threshold"]))
                left.append(offset + int(node["left"]))
                right.append(offset + int(node["right"]))
                value.append(0.0)
            max_depth = max(max_depth, int(node["depth"]))
    spec = {"format": "newsclean-trees-1", "features": feature_names or names(),
            "baseline": float(np.ravel(model._baseline_prediction)[0]), "max_depth": max_depth,
            "threshold": threshold, "roots": roots, "feature": feature, "split": split, "left": left,
            "right": right, "value": value, **(extra or {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
    load.cache_clear()
    return spec
