"""The generic path for sites without their own cleaner.

A learned block classifier decides for every text block of the page whether it is main content,
on the tree core.py already parsed (about 1.2x trafilatura's speed). Two passes of gradient-
boosted trees: the first reads each block's own features (cleaners/generic/blocks.py), the second those
plus the first pass's view of the block's surroundings (cleaners/generic/blockcontext.py); both models
(cleaners/generic/models/) and their thresholds, which depend on whether the page declares itself an
article, come from bench/train_blocks.py on the tuning part of WCXB dev. Thread / Q&A and
product pages (JSON-LD, og:type, trafilatura's thread detector) go to trafilatura, which handles
posts better; trafilatura and then readability-lxml get a turn whenever the chosen extractor
finds < 40 words. After the classifier, the page's structure takes out what is not the article
(article_blocks: comment sections, linked blocks around the body, blocks outside the named body
container, sections a "Comments" / "Related stories" heading opens, repeated paragraphs).
Then the generic text rules.
Metadata: the page's own JSON-LD and meta tags (core.py's PageMeta); the title without a site
suffix; htmldate's fast mode only when the page declares no date.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

import numpy as np
import trafilatura
from lxml.html import HtmlElement
from readability import Document

from ..article import Extracted, count_words, has_prose
from ..metadata.bylines import byline_authors
from . import articlebody
from . import blockcontext
from . import blockmodel
from . import blocks
from . import sections
from ..metadata.htmlmeta import PageMeta, page_meta, text_of
from . import widgets
from .textrules import filter_paragraphs

log = logging.getLogger(__name__)

try:  # trafilatura's own thread-page detector (internal; absent in some versions)
    from trafilatura.core import _forum_thread_page
except ImportError:  # pragma: no cover
    _forum_thread_page = None

# Measurement switch (bench/quality.py compares the generic path with and without the generic
# text rules): when False, extract() keeps every non-empty paragraph the extractor found and
# skips textrules.filter_paragraphs. Always True in production.
APPLY_TEXT_RULES = True

# Measurement switch: False = trafilatura's text alone, without the block classifier.
USE_CLASSIFIER = True

# Above this many elements the fallbacks (trafilatura, readability) are skipped: their time grows
# faster than the page (trafilatura's jusText rescue searches neighbours quadratically: a 2 MB
# page of 20,000 short <p> took 90 s in it, a 7.8 MB one of 100,000 over 60 s even in its fast
# mode), while the block classifier is linear. The largest of 3,708 real benchmark pages
# (../shared/bench) has 15,795 elements.
LARGE_PAGE_ELEMENTS = 20_000

MIN_WORDS = 40  # below this, trafilatura's result is "too little" and readability gets a turn
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption", "td"}


def _trafilatura(tree: HtmlElement, url: str | None, *, fast: bool):
    """trafilatura on the already-parsed tree (it works on a copy), without its metadata: the
    page's own metadata comes from PageMeta. None when it fails."""
    try:
        return trafilatura.bare_extraction(tree, url=url, include_comments=False, fast=fast)
    except Exception as exc:  # noqa: BLE001 - trafilatura fails on some odd markup
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None


def _trafilatura_text(tree: HtmlElement, url: str | None, fast: bool = False) -> list[str]:
    doc = _trafilatura(tree, url, fast=fast)
    return doc.text.split("\n") if doc is not None and doc.text else []


def _words(paragraphs: list[str]) -> int:
    return sum(count_words(p) for p in paragraphs)


def block_features(tree: HtmlElement, url: str | None, meta: PageMeta | None = None,
                   with_trafilatura: bool = True):
    """(features, blocks, meta, trafilatura's text or None): what the block classifier sees.
    Shared with bench/train_blocks.py so training and the cleaner compute the same features."""
    if meta is None:
        meta = page_meta(tree)
    traf_text = None
    if with_trafilatura:
        # fast mode: the block classifier takes the role of trafilatura's readability/jusText pass
        traf_text = "\n".join(_trafilatura_text(tree, url, fast=True))
    found = blocks.segment(tree)
    X = blocks.features(found, traf_text, title=meta.title, ld_body=meta.article_body)
    return X, found, meta, traf_text


def _readability_paragraphs(html: str) -> list[str]:
    try:
        summary = Document(html).summary(html_partial=True)
    except Exception as exc:  # noqa: BLE001 - readability raises on empty or odd documents
        log.debug("readability failed: %s", exc)
        return []
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # noqa: BLE001
        return []
    paragraphs = []
    for element in root.iter():
        if element.tag in _BLOCKS and not any(a.tag in _BLOCKS for a in element.iterancestors()):
            text = text_of(element)
            if text:
                paragraphs.append(text)
    if not paragraphs:
        text = text_of(root)
        paragraphs = [text] if text else []
    return paragraphs


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]{1,2}\s+")


def _title(tree: HtmlElement, meta: PageMeta) -> str | None:
    """The page's headline without cheap trafilatura metadata: the first h1 when it agrees with
    the declared title (or there is none), else the declared title (JSON-LD headline, og:title,
    <title>) minus a " | Site name" suffix."""
    declared = meta.title
    h1 = None
    for element in tree.iter("h1"):
        text = text_of(element)
        if text and len(text.split()) <= 40:
            h1 = text
            break
    if h1 and (not declared or h1.casefold() in declared.casefold()):
        return h1
    if declared:
        parts = _TITLE_SEPARATORS.split(declared)
        if len(parts) > 1:
            site = (meta.site_name or "").casefold()
            if site and parts[-1].casefold() == site or len(parts[-1].split()) <= min(4, len(" ".join(parts[:-1]).split()) - 1):
                return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
        return declared
    return h1


def _date(tree: HtmlElement, kind: str | None) -> str | None:
    """htmldate in its fast mode, for pages whose meta tags and JSON-LD name no date.

    original_date=True: the publication date, not the last update (on the 708 WCXB dev pages
    with a reference date: 564 right and 109 wrong, against 552 and 121 without it). Not on
    product pages: there htmldate finds a copyright year or a price-list date, never a
    publication date (0 right, 61 invented on WCXB dev)."""
    if kind == "product":
        return None
    try:
        from htmldate import find_date

        return find_date(tree, extensive_search=False, original_date=True)
    except Exception as exc:  # noqa: BLE001
        log.debug("htmldate failed: %s", exc)
        return None


@lru_cache(maxsize=1)
def _model():
    """(first pass, its columns of blocks.features(), whether it reads trafilatura's output,
    second pass or None, its columns of features + blockcontext columns); None when the models
    are unavailable."""
    try:
        model = blockmodel.load()
        names = blocks.feature_names()
        first = (model, model.columns(names), any(f.startswith("in_traf") for f in model.features))
    except (OSError, ValueError, KeyError) as exc:
        log.warning("block model unavailable (%s): trafilatura alone", exc)
        return None
    try:
        second = blockmodel.load(str(blockmodel.second_path(blockmodel.MODEL_PATH)))
        return (*first, second, second.columns(names + blockcontext.CONTEXT_NAMES))
    except (OSError, ValueError, KeyError) as exc:
        log.warning("second-pass block model unavailable (%s): first pass alone", exc)
        return (*first, None, None)


def block_probabilities(tree: HtmlElement, url: str | None, meta: PageMeta):
    """(text blocks of the page, probability that each is main content, threshold), or None
    without a model. The first pass judges every block by its own features; the second reads
    those plus what the first pass thought of the block's surroundings (blockcontext.py)."""
    loaded = _model()
    if loaded is None:
        return None
    model, columns, needs_trafilatura, second, second_columns = loaded
    X, found, meta, _traf = block_features(tree, url, meta, with_trafilatura=needs_trafilatura)
    if not len(found):
        return found, np.zeros(0), model.threshold
    proba = model.predict_proba_of([X], columns)  # in chunks: flat memory on pages of 100,000 blocks
    if second is None:
        return found, proba, model.threshold
    C = blockcontext.block_context(found, proba, X)
    proba = second.predict_proba_of([X, C], second_columns)
    return found, proba, second.threshold_for(declared_article(meta))


MIN_WORDS_BESIDE_COMMENTS = 30


def without_comment_sections(chosen: list) -> list[str]:
    """The texts of the chosen blocks, without those in a comment section (blocks.COMMENT_SECTION_BIT)
    when at least MIN_WORDS_BESIDE_COMMENTS words were chosen outside such sections.

    Reader comments under an article look like article paragraphs to the classifier, and on
    some pages it keeps the whole thread (a Slashdot story: F1 0.20 with, 0.92 without). Pages
    that are threads go to trafilatura (page_kind), but not every forum says it is one. The bar
    was 200 words; 30 is enough beside a comment section: dragnet-2013's 1,318 news and blog
    articles (used to choose between 30, 50, 80, 120 and 200, never to fit a model) go from
    P 0.804 / F1 0.828 to P 0.829 / F1 0.845 (blog posts are often short, their threads long);
    on WCXB dev's tuning part one page changes, a forum thread that does not declare itself one
    (F1 0.90 -> 0.19; mean F1 0.8851 -> 0.8844)."""
    return [b.text for b in outside_comment_sections(chosen)]


def outside_comment_sections(chosen: list) -> list:
    """without_comment_sections() on the blocks themselves."""
    in_comments = [bool((b.own_bits | b.anc_bits) & blocks.COMMENT_SECTION_BIT) for b in chosen]
    if any(in_comments):
        outside = sum(count_words(b.text) for b, inside in zip(chosen, in_comments) if not inside)
        if outside >= MIN_WORDS_BESIDE_COMMENTS:
            return [b for b, inside in zip(chosen, in_comments) if not inside]
    return chosen


# The end of an article: on a page whose chosen blocks hold an article body
# (articlebody.ARTICLE_BODY_WORDS words in prose blocks, articlebody.is_prose_block), blocks that
# are mostly links (>= LINKED_SHARE of their text) go -- anywhere when almost all link (a row of
# other stories, tags, a "more from" list), and after the last prose block when half link.
ARTICLE_END = True  # measurement switch
SECTIONS = True  # measurement switch: sections.py's headings and repeats
LINKED_SHARE = 0.5
ALL_LINKS = 0.8


def article_end(chosen: list) -> list:
    """The chosen blocks without the linked ones around an article body (see ARTICLE_END). Generic
    rules never delete article text: a prose block stays wherever it is."""
    if not ARTICLE_END:
        return chosen
    prose = [i for i, b in enumerate(chosen) if articlebody.is_prose_block(b)]
    if sum(count_words(chosen[i].text) for i in prose) < articlebody.ARTICLE_BODY_WORDS:
        return chosen
    last = prose[-1]
    kept = []
    for i, b in enumerate(chosen):
        share = articlebody.link_share(b)
        if share >= ALL_LINKS or (i > last and share >= LINKED_SHARE):
            continue
        kept.append(b)
    return kept


# A prose paragraph a little below the threshold, between two chosen prose paragraphs of the same
# parent element, is the article's own text: the classifier judged it alone, the page's structure
# says it is one paragraph of a run (measurement switch, and how far below the threshold it may be).
BRIDGE = True
BRIDGE_MARGIN = 0.25
# and so is a prose block the page's JSON-LD articleBody holds, a little below the threshold (switch,
# and how many words the articleBody needs to count as the whole body)
LD_BODY = True
LD_BODY_WORDS = 100


def chosen_blocks(found: list, proba, threshold: float, ld_body: str | None = None) -> list:
    """The blocks at or above the threshold, plus those within BRIDGE_MARGIN below it that the page
    vouches for: a prose block (articlebody.is_prose_block) whose words the page's JSON-LD
    articleBody holds, or whose two neighbours in page order are chosen prose blocks of
    the same parent. When unsure, keep: a paragraph the classifier doubts in the middle of the
    article's run of paragraphs is kept, not cut out of it.

    Measured on the tuning parts with out-of-fold probabilities (bench/oof_pipeline.py, models
    that never saw the page's site): trafilatura-eval +1 article snippet, no boilerplate one,
    WCXB six pages move (mean F1 the same to 4 places), dragnet-2013 unchanged. Either neighbour
    instead of both: +3 article snippets, but dragnet F1 -0.0002 (P -0.0004) and one WCXB page
    halved by the rules after it; neighbours of any parent: one boilerplate snippet more.

    The same margin for a prose block whose words occur in the page's JSON-LD articleBody (when
    that holds >= LD_BODY_WORDS words: a whole body, not a teaser): the page itself says the text
    is the article's. Prose only: some sites store a one-line promo ("Watch our YouTube channel!")
    in the articleBody too. Measured the same way: two WCXB pages better (0.913 -> 0.947, 0.975 ->
    0.983), none worse, trafilatura-eval unchanged; blocks of any length: seven better, but the
    promo line of a trafilatura-eval tuning page came back; a margin of 0.5: three WCXB pages
    lost precision."""
    keep = [p >= threshold for p in proba]
    floor = threshold - BRIDGE_MARGIN
    doubted = [not k and p >= floor and articlebody.is_prose_block(b) for b, k, p in zip(found, keep, proba)]
    if any(doubted) and LD_BODY and ld_body and count_words(ld_body) >= LD_BODY_WORDS:
        vouched = iter(blocks.found_in([b for b, d in zip(found, doubted) if d], ld_body))
        keep = [k or (d and next(vouched)) for k, d in zip(keep, doubted)]
    if any(doubted) and BRIDGE:

        def chosen_prose(j: int, parent) -> bool:
            return 0 <= j < len(found) and keep[j] and found[j].parent is parent and articlebody.is_prose_block(found[j])

        bridged = [k or (d and chosen_prose(i - 1, b.parent) and chosen_prose(i + 1, b.parent))
                   for i, (b, k, d) in enumerate(zip(found, keep, doubted))]
        keep = bridged
    return [b for b, k in zip(found, keep) if k]


_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "techarticle",
                  "scholarlyarticle", "report", "liveblogposting", "socialmediaposting"}


def declared_article(meta: PageMeta) -> str:
    """How the page declares itself an article: "jsonld" (an Article type in its JSON-LD),
    "opengraph" (og:type article) or "none". The block classifier's threshold depends on it:
    on pages that say they are articles, keeping a doubtful block costs more than it gains
    (thresholds chosen by cross-validation on the tuning part, bench/train_blocks.py)."""
    if meta.ld_types & _ARTICLE_TYPES:
        return "jsonld"
    if meta.og_type == "article":
        return "opengraph"
    return "none"


_FORUM_TYPES = {"qapage", "discussionforumposting", "question"}
_PRODUCT_TYPES = {"product", "productgroup"}


def page_kind(tree: HtmlElement, meta: PageMeta) -> str | None:
    """"forum" (a thread or Q&A page: JSON-LD QAPage / DiscussionForumPosting, or trafilatura's
    thread detector), "product" (JSON-LD Product or og:type product), or None."""
    types = meta.ld_types
    if types & _FORUM_TYPES:
        return "forum"
    if types & _PRODUCT_TYPES or meta.og_type in ("product", "og:product"):
        return "product"
    if _forum_thread_page is not None:
        try:
            if _forum_thread_page(tree):
                return "forum"
        except Exception:  # noqa: BLE001 - an internal helper of trafilatura: never let it fail a page
            return None
    return None


def is_large(tree: HtmlElement, limit: int = LARGE_PAGE_ELEMENTS) -> bool:
    """More elements than `limit` (counting stops there)."""
    for count, _ in enumerate(tree.iter()):
        if count >= limit:
            return True
    return False


@lru_cache(maxsize=1)
def prepare_fallbacks() -> None:
    """One-time set-up of the fallbacks, on the first page of a process rather than on the first
    page that needs them: trafilatura's jusText rescue builds its stop-word list of every
    language (~0.4 s, once per process) when a page first needs it, which a benchmark of a few
    hundred pages would count against that page. Building it earlier changes nothing else."""
    try:
        from trafilatura import external

        if not getattr(external, "JT_STOPLIST", True):
            external.jt_stoplist_init()
    except Exception as exc:  # noqa: BLE001 - an internal of trafilatura: it then builds it itself
        log.debug("jusText stop-word list not prepared: %s", exc)


def fallback_is_better(found: list[str], fallback: list[str]) -> bool:
    """Whether a fallback extractor's paragraphs replace what the classifier found: more words
    than it and at least MIN_WORDS, or running text (article.has_prose) where it found only labels
    and links. The second arm (dragnet-2013: 12 of 1,318 pages were no_article, photo posts of
    one or two sentences) moved dragnet F1 0.894 -> 0.897 and WCXB's tuning part 0.8758 -> 0.8789
    (listing pages 0.737 -> 0.763)."""
    return (_words(fallback) > max(_words(found), MIN_WORDS - 1)
            or (has_prose(fallback) and not has_prose(found)))


def article_blocks(found: list, proba, threshold: float, tree: HtmlElement, ld_body: str | None = None) -> list:
    """The blocks the classifier chose (and those the page's JSON-LD articleBody vouches for),
    without what the page's structure says is not the article: reader comments (a comment section
    beside the article), linked blocks around its body, blocks outside its named container,
    sections a heading such as "Related stories" or "Comments" opens after it, photo galleries
    beside it, and later copies of its paragraphs."""
    chosen = chosen_blocks(found, proba, threshold, ld_body)
    chosen = articlebody.within_article(article_end(outside_comment_sections(chosen)), tree, found)
    if SECTIONS:
        chosen = sections.without_other_sections(chosen, found)
        chosen = sections.without_repeats(sections.without_galleries(chosen))
    return chosen


def extract(html: str, tree: HtmlElement, url: str | None, meta: PageMeta) -> tuple[Extracted, str]:
    """Returns what was found and the name of the extractor that found the body.

    Thread and product pages go to trafilatura; every other page (and those where trafilatura
    finds too little) to the block classifier, which decides for every text block of the page
    whether it is main content. trafilatura and then readability get a turn when the chosen
    extractor finds too little."""
    prepare_fallbacks()
    loaded = _model() if USE_CLASSIFIER else None
    paragraphs: list[str] = []
    extractor = "blocks"
    kind = page_kind(tree, meta)
    if kind is not None and loaded is not None and not is_large(tree):
        # threads and product pages: trafilatura's forum handling beats the block classifier there
        # (measured on the tuning part of WCXB dev); the classifier when trafilatura finds too little
        paragraphs, extractor = _trafilatura_text(tree, url), "trafilatura"
    if loaded is not None and _words(paragraphs) < MIN_WORDS:
        judged = block_probabilities(tree, url, meta)
        if judged is not None:
            found, proba, threshold = judged
            chosen = [b.text for b in article_blocks(found, proba, threshold, tree, meta.article_body)]
            if _words(chosen) > _words(paragraphs):
                paragraphs, extractor = chosen, "blocks"
    if (_words(paragraphs) < MIN_WORDS or not has_prose(paragraphs)) and not is_large(tree):
        # the classifier found (next to) nothing, or only labels and links: trafilatura, then
        # readability, get a turn -- taken when they find more words, or running text where the
        # classifier found none (a photo post's two sentences beside a sidebar of links)
        # trafilatura in its fast mode: its own rescue (its readability port, then jusText) is
        # what the readability fallback after it does, and on pages where the classifier found
        # next to nothing it added more chrome than text (fast: dragnet-2013 F1 0.9115 -> 0.9118,
        # WCXB dev tuning part 0.8817 -> 0.8823, trafilatura-eval tuning part 1,783 -> 1,787
        # article snippets and 54 -> 53 boilerplate ones; and no jusText, whose neighbour search
        # is quadratic: 10,000 short <p> took 11 s in it)
        for name, find in (("trafilatura", lambda: _trafilatura_text(tree, url, fast=True)),
                           ("readability", lambda: _readability_paragraphs(html))):
            fallback = find()
            if fallback_is_better(paragraphs, fallback):
                paragraphs, extractor = fallback, name
                break
    title = _title(tree, meta)
    # inline read-more / related cards found by the DOM (cleaners/generic/widgets.py), on pages
    # that declare themselves articles (on service and product pages such links are content)
    if paragraphs and declared_article(meta) != "none":
        normalised = [" ".join(p.split()) for p in paragraphs]
        cards = widgets.widget_texts(tree, url or meta.url, among=set(normalised))
        paragraphs = [p for p, n in zip(paragraphs, normalised) if n not in cards]
    if APPLY_TEXT_RULES:
        paragraphs = filter_paragraphs(paragraphs, title)
    else:
        paragraphs = [p for p in paragraphs if p.strip()]
    extracted = Extracted(
        paragraphs=paragraphs,
        title=title,
        description=meta.description,
        authors=meta.authors or byline_authors(tree),
        published=meta.published or _date(tree, kind),
        modified=meta.modified,
        section=meta.section,
        tags=meta.tags,
        url=meta.url,
        language=meta.language,
    )
    return extracted, extractor
