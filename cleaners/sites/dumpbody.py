"""Where a site's dump body ends when the site's own end markers are not there.

A site cleaner finds its template's header in a dump (date line, byline) by its rules, and the
end of the body by the page tail it knows ("Top stories", "Published …", the share bar). A
redesign of the footer, or an edition whose tail reads differently, removes those markers: the
body would then run on through the footer. There the line classifier of dumps
(cleaners.generic.lines) decides: the body runs while article lines keep coming, and ends before
the first run of TAIL_RUN lines that are neither article by the model nor running prose by
their shape (a footer is many short lines in a row; a subheading is one short line, an embedded
post a few), or at the last article line before the dump's end.

The site's rules stay in charge where they know the template: this is only asked when they find
no end.
"""
from __future__ import annotations

import re

from ..generic import lines as lines_model

TAIL_RUN = 8  # this many chrome lines in a row end the body (an embedded post is fewer)
SENTENCE_END = tuple('.!?।…"”»)')
PROSE_MIN_WORDS = 6  # a sentence: at least this many words and a sentence end
LONG_WORDS = 25  # or this long without one


GLUED = re.compile(r"[a-z][A-Z]")  # "All newsNothing", "HomeWorldUKUS": a menu get_text() glued
GLUED_MIN = 3
CHROME_LEXICONS = {"cookie", "copyright"}  # consent banners and copyright lines read as prose


def is_chrome(line: str) -> bool:
    """Page chrome whatever its length: a glued menu, a consent banner, a copyright line."""
    return len(GLUED.findall(line)) >= GLUED_MIN or bool(lines_model.lexicon_hits(line) & CHROME_LEXICONS)


def is_prose(line: str) -> bool:
    """Running text by its shape, words counted by spaces (\\w+ splits Devanagari words): a
    sentence, or a long line. Headlines of other articles are neither."""
    words = len(line.split())
    return words >= LONG_WORDS or (words >= PROSE_MIN_WORDS and line.rstrip().endswith(SENTENCE_END))


def body_end(lines: list[str], start: int, title: str | None = None) -> int:
    """The index after the body's last line, for a body starting at lines[start] (blank lines,
    when the caller keeps them, are skipped)."""
    if start >= len(lines):
        return len(lines)
    probabilities = lines_model.line_probabilities(lines, title)
    cut = lines_model.threshold()
    last, run = start - 1, 0
    for i in range(start, len(lines)):
        if not lines[i]:
            continue
        # the model's vote counts where the shape agrees (its first version misses Hindi prose and
        # keeps some headlines): a sentence it keeps, or running text whatever it says
        if not is_chrome(lines[i]) and (
                is_prose(lines[i]) or (probabilities[i] >= cut and lines[i].rstrip().endswith(SENTENCE_END))):
            last, run = i, 0
            continue
        run += 1
        if run >= TAIL_RUN:
            break
    return last + 1
