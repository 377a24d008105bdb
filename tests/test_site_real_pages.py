"""Every real page in ../shared/sites, on both inputs: the saved HTML and the whole-page text dump
that ../shared/tools/make_dump.py makes of it (the way the seeds were made).

The expectations in fixtures/real_pages/<page>.expected.json were written by reading each page:
title, lead (`description`, kept out of the body), dates, authors, section, tags, the template
that must match (`extractor`), and the body — every article paragraph, no widget, caption,
embedded post or page chrome. The publisher's text is not copied here: each paragraph is pinned
by its opening words and a hash of its normalised text.

The comparison:
* HTML: the exact list of paragraphs (same paragraphs, same order, same breaks).
* dump: a dump loses block structure (BeautifulSoup's get_text glues paragraphs, or breaks a
  paragraph at each <br>), so paragraph breaks may differ; the body must hold exactly the same
  text once white space is removed (compact hash) — no junk line can hide in it, no article line
  can be missing — and the opening words of every expected paragraph are found in it.
* both: none of the page's junk strings (widget labels, other articles' headlines, credits,
  embedded posts, chrome) appears anywhere in the text.
Metadata the dump rightly lacks or states differently (no JSON-LD: minutes without seconds, no
keyword tags) is listed under "dump" in the expectation.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from cleaners import clean
from conftest import FIXTURES, load_json, make_dump, paragraphs_normalised, shared_path

HERE = FIXTURES / "real_pages"
PAGES = sorted(p.name[:-len(".expected.json")] for p in HERE.glob("*.expected.json"))
FIELDS = ("extractor", "title", "description", "published", "modified", "authors", "section", "tags")
OPENING_WORDS = 4


def paragraph_key(paragraph: str) -> str:
    """A short hash of the paragraph's normalised text (white space collapsed)."""
    return hashlib.sha256(" ".join(paragraph.split()).encode("utf-8")).hexdigest()[:16]


def compact(text: str) -> str:
    return "".join(text.split())


def compact_hash(text: str) -> str:
    """The body's text with every white space removed: equal for a dump whose paragraph breaks
    differ from the HTML's."""
    return hashlib.sha256(compact(text).encode("utf-8")).hexdigest()[:16]


def opening(paragraph: str) -> str:
    return " ".join(paragraph.split()[:OPENING_WORDS])


def _expected(name: str) -> dict:
    return load_json(HERE / f"{name}.expected.json")


@pytest.fixture(scope="module", params=PAGES)
def page(request) -> tuple[dict, Path]:
    expected = _expected(request.param)
    return expected, shared_path(*expected["page"])


def _report(article) -> str:
    return "\n".join(f"[{opening(p)}…] {paragraph_key(p)}" for p in paragraphs_normalised(article.text))


def test_html(page):
    expected, path = page
    article = clean(path.read_bytes())  # no URL: the canonical link names the site
    assert article.ok, article.error
    assert article.fallback_from is None
    for field in ("url", "site", "language"):
        assert getattr(article, field) == expected[field], field
    for field in FIELDS:
        assert getattr(article, field) == expected["html"][field], field
    got = [paragraph_key(p) for p in paragraphs_normalised(article.text)]
    assert got == [p["key"] for p in expected["paragraphs"]], _report(article)
    for junk in expected["must_not_contain"]:
        assert junk not in article.text, junk
    if article.description:
        assert article.description not in paragraphs_normalised(article.text)


def test_dump(page):
    expected, path = page
    article = clean(make_dump(path))  # no URL, like the seeds: the dump's signatures pick the cleaner
    assert article.ok, article.error
    want = {**expected["html"], **expected["dump"]}
    for field in FIELDS:
        assert getattr(article, field) == want[field], field
    assert article.site == expected["site"]
    body = compact(article.text)
    for paragraph in expected["paragraphs"]:  # every article paragraph is there…
        assert compact(paragraph["opening"]) in body, paragraph["opening"]
    # …and nothing else: the same text, white space aside
    assert compact_hash(article.text) == expected["body_compact_hash"], _report(article)
    for junk in expected["must_not_contain"]:
        assert junk not in article.text, junk


def test_every_real_page_has_an_expectation():
    folder = shared_path("sites")
    pages = sorted(p.name[:-len(".html")] for p in folder.glob("*/*.html"))
    assert pages == PAGES, "a page in ../shared/sites has no expectation in fixtures/real_pages"


# The page-tail lines the site cleaners' rules know as the body's end (RT's "Top stories" and
# "Compartir:", Sputnik's share bar and "Tags:", Republic World's "COMMENT" and "First Published:",
# copyright lines). A redesigned footer says something else: with them gone, the line model
# (cleaners/sites/dumpbody.py) must still end the body where the article ends.
KNOWN_TAILS = re.compile(
    r"^(?:COMMENT|SUBSCRIBE TO US|WATCH US LIVE|FOLLOW US|DOWNLOAD THE APP|LATEST NEWS|Tags:.*|"
    r"First Published:|Where to watch|Schedule|Top stories|Trends|Podcasts|RT News App|Lo más popular|"
    r"RT en Español en vivo.*|(?:\.\.\.)?Reddit.*|Google\+.*|Community standards.*|Comment via.*|Track.*|"
    r"All comments.*|©.*)$", re.IGNORECASE)


def without_known_tails(dump: str) -> str:
    out = []
    for line in dump.splitlines():
        if "Compartir:" in line:  # RT 2026: the share label ends the last paragraph's line
            line = line.split("Compartir:")[0]
        if not KNOWN_TAILS.match(line.strip()):
            out.append(line)
    return "\n".join(out)


def test_dump_with_a_footer_the_rules_do_not_know(page):
    expected, path = page
    dump = without_known_tails(make_dump(path))
    assert dump != make_dump(path)
    article = clean(dump, url=expected["url"])  # the URL names the site: the signatures may be gone
    assert article.extractor.split("/")[0] == expected["html"]["extractor"].split("/")[0]  # the site's cleaner
    assert compact_hash(article.text) == expected["body_compact_hash"], _report(article)
    for junk in expected["must_not_contain"]:
        assert junk not in article.text, junk
