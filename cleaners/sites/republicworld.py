"""Republic World (republicworld.com and its bharat./bangla./m. editions, republicbharat.com).

Two inputs, one set of rules:

* HTML: the page is matched against TEMPLATES (selector lists, newest first), so a redesign is a
  data change. The 2023 template puts the story in `div.story-container` with `h1.story-title`,
  `h2.story-description`, `div.author`, `span.time-elapsed time` (last updated), a "First
  Published:" `time` after the body, and the body in `div.storytext`. The older template is
  inferred from the seed dumps (article/.story-body, "Updated … IST" / "Published … IST" /
  "Reported by:" lines).
* Text dumps (BeautifulSoup get_text of the whole page): the header is found by its date line
  ("Updated January 17th, 2022 at 13:14 IST", "Last Updated: 24th March, 2023 17:26 IST"), then
  title, standfirst and "Reported by:"/"Written By" author; the body runs to the "Published" line.

Both paths drop the same widgets: "READ | headline" links (inline in dumps), photo captions
("IMAGE: AP | Image:self", "…; Image: Twitter//handle", "(Image: AP)"), ads and embedded social
posts (their text is the network's, not the article's). Subheadings stay as their own paragraphs.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from ..article import Extracted, count_words, normalise_paragraph
from ..metadata.dates import IST, parse_iso, parse_text
from ..metadata.htmlmeta import first_meta, page_meta, text_of, unique
from ..registry import SiteCleaner, register
from ..generic import widgets
from .dumpbody import body_end
from ..generic.textrules import filter_paragraphs

SITE = "republicworld.com"
# republicworld.com covers www./m./bharat./bangla.; republicbharat.com is Republic Bharat's own
# domain since its move off bharat.republicworld.com.
DOMAINS = ("republicworld.com", "republicbharat.com")


# ---------------------------------------------------------------------------------------------
# Rules shared by both paths (they work on paragraphs / dump lines)

_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*")
# "January 17th, 2022 at 13:14 IST" (2021-22) and "24th March, 2023 17:26 IST" (2023).
_DATE = (rf"(?P<date>(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}),?"
         rf"\s+\d{{4}}(?:\s+at)?\s+\d{{1,2}}:\d{{2}})\s*(?P<zone>IST)?")
UPDATED_LINE = re.compile(rf"^(?:Last\s+)?Updated\s*:?\s*(?:{_DATE})?$", re.IGNORECASE)
PUBLISHED_LINE = re.compile(rf"^(?:First\s+)?Published\s*:?\s*(?:On\s+)?(?:{_DATE})?$", re.IGNORECASE)
DATE_ONLY_LINE = re.compile(rf"^{_DATE}$", re.IGNORECASE)
DATE_FORMATS = ("%B %d, %Y at %H:%M", "%b %d, %Y at %H:%M", "%B %d, %Y %H:%M", "%d %B, %Y %H:%M",
                "%d %b, %Y %H:%M", "%d %B %Y %H:%M", "%d %B, %Y at %H:%M")
# "Reported by: Dipaneeta Das", "Written By" (name on the next line), "Edited By: …".
# The 2023 English edition puts a "|" before it ("IPL 2023 | Written By", the section label first).
AUTHOR_LINE = re.compile(r"^[|•·\s]*(?:Reported|Written|Edited|Curated)\s+by\s*:?\s*(?P<name>.*)$",
                         re.IGNORECASE)
AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")

# "READ | headline" links: a line of their own, or glued to the end of a paragraph in dumps.
READ_LINK = re.compile(r"\s*\b(?:ALSO\s+|MUST\s+)?READ\s*\|.*$")
# Photo captions and credits: "IMAGE: AP | Image:self", "(Image: AP)", "…; Image: Twitter//x".
CAPTION = re.compile(
    r"^\(?(?:image|photo|picture|pic)s?\s*(?:credit)?\s*[:\-–]\s*.{0,120}$"
    r"|[;|]\s*(?:image|photo|picture|pic)s?\s*(?:credit)?\s*:\s*[^.;|]{0,60}$",
    re.IGNORECASE)
CAPTION_MAX_WORDS = 50
JUNK_LINES = {"advertisement", "breaking news", "view this post on instagram"}
# Embedded tweet attribution, "— Sultan AlNeyadi (@Astro_Alneyadi) March 23, 2023".
TWEET_BYLINE = re.compile(rf"^[—–-]\s*.{{1,100}}\(@\w{{1,15}}\)\s*{_MONTH}\s+\d{{1,2}},\s+\d{{4}}$")
TWEET_MAX_CHARS = 300  # a tweet's text is at most 280 characters, plus its pic.twitter.com link
INSTAGRAM_BYLINE = re.compile(r"^A post shared by .{1,100}\(@[\w.]{1,30}\)$")


def parse_date(text: str | None) -> str | None:
    """A Republic World date ("January 17th, 2022 at 13:14 IST") as ISO 8601 in IST.

    The pages state IST (or nothing); the zone is attached explicitly since IST is ambiguous."""
    if not text:
        return None
    match = DATE_ONLY_LINE.match(" ".join(text.split()))
    if not match:
        return None
    return parse_text(match.group("date"), formats=DATE_FORMATS, zone=IST)


def split_authors(names: str) -> list[str]:
    return [n.strip() for n in AUTHOR_SPLIT.split(names) if n.strip()]


def strip_read_links(line: str) -> str:
    """Cut a "READ | headline" link off a paragraph (the whole line when it is only the link)."""
    return READ_LINK.sub("", line).strip()


def is_widget_line(line: str) -> bool:
    """Captions, ad labels and similar lines Republic World puts between paragraphs.

    A caption is a short line; a long paragraph that happens to end in "; Image: x" is kept."""
    folded = line.strip().casefold()
    if folded in JUNK_LINES or INSTAGRAM_BYLINE.match(line):
        return True
    return count_words(line) <= CAPTION_MAX_WORDS and bool(CAPTION.search(line))


def drop_tweets(lines: list[str]) -> list[str]:
    """Drop embedded tweets: the attribution line and the tweet's text lines before it.

    A dump gives no mark where the tweet's text starts, so lines are taken back from the
    attribution while they fit in a tweet's length; a line ending in ":" introduces the embed
    and is article text."""
    out: list[str] = []
    for line in lines:
        if not TWEET_BYLINE.match(line):
            out.append(line)
            continue
        budget = TWEET_MAX_CHARS
        while out and not out[-1].rstrip().endswith(":") and len(out[-1]) <= budget:
            budget -= len(out.pop())
    return out


def clean_paragraphs(paragraphs: list[str], title: str | None) -> list[str]:
    """The site's widget rules, then the generic junk rules."""
    lines = [strip_read_links(normalise_paragraph(p)) for p in paragraphs]
    lines = drop_tweets([line for line in lines if line])
    lines = [line for line in lines if not is_widget_line(line)]
    return filter_paragraphs(lines, title)


def prefer_headline(title: str | None, *candidates: str | None) -> str | None:
    """The 2023 h1 is title-cased by the template ("Marks Start Of Ramadan"); the same headline
    as the editors wrote it (breadcrumb, JSON-LD, <title>) is preferred when it is the same text."""
    if not title:
        return None
    for candidate in candidates:
        if candidate and " ".join(candidate.split()).casefold() == " ".join(title.split()).casefold():
            return " ".join(candidate.split())
    return title


# ---------------------------------------------------------------------------------------------
# HTML path

@dataclass(frozen=True)
class Template:
    """CSS selector lists (first that matches wins) for one generation of the site's pages."""

    name: str
    scope: tuple[str, ...]  # the story's container; the whole page when none matches
    title: tuple[str, ...]
    body: tuple[str, ...]  # every match of the first selector that matches is body
    description: tuple[str, ...]
    authors: tuple[str, ...]
    dates: tuple[str, ...]  # elements whose text is "Last Updated: …" / "First Published: …"
    breadcrumb: tuple[str, ...]  # links: Home › section › … › story
    tags: tuple[str, ...]


TEMPLATES = (
    Template(
        name="2023",
        scope=("div.story-container",),
        title=("h1.story-title",),
        body=("div.storytext",),
        description=("h2.story-description",),
        authors=("div.author a",),
        dates=("span.time-elapsed", "div.padtop20"),
        breadcrumb=("nav#breadcrumb a",),
        tags=("div.tags a", "div.story-tags a"),
    ),
    Template(  # older pages, inferred from the 2021-22 dumps; generic containers
        name="legacy",
        scope=("article", "div.story-wrapper", "main"),
        title=("h1.story-title", "article h1"),
        body=("div.story-body", "div.storytext", "[itemprop=articleBody]", "article section"),
        description=("h2.story-description", ".story-summary", "article h2"),
        authors=("div.author a", "a[rel=author]", ".author-name", "[itemprop=author] [itemprop=name]"),
        dates=(".time-elapsed", ".story-date", ".published-date", ".updated-date", "time"),
        breadcrumb=("nav#breadcrumb a", ".breadcrumb a"),
        tags=("div.tags a", "div.story-tags a", ".tags-list a"),
    ),
)

# Removed before the body is read: ads, embeds, share bars, related-story and footer widgets.
PRUNE = ("script", "style", "noscript", "iframe", "svg", "form", "button", "figure figcaption",
         "[id^=div-gpt-ad]", ".ads-decorator", ".mobiVisible", "[id^=taboola]",
         "blockquote.twitter-tweet", "blockquote.instagram-media", "blockquote.tiktok-embed",
         ".share-social-media", ".storyfooter", ".rightpane", ".related-stories", ".quick-links",
         ".youtube-subscribe", ".watch-livetv", ".follow-us", ".storypicture")
STORY_TYPES = {"article", "news", "newsarticle"}  # og:type of a story page
BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "pre"}


def _first(scope: HtmlElement, selectors: tuple[str, ...]) -> list[HtmlElement]:
    for selector in selectors:
        found = scope.cssselect(selector)
        if found:
            return found
    return []


def _prune(root: HtmlElement, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        for element in root.cssselect(selector):
            if element.getparent() is not None:
                element.drop_tree()


def _block_lines(element: HtmlElement) -> list[str]:
    """A block's text, split at <br> (as the dumps split it); source line breaks are spaces."""
    for node in element.iter():
        if node.tag == "br":
            node.tail = "\n" + (node.tail or "").replace("\n", " ")
        elif node is not element and node.tail:
            node.tail = node.tail.replace("\n", " ")
        if isinstance(node.tag, str) and node.tag != "br" and node.text:
            node.text = node.text.replace("\n", " ")
    return [line for line in (normalise_paragraph(x) for x in element.text_content().split("\n")) if line]


def _body_paragraphs(containers: list[HtmlElement]) -> list[str]:
    """Block texts in document order; a block that holds other blocks gives way to them, and a
    container inside another matched container is not read twice."""
    paragraphs: list[str] = []
    for container in containers:
        if any(other in containers for other in container.iterancestors()):
            continue
        for element in container.iter(*BLOCKS):
            if any(child.tag in BLOCKS for child in element.iterdescendants()):
                continue
            paragraphs.extend(_block_lines(element))
    return paragraphs


def _dates(scope: HtmlElement, template: Template) -> tuple[str | None, str | None]:
    """(published, modified) from the labelled date elements; a <time datetime> wins over text."""
    published = modified = None
    candidates = [e for selector in template.dates for e in scope.cssselect(selector)]
    candidates += [t.getparent() for t in scope.iter("time") if t.getparent() is not None]
    for element in candidates:
        label = text_of(element)
        time = element if element.tag == "time" else element.find(".//time")
        for pattern, is_published in ((UPDATED_LINE, False), (PUBLISHED_LINE, True)):
            match = pattern.match(label)
            if not match or not match.group("date"):
                continue
            value = _datetime_attribute(time.get("datetime")) if time is not None else None
            value = value or parse_date(match.group("date"))
            if is_published:
                published = published or value
            else:
                modified = modified or value
    return published, modified


def _datetime_attribute(value: str | None) -> str | None:
    """A <time datetime>: Republic Bharat writes local time without an offset ("2023-03-29
    09:33:00"); the site's zone, IST, is attached then."""
    parsed = parse_iso(value) if value else None
    if parsed and not re.search(r"(?:Z|[+-]\d\d:?\d\d)$", parsed):
        parsed = parse_text(parsed.replace("T", " "), formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"),
                            zone=IST) or parsed
    return parsed


def _section(tree: HtmlElement, template: Template, title: str) -> str | None:
    """The most specific breadcrumb category: not "Home", not the story's own crumb."""
    crumbs = [text_of(a) for a in _first(tree, template.breadcrumb) if text_of(a)]
    keys = {title.casefold(), "home"}
    crumbs = [c for c in crumbs if c.casefold() not in keys]
    return crumbs[-1] if crumbs else None


def clean_html(tree: HtmlElement, url: str | None = None) -> Extracted | None:
    """The story from a page in one of TEMPLATES; None when the page is in none of them."""
    meta = page_meta(tree)  # read before pruning: JSON-LD lives in <script>
    if (first_meta(tree, "og:type") or "article").lower() not in STORY_TYPES:
        return None  # a section front, video or listing page
    for template in TEMPLATES:
        scope = (_first(tree, template.scope) or [tree])[0]
        titles = _first(scope, template.title) or _first(tree, template.title)
        containers = _first(scope, template.body)
        if titles and containers:
            break
    else:
        return None
    raw_title = text_of(titles[0])
    crumbs = [text_of(a) for a in _first(tree, template.breadcrumb)]
    title = prefer_headline(raw_title, crumbs[-1] if crumbs else None, meta.title)
    published, modified = _dates(scope, template)
    description = text_of((_first(scope, template.description) or [None])[0]) or None
    authors = unique(name for a in _first(scope, template.authors) for name in split_authors(text_of(a)))
    tags = [text_of(a) for a in _first(tree, template.tags)] or meta.tags or keywords(tree)
    _prune(tree, PRUNE)
    containers = _first(scope, template.body)  # again: pruning may have removed some
    for container in containers:  # "इसे भी पढ़ें: <a>…</a>", "READ: <a>…</a>"
        widgets.drop_widget_elements(container, url or meta.url)
    paragraphs = clean_paragraphs(_body_paragraphs(containers), title)
    if description:
        paragraphs = [p for p in paragraphs if p.casefold() != description.casefold()]
    if not paragraphs:
        return None
    section = _section(tree, template, title) or meta.section
    return Extracted(
        paragraphs=paragraphs,
        title=title,
        description=description or (html.unescape(meta.description) if meta.description else None),
        authors=authors or meta.authors,
        published=published or meta.published,
        modified=modified or meta.modified,
        section=section,
        tags=tags,
        url=meta.url,
        language=meta.language,
        template=template.name,
    )


def keywords(tree: HtmlElement) -> list[str]:
    """The story's keywords meta (news_keywords, else keywords): Republic Bharat's pages carry
    their tags only there (no JSON-LD keywords, no tag links)."""
    value = first_meta(tree, "news_keywords", "keywords")
    return unique(t.strip() for t in html.unescape(value).split(",") if t.strip()) if value else []


# ---------------------------------------------------------------------------------------------
# Text path

# Lines after the body that end it when no "Published" line does (2023 footer widgets).
END_LINES = {"comment", "comments", "subscribe to us", "watch us live", "latest news", "follow us",
             "download the app", "tags:"}
TAGS_LINE = re.compile(r"^Tags\s*:\s*(?P<tags>.*)$", re.IGNORECASE)  # "Tags: a, b" ends the body too
HEADER_SPAN = 8  # the author line is at most this many lines after the title


def _dated(line: str, following: str | None, pattern: re.Pattern) -> tuple[bool, str | None]:
    """Whether the line is a `pattern` label, and its date (on the line or the next one)."""
    match = pattern.match(line)
    if not match:
        return False, None
    if match.group("date"):
        return True, parse_text(match.group("date"), formats=DATE_FORMATS, zone=IST)
    return True, parse_date(following)


def _header(lines: list[str]) -> int | None:
    """Index of the date line that opens the story header (Updated, or Published at the top)."""
    for i, line in enumerate(lines[:-1]):
        if any(_dated(line, lines[i + 1], pattern)[1] for pattern in (UPDATED_LINE, PUBLISHED_LINE)):
            return i
    return None


CRUMB_MAX_WORDS = 5


def _section_and_headline(lines: list[str], title: str) -> tuple[str | None, str | None]:
    """The breadcrumb before the header, if the dump has it: "Home / Science / Space / headline",
    "Hindi News / Technology News / Social Media / headline" — short crumbs, then the headline
    as the editors wrote it (the h1 is title-cased)."""
    key = title.casefold()
    for i in range(len(lines) - 1, 1, -1):
        if lines[i].casefold() != key:
            continue
        crumbs = lines[i - 2:i]
        if all(count_words(c) <= CRUMB_MAX_WORDS for c in crumbs):
            section = lines[i - 1] if lines[i - 1].casefold() != "home" else None
            return section, lines[i]
    return None, None


def _is_label(line: str) -> bool:
    """A short line without sentence punctuation between the standfirst and the byline (the
    section's name, "IPL 2023"): not part of the standfirst."""
    return count_words(line) <= CRUMB_MAX_WORDS and line[-1:] not in ".!?।\"”"


def clean_text(text: str) -> Extracted | None:
    """The story from a whole-page dump; None when the dump has no Republic World header."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    start = _header(lines)
    if start is None or start + 1 >= len(lines):
        return None
    published = modified = None
    is_published, value = _dated(lines[start], lines[start + 1], PUBLISHED_LINE)
    if is_published:
        published = value
    else:
        modified = _dated(lines[start], lines[start + 1], UPDATED_LINE)[1]
    i = start + 1
    if DATE_ONLY_LINE.match(lines[i]):  # the date on its own line under its label
        i += 1
    title_index = i
    raw_title = lines[title_index]
    authors: list[str] = []
    has_byline = False
    body_start = title_index + 1
    description = None
    for j in range(title_index + 1, min(len(lines), title_index + 1 + HEADER_SPAN)):
        match = AUTHOR_LINE.match(lines[j])
        if match:
            names = match.group("name")
            body_start = j + 1
            if not names and j + 1 < len(lines):
                names, body_start = lines[j + 1], j + 2
            authors = split_authors(names)
            has_byline = True
            description = " ".join(x for x in lines[title_index + 1:j] if not _is_label(x)) or None
            break
    end, closed, marked = len(lines), False, False
    tags: list[str] = []
    for j in range(body_start, len(lines)):
        tags_match = TAGS_LINE.match(lines[j])
        if tags_match:
            tags = [t.strip() for t in tags_match.group("tags").split(",") if t.strip()]
            end = min(end, j)
            continue
        found, value = _dated(lines[j], lines[j + 1] if j + 1 < len(lines) else None, PUBLISHED_LINE)
        if found:
            published = published or value
            end, closed = min(end, j), True
            break
        if (UPDATED_LINE.match(lines[j]) and _dated(lines[j], None, UPDATED_LINE)[1]) or \
                lines[j].casefold() in END_LINES:
            end, marked = min(end, j), True
            break
    if not (closed or marked or tags):  # a footer this template's rules do not know
        end = body_end(lines, body_start, raw_title)
    if not (has_byline or closed):
        return None  # a date line alone does not make a story (listings carry dates too)
    section, headline = _section_and_headline(lines[:start], raw_title)
    title = prefer_headline(raw_title, headline)
    paragraphs = clean_paragraphs(lines[body_start:end], title)
    if description:
        paragraphs = [p for p in paragraphs if p.casefold() != description.casefold()]
    if not paragraphs or not any(count_words(p) >= 15 for p in paragraphs):
        return None
    return Extracted(paragraphs=paragraphs, title=title, description=description, authors=authors,
                     published=published, modified=modified, section=section, tags=tags,
                     template=dump_template(lines[start]))


def dump_template(header: str) -> str:
    """"2023" for the "Last Updated: 24th March, 2023 17:26 IST" header, "legacy" for the 2021-22
    "Updated January 17th, 2022 at 13:14 IST"."""
    return "2023" if re.match(r"^(?:Last Updated|First Published)\b", header, re.IGNORECASE) else "legacy"


SIGNATURES = (
    re.compile(rf"^(?:Last )?Updated:? (?:{_DATE})$", re.MULTILINE),
    re.compile(rf"^(?:First )?Published:? (?:{_DATE})$", re.MULTILINE),
    re.compile(rf"^First Published:\s*\n\s*{_DATE}", re.MULTILINE),
    re.compile(r"^Reported by: ", re.MULTILINE),
    re.compile(r"^IMAGE: .{1,60} \| Image:", re.MULTILINE),
    re.compile(r"^READ \| ", re.MULTILINE),
    re.compile(r"© \d{4} Republic\. All rights reserved\."),
)

register(SiteCleaner(
    name="republicworld",
    site=SITE,
    domains=DOMAINS,
    clean_html=clean_html,
    clean_text=clean_text,
    signatures=SIGNATURES,
))
