"""Making every field of a row writable, in one place.

Pages are hostile: JSON-LD may carry `"\\ud800"` escapes (lone surrogates, which no UTF-8 writer
encodes), attributes may hold NULs, a WARC record may claim HTTP status 99999 (the column is
int16), a file name may hold undecodable bytes, a title may be a megabyte long. `safe_fields()`
turns any such value into one that every writer (Parquet, JSON Lines, the crawl's dataset)
accepts: lone surrogates become U+FFFD, NULs are removed, numbers out of their column's range
become None (the value is noted in `error`), strings and lists are cut to sane lengths.

It runs on every row, so the common case is cheap: one compiled-regex scan per string, and no
copy unless something has to change.
"""
from __future__ import annotations

import re
from datetime import date, datetime

# Lone surrogates (U+D800..U+DFFF never appear in valid text) and NUL.
_UNSAFE = re.compile("[\x00\ud800-\udfff]")

# Longest value kept per string column (characters). A value over its limit is cut; the text
# column's limit is the page size limit, so a real article is never cut.
STRING_LIMITS = {
    "url": 8192, "canonical_url": 8192, "final_url": 8192, "site": 255, "title": 2000,
    "description": 10_000, "text": 10 * 1024 * 1024, "published": 64, "modified": 64,
    "section": 500, "language": 35, "content_hash": 64, "extractor": 100, "cleaner_version": 32,
    "status": 32, "error": 4000, "source": 32, "source_path": 8192, "crawl_run_id": 200,
}
DEFAULT_STRING_LIMIT = 10_000
# List columns: at most this many items, each cut to ITEM_LIMIT characters.
LIST_LIMITS = {"authors": 100, "tags": 500}
ITEM_LIMIT = 500
# Integer columns and the range their Parquet type holds (http_status: real statuses are 100..999).
INT_RANGES = {"http_status": (0, 32767), "word_count": (0, 2**31 - 1)}


def safe_str(value, limit: int = DEFAULT_STRING_LIMIT) -> str | None:
    """A str every writer can encode: lone surrogates -> U+FFFD, NULs removed, at most `limit`."""
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        else:
            value = str(value)
    value = _scrub(value, _UNSAFE)
    if len(value) > limit:
        value = value[:limit]
    return value


def _replace(match) -> str:
    char = match.group()
    if char == "\x00":
        return ""
    return " " if char in "\x0b\x0c" else "\ufffd"


def _scrub(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(_replace, text) if pattern.search(text) else text


# What lxml refuses in text (it stops parsing at a lone surrogate and raises on setting a text
# with a control character): C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_XML_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _may_not_be_xml(text: str) -> bool:
    """Whether _NOT_XML occurs in the text, decided in C (a regex scan of a 300 KB page takes
    ~0.7 ms): lone surrogates do not encode to UTF-8, the controls are the only code points whose
    UTF-8 bytes are < 32 (those bytes counted by bytes.translate), U+FFFE/U+FFFF are looked up."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return (len(data.translate(None, _XML_CONTROL_BYTES)) != len(data)
            or "\ufffe" in text or "\uffff" in text)


# Character references to those controls (`&#3;`, `&#x1b`; codes 0-8, 11, 12, 14-31, with any
# leading zeros): libxml2 turns them into the character. Only these references match (not the
# &#39; or &#8217; of every page), so a page without them costs one scan and no copy.
_CONTROL_REF = re.compile(r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])(?![0-9a-fA-F])"
                          r"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01])(?![0-9]))")


def scrub_text(text: str) -> str:
    """A page's text made parseable before lxml sees it: NULs removed, vertical tab and form feed
    as spaces, other control characters (and references to them), lone surrogates and
    non-characters as U+FFFD (lxml stops reading at a lone surrogate, so the rest of the page
    would be lost, and raises when a cleaner sets a text holding a control character)."""
    if _may_not_be_xml(text):
        text = _NOT_XML.sub(_replace, text)
    if "&#" in text and _CONTROL_REF.search(text):
        text = _CONTROL_REF.sub("\ufffd", text)
    return text


def safe_list(values, max_items: int, item_limit: int = ITEM_LIMIT) -> list[str]:
    """A list of safe, non-empty strings, at most max_items long."""
    if values is None:
        return []
    if isinstance(values, (str, bytes)):
        values = [values]
    out = []
    for value in values:
        if len(out) >= max_items:
            break
        item = safe_str(value, item_limit)
        if item:
            out.append(item)
    return out


def safe_int(value, low: int, high: int):
    """(value, None) when it is an int in range, else (None, a note saying what was dropped)."""
    if value is None:
        return None, None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None, f"not a number: {safe_str(repr(value), 60)}"
    if isinstance(value, float) and number != value:
        return None, f"not an integer: {value!r}"
    if not low <= number <= high:
        return None, f"{number} is out of range"
    return number, None


def safe_fields(record: dict) -> dict:
    """The record (an Article's fields, or a row of the article schema) with every value safe.
    Modified in place and returned. Timestamps and dates that are not datetime/date objects are
    left to the schema code (article_record converts them)."""
    notes = []
    for name, value in record.items():
        if value is None:
            continue
        if name in LIST_LIMITS:
            record[name] = safe_list(value, LIST_LIMITS[name])
        elif name in INT_RANGES:
            number, note = safe_int(value, *INT_RANGES[name])
            record[name] = number
            if note:
                notes.append(f"{name} {note}, left empty")
        elif isinstance(value, (datetime, date, bool)):
            continue
        elif name in ("fetched_at", "published_date"):
            continue  # converted (or refused) by the schema code
        else:
            record[name] = safe_str(value, STRING_LIMITS.get(name, DEFAULT_STRING_LIMIT))
    if notes:
        error = "; ".join(filter(None, [record.get("error"), *notes]))
        record["error"] = safe_str(error, STRING_LIMITS["error"])
    return record


def safe_article(article):
    """The Article with every field safe (in place; returned for chaining)."""
    safe_fields(article.__dict__)
    if not isinstance(article.text, str):
        article.text = ""
    if article.word_count is None:
        article.word_count = 0
    return article
