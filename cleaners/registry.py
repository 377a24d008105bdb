"""Site cleaners, registered by domain and by the signatures their text dumps carry.

A site module under `cleaners.sites` calls `register(SiteCleaner(...))` at import time. The core
looks a cleaner up by the page's URL (any subdomain of a registered domain matches, so
actualidad.rt.com finds the RT cleaner) or, for a text dump with no URL, by its signatures.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .article import Extracted

HtmlCleaner = Callable[[HtmlElement, "str | None"], "Extracted | None"]
TextCleaner = Callable[[str], "Extracted | None"]


@dataclass(frozen=True)
class SiteCleaner:
    name: str  # short name: the extractor is reported as "site:<name>"
    site: str  # the main registered domain, reported when the page's URL is unknown
    domains: tuple[str, ...]  # registered domains; each matches itself and all its subdomains
    clean_html: HtmlCleaner  # returns None when the page is not in a template it knows
    clean_text: TextCleaner  # returns None when the dump does not look like this site's
    # Regular expressions searched in a text dump (or page text) to recognise the site without a URL.
    signatures: tuple[re.Pattern, ...] = field(default_factory=tuple)

    @property
    def extractor(self) -> str:
        return f"site:{self.name}"


_CLEANERS: list[SiteCleaner] = []
_BY_DOMAIN: dict[str, SiteCleaner] = {}


def register(cleaner: SiteCleaner) -> SiteCleaner:
    for domain in cleaner.domains:
        domain = domain.lower().strip(".")
        if domain in _BY_DOMAIN and _BY_DOMAIN[domain] is not cleaner:
            raise ValueError(f"domain {domain} is registered twice "
                             f"({_BY_DOMAIN[domain].name} and {cleaner.name})")
        _BY_DOMAIN[domain] = cleaner
    _CLEANERS.append(cleaner)
    return cleaner


def _load_sites() -> None:
    from . import sites  # noqa: F401  (importing the package registers every site module)


def all_cleaners() -> list[SiteCleaner]:
    _load_sites()
    return list(_CLEANERS)


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def find_by_url(url: str | None) -> SiteCleaner | None:
    """The cleaner registered for the URL's host or any of its parent domains."""
    _load_sites()
    host = host_of(url)
    if not host:
        return None
    labels = host.split(".")
    for i in range(len(labels) - 1):
        cleaner = _BY_DOMAIN.get(".".join(labels[i:]))
        if cleaner:
            return cleaner
    return None


def find_by_text(text: str) -> SiteCleaner | None:
    """The cleaner whose signatures match the text (a dump or the page's visible text)."""
    _load_sites()
    best, best_hits = None, 0
    for cleaner in _CLEANERS:
        hits = sum(1 for pattern in cleaner.signatures if pattern.search(text))
        if hits > best_hits:
            best, best_hits = cleaner, hits
    return best
