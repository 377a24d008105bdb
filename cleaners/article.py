"""The Article record that every cleaning path returns, and the helpers that finish it.

Every path (site cleaner, trafilatura, readability, text rules) fills an `Extracted` with what
it found; `finish()` turns that into an `Article` by adding the fields that are computed the same
way for every path (site, language, word count, content hash), so they can never disagree.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache

CLEANER_VERSION = "0.1.0"

STATUS_OK = "ok"
# Error reasons: Article.status is one of these when no article could be made.
STATUS_EMPTY = "empty"  # nothing but whitespace
STATUS_NOT_HTML = "not_html"  # binary data or a format we do not read (PDF, image, archive)
STATUS_NO_ARTICLE = "no_article"  # a page, but no article text on it
STATUS_TOO_LARGE = "too_large"  # over the size limit
STATUS_DECODE_ERROR = "decode_error"  # bytes that no charset decodes to text
STATUS_PARSE_ERROR = "parse_error"  # markup that no parser could read
STATUS_FETCH_ERROR = "fetch_error"  # (crawler) the page could not be fetched
STATUS_READ_ERROR = "read_error"  # (saved pages) the file could not be read
STATUS_CLEANER_ERROR = "cleaner_error"  # a bug of ours met an unexpected page: reported, not raised
STATUS_TIMEOUT = "timeout"  # cleaning ran past the time limit per page; the worker was killed
ERROR_STATUSES = (
    STATUS_EMPTY,
    STATUS_NOT_HTML,
    STATUS_NO_ARTICLE,
    STATUS_TOO_LARGE,
    STATUS_DECODE_ERROR,
    STATUS_PARSE_ERROR,
    STATUS_FETCH_ERROR,
    STATUS_READ_ERROR,
    STATUS_CLEANER_ERROR,
    STATUS_TIMEOUT,
)

_SPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def normalise_paragraph(text: str) -> str:
    """Collapse runs of white space inside a paragraph and trim it (NFC, no-break spaces too).
    Soft hyphens go: they only mark where a word may break at a line end (German pages hyphenate
    every word with them), and left in they split each word for search and counting."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return _SPACE_RUN.sub(" ", text.replace("\r", " ").replace("\n", " ")).strip()


def join_paragraphs(paragraphs) -> str:
    """Article text is its paragraphs, each normalised, joined by one blank line."""
    return "\n\n".join(p for p in (normalise_paragraph(x) for x in paragraphs) if p)


def content_hash(text: str) -> str:
    """A hash of the text that ignores case and white space, so a re-fetch that only
    re-wraps lines or changes typography of spaces is recognised as the same article."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


# Chinese and Japanese are written without spaces: each Han or kana character counts as a word
# (the convention of word processors' counts for these scripts), every other \w+ run as one.
# Counted as runs, a Japanese article of four paragraphs was "19 words", below every bar of the
# generic path, and came out as no_article. Korean separates its words with spaces.
_SPACELESS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_SPACELESS}]|[^\W{_SPACELESS}]+")


PROSE_WORDS = 10


def has_prose(paragraphs: list[str]) -> bool:
    """Whether the generic path found running text, not just a menu or a list of links: at least
    one sentence-long paragraph (PROSE_WORDS words). Without it a page is "no_article", and
    before that the fallback extractors get a turn (generic/extract.py)."""
    return any(count_words(p) >= PROSE_WORDS for p in paragraphs)


def count_words(text: str) -> int:
    """Words: \\w+ runs, each Chinese or Japanese character one word. The generic path asks
    about the same paragraph several times (its extractors, the article end, the text rules):
    short texts are counted once (cached)."""
    if len(text) > 1000:
        return len(_WORD.findall(text))
    return _count_short(text)


@lru_cache(maxsize=4096)
def _count_short(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class Extracted:
    """What one cleaning path found on a page, before the common fields are computed."""

    paragraphs: list[str] = field(default_factory=list)
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str | None = None  # canonical URL found in the page, if any
    language: str | None = None  # declared language, if any (detection is the fallback)
    template: str | None = None  # site cleaners: the template that matched ("2026", "en-2015", …)


@dataclass
class Article:
    url: str | None = None
    canonical_url: str | None = None  # the page's own <link rel=canonical> / og:url
    site: str | None = None
    title: str | None = None
    description: str | None = None
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    word_count: int = 0
    content_hash: str | None = None
    extractor: str | None = None
    cleaner_version: str = CLEANER_VERSION
    status: str = STATUS_OK
    error: str | None = None
    # A page of a registered site whose template no rule of the site's cleaner recognised: the
    # cleaner's name ("site:rt"); the row came from the generic path. A redesign shows as many.
    fallback_from: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    def to_dict(self) -> dict:
        return asdict(self)


def error_article(status: str, error: str, *, url: str | None = None, site: str | None = None,
                  extractor: str | None = None) -> Article:
    """An error record: status says why, error says what happened, text stays empty."""
    return Article(url=url, site=site, status=status, error=error, extractor=extractor)
