"""Sputnik (sputniknews.com, sputnikglobe.com, its language editions and sister domains).

Two inputs, one set of rules per template:

* HTML: the page is matched against TEMPLATES (class names, newest first), so a redesign is a data
  change. The 2022+ template has `.article__title`, `.article__announce-text`, one
  `.article__block[data-type]` per paragraph-ish element in `.article__body` (text, subheading and
  list blocks are kept; related-article, media, quote, embed and banner blocks are widgets) and
  tags in `.tags li`. The 2016-2021 template has `.b-article__header-title h1`,
  `.b-article__refs-rubric` (section), `time.b-article__refs-date`, `.b-article__refs-author`,
  `.b-article__lead` and the body in `.b-article__text`, with `.b-inject*` blocks (photos,
  players, related articles) inside it and the tags in `.b-article__refs-tags`.
  Metadata is read first: title, lead, section, authors and tags from the DOM (JSON-LD and meta
  tags where it is silent); dates from JSON-LD and meta tags (they carry seconds and an offset),
  the page's own date elements where those are silent. Widgets are then removed from the DOM
  before any body text is made.
* Text dumps (BeautifulSoup get_text of the whole page, as the seeds were made):
  - classic (the seed): "Listen Live", section, title, "© Sputnik / …" credit, a "Get short URL"
    line of its own, the lead, the body, related headlines, the tag line, "Community standards".
  - 2020 (`b-article`): the header runs together on one line ("…<title><section>22:57  GMT
    28.04.2020(updated …) Get short URLby <author>"); the hidden schema.org block runs into the
    lead and the first paragraph ("Subscribe<img url>…<page url><lead> / <paragraph>", the " / "
    is the empty audio player); the body runs to the share bar ("...RedditGoogle+…") and "Tags:".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml.html import HtmlElement

from ..article import Extracted, count_words
from ..metadata.dates import parse_iso, parse_text
from ..metadata.htmlmeta import first_meta, page_meta, text_of, unique
from ..registry import SiteCleaner, register
from ..generic import widgets
from .dumpbody import body_end
from ..generic.textrules import drop_read_more_widgets, drop_repeats, is_junk_line

SITE = "sputniknews.com"
# Each domain matches its subdomains too (arabic., mundo., fr., de., jp., lv. sputniknews.com, ...).
DOMAINS = (
    "sputniknews.com", "sputnikglobe.com",  # International (sputnikglobe.com since 2022)
    "sputniknews.cn", "sputniknews.gr", "sputniknews.lt", "sputniknews.jp", "sputniknews.in",
    "sputniknews.uz", "sputniknews.vn", "sputniknews.africa", "sputnik.africa",
    "sputnik.by", "sputnik.kz", "sputnik.kg", "sputnik.az", "sputnik.md", "sputnik-tj.com",
    "armeniasputnik.am", "sputnik-georgia.ru", "sputnik-georgia.com", "sputnik-abkhazia.ru",
    "sputnik-abkhazia.info", "sputnik-ossetia.ru", "sputnikportal.rs", "sputniknewslv.com",
    "sputnik-meedia.ee", "sputniknews.lat", "noticiaslatam.lat",  # Mundo, since 2022
    "snanews.de",  # SNA, the German edition since 2021
    "sputnikarabic.ae",
)
SIGNATURES = (
    re.compile(r"Get short URL(?:by\s|$)", re.MULTILINE),
    re.compile(r"^Listen Live$|Listen LiveSearch", re.MULTILINE),
    re.compile(r"Comment via Sputnik"),
    re.compile(r"\(Sputnik\)\s*[—–-]"),  # dateline: "MOSCOW (Sputnik) —"
    re.compile(r"© Sputnik\s*/"),  # photo credit: "© Sputnik / Kirill Kallinikov"
    re.compile(r"\d{1,2}:\d{2}\s+GMT\s+\d{2}\.\d{2}\.\d{4}"),  # date line: "22:57  GMT 28.04.2020"
)

TERMINAL = '.!?…"”»)’\''  # prose ends with one of these; headlines and tags do not
TITLE_SUFFIX = re.compile(r"\s+[-—–|]\s+Sputnik\b.*$")  # "<title>… - Sputnik International"
OUTLET_AUTHOR = re.compile(r"^(?:RIA Novosti|Sputnik)\b", re.IGNORECASE)
AUTHOR_SUFFIX = re.compile(r"[.,]\s*Sputnik\b.*$")  # "Wilmer Leon. Sputnik International"
DATELINE = re.compile(r"^[^()\n]{2,60}\(Sputnik\)\s*[—–-]")
CREDIT = re.compile(r"^©")  # "© Sputnik / Kirill Kallinikov", "© AP Photo / …", "© 2020 Sputnik"
# The sign-off under every radio show episode ("We'd love to get your feedback at radio@…").
RADIO_SIGNOFF = re.compile(r"^We'?d love to (?:get|hear) your feedback at \S+@\S+$", re.IGNORECASE)
UTC = timezone.utc
GMT_DATE = re.compile(r"\d{1,2}:\d{2}\s+GMT\s+\d{2}\.\d{2}\.\d{4}")
GMT_FORMATS = ("%H:%M GMT %d.%m.%Y",)
HEADLINE_MAX_WORDS = 25
TAG_MAX_WORDS = 6


# ---------------------------------------------------------------------------------------------
# HTML templates

def has_class(name: str) -> str:
    """XPath predicate: the element's class attribute holds the class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def by_class(name: str, tag: str = "*") -> str:
    return f".//{tag}[{has_class(name)}]"


@dataclass(frozen=True)
class Template:
    name: str
    body: str  # XPath of the body container; the template matches when it is found
    root_class: str  # class of the article container the metadata is read from
    title: tuple[str, ...]
    lead: tuple[str, ...]
    section: tuple[str, ...]
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    published: tuple[str, ...]  # date elements: datetime / data-unixtime attributes, or GMT text
    modified: tuple[str, ...]
    widgets: tuple[str, ...]  # XPaths (relative to the body) of elements removed before the text
    paragraph_classes: tuple[str, ...] = ()  # <div> classes that hold one paragraph each


TEMPLATES = (
    Template(
        name="2022",
        body=by_class("article__body") + f"[.//*[{has_class('article__block')}]]",
        root_class="article",
        title=(by_class("article__title", "h1"), by_class("article__title")),
        lead=(by_class("article__announce-text"),),
        section=(by_class("article__section"), ".//*[@itemprop='articleSection']"),
        authors=(by_class("article__author-name"), by_class("article__author") + "//a"),
        tags=(by_class("tags") + "//li",),
        published=(by_class("article__info-date") + "/a", by_class("article__info-date")),
        modified=(by_class("article__info-date-modified"),),
        widgets=(
            # blocks that are not text: related article, photo, pull quote, embed, banner, ...
            ".//*[" + has_class("article__block") + " and @data-type and not(@data-type='text' or "
            "@data-type='h2' or @data-type='h3' or @data-type='h4' or @data-type='list' or "
            "@data-type='table')]",
            by_class("article__article"), by_class("article__quote"), by_class("article__html"),
            by_class("article__banner"), by_class("media"), by_class("media__copyright"),
            by_class("article__share"), by_class("article__google-news"), by_class("article__photo"),
            by_class("article__video"), by_class("article__audio"), by_class("article__embed"),
        ),
        paragraph_classes=("article__text", "article__h2", "article__h3", "article__list"),
    ),
    Template(
        name="2020",
        body=by_class("b-article__text"),
        root_class="b-article",
        title=(by_class("b-article__header-title") + "//h1", ".//h1[@itemprop='headline']", ".//h1"),
        lead=(by_class("b-article__lead"),),
        section=(by_class("b-article__refs-rubric"), ".//*[@itemprop='articleSection']"),
        authors=(by_class("b-article__refs-author") + "//a[@rel='author']",
                 by_class("b-article__refs-author")),
        tags=(by_class("b-article__refs-tags") + "//a",),
        published=(by_class("b-article__refs-date", "time"),),
        modified=(by_class("b-article__refs-date-upd", "time"),),
        widgets=(
            # b-inject*: inline photos with credit and caption, audio/video players, related articles
            ".//*[starts-with(@class, 'b-inject') or contains(@class, ' b-inject')]",
            by_class("b-article__refs-getshorturl"), by_class("b-article__audio"),
            by_class("social-likes-pane"), by_class("b-article__likes"), by_class("b-banner"),
            by_class("taboola-banner"), by_class("article__google-news"), by_class("b-counters"),
        ),
    ),
)
# Widgets of every template (and embeds that are not the article's own prose).
COMMON_WIDGETS = (
    ".//script", ".//style", ".//noscript", ".//iframe", ".//form", ".//button", ".//figure",
    ".//figcaption", by_class("twitter-tweet", "blockquote"), by_class("instagram-media", "blockquote"),
    by_class("tiktok-embed", "blockquote"),
)
BLOCK_TAGS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "li", "ul", "ol", "pre", "dd", "dt", "dl", "table", "tr", "td", "th"}
PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "pre", "dd", "dt", "td",
                  "th", "div"}


def _texts(root: HtmlElement, xpaths: tuple[str, ...]) -> list[str]:
    """Texts of the elements the first matching XPath finds."""
    for xpath in xpaths:
        texts = [t for t in (text_of(e) for e in root.xpath(xpath)) if t]
        if texts:
            return texts
    return []


def _first_text(root: HtmlElement, xpaths: tuple[str, ...]) -> str | None:
    return (_texts(root, xpaths) or [None])[0]


def _clean_author(name: str) -> str | None:
    """'by Wilmer Leon' / 'Wilmer Leon. Sputnik International' -> 'Wilmer Leon'; the outlet -> None."""
    name = re.sub(r"^by\s+", "", name.strip(), flags=re.IGNORECASE)
    name = AUTHOR_SUFFIX.sub("", name).strip(" .,")
    return None if not name or OUTLET_AUTHOR.match(name) else name


def _date_of(element: HtmlElement) -> str | None:
    """A date element's value: an offset-bearing datetime, a unix time, or 'HH:MM GMT DD.MM.YYYY'.

    Sputnik's datetime attributes carry no offset ("2020-04-28T22:57"), but the visible text says
    GMT, so the GMT text wins over an offset-less attribute."""
    stamp = element.get("data-unixtime")
    if stamp and stamp.strip().isdigit():
        return datetime.fromtimestamp(int(stamp), UTC).isoformat()
    value = element.get("datetime") or ""
    if re.search(r"(Z|[+-]\d\d:?\d\d)$", value.strip()):
        return parse_iso(value)
    match = GMT_DATE.search(text_of(element))
    if match:
        return parse_text(match.group(0), formats=GMT_FORMATS, zone=UTC)
    return parse_iso(value) if value else None


def _dom_date(root: HtmlElement, xpaths: tuple[str, ...]) -> str | None:
    for xpath in xpaths:
        for element in root.xpath(xpath):
            value = _date_of(element)
            if value:
                return value
    return None


def _is_block(element: HtmlElement) -> bool:
    return element.tag in BLOCK_TAGS or any(e.tag in BLOCK_TAGS for e in element.iterdescendants())


def _paragraphs(element: HtmlElement, template: Template) -> list[str]:
    """Block elements with no block inside are one paragraph each (a div of a paragraph class
    too); text between blocks (loose in a container) is a paragraph of its own. Inside either, a
    run of two <br> starts a new paragraph (older articles set paragraphs that way)."""
    classes = set((element.get("class") or "").split())
    leaf = (element.tag in PARAGRAPH_TAGS or classes & set(template.paragraph_classes)) and \
        not any(e.tag in BLOCK_TAGS for e in element.iterdescendants())
    paragraphs: list[str] = []
    run: list[str] = [element.text or ""]
    breaks = 0

    def flush() -> None:
        text = " ".join("".join(run).split())
        if text:
            paragraphs.append(text)
        run.clear()

    for child in element:
        tail = child.tail or ""
        if not isinstance(child.tag, str):  # a comment or processing instruction
            run.append(tail)
            continue
        if child.tag == "br":
            breaks += 1
            if breaks >= 2:
                flush()
            run.append(" ")
        elif not leaf and _is_block(child):
            flush()
            paragraphs.extend(_paragraphs(child, template))
            breaks = 0
        else:  # inline markup: part of the current paragraph
            run.append(child.text_content())
            breaks = 0 if child.text_content().strip() else breaks
        run.append(tail)
        if tail.strip():
            breaks = 0
    flush()
    return paragraphs


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep its tail text (it belongs to the parent)."""
    if element.getparent() is not None:
        element.drop_tree()


def prune(body: HtmlElement, template: Template) -> None:
    for xpath in template.widgets + COMMON_WIDGETS:
        for element in body.xpath(xpath):
            _drop(element)


def _find_template(tree: HtmlElement) -> tuple[Template, HtmlElement] | None:
    for template in TEMPLATES:
        bodies = tree.xpath(template.body)
        if bodies:
            return template, bodies[0]
    return None


def _article_root(body: HtmlElement, template: Template) -> HtmlElement:
    """The article container around the body (pages that scroll on to the next article hold
    several); the whole page when there is none."""
    roots = body.xpath(f"ancestor::*[{has_class(template.root_class)}][1]")
    return roots[0] if roots else body.getroottree().getroot()


def clean_html(tree: HtmlElement, url: str | None = None) -> Extracted | None:
    """An article in one of TEMPLATES; None for any other page (listings, galleries, redesigns)."""
    found = _find_template(tree)
    if not found:
        return None
    template, body = found
    root = _article_root(body, template)
    meta = page_meta(tree)
    title = _first_text(root, template.title) or (TITLE_SUFFIX.sub("", meta.title) if meta.title else None)
    authors = [a for a in map(_clean_author, _texts(root, template.authors)) if a] or \
        [a for a in map(_clean_author, meta.authors) if a]
    extracted = Extracted(
        title=title,
        description=_first_text(root, template.lead) or meta.description,
        authors=unique(authors),
        published=meta.published or _dom_date(root, template.published),
        modified=meta.modified or parse_iso(first_meta(tree, "lastmod"))
        or _dom_date(root, template.modified),
        section=_first_text(root, template.section) or meta.section,
        tags=unique(_texts(root, template.tags) or meta.tags),
        url=meta.url,
        language=meta.language,
        template=template.name,
    )
    prune(body, template)
    widgets.drop_widget_elements(body, url or meta.url)
    paragraphs = _paragraphs(body, template)
    extracted.paragraphs = filter_body(paragraphs, title, extracted.description)
    return extracted if extracted.paragraphs else None


def filter_body(paragraphs: list[str], title: str | None, lead: str | None = None) -> list[str]:
    """Generic junk rules plus Sputnik's: photo credits ("©"), the radio sign-off, a repeat of the
    lead."""
    lines = drop_read_more_widgets([p for p in paragraphs if p.strip()])
    lead_key = " ".join(lead.split()).casefold() if lead else None

    def is_widget(line: str) -> bool:
        return bool(is_junk_line(line) or CREDIT.match(line) or RADIO_SIGNOFF.match(line)
                    or " ".join(line.split()).casefold() == lead_key)

    return drop_repeats([line for line in lines if not is_widget(line)], title)


# ---------------------------------------------------------------------------------------------
# Text dumps

SHORT_URL = re.compile(r"^Get short URL$", re.IGNORECASE)
# "…<title><section>22:57  GMT 28.04.2020(updated 11:14  GMT 29.04.2020) Get short URLby Wilmer Leon"
HEADER_2020 = re.compile(r"(?P<date>\d{1,2}:\d{2}\s+GMT\s+\d{2}\.\d{2}\.\d{4})\s*"
                         r"(?:\(updated:?\s*(?P<updated>\d{1,2}:\d{2}\s+GMT\s+\d{2}\.\d{2}\.\d{4})\s*\))?"
                         r"\s*Get short URL(?:\s*by\s*(?P<authors>.+))?$")
URL_TOKEN = re.compile(r"https?://\S+")
AUDIO_GLUE = re.compile(r"^(?P<lead>.*?[.!?…\"”»])\s/\s(?P<rest>\S.*)$")  # the empty player: " / "
SENTENCE_GLUE = re.compile(r"(?<=[a-z0-9%)\]][.!?…])(?=[\"“«A-Z])")  # "expertise."More …"
# Where the body of a dump ends: share bar, tags, comments.
BODY_END = re.compile(r"^(?:\.\.\.)?(?:Reddit|Google\+)|^Tags:|^Community standards|^Comment via"
                      r"|^Track\s*Do not track|^All comments", re.IGNORECASE)
TAGS_2020 = re.compile(r"^Tags:\s*(?P<tags>.*?)(?:Track\s*Do not track|Community standards|$)")
AUTHOR_SPLIT = re.compile(r"\s*,\s*|\s+and\s+")


def _is_headline(line: str) -> bool:
    """A related-article headline: short, no final punctuation, mostly capitalised words."""
    words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
    if not words or count_words(line) > HEADLINE_MAX_WORDS or line[-1] in TERMINAL + ",;:":
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _tag_list(line: str) -> list[str] | None:
    """'NATO, Kremlin, Dmitry Peskov, Russia' -> its tags; None when the line is not a tag list."""
    parts = [p.strip() for p in line.split(",")]
    if len(parts) < 2 or line[-1] in TERMINAL or not all(parts):
        return None
    if any(count_words(p) > TAG_MAX_WORDS for p in parts):
        return None
    return parts


def _body_lines(lines: list[str], title: str | None = None) -> list[str]:
    """Lines up to the first BODY_END marker (where there is none, to where the line model says
    the page tail starts), without junk lines and credits."""
    if not any(BODY_END.match(line) for line in lines):
        lines = lines[:body_end(lines, 0, title)]
    out = []
    for line in lines:
        if BODY_END.match(line):
            break
        if line and not is_junk_line(line) and not CREDIT.match(line) and not line.isdigit():
            out.append(line)
    return out


def _classic_dump(lines: list[str]) -> Extracted | None:
    """The seed's template: a "Get short URL" line of its own between the title and the lead."""
    anchor = next((i for i, line in enumerate(lines) if SHORT_URL.match(line)), None)
    if anchor is None:
        return None
    head = [line for line in lines[:anchor] if line and not is_junk_line(line) and not CREDIT.match(line)]
    if not head:
        return None
    title = head[-1]
    section = head[-2] if len(head) >= 2 and _is_headline(head[-2]) and count_words(head[-2]) <= 8 else None
    body = _body_lines(lines[anchor + 1:], title)
    tags: list[str] = []
    if body and _tag_list(body[-1]):
        tags = _tag_list(body.pop()) or []
    while body and _is_headline(body[-1]):  # related headlines after the body
        body.pop()
    description = None
    if len(body) >= 2 and not DATELINE.match(body[0]) and DATELINE.match(body[1]):
        description = body.pop(0)  # the lead stands before the dateline paragraph
    body = filter_body(body, title, description)
    return Extracted(paragraphs=body, title=title, description=description, section=section, tags=tags,
                     template="classic")


def _split_lead(tail: str) -> tuple[str | None, str]:
    """'<lead> / <first paragraph>' (audio player between) or '<lead><first paragraph>' glued."""
    match = AUDIO_GLUE.match(tail)
    if match:
        return match.group("lead"), match.group("rest")
    if tail.startswith("/ "):
        return None, tail[2:]
    glue = SENTENCE_GLUE.search(tail)
    if glue:
        lead, rest = tail[:glue.start()], tail[glue.start():]
        if lead.count('"') % 2 and rest.startswith('"'):  # the quote closes the lead
            lead, rest = lead + '"', rest[1:]
        return lead, rest
    return None, tail


def _after_url(line: str) -> str | None:
    """The text glued after the last URL of the hidden schema.org block (the page's own URL)."""
    tokens = list(URL_TOKEN.finditer(line))
    if not tokens:
        return None
    token = tokens[-1].group(0)
    cut = token.find(".html") + 5 if ".html" in token else token.rfind("/") + 1
    tail = (token[cut:] + line[tokens[-1].end():]).strip()
    return tail if count_words(tail) >= 5 else None


def _dump_2020(lines: list[str]) -> Extracted | None:
    """The b-article template's dump: header line with the GMT date and "Get short URL"."""
    header_at, header = next(((i, m) for i, line in enumerate(lines) if (m := HEADER_2020.search(line))),
                             (None, None))
    if header is None:
        return None
    line = lines[header_at]
    title = next((TITLE_SUFFIX.sub("", x) for x in lines[:header_at] if x and TITLE_SUFFIX.search(x)), None)
    section = None
    if title and title in line[:header.start()]:
        section = line[line.rfind(title, 0, header.start()) + len(title):header.start()].strip() or None
    start = next((i for i in range(header_at + 1, len(lines)) if _after_url(lines[i])), None)
    if start is None:
        return None
    description, first = _split_lead(_after_url(lines[start]))
    body = _body_lines([first] + lines[start + 1:], title)
    tags_line = next((m for x in lines[start:] if (m := TAGS_2020.match(x))), None)
    tags = [t.strip() for t in tags_line.group("tags").split(",") if t.strip()] if tags_line else []
    authors = [a for a in AUTHOR_SPLIT.split(header.group("authors") or "") if a]
    return Extracted(
        paragraphs=filter_body(body, title, description),
        title=title,
        description=description,
        authors=unique(a for a in (_clean_author(x) for x in authors) if a),
        published=parse_text(header.group("date"), formats=GMT_FORMATS, zone=UTC),
        modified=parse_text(header.group("updated"), formats=GMT_FORMATS, zone=UTC),
        section=section,
        tags=unique(tags),
        template="2020",
    )


def clean_text(text: str) -> Extracted | None:
    """A dump in a template we know (2020 b-article, then the classic one); None otherwise."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for parse in (_dump_2020, _classic_dump):
        extracted = parse(lines)
        if extracted and extracted.paragraphs:
            return extracted
    return None


CLEANER = register(SiteCleaner(name="sputnik", site=SITE, domains=DOMAINS, clean_html=clean_html,
                               clean_text=clean_text, signatures=SIGNATURES))
