"""Metadata from a page's DOM: JSON-LD, Open Graph / article meta tags, canonical link.

Shared by the site cleaners and the generic path. Some sites (RT's 2026 template) put meta
values in a `value` attribute instead of `content`; both are read.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from .dates import parse_iso

ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
                 "socialmediaposting", "liveblogposting", "techarticle", "scholarlyarticle", "report"}


@dataclass
class PageMeta:
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    language: str | None = None
    site_name: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, when the page carries one
    ld_types: set[str] = field(default_factory=set)  # every JSON-LD @type on the page, lower case
    og_type: str = ""  # og:type, lower case ("article", "product", "website", ...)


def text_of(element) -> str:
    """Visible text of an element, white space collapsed."""
    if element is None:
        return ""
    return " ".join(element.text_content().split())


class MetaTags:
    """The page's <meta name|property|itemprop=NAME content|value=...> tags, read once: page_meta
    asks for some twenty names, and each question used to walk every <meta> of the page again."""

    def __init__(self, tree: HtmlElement):
        self.tags: list[tuple[set[str], str]] = []  # (naming keys, value), document order
        for meta in tree.iter("meta"):
            value = meta.get("content")
            if value is None:
                value = meta.get("value")
            if value and value.strip():
                # <meta name="lastmod" itemprop="dateModified">: every naming attribute counts
                keys = {(meta.get(attr) or "").strip().lower() for attr in ("property", "name", "itemprop")}
                self.tags.append((keys, " ".join(value.split())))

    def values(self, *names: str) -> list[str]:
        """Values of the tags named any of `names`, in document order."""
        wanted = {n.lower() for n in names}
        return [value for keys, value in self.tags if keys & wanted]

    def first(self, *names: str) -> str | None:
        """The first value of the first of `names` (in order of preference) the page has."""
        for name in names:
            values = self.values(name)
            if values:
                return values[0]
        return None


def meta_values(tree: HtmlElement, *names: str) -> list[str]:
    """Values of <meta name|property|itemprop=NAME content|value=...> in document order."""
    return MetaTags(tree).values(*names)


def first_meta(tree: HtmlElement, *names: str) -> str | None:
    return MetaTags(tree).first(*names)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


MAX_JSON_DEPTH = 64  # real JSON-LD nests < 10 deep; deeper is a hostile or broken page
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_too_deep(raw: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests deeper than `limit` (strings skipped): such a document would make
    json.loads, and anything walking the result, recurse without bound."""
    if raw.count("{") + raw.count("[") <= limit:
        return False
    depth = 0
    for match in _JSON_TOKEN.finditer(raw):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def json_ld_objects(tree: HtmlElement) -> list[dict]:
    """Every JSON-LD object on the page, @graph members flattened. A script nested deeper than
    MAX_JSON_DEPTH is skipped like one that does not parse."""
    objects: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw or json_too_deep(raw):
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            try:  # trailing commas and control characters are common in the wild
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except (ValueError, RecursionError):
                continue
        stack = _as_list(data)
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(_as_list(item.get("@graph")))
    return objects


def _types(obj: dict) -> set[str]:
    return {str(t).lower() for t in _as_list(obj.get("@type"))}


def json_ld_article(tree: HtmlElement, objects: list[dict] | None = None) -> dict | None:
    """The first JSON-LD object of an article type (from `objects` when already parsed)."""
    for obj in json_ld_objects(tree) if objects is None else objects:
        if _types(obj) & ARTICLE_TYPES:
            return obj
    return None


def _names(value, by_id: dict | None = None) -> list[str]:
    """Names from a JSON-LD value (a string, a Person/Thing, or a list); entities unescaped,
    since some sites put HTML-escaped text (NASA&#039;s) into their JSON-LD. A reference
    ({"@id": ...}, as WordPress / Yoast graphs name the author) is looked up in by_id."""
    names = []
    for item in _as_list(value):
        if isinstance(item, dict) and "name" not in item and by_id:
            item = by_id.get(item.get("@id"), item)
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(" ".join(html.unescape(name).split()))
    return names


def _by_id(objects: list[dict]) -> dict:
    """JSON-LD objects by their @id, for references."""
    return {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str) and "name" in obj}


def _keywords(value) -> list[str]:
    tags: list[str] = []
    for item in _as_list(value):
        if isinstance(item, str):
            tags.extend(part.strip() for part in html.unescape(item).split(","))
    return [t for t in tags if t]


def unique(items) -> list:
    seen, out = set(), []
    for item in items:
        key = item.casefold() if isinstance(item, str) else item
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _article_body(value) -> str | None:
    """JSON-LD articleBody, unless it is a placeholder (Republic World ships the literal word)."""
    if not isinstance(value, str) or len(value.split()) < 20:
        return None
    return html.unescape(value)


def canonical_url(tree: HtmlElement, tags: MetaTags | None = None) -> str | None:
    for link in tree.xpath('//link[@href]'):
        if "canonical" in (link.get("rel") or "").lower().split():
            return link.get("href").strip() or None
    return (tags or MetaTags(tree)).first("og:url")


_URLISH = re.compile(r"://|^www\.|^[\w.-]+\.[a-z]{2,}/", re.IGNORECASE)


def page_meta(tree: HtmlElement) -> PageMeta:
    """All the metadata the page declares, JSON-LD first, meta tags after."""
    objects = json_ld_objects(tree)
    ld = json_ld_article(tree, objects) or {}
    head_title = tree.findtext(".//title")
    meta_tags = MetaTags(tree)
    meta = PageMeta(
        title=(_names(ld.get("headline")) or [None])[0] or meta_tags.first("og:title", "twitter:title")
        or (" ".join(head_title.split()) if head_title else None),
        description=(_names(ld.get("description")) or [None])[0]
        or meta_tags.first("og:description", "description", "twitter:description"),
        authors=unique(_names(ld.get("author"), _by_id(objects))
                       or meta_tags.values("author", "article:author")),
        published=parse_iso(ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None)
        or parse_iso(meta_tags.first("article:published_time", "datePublished", "pubdate",
                                "mediator_published_time", "parsely-pub-date", "sailthru.date")),
        modified=parse_iso(ld.get("dateModified") if isinstance(ld.get("dateModified"), str) else None)
        or parse_iso(meta_tags.first("article:modified_time", "dateModified")),
        section=(_names(ld.get("articleSection")) or [None])[0] or meta_tags.first("article:section"),
        tags=unique(meta_tags.values("article:tag") or _keywords(ld.get("keywords"))),
        url=canonical_url(tree, meta_tags),
        language=(tree.get("lang") or meta_tags.first("og:locale") or None),
        site_name=meta_tags.first("og:site_name"),
        article_body=_article_body(ld.get("articleBody")),
        ld_types=set().union(*(_types(obj) for obj in objects)),
        og_type=(meta_tags.first("og:type") or "").strip().lower(),
    )
    # article:author often holds the author's Facebook or profile page: a URL names no one
    meta.authors = [a for a in meta.authors if not _URLISH.search(a)]
    if meta.site_name:  # an outlet named as its own author ("RT en Español") is not a byline
        meta.authors = [a for a in meta.authors if a.casefold() != meta.site_name.casefold()]
    return meta
