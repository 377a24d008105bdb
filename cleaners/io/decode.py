"""Bytes to text, and telling HTML from a plain-text dump.

The charset is taken, in order, from a byte-order mark (UTF-8, UTF-16 and UTF-32, both byte
orders), the HTTP header, the page's own <meta charset>, strict UTF-8, UTF-8 with a few broken
bytes replaced (when most non-ASCII characters are valid UTF-8: mostly_utf8), and finally
statistical detection (charset-normalizer), which is what gets cp1251 and koi8-r pages without a
declaration right. A declared charset is used only when the bytes fit it: a UTF-8 page declared
as latin-1, a cp1251 page declared as UTF-8, an ASCII page whose <meta> says utf-16 are all
overruled. UTF-16 without a BOM is recognised by its NUL bytes (every other byte of ASCII markup
is NUL). Codec names Python knows but that are not charsets of web text ("undefined", "rot13",
"base64", "unicode-escape", "utf-7") count as no declaration.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# UTF-32 first: its little-endian BOM starts with UTF-16's. The BOM is cut off, so the codec
# named must carry the byte order (plain "utf-16" would assume the machine's).
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_WIDE = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
# Known to Python, but not charsets a web page is written in (or unsafe to honour, like UTF-7).
_NOT_WEB_CHARSETS = {"undefined", "idna", "punycode", "raw-unicode-escape", "unicode-escape", "utf-7",
                     "mbcs", "oem", "palmos"}
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


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def binary_reason(data: bytes) -> str | None:
    """Why these bytes are not a page (a description of what they look like), or None."""
    head = data[:4096]
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return f"binary data: {what}"
    if any(head.startswith(bom) for bom, _ in _BOMS) or wide_encoding(head):
        return None  # UTF-16/32 text has NUL bytes by design
    if head.count(0) > len(head) // 100:  # a stray NUL in a page is dropped; binary data is full of them
        return "binary data: NUL bytes in the first 4 KiB"
    controls = len(head.translate(None, _NOT_CONTROL))  # bytes < 9 or 14..31, counted in C
    if head and controls / len(head) > 0.05:
        return "binary data: control characters"
    return None


def wide_encoding(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' / 'utf-32-le' / 'utf-32-be' when BOM-less bytes have the NUL
    pattern of mostly-ASCII text in that encoding (markup is ASCII), else None."""
    head = head[:4096]
    if len(head) < 16 or b"\x00" not in head:
        return None
    size = len(head) - len(head) % 4
    if size < 16:
        return None
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        slots = [head[i:size:width].count(0) / (size // width) for i in range(width)]
        if width == 4:
            if slots[2] > 0.9 and slots[3] > 0.9 and slots[0] < 0.5:
                return names[0]
            if slots[0] > 0.9 and slots[1] > 0.9 and slots[3] < 0.5:
                return names[1]
        else:
            if slots[1] > 0.6 and slots[0] < 0.1:
                return names[0]
            if slots[0] > 0.6 and slots[1] < 0.1:
                return names[1]
    return None


def _normal(name: str | None) -> str | None:
    """Python's name of a declared charset, or None when it names no usable text charset."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except (LookupError, ValueError):  # unknown, or a name with a NUL in it
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_WEB_CHARSETS:
        return None
    return info.name


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError, ValueError):
        return None


def _fits_wide(data: bytes, declared: str) -> str | None:
    """The byte-ordered codec for bytes declared UTF-16/32 without a BOM, when they fit it."""
    sniffed = wide_encoding(data)
    if sniffed and sniffed.startswith(declared[:6]):
        return sniffed
    return None


MOSTLY_UTF8_SHARE = 0.5  # of the non-ASCII characters: decoded right, not replaced


def mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with its few broken bytes replaced (U+FFFD), when most of the page's non-ASCII
    characters are valid UTF-8; else None.

    A UTF-8 page with one stray Latin-1 byte (a pasted comment, an ad) is not valid UTF-8, and
    statistical detection then names a single-byte charset that decodes every byte, and turns
    every accented letter of the page into two wrong ones ("schön" read as "schÃķn"): browsers
    keep UTF-8 and replace the bad bytes. Text in another charset is not mostly valid UTF-8:
    GB2312 pages come to ~20 % by chance, Cyrillic cp1251 and Latin-1 text to next to none."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")  # (a real U+FFFD in the page is valid)
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if non_ascii and (non_ascii - broken) / non_ascii >= MOSTLY_UTF8_SHARE:
        return text
    return None


def _utf8(data: bytes) -> str | None:
    """Strict UTF-8, else UTF-8 with a few broken bytes replaced (mostly_utf8), else None."""
    text = _try(data, "utf-8")
    return text if text is not None else mostly_utf8(data)


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page or dump bytes; returns (text, charset used). Raises DecodeError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], encoding)
            if text is None and encoding != "utf-8":  # a UTF-16/32 page cut short: keep what it has
                text = data[len(bom):].decode(encoding, errors="replace")
            if text is not None:
                return text, encoding
    declared = _normal(http_charset)
    if declared in _WIDE:
        declared = _fits_wide(data, declared)
    if declared is None:
        sniffed = wide_encoding(data)
        if sniffed:  # UTF-16/32 without a BOM or a declaration
            text = _try(data[:len(data) - len(data) % (4 if "32" in sniffed else 2)], sniffed)
            if text is not None:
                return text, sniffed
        match = _META_CHARSET.search(data[:8192])
        declared = _normal(match.group(1).decode("ascii", "replace")) if match else None
        if declared in _WIDE:  # a <meta> readable as ASCII cannot be right about UTF-16 (WHATWG)
            declared = None
    if declared in _SINGLE_BYTE and not data.isascii():
        # Single-byte charsets decode anything; valid non-ASCII UTF-8 is a far stronger signal.
        text = _utf8(data)
        if text is not None:
            return text, "utf-8"
    text = _try(data, declared)
    if text is not None:
        return text, declared
    text = _utf8(data)
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
