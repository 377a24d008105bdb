"""The article table's schema: one explicit pyarrow schema for saved pages and crawls alike.

SCHEMA_VERSION is written into every file's metadata (key `newsclean.schema_version`); it
changes only when a column is removed, renamed or changes type. Adding a column is backwards
compatible and does not change it.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pyarrow as pa

from ..article import Article
from ..safe import safe_fields

SCHEMA_VERSION = "1"
METADATA_KEY = b"newsclean.schema_version"

_COLUMNS: list[tuple[str, pa.DataType, str]] = [
    ("url", pa.string(), "the page's URL (the one asked for, or the page's canonical URL)"),
    ("canonical_url", pa.string(), "the page's own canonical URL (link rel=canonical or og:url)"),
    ("final_url", pa.string(), "the URL after redirects (crawls); null for saved pages"),
    ("site", pa.string(), "registered domain, e.g. rt.com for actualidad.rt.com"),
    ("title", pa.string(), "headline"),
    ("description", pa.string(), "standfirst / lead, kept out of text"),
    ("text", pa.string(), "article body: paragraphs joined by one blank line; empty on error rows"),
    ("authors", pa.list_(pa.string()), "bylines, in page order"),
    ("published", pa.string(), "ISO 8601 as stated by the page, offset kept where known"),
    ("modified", pa.string(), "ISO 8601 as stated by the page, offset kept where known"),
    ("published_date", pa.date32(), "calendar date of `published` as stated by the page"),
    ("section", pa.string(), "site section (breadcrumb / article:section)"),
    ("tags", pa.list_(pa.string()), "the page's own tags / keywords"),
    ("language", pa.string(), "ISO 639-1 code detected from the text (declared when text is short)"),
    ("word_count", pa.int32(), "words in text (\\w+ runs; each Chinese or Japanese character one word)"),
    ("content_hash", pa.string(), "sha256 of the case- and space-normalised text"),
    ("extractor", pa.string(), "which path made the row: site:<name>/<template> (e.g. site:rt/2026), "
     "blocks, trafilatura, readability, text-model"),
    ("cleaner_version", pa.string(), "newsclean cleaner version"),
    ("status", pa.string(), "ok, or the error reason (empty, not_html, no_article, too_large, ...)"),
    ("error", pa.string(), "what went wrong, for error rows"),
    ("source", pa.string(), "how the page was found: saved, sitemap, rss, link"),
    ("source_path", pa.string(), "saved pages: the file (and WARC record) it came from"),
    ("fetched_at", pa.timestamp("us", tz="UTC"), "when the page was fetched (crawls, WARC records)"),
    ("http_status", pa.int16(), "HTTP status of the response (crawls, WARC records)"),
    ("crawl_run_id", pa.string(), "the crawl run that fetched it; null for saved pages"),
    # added after schema version 1 (backwards compatible: new columns go at the end, nullable)
    ("fallback_from", pa.string(), "a registered site's page in no template its cleaner knows: the "
     "cleaner (site:<name>) whose rules did not match; the row came from the generic path"),
]

ARTICLE_SCHEMA = pa.schema(
    [pa.field(name, dtype, metadata={b"description": doc.encode()}) for name, dtype, doc in _COLUMNS],
    metadata={METADATA_KEY: SCHEMA_VERSION.encode()},
)
COLUMN_DOCS = {name: (str(dtype), doc) for name, dtype, doc in _COLUMNS}

# The crawl dataset is hive-partitioned by crawl_date and site: as in every hive dataset, the
# partition columns live in the folder names, not in the files (readers add them back; a column
# in both places makes pyarrow and pandas refuse the dataset).
PARTITION_COLUMNS = ("site",)
DATASET_SCHEMA = ARTICLE_SCHEMA
for _name in PARTITION_COLUMNS:
    DATASET_SCHEMA = DATASET_SCHEMA.remove(DATASET_SCHEMA.get_field_index(_name))


def _published_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _utc(value) -> datetime | None:
    """A timezone-aware datetime, or None for a value that is not a time (a WARC-Date of garbage)."""
    if value is None or isinstance(value, datetime):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def article_record(article: Article, **extra) -> dict:
    """One row of ARTICLE_SCHEMA: the article's fields plus the crawl/source columns in `extra`,
    every value made writable (cleaners.safe: surrogates, NULs, ranges, lengths)."""
    unknown = set(extra) - set(ARTICLE_SCHEMA.names)
    if unknown:
        raise KeyError(f"not columns of the article schema: {sorted(unknown)}")
    record = {name: None for name in ARTICLE_SCHEMA.names}
    record.update(article.to_dict())
    record.update(extra)
    safe_fields(record)
    record["published_date"] = _published_date(record["published"])
    record["fetched_at"] = _utc(record["fetched_at"])
    return record


def unwritable_row(record: dict, reason: str, names=None) -> dict:
    """The error row that stands for a row a writer rejected: status cleaner_error, the reason
    in `error`, the row's identity (URLs, source path, run) kept, so the page is not lost."""
    from ..article import STATUS_CLEANER_ERROR, CLEANER_VERSION

    names = names or ARTICLE_SCHEMA.names
    keep = ("url", "canonical_url", "final_url", "site", "source", "source_path", "crawl_run_id",
            "extractor")
    row = {name: None for name in names}
    for name in keep:
        if name in row and isinstance(record.get(name), str):
            row[name] = record[name]
    row.update(status=STATUS_CLEANER_ERROR, cleaner_version=CLEANER_VERSION,
               error=f"row not writable: {reason}")
    if "authors" in row:
        row["authors"] = row["tags"] = []
    if "word_count" in row:
        row["word_count"] = 0
    return safe_fields(row)
