"""The article's own container: on a page whose markup names the element that holds the post or
story body, chosen blocks far outside it go.

Why: the block classifier judges blocks by their features and surroundings, and on a blog or news
page whose article is short (a photo post, a video with two lines) the best-looking blocks left are
the sidebar's: an "about me" paragraph, a list of categories, other stories. Publishers' templates
name the body's element (`entry-content`, `post-body`, `article-body`, `itemprop=articleBody`,
the page's first `<article>`, ...). trafilatura's first two body expressions
(`trafilatura.xpaths.BODY_XPATH`, the well-kept list of those names) find it; blocks outside it and
outside the headline zone above it are dropped.

When unsure, keep: nothing changes when no container is named, or when the container holds less
than MIN_CONTAINER_SHARE of the chosen words (then it is a teaser card or the wrong element), and
the headline zone (the lowest element holding both the container and the page's first <h1>, at
most ZONE_LEVELS above the container, else the container's parent unless that is <body>) keeps the headline, byline and
lead that templates put just above the body.

Measured (bench/README.md, "the article's container"): dragnet-2013 F1 0.881 -> 0.894 (P 0.895 ->
0.918); WCXB tuning part 0.8756 -> 0.8755; trafilatura-eval tuning part 9 of 1,854 article snippets
lost, 1 boilerplate snippet fewer. Chosen among variants on dragnet-2013 (tuning only, as its
licence allows) and the tuning parts of the other sets.
"""
from __future__ import annotations

import itertools
import logging

from ..article import count_words

log = logging.getLogger(__name__)

try:
    from trafilatura.xpaths import BODY_XPATH

    CONTAINER_XPATHS = tuple(BODY_XPATH[:2])  # named body elements, then the first <article>
except (ImportError, AttributeError, TypeError):  # pragma: no cover - another trafilatura layout
    CONTAINER_XPATHS = ()

ARTICLE_CONTAINER = True  # measurement switch (bench/quality.py compares with and without)
MIN_CONTAINER_SHARE = 0.3
ZONE_LEVELS = 4
ONE_ARTICLE = True


def body_container(tree):
    """The element the template names as the article body, or None."""
    for tier, expression in enumerate(CONTAINER_XPATHS):
        try:
            found = expression(tree)
        except Exception as exc:  # noqa: BLE001 - an XPath on hostile markup must never fail a page
            log.debug("body container XPath failed: %s", exc)
            return None
        if found:
            if tier and ONE_ARTICLE and _several_articles(tree):
                return None  # the first of several <article>: a post of a thread, a teaser
            return found[0]
    return None


def _several_articles(tree) -> bool:
    return next(itertools.islice(tree.iter("article"), 1, None), None) is not None


def _inside(element, top) -> bool:
    while element is not None:
        if element is top:
            return True
        element = element.getparent()
    return False


def headline_zone(tree, container):
    """The lowest element above the container (at most ZONE_LEVELS up, never <body>) that also
    holds the page's first <h1>; else the container's parent, unless that is <body>."""
    h1 = next(tree.iter("h1"), None)
    if h1 is not None and not _inside(h1, container):
        ancestor, level = container.getparent(), 1
        while ancestor is not None and level <= ZONE_LEVELS:
            if ancestor.tag == "body":
                break
            if _inside(h1, ancestor):
                return ancestor
            ancestor, level = ancestor.getparent(), level + 1
    parent = container.getparent()
    return parent if parent is not None and parent.tag != "body" else None


def within_article(chosen: list, tree) -> list:
    """The chosen blocks (document order) without those outside the article's container, except
    the headline zone's blocks before the container and any <h1>. Unchanged when the page names
    no container or the container holds too little of what was chosen."""
    if not ARTICLE_CONTAINER or not chosen:
        return chosen
    container = body_container(tree)
    if container is None:
        return chosen
    inside = [_inside(b.el, container) for b in chosen]
    words = [count_words(b.text) for b in chosen]
    words_in = sum(w for w, i in zip(words, inside) if i)
    if not words_in or words_in < MIN_CONTAINER_SHARE * sum(words):
        return chosen
    zone = headline_zone(tree, container)
    kept, before = [], True
    for block, is_in in zip(chosen, inside):
        before = before and not is_in
        if is_in or block.tag == "h1" or (before and zone is not None and _inside(block.el, zone)):
            kept.append(block)
    return kept
