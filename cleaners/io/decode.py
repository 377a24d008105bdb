"""Bytes to text, and telling HTML from a plain-text dump.

The charset is taken, in order, from a byte-order mark, the HTTP header, the page's own
<meta charset>, strict UTF-8, and finally statistical detection (charset-normalizer), which is
what gets cp1251 and koi8-r pages without a declaration right. A declared charset that does not
fit the bytes (a UTF-8 page declared as latin-1, a cp1251 page declared as UTF-8) is overruled.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}

# Magic numbers of formats that are never an article page.
_BINARY_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"),
    (b"7z\xbc\xaf", "a 7z archive"), (b"RIFF", "a RIFF media file"), (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"), (b"\x00\x00\x01\x00", "an icon"), (b"wOFF", "a web font"),
    (b"\x7fELF", "an executable"), (b"BZh", "bzip2 data"), (b"\xfd7zXZ", "xz data"),
)


class DecodeError(ValueError):
    pass


def binary_reason(data: bytes) -> str | None:
    """Why these bytes are not a page (a description of what they look like), or None."""
    head = data[:4096]
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return f"binary data: {what}"
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text has NUL bytes by design
    if b"\x00" in head:
        return "binary data: NUL bytes in the first 4 KiB"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        return "binary data: control characters"
    return None


def _normal(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page or dump bytes; returns (text, charset used). Raises DecodeError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], encoding)
            if text is not None:
                return text, encoding
    declared = _normal(http_charset)
    if declared is None:
        match = _META_CHARSET.search(data[:8192])
        declared = _normal(match.group(1).decode("ascii", "replace")) if match else None
    if declared in _SINGLE_BYTE and not data.isascii():
        # Single-byte charsets decode anything; valid non-ASCII UTF-8 is a far stronger signal.
        text = _try(data, "utf-8")
        if text is not None:
            return text, "utf-8"
    text = _try(data, declared)
    if text is not None:
        return text, declared
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        text = _try(data, best.encoding)
        if text is not None:
            return text, best.encoding
    if declared:  # declared but with a few broken bytes: keep the page, mark nothing lost silently
        return data.decode(declared, errors="replace"), declared
    raise DecodeError("no charset decodes these bytes (not UTF-8, none declared, none detected)")


_HTML_MARKERS = re.compile(r"<(!doctype\s+html|html|head|body|meta|title|div|p|article|section|table|span|a\s)[\s>/]",
                           re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """HTML if it starts with markup or carries common tags near its start; else a text dump."""
    head = text[:8192].lstrip()
    if head.startswith("<") and re.match(r"<[!?a-zA-Z]", head):
        return True
    return len(_HTML_MARKERS.findall(head)) >= 3
