"""The labelled text dumps that the line classifier (cleaners/generic/lines.py) is trained and
measured on: shared by bench/train_lines.py and bench/lines_quality.py.

Every labelled page of ../shared/bench is turned into a whole-page text dump by
../shared/tools/make_dump.py (imported, run on the page decoded as cleaners.io.decode does), the
way the seed dumps were made. The dumps are cached outside the repository (default
/tmp/newsclean-line-dumps, --dump-cache), as they are third-party text.

Sets and what they may be used for:
  wcxb-dev          full gold (main_content); training on its TUNING part only (bench/quality.py's
                    split by registered domain, quality.is_heldout), measured on its held-out part
  chinese-wce       full gold; training / held-out split by domain with the same function
  trafilatura-eval  `with` / `without` snippets: partial labels; same split by domain
  dragnet-2013      AGPL data: NEVER training, evaluation only (all of it is "held out")

Line labels (label_lines):
  full gold   a line of three tokens or more is article when at least half of its token trigrams
              occur in the gold text; a shorter line when it is a whole line of the gold text, or
              when its tokens occur in the gold text and a line next to it is article by the
              trigram rule (a fragment of a paragraph split over lines) -- not merely because a
              word such as "Share" or "Home" occurs somewhere in the article. Tokens are \\w+
              runs, lower-cased, with CJK split into single characters (so Chinese lines match per
              character, as the set's character-level scoring does).
  snippets    a line is article when it holds a `with` snippet or lies inside one (for lines of
              >= 3 tokens), not article when it holds a `without` snippet that covers at least half
              of the line, or lies inside one; other lines (and lines hit by both) are unlabelled.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # noqa: E402

SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", quality.PROJECT.parent / "shared"))
BENCH = SHARED / "bench"
DUMP_CACHE = Path("/tmp/newsclean-line-dumps")
TRAIN_SETS = ("wcxb-dev", "chinese-wce", "trafilatura-eval")
ALL_SETS = TRAIN_SETS + ("dragnet-2013",)
EVAL_ONLY = {"dragnet-2013"}  # licence: evaluation only
LABELS_VERSION = 3  # of label_lines (bench/train_lines.py's feature cache is keyed on it)

from cleaners.generic.lines import split_dump, tokens  # noqa: E402  (after quality set sys.path)

def load_make_dump():
    path = SHARED / "tools" / "make_dump.py"
    if not path.is_file():
        sys.exit(f"error: {path} is missing (../shared beside the checkout)")
    spec = importlib.util.spec_from_file_location("make_dump", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_dump


def read_html(set_name: str, page_id: str) -> bytes:
    with gzip.open(BENCH / set_name / "html" / f"{page_id}.html.gz", "rb") as fh:
        return fh.read()


def decoded_html(set_name: str, page_id: str) -> str:
    from cleaners.io.decode import decode

    text, _ = decode(read_html(set_name, page_id), None)
    return text.lstrip("\ufeff")


_CANONICAL = re.compile(r"""<(?:link[^>]+rel=["']?canonical["']?[^>]*href|meta[^>]+property=["']?og:url["']?"""
                        r"""[^>]*content)=["']?([^"'\s>]+)""", re.IGNORECASE)


def page_domain(set_name: str, page_id: str, gold: dict, meta: dict) -> str:
    """The page's site: WCXB's metadata, else the gold's URL, else the page's canonical / og:url,
    else the page id itself (a site of its own)."""
    from cleaners.metadata.urls import registered_domain

    if set_name == "wcxb-dev":
        return quality.site_of(meta.get(page_id, {}).get("domain", page_id))
    url = gold.get("url")
    if not url:
        match = _CANONICAL.search(decoded_html(set_name, page_id)[:200000])
        url = match.group(1) if match else None
    return (registered_domain(url) if url else None) or f"{set_name}:{page_id}"


def is_heldout(set_name: str, domain: str) -> bool:
    """bench/quality.py's split by registered domain, for every set; dragnet is all held out."""
    return set_name in EVAL_ONLY or quality.is_heldout(domain)


def dump_of(set_name: str, page_id: str, cache: Path = DUMP_CACHE, make_dump=None) -> str:
    path = cache / set_name / f"{page_id}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    make_dump = make_dump or load_make_dump()
    dump = make_dump(decoded_html(set_name, page_id))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(dump, encoding="utf-8")
    tmp.replace(path)
    return dump


def load_set(set_name: str) -> list[dict]:
    """[{set, id, domain, heldout, gold}] of one set (gold: its ground-truth JSON, with
    WCXB's page_type filled in)."""
    folder = BENCH / set_name
    if not folder.is_dir():
        return []
    meta = {}
    if set_name == "wcxb-dev":
        evaluate = quality.load_evaluate(folder)
        golds = evaluate.load_ground_truth(".")
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))["files"]
    else:
        golds = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((folder / "ground-truth").glob("*.json"))}
    pages = []
    for page_id in sorted(golds):
        if not (folder / "html" / f"{page_id}.html.gz").is_file():
            continue
        gold = golds[page_id]
        domain = page_domain(set_name, page_id, gold, meta)
        pages.append({"set": set_name, "id": page_id, "domain": domain,
                      "heldout": is_heldout(set_name, domain), "gold": gold})
    return pages


_EVALUATE = None


def _wcxb_evaluate():
    global _EVALUATE
    if _EVALUATE is None:
        _EVALUATE = quality.load_evaluate(BENCH / "wcxb-dev")
    return _EVALUATE


def char_f1(predicted: str, reference: str) -> tuple[float, float, float]:
    """WCXB's bag-of-tokens P/R/F1 with CJK text split per character (as chinese-wce is scored)."""
    from collections import Counter

    pred, ref = Counter(tokens(predicted)), Counter(tokens(reference))
    if not ref:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return (0.0, 0.0, 0.0)
    overlap = sum((pred & ref).values())
    p, r = overlap / sum(pred.values()), overlap / sum(ref.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def page_f1(set_name: str, predicted: str, reference: str) -> tuple[float, float, float]:
    """P/R/F1 of one page: WCXB's evaluate.word_f1, character-level for chinese-wce."""
    if set_name == "chinese-wce":
        return char_f1(predicted, reference)
    return _wcxb_evaluate().word_f1(predicted, reference)


def _trigrams(toks: list[str]) -> list[str]:
    return [" ".join(toks[i:i + 3]) for i in range(len(toks) - 2)]


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def label_lines(lines: list[str], gold: dict) -> list[float | None]:
    """1.0 article, 0.0 not, None unlabelled (the rule in the module docstring)."""
    reference = gold.get("main_content")
    if reference:
        ref = tokens(reference)
        ref_tri = set(_trigrams(ref))
        ref_key = " " + " ".join(ref) + " "
        ref_lines = {" ".join(tokens(line)) for line in reference.splitlines()}
        out: list[float | None] = []
        short = []
        for line in lines:
            toks = tokens(line)
            if not toks:
                out.append(0.0)
            elif len(toks) < 3:
                key = " ".join(toks)
                out.append(1.0 if key in ref_lines else 0.0)
                short.append((len(out) - 1, " " + key + " " in ref_key))
            else:
                tri = _trigrams(toks)
                out.append(float(sum(t in ref_tri for t in tri) / len(tri) >= 0.5))
        long_positive = [v == 1.0 and len(tokens(line)) >= 3 for v, line in zip(out, lines)]
        for i, in_text in short:
            # a fragment of a paragraph split over lines: in the gold text, next to article lines
            if in_text and ((i > 0 and long_positive[i - 1]) or (i + 1 < len(lines) and long_positive[i + 1])):
                out[i] = 1.0
        return out
    with_ = [_norm(s) for s in gold.get("with") or [] if s and s.strip()]
    without = [_norm(s) for s in gold.get("without") or [] if s and s.strip()]
    out = []
    for line in lines:
        key = _norm(line)
        if not key:
            out.append(None)
            continue
        long_enough = len(tokens(key)) >= 3
        pos = any(s in key or (long_enough and key in s) for s in with_)
        neg = any((s in key and len(s) >= 0.5 * len(key)) or key in s for s in without)
        out.append(None if pos == neg else float(pos))
    return out


def _build_one(item):
    set_name, page_id = item
    try:
        dump_of(set_name, page_id)
        return None
    except Exception as exc:  # noqa: BLE001 - a page that cannot be dumped is skipped, and said so
        return f"{set_name}/{page_id}: {type(exc).__name__}: {exc}"


def build_cache(sets=ALL_SETS, jobs: int = 1) -> None:
    """Makes the dumps of every page of `sets` that is not cached yet."""
    todo = [(p["set"], p["id"]) for s in sets for p in load_set(s)
            if not (DUMP_CACHE / p["set"] / f"{p['id']}.txt").is_file()]
    print(f"{len(todo)} dumps to make", file=sys.stderr)
    if jobs > 1:
        import multiprocessing

        with multiprocessing.Pool(jobs) as pool:
            errors = [e for e in pool.imap_unordered(_build_one, todo, chunksize=8) if e]
    else:
        errors = [e for e in map(_build_one, todo) if e]
    for error in errors:
        print("  skipped", error, file=sys.stderr)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="make the cached dumps of the labelled sets")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    build_cache(jobs=args.jobs)
