#!/usr/bin/env python3
"""Same output before and after a speed change: cleans a fixed sample of pages with the code of
another commit (default: main) and with this checkout, and compares, page by page,

  * the Article (every field, as JSON: text, title, authors, dates, language, extractor, ...),
  * the block classifier's inputs and outputs on a fresh parse of the page: the feature matrix of
    blocks.features() (without and with trafilatura's text, as bench/train_blocks.py makes it),
    the first-pass probabilities, the second-pass context columns and the
    second-pass probabilities, bit for bit (the shipped models read the features, and a
    retrained model must see the same numbers).

    .venv/bin/python bench/same_output.py --base main --sample 300
    .venv/bin/python bench/same_output.py --base main --sample 300 --set ../shared/bench/wcxb-dev

Each side runs in its own process (`--dump`), the other commit's code exported with `git archive`
into a temporary directory and put first on PYTHONPATH; the two runs are sequential. Exit code 1
when any page differs. The pages are read in place, never copied.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SHARED_BENCH = Path(os.environ.get("NEWSCLEAN_SHARED", PROJECT.parent / "shared")) / "bench"
DEFAULT_SETS = [SHARED_BENCH / "dragnet-2013", SHARED_BENCH / "wcxb-dev"]


def _stable_hash(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16)


def page_ids(directory: Path, sample: int) -> list[str]:
    """A deterministic sample of the set's pages (by a hash of the file id, as quality.py)."""
    ids = sorted(p.name[:-len(".html.gz")] for p in (directory / "html").glob("*.html.gz"))
    if sample and sample < len(ids):
        ids = sorted(sorted(ids, key=lambda i: _stable_hash("wcxb-sample:" + i))[:sample])
    return ids


def _digest(array) -> str:
    import numpy as np

    array = np.ascontiguousarray(array)
    return f"{array.dtype}{array.shape}:{hashlib.sha256(array.tobytes()).hexdigest()[:20]}"


def dump(directory: Path, sample: int, out: Path) -> None:
    """One JSON line per page: the Article and digests of the classifier's arrays. Runs with
    whatever `cleaners` is first on sys.path (this checkout or the exported base)."""
    import logging

    import cleaners
    from cleaners import core
    from cleaners.generic import blockcontext, blocks, extract
    from cleaners.metadata.htmlmeta import page_meta

    logging.disable(logging.CRITICAL)
    loaded = extract._model()
    with open(out, "w", encoding="utf-8") as fh:
        for file_id in page_ids(directory, sample):
            with gzip.open(directory / "html" / f"{file_id}.html.gz", "rb") as page:
                data = page.read()
            article = cleaners.clean(data, url=None, kind="html")
            row = {"id": file_id, "article": article.to_dict()}
            tree = core._parse_html(data.decode("utf-8", errors="replace"))
            if loaded is not None and not isinstance(tree, Exception):
                model, columns, needs_trafilatura, second, second_columns = loaded
                X, found, meta, _ = extract.block_features(tree, None, page_meta(tree),
                                                           with_trafilatura=needs_trafilatura)
                row["X"] = _digest(X)
                # with trafilatura's text too (the training script's features: in_traf columns)
                traf_text = "\n".join(extract._trafilatura_text(tree, None, fast=True))
                row["X_traf"] = _digest(blocks.features(blocks.segment(tree), traf_text, title=meta.title,
                                                        ld_body=meta.article_body))
                if len(found):
                    p = model.predict_proba_of([X], columns)
                    C = blockcontext.block_context(found, p, X)
                    row["p1"], row["C"] = _digest(p), _digest(C)
                    row["p2"] = _digest(second.predict_proba_of([X, C], second_columns))
            fh.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")


def run_dump(code_dir: Path, directory: Path, sample: int, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(code_dir))
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--dump", str(out), "--set", str(directory),
                    "--sample", str(sample)], env=env, check=True, cwd=str(code_dir))


def compare(base_file: Path, new_file: Path) -> tuple[int, list[str]]:
    base = [json.loads(line) for line in base_file.open(encoding="utf-8")]
    new = [json.loads(line) for line in new_file.open(encoding="utf-8")]
    if [r["id"] for r in base] != [r["id"] for r in new]:
        return len(base), ["the two runs cleaned different pages"]
    diffs = []
    for a, b in zip(base, new):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                what = key
                if key == "article":
                    fields = [f for f in a[key] if a[key].get(f) != b[key].get(f)]
                    what = "article fields " + ", ".join(fields)
                diffs.append(f"{a['id']}: {what}")
    return len(base), diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the commit to compare with (default main)")
    parser.add_argument("--sample", type=int, default=300, help="pages per set (default 300)")
    parser.add_argument("--set", action="append", dest="sets",
                        help="a directory with html/*.html.gz (repeatable; default dragnet-2013 and wcxb-dev)")
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # resolved here: each side's dump runs in its own code directory, where a relative path means another place
    sets = [Path(s).resolve() for s in args.sets] if args.sets else DEFAULT_SETS
    if args.dump:
        dump(sets[0], args.sample, Path(args.dump))
        return 0
    for directory in sets:
        if not (directory / "html").is_dir():
            sys.exit(f"error: no html/ directory in {directory}")
    failed = False
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        base_code = Path(tmp) / "base"
        base_code.mkdir()
        archive = subprocess.run(["git", "-C", str(PROJECT), "archive", args.base], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_code)], input=archive, check=True)
        for directory in sets:
            base_out, new_out = Path(tmp) / "base.jsonl", Path(tmp) / "new.jsonl"
            run_dump(base_code, directory, args.sample, base_out)
            run_dump(PROJECT, directory, args.sample, new_out)
            pages, diffs = compare(base_out, new_out)
            print(f"{directory.name}: {pages} pages compared with {args.base}, {len(diffs)} differences")
            for line in diffs[:50]:
                print("  " + line)
            failed = failed or bool(diffs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
