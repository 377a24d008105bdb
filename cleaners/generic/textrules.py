"""Generic junk rules for text: what is boilerplate on any news site.

They work on lines (paragraphs) and only ever drop a line that matches a junk pattern as a
whole; a line that carries article prose is never touched. When unsure, the line is kept.
Site cleaners use the same rules after their own.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..article import Extracted, count_words
from . import sections
from . import widgets
from . import lines as lines_model

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
        r"^\((photo|image|picture)s?\s*:.{0,80}\)$",
        r"^comment via .{0,60}$",
        r"^community standards.{0,40}$",
    )
]
# all of them at once: most lines match none, and one alternation costs less than twelve calls
_ANY_JUNK_PATTERN = re.compile("|".join(f"(?:{p.pattern})" for p in _JUNK_PATTERNS), re.IGNORECASE)
# Photo credits ("Photo: Reuters", "IMAGE: …"): the label must be capitalised, so code and config
# lines such as "image: nginx:1.14.2" in a documentation page are not taken for credits.
_CREDIT = re.compile(r"^(Photo|PHOTO|Image|IMAGE|Picture|PICTURE|File photo|File Photo|FILE PHOTO|"
                     r"Credit|CREDIT)s?\s*:.{0,120}$")
# Icon-font sprite text, e.g. "icon bookmark-bicon bookmarkicon cameraicon checkicon …".
# Searched word by word: `\S*icon\b` over the whole line backtracks quadratically on a long run
# without spaces (a 500 KB line of punctuation took minutes).
_ICON_WORD = re.compile(r"icon\b", re.IGNORECASE)


def is_icon_run(line: str) -> bool:
    words = line.split()
    if len(words) < 6 or "icon" not in line.lower():
        return False
    return sum(1 for word in words if _ICON_WORD.search(word)) >= max(5, len(words) // 3)


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
    if _ANY_JUNK_PATTERN.match(stripped):
        for n, pattern in enumerate(_JUNK_PATTERNS):
            if pattern.match(stripped):
                return f"pattern:{n}"
    if _CREDIT.match(stripped):
        return "credit"
    if sections.is_comment_form_line(stripped):
        return "comment-form"
    if sections.is_post_footer_line(stripped):
        return "post-footer"
    if sections.is_newsletter_prompt(stripped):
        return "newsletter"
    if is_embed_placeholder(stripped):
        return "embed-placeholder"
    kind = widgets.widget_line(stripped)  # read-more labels and cards, prompts, in many languages
    if kind:
        return f"widget:{kind}"
    return None


def is_junk_line(line: str) -> bool:
    """True only for lines that are boilerplate as a whole (never for article prose)."""
    return junk_rule(line) is not None


_READ_MORE = {"read more", "also read", "read also", "related", "see also"}


_TEASER_SPAN = 4  # another label this close (in lines) means a list of teasers, not a widget


def _is_read_more_label(line: str) -> bool:
    """A label line that announces the next line as a card's headline: the English labels above,
    or any label of the lexicon (widgets.json) of two words or more ("Lee también", "ये भी पढ़ें";
    one-word labels such as "More" or "Watch" are too common as buttons over lists)."""
    folded = widgets.fold(line).rstrip(":：|»>-–— ")
    if folded in _READ_MORE:
        return True
    return widgets.is_label(line) and (" " in folded or not widgets.is_spaced(folded))


def _is_list_item(line: str) -> bool:
    return line.lstrip()[:2] in ("- ", "* ", "• ")


def _is_linked_headline(lines: list[str], i: int) -> bool:
    """lines[i] can be the one headline a "Read more" label links to: short, not a sentence, and
    not the first item of a list ("See also" over a list of links is a section of the page)."""
    line = lines[i].rstrip()
    if count_words(line) > 20 or line.endswith((".", "!")):
        return False
    return not (_is_list_item(line) and i + 1 < len(lines) and _is_list_item(lines[i + 1]))


def drop_read_more_widgets(lines: list[str]) -> list[str]:
    """Drop the "headline / Read more / same headline" widget (and "Read more / headline").
    Lines that are a widget on their own ("Also read: headline", prompts) are junk lines
    (junk_rule, cleaners.generic.widgets).

    Not "Read more / headline" in a list of teasers where every item ends with its own "Read more"
    button ("title / source / Read more / title / source / Read more", labels a few lines apart):
    there the line after a label is the next item's title, part of the page's content, so only
    the labels go (is_junk_line drops them)."""
    dropped = read_more_widget_lines(lines)
    return [line for i, line in enumerate(lines) if i not in dropped]


def read_more_widget_lines(lines: list[str]) -> set[int]:
    """The indices of the lines drop_read_more_widgets drops."""
    dropped: set[int] = set()
    kept: list[int] = []
    labels = [_is_read_more_label(line) for line in lines]
    i = 0
    while i < len(lines):
        if labels[i]:
            if kept and i + 1 < len(lines) and lines[kept[-1]].strip() == lines[i + 1].strip():
                dropped.update((kept.pop(), i, i + 1))  # the headline before, the label, the same headline after
                i += 2
                continue
            in_teaser_list = any(labels[max(0, i - _TEASER_SPAN):i] + labels[i + 1:i + 1 + _TEASER_SPAN])
            if (not in_teaser_list and i + 1 < len(lines) and _is_linked_headline(lines, i + 1)):
                dropped.update((i, i + 1))  # label, then one linked headline
                i += 2
                continue
        kept.append(i)
        i += 1
    return dropped


_CODE_CHARS = re.compile(r"[{};=<>\[\]]|\w\(\)|^\s*\)|(^|\s)//|^\s*#")


def _keep_repeated(line: str) -> bool:
    """Lines that may rightly repeat back to back: code ("}", "increment();"), figures without
    words (vote counts, scores) and list items (a list may hold the same item twice)."""
    return (bool(_CODE_CHARS.search(line)) or not re.search(r"[^\W\d_]", line)
            or _is_list_item(line))


def drop_repeats(lines: list[str], title: str | None = None) -> list[str]:
    """Drop lines that repeat the title, and short lines repeated back to back.

    When the title is all the text there is (a link post whose title is its content), it stays."""
    out: list[str] = []
    title_key = " ".join(title.split()).casefold() if title else None
    if title_key and all(" ".join(line.split()).casefold() == title_key for line in lines if line.strip()):
        title_key = None
    for line in lines:
        key = " ".join(line.split()).casefold()
        if title_key and key == title_key:
            continue
        if (out and key == " ".join(out[-1].split()).casefold() and count_words(line) <= 25
                and not _keep_repeated(line)):
            continue
        out.append(line)
    return out


def filter_paragraphs(paragraphs: list[str], title: str | None = None) -> list[str]:
    lines = drop_read_more_widgets([p for p in paragraphs if p.strip()])
    lines = [line for line in lines if not is_junk_line(line)]
    return drop_repeats(drop_rights_notices(lines), title)


EMBEDS_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "embeds.json"
EMBED_MAX_WORDS = 60
_TOKEN = re.compile(r"\w+")


class _Terms:
    """One list of the embeds lexicon: phrases (matched as substrings of the folded line), whole
    words and word openings ("consent*"), matched against its tokens."""

    def __init__(self, terms):
        folded = {widgets.fold(t) for t in terms}
        self.openings = tuple(t[:-1] for t in folded if t.endswith("*"))
        plain = {t for t in folded if not t.endswith("*")}
        self.phrases = tuple(t for t in plain if not re.fullmatch(r"\w+", t) or not widgets.is_spaced(t))
        self.words = frozenset(plain - set(self.phrases))

    def found(self, folded: str, tokens: set[str]) -> bool:
        return (any(p in folded for p in self.phrases) or not self.words.isdisjoint(tokens)
                or any(token.startswith(self.openings) for token in tokens))

    def may_be_in(self, folded: str) -> bool:
        """Whether found() can hold: some term occurs as a substring (no tokens needed)."""
        return (any(p in folded for p in self.phrases) or any(w in folded for w in self.words)
                or any(o in folded for o in self.openings))


@lru_cache(maxsize=1)
def embed_terms() -> dict[str, _Terms]:
    data = json.loads(EMBEDS_PATH.read_text(encoding="utf-8"))

    def every(values):
        return [t for group in (values.values() if isinstance(values, dict) else [values]) for t in group]

    return {key: _Terms(every(values)) for key, values in data.items() if not key.startswith("_")}


def is_embed_placeholder(line: str) -> bool:
    """What a page shows in place of an embedded post or video until the reader agrees to load it
    (cleaners/lexicon/embeds.json): external content and a way to show it, or a platform, a
    consent, a way to show it and words to the reader. Short lines only."""
    if count_words(line) > EMBED_MAX_WORDS:
        return False
    terms = embed_terms()
    folded = widgets.fold(line)
    if not (terms["external"].may_be_in(folded) or terms["platforms"].may_be_in(folded)):
        return False  # (most lines: no tokens made)
    tokens = set(_TOKEN.findall(folded))
    if not terms["show"].found(folded, tokens):
        return False
    if terms["external"].found(folded, tokens):
        return True
    return (terms["platforms"].found(folded, tokens) and terms["consent"].found(folded, tokens)
            and terms["reader"].found(folded, tokens))


NOTICES_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "notices.json"
NOTICE_PHRASES = 2  # different phrases a notice holds
NOTICE_MAX_WORDS = 120
NOTICE_MAX_SHARE = 0.5  # of the text's paragraphs: above it the text is about its terms (counted in
# paragraphs, not words: a paywalled teaser of three short paragraphs under three long notices is
# still an article)


@lru_cache(maxsize=1)
def _notice_lexicon() -> frozenset[str]:
    data = json.loads(NOTICES_PATH.read_text(encoding="utf-8"))
    return frozenset(widgets.fold(p) for key, values in data.items() if not key.startswith("_") for p in values)


@lru_cache(maxsize=1)
def notice_phrases() -> re.Pattern:
    """Every language's phrases as one alternation (longest first), searched in C."""
    return re.compile("|".join(re.escape(p) for p in sorted(_notice_lexicon(), key=len, reverse=True)))


@lru_cache(maxsize=1)
def notice_keys() -> tuple[str, ...]:
    """One substring every phrase holds (its longest word; the whole phrase in scripts without
    spaces): a line that holds none of them holds no phrase, and is passed over without the
    alternation (28 against 11 microseconds a line; 95 % of dragnet's lines hold none)."""
    return tuple(sorted({max(_TOKEN.findall(p), key=len) if widgets.is_spaced(p) and _TOKEN.search(p) else p
                         for p in _notice_lexicon()}))


def is_rights_notice(line: str) -> bool:
    """A reprint / rights notice ("This copy is for your personal, non-commercial use only ...
    governed by our Subscriber Agreement and by copyright law", "This material may not be
    published, broadcast, rewritten or redistributed"): two or more phrases of the lexicon."""
    if count_words(line) > NOTICE_MAX_WORDS:
        return False
    folded = widgets.fold(line)
    if not any(key in folded for key in notice_keys()):
        return False
    return len(set(notice_phrases().findall(folded))) >= NOTICE_PHRASES


def drop_rights_notices(lines: list[str]) -> list[str]:
    """The lines without rights notices, unless they are most of its paragraphs (a terms page).
    dragnet-2013: 14 pages (WSJ's reprint notices, the wire notice of CBS), F1 +0.0018;
    WCXB tuning: 2 pages, -0.0001."""
    notices = [is_rights_notice(line) for line in lines]
    if not any(notices):
        return lines
    if sum(notices) > NOTICE_MAX_SHARE * sum(1 for l in lines if l.strip()):
        return lines
    return [line for line, notice in zip(lines, notices) if not notice]


def _is_prose(line: str) -> bool:
    """A line that reads as a paragraph of running text."""
    words = count_words(line)
    return words >= 15 or (words >= 6 and line.rstrip()[-1:] in '.!?"”»…')


def _is_heading(line: str, words: float | None = None) -> bool:
    """A short line that is not a sentence. words: its size (default count_words; the model path
    passes lines.units, which counts Indic and CJK words rightly)."""
    words = count_words(line) if words is None else words
    return 2 <= words <= 25 and not line.endswith(".")


def _is_headline(line: str) -> bool:
    return _is_heading(line, lines_model.units(line))


def _title_before(lines: list[str], end: int, page_title: str | None = None,
                  picked: set[int] | frozenset = frozenset()) -> str | None:
    """The title: among the heading-like lines before lines[end] that are not junk, the last one that
    shares most of its words with the page's <title> (a dump's first line), else the last of
    them the line classifier picked, else the last of them."""
    candidates = [i for i in range(end) if _is_headline(lines[i]) and not is_junk_line(lines[i])]
    if not candidates:
        return None
    if page_title:
        title_words = set(lines_model.tokens(page_title))
        for i in reversed(candidates):
            words = set(lines_model.tokens(lines[i]))
            if words and len(words & title_words) >= 0.8 * len(words) and lines[i] != page_title:
                return lines[i]
    return lines[next((i for i in reversed(candidates) if i in picked), candidates[-1])]


def clean_dump_rules(text: str) -> Extracted:
    """The text-dump path before the line classifier (kept to measure the model against, see
    bench/lines_quality.py): the article body runs from the first to the last line of running
    prose; short lines in between (subheadings) are kept, junk lines are dropped. The title is
    the last short heading-like line before the body."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in drop_read_more_widgets([x for x in lines if x]) if not is_junk_line(line)]
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    if not prose:
        return Extracted()
    start, end = prose[0], prose[-1]
    title = None
    for line in reversed(lines[:start]):
        if _is_heading(line):
            title = line
            break
    body = drop_repeats(lines[start:end + 1], title)
    return Extracted(paragraphs=body, title=title)


def _repeats_title(line: str, title: str | None) -> bool:
    """A heading-like line that is the title plus a few words ("Title | Site name")."""
    if not title or not _is_headline(line):
        return False
    title_words, words = set(lines_model.tokens(title)), set(lines_model.tokens(line))
    return len(title_words) >= 3 and title_words <= words and len(words) <= len(title_words) + 6


_STAMP = re.compile(r"\d{1,2}[:.]\d{2}|\b(19|20)\d{2}\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d+\s*(年|月|日)")


def _is_stamp(line: str) -> bool:
    """A date / time line of the page's header ("1 Dec, 2021 18:49", "Updated 12:40 GMT"): a few
    words with a time or a year, no sentence."""
    return lines_model.units(line) <= 8 and bool(_STAMP.search(line)) and not line.endswith((".", "!", "?", "。"))


def clean_dump(text: str) -> Extracted:
    """Generic path for a text dump of a site we have no cleaner for.

    The line classifier (lines.py) picks the article's lines. The text rules, run on the whole
    dump, veto lines that are junk as a whole and read-more widgets (label and headline), and a
    date / time stamp line goes too. The title is the heading-like line before the first picked
    paragraph (prose, not heading-like) that matches the page's <title> (a dump's first line),
    else the last picked heading-like line before it, else the last heading-like line; picked
    lines that repeat the title go."""
    lines = [line for line in lines_model.split_dump(text) if line]
    if not lines:
        return Extracted()
    keep = lines_model.article_lines(lines)
    vetoed = read_more_widget_lines(lines)
    picked = [i for i, k in enumerate(keep) if k and i not in vetoed and not is_junk_line(lines[i])]
    if not picked:
        return Extracted()
    first_prose = next((i for i in picked if lines_model.is_prose(lines[i]) and not _is_headline(lines[i])), picked[0])
    title = _title_before(lines, first_prose, page_title=lines[0], picked=set(picked))
    body = [lines[i] for i in picked if not _repeats_title(lines[i], title) and not _is_stamp(lines[i])]
    return Extracted(paragraphs=drop_repeats(body, title), title=title)
