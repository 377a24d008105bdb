"""The article's own container: on a page whose markup names the element that holds the post or
story body, chosen blocks far outside it go.

Why: the block classifier judges blocks by their features and surroundings, and on a blog or news
page whose article is short (a photo post, a video with two lines) the best-looking blocks left are
the sidebar's: an "about me" paragraph, a list of categories, other stories. Publishers' templates
name the body's element (`entry-content`, `post-body`, `article-body`, `itemprop=articleBody`,
the page's only `<article>`, ...): the names of trafilatura's first body expression
(`trafilatura.xpaths.BODY_XPATH[0]`, the well-kept list of them), then its second (the first
`<article>`, here only when the page has one). Blocks outside it and outside the headline zone
above it are dropped.

When unsure, keep: nothing changes when no container is named, or when the container holds less
than MIN_CONTAINER_SHARE of the chosen words (then it is a teaser card or the wrong element) --
unless the container names one post (is_post_body) and nothing chosen outside it is an article
(a short post beside a long sidebar; lone_post when the classifier chose nothing in it), and
the headline zone (the lowest element holding both the container and the page's first <h1>, at
most ZONE_LEVELS above the container, else the container's parent unless that is <body>) keeps the headline, byline and
lead that templates put just above the body.

Measured (bench/README.md, "The article's container and the no-prose fallback"): dragnet-2013
F1 0.881 -> 0.894 (P 0.895 -> 0.918), WCXB tuning part 0.8756 -> 0.8758 (0.8795 with the body's
continuation), trafilatura-eval tuning part 8 of 1,854 article snippets lost, 1 boilerplate
snippet fewer. Chosen among variants on dragnet-2013 (tuning only, as its licence allows) and the
tuning parts of the other sets; MIN_CONTAINER_SHARE 0.2 or 0.5 move dragnet by +0.002 / -0.005.
Short posts (session 6): lone posts 0.9019 -> 0.9044, short posts beside a sidebar -> 0.9060, WCXB
tuning unchanged (0.8817; without the post-name condition a product page lost its list, -0.0008).
"""
from __future__ import annotations

import itertools
import re

from ..article import count_words

# The names of trafilatura's first body expression (trafilatura.xpaths.BODY_XPATH[0], Apache-2.0),
# matched in Python: lxml runs EXSLT re:test as a Python call per element and attribute, which
# made the XPath ~1 ms a page; this walk does the same test in ~0.2 ms.
# tests/test_article_container.py holds it to the XPath on pages written there and, when
# ../shared is present, on benchmark pages.
_CONTAINER_TAGS = ("article", "div", "main", "section")
_EXACT_CLASSES = frozenset({"post", "entry"})
_ID_NAMES = re.compile(r"(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text")
_CLASS_NAMES = re.compile(r"post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper|"
                          r"article-?text|articleText|(?:entry|page|text|article|art)-content|article__content|"
                          r"article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container")


def _named_body(element) -> bool:
    attrib = element.attrib
    if not attrib:
        return False
    cls, ident = attrib.get("class"), attrib.get("id")
    return bool(cls is not None and (cls in _EXACT_CLASSES or _CLASS_NAMES.search(cls))
                or ident is not None and (ident == "articleContent" or _ID_NAMES.search(ident))
                or attrib.get("itemprop") == "articleBody")


ARTICLE_CONTAINER = True  # measurement switch: False leaves the chosen blocks as they are
MIN_CONTAINER_SHARE = 0.3
ZONE_LEVELS = 4


def body_container(tree):
    """The element the template names as the article body (the first, in document order), else
    the page's <article> when it has only one, else None."""
    for element in tree.iter(*_CONTAINER_TAGS):
        if _named_body(element):
            return element
    # (not the first of several <article>: a post of a thread, a teaser)
    articles = list(itertools.islice(tree.iter("article"), 2))
    return articles[0] if len(articles) == 1 else None


def continued_bodies(tree, container) -> list:
    """The container and the elements that continue it: templates that break the body for an
    advert or a newsletter box often open a second element of the same tag and class after it;
    and React's streamed segments."""
    cls = container.get("class")
    if cls is None or container.tag == "article":
        bodies = [container]
    else:
        bodies = [el for el in tree.iter(container.tag) if el is container or el.get("class") == cls]
    return bodies + streamed_segments(tree)


def streamed_segments(tree) -> list:
    """React's streamed Suspense segments (`<div hidden id="S:...">` at the end of <body>), which a
    script moves into their placeholders: on a Next.js page they can hold most of the article
    (a WCXB page kept 983 of its 2,479 words without this), so they count as the body's own."""
    body = tree.find("body")
    if body is None:
        return []
    return [el for el in body if el.tag == "div" and el.get("hidden") is not None and _is_streamed(el)]


def _is_streamed(element) -> bool:
    return (element.get("id") or "").startswith("S:")


def _subtrees(tops) -> set:
    """Every element at or below one of `tops`: one pass over their subtrees, so that each block's
    question is a set lookup (a page may repeat a body class thousands of times, or nest
    thousands deep). lxml hands out the same proxy for an element while one is alive, and the
    set keeps them alive."""
    found: set = set()
    for top in tops:
        if top not in found:
            found.update(top.iter())
    return found


def headline_zone(tree, container):
    """The lowest element above the container (at most ZONE_LEVELS up, never <body>) that also
    holds the page's first <h1>; else the container's parent, unless that is <body>."""
    h1 = next(tree.iter("h1"), None)
    above_h1 = set(h1.iterancestors()) if h1 is not None else set()
    if container not in above_h1:  # (an <h1> inside the container: the zone is the parent)
        for ancestor in itertools.islice(container.iterancestors(), ZONE_LEVELS):
            if ancestor.tag == "body":
                break
            if ancestor in above_h1:
                return ancestor
    parent = container.getparent()
    return parent if parent is not None and parent.tag != "body" else None


def within_article(chosen: list, tree, found: list | None = None) -> list:
    """The chosen blocks (document order) without those outside the article's container, except
    the headline zone's blocks before the container and any <h1>. Unchanged when the page names
    no container or the container holds too little of what was chosen -- unless it holds none of
    it and the page is a lone short post (lone_post, given every block of the page in `found`)."""
    if not ARTICLE_CONTAINER or not chosen:
        return chosen
    container = body_container(tree)
    if container is None:
        return chosen
    bodies = continued_bodies(tree, container)
    in_bodies = _subtrees(bodies)
    inside = [b.el in in_bodies for b in chosen]
    words = [count_words(b.text) for b in chosen]
    words_in = sum(w for w, i in zip(words, inside) if i)
    if not words_in:
        return lone_post(chosen, found, tree, container, bodies, in_bodies) if found is not None else chosen
    if words_in < MIN_CONTAINER_SHARE * sum(words):
        # a short post beside a long sidebar: still the body, when the template names one post
        # and nothing outside it is an article
        outside = [b for b, i in zip(chosen, inside) if not i]
        if not is_post_body(container, bodies) or prose_words(outside) >= ARTICLE_BODY_WORDS:
            return chosen
    zone = headline_zone(tree, container)
    in_zone = _subtrees([zone]) if zone is not None else set()
    kept, before = [], True
    for block, is_in in zip(chosen, inside):
        before = before and not is_in
        if is_in or block.tag == "h1" or (before and block.el in in_zone):
            kept.append(block)
    return kept


# A lone short post: the classifier chose nothing inside the one element the template names as
# the body, and found no article anywhere else (less than ARTICLE_BODY_WORDS words in prose blocks).
ARTICLE_BODY_WORDS = 150
PROSE_WORDS = 25
PROSE_LINKS = 0.2
MIN_POST_WORDS = 5
POST_LINKS = 0.5
_CHROME = {"nav", "header", "footer", "aside"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def link_share(block) -> float:
    """The share of the block's text that is link text."""
    return block.link_chars / max(len(block.text), 1)


def is_prose_block(block) -> bool:
    """A paragraph of the article's running text: >= PROSE_WORDS words, < PROSE_LINKS of its text
    in links (what the article-end rule, the short-post rules and the gallery rule call prose)."""
    return count_words(block.text) >= PROSE_WORDS and link_share(block) < PROSE_LINKS


def prose_words(blocks) -> int:
    """Words in prose blocks (is_prose_block): >= ARTICLE_BODY_WORDS of them are an article body."""
    return sum(count_words(block.text) for block in blocks if is_prose_block(block))


_POST_NAMES = re.compile(r"post|entry|article", re.IGNORECASE)


def is_post_body(container, bodies: list) -> bool:
    """The body element names one post: it is the page's only element of its tag and class (not
    one of several cards), its name says post, entry or article (not a generic page-content or
    text-content, which product and listing pages use for an intro), and it is not inside a nav,
    header, footer or aside."""
    if sum(1 for b in bodies if not _is_streamed(b)) > 1:
        return False
    named = (container.tag == "article" or container.get("itemprop") == "articleBody"
             or _POST_NAMES.search(f'{container.get("class") or ""} {container.get("id") or ""}'))
    return bool(named) and not any(a.tag in _CHROME for a in container.iterancestors())


def lone_post(chosen: list, found: list, tree, container, bodies: list, in_bodies: set) -> list:
    """The body element's blocks and the headings of the headline zone above it, instead of the
    chosen blocks, when the page is a lone short post; else the chosen blocks unchanged.

    Why: on a photo or video post of a line or two the classifier keeps what looks most like
    content, the sidebar's "about me" and category lists, and leaves the post itself (dragnet-2013:
    33 pages where none of its paragraphs is in the gold). When unsure, keep: only when the body
    element names one post (is_post_body), holds at least MIN_POST_WORDS words and is not mostly
    links, and the chosen blocks hold no article (ARTICLE_BODY_WORDS words of prose)."""
    if not is_post_body(container, bodies) or prose_words(chosen) >= ARTICLE_BODY_WORDS:
        return chosen
    post = [b for b in found if b.el in in_bodies]
    if sum(count_words(b.text) for b in post) < MIN_POST_WORDS:
        return chosen
    if sum(b.link_chars for b in post) >= POST_LINKS * max(sum(len(b.text) for b in post), 1):
        return chosen
    zone = headline_zone(tree, container)
    in_zone = _subtrees([zone]) if zone is not None else set()
    first = found.index(post[0])
    return [b for b in found[:first] if b.el in in_zone and b.tag in _HEADINGS] + post
