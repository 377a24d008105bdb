"""Dates as ISO 8601 strings, keeping the page's offset where it states one.

Site cleaners know their sites' date formats and zones (RT's "19 Feb, 2022 14:15", Republic
World's "January 17th, 2022 at 13:14 IST"); they pass the zone explicitly because abbreviations
such as IST are ambiguous. Free-form dates go through dateparser.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import dateparser

_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
_DATEPARSER_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
                        "STRICT_PARSING": False, "REQUIRE_PARTS": ["year", "month", "day"]}


def fixed_zone(hours: int, minutes: int = 0) -> timezone:
    return timezone(timedelta(hours=hours, minutes=minutes))


IST = fixed_zone(5, 30)


def iso(value: datetime | None) -> str | None:
    """Seconds precision; the offset only when the datetime has one."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat()


def parse_iso(value: str | None) -> str | None:
    """Normalise a machine-readable date (JSON-LD, meta tags, <time datetime>) to ISO 8601."""
    if not value:
        return None
    value = value.strip()
    candidate = value[:-1] + "+00:00" if value.endswith("Z") else value
    candidate = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", candidate)  # +0530 -> +05:30
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return parse_text(value)
    if len(value) <= 10:  # a bare date: keep it a date
        return parsed.date().isoformat()
    return iso(parsed)


def parse_text(value: str | None, *, formats: tuple[str, ...] = (), zone: timezone | None = None,
               languages: list[str] | None = None) -> str | None:
    """Parse a human-readable date: the given strptime formats first, dateparser after.

    `zone` is attached when the text itself states no offset (the site's known zone)."""
    if not value:
        return None
    text = _ORDINAL.sub(r"\1", " ".join(value.split()))
    parsed = None
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = dateparser.parse(text, languages=languages, settings=_DATEPARSER_SETTINGS)
        except Exception:  # dateparser raises assorted errors on odd input
            parsed = None
    if parsed is None:
        return None
    if parsed.tzinfo is None and zone is not None:
        parsed = parsed.replace(tzinfo=zone)
    return iso(parsed)
