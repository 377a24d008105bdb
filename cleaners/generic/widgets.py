"""Inline widgets inside an article: read-more / related / also-read cards, and share, follow,
subscribe, newsletter and "Get all the latest … news" prompts. One mechanism for every site
cleaner and the generic path, by shape plus a multilingual lexicon (cleaners/lexicon/widgets.json),
never by one page's strings.

Two inputs:

* lines (text dumps, or paragraphs already made from HTML): a widget line is a read-more label
  alone ("Also read", "ये भी पढ़ें:"), a label + separator + one headline ("READ | …",
  "इसे भी पढ़ें : …", "Lee también: …"), or a short prompt line that opens with a prompt phrase
  ("Follow us on Telegram", "Get all the latest IPL news …"). A long line, or one that holds more
  than one sentence after the label, is article text and stays: "Related to this, the minister
  said …" has no separator after the label and is kept.
* the DOM (HTML): a paragraph is a widget when its text is a label plus a link, or is only a link
  (one headline, not a sentence), and the link points to another article of the same site (same
  registered domain, an article-like path). The DOM tells what a dump cannot: that the headline
  is a link, and where it points.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..metadata.urls import registered_domain

LEXICON_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "widgets.json"
# Between a label and the headline: "Read more: x", "READ | x", "यह भी देखें- x", "相关阅读：x".
_SEPARATOR = re.compile(r"^\s*(?:[:|\-–—»>•：]+|\.{3}|…)\s*")
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\xad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_BRACKETS = "[【(（«\"'“‘ *•"
_CLOSING = "]】)）»\"'”’"
_SENTENCE_END = re.compile(r"[.!?。！？।](?=\s+\S)")
HEADLINE_MAX_WORDS = 30  # a card's headline; longer text after a label is prose
HEADLINE_MAX_CHARS = 250
PROMPT_MAX_WORDS = 40  # a prompt line ("Get all the latest … news on …, follow us on …") is short
PROMPT_MAX_CHARS = 300
PROMPT_SENTENCE_WORDS = 10  # a prompt that ends with a full stop is this short ("Follow us on X.") …
STRONG_PROMPT_WORDS = 3  # … unless its phrase says it all ("Get all the latest", "Follow us on")
ONE_WORD_PROMPT_CHARS = 12  # Chinese has no spaces: after "分享到" only a network's short name
LINK_SHARE = 0.8  # the headline of a card is (nearly) all link text
# Paths that are not another article: tag, topic, author and section pages, search, feeds.
_NOT_ARTICLE_PATH = re.compile(r"/(?:tags?|topics?|authors?|writers?|category|categories|section|search|"
                               r"feed|rss|live-?tv|video-?gallery|profile)(?:/|$)", re.IGNORECASE)


def count_words(text: str) -> int:
    """Words as the spaces separate them (\\w+ splits Devanagari words at their vowel signs);
    scripts without spaces are held by the character limits instead."""
    return len(text.split())


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and space-insensitive form for lexicon matching (zero-width characters removed).
    Cached: the text rules ask it of each line six or seven times, one lexicon after another."""
    # str.translate with a table costs per character: only when an invisible character is there
    if not text.isascii() and any(char in text for char in _INVISIBLE_CHARS):
        text = text.translate(_INVISIBLE)
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """{'read_more': labels, 'prompts': phrases}, every language together, longest first."""
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    out = {}
    for kind in ("read_more", "prompts"):
        phrases = {fold(p) for phrases in data[kind].values() for p in phrases}
        out[kind] = tuple(sorted(phrases, key=len, reverse=True))
    return out


@lru_cache(maxsize=2)
def _phrases_opening(kind: str) -> dict[str, tuple[str, ...]]:
    """lexicon()[kind] by first character, each group in the lexicon's order (longest first):
    only the phrases that start with a text's first character can open it, so a line is
    compared with a handful of phrases instead of every language's (a few hundred). An empty
    phrase, were there one, would open any text: it sits in every group (key "" too)."""
    phrases = lexicon()[kind]
    heads = {p[0] for p in phrases if p}
    return {head: tuple(p for p in phrases if not p or p[0] == head) for head in heads | {""}}


def phrases_opening(kind: str, folded: str) -> tuple[str, ...]:
    """The phrases of lexicon()[kind] that may open `folded`, longest first."""
    groups = _phrases_opening(kind)
    return groups.get(folded[:1]) or groups[""]


def _starts_with_word(folded: str, phrase: str) -> bool:
    """The phrase opens the text and ends at a word boundary ("read" does not open "ready")."""
    if not folded.startswith(phrase):
        return False
    rest = folded[len(phrase):]
    return not rest or not (rest[0].isalnum() and phrase[-1:].isalnum() and is_spaced(phrase))


def is_spaced(phrase: str) -> bool:
    """Scripts written without spaces (Chinese) have no word boundary to check."""
    return not re.search(r"[\u3000-\u9fff]", phrase)


@lru_cache(maxsize=4096)  # the text rules ask about the same line several times
def split_label(text: str) -> tuple[str, str, bool] | None:
    """(label, rest, separated) when the text opens with a read-more label; `separated` says
    whether a separator (":", "|", "-", …) or the end of the text follows the label."""
    folded = fold(text).lstrip(_BRACKETS)
    for label in phrases_opening("read_more", folded):
        if _starts_with_word(folded, label):
            rest = folded[len(label):]
            closed = rest[:1] in _CLOSING and rest[:1] != ""
            rest = rest.lstrip(_CLOSING)
            separator = _SEPARATOR.match(rest)
            if closed or (separator and separator.group(0).strip()):
                rest = rest[separator.end():] if separator else rest
                return label, rest.strip(), True
            return label, rest.strip(), not rest.strip()
    return None


def is_label(text: str) -> bool:
    """The whole text is a read-more label ("Also read", "Related:", "ये भी पढ़ें")."""
    found = split_label(text)
    return bool(found and not found[1])


def is_headline(text: str) -> bool:
    """One headline: short, at most one sentence (a headline may end in "?" or "!")."""
    text = text.strip()
    if not text or count_words(text) > HEADLINE_MAX_WORDS or len(text) > HEADLINE_MAX_CHARS:
        return False
    return len(_SENTENCE_END.findall(text)) <= 1


def is_prompt(line: str) -> bool:
    """A share / follow / subscribe / newsletter / app prompt line."""
    folded = fold(line).lstrip(_BRACKETS)
    if not folded or count_words(folded) > PROMPT_MAX_WORDS or len(folded) > PROMPT_MAX_CHARS:
        return False
    for phrase in phrases_opening("prompts", folded):
        if _starts_with_word(folded, phrase):
            rest = folded[len(phrase):]
            if " " not in phrase and not _only_platforms(rest):
                continue  # "Share", "分享": a button, or the button and the networks it names
            if (folded.endswith((".", "。", "।")) and count_words(folded) > PROMPT_SENTENCE_WORDS
                    and count_words(phrase) < STRONG_PROMPT_WORDS):
                return False  # "Share this project with your classmates and …": a sentence
            return len(_SENTENCE_END.findall(folded)) <= 1
    return False


_PLATFORMS = {"facebook", "twitter", "x", "telegram", "whatsapp", "vk", "vkontakte", "ok", "odnoklassniki",
              "instagram", "youtube", "linkedin", "reddit", "email", "e-mail", "mail", "viber", "pinterest",
              "tiktok", "threads", "weibo", "wechat", "微信", "微博", "qq", "line", "koo", "google", "news",
              "this", "it", "article", "story", "now", "on", "via", "in", "en", "sur", "auf", "в", "у", "no"}


def _only_platforms(rest: str) -> bool:
    """After a one-word prompt ("Share", "Compartir", "分享到"): nothing, or only network names
    ("Share on Facebook Twitter", "分享到微信"), never a sentence ("Share prices fell")."""
    words = [w.strip(":：,.|/·•-–—") for w in rest.split()]
    words = [w for w in words if w]
    if not words:
        return True
    if len(rest) > ONE_WORD_PROMPT_CHARS and " " not in rest.strip():
        return False
    return all(w in _PLATFORMS for w in words) or (not is_spaced(rest) and len(rest.strip()) <= 4)


def widget_line(line: str) -> str | None:
    """Why the line is a widget ("label", "read-more", "prompt"), or None for article text."""
    found = split_label(line)
    if found:
        label, rest, separated = found
        if not rest:
            return "label"
        if separated and is_headline(rest):
            return "read-more"
    if is_prompt(line):
        return "prompt"
    return None


def is_widget_line(line: str) -> bool:
    return widget_line(line) is not None


# ---------------------------------------------------------------------------------------------
# The DOM

_BLOCKS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "aside")


def _text(element) -> str:
    return " ".join(element.text_content().split())


def is_article_link(href: str | None, page_url: str | None) -> bool:
    """The link points to another article of the page's own site."""
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return False
    try:
        target = urljoin(page_url or "", href)
        parts = urlsplit(target)
    except ValueError:  # a URL no parser reads ("http://[::1"): not a link we can judge, so kept
        return False
    if parts.scheme not in ("http", "https", ""):
        return False
    if page_url and parts.netloc and registered_domain(target) != registered_domain(page_url):
        return False
    if not page_url and parts.netloc:
        return False  # no URL to compare with: only relative links are surely the same site
    path = parts.path.rstrip("/")
    if not path or _NOT_ARTICLE_PATH.search(path):
        return False
    if page_url and target.split("#")[0].rstrip("/") == page_url.split("#")[0].rstrip("/"):
        return False  # a link to the page itself
    segments = [s for s in path.split("/") if s]
    slug = segments[-1] if segments else ""
    return len(segments) >= 2 or slug.count("-") >= 2 or bool(re.search(r"\d{5,}", slug))


def widget_element(element, page_url: str | None) -> str | None:
    """Why a paragraph element is a read-more widget, or None.

    A label plus a link to another article of the site ("<strong>इसे भी पढ़ें:</strong> <a>…</a>",
    "READ: <a>…</a>"), or a paragraph that is only such a link with a headline's shape. Both
    shapes need a link, so an element without one is passed over before its text is read (most
    paragraphs of a page: the text is the costly part)."""
    if next(element.iter("a"), None) is None:
        return None
    text = _text(element)
    if not text or count_words(text) > HEADLINE_MAX_WORDS + 8:
        return None
    found = split_label(text)
    if not found and (element.tag != "p" or sum(len(_text(a)) for a in element.iter("a")) < LINK_SHARE * len(text)):
        return None  # neither shape can match (a shortcut: links are costly to judge, see below)
    links = [a for a in element.iter("a") if is_article_link(a.get("href"), page_url)]
    if not links:
        return None
    linked = sum(len(_text(a)) for a in links)
    if found:
        label, rest, separated = found
        if (rest and linked >= LINK_SHARE * len(rest) and is_headline(rest)
                and not any(fold(_text(a)).lstrip(_BRACKETS).startswith(label) for a in links)
                and (separated or _label_element(element, label))):
            return "read-more"
    if (element.tag == "p" and len(links) == 1 and linked >= LINK_SHARE * len(text)
            and is_headline(text) and not text.endswith((".", "。")) and among_prose(element)):
        return "linked-headline"
    return None


PROSE_WORDS = 15
NEIGHBOURS = 2


def among_prose(element) -> bool:
    """The paragraph stands between the article's paragraphs: a sibling paragraph near it holds
    running text (a link alone in a menu, a list or a footer has none)."""
    siblings = [s for s in element.itersiblings(preceding=True) if isinstance(s.tag, str)][:NEIGHBOURS]
    siblings += [s for s in element.itersiblings() if isinstance(s.tag, str)][:NEIGHBOURS]
    for sibling in siblings:
        if sibling.tag in ("p", "div", "blockquote"):
            unlinked = _text(sibling)
            for a in sibling.iter("a"):
                unlinked = unlinked.replace(_text(a), " ", 1)
            if count_words(unlinked) >= PROSE_WORDS:
                return True
    return False


def widget_texts(root, page_url: str | None, among: set[str]) -> set[str]:
    """The normalised texts of the widget paragraphs under root, the DOM left as it is: the
    generic path drops paragraphs with these texts after extraction, so that its block
    classifier sees the page as it was served.

    among: only paragraphs with one of these normalised texts are judged (the texts extracted:
    no other widget can matter). Judging a paragraph is costly (its links are resolved, its
    neighbours read), so on a large page this is most of the rule's time."""
    found = set()
    for element in root.iter(*_BLOCKS):
        # the cheap tests first: most blocks hold no link, and widget_element needs one
        if next(element.iter("a"), None) is None or not _is_leaf(element):
            continue
        text = _text(element)
        if text in among and widget_element(element, page_url):
            found.add(text)
    return found


def _is_leaf(element) -> bool:
    # the tag filter runs inside lxml: no Python object per descendant
    return next(element.iterdescendants(*_BLOCKS), None) is None


def _leaf_blocks(root):
    for element in root.iter(*_BLOCKS):
        if _is_leaf(element):
            yield element


def _label_element(element, label: str) -> bool:
    """The label stands in an element of its own ("<strong>Read more</strong> <a>…</a>"): a
    label-like word that opens a sentence ("More details have emerged …") does not."""
    return any(fold(_text(e)).strip(_BRACKETS + _CLOSING + ":：|-–—»> ") == label
               for e in element.iter("strong", "b", "em", "i", "span") if e is not element)


def drop_widget_elements(root, page_url: str | None) -> int:
    """Remove read-more widgets under root (the body container, or the whole page on the generic
    path); returns how many. Only leaf-like blocks (no block inside) are judged, so a container
    of paragraphs is never dropped for one link in it."""
    dropped = 0
    for element in list(_leaf_blocks(root)):
        if element.getparent() is None:
            continue
        if widget_element(element, page_url):
            element.drop_tree()
            dropped += 1
    return dropped
