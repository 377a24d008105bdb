#!/usr/bin/env python3
"""A synthetic news site for the full-crawl benchmark (bench/crawl_speed.py), generated on the fly:
nothing is written to disk, every page is made from its URL, deterministically.

    .venv/bin/python bench/synthetic_site.py --pages 10000          # serve it on 127.0.0.1 and wait

What it serves (on 127.0.0.1 only, a free port, one thread per connection):
  /robots.txt                       `Sitemap:` line for the sitemap index
  /sitemap-index.xml                a sitemap index (lastmod per entry)
  /sitemaps/news-NNNN.xml           news sitemaps of at most 1,000 URLs each
  article pages                     N of them (default 10,000); the URL shape depends on the site:
      generic (news.example.org):   /<section>/<yyyy>/<mm>/<dd>/<slug>-<id>  (two thirds) and
                                    /<section>/<id>-<slug>.html               (one third)
      rt (www.rt.com templates):    /<section>/<id>-<slug>/
  Each article varies in paragraph count (3-18), headline, date, byline, size; around it: a
  mega-menu, a breaking-news ticker, a share bar, an inline "Read more" box, related links, a
  "Most read" list, a newsletter box, a cookie banner, a footer, an inline script of varying size,
  a canonical link to the real-looking URL and JSON-LD NewsArticle.
  Error pages at a small fixed rate, by article index i:
      i % 100 == 37   404 Not Found            (an article URL that is gone)
      i % 200 == 73   500 Internal Server Error (every time, so retries fail too)
      i % 200 == 151  application/pdf          (a non-HTML document at an article-like URL)
  Everything else: 404.

The generic site uses a domain of its own (news.example.org), so `cleaners.clean` takes the generic
path (trafilatura); `site="rt"` renders RT's ArticleView template (crawler/demo/make_mirror.rt_page)
with www.rt.com canonical URLs, so the RT site cleaner runs.
"""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, when run from a checkout
from crawler.demo.server import LocalHTTPServer, QuietHandler  # noqa: E402

GENERIC_DOMAIN = "news.example.org"
RT_DOMAIN = "www.rt.com"
SITES = ("generic", "rt")
SITEMAP_SIZE = 1000
ID_BASE = 1_000_000  # article ids are 7 digits: ID_BASE + index

OK, NOT_FOUND, SERVER_ERROR, NOT_HTML = "ok", "404", "500", "pdf"
# the row status each kind of article URL ends as in the dataset (crawler.pipelines / spiders)
EXPECTED_STATUS = {OK: "ok", NOT_FOUND: "fetch_error", SERVER_ERROR: "fetch_error", NOT_HTML: "not_html"}

SECTIONS = ["world", "politics", "business", "science", "technology", "health", "sport", "culture",
            "environment", "education"]
RT_SECTIONS = ["news", "russia", "business", "india", "africa"]
FIRST = ["Anna", "James", "Maria", "David", "Sofia", "Peter", "Elena", "Thomas", "Laura", "Daniel",
         "Irene", "Marco", "Helen", "Victor", "Nadia", "Samuel"]
LAST = ["Fischer", "Moreno", "Kowalski", "Bennett", "Rossi", "Okafor", "Lindqvist", "Tanaka", "Dubois",
        "Hughes", "Novak", "Ferreira", "Schmidt", "Walsh", "Petrova", "Grant"]
CITIES = ["Geneva", "Lisbon", "Nairobi", "Oslo", "Santiago", "Toronto", "Warsaw", "Seoul", "Cairo",
          "Melbourne", "Vienna", "Lima", "Dublin", "Hanoi", "Accra", "Tallinn"]
SUBJECTS = ["The city council", "Regional officials", "A group of researchers", "The central bank",
            "Local residents", "The health ministry", "Independent analysts", "The national railway operator",
            "Several opposition lawmakers", "The port authority", "A coalition of farmers", "The university",
            "Emergency services", "The energy regulator", "Teachers' unions", "The weather service",
            "Investigators", "The football federation", "A panel of judges", "Museum curators"]
VERBS = ["announced", "warned about", "approved", "rejected", "reviewed", "postponed", "welcomed",
         "criticised", "questioned", "extended", "published", "proposed", "defended", "confirmed",
         "investigated", "expanded"]
OBJECTS = ["a new plan for public transport", "the budget for the coming year", "changes to the water supply",
           "a long-awaited report on housing", "stricter rules for river pollution", "the timetable for repairs",
           "a pilot programme for rural clinics", "the results of a two-year study", "higher fees for parking",
           "a proposal to rebuild the old bridge", "support for small exporters", "new safety checks at the airport",
           "a plan to plant forty thousand trees", "the merger of two regional hospitals",
           "funding for school meals", "the reopening of the northern line"]
CLAUSES = ["after weeks of negotiations", "despite strong objections from neighbours", "according to people familiar with the matter",
           "in a statement released on the day", "following a vote that went late into the night",
           "amid rising costs across the region", "as pressure grew from business groups",
           "two months earlier than expected", "while the final figures are still being checked",
           "in response to a petition signed by thousands", "before the start of the summer season",
           "with the backing of most local councils", "although details remain unclear",
           "after an independent audit found several gaps", "ahead of elections next spring"]
EXTRA = ["Officials said the cost would be shared between the state and the municipalities.",
         "Critics argued that the timeline was unrealistic and that consultations had been rushed.",
         "The decision is expected to affect around {n} households in the area.",
         "A spokesperson declined to comment on the figures before they are formally published.",
         "Similar measures were introduced in {city} last year with mixed results.",
         "The first phase is due to begin in {month}, with a review planned after six months.",
         "\u201cWe have listened carefully to everyone involved,\u201d said {name}, who led the talks.",
         "Data published on Tuesday showed a rise of {pct} percent compared with the previous year.",
         "Opposition members called for a full debate and said they would table amendments.",
         "Residents interviewed by this newspaper were divided over whether the plan goes far enough.",
         "Experts noted that the same approach had failed twice in the past decade.",
         "The agreement still needs the approval of the regional parliament in {city}."]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
HEAD_START = ["Council backs", "Officials unveil", "Researchers question", "Ministers delay", "Residents protest",
              "Regulator approves", "Court blocks", "Unions welcome", "Experts warn over", "Region rethinks",
              "Government defends", "Auditors criticise"]
HEAD_END = ["after long debate", "amid cost concerns", "in landmark vote", "despite objections",
            "as deadline nears", "for second time", "in surprise move", "after audit"]
SLUG_WORDS = ["plan", "budget", "vote", "bridge", "clinic", "river", "rail", "school", "port", "energy",
              "housing", "water", "tax", "trees", "airport", "museum", "farm", "study", "court", "union"]
NAV = ["Home", "World", "Politics", "Business", "Markets", "Science", "Technology", "Health", "Sport",
       "Football", "Culture", "Books", "Film", "Music", "Environment", "Climate", "Education", "Opinion",
       "Editorials", "Letters", "Travel", "Food", "Style", "Podcasts", "Video", "Photos", "Weather",
       "Obituaries", "Corrections", "Archive", "Puzzles", "Crosswords", "Newsletters", "Events",
       "Jobs", "Property", "Cars", "Subscribe", "Log in", "Help"]


def _rng(i: int, salt: str = "") -> random.Random:
    seed = int.from_bytes(hashlib.sha1(f"{salt}{i}".encode()).digest()[:8], "big")
    return random.Random(seed)


def kind_of(i: int) -> str:
    if i % 100 == 37:
        return NOT_FOUND
    if i % 200 == 73:
        return SERVER_ERROR
    if i % 200 == 151:
        return NOT_HTML
    return OK


def esc(value) -> str:
    return html.escape(str(value or ""), quote=True)


class SyntheticSite:
    """The pages of the site: URLs, kinds and bodies, all derived from the article index."""

    def __init__(self, pages: int = 10_000, site: str = "generic"):
        if site not in SITES:
            raise ValueError(f"site must be one of {SITES}, not {site!r}")
        self.pages = int(pages)
        self.site = site
        self.domain = GENERIC_DOMAIN if site == "generic" else RT_DOMAIN
        self.origin = f"https://{self.domain}"
        self.sitemaps = max(1, -(-self.pages // SITEMAP_SIZE))
        self._base = datetime(2025, 1, 1, 6, 0, tzinfo=timezone.utc)

    # -- URLs -------------------------------------------------------------------------------
    def published(self, i: int) -> datetime:
        # about 15 articles a day, newest last; minutes vary
        return self._base + timedelta(minutes=i * 97 + _rng(i, "t").randrange(0, 45))

    def slug(self, i: int) -> str:
        r = _rng(i, "s")
        return "-".join(r.sample(SLUG_WORDS, r.randint(3, 6)))

    def path(self, i: int) -> str:
        aid = ID_BASE + i
        if self.site == "rt":
            return f"/{RT_SECTIONS[i % len(RT_SECTIONS)]}/{aid}-{self.slug(i)}/"
        section = SECTIONS[i % len(SECTIONS)]
        if i % 3 == 2:
            return f"/{section}/{aid}-{self.slug(i)}.html"
        d = self.published(i)
        return f"/{section}/{d:%Y/%m/%d}/{self.slug(i)}-{aid}"

    def url(self, i: int) -> str:
        """The article's real-site (canonical) URL."""
        return self.origin + self.path(i)

    _ID = re.compile(r"(?<!\d)(\d{7})(?!\d)")

    def index_of(self, path: str) -> int | None:
        """The article index of a URL path, or None when the path is no article of this site."""
        match = self._ID.search(path)
        if not match:
            return None
        i = int(match.group(1)) - ID_BASE
        if 0 <= i < self.pages and self.path(i) == path:
            return i
        return None

    def kinds(self) -> dict[str, int]:
        out = {OK: 0, NOT_FOUND: 0, SERVER_ERROR: 0, NOT_HTML: 0}
        for i in range(self.pages):
            out[kind_of(i)] += 1
        return out

    def expected_statuses(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for kind, n in self.kinds().items():
            if n:
                out[EXPECTED_STATUS[kind]] = out.get(EXPECTED_STATUS[kind], 0) + n
        return out

    # -- discovery files --------------------------------------------------------------------
    def robots(self) -> bytes:
        return (f"User-agent: *\nDisallow: /search/\nDisallow: /account/\n\n"
                f"Sitemap: {self.origin}/sitemap-index.xml\n").encode()

    def sitemap_index(self) -> bytes:
        entries = []
        for k in range(self.sitemaps):
            last = min(self.pages, (k + 1) * SITEMAP_SIZE) - 1
            entries.append(f"  <sitemap><loc>{self.origin}/sitemaps/news-{k + 1:04d}.xml</loc>"
                           f"<lastmod>{self.published(last).isoformat()}</lastmod></sitemap>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/'
                'schemas/sitemap/0.9">\n' + "\n".join(entries) + "\n</sitemapindex>\n").encode()

    def sitemap(self, k: int) -> bytes | None:
        """News sitemap number k (1-based), or None."""
        if not 1 <= k <= self.sitemaps:
            return None
        publication = "Example News" if self.site == "generic" else "RT"
        urls = []
        for i in range((k - 1) * SITEMAP_SIZE, min(self.pages, k * SITEMAP_SIZE)):
            when = self.published(i).isoformat()
            urls.append(f"  <url>\n    <loc>{esc(self.url(i))}</loc>\n    <lastmod>{when}</lastmod>\n"
                        f"    <news:news>\n      <news:publication><news:name>{publication}</news:name>"
                        f"<news:language>en</news:language></news:publication>\n"
                        f"      <news:publication_date>{when}</news:publication_date>\n"
                        f"      <news:title>{esc(self.headline(i))}</news:title>\n    </news:news>\n  </url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
                'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
                + "\n".join(urls) + "\n</urlset>\n").encode()

    # -- article content --------------------------------------------------------------------
    def headline(self, i: int) -> str:
        r = _rng(i, "h")
        return f"{r.choice(HEAD_START)} {r.choice(OBJECTS).replace('a ', '', 1)} {r.choice(HEAD_END)}".capitalize()

    def standfirst(self, i: int) -> str:
        r = _rng(i, "d")
        return f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(CLAUSES)}."

    def authors(self, i: int) -> list[str]:
        r = _rng(i, "a")
        return [f"{r.choice(FIRST)} {r.choice(LAST)}" for _ in range(r.choice((1, 1, 1, 2)))]

    def paragraphs(self, i: int) -> list[str]:
        r = _rng(i, "p")
        city = r.choice(CITIES)
        out = []
        for n in range(r.randint(3, 18)):
            sentences = []
            for _ in range(r.randint(2, 5)):
                if r.random() < 0.6:
                    sentences.append(f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} "
                                     f"{r.choice(CLAUSES)}.")
                else:
                    sentences.append(r.choice(EXTRA).format(
                        n=f"{r.randint(2, 90) * 1000:,}", city=r.choice(CITIES), month=r.choice(MONTHS),
                        name=f"{r.choice(FIRST)} {r.choice(LAST)}", pct=f"{r.randint(11, 299) / 10:.1f}"))
            text = " ".join(sentences)
            if n == 0:
                text = f"{city.upper()} \u2014 {text}"
            out.append(text)
        # a reference number keeps every article's text unique (the dataset drops duplicate texts)
        out[-1] += f" (Report {ID_BASE + i}.)"
        return out

    def render(self, i: int) -> tuple[int, str, bytes]:
        """(HTTP status, content type, body) of article i."""
        kind = kind_of(i)
        if kind == NOT_FOUND:
            return 404, "text/html; charset=utf-8", self.error_page(404, "Page not found")
        if kind == SERVER_ERROR:
            return 500, "text/html; charset=utf-8", self.error_page(500, "Internal server error")
        if kind == NOT_HTML:
            return 200, "application/pdf", self.pdf(i)
        page = self.rt_page(i) if self.site == "rt" else self.generic_page(i)
        return 200, "text/html; charset=utf-8", page.encode("utf-8")

    def error_page(self, status: int, title: str) -> bytes:
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status} {title}"
                f"</title></head><body><header><nav><a href=\"/\">Home</a></nav></header><main><h1>{title}</h1>"
                f"<p>Sorry, something went wrong.</p></main><footer>Example News</footer></body></html>").encode()

    def pdf(self, i: int) -> bytes:
        r = _rng(i, "pdf")
        stream = bytes(r.getrandbits(8) for _ in range(1500))
        return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                b"2 0 obj\n<< /Length 1500 /Filter /FlateDecode >>\nstream\n" + stream
                + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")

    def generic_page(self, i: int) -> str:
        r = _rng(i, "g")
        url, title, authors = self.url(i), self.headline(i), self.authors(i)
        section = self.path(i).split("/")[1]
        published = self.published(i)
        offset = timezone(timedelta(hours=r.choice((0, 1, 2, -5))))
        local = published.astimezone(offset)
        modified = local + timedelta(minutes=r.randint(5, 600))
        paragraphs = self.paragraphs(i)
        description = self.standfirst(i)
        others = [j for j in (r.randrange(self.pages) for _ in range(22)) if j != i][:20]
        related = [(self.headline(j), self.url(j)) for j in others]
        tags = r.sample(SLUG_WORDS, 3)
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "mainEntityOfPage": url,
              "headline": title, "description": description, "datePublished": local.isoformat(),
              "dateModified": modified.isoformat(), "articleSection": section.capitalize(),
              "keywords": ", ".join(tags), "inLanguage": "en",
              "author": [{"@type": "Person", "name": a} for a in authors],
              "publisher": {"@type": "Organization", "name": "Example News",
                            "logo": {"@type": "ImageObject", "url": f"{self.origin}/static/logo.png"}}}
        body = []
        read_more_at = min(1, len(paragraphs) - 1)
        for n, p in enumerate(paragraphs):
            body.append(f"<p>{esc(p)}</p>")
            if n == read_more_at:
                body.append(f'<aside class="read-more"><span>Read more:</span> <a href="{esc(related[0][1])}">'
                            f"{esc(related[0][0])}</a></aside>")
            if n == 2 and r.random() < 0.3:
                body.append(f"<h2>{esc(r.choice(OBJECTS).capitalize())}</h2>")
            if n == 3 and r.random() < 0.25:
                body.append(f"<blockquote><p>\u201c{esc(r.choice(EXTRA).format(n='10,000', city='the capital', month='May', name='the minister', pct='3.5'))}"
                            f"\u201d</p></blockquote>")
            if n == 1 and r.random() < 0.4:
                body.append(f'<figure class="article-image"><img src="/static/img/{ID_BASE + i}.jpg" alt="">'
                            f"<figcaption>{esc(r.choice(CITIES))} on a {r.choice(MONTHS)} morning. "
                            f"Photo: {esc(r.choice(FIRST))} {esc(r.choice(LAST))} / Example Images</figcaption></figure>")
        nav = "".join(f'<li><a href="/{n.lower().replace(" ", "-")}/">{n}</a></li>' for n in NAV)
        sub_nav = "".join(f'<li><a href="/{section}/{w}/">{w.capitalize()}</a></li>' for w in r.sample(SLUG_WORDS, 8))
        related_html = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in related[1:6])
        most_read = "".join(f'<li><span class="rank">{k + 1}</span><a href="{esc(u)}">{esc(t)}</a></li>'
                            for k, (t, u) in enumerate(related[5:10]))
        cards = "".join(f'<div class="card"><a href="{esc(u)}"><img src="/static/thumbs/{k}.jpg" alt="" loading="lazy">'
                        f'<span class="card-section">{esc(section.capitalize())}</span><h3>{esc(t)}</h3></a>'
                        f'<time>{r.randint(1, 23)}h ago</time></div>' for k, (t, u) in enumerate(related[10:]))
        byline = " and ".join(f'<a rel="author" href="/authors/{a.lower().replace(" ", "-")}/">{esc(a)}</a>'
                              for a in authors)
        script = "window.__analytics = " + json.dumps({"events": [
            {"id": f"{ID_BASE + i}-{k}", "name": r.choice(SLUG_WORDS), "w": r.random()}
            for k in range(r.randint(20, 400))]}) + ";"
        visible_date = f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | Example News</title>
<meta name="description" content="{esc(description)}">
<link rel="canonical" href="{esc(url)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="{esc(title)}">
<meta property="og:url" content="{esc(url)}">
<meta property="og:description" content="{esc(description)}">
<meta property="og:image" content="{self.origin}/static/img/{ID_BASE + i}.jpg">
<meta property="article:published_time" content="{local.isoformat()}">
<meta property="article:modified_time" content="{modified.isoformat()}">
<meta property="article:section" content="{esc(section.capitalize())}">
<meta name="twitter:card" content="summary_large_image">
<script type="application/ld+json">{json.dumps(ld)}</script>
<style>body{{font-family:Georgia,serif;margin:0}}.nav li{{display:inline-block;margin:0 .4em}}
.cookie-banner{{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:1em}}
.share-bar a{{margin-right:.5em}}.read-more{{border-left:3px solid #c00;padding-left:.5em}}</style>
<script>{script}</script>
</head>
<body class="article-page section-{section}">
<div class="cookie-banner" id="cookie-consent"><p>We use cookies and similar technologies to improve your experience,
measure traffic and show personalised content. <a href="/privacy/">Privacy policy</a></p>
<button>Accept all</button> <button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">Example News</a>
<nav class="nav main-nav"><ul>{nav}</ul></nav>
<nav class="nav sub-nav"><ul>{sub_nav}</ul></nav>
<div class="ticker"><strong>Breaking:</strong> <a href="{esc(related[-1][1])}">{esc(related[-1][0])}</a></div>
</header>
<div class="ad-slot ad-top">Advertisement</div>
<main id="content">
<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/{section}/">{esc(section.capitalize())}</a></nav>
<article class="story">
<header class="story-header">
<h1 class="headline">{esc(title)}</h1>
<p class="standfirst">{esc(description)}</p>
<div class="byline">By {byline} &middot; <time datetime="{local.isoformat()}">{visible_date}</time></div>
<div class="share-bar"><a href="#">Share on Facebook</a><a href="#">Share on X</a><a href="#">Email</a><a href="#">Copy link</a></div>
</header>
<div class="story-body">
{chr(10).join(body)}
</div>
<footer class="story-footer"><div class="tags">Topics: {", ".join(f'<a href="/tags/{t}/">{t}</a>' for t in tags)}</div>
<div class="share-bar"><a href="#">Share on Facebook</a><a href="#">Share on X</a><a href="#">Email</a></div>
<p class="comments-count"><a href="#comments">{r.randint(0, 400)} comments</a></p></footer>
</article>
<section class="related"><h2>Related stories</h2><ul>{related_html}</ul></section>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
<section class="more-from-section"><h2>More from {esc(section.capitalize())}</h2><div class="card-grid">{cards}</div></section>
<aside class="newsletter"><h2>Get the morning briefing</h2><p>The day's top stories in your inbox every weekday.</p>
<form><input type="email" placeholder="Your email"><button>Sign up</button></form></aside>
<div class="ad-slot ad-bottom">Advertisement</div>
</main>
<footer class="site-footer"><ul><li><a href="/about/">About us</a></li><li><a href="/contact/">Contact</a></li>
<li><a href="/privacy/">Privacy policy</a></li><li><a href="/terms/">Terms of use</a></li><li><a href="/cookies/">Cookie settings</a></li></ul>
<p>&copy; 2025 Example News Ltd. All rights reserved.</p></footer>
</body>
</html>
"""

    def rt_page(self, i: int) -> str:
        from crawler.demo.make_mirror import rt_page

        r = _rng(i, "rt")
        published = self.published(i)
        section = RT_SECTIONS[i % len(RT_SECTIONS)]
        others = [j for j in (r.randrange(self.pages) for _ in range(4)) if j != i][:3] or [i]
        paragraphs = self.paragraphs(i)
        return rt_page({
            "url": self.url(i), "lang": "en", "title": self.headline(i),
            "description": self.standfirst(i), "paragraphs": paragraphs,
            "tags": [w.capitalize() for w in r.sample(SLUG_WORDS, 3)],
            "section": section.capitalize(), "section_url": f"{self.origin}/{section}/",
            "published_iso": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "published_text": f"{published.day} {MONTHS[published.month - 1][:3]}, {published.year} {published:%H:%M}",
            "caption": f"{r.choice(CITIES)} on a {r.choice(MONTHS)} morning. Demo caption.",
            "related": [(self.headline(j), self.url(j)) for j in others],
        })

    # -- routing ----------------------------------------------------------------------------
    _SITEMAP = re.compile(r"^/sitemaps/news-(\d{4})\.xml$")

    def resolve(self, path: str) -> tuple[str, int, str, bytes, int | None]:
        """(what, HTTP status, content type, body, article index or None) for a URL path.
        what: robots, sitemap_index, sitemap, article_ok, article_404, article_500, article_pdf, other."""
        if path == "/robots.txt":
            return "robots", 200, "text/plain; charset=utf-8", self.robots(), None
        if path == "/sitemap-index.xml":
            return "sitemap_index", 200, "application/xml; charset=utf-8", self.sitemap_index(), None
        match = self._SITEMAP.match(path)
        if match:
            body = self.sitemap(int(match.group(1)))
            if body is not None:
                return "sitemap", 200, "application/xml; charset=utf-8", body, None
        i = self.index_of(path)
        if i is not None:
            status, ctype, body = self.render(i)
            return f"article_{kind_of(i)}", status, ctype, body, i
        return "other", 404, "text/html; charset=utf-8", self.error_page(404, "Page not found"), None


class _Handler(QuietHandler):
    server_version = "newsclean-bench/1.0"

    def do_GET(self):
        owner: SyntheticServer = self.server.owner  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        what, status, ctype, body, index = owner.site.resolve(path)
        if self.send_body(status, body, ctype):
            owner.record(what, len(body), index)


class SyntheticServer(LocalHTTPServer):
    """Serves a SyntheticSite on http://127.0.0.1:<free port> in a background thread, counting what
    it serves: responses by kind, bytes, and which articles were served at least once."""

    def __init__(self, site: SyntheticSite, *, port: int = 0):
        self.site = site
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.bytes: dict[str, int] = {}
        self._served = bytearray(site.pages)
        self.articles_served = 0  # distinct article URLs answered (any status)
        self.started = time.monotonic()
        self.first_article_at: float | None = None
        self.last_article_at: float | None = None
        super().__init__(_Handler, port=port)

    def record(self, what: str, size: int, index: int | None) -> None:
        now = time.monotonic()
        with self._lock:
            self.counts[what] = self.counts.get(what, 0) + 1
            self.bytes[what] = self.bytes.get(what, 0) + size
            if index is not None:
                if self.first_article_at is None:
                    self.first_article_at = now
                self.last_article_at = now
                if not self._served[index]:
                    self._served[index] = 1
                    self.articles_served += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {"articles_served": self.articles_served, "counts": dict(self.counts),
                    "bytes": dict(self.bytes)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--site", choices=SITES, default="generic")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    site = SyntheticSite(args.pages, args.site)
    with SyntheticServer(site, port=args.port) as server:
        print(f"serving {args.pages} {args.site} pages on {server.url} (robots.txt, /sitemap-index.xml); "
              f"Ctrl-C to stop", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
