"""Sections that are not the article: what a heading such as "Comments", "Related stories",
"Also on HuffPost", "About the author" or "Most popular" opens, after the article's text; photo
galleries beside the article (without_galleries); and paragraphs the page repeats.

Why: the block classifier judges each block by its features and surroundings, and reader
comments, other stories' summaries, gallery captions and author boxes under an article look like
its paragraphs. Their heading says what they are, in words the lexicon holds per language
(cleaners/lexicon/sections.json, data: no code per site or per language).

The section a heading opens is the largest element around it that does not hold the article text
chosen before it (the related box, the comment list), so the article's own paragraphs, before the
heading, are never in it. When that element is the heading itself (old blog templates put the
comments as siblings of the post's paragraphs), a comment heading's section runs over its
following siblings up to the next heading of its rank or higher (the HTML outline).

When unsure, keep: nothing goes before WORDS_BEFORE chosen words of the article; a section that
would take more chosen words than the article before it stays (the heading was then above the
article: a "Related" box in the header, a comment count by the byline), except a comment
heading's outline section (threads are often longer than the post).

Measured (bench/README.md, "Sections after the article and repeated paragraphs"): dragnet-2013
F1 0.8967 -> 0.9011, WCXB tuning part 0.8795 -> 0.8796; with the repeats, 0.9019 and 0.8817;
galleries: dragnet 0.9060 -> 0.9084, WCXB tuning unchanged (with carousels and sliders as
galleries: WCXB -0.002, its review and quote carousels are content).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..article import PROSE_WORDS, count_words
from .articlebody import ARTICLE_BODY_WORDS, prose_words
from .widgets import fold, is_spaced

LEXICON_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "sections.json"
WORDS_BEFORE = 30  # chosen words before a heading for it to end the article
HEADING_MAX_WORDS = 8  # "Also on HuffPost", "More from Brew Crew Ball"
OPEN_HEADING_MAX_WORDS = 20  # "3 Responses to “The title of the post”"
HEADING_MAX_CHARS = 250
SITE_NAME_WORDS = 3  # words a site's name may add after "Also on", "More from" (lexicon: site_headings)
MAX_HEADINGS = 20  # headings judged per page (each costs a walk of its section)
REPEAT_WORDS = 8  # a paragraph this long seen twice is a copy (print version, mobile duplicate)
_LINKED = 0.5  # an outline heading is not a link (a comment count by the byline is one)
_TRIM = " :：|-–—»›>•*#()[].,!"
_COUNT = re.compile(r"\(\s*\d+\s*\)|\d+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """Every list of the lexicon, all languages together and folded: sets for whole-text matches,
    sorted tuples for openings (str.startswith) and substrings; 'first' holds the first word of
    every heading, for a shortcut."""
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))

    def every(kind):
        return {fold(p) for phrases in data.get(kind, {}).values() for p in phrases}
    found = {"headings": every("headings"), "open": tuple(sorted(every("open_headings"))),
             "comment": tuple(sorted(every("comment_words"))), "counts": every("count_words"),
             "site": every("site_headings"), "form": every("comment_form"),
             "footer": tuple(sorted(every("post_footer"))),
             "newsletter": tuple(sorted(every("newsletter_nouns"))), "subscribe": every("newsletter_verbs")}
    # the first word of every heading: a block whose first word is none of them is no heading
    found["first"] = {_first_word(p) for p in found["headings"] | set(found["open"]) | found["counts"] | found["site"]}
    return found


def _first_word(text: str) -> str | None:
    """The first run of letters, lower-cased; None for scripts written without spaces (CJK),
    whose headings are matched whole."""
    match = _LETTERS.search(text[:60])
    if match is None:
        return ""
    word = match.group(0).casefold()
    return word if word.isascii() or is_spaced(word) else None


def _core(text: str) -> str:
    """The heading's words without counts and separators: "12 Comments:" -> "comments"."""
    core = " ".join(_COUNT.sub(" ", fold(text)).split()).strip(_TRIM)
    first, _, rest = core.partition(" ")
    if rest and first in lexicon()["counts"]:
        core = rest
    return core


def is_section_heading(text: str) -> bool:
    """The text is a heading of a section that is not the article."""
    if len(text) > HEADING_MAX_CHARS:
        return False
    first = _first_word(text)
    if first is not None and first not in lexicon()["first"]:
        return False  # (a shortcut: most short blocks of a page open with another word)
    if count_words(text) > OPEN_HEADING_MAX_WORDS:
        return False
    core = _core(text)
    if not core:
        return False
    words = lexicon()
    if core.startswith(words["open"]):
        return True
    if count_words(core) > HEADING_MAX_WORDS:
        return False
    if core in words["headings"]:
        return True
    parts = core.split()
    for cut in range(max(1, len(parts) - SITE_NAME_WORDS), len(parts)):
        if " ".join(parts[:cut]) in words["site"]:
            return True
    return False


def is_comment_form_line(text: str) -> bool:
    """A whole line of a comment form or of its empty thread ("Leave a Reply", "Name (required)",
    "No comments yet."), in the lexicon's languages."""
    if len(text) > FORM_LINE_MAX_CHARS:
        return False
    folded = fold(text)
    return folded in lexicon()["form"] or folded.rstrip(".:* ") in lexicon()["form"]


POST_FOOTER_MAX_WORDS = 80
FORM_LINE_MAX_CHARS = 80


def is_post_footer_line(text: str) -> bool:
    """A blog template's line under the post ("This entry was posted on … and is filed under …")."""
    return (text[:1].isalpha() and fold(text[:60]).startswith(lexicon()["footer"])
            and count_words(text) <= POST_FOOTER_MAX_WORDS)


NEWSLETTER_MAX_WORDS = 40
NEWSLETTER_MAX_CHARS = 300


def is_newsletter_prompt(text: str) -> bool:
    """A short line that names a newsletter and asks to subscribe ("Sign-up to the Daily Blog Tips
    newsletter and get a free eBook"); an article sentence about a newsletter is longer, or has
    no subscription verb."""
    if count_words(text) > NEWSLETTER_MAX_WORDS or len(text) > NEWSLETTER_MAX_CHARS:
        return False  # (the characters hold scripts without spaces, where one "word" is a line)
    folded = fold(text)
    words = lexicon()
    if not any(noun in folded for noun in words["newsletter"]):
        return False
    tokens = set(_WORD.findall(folded))
    return any(verb in folded if (" " in verb or "-" in verb or not is_spaced(verb)) else verb in tokens
               for verb in words["subscribe"])


def is_comment_heading(text: str) -> bool:
    folded = fold(text)
    return any(word in folded for word in lexicon()["comment"])


def _rank(element) -> int:
    tag = element.tag
    return int(tag[1]) if isinstance(tag, str) and tag in _HEADINGS else 0


def _outline_section(heading) -> set:
    """The heading's following siblings up to the next one that is or holds a heading of its rank
    or higher."""
    rank = _rank(heading)
    section: set = set()
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if any(0 < _rank(h) <= rank for h in sibling.iter(*_HEADINGS)):
            break
        section.update(sibling.iter())
    return section


def without_other_sections(chosen: list, found: list) -> list:
    """The chosen blocks (document order) without those in a section that a heading of the
    lexicon opens after the article's text. `found` is every block of the page (the heading
    itself may not have been chosen)."""
    if not chosen:
        return chosen
    chosen_ids = {id(b) for b in chosen}
    position: dict = {}  # (filled for the first heading judged: most pages have none)
    dropped: set = set()
    words_before, last_prose, judged = 0, None, 0
    for i, block in enumerate(found):
        if (last_prose is not None and words_before >= WORDS_BEFORE and judged < MAX_HEADINGS
                and len(block.text) <= HEADING_MAX_CHARS and id(block) not in dropped
                and is_section_heading(block.text)):
            judged += 1
            if not position:
                position = {id(b): n for n, b in enumerate(found)}
            dropped |= _section_blocks(block, i, last_prose, words_before, chosen, position, dropped)
        if id(block) in chosen_ids and id(block) not in dropped:
            words = count_words(block.text)
            words_before += words
            if words >= PROSE_WORDS:  # a sentence-long paragraph: the article a section may not hold
                last_prose = block
    return [b for b in chosen if id(b) not in dropped]


def _section_blocks(heading, at: int, last_prose, words_before: int, chosen: list, position: dict,
                    dropped: set) -> set:
    """ids of the chosen blocks the heading's section takes, or none when it is unsure."""
    article = set(last_prose.el.iterancestors())
    article.add(last_prose.el)
    top = heading.el
    parent = top.getparent()
    while parent is not None and parent not in article:
        top, parent = parent, parent.getparent()
    section = set(top.iter())
    outline = (top is heading.el and _rank(top) and is_comment_heading(heading.text)
               and heading.link_chars < _LINKED * max(len(heading.text), 1))
    if outline:
        section |= _outline_section(top)
    taken = [b for b in chosen if position.get(id(b), -1) >= at and id(b) not in dropped and b.el in section]
    if outline or sum(count_words(b.text) for b in taken) <= words_before:
        return {id(b) for b in taken}
    return set()


# The names templates give a photo gallery or slideshow (class or id), in the languages of the
# lexicon's sites: "hp-slideshow", "cnnGalleryContainer", "side-gallery", "galerie", "diaporama".
# Not carousel / slider: WCXB's pages put reviews, quotes and whole sections in those.
_GALLERY = re.compile(r"slide-?show|diaporama|gall?er(?:y|ie|ia|i)", re.IGNORECASE)


def without_galleries(chosen: list) -> list:
    """The chosen blocks without those inside a photo gallery or slideshow, beside an article body
    outside it (articlebody.ARTICLE_BODY_WORDS words of prose): a gallery's captions are other
    pictures' (dragnet-2013's CNN and HuffPost pages carry 70-180 of them under a 500-word story),
    while a photo post's captions, with no article beside them, stay."""
    memo: dict = {}

    def in_gallery(element) -> bool:
        path = []
        found = False
        while element is not None and element.tag not in ("body", "html"):
            if element in memo:
                found = memo[element]
                break
            path.append(element)
            if _GALLERY.search(f'{element.get("class") or ""} {element.get("id") or ""}'):
                found = True
                break
            element = element.getparent()
        for el in path:
            memo[el] = found
        return found

    flags = [in_gallery(b.el) for b in chosen]
    if not any(flags):
        return chosen
    outside = [b for b, flag in zip(chosen, flags) if not flag]
    if prose_words(outside) < ARTICLE_BODY_WORDS:
        return chosen
    return outside


def without_repeats(chosen: list) -> list:
    """The chosen blocks without the later copies of a paragraph of REPEAT_WORDS words or more
    (pages that carry a print version, a mobile copy or a teaser of their own lead)."""
    seen: set = set()
    kept = []
    for block in chosen:
        words = _WORD.findall(block.text.lower())
        if len(words) >= REPEAT_WORDS:
            key = " ".join(words)
            if key in seen:
                continue
            seen.add(key)
        kept.append(block)
    return kept

