"""The generic path for sites without their own cleaner.

trafilatura first (it is the strongest general extractor); readability-lxml when trafilatura
finds nothing or too little; then the generic text rules. Metadata: the page's own JSON-LD and
meta tags, trafilatura's where those are silent.
"""
from __future__ import annotations

import logging

import trafilatura
from lxml.html import HtmlElement
from readability import Document

from .article import Extracted, count_words
from .htmlmeta import PageMeta, text_of
from .textrules import filter_paragraphs

log = logging.getLogger(__name__)

# Measurement switch (bench/quality.py compares the generic path with and without the generic
# text rules): when False, extract() keeps every non-empty paragraph the extractor found and
# skips textrules.filter_paragraphs. Always True in production.
APPLY_TEXT_RULES = True

MIN_WORDS = 40  # below this, trafilatura's result is "too little" and readability gets a turn
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption", "td"}


def _trafilatura(html: str, url: str | None):
    try:
        return trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    except Exception as exc:  # noqa: BLE001 - trafilatura fails on some odd markup
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None


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


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return [a.strip() for a in value.split(";") if a.strip()]


def extract(html: str, tree: HtmlElement, url: str | None, meta: PageMeta) -> tuple[Extracted, str]:
    """Returns what was found and the name of the extractor that found the body."""
    doc = _trafilatura(html, url)
    paragraphs = doc.text.split("\n") if doc is not None and doc.text else []
    extractor = "trafilatura"
    if sum(count_words(p) for p in paragraphs) < MIN_WORDS:
        fallback = _readability_paragraphs(html)
        if sum(count_words(p) for p in fallback) > sum(count_words(p) for p in paragraphs):
            paragraphs, extractor = fallback, "readability"
    title = (doc.title if doc is not None else None) or meta.title
    if APPLY_TEXT_RULES:
        paragraphs = filter_paragraphs(paragraphs, title)
    else:
        paragraphs = [p for p in paragraphs if p.strip()]
    extracted = Extracted(
        paragraphs=paragraphs,
        title=title,
        description=meta.description or (doc.description if doc is not None else None),
        authors=meta.authors or _split_authors(doc.author if doc is not None else None),
        published=meta.published or (doc.date if doc is not None else None),
        modified=meta.modified,
        section=meta.section or ((doc.categories or [None])[0] if doc is not None else None),
        tags=meta.tags or ([t for tag in doc.tags for t in tag.split(",")] if doc is not None and doc.tags else []),
        url=meta.url or (doc.url if doc is not None else None),
        language=meta.language,
    )
    return extracted, extractor
