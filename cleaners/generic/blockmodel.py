"""The block classifier's model: gradient-boosted trees stored as plain JSON (no pickle), evaluated
with numpy. Trained by bench/train_blocks.py (sklearn HistGradientBoostingClassifier), shipped
as cleaners/generic/models/blocks.json, loaded once on first use."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "models" / "blocks.json"
CHUNK_ROWS = 512  # rows evaluated at once: the walk's arrays (rows x trees x 8 bytes each) then stay
# in the CPU cache; 512 rows take ~20 % less time than 2,048 or all at once on a page of ~1,800 blocks


def float32_below(split: np.ndarray) -> np.ndarray:
    """The largest float32 <= each float64 split. For any float32 x, x <= split exactly when
    x <= float32_below(split) (no float32 lies between the two), NaN false either way."""
    low = split.astype(np.float32)
    over = low.astype(np.float64) > split
    low[over] = np.nextafter(low[over], np.float32(-np.inf))
    return low


class TreeModel:
    """A sum of binary decision trees (x[feature] <= threshold goes left), then a sigmoid.

    All trees' nodes live in flat arrays; a leaf points to itself. Every (row, tree) pair steps
    down in lockstep, and every other step the pairs that reached a leaf drop out (most trees are
    far shallower than the deepest: on real pages the mean path is about 9 steps, the deepest 21;
    dropping them at every step costs more in copies than the extra steps of a finished pair).
    float32 rows (what blocks.features() makes) are compared with the splits rounded down to
    float32 (float32_below), which decides every comparison exactly as float64 would, without
    copying the rows to float64."""

    def __init__(self, spec: dict):
        self.features: list[str] = spec["features"]
        self.baseline = float(spec["baseline"])
        self.max_depth = int(spec["max_depth"])
        self.threshold = float(spec.get("threshold", 0.5))
        # optional thresholds by page group (generic.declared_article), chosen by cross-validation
        self.thresholds: dict[str, float] = {k: float(v) for k, v in spec.get("thresholds", {}).items()}
        self.feature = np.asarray(spec["feature"], dtype=np.intp)
        self.split = np.asarray(spec["split"], dtype=np.float64)
        self.left = np.asarray(spec["left"], dtype=np.intp)
        self.right = np.asarray(spec["right"], dtype=np.intp)
        self.value = np.asarray(spec["value"], dtype=np.float64)
        self.roots = np.asarray(spec["roots"], dtype=np.intp)
        # children[2 * node + goes_right]: one flat gather per step
        self.children = np.stack([self.left, self.right], axis=1).ravel()
        self.is_leaf = self.left == np.arange(len(self.left))
        self.split32 = float32_below(self.split)

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
        the lockstep walk holds a few arrays of rows x trees, which on a page of 100,000 blocks
        would be gigabytes at once."""
        n = X.shape[0]
        if n > CHUNK_ROWS:
            return np.concatenate([self._raw(X[start:start + CHUNK_ROWS]) for start in range(0, n, CHUNK_ROWS)])
        return self._raw(X)

    def _raw(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        if n == 0:
            return np.zeros(0)
        if X.dtype == np.float32:  # blocks.features() is float32: compared as is, no float64 copy
            split = self.split32
        else:
            X, split = np.asarray(X, dtype=np.float64), self.split
        X = np.ascontiguousarray(X)
        n_trees = len(self.roots)
        node = np.tile(self.roots, n)  # (row, tree) pairs, row-major; ends at each pair's leaf
        offset = np.repeat(np.arange(n) * X.shape[1], n_trees)  # where each pair's row starts
        flat = X.ravel()
        active = np.arange(node.size)  # the pairs not yet at a leaf, and their nodes
        at = node.copy()
        feature, children, is_leaf = self.feature, self.children, self.is_leaf
        for step in range(self.max_depth):
            at = children[2 * at + ~(flat[offset + feature[at]] <= split[at])]  # NaN goes right
            if step % 2:  # every other step, the pairs at a leaf (it points to itself) drop out
                node[active] = at
                walking = ~is_leaf[at]
                if not walking.any():
                    break
                active, at, offset = active[walking], at[walking], offset[walking]
        else:
            node[active] = at
        return self.baseline + self.value[node].reshape(n, n_trees).sum(axis=1)

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
