"""Generic junk rules for text: what is boilerplate on any news site.

They work on lines (paragraphs) and only ever drop a line that matches a junk pattern as a
whole; a line that carries article prose is never touched. When unsure, the line is kept.
Site cleaners use the same rules after their own.
"""
from __future__ import annotations

import re

from .article import Extracted, count_words

# A line that is only a widget label, an ad slot, a share button or similar.
_JUNK_EXACT = {
    "read more", "read more:", "also read", "also read:", "read also", "related", "related:",
    "related articles", "related stories", "related news", "related content", "more stories",
    "more on this story", "recommended", "recommended for you", "you may also like",
    "you might also like", "see also", "trending", "trending now", "most read", "most popular",
    "top stories", "latest news", "advertisement", "advertisment", "ad", "ads", "sponsored",
    "sponsored content", "story continues below advertisement", "continue reading below",
    "share", "share this", "share this article", "share this story", "share on facebook",
    "share on twitter", "share via email", "tweet", "print", "email", "e-mail", "copy link",
    "copy url", "link copied", "get short url", "listen live", "listen to this article",
    "follow us", "follow us on", "subscribe", "subscribe now", "sign up", "sign in", "log in",
    "newsletter", "accept", "accept all", "accept cookies", "reject all", "manage cookies",
    "cookie settings", "got it", "close", "skip to content", "skip to main content", "menu",
    "search", "comments", "show comments", "leave a comment", "podcasts", "all podcasts",
    "watch live", "loading...", "loading", "back to top", "next article", "previous article",
}
_JUNK_PATTERNS = [
    re.compile(p, re.IGNORECASE) for p in (
        r"^(read more|also read|read also|see also|related|recommended|watch|listen)\s*[:|»>-]\s*.{0,200}$",
        r"^(READ|ALSO READ|MUST READ)\s*\|\s*.{0,200}$",
        r"^(this (web)?site|we) uses? cookies\b.{0,300}$",
        r"^.{0,200}\b(accept|allow|manage) (all )?cookies\b.{0,100}$",
        r"^by (continuing to )?(using|browsing) this (web)?site.{0,200}cookies.{0,100}$",
        r"^(share|follow)( us| this( article| story)?)?( on| via)? (facebook|twitter|x|telegram|whatsapp|"
        r"linkedin|email|reddit|vk|instagram|youtube)([ ,/]+\w+){0,6}$",
        r"^\d{1,2}:\d{2}(:\d{2})?$",  # media player timestamps
        r"^(©|\(c\)|copyright\b).{0,200}(all rights reserved|\d{4}).{0,100}$",
        r"^©.{0,150}$",  # photo credits and copyright notices
        r"^(photo|image|picture|file photo|credit)s?\s*:.{0,120}$",
        r"^\((photo|image|picture)s?\s*:.{0,80}\)$",
        r"^comment via .{0,60}$",
        r"^community standards.{0,40}$",
    )
]
# Icon-font sprite text, e.g. "icon bookmark-bicon bookmarkicon cameraicon checkicon …".
_ICON_WORD = re.compile(r"\S*icon\b", re.IGNORECASE)


def is_icon_run(line: str) -> bool:
    words = line.split()
    return len(words) >= 6 and len(_ICON_WORD.findall(line)) >= max(5, len(words) // 3)


def junk_rule(line: str) -> str | None:
    """The name of the rule that makes the line junk ("exact:<label>", "icon-run",
    "pattern:<n>"), or None. bench/quality.py uses it to log what each rule drops."""
    stripped = line.strip()
    if not stripped:
        return None
    folded = " ".join(stripped.lower().split())
    if folded in _JUNK_EXACT:
        return f"exact:{folded}"
    if folded.rstrip(".:…") in _JUNK_EXACT:
        return f"exact:{folded.rstrip('.:…')}"
    if is_icon_run(stripped):
        return "icon-run"
    for n, pattern in enumerate(_JUNK_PATTERNS):
        if pattern.match(stripped):
            return f"pattern:{n}"
    return None


def is_junk_line(line: str) -> bool:
    """True only for lines that are boilerplate as a whole (never for article prose)."""
    return junk_rule(line) is not None


_READ_MORE = {"read more", "also read", "read also", "related", "see also"}


def drop_read_more_widgets(lines: list[str]) -> list[str]:
    """Drop the "headline / Read more / same headline" widget (and "Read more / headline")."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        folded = line.strip().lower().rstrip(":")
        if folded in _READ_MORE:
            if out and i + 1 < len(lines) and out[-1].strip() == lines[i + 1].strip():
                out.pop()  # the headline before, the label, the same headline after
                i += 2
                continue
            if i + 1 < len(lines) and count_words(lines[i + 1]) <= 20 and not lines[i + 1].rstrip().endswith("."):
                i += 2  # label, then one linked headline
                continue
        out.append(line)
        i += 1
    return out


def drop_repeats(lines: list[str], title: str | None = None) -> list[str]:
    """Drop lines that repeat the title, and short lines repeated back to back."""
    out: list[str] = []
    title_key = " ".join(title.split()).casefold() if title else None
    for line in lines:
        key = " ".join(line.split()).casefold()
        if title_key and key == title_key:
            continue
        if out and key == " ".join(out[-1].split()).casefold() and count_words(line) <= 25:
            continue
        out.append(line)
    return out


def filter_paragraphs(paragraphs: list[str], title: str | None = None) -> list[str]:
    lines = drop_read_more_widgets([p for p in paragraphs if p.strip()])
    lines = [line for line in lines if not is_junk_line(line)]
    return drop_repeats(lines, title)


def _is_prose(line: str) -> bool:
    """A line that reads as a paragraph of running text."""
    words = count_words(line)
    return words >= 15 or (words >= 6 and line.rstrip()[-1:] in '.!?"”»…')


def clean_dump(text: str) -> Extracted:
    """Generic path for a text dump of a site we have no cleaner for.

    The article body runs from the first to the last line of running prose; short lines in between
    (subheadings) are kept, junk lines are dropped. The title is the last short heading-like line
    before the body."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in drop_read_more_widgets([x for x in lines if x]) if not is_junk_line(line)]
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    if not prose:
        return Extracted()
    start, end = prose[0], prose[-1]
    title = None
    for line in reversed(lines[:start]):
        if 2 <= count_words(line) <= 25 and not line.endswith("."):
            title = line
            break
    body = drop_repeats(lines[start:end + 1], title)
    return Extracted(paragraphs=body, title=title)
