"""The labelled sets beside WCXB in ../shared/bench, read in place, and how each is scored.

    dragnet-2013      1,318 English news / blog articles, human full text. Word P/R/F1 (WCXB's
                      tokens). Never trained on (AGPL data): the whole set is held out, "news".
    trafilatura-eval  963 pages, snippet gold only. Share of article (`with`) snippets found and
                      of boilerplate (`without`) snippets kept, after white-space normalisation,
                      case kept (trafilatura's own evaluation), plus trafilatura's snippet
                      precision / recall / F1 (with found = TP, without found = FP).
    chinese-wce       69 Chinese pages, human full text. Character-level P/R/F1 (CJK text split
                      per character, other words as \\w+ tokens).

Held-out parts (a fixed split, never looked at when tuning or training): by registered domain
for trafilatura-eval (its `url`) and chinese-wce (its `url`, else the page's og:url / canonical
link, else the page's source id, as the set mostly ships no URL), sha1("<set>-heldout:" +
domain) % 100 < 30. dragnet-2013 is all held out.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

HELDOUT_PERCENT = 30
SETS = {"dragnet": "dragnet-2013", "trafeval": "trafilatura-eval", "chinese": "chinese-wce"}
METRIC = {"dragnet": "words", "trafeval": "snippets", "chinese": "chars"}

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_OG_URL = re.compile(rb"""<meta[^>]+(?:property|name)=["']og:url["'][^>]*content=["']([^"']+)|"""
                     rb"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)""", re.I)


def _stable_hash(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16)


def set_dir(shared_bench: Path, name: str) -> Path:
    return shared_bench / SETS[name]


def read_page(directory: Path, file_id: str) -> bytes:
    with gzip.open(directory / "html" / f"{file_id}.html.gz", "rb") as fh:
        return fh.read()


def domain_of(url: str | None) -> str | None:
    from cleaners.metadata.urls import registered_domain

    if not url:
        return None
    return registered_domain(url) or None


def load(name: str, directory: Path) -> dict:
    """{file_id: ground truth} with "domain" and "part" ("heldout" / "tuning") added."""
    if not (directory / "ground-truth").is_dir() or not (directory / "html").is_dir():
        raise SystemExit(f"error: the {SETS[name]} set is not at {directory} (expected html/ and "
                         f"ground-truth/); it lives in ../shared/bench")
    out = {}
    for path in sorted((directory / "ground-truth").glob("*.json")):
        file_id = path.stem
        if not (directory / "html" / f"{file_id}.html.gz").is_file():
            continue
        gt = json.loads(path.read_text(encoding="utf-8"))
        domain = domain_of(gt.get("url"))
        if domain is None and name == "chinese":
            found = _OG_URL.search(read_page(directory, file_id)[:200_000])
            if found:
                domain = domain_of((found.group(1) or found.group(2)).decode("utf-8", "replace"))
        gt["domain"] = domain or f"{name}:{gt.get('source_id') or file_id}"
        gt["part"] = "heldout" if is_heldout(name, gt["domain"]) else "tuning"
        gt["with"] = gt.get("with") or []
        gt["without"] = gt.get("without") or []
        out[file_id] = gt
    return out


def is_heldout(name: str, domain: str) -> bool:
    if name == "dragnet":
        return True
    return _stable_hash(f"{name}-heldout:{domain}") % 100 < HELDOUT_PERCENT


def char_tokens(text: str) -> list[str]:
    """Lower-cased \\w+ tokens, those holding CJK characters split into single characters."""
    out: list[str] = []
    for token in _WORD.findall((text or "").lower()):
        if _CJK.search(token):
            out.extend(token)
        else:
            out.append(token)
    return out


def bag_prf(pred: list[str], ref: list[str]) -> tuple[float, float, float]:
    """Bag-of-tokens precision / recall / F1, as WCXB's evaluate.word_f1."""
    if not ref:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return (0.0, 0.0, 0.0)
    overlap = sum((Counter(pred) & Counter(ref)).values())
    p, r = overlap / len(pred), overlap / len(ref)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def visible(text: str | None) -> str:
    """The text without soft hyphens (U+00AD), on both sides of every comparison: they are
    invisible marks of where a word may break. newsclean and trafilatura drop them from the
    text; a few gold files keep them (3 of trafilatura-eval, 2 of WCXB dev, 3 of dragnet-2013),
    and there a word tokenizer splits "Klima\u00adwandel" in two, so the same text would not
    match its gold."""
    return (text or "").replace("\u00ad", "")


def _norm(text: str) -> str:
    return " ".join(visible(text).split())


def score_page(name: str, text: str, gt: dict) -> dict:
    """Per-page figures: precision / recall / F1 for full-text gold, snippet counts for all."""
    out: dict = {}
    text, gold = visible(text), visible(gt["main_content"])
    if METRIC[name] == "words":
        out["precision"], out["recall"], out["f1"] = bag_prf(_WORD.findall(text.lower()), _WORD.findall(gold.lower()))
    elif METRIC[name] == "chars":
        out["precision"], out["recall"], out["f1"] = bag_prf(char_tokens(text), char_tokens(gold))
    norm = _norm(text)
    out["with_found"] = sum(1 for s in gt["with"] if _norm(s) in norm)
    out["with_total"] = len(gt["with"])
    out["without_found"] = sum(1 for s in gt["without"] if _norm(s) in norm)
    out["without_total"] = len(gt["without"])
    out["empty"] = not text.strip()
    return out


def aggregate(scores: list[dict]) -> dict:
    """Means of P/R/F1 over pages (full-text gold); snippet totals and rates (snippet gold)."""
    n = len(scores)
    if not n:
        return {"n": 0}
    out: dict = {"n": n, "empty": sum(s["empty"] for s in scores)}
    if "f1" in scores[0]:
        for key in ("f1", "precision", "recall"):
            out[key] = round(sum(s[key] for s in scores) / n, 4)
    for key in ("with_found", "with_total", "without_found", "without_total"):
        out[key] = sum(s[key] for s in scores)
    if out["with_total"]:
        out["with_rate"] = round(out["with_found"] / out["with_total"], 4)
    if out["without_total"]:
        out["without_rate"] = round(out["without_found"] / out["without_total"], 4)
        tp, fp, fn = out["with_found"], out["without_found"], out["with_total"] - out["with_found"]
        sp = tp / (tp + fp) if tp + fp else 0.0
        sr = tp / (tp + fn) if tp + fn else 0.0
        out["snippet_precision"], out["snippet_recall"] = round(sp, 4), round(sr, 4)
        out["snippet_f1"] = round(2 * sp * sr / (sp + sr), 4) if sp + sr else 0.0
    return out


def groups_of(name: str, gt: dict) -> list[str]:
    page_type = gt.get("page_type") or "unknown"
    part = gt["part"]
    return ["all", f"type:{page_type}", part, f"{part}/type:{page_type}"]


def headline_group(name: str) -> str:
    return "all" if name == "dragnet" else "heldout"


def format_row(label: str, agg: dict, metric: str) -> str:
    if not agg.get("n"):
        return f"  {label:<16} {'-':>5}"
    row = f"  {label:<16} {agg['n']:>5}"
    if metric != "snippets":
        row += f" {agg['f1']:>7.4f} {agg['precision']:>7.4f} {agg['recall']:>7.4f}"
    if agg.get("with_total"):
        row += (f"   with {agg['with_found']:>4}/{agg['with_total']:<4} {agg['with_rate']:>6.1%}"
                f"   w/o {agg['without_found']:>4}/{agg['without_total']:<4} {agg.get('without_rate', 0):>6.1%}")
    if metric == "snippets":
        row += (f"   snippet P {agg['snippet_precision']:.4f} R {agg['snippet_recall']:.4f} "
                f"F1 {agg['snippet_f1']:.4f}")
    row += f"   empty {agg['empty']}"
    return row
