"""Text blocks of a page and their features, for the learned block classifier of the generic path.

A block is a block-level element (p, div, li, td, h2, …) with the text that belongs to it
directly: its own text and that of its inline children (a, span, b, …), not that of nested
blocks, which are blocks of their own. Every block gets a fixed-length vector of DOM features
(text length, link density, tag, depth, class and id tokens of the element and its ancestors,
position, punctuation, neighbours, whether trafilatura kept its text, …); the classifier in
cleaners/generic/models/ (trained by bench/train_blocks.py) turns them into a probability that the
block is main content.

The walk reads the tree and never changes it.
"""
from __future__ import annotations

import math
import re
from itertools import accumulate

import numpy as np

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3",
    "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "td", "th", "tr", "table", "tbody", "thead",
    "tfoot", "caption", "blockquote", "pre", "figure", "figcaption", "form", "address", "details",
    "summary", "fieldset", "legend", "body", "center", "hgroup", "menu", "dialog"})
# rt / rp: ruby annotations (Japanese furigana: the reading of 子 printed over it), which read
# into the text as "子こども" and break every phrase of it. textarea: a form field's value, never
# text of the page (news sites' "Republish this story" boxes hold the whole article as HTML source)
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object",
                       "canvas", "select", "option", "math", "video", "audio", "map", "rt", "rp",
                       "textarea"})
# the block's own tag, one-hot (anything else -> "other")
OWN_TAGS = ["p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "span_like",
            "blockquote", "pre", "figcaption", "section", "article", "header", "footer", "nav", "aside",
            "form", "summary", "address"]
_OWN_INDEX = {t: i for i, t in enumerate(OWN_TAGS)}
# ancestor tags that say something about a block
ANC_TAGS = ["nav", "header", "footer", "aside", "form", "article", "main", "li", "table", "ul", "ol",
            "blockquote", "figure", "dl", "h1", "details", "menu", "dialog", "pre", "button"]
_ANC_BIT = {t: 1 << i for i, t in enumerate(ANC_TAGS)}
# class / id keywords (substrings of the lower-cased class and id attributes)
KEYWORDS = ["comment", "nav", "menu", "footer", "header", "sidebar", "share", "social", "related",
            "promo", "breadcrumb", "content", "article", "post", "body", "entry", "main", "text",
            "story", "product", "price", "descr", "review", "title", "meta", "author", "date", "tag",
            "widget", "cookie", "consent", "newsletter", "subscri", "banner", "modal", "popup", "hidden",
            "copyright", "reply", "message", "thread", "question", "answer", "card", "item", "list",
            "grid", "tile", "caption", "button", "btn", "login", "signup", "search", "recommend",
            "trending", "popular", "more", "foot", "top", "bottom", "widget", "toc", "crumb", "pagin",
            "rating", "spec", "detail", "feature", "faq", "testimonial", "plan", "pricing", "hero",
            "section", "container", "wrap", "col", "row", "user", "avatar", "sign", "byline", "lead",
            "summary", "intro", "headline", "heading", "teaser", "ad", "ads", "advert", "sponsor", "skip",
            "sr-only", "visually-hidden", "icon", "logo", "brand", "cart", "checkout", "filter", "sort",
            "tab", "accordion", "code", "highlight", "doc", "markdown", "prose", "rich", "wysiwyg", "quote",
            "credit", "photo", "recent", "latest", "bio"]
KEYWORDS = list(dict.fromkeys(KEYWORDS))
_KW_BIT = {k: 1 << i for i, k in enumerate(KEYWORDS)}
_SHORT_KW = {"ad", "ads", "col", "row", "tab", "top", "tag", "btn", "doc", "toc", "faq", "nav", "rich"}
_KW_RE = re.compile("|".join(sorted((re.escape(k) for k in KEYWORDS if k not in _SHORT_KW),
                                    key=len, reverse=True)))
# A comment section as such (trafilatura's patterns: id or class starting with "comment", the
# usual comment-list classes, Disqus), not any class that contains "comment" ("no-comments",
# "comment-count"): marked by a bit above the keyword bits, not a feature of the classifier;
# generic.py drops these sections under an article (see without_comment_sections).
COMMENT_SECTION_BIT = 1 << len(KEYWORDS)
_COMMENT_SECTION_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments|respond)")
_COMMENT_SECTION_CLASS = re.compile(r"^[Cc]omment(?!ary)|(?:article|post)-comments|comment-?list|comment-page|"
                                    r"comments-content|comments-area")
_TOKEN_RE = re.compile(r"[a-z]+")
_WORD_RE = re.compile(r"\w+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_MAX_DEPTH = 300
_SPACERS = frozenset({"br", "hr", "img", "input"})  # inline elements that separate words


_BITS_CACHE: dict[str, int] = {}


def _class_bits(el) -> int:
    return _bits_of(el.get("class"), el.get("id"))


def _bits_of(cls: str | None, ident: str | None) -> int:
    """The keyword bits (and COMMENT_SECTION_BIT) of a class and an id attribute, cached: a
    page repeats its few class names on hundreds of elements."""
    if not cls and not ident:
        return 0
    value = (cls, ident)  # (not one joined string: the comment-section patterns are anchored)
    bits = _BITS_CACHE.get(value)
    if bits is not None:
        return bits
    lowered = f"{cls or ''} {ident or ''}".lower()
    bits = 0
    for match in _KW_RE.findall(lowered):
        bits |= _KW_BIT[match]
    for token in _TOKEN_RE.findall(lowered):
        if token in _SHORT_KW:
            bits |= _KW_BIT[token]
    if ident and _COMMENT_SECTION_ID.search(ident) or cls and _COMMENT_SECTION_CLASS.search(cls):
        bits |= COMMENT_SECTION_BIT
    if len(_BITS_CACHE) > 100_000:
        _BITS_CACHE.clear()
    _BITS_CACHE[value] = bits
    return bits


class Block:
    __slots__ = ("el", "tag", "depth", "own_bits", "anc_bits", "anc_tags", "parts", "link_chars",
                 "hidden", "index", "text", "parent", "shape", "siblings")

    def __init__(self, el, tag, depth, own_bits, anc_bits, anc_tags, hidden, index, parent):
        self.el, self.tag, self.depth = el, tag, depth
        self.own_bits, self.anc_bits, self.anc_tags = own_bits, anc_bits, anc_tags
        self.parts: list[str] = []
        self.link_chars = 0
        self.hidden = hidden
        self.index = index
        self.text = ""
        self.parent = parent
        self.shape = None  # (tag as parsed, class attribute)
        # how many children of the element's parent have its shape (-1: no parent; None: not
        # counted yet). segment() counts them for the blocks it makes, _repeat_features reads them.
        self.siblings = None


def _walk(el, cur: Block, depth: int, anc_bits: int, anc_tags: int, in_link: bool, hidden: bool,
          blocks: list[Block]) -> None:
    """The blocks under el, appended to blocks in document order, and el's own text to cur.

    The hottest loop of the generic path (every element of the page): attributes are read only
    when they can still matter, and names are bound locally. A module-level function, not a
    closure in segment(): a recursive closure refers to itself through its cell, and that cycle
    kept every page's blocks and tree alive until the garbage collector's oldest generation ran
    (most of the collector's work on a news page)."""
    cur_parts = cur.parts
    shapes = made = None  # the shapes of el's block children, and those blocks
    for child in el:
        tag = raw_tag = child.tag
        if isinstance(tag, str):  # not a comment or processing instruction
            tag = tag.lower()
            skip = tag in SKIP_TAGS
        else:
            skip = True
        if skip:
            tail = child.tail
            if tail:
                cur_parts.append(tail)
                if in_link:
                    cur.link_chars += len(tail)
            continue
        attrib = child.attrib
        if attrib:
            get = attrib.get
            child_hidden = hidden or get("hidden") is not None or get("aria-hidden") == "true"
            if not child_hidden:
                style = get("style")
                if style and _HIDDEN_STYLE.search(style):
                    child_hidden = True
            cls, ident = get("class"), get("id")
            bits = _bits_of(cls, ident) if cls or ident else 0
        else:
            child_hidden, bits, cls = hidden, 0, None
        # <a name="..."> without an href is a named anchor (a target of the page's table of
        # contents, wrapped round a heading or an interview question), not a link: counted as one,
        # it made the questions of an interview transcript "all links" for the article-end rule
        child_link = in_link or tag == "a" and ("href" in attrib or "name" not in attrib)
        is_block = tag in BLOCK_TAGS
        if is_block:
            target = Block(child, tag, depth + 1, bits, anc_bits | cur.own_bits, anc_tags, child_hidden,
                           len(blocks), cur)
            blocks.append(target)
            # only block children can share a block's shape (the others' tags differ)
            target.shape = shape = (raw_tag, cls)
            if shapes is None:
                shapes, made = {}, []
            shapes[shape] = shapes.get(shape, 0) + 1
            made.append(target)
        else:
            target = cur
            if tag in _SPACERS:
                cur_parts.append(" ")
        text = child.text
        if text:
            target.parts.append(text)
            if child_link:
                target.link_chars += len(text)
        if len(child):
            if depth < _MAX_DEPTH:
                _walk(child, target, depth + 1, anc_bits | cur.own_bits | (0 if is_block else bits),
                      anc_tags | _ANC_BIT.get(tag, 0), child_link, child_hidden, blocks)
            else:
                text = " ".join(t for c in child for t in [c.text_content()] if t)
                target.parts.append(" " + text)
        if is_block:
            cur_parts.append(" ")  # the parent's text before and after a nested block stays apart
        tail = child.tail
        if tail:
            cur_parts.append(tail)
            if in_link:
                cur.link_chars += len(tail)
    if made:
        for block in made:
            block.siblings = shapes[block.shape]


def segment(tree) -> list[Block]:
    """The text blocks of the page in document order (blocks without text left out)."""
    body = tree.find("body")
    if body is None:
        body = tree
    blocks: list[Block] = []
    root = Block(body, "body", 0, _class_bits(body), 0, 0, False, 0, None)
    blocks.append(root)

    if body.text:
        root.parts.append(body.text)
    _walk(body, root, 0, 0, 0, False, False, blocks)
    out = Blocks()
    for block in blocks:
        text = " ".join("".join(block.parts).split())
        block.parts = None  # done with: one list fewer per element for the garbage collector to scan
        if text:
            block.text = text
            out.append(block)
    out.parents = [b.parent.index if b.parent is not None else -1 for b in blocks]
    return out


class Blocks(list):
    """segment()'s result: the blocks with text, in page order; .parents holds the parent index
    of every block element of the page (with or without text; Block.index points into it)."""
    parents: list[int]


_PUNCT = re.compile(r"[.,;:!?]")
_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-Z]")
_SENT_END = ('.', '!', '?', '"', '”', '»', '…', ':')


def feature_names() -> list[str]:
    names = ["log_chars", "log_words", "link_density", "depth", "rel_pos", "rel_char_pos", "punct_ratio",
             "digit_ratio", "upper_ratio", "ends_sentence", "mean_word_len", "n_commas", "n_sentences",
             "hidden", "in_traf", "in_traf_prev", "in_traf_next", "in_traf_window", "traf_share_page",
             "prev_link_density", "next_link_density", "prev_log_words", "next_log_words",
             "window_link_density", "window_log_words", "page_log_blocks", "page_log_words",
             "page_link_share", "parent_log_words", "parent_link_density", "siblings_same_tag",
             "is_title", "in_ld_body", "starts_bullet", "has_pipe_or_slash"]
    names += [f"own:{t}" for t in OWN_TAGS] + ["own:other"]
    names += [f"anc:{t}" for t in ANC_TAGS]
    names += [f"kw_own:{k}" for k in KEYWORDS] + [f"kw_anc:{k}" for k in KEYWORDS]
    names += REPEAT_NAMES
    names += ["sub_log_words_parent", "sub_link_density_parent", "sub_log_words_gparent",
              "sub_link_density_gparent", "good_share_parent", "good_share_gparent", "in_best",
              "best_ratio_parent", "best_ratio_gparent", "page_good_share"]
    return names


# Repeated shapes (a teaser list, a sidebar of cards): the nearest element at or above the block
# (up to UNIT_LEVELS levels) that is one of >= 3 siblings sharing its tag and class -- the "unit"
# of a list of things -- and what the unit holds.
REPEAT_NAMES = ["rep:log_sig_page", "rep:log_unit_siblings", "rep:unit_level", "rep:unit_link_head",
                "rep:unit_log_words", "rep:unit_link_density", "rep:unit_log_blocks"]
UNIT_LEVELS = 3
MIN_UNIT_SIBLINGS = 3


def _sibling_counts(parent, cache: dict) -> dict:
    """{(tag, class): count} of parent's children. Keyed by the element itself, not id(): lxml
    makes a new proxy object for an element nobody holds, and an id() may then be reused."""
    counts = cache.get(parent)
    if counts is None:
        counts = {}
        for child in parent:
            if isinstance(child.tag, str):
                key = (child.tag, child.get("class"))
                counts[key] = counts.get(key, 0) + 1
        cache[parent] = counts
    return counts


def _repeat_features(blocks: list[Block], words: np.ndarray, links: np.ndarray) -> np.ndarray:
    """REPEAT_NAMES columns. A unit is found by walking up the block elements (Block.parent), so
    its subtree figures are sums over the text blocks at most UNIT_LEVELS levels below it.

    Figures per block element are kept in lists indexed by Block.index (parents come before
    children, so a text block's index bounds its units'), and an element's count of same-shaped
    siblings comes from segment() (Block.siblings), which saw every element's children anyway."""
    n = len(blocks)
    out = np.zeros((n, len(REPEAT_NAMES)), dtype=np.float32)
    out[:, 2] = -1.0
    if not n:
        return out
    keys = [(b.tag, b.el.get("class")) for b in blocks]
    sig_count: dict = {}
    for key in keys:
        sig_count[key] = sig_count.get(key, 0) + 1
    out[:, 0] = [math.log(sig_count[key]) for key in keys]
    # subtree sums per block element (by Block.index), bottom-up over the text blocks' ancestors
    size = max(b.index for b in blocks) + 1
    sub_words = [0.0] * size
    sub_links = [0.0] * size
    sub_blocks = [0] * size
    link_head = [False] * size
    # numpy float32 scalars compared with Python floats compare in float32: so do the arrays
    heads = (((links >= 0.6) & (words > 0) & (words <= 20))
             | (np.asarray([b.tag in _HEADINGS for b in blocks], dtype=bool) & (links > 0))).tolist()
    for b, w, linked, is_head in zip(blocks, words.tolist(), (words * links).tolist(), heads):
        unit, level = b, 0
        while unit is not None and level <= UNIT_LEVELS:
            k = unit.index
            sub_words[k] += w
            sub_links[k] += linked
            sub_blocks[k] += 1
            if is_head:
                link_head[k] = True
            unit, level = unit.parent, level + 1
    cache: dict = {}
    rows, units, levels, sames = [], [], [], []  # per block in a unit: the unit, its level, its siblings
    for i, b in enumerate(blocks):
        unit, level = b, 0
        while unit is not None and level <= UNIT_LEVELS:
            same = unit.siblings
            if same is None:  # (the page's root block, or blocks not made by segment())
                parent = unit.el.getparent()
                same = -1 if parent is None else _sibling_counts(parent, cache).get(
                    (unit.el.tag, unit.el.get("class")), 0)
                unit.siblings = same
            if same < 0:
                break
            if same >= MIN_UNIT_SIBLINGS:
                rows.append(i)
                units.append(unit.index)
                levels.append(level)
                sames.append(same)
                break
            unit, level = unit.parent, level + 1
    if rows:  # the columns in whole-array operations (float64, then float32 as out is)
        units = np.asarray(units, dtype=np.intp)
        unit_words = np.asarray(sub_words)[units]
        out[rows, 1] = np.log(np.asarray(sames, dtype=np.float64))
        out[rows, 2] = levels
        out[rows, 3] = np.asarray(link_head)[units]
        out[rows, 4] = np.log1p(unit_words)
        out[rows, 5] = np.asarray(sub_links)[units] / np.maximum(unit_words, 1.0)
        out[rows, 6] = np.log(np.asarray(sub_blocks, dtype=np.float64)[units])
    return out


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def inside(parents, top: int) -> list[bool]:
    """For every element (numbered as segment() numbers them, parents before children): whether
    it is `top` or lies below it. All False when top < 0."""
    mask = [False] * len(parents)
    if top >= 0:
        mask[top] = True
        for k in range(top + 1, len(parents)):
            p = parents[k]
            if p >= 0 and mask[p]:
                mask[k] = True
    return mask


def _container_features(blocks: list[Block], words: np.ndarray, links: np.ndarray) -> np.ndarray:
    """Readability-style container scores: the words, link density and "good" words (sentence-
    long, few links) of the parent's and grandparent's subtrees, and whether the block lies in
    the container with the most good text (a parent counts its good words fully, a grandparent
    half)."""
    n = len(blocks)
    out = np.zeros((n, 10), dtype=np.float32)
    parents = getattr(blocks, "parents", None)
    if parents is None:  # a plain list of blocks: the elements' parents are all there is
        parents = [-1] * (max(b.index for b in blocks) + 1)
        for b in blocks:
            if b.parent is not None:
                parents[b.index] = b.parent.index
    n_all = len(parents)
    sub_w = [0.0] * n_all
    sub_l = [0.0] * n_all
    good = [0.0] * n_all
    score = [0.0] * n_all
    scored = [False] * n_all
    total_good = 0.0
    first_parent = -1
    ws, ls = words.tolist(), links.tolist()
    is_good = ((words >= 8) & (links < 0.3)).tolist()  # float32 comparisons, as on the scalars
    for b, w, share, sentence_long in zip(blocks, ws, ls, is_good):
        g = w if sentence_long else 0.0
        k = b.index
        sub_w[k] = w
        sub_l[k] = w * share
        good[k] = g
        total_good += g
        p = parents[k]
        if p >= 0:
            if first_parent < 0:
                first_parent = p
            score[p] += g
            scored[p] = True
            gp = parents[p]
            if gp >= 0:
                score[gp] += g / 2
                scored[gp] = True
    for k in range(n_all - 1, 0, -1):  # children come after their parents: sum subtrees bottom-up
        p = parents[k]
        if p >= 0:
            sub_w[p] += sub_w[k]
            sub_l[p] += sub_l[k]
            good[p] += good[k]
    for b, w, share, sentence_long in zip(blocks, ws, ls, is_good):  # a block's subtree figures leave out its own text
        k = b.index
        sub_w[k] -= w
        sub_l[k] -= w * share
        good[k] -= w if sentence_long else 0.0
    best, best_score = -1, 0.0
    for k in range(n_all):
        if scored[k] and score[k] > best_score:
            best, best_score = k, score[k]
    if best < 0:
        best = first_parent
    best_score = max(best_score, 1.0)
    in_best = inside(parents, best)
    tg = max(total_good, 1.0)
    # the parent's and grandparent's figures, in whole-array operations (float64, then float32)
    parent_of = np.asarray(parents, dtype=np.intp)
    own = np.fromiter((b.index for b in blocks), dtype=np.intp, count=n)
    sub_w, sub_l, good, score = (np.asarray(a) for a in (sub_w, sub_l, good, score))
    parent = parent_of[own]
    grandparent = np.where(parent >= 0, parent_of[np.maximum(parent, 0)], -1)
    for up, (c_words, c_links, c_good, c_best) in ((parent, (0, 1, 4, 7)), (grandparent, (2, 3, 5, 8))):
        rows = np.flatnonzero(up >= 0)
        k = up[rows]
        out[rows, c_words] = np.log1p(sub_w[k])
        out[rows, c_links] = sub_l[k] / np.maximum(sub_w[k], 1.0)
        out[rows, c_good] = good[k] / tg
        out[rows, c_best] = score[k] / best_score
    out[:, 6] = np.asarray(in_best)[own]
    out[:, 9] = total_good / max(float(words.sum()), 1.0)
    return out


N_FEATURES = len(feature_names())
_N_BASE = 35


def _unpack(values: list[int], width: int) -> np.ndarray:
    """Bit masks (Python ints) as a (len(values), width) 0/1 matrix; bits above width (such as
    COMMENT_SECTION_BIT) are left out."""
    nbytes = (width + 7) // 8
    mask = (1 << width) - 1
    raw = np.frombuffer(b"".join((v & mask).to_bytes(nbytes, "little") for v in values), dtype=np.uint8)
    return np.unpackbits(raw.reshape(len(values), nbytes), axis=1, bitorder="little")[:, :width]


def zero_padded(a: np.ndarray, half: int) -> np.ndarray:
    """a with `half` zeros on each side: np.pad(a, half), without np.pad's generality, which
    costs ~30 microseconds a call (a page makes a dozen such calls)."""
    zeros = np.zeros(half, dtype=a.dtype)
    return np.concatenate((zeros, a, zeros))


def _window(a: np.ndarray) -> np.ndarray:
    """Mean over the block and its two neighbours on each side."""
    return np.convolve(zero_padded(a, 2), np.full(5, 0.2, dtype=np.float32), mode="valid")


def _norm_tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def found_in(blocks: list[Block], text: str) -> list[bool]:
    """Whether each block's words occur in a row in `text`, compared as features() compares them
    for its in_ld_body column (lower-cased word tokens)."""
    key = " " + " ".join(_norm_tokens(text)) + " "
    return [" " + " ".join(_norm_tokens(b.text)) + " " in key for b in blocks]


def features(blocks: list[Block], traf_text: str | None = "", title: str | None = None,
             ld_body: str | None = None) -> np.ndarray:
    """A (len(blocks), N_FEATURES) float32 matrix.

    The per-block figures are gathered in Python lists and written a column at a time (a numpy
    element assignment costs more than the arithmetic); each value is the same Python number as
    before, cast to float32 once, so the matrix is bit for bit what an element-wise fill gives."""
    n = len(blocks)
    X = np.zeros((n, N_FEATURES), dtype=np.float32)
    if not n:
        return X
    traf_key = " " + " ".join(_norm_tokens(traf_text)) + " " if traf_text else ""
    ld_key = " " + " ".join(_norm_tokens(ld_body)) + " " if ld_body else ""
    title_key = " ".join(_norm_tokens(title)) if title else ""
    tag_counts: dict[tuple, int] = {}
    for b in blocks:
        key = (id(b.parent), b.tag)
        tag_counts[key] = tag_counts.get(key, 0) + 1
    own_index = {id(b): i for i, b in enumerate(blocks)}
    texts = [b.text for b in blocks]  # never empty: segment() keeps the blocks with text
    tokens = [_norm_tokens(text) for text in texts]
    n_words = [len(toks) for toks in tokens]
    n_chars = [len(text) for text in texts]
    cum = list(accumulate(n_chars, initial=0.0))  # the characters before each block (as floats)
    total_chars = cum.pop()
    link_share = [min(1.0, b.link_chars / nc) for b, nc in zip(blocks, n_chars)]
    punct = [len(_PUNCT.findall(text)) / nc for text, nc in zip(texts, n_chars)]
    digits = [len(_DIGIT.findall(text)) / nc for text, nc in zip(texts, n_chars)]
    upper = [len(_UPPER.findall(text)) / nc for text, nc in zip(texts, n_chars)]
    mean_len = [(sum(map(len, toks)) / nw) if nw else 0.0 for toks, nw in zip(tokens, n_words)]
    commas = [text.count(",") for text in texts]
    sentences = [text.count(". ") + text.count("? ") + text.count("! ") for text in texts]
    in_traf_list, in_ld, is_title = [0.0] * n, [0.0] * n, [0.0] * n
    if traf_key or ld_key or title_key:
        for i, toks in enumerate(tokens):
            if toks:
                joined = " ".join(toks)
                key = " " + joined + " "
                if traf_key and key in traf_key:
                    in_traf_list[i] = 1.0
                if ld_key and key in ld_key:
                    in_ld[i] = 1.0
                if title_key and joined == title_key:
                    is_title[i] = 1.0
    siblings = [tag_counts.get((id(b.parent), b.tag), 0) for b in blocks]
    bullet = [text[:1] in "-•*·–—►▸›»" for text in texts]
    pipes = [text.count("|") + text.count(" / ") for text in texts]
    other_tag = len(OWN_TAGS)
    own_tag = [_N_BASE + _OWN_INDEX.get(b.tag, other_tag) for b in blocks]
    log1p = math.log1p
    words = np.array(n_words, dtype=np.float32)
    links = np.array(link_share, dtype=np.float32)
    in_traf = np.array(in_traf_list, dtype=np.float32)
    cum_chars = np.array(cum, dtype=np.float32)
    X[:, 0] = [log1p(c) for c in n_chars]
    X[:, 1] = [log1p(w) for w in n_words]
    X[:, 2] = links
    X[:, 3] = [b.depth for b in blocks]
    X[:, 6], X[:, 7], X[:, 8] = punct, digits, upper
    X[:, 9] = [b.text.endswith(_SENT_END) for b in blocks]
    X[:, 10], X[:, 11], X[:, 12] = mean_len, commas, sentences
    X[:, 13] = [b.hidden for b in blocks]
    X[:, 30], X[:, 31], X[:, 32], X[:, 33], X[:, 34] = siblings, is_title, in_ld, bullet, pipes
    X[np.arange(n), own_tag] = 1.0
    base = _N_BASE + len(OWN_TAGS) + 1
    X[:, base:base + len(ANC_TAGS)] = _unpack([b.anc_tags for b in blocks], len(ANC_TAGS))
    base += len(ANC_TAGS)
    X[:, base:base + len(KEYWORDS)] = _unpack([b.own_bits for b in blocks], len(KEYWORDS))
    base += len(KEYWORDS)
    X[:, base:base + len(KEYWORDS)] = _unpack([b.anc_bits for b in blocks], len(KEYWORDS))
    X[:, 4] = np.arange(n, dtype=np.float32) / max(n - 1, 1)
    X[:, 5] = cum_chars / max(total_chars, 1.0)
    X[:, 14] = in_traf
    prev = np.concatenate([[0.0], in_traf[:-1]])
    nxt = np.concatenate([in_traf[1:], [0.0]])
    X[:, 15], X[:, 16] = prev, nxt
    X[:, 17] = _window(in_traf)
    total_words = float(words.sum())
    X[:, 18] = float((words * in_traf).sum()) / max(total_words, 1.0)
    X[:, 19] = np.concatenate([[0.0], links[:-1]])
    X[:, 20] = np.concatenate([links[1:], [0.0]])
    lw = np.log1p(words)
    X[:, 21] = np.concatenate([[0.0], lw[:-1]])
    X[:, 22] = np.concatenate([lw[1:], [0.0]])
    link_words = links * words
    X[:, 23] = _window(link_words) / np.maximum(_window(words), 1e-6)
    X[:, 24] = _window(lw)
    X[:, 25] = math.log1p(n)
    X[:, 26] = math.log1p(total_words)
    X[:, 27] = float(link_words.sum()) / max(total_words, 1.0)
    rows, parents = [], []
    for i, b in enumerate(blocks):
        p = own_index.get(id(b.parent)) if b.parent is not None else None
        if p is not None:
            rows.append(i)
            parents.append(p)
    X[rows, 28] = lw[parents]
    X[rows, 29] = links[parents]
    X[:, -10 - len(REPEAT_NAMES):-10] = _repeat_features(blocks, words, links)
    X[:, -10:] = _container_features(blocks, words, links)
    return X
