"""The page-to-row step of the crawl: a fetched page (crawler.items.PageItem, or its dict as a
cleaning worker receives it) becomes one row of the article schema.

Its one home: the item pipeline (crawler.pipelines), the cleaning workers (crawler.cleanpool), the
feed exporter and the contracts all import it from here, and it imports none of them.

Guarantee: page_to_row() returns a row for every page. `cleaners.clean()` never raises for bad
input, and anything else that fails while the row is assembled (a bug of ours) gives a
cleaner_error row that names the exception instead of losing the page.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from cleaners import clean
from cleaners.article import STATUS_CLEANER_ERROR, STATUS_NOT_HTML, error_article
from cleaners.core import MAX_BYTES
from cleaners.io.schema import article_record
from cleaners.metadata.urls import registered_domain
from cleaners.registry import host_of

from .items import ArticleRow

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header (`text/html; charset=UTF-16LE` -> UTF-16LE)."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _site_of(article, page) -> str | None:
    url = page.get("url")
    for candidate in (article.canonical_url, page.get("site_url"), url):
        try:
            domain = registered_domain(candidate)
        except (ValueError, UnicodeError):  # a hostile host name: fall through to the next
            domain = None
        if domain:
            return domain
    return page.get("default_site") or host_of(url)


def _article_of(page, max_bytes: int):
    url = page.get("url")
    final_url = page.get("final_url") or url
    content_type = (page.get("content_type") or "").split(";")[0].strip().lower()
    if page.get("error_status"):
        return error_article(page["error_status"], page.get("error") or page["error_status"], url=url)
    if content_type and not content_type.startswith(HTML_TYPES) and not content_type.endswith("+xml"):
        return error_article(STATUS_NOT_HTML, f"content type {content_type} is not a web page", url=url)
    charset = page.get("http_charset") or charset_of(page.get("content_type"))
    return clean(page.get("body"), url=final_url, kind="html", http_charset=charset, max_bytes=max_bytes)


def page_to_row(page, run_id: str | None, max_bytes: int = MAX_BYTES) -> ArticleRow:
    """Clean one fetched page into a row of the article schema (always a row, see the module)."""
    url = page.get("url")
    try:
        article = _article_of(page, max_bytes)
        if not article.site:
            article.site = _site_of(article, page)
        record = _record(article, page, run_id)
    except Exception as exc:  # noqa: BLE001 - a bug of ours must cost one page its text, not its row
        log.exception("could not make a row of %s", url)
        return error_row(page, run_id, STATUS_CLEANER_ERROR, f"{type(exc).__name__}: {exc}"[:500])
    row = ArticleRow(record)
    row.site_url = page.get("site_url")
    return row


def _record(article, page, run_id) -> dict:
    article.url = page.get("url") or article.url  # the site's own URL keys the row (before sanitising)
    record = article_record(
        article,
        final_url=page.get("final_url") or page.get("url"),
        fetched_at=page.get("fetched_at") or datetime.now(timezone.utc),
        http_status=page.get("http_status"),
        source=page.get("source"),
        crawl_run_id=run_id,
    )
    return record


def error_row(page, run_id: str | None, status: str, reason: str) -> ArticleRow:
    """An error row for a page, made from its URLs and fetch facts only (no cleaning)."""
    url = page.get("url")
    article = error_article(status, reason, url=url)
    try:
        article.site = _site_of(article, page)
    except Exception:  # noqa: BLE001
        article.site = page.get("default_site")
    record = _record(article, {**dict(page), "http_status": page.get("http_status")}, run_id)
    row = ArticleRow(record)
    row.site_url = page.get("site_url")
    return row
