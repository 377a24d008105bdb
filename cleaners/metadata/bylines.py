"""Authors named in the page itself, for pages whose JSON-LD and meta tags name none.

About half of the WCXB dev pages that name an author do so only in a visible byline: a schema.org
microdata `itemprop="author"`, a `rel="author"` link, or an element whose class says author or
byline. trafilatura finds those with regular-expression XPaths over a copy of the tree (~15 ms a
page); one plain XPath and a ranking of its hits do the same at ~2 ms, and only on pages that
declare no author. The names are cleaned by trafilatura's own normaliser ("By Jane Doe and
John Roe | 5 min read" -> Jane Doe; John Roe).
"""
from __future__ import annotations

import re

from lxml import etree


try:
    from trafilatura.json_metadata import normalize_authors
except ImportError:  # pragma: no cover - older or newer trafilatura
    normalize_authors = None

# Elements with any attribute holding "uthor" or "yline" (one cheap test per attribute), then
# the exact test in Python (_is_candidate): the same elements in the same order as the XPath
# "//body//*[@rel='author' or @itemprop='author' or contains(@class, 'author') or
# contains(@class, 'Author') or contains(@class, 'byline') or contains(@class, 'Byline') or
# contains(@id, 'author')]", in a third of its time. "//body/descendant::*" is the node set of
# "//body//*", which libxml2 evaluates as a descendant-or-self step and a child step for every
# node (0.6 against 1.1 ms on a dragnet-2013 page).
_MAYBE_CANDIDATES = etree.XPath("//body/descendant::*[@*[contains(., 'uthor') or contains(., 'yline')]]")


def _is_candidate(element) -> bool:
    cls, ident = element.get("class") or "", element.get("id") or ""
    return (element.get("rel") == "author" or element.get("itemprop") == "author" or "author" in cls
            or "Author" in cls or "byline" in cls or "Byline" in cls or "author" in ident)


def _candidates(tree) -> list:
    return [element for element in _MAYBE_CANDIDATES(tree) if _is_candidate(element)]


_SECTIONS_NOT_BYLINES = re.compile(r"comment|related|sidebar|widget|recommend|more-from",
                                   re.IGNORECASE)
_NOT_A_NAME = re.compile(r"\d|@|://|\bwww\.|\w\.\w|\b(?:min(?:ute)?s?|read|updated|published|posted|share|"
                         r"follow|view|profile|articles?|posts?|more|about|contact|authors?|by|all|sign|log|"
                         r"in|head|team|phd|md|"
                         r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|"
                         r"mon|tue|wed|thu|fri|sat|sun)\b", re.IGNORECASE)
_USERNAME = re.compile(r"^(?=[^.]*\.?[^.]*$)(?=.*[A-Za-z])[\w.-]{3,30}$")
_DIGITS = re.compile(r"\d")
# a byline's names end where its date begins ("By Jane Doe June 5, 2024", "Jane Doe · 3 days ago")
_DATE_START = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d",
                         re.IGNORECASE)
_PREFIX = re.compile(r"^\s*(?:(?:written|posted|reviewed|edited|published|reported)\s+by|by|von|par|por|door|"
                     r"author|authors|autor|auteur)\s*[:\-–]?\s+", re.IGNORECASE)
_NAME_CLASS = re.compile(r"author[-_]*name|byline[-_]*(?:name|author)")
_MAX_WORDS_PER_NAME = 4
_MAX_CHARS = 120


def _rank(element) -> int:
    """Lower is surer: microdata, then rel=author, then a class that names the author's name,
    then any author or byline class."""
    if element.get("itemprop") == "author":
        return 0
    if element.get("rel") == "author":
        return 1
    if _NAME_CLASS.search((element.get("class") or "").lower()):
        return 2
    return 3


def _in_other_section(element) -> bool:
    """Author boxes of comments, related articles and sidebars name other people."""
    for ancestor in element.iterancestors():
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if marks.strip() and _SECTIONS_NOT_BYLINES.search(marks):
            return True
    return False


def _spaced_text(element) -> str:
    """The element's text with its pieces kept apart: <span>By</span><a>Jane Doe</a> is
    "By Jane Doe", not "ByJane Doe"."""
    return " ".join(" ".join(piece.split()) for piece in element.itertext() if piece.strip())


def _text(element) -> str:
    if element.get("itemprop") == "author":
        for name in element.iter():
            if name is not element and name.get("itemprop") == "name":
                return _spaced_text(name) or name.get("content") or ""
        return _spaced_text(element) or element.get("content") or ""
    return _spaced_text(element)


def names_in(text: str) -> list[str]:
    """Person names in a byline's text; [] when it does not look like one."""
    text = " ".join(text.split())
    if not text or len(text) > _MAX_CHARS:
        return []
    text = _PREFIX.sub("", text)
    if _USERNAME.match(text) and not _NOT_A_NAME.search(_DIGITS.sub("", text)):
        return [text]  # a user name (forums: "luizjr4", "Noah_B") is kept as written
    date = _DATE_START.search(text)
    if date:
        text = text[:date.start()]
    text = re.split(r"\s+[|•·—–]\s+|\s+-\s+|\s+on\s+(?=\w)|,?\s+(?:last\s+)?(?:updated|published|modified)\b", text,
                    maxsplit=1, flags=re.IGNORECASE)[0]
    if normalize_authors is not None:
        joined = normalize_authors(None, text) or ""
        names = [n.strip() for n in joined.split(";")]
    else:  # pragma: no cover
        names = [n.strip() for n in re.split(r",|;|&|\band\b", text)]
    out = []
    for name in names:
        name = name.strip(" ,;:-–—|·•")
        words = name.split()
        if not words or len(words) > _MAX_WORDS_PER_NAME or _NOT_A_NAME.search(name):
            continue
        if not name[0].isupper():
            continue
        out.append(name)
    return out


def byline_authors(tree) -> list[str]:
    """The names of the surest byline of the page, or []."""
    try:
        found = _candidates(tree)
    except etree.XPathError:  # pragma: no cover
        return []
    for element in sorted(found, key=_rank):  # surest first; page order within a rank (stable sort)
        if element.tag in ("meta", "link", "script", "style"):
            continue
        names = names_in(_text(element))
        if names and not _in_other_section(element):
            return names
    return []
