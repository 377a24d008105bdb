"""`clean()`: the one entry point that saved pages and the crawler both use.

It never raises for bad input: whatever goes wrong becomes an Article whose `status` names the
reason and whose `error` says what happened, so a run over thousands of pages keeps going and
loses nothing silently.
"""
from __future__ import annotations

import logging
import re

import lxml.etree
import lxml.html

from .generic import extract as generic
from .generic import textrules
from .article import (STATUS_CLEANER_ERROR, STATUS_DECODE_ERROR, STATUS_EMPTY, STATUS_NO_ARTICLE, STATUS_NOT_HTML,
                      STATUS_OK, STATUS_PARSE_ERROR, STATUS_TOO_LARGE, Article, Extracted,
                      content_hash, count_words, error_article, has_prose, join_paragraphs,
                      normalise_paragraph)
from .io.decode import DecodeError, binary_reason, decode, looks_like_html
from .metadata.htmlmeta import page_meta, unique
from .metadata.language import detect_language
from .registry import SiteCleaner, find_by_text, find_by_url
from .metadata.urls import registered_domain
from .safe import safe_article, safe_str, scrub_text

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # pages above this are refused as too_large (news pages are < 2 MB)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def clean(data: bytes | str | None, *, url: str | None = None, kind: str | None = None,
          http_charset: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Clean one page or text dump into an Article.

    data: HTML or a plain-text dump, as bytes (any charset) or str.
    url: where the page came from; picks the site cleaner and fills Article.url/site.
    kind: "html" or "text"; detected when None.
    http_charset: the charset of the HTTP Content-Type header, when known.
    """
    if kind not in (None, "html", "text"):
        raise ValueError(f"kind must be 'html', 'text' or None, not {kind!r}")
    try:
        article = _clean(data, url=url, kind=kind, http_charset=http_charset, max_bytes=max_bytes)
    except Exception as exc:  # noqa: BLE001 - one odd page must not end a run of thousands
        log.exception("cleaning failed for %s", safe_str(url, 300) or "<data>")
        article = error_article(STATUS_CLEANER_ERROR, f"{type(exc).__name__}: {exc}", url=url,
                                site=_site_of(url))
    return safe_article(article)  # every field writable: surrogates, NULs, lengths


def _site_of(url):
    try:
        return registered_domain(url)
    except Exception:  # noqa: BLE001 - the URL that made the page fail may be the cause
        return None


def _size_error(size: int, max_bytes: int, url: str | None) -> Article:
    return error_article(STATUS_TOO_LARGE, f"page is {size / 1e6:.1f} MB, over the limit of "
                         f"{max_bytes / 1e6:.1f} MB", url=url, site=registered_domain(url))


def _clean(data, *, url, kind, http_charset, max_bytes) -> Article:
    site = registered_domain(url)
    if data is None:
        return error_article(STATUS_EMPTY, "no data", url=url, site=site)
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > max_bytes:
            return _size_error(len(data), max_bytes, url)
        if not data or data.isspace():  # (not data.strip(): no copy of the page)
            return error_article(STATUS_EMPTY, "the page is empty", url=url, site=site)
        reason = binary_reason(data)
        if reason:
            return error_article(STATUS_NOT_HTML, reason, url=url, site=site)
        try:
            text, _charset = decode(data, http_charset)
        except DecodeError as exc:
            return error_article(STATUS_DECODE_ERROR, str(exc), url=url, site=site)
    else:
        text = data
        if len(text) > max_bytes:
            return _size_error(len(text), max_bytes, url)
    text = scrub_text(text.lstrip("\ufeff"))
    if not text or text.isspace():
        return error_article(STATUS_EMPTY, "the page is empty", url=url, site=site)
    if kind is None:
        kind = "html" if looks_like_html(text) else "text"
    if kind == "html":
        return _clean_html(text, url)
    return _clean_text(text, url)


def _clean_text(text: str, url: str | None) -> Article:
    cleaner = find_by_url(url) or find_by_text(text[:8000] + "\n" + text[-4000:])
    if cleaner:
        extracted = cleaner.clean_text(text)
        if extracted and extracted.paragraphs:
            return finish(extracted, url=url, extractor=template_extractor(cleaner, extracted),
                          cleaner=cleaner)
    return fell_back(finish(textrules.clean_dump(text), url=url, extractor="text-model", cleaner=None),
                     cleaner)


def template_extractor(cleaner: SiteCleaner, extracted: Extracted) -> str:
    """"site:rt/2026": the site cleaner and the template of its that matched."""
    return f"{cleaner.extractor}/{extracted.template}" if extracted.template else cleaner.extractor


def fell_back(article: Article, cleaner: SiteCleaner | None) -> Article:
    """Mark an article of a registered site that the generic path made because no template of the
    site's cleaner matched (a redesign, or a template not seen yet): the crawl counts these per
    site. A page that is no article at all (a listing) is not counted."""
    if cleaner is not None and article.ok:
        article.fallback_from = cleaner.extractor
        article.site = article.site or cleaner.site  # a dump without URL, known by its signatures
    return article


# lxml.html's own element classes (an <input> is an InputElement, and so on).
HTML_ELEMENT_CLASSES = {"form": lxml.html.FormElement, "input": lxml.html.InputElement,
                        "label": lxml.html.LabelElement, "select": lxml.html.SelectElement,
                        "textarea": lxml.html.TextareaElement}


def html_parser() -> lxml.etree.HTMLParser:
    """lxml.html.HTMLParser(huge_tree=True), with the same element classes found without calling
    Python: lxml.html's parser asks a Python method (HtmlElementClassLookup.lookup) for the class
    of every element object it hands out, ~1,500 times on a small page over all its tree walks;
    a namespace lookup holding the same table answers inside lxml.

    huge_tree lifts libxml2's nesting limit from 256 to 2048 (pages nested deeper lost all their
    text); deeper still, the page is flattened (flatten_deep) and parsed again."""
    lookup = lxml.etree.ElementNamespaceClassLookup(lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    classes = lookup.get_namespace(None)  # this lookup's own registry, not lxml's global one
    for name, element_class in HTML_ELEMENT_CLASSES.items():
        classes[name] = element_class
    parser = lxml.etree.HTMLParser(huge_tree=True)
    parser.set_element_class_lookup(lookup)
    return parser


_PARSER = html_parser()
MAX_DEPTH = 1000  # nesting kept when a page is flattened
MAX_ATTRIBUTES = 1000  # libxml2 checks an element's attributes for duplicates pairwise
_LONG_TAG = re.compile(r"<[a-zA-Z][^<>]{20000,}")  # [^<>]: every character is scanned once
_TAG_NAME = re.compile(r"<[a-zA-Z][^\s/<>]*")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^<>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
         "param", "keygen"}


def cap_attributes(text: str) -> str:
    """Tags with more than MAX_ATTRIBUTES attributes lose their attributes (not their element or
    text): libxml2 takes quadratic time on them (50,000 attributes on one <p>: 10 s)."""
    if len(text) < 20000 or not _LONG_TAG.search(text):
        return text

    def cap(match):
        tag = match.group()
        return _TAG_NAME.match(tag).group() if tag.count("=") > MAX_ATTRIBUTES else tag

    return _LONG_TAG.sub(cap, text)


def flatten_deep(text: str, max_depth: int = MAX_DEPTH) -> str:
    """The page with the tags nested deeper than max_depth removed (their text kept): libxml2
    stops reading a document at depth 2048, which would lose the rest of the page."""
    out, depth, position = [], 0, 0
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID:
            continue
        drop = depth >= max_depth if not closing else depth > max_depth
        depth = depth + 1 if not closing else max(0, depth - 1)
        if drop:
            out.append(text[position:match.start()])
            out.append(" ")
            position = match.end()
    out.append(text[position:])
    return "".join(out)


def _parse_html(text: str):
    text = cap_attributes(_XML_DECLARATION.sub("", text, count=1))
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
        if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _PARSER.error_log):
            tree = lxml.html.document_fromstring(flatten_deep(text), parser=_PARSER)
        return tree
    except (lxml.etree.ParserError, ValueError) as exc:
        return exc


def _clean_html(html: str, url: str | None) -> Article:
    tree = _parse_html(html)
    if isinstance(tree, Exception):
        return error_article(STATUS_PARSE_ERROR, f"unreadable HTML: {tree}", url=url,
                             site=registered_domain(url))
    meta = page_meta(tree)
    page_url = url or meta.url
    # A crawl of a mirror or a proxy fetches from another host: the canonical URL still names the site.
    cleaner = find_by_url(page_url) or find_by_url(meta.url)
    if cleaner:
        extracted = cleaner.clean_html(tree, page_url)
        if extracted and extracted.paragraphs:
            extracted.url = extracted.url or meta.url
            return finish(extracted, url=page_url, extractor=template_extractor(cleaner, extracted),
                          cleaner=cleaner)
        tree = _parse_html(html)  # the site cleaner may have pruned the tree; start afresh
    extracted, extractor = generic.extract(html, tree, page_url, meta)
    return fell_back(finish(extracted, url=page_url, extractor=extractor, cleaner=None), cleaner)


def finish(extracted: Extracted, *, url: str | None, extractor: str,
           cleaner: SiteCleaner | None) -> Article:
    """Compute the fields every path shares and decide the status."""
    text = join_paragraphs(extracted.paragraphs)
    page_url = url or extracted.url
    site = registered_domain(page_url) or registered_domain(extracted.url) or (cleaner.site if cleaner else None)
    title = normalise_paragraph(extracted.title) if extracted.title else None
    description = normalise_paragraph(extracted.description) if extracted.description else None
    article = Article(
        url=page_url,
        canonical_url=extracted.url,
        site=site,
        title=title or None,
        description=description or None,
        text=text,
        authors=unique(normalise_paragraph(a) for a in extracted.authors),
        published=extracted.published,
        modified=extracted.modified,
        section=normalise_paragraph(extracted.section) if extracted.section else None,
        tags=unique(normalise_paragraph(t) for t in extracted.tags),
        language=detect_language(text, declared=extracted.language),
        word_count=count_words(text),
        content_hash=content_hash(text) if text else None,
        extractor=extractor,
        status=STATUS_OK,
    )
    if not text:
        article.status = STATUS_NO_ARTICLE
        article.error = f"no article text found ({extractor})"
    elif cleaner is None and not has_prose(extracted.paragraphs):  # site cleaners are not second-guessed
        article.status = STATUS_NO_ARTICLE
        article.error = (f"no article text found ({extractor} found only {article.word_count} words "
                         "of link lists or labels)")
        article.text, article.word_count, article.content_hash = "", 0, None
    return article


