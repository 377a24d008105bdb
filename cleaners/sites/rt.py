"""RT (rt.com, every language edition on its subdomains, and the mirrors RT runs its sites on).

Two inputs, one set of rules per template:

* HTML: the page is matched against TEMPLATES (class names, newest first), so a redesign is a data
  change. The 2026 template (RT en Español and the other editions on the same engine) has
  `.ArticleView-title h1`, `.ArticleView-timestamp` ("Publicado:" + `time[datetime]`),
  `.ArticleView-summary`, a `.Cover-root` figure and the body in `.ArticleView-text`, with
  `.ReadMore-root` cards (`data-widgets`) inside it. The 2019–2024 English template has
  `h1.article__heading`, `.article__summary`, `.date`, `.media__footer` captions, and the body in
  `.article__text` with `.read-more`/`.read-more-big` cards and a "Follow RT on" line inside.
  Widgets are removed from the DOM before any text is made; metadata is read first (JSON-LD and
  meta tags, then the DOM: `time[datetime]`, breadcrumbs, tag links).
* Text dumps (BeautifulSoup get_text of the whole page, as the seeds were made): the English
  template is found by its date line ("19 Feb, 2022 14:15"), then breadcrumb ("HomeRussia & FSU"),
  title, standfirst, repeated title; the body runs to the page tail ("Top stories", "Podcasts",
  "RT News App", copyright, cookies). The 2026 template is found by "Publicado:" + date line; its
  dump runs paragraphs together ("denunció."La postura…"), so they are split again at a sentence
  end glued to a capitalised word, and the cover caption + credit glued to the first paragraph is
  cut off. The body runs to the "Compartir:" share label.

An RT-template teaser, a last paragraph that is only a bold/italic link to another article
("El estrecho de Ormuz, la verdadera 'arma' de Irán"), is a widget and dropped on both paths.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml.html import HtmlElement

from ..article import Extracted, count_words, normalise_paragraph
from ..metadata.dates import parse_iso, parse_text
from ..metadata.htmlmeta import first_meta, page_meta, text_of, unique
from ..registry import SiteCleaner, register
from ..generic import widgets
from .dumpbody import body_end
from ..generic.textrules import drop_read_more_widgets, drop_repeats, is_junk_line

SITE = "rt.com"
# rt.com matches every edition (www., actualidad., russian., arabic., francais., de., rtd., ...).
# The mirrors serve the same templates when rt.com is blocked:
DOMAINS = (
    "rt.com",
    "esrt.press", "esrt.space", "esrt.online",  # RT en Español
    "swentr.site",  # RT English
    "rtde.site", "rtde.live", "rtde.world", "rtde.tech", "rtde.xyz",  # RT DE
    "rt.rs",  # RT Balkan
)
SIGNATURES = (
    re.compile(r"^icon bookmark-bicon bookmarkicon\b.*icon fm$", re.MULTILINE),  # icon-sprite titles
    re.compile(r"TV-Novosti"),  # the copyright line of every edition
    re.compile(r"^RT News App$", re.MULTILINE),
    re.compile(r"Read RT Privacy policy"),
    re.compile(r"^RT en Español en vivo\b", re.MULTILINE),
)

# Authors that are the outlet itself ("RT en Español" in article:author), not a person.
OUTLET_AUTHOR = re.compile(r"^(?:RT|Russia Today)(?:\s|$)", re.IGNORECASE)
TITLE_SUFFIX = re.compile(r"\s+[-—|]\s+RT(?:\s.*)?$")  # "<title>… - RT</title>"
TERMINAL = '.!?…"”»)’\''  # a paragraph of prose ends with one of these
TEASER_MAX_WORDS = 20
WIDGET_HEADLINE_MAX_WORDS = 25
# RT's own junk lines inside the body, on top of the generic ones in textrules.
RT_JUNK = (
    re.compile(r"^Follow RT on\b.{0,40}$"),  # "Follow RT on Telegram" (.follows-channel)
    re.compile(r"^Subscribe to RT\b.{0,120}$"),  # the newsletter line under English articles
)


def is_rt_junk(line: str) -> bool:
    return is_junk_line(line) or any(p.match(line) for p in RT_JUNK)


# ---------------------------------------------------------------------------------------------
# Dates

EN_DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]{2}, \d{4} \d{1,2}:\d{2}\b")  # "19 Feb, 2022 14:15"
EN_DATE_FORMATS = ("%d %b, %Y %H:%M",)
# "7 may 2026 22:03 GMT" (RT en Español; other 2026 editions use their own month names).
LOCAL_DATE = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]{3,10})\.?,?\s+(?P<year>\d{4})[,\s]+"
                        r"(?P<time>\d{1,2}:\d{2})(?:\s+(?P<zone>GMT|UTC))?$")
# Month names of the 2026 editions' visible dates (es, en, fr, de, ru — Russian in the genitive).
MONTHS = {name: i for i, names in enumerate((
    ("ene", "enero", "jan", "january", "janv", "janvier", "januar", "янв", "января"),
    ("feb", "febrero", "february", "févr", "fév", "février", "februar", "фев", "февраля"),
    ("mar", "marzo", "march", "mars", "märz", "мар", "марта"),
    ("abr", "abril", "apr", "april", "avr", "avril", "апр", "апреля"),
    ("may", "mayo", "mai", "мая"),
    ("jun", "junio", "june", "juin", "juni", "июн", "июня"),
    ("jul", "julio", "july", "juil", "juillet", "juli", "июл", "июля"),
    ("ago", "agosto", "aug", "august", "août", "авг", "августа"),
    ("sep", "sept", "septiembre", "setiembre", "september", "septembre", "сен", "сентября"),
    ("oct", "octubre", "october", "octobre", "okt", "oktober", "окт", "октября"),
    ("nov", "noviembre", "november", "novembre", "ноя", "ноября"),
    ("dic", "diciembre", "dec", "december", "déc", "décembre", "dez", "dezember", "дек", "декабря")),
    start=1) for name in names}
PUBLISHED_LABELS = ("publicado", "published", "publié", "veröffentlicht", "опубликовано")
MODIFIED_LABELS = ("actualizado", "updated", "edited", "mis à jour", "aktualisiert", "обновлено")


def parse_local_date(text: str | None) -> str | None:
    """A visible 2026-template date ("7 may 2026 22:03 GMT") as ISO 8601, UTC when it says GMT."""
    match = LOCAL_DATE.match(" ".join((text or "").split()))
    if not match:
        return None
    month = MONTHS.get(match.group("month").lower())
    if not month:
        return parse_text(match.group(0).replace("GMT", "").replace("UTC", ""),
                          zone=timezone.utc if match.group("zone") else None)
    hour, minute = (int(x) for x in match.group("time").split(":"))
    value = datetime(int(match.group("year")), month, int(match.group("day")), hour, minute)
    if match.group("zone"):
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def parse_en_date(text: str | None) -> str | None:
    """A visible English-template date ("19 Feb, 2022 14:15"); it states no zone, none is added."""
    match = EN_DATE.search(text or "")
    return parse_text(match.group(0), formats=EN_DATE_FORMATS) if match else None


# ---------------------------------------------------------------------------------------------
# HTML path

@dataclass(frozen=True)
class Template:
    """Class names of one RT page template (any element carrying the class matches)."""
    name: str
    root: str  # the article's container: header fields are looked up inside it
    body: str
    title: tuple[str, ...]  # XPath expressions, first match wins
    summary: str
    date: str  # the element holding the visible date / time[datetime]
    breadcrumbs: str
    tags: str  # tag links
    authors: str
    drop: tuple[str, ...]  # widget classes removed from the body
    # XPath that must also match for this template (templates that share the body class differ
    # in their header); None: the body class alone decides.
    requires: str | None = None


TEMPLATES = (
    Template(
        name="2026",
        root="ArticleView-root",
        body="ArticleView-text",
        title=(".//*[contains(@class,'ArticleView-title')]//h1", ".//h1"),
        summary="ArticleView-summary",
        date="ArticleView-timestamp",
        breadcrumbs="Breadcrumbs-root",
        tags="Tags-link",
        authors="ArticleView-authors",
        drop=("ReadMore-root", "Cover-root", "ShareBlock-isReact", "ArticleView-sharesInline",
              "Tags-root", "Card-root", "Section-root"),
    ),
    Template(  # 2014-2018: the same classes, "Published time:" / "Edited time:" in the header,
        # embeds (Facebook posts, tweets, videos) wrapped in .rtcode inside the body
        name="en-2015",
        root="article",
        body="article__text",
        title=(".//h1[contains(@class,'article__heading')]", ".//h1"),
        summary="article__summary",
        date="article__date",
        breadcrumbs="breadcrumbs",
        tags="tags-trends__link",
        authors="article__author",
        drop=("read-more", "read-more-big", "Read-more-text-only", "breadcrumbs", "article__share",
              "article__social-wrapper", "short-url", "follows-channel", "media__footer",
              "media__title", "media__copyright", "tags-trends", "rtcode"),
        requires="//*[contains(@class,'article__date')]//time[starts-with(normalize-space(.), 'Published time')]",
    ),
    Template(
        name="en-2019",
        root="article",
        body="article__text",
        title=(".//h1[contains(@class,'article__heading')]", ".//h1"),
        summary="article__summary",
        date="date",
        breadcrumbs="breadcrumbs",
        tags="tags-trends__link",
        authors="article__author",
        drop=("read-more", "read-more-big", "Read-more-text-only", "breadcrumbs", "article__share",
              "article__social-wrapper", "short-url", "follows-channel", "media__footer",
              "media__title", "media__copyright", "tags-trends"),
    ),
)
# Removed from every body whatever the template: markup that is never article text.
DROP_TAGS = ("script", "style", "noscript", "svg", "iframe", "form", "button", "figcaption", "aside")
DROP_XPATH = ("//*[@data-widgets]", "//blockquote[contains(@class,'twitter-tweet')]",
              "//blockquote[contains(@class,'instagram-media')]", "//*[contains(@class,'fb-post')]")
BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "li", "ul", "ol", "h1", "h2", "h3",
              "h4", "h5", "h6", "figure", "table", "tr", "td", "th", "dl", "dd", "dt", "pre",
              "header", "footer", "main", "nav", "br", "hr"}
EMPHASIS_TAGS = ("strong", "b", "em", "i")


def has_class(name: str, scope: str = ".//") -> str:
    """XPath for elements whose class attribute has the class `name` (a whole word)."""
    return f"{scope}*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def _first(tree, xpath: str):
    found = tree.xpath(xpath)
    return found[0] if found else None


def _drop(element) -> None:
    if element.getparent() is not None:
        element.drop_tree()  # keeps the tail text, which belongs to the parent


def _is_teaser(p: HtmlElement) -> bool:
    """A paragraph that is only a bold/italic link to another article: a promotion, not prose."""
    if not p.xpath(".//a[@href]"):
        return False
    text = text_of(p)
    if not text or count_words(text) > TEASER_MAX_WORDS or text[-1] in ".!?…:":
        return False
    emphasised = "".join(e.text_content() for e in p.iter(*EMPHASIS_TAGS)
                         if not any(a.tag in EMPHASIS_TAGS for a in e.iterancestors()))
    return " ".join(emphasised.split()) == text


def prune_body(body: HtmlElement, template: Template, url: str | None = None) -> None:
    """Remove the widgets, captions and embeds inside the body before its text is read."""
    for element in body.xpath(".//comment() | .//processing-instruction()"):
        _drop(element)
    for tag in DROP_TAGS:
        for element in body.xpath(f".//{tag}"):
            _drop(element)
    for xpath in DROP_XPATH:
        for element in body.xpath("." + xpath):
            _drop(element)
    for name in template.drop:
        for element in body.xpath(has_class(name)):
            _drop(element)
    for p in body.xpath(".//p"):
        if _is_teaser(p):
            _drop(p)
    widgets.drop_widget_elements(body, url)


def block_paragraphs(body: HtmlElement) -> list[str]:
    """The body's text as paragraphs: every block element (p, h2–h4, li, blockquote…) and <br>
    ends one, inline elements (a, strong, em…) run on."""
    out: list[str] = []
    buffer: list[str] = []

    def flush():
        text = normalise_paragraph("".join(buffer))
        buffer.clear()
        if text:
            out.append(text)

    def walk(element):
        is_block = isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS
        if is_block:
            flush()
        if isinstance(element.tag, str) and element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if is_block:
            flush()

    walk(body)
    flush()
    return out


def _date_from_header(header) -> tuple[str | None, str | None]:
    """(published, modified) from the visible header: time[datetime] labelled "Publicado:" /
    "Actualizado:", or the visible English date."""
    published = modified = None
    if header is None:
        return None, None
    for time in header.xpath(".//time"):
        value = parse_iso(time.get("datetime")) or parse_local_date(text_of(time)) \
            or parse_en_date(text_of(time))
        # the label opening the time's text ("Edited time: …"), or before it ("Publicado:")
        label = text_of(time).lower()
        if not any(label.startswith(m) for m in PUBLISHED_LABELS + MODIFIED_LABELS):
            label = text_of(time.getprevious()).lower() if time.getprevious() is not None else ""
        if any(label.startswith(m) for m in MODIFIED_LABELS):
            modified = modified or value
        else:
            published = published or value
    if published is None:
        text = text_of(header)
        published = parse_en_date(text) or parse_local_date(text)
    return published, modified


def _texts(tree, xpath: str) -> list[str]:
    return [t for t in (text_of(e) for e in tree.xpath(xpath)) if t]


def clean_html(tree: HtmlElement, url: str | None = None) -> Extracted | None:
    for template in TEMPLATES:
        if template.requires and not tree.xpath(template.requires):
            continue
        body = _first(tree, has_class(template.body, "//"))
        if body is not None:
            return _extract(tree, body, template, url or page_meta(tree).url)
    return None


def _extract(tree: HtmlElement, body: HtmlElement, template: Template,
             url: str | None) -> Extracted | None:
    meta = page_meta(tree)
    # Header fields inside the article's container (listings elsewhere on the page reuse classes).
    root = next((a for a in body.iterancestors() if template.root in (a.get("class") or "").split()),
                tree)
    title = next((text_of(e) for x in template.title for e in root.xpath(x) if text_of(e)), None)
    if not title and meta.title:
        title = TITLE_SUFFIX.sub("", meta.title)
    summary = _first(root, has_class(template.summary))
    header_published, header_modified = _date_from_header(_first(root, has_class(template.date)))
    published = (meta.published or header_published
                 or parse_iso(first_meta(tree, "mediator_published_time", "published_time_telegram")))
    crumbs = _texts(tree, has_class(template.breadcrumbs, "//") + "//a")
    section = crumbs[-1] if len(crumbs) > 1 else meta.section
    authors = _texts(root, has_class(template.authors) + "//a") or meta.authors
    tags = _texts(root, has_class(template.tags)) or meta.tags

    prune_body(body, template, url)
    paragraphs = [p for p in block_paragraphs(body) if not is_rt_junk(p)]
    paragraphs = drop_repeats(paragraphs, title)
    if not paragraphs:
        return None
    return Extracted(
        paragraphs=paragraphs,
        title=title,
        description=text_of(summary) or meta.description,
        authors=[a for a in unique(authors) if not OUTLET_AUTHOR.match(a)],
        published=published,
        modified=meta.modified or header_modified,
        section=section,
        tags=unique(tags),
        url=meta.url,
        language=meta.language,
        template=template.name,
    )


# ---------------------------------------------------------------------------------------------
# Text path: the English 2019–2024 template

EN_DATE_LINE = re.compile(rf"^{EN_DATE.pattern}$")
BREADCRUMB = re.compile(r"^Home(?=[A-Z]|$)(?P<section>.*)$")  # "HomeRussia & FSU"
# The page tail after the article: the first of these lines ends the body.
EN_TAIL_LINES = {"top stories", "rt features", "podcasts", "all podcasts", "rt news app", "trends"}
EN_TAIL_PATTERNS = (
    re.compile(r"^You can share this story on social media"),
    re.compile(r"^©.*TV-Novosti"),
    re.compile(r"^This website uses cookies"),
    re.compile(r"^العربية\s*esp"),  # the language switcher "العربيةespрусdefr"
)
# A photo caption: ends with "© Credit" (the credit has no full stop of its own).
CAPTION_CREDIT = re.compile(r"(?:^|\s)©\s*(?:[^©.]|\.(?!\s)){1,80}$")  # "© Gettyimages.ru" too
TITLE_REPEAT_WINDOW = 30  # the repeated title follows the standfirst within this many lines



def _is_en_tail(line: str) -> bool:
    return line.lower() in EN_TAIL_LINES or any(p.match(line) for p in EN_TAIL_PATTERNS)


def _next_nonempty(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i]:
        i += 1
    return i


def _english_dump(lines: list[str]) -> Extracted | None:
    date_at = next((i for i, line in enumerate(lines) if EN_DATE_LINE.match(line)), None)
    if date_at is None:
        return None
    i = date_at + 1
    while i < len(lines) and (not lines[i] or is_junk_line(lines[i])):  # "Get short URL"
        i += 1
    section = None
    crumb = BREADCRUMB.match(lines[i]) if i < len(lines) else None
    if crumb:
        section = crumb.group("section").strip() or None
        i = _next_nonempty(lines, i + 1)
    if i >= len(lines):
        return None
    title = lines[i]
    repeat = next((j for j in range(i + 1, min(len(lines), i + TITLE_REPEAT_WINDOW))
                   if lines[j] == title), None)
    description = None
    if repeat is not None:
        description = " ".join(line for line in lines[i + 1:repeat] if line) or None
        start = repeat + 1
    else:
        start = i + 1
    end = next((j for j in range(start, len(lines)) if _is_en_tail(lines[j])), None)
    if end is None:  # a tail this template's rules do not know: the line model says where it starts
        end = body_end(lines, start, title)
    body = [line for line in lines[start:end] if line and not CAPTION_CREDIT.search(line)]
    paragraphs = _filter(body, title)
    if not paragraphs:
        return None
    return Extracted(paragraphs=paragraphs, title=title, description=description,
                     published=parse_en_date(lines[date_at]), section=section, template="en-2019")


def _filter(lines: list[str], title: str | None) -> list[str]:
    lines = drop_read_more_widgets(lines)
    return drop_repeats([line for line in lines if not is_rt_junk(line)], title)


# ---------------------------------------------------------------------------------------------
# Text path: the 2026 template

LABEL_WORDS = "|".join(re.escape(w) for w in PUBLISHED_LABELS + MODIFIED_LABELS)
DATE_LABEL = re.compile(rf"^(?P<byline>.*?)(?P<label>{LABEL_WORDS}):$", re.IGNORECASE)
BREADCRUMB_HOME = ("Portada", "Home", "Accueil", "Startseite", "Главная")  # "PortadaActualidad"
SHARE_LABEL = re.compile(r"(?:Compartir|Share|Partager|Teilen|Поделиться):")
LOCAL_TAIL_PATTERNS = (
    re.compile(r"^RT en Español en vivo\b"),
    re.compile(r"^Lo más popular$"),
    re.compile(r"^©"),
)
# Cover figure in a dump: the caption (its last full stop glued to the credit) and the credit run
# into the first paragraph: "…de Ormuz.Handout / Handout / Gettyimages.ru El representante…".
# A "/"-separated credit may stand without a caption; a bare agency name only after one.
AGENCIES = r"(?:Gettyimages\.ru|Legion-Media|Global Look Press|Reuters|AP|AFP|EFE|Sputnik|Europa Press)"
_CAPTION = r"(?:.{0,400}?[.!?…»”\")](?=\S))"
COVER_CREDITS = (
    re.compile(rf"^{_CAPTION}??[^\s/][^/]{{0,60}}?(?: / [^/]{{1,60}}?)*? / \S+ (?=[^\s/])"),
    re.compile(rf"^{_CAPTION}{AGENCIES} (?=\S)"),
)
# A paragraph boundary lost in the dump: a sentence end glued to a capitalised word
# ("denunció."La postura", "Iravani.Estados", "government?”MP's"); "EE.UU." is not one (capital
# after capital).
GLUED_BOUNDARY = re.compile(
    r"[.!?…](?P<quote>[\"”»’]?)(?=[\"“«¿¡‘]?[A-ZÁÉÍÓÚÑÜ](?:[a-záéíóúñü]|\s|[A-Z]?['’][a-z]))")
# The last sentence of a run that has no end punctuation: a teaser headline glued on.
TRAILING_FRAGMENT = re.compile(r"(?<=[.!?…\"”»])\s+(?P<fragment>[^.!?…]+)$")


def split_glued(line: str) -> list[str]:
    """Split a run of paragraphs the dump glued together. A straight quote after the full stop
    opens the next paragraph when the quotes before it are odd in number (one is still open)."""
    parts, start = [], 0
    for match in GLUED_BOUNDARY.finditer(line):
        end = match.end()
        if match.group("quote") == '"' and line[start:end].count('"') % 2 == 1:
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return [p.strip() for p in parts if p.strip()]


def _is_widget_headline(line: str) -> bool:
    """A card headline (ReadMore widget) on its own line: short, no sentence end."""
    return count_words(line) <= WIDGET_HEADLINE_MAX_WORDS and line[-1] not in TERMINAL


def _is_teaser_text(paragraph: str) -> bool:
    return count_words(paragraph) <= TEASER_MAX_WORDS and paragraph[-1] not in TERMINAL


def _label_line(line: str, labels: tuple[str, ...]) -> re.Match | None:
    """ "Publicado:" on its own line, or after the byline the dump glued to it
    ("Laura GómezPublicado:")."""
    match = DATE_LABEL.match(line)
    return match if match and match.group("label").lower() in labels else None


def _local_dump(lines: list[str]) -> Extracted | None:
    label_at = next((i for i in range(len(lines) - 1)
                     if _label_line(lines[i], PUBLISHED_LABELS) and parse_local_date(lines[i + 1])),
                    None)
    if label_at is None:
        return None
    published = parse_local_date(lines[label_at + 1])
    byline = _label_line(lines[label_at], PUBLISHED_LABELS).group("byline").strip()
    before = [i for i in range(label_at) if lines[i]]
    if not before:
        return None
    title = lines[before[-1]]
    section = None
    if len(before) > 1:
        crumb = lines[before[-2]]
        home = next((h for h in BREADCRUMB_HOME if crumb.startswith(h)), None)
        if home:
            section = crumb[len(home):].strip() or None
    i, modified = label_at + 2, None
    if i + 1 < len(lines) and _label_line(lines[i], MODIFIED_LABELS):
        modified, i = parse_local_date(lines[i + 1]), i + 2
    description = None
    # The summary is a line of its own after a blank; the body starts on the very next line.
    if i + 2 < len(lines) and not lines[i] and lines[i + 1] and lines[i + 2]:
        description, i = lines[i + 1], i + 2
    i = _next_nonempty(lines, i)
    body: list[str] = []
    for j in range(i, len(lines)):
        line = lines[j]
        if any(p.match(line) for p in LOCAL_TAIL_PATTERNS):
            break
        share = SHARE_LABEL.search(line)
        if share:
            body.append(line[:share.start()])
            break
        body.append(line)
    else:  # no tail this template's rules know: the line model says where the body ends
        body = lines[i:body_end(lines, i, title)]
    body = [line for line in body if line]
    if not body:
        return None
    credit = next((m for m in (p.match(body[0]) for p in COVER_CREDITS) if m), None)
    if credit:
        body[0] = body[0][credit.end():]
    body = [line for k, line in enumerate(body) if k == 0 or not _is_widget_headline(line)]
    if body:
        fragment = TRAILING_FRAGMENT.search(body[-1])
        if fragment and _is_teaser_text(fragment.group("fragment").strip()):
            body[-1] = body[-1][:fragment.start()]
    paragraphs = [p for line in body for p in split_glued(line)]
    if paragraphs and _is_teaser_text(paragraphs[-1]):
        paragraphs.pop()
    paragraphs = _filter(paragraphs, title)
    if not paragraphs:
        return None
    return Extracted(paragraphs=paragraphs, title=title, description=description,
                     published=published, modified=modified, section=section,
                     authors=[byline] if byline else [], template="2026")


# ---------------------------------------------------------------------------------------------
# Text path: the English 2014–2018 template

# "Published time: 18 Nov, 2015 15:41Edited time: 18 Nov, 2015 16:59Get short URL"
_EN_DATE_GLUED = r"\d{1,2} [A-Z][a-z]{2}, \d{4} \d{1,2}:\d{2}"  # EN_DATE without \b: the dump glues
HEADER_2015 = re.compile(rf"^Published time:\s*(?P<published>{_EN_DATE_GLUED})\s*"
                         rf"(?:Edited time:\s*(?P<modified>{_EN_DATE_GLUED}))?\s*(?:Get short URL)?$")
TAIL_2015 = re.compile(r"^(?:Where to watch|Schedule|Trends|Top stories|Applications)\b")
# Where an embedded post ends in a dump: a tweet's "— Name (@handle) November 18, 2015", a
# Facebook post's "Posted by Name on Wednesday, 18 November 2015".
EMBED_END = re.compile(r"—\s*[^—]{1,80}?\(@\w{1,15}\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}"
                       r"|Posted by .{1,80}? on (?:[A-Z][a-z]+, )?\d{1,2} [A-Z][a-z]+ \d{4}")
HASHTAG_GLUE = re.compile(r"(?<=[.!?…”\"])(?=#\w)")  # "…social care.#bbcdp Good question"
EMBED_HEAD_MAX_WORDS = 8  # a line the embed's text continues on ("#PMQs") is this short


def _segments(text: str) -> list[str]:
    return [p for part in HASHTAG_GLUE.split(text) for p in split_glued(part)]


def without_embeds(lines: list[str]) -> list[str]:
    """Paragraphs of a dump's body lines with the embedded posts cut out. The dump glues a post's
    text to the paragraphs around it; its attribution marks its end, and its text is the glued
    segment before (with the line before that when the post's text ran over a line break)."""
    out: list[str] = []
    for line in lines:
        start, line_start = 0, len(out)
        for match in EMBED_END.finditer(line):
            out.extend(_segments(line[start:match.start()]))
            if len(out) > line_start:
                popped = out.pop()
                if len(out) == line_start and count_words(popped) <= EMBED_HEAD_MAX_WORDS and out:
                    out.pop()  # the post's text began on the line before
            start = match.end()
            line_start = len(out)
        out.extend(_segments(line[start:]))
    return [p for p in out if p]


def _dump_2015(lines: list[str]) -> Extracted | None:
    header_at = next((i for i, line in enumerate(lines) if HEADER_2015.match(line)), None)
    if header_at is None:
        return None
    header = HEADER_2015.match(lines[header_at])
    before = [line for line in lines[:header_at] if line]
    if not before:
        return None
    title = before[-1]
    crumb = BREADCRUMB.match(before[-2]) if len(before) > 1 else None
    section = (crumb.group("section").strip() or None) if crumb else None
    rest = [line for line in lines[header_at + 1:] if line]
    while rest and CAPTION_CREDIT.search(rest[0]):  # the cover's caption and credit
        rest.pop(0)
    description = rest.pop(0) if len(rest) > 1 else None
    end = next((j for j, line in enumerate(rest) if _is_en_tail(line) or TAIL_2015.match(line)), None)
    if end is None:
        end = body_end(rest, 0, title)
    paragraphs = _filter(without_embeds(rest[:end]), title)
    if not paragraphs:
        return None
    return Extracted(paragraphs=paragraphs, title=title, description=description,
                     published=parse_en_date(header.group("published")),
                     modified=parse_en_date(header.group("modified")), section=section,
                     template="en-2015")


def clean_text(text: str) -> Extracted | None:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _english_dump(lines) or _dump_2015(lines) or _local_dump(lines)


CLEANER = register(SiteCleaner(name="rt", site=SITE, domains=DOMAINS, clean_html=clean_html,
                               clean_text=clean_text, signatures=SIGNATURES))
