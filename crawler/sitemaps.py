"""Reading sitemaps and feeds from hostile servers: bounded inflation and no entity expansion.

Scrapy's Sitemap parser (lxml with resolve_entities=False) does not expand entities, but it does
not refuse them either: a billion-laughs sitemap comes out as an empty sitemap (its real URLs
lost without a word) and an external entity leaves a truncated <loc>. A sitemap or feed has no
use for a DTD, so one that declares entities or names an external DTD is refused here, before
parsing, and the refusal is counted in the run manifest. Gzipped sitemaps are inflated with a
limit (a 1 MB file can inflate to gigabytes).
"""
from __future__ import annotations

import re
import zlib

ENTITIES = "entity declarations"
EXTERNAL_DTD = "external DTD"
TOO_LARGE = "too large"
NOT_XML = "not XML"
BROKEN_GZIP = "broken gzip"
LOOP = "sitemap index loop"
TOO_DEEP = "sitemap index too deep"

_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_EXTERNAL = re.compile(rb"<!DOCTYPE[^>\[]*\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
_CHUNK = 1 << 20


class Refused(ValueError):
    """A sitemap or feed that is not read; `reason` is one of the constants above."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}{': ' + detail if detail else ''}")
        self.reason = reason


def inflate(body: bytes, limit: int) -> bytes:
    """The bytes of a gzip file (or the body itself when it is not gzipped), at most `limit`
    bytes once inflated: Refused(TOO_LARGE) past it, Refused(BROKEN_GZIP) for a corrupt file.
    Inflates a chunk at a time, so memory never holds more than the limit."""
    if body[:2] != b"\x1f\x8b":
        if len(body) > limit:
            raise Refused(TOO_LARGE, f"{len(body)} bytes, over {limit}")
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    data = body
    try:
        while data and not inflater.eof:
            out += inflater.decompress(data, _CHUNK)
            if len(out) > limit:
                raise Refused(TOO_LARGE, f"inflates past {limit} bytes ({len(body)} bytes gzipped)")
            data = inflater.unconsumed_tail
        out += inflater.flush()
    except zlib.error as exc:
        raise Refused(BROKEN_GZIP, str(exc)) from exc
    if len(out) > limit:
        raise Refused(TOO_LARGE, f"inflates past {limit} bytes ({len(body)} bytes gzipped)")
    return bytes(out)


def check_xml(body: bytes) -> bytes:
    """The body when it may be read as a sitemap or feed; Refused otherwise."""
    if b"<" not in body[:2048]:
        raise Refused(NOT_XML)
    if _ENTITY.search(body):
        raise Refused(ENTITIES)
    if _EXTERNAL.search(body[:65536]):
        raise Refused(EXTERNAL_DTD)
    return body
