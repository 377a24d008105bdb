"""The line classifier of text dumps: which lines of a whole-page text dump are the article.

A dump (BeautifulSoup get_text() of a whole page, one line per text node) has no DOM, so rules
keyed to one template's chrome break on the next. Instead every line gets features of its own
shape and of its neighbours (length, sentence punctuation, capitals, digits and times, script,
whether it repeats elsewhere in the dump, where it lies relative to the longest run of prose,
its similarity to the title, hits in multilingual chrome lexicons -- models/line-lexicons.json),
and gradient-boosted trees trained on dumps of labelled pages of other sites
(bench/train_lines.py) say how likely it is to be article text. The trees are plain JSON
(models/lines.json) evaluated with numpy by blockmodel.TreeModel.

A second pass, as the block classifier's, is supported (models/lines-context.json: the
features plus the first pass's probabilities around the line, see context()) and used when the
file exists; the shipped model has none, as it did not gain out of fold.

API (kept stable; site cleaners use it on their dump paths):
  line_probabilities(lines, title=None) -> numpy array, one probability per line (0 for blank)
  article_lines(lines, title=None) -> list[bool], the decision at the shipped threshold
`lines` are the dump's lines in order (blank lines may stay: they count as paragraph breaks);
`title` is the page's title when known, else the dump's first line stands for it (the model
was trained that way: get_text() starts with the <title> element).
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import blockmodel

MODELS = Path(__file__).resolve().parent / "models"
MODEL_PATH = MODELS / "lines.json"
LEXICON_PATH = MODELS / "line-lexicons.json"

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# Indic scripts and Arabic harakat: their vowel signs are marks, not \w, and belong to the word
_MARKS = "\u0300-\u036f\u064b-\u065f\u0670\u0900-\u0dff"
_TOKEN = re.compile(rf"[{_CJK}]|(?:[^\W{_CJK}]|[{_MARKS}])+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_WORD = re.compile(rf"[^\W\d{_CJK}]+")
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)")
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_DATE = re.compile(r"(?<!\d)\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?!\d)|\d{4}年|\d{1,2}月\d{1,2}日")
_URL = re.compile(r"https?://|www\.|\w@\w|(^|\s)@\w|\.(com|org|net|ru|in)\b")
_SENTENCE_END = tuple(".!?。！？…\"”»)")
_SENTENCE_MARK = re.compile(r"[.!?;。！？；](\s|$)|[，、。]")
_SEPARATORS = re.compile(r"[|•·›»«/>\u2022\u00b7]")
_PUNCT = re.compile(r"[^\w\s]")
_SCRIPTS = ("LATIN", "CJK", "ARABIC", "CYRILLIC", "DEVANAGARI")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; CJK characters one token each (so Chinese text is measured per
    character, as its benchmark scores it)."""
    return _TOKEN.findall(text.lower()) if text else []


def split_dump(text: str) -> list[str]:
    """The lines of a dump, whitespace-normalised; blank lines kept (they mark paragraph breaks)."""
    return [" ".join(line.split()) for line in text.splitlines()]


LEXICON_SPAN = 300  # characters of a line searched for lexicon terms (chrome says so early)


_EDGE_PUNCT = "\"'“”„«»‘’()[]{}:;,.!?¿¡…|/-–—*•·"


def _words(text: str) -> list[str]:
    return [w for w in (w.strip(_EDGE_PUNCT) for w in text.lower().split()) if w]


@lru_cache(maxsize=None)
def _lexicons() -> tuple[list[str], dict, list]:
    """The lexicon categories; the alphabetic terms by first word ({word: [(rest, category)]}),
    matched as whole words; the CJK terms (and ©), matched as substrings."""
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    categories, by_first, plain = [], {}, []
    for category, terms in data.items():
        if category == "about":
            continue
        categories.append(category)
        for term in terms:
            if _CJK_CHAR.search(term) or term == "©":
                plain.append((term, category))
            elif _words(term):
                first, *rest = _words(term)
                by_first.setdefault(first, []).append((tuple(rest), category))
    return categories, by_first, plain


def lexicon_names() -> list[str]:
    return [f"lex_{category}" for category in _lexicons()[0]]


def lexicon_hits(line: str) -> set[str]:
    """The lexicon categories with a term in the line's first LEXICON_SPAN characters."""
    _, by_first, plain = _lexicons()
    text = line[:LEXICON_SPAN]
    words = _words(text)
    hits = set()
    for i, word in enumerate(words):
        for rest, category in by_first.get(word, ()):
            if not rest or tuple(words[i + 1:i + 1 + len(rest)]) == rest:
                hits.add(category)
    if "©" in text or _CJK_CHAR.search(text):
        hits.update(category for term, category in plain if term in text)
    return hits


OWN_NAMES = ["log_chars", "log_units", "mean_word_len", "ends_sentence", "sentence_marks",
             "commas", "starts_upper", "starts_digit", "starts_bullet", "upper_share", "titlecase_share",
             "digit_share", "punct_share", "has_time", "has_year", "has_date", "has_url", "separators",
             *[f"script_{s.lower()}" for s in _SCRIPTS], "is_prose"]
NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)


def feature_names() -> list[str]:
    return list(_feature_names())


@lru_cache(maxsize=None)
def _feature_names() -> tuple[str, ...]:
    names = OWN_NAMES + lexicon_names()
    names += ["log_repeats", "repeat_later", "title_in_line", "line_in_title", "is_title",
              "rel_index", "rel_words_before", "in_run", "before_run", "after_run", "run_distance",
              "run_share", "blank_before", "blank_after", "units_vs_max", "log_dump_units", "log_dump_lines"]
    for offset in NEIGHBOUR_OFFSETS:
        names += [f"n{offset:+d}_log_units", f"n{offset:+d}_prose", f"n{offset:+d}_ends_sentence"]
    names += ["window3_prose", "window7_prose", "window7_log_units"]
    names += ["headline_found", "headline_distance", "log_kind_run"]
    return tuple(names)


_SCRIPT_PATTERNS = [re.compile(p) for p in (
    r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]", rf"[{_CJK}]", r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]",
    r"[\u0400-\u04ff]", r"[\u0900-\u097f]")]


def _script_shares(line: str, letters: int) -> list[float]:
    """The share of the line's letters in each of _SCRIPTS."""
    n = max(letters, 1)
    if line.isascii():  # (the common case, and much faster) ASCII letters are all Latin
        return [letters / n, 0.0, 0.0, 0.0, 0.0]
    return [len(pattern.findall(line)) / n for pattern in _SCRIPT_PATTERNS]


def units(line: str) -> float:
    """The size of a line in words: alphabetic words plus CJK characters / 2 (a Chinese word is
    about two characters)."""
    cjk = 0 if line.isascii() else len(_CJK_CHAR.findall(line))
    return len(_TOKEN.findall(line)) - cjk + cjk / 2


def is_prose(line: str, size: float | None = None) -> bool:
    """A line that reads as running text: long, or a sentence of some length."""
    size = units(line) if size is None else size
    return size >= 15 or (size >= 6 and line.rstrip()[-1:] in _SENTENCE_END)


def _own(line: str, size: float, categories: list[str]) -> list[float]:
    chars = len(line)
    letters = sum(map(str.isalpha, line))
    words = _WORD.findall(line)
    first = line[:1]
    out = [math.log1p(chars), math.log1p(size),
           (sum(map(len, words)) / len(words)) if words else 0.0,
           float(line.endswith(_SENTENCE_END)),
           len(_SENTENCE_MARK.findall(line)) / max(size, 1.0),
           line.count(",") / max(size, 1.0),
           float(first.isupper()), float(first.isdigit()), float(first in "-*•·–—►▶"),
           sum(map(str.isupper, line)) / max(letters, 1),
           (sum(w[0].isupper() for w in words) / len(words)) if words else 0.0,
           sum(map(str.isdigit, line)) / max(chars, 1),
           len(_PUNCT.findall(line)) / max(chars, 1),
           float(bool(_TIME.search(line))), float(bool(_YEAR.search(line))), float(bool(_DATE.search(line))),
           float(bool(_URL.search(line))), float(len(_SEPARATORS.findall(line))),
           *_script_shares(line, letters), float(is_prose(line, size))]
    hits = lexicon_hits(line)
    out += [float(category in hits) for category in categories]
    return out


def _prose_run(size: list[float], prose: list[bool]) -> tuple[int, int]:
    """The longest run of prose: the span of lines with the largest sum of prose words minus a
    toll for every other line (Kadane's maximum subarray)."""
    best, best_span = -1.0, (0, -1)
    total, start = 0.0, 0
    for i, (s, p) in enumerate(zip(size, prose)):
        gain = s if p else -3.0 - 0.5 * s
        if total <= 0:
            total, start = gain, i
        else:
            total += gain
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def _overlap(a: set, b: set) -> float:
    return len(a & b) / len(a) if a else 0.0


def features(lines: list[str], title: str | None = None) -> tuple[np.ndarray, list[int]]:
    """The feature matrix of the non-blank lines and their indices in `lines`.

    title: the page's title when known; else the dump's first line (get_text() starts with the
    <title> element's text)."""
    index = [i for i, line in enumerate(lines) if line.strip()]
    text = [" ".join(lines[i].split()) for i in index]
    n = len(text)
    if not n:
        return np.zeros((0, len(_feature_names()))), index
    categories = _lexicons()[0]
    size = [units(line) for line in text]
    own = np.array([_own(line, s, categories) for line, s in zip(text, size)], dtype=np.float64)
    prose = [bool(x) for x in own[:, OWN_NAMES.index("is_prose")]]
    ends = own[:, OWN_NAMES.index("ends_sentence")]
    log_units = own[:, OWN_NAMES.index("log_units")]

    keys = [line.casefold() for line in text]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    seen: dict[str, int] = {}
    title = title if title and title.strip() else text[0]
    title_key = " ".join(title.split()).casefold()
    title_tokens = set(tokens(title))
    start, end = _prose_run(size, prose)
    total_units = sum(size) or 1.0
    run_units = sum(size[start:end + 1])
    max_units = max(size) or 1.0
    before = 0.0
    rest = np.zeros((n, 17))
    for j, (key, line) in enumerate(zip(keys, text)):
        seen[key] = seen.get(key, 0) + 1
        toks = set(tokens(line))
        i = index[j]
        rest[j] = [math.log(counts[key]), float(seen[key] < counts[key]),
                   _overlap(title_tokens, toks), _overlap(toks, title_tokens), float(key == title_key),
                   j / n, before / total_units, float(start <= j <= end),
                   float(j < start), float(j > end),
                   math.log1p(start - j if j < start else j - end if j > end else 0),
                   run_units / total_units,
                   float(i > 0 and not lines[i - 1].strip()),
                   float(i + 1 < len(lines) and not lines[i + 1].strip()),
                   size[j] / max_units, math.log1p(total_units), math.log1p(n)]
        before += size[j]
    prose_arr = np.asarray(prose, dtype=np.float64)
    neighbours = [_shift(column, offset) for offset in NEIGHBOUR_OFFSETS for column in (log_units, prose_arr, ends)]
    neighbours.append(_window_mean(prose_arr, 1))
    neighbours.append(_window_mean(prose_arr, 3))
    neighbours.append(_window_mean(log_units, 3))
    X = np.hstack([own, rest, np.column_stack(neighbours), _layout(text, size, prose, title_tokens)])
    return X, index


def _layout(text: list[str], size: list[float], prose: list[bool], title_tokens: set) -> np.ndarray:
    """Where the line lies relative to the headline (the first line after the dump's first that
    repeats most of the title), and the length of the run of lines of its kind (prose or not)
    it belongs to: a list of teasers is a long run of short lines."""
    n = len(text)
    headline = next((j for j in range(1, n) if 1 <= size[j] <= 40 and title_tokens
                     and _overlap(set(tokens(text[j])), title_tokens) >= 0.8
                     and _overlap(title_tokens, set(tokens(text[j]))) >= 0.5), None)
    out = np.zeros((n, 3))
    if headline is not None:
        j = np.arange(n)
        out[:, 0] = 1.0
        out[:, 1] = np.sign(j - headline) * np.log1p(np.abs(j - headline))
    start = 0
    for j in range(1, n + 1):
        if j == n or prose[j] != prose[start]:
            out[start:j, 2] = math.log1p(j - start)
            start = j
    return out


def _shift(column: np.ndarray, offset: int) -> np.ndarray:
    """column[i + offset] at row i (-1 past either end)."""
    shifted = np.full(len(column), -1.0)
    if offset < 0:
        shifted[-offset:] = column[:offset]
    elif offset > 0:
        shifted[:-offset] = column[offset:]
    else:
        shifted[:] = column
    return shifted


def _window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    """Mean of values[i - radius : i + radius + 1] (clipped at the ends)."""
    padded = np.concatenate([[0.0], np.cumsum(values)])
    n = len(values)
    lo = np.clip(np.arange(n) - radius, 0, n)
    hi = np.clip(np.arange(n) + radius + 1, 0, n)
    return (padded[hi] - padded[lo]) / (hi - lo)


CONTEXT_NAMES = ["p_self", *[f"p{offset:+d}" for offset in NEIGHBOUR_OFFSETS], "p_window3", "p_window7",
                 "p_max_before", "p_max_after", "p_rank", "p_mean_dump"]


def context(p: np.ndarray) -> np.ndarray:
    """The second pass's extra columns: what the first pass thinks of the line and around it."""
    n = len(p)
    cols = [p] + [_shift(p, offset) for offset in NEIGHBOUR_OFFSETS]
    cols += [_window_mean(p, 1), _window_mean(p, 3)]
    before = np.concatenate([[0.0], np.maximum.accumulate(p)[:-1]]) if n else p
    after = np.concatenate([np.maximum.accumulate(p[::-1])[:-1][::-1], [0.0]]) if n else p
    rank = (np.argsort(np.argsort(-p)) / max(n - 1, 1)) if n else p
    cols += [before, after, rank, np.full(n, p.mean() if n else 0.0)]
    return np.column_stack(cols)


@lru_cache(maxsize=None)
def _models(path: str) -> tuple[tuple[blockmodel.TreeModel, np.ndarray], tuple[blockmodel.TreeModel, np.ndarray] | None]:
    """The first pass and the second (None when there is no second file), each with the columns
    of features() (plus context()) it reads."""
    names = feature_names()
    first = blockmodel.load(path)
    second_path = blockmodel.second_path(path)
    if not second_path.is_file():
        return (first, first.columns(names)), None
    second = blockmodel.load(str(second_path))
    return (first, first.columns(names)), (second, second.columns(names + CONTEXT_NAMES))


def line_probabilities(lines: list[str], title: str | None = None, model_path: str | Path | None = None) -> np.ndarray:
    """The probability that each line is article text (0 for blank lines)."""
    out = np.zeros(len(lines))
    X, index = features(lines, title)
    if not index:
        return out
    (first, columns), second = _models(str(model_path or MODEL_PATH))
    p = first.predict_proba(X[:, columns])
    if second is not None:
        model, columns = second
        p = model.predict_proba(np.hstack([X, context(p)])[:, columns])
    out[index] = p
    return out


def threshold(model_path: str | Path | None = None) -> float:
    """The shipped decision threshold (of the last pass)."""
    first, second = _models(str(model_path or MODEL_PATH))
    return (second or first)[0].threshold


def article_lines(lines: list[str], title: str | None = None) -> list[bool]:
    """Whether each line is article text, at the shipped threshold (blank lines: False)."""
    cut = threshold()
    return [bool(p >= cut) for p in line_probabilities(lines, title)]
