"""The Republic World site cleaner (cleaners/sites/republicworld.py), on real and hand-written input.

Real material (seed 003, the saved 2023 page) is read from ../shared and never copied here; the
expected values for the real page are pinned in fixtures/republicworld/*.expected.json without the
publisher's article text (paragraph count, content hash, opening and closing words).
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import lxml.html
import pytest

from cleaners import clean
from cleaners.article import content_hash
from cleaners.registry import find_by_text, find_by_url
from cleaners.sites import republicworld
from conftest import FIXTURES, load_json, make_dump, paragraphs_normalised, shared_path

HERE = FIXTURES / "republicworld"
SEED = "003_b8e94c01ba7c17b1"
REAL_PAGE = ("sites", "republicworld",
             "republicworld.com_uae-astronaut-marks-start-of-ramadan-in-space_2023-03.html")
EXTRACTOR = "site:republicworld/2023"
BHARAT_URL = "https://bharat.republicworld.com/india-news/pune-das-din-ka-pustak-mela-shuru-articleshow.html"
META_FIELDS = ("site", "title", "description", "published", "modified", "authors", "section", "tags")


def paragraphs(article) -> list[str]:
    return paragraphs_normalised(article.text)


# --- 1. the seed dump -------------------------------------------------------------------------

def test_seed_003_gives_the_expected_article():
    data = shared_path("seeds", f"{SEED}.txt").read_bytes()
    expected = load_json(shared_path("seeds", "expected", f"{SEED}.json"))
    article = clean(data)  # no URL: the dump's signatures pick the cleaner
    assert article.ok and article.extractor == "site:republicworld/legacy"  # the 2021-22 header
    for name, value in expected.items():
        if name == "text":
            assert paragraphs(article) == paragraphs_normalised(value)
        else:
            assert getattr(article, name) == value, name


def test_seed_003_is_recognised_by_its_signatures():
    text = shared_path("seeds", f"{SEED}.txt").read_text(encoding="utf-8")
    assert find_by_text(text).name == "republicworld"


# --- 2. the real 2023 page --------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_page() -> Path:
    return shared_path(*REAL_PAGE)


@pytest.fixture(scope="module")
def real_expected() -> dict:
    return load_json(HERE / "uae_astronaut_ramadan.expected.json")


@pytest.fixture(scope="module")
def real_article(real_page, real_expected):
    return clean(real_page.read_bytes(), url=real_expected["url"])


def test_real_page_metadata(real_article, real_expected):
    assert real_article.ok
    assert real_article.extractor == EXTRACTOR
    for name in META_FIELDS + ("url", "language"):
        assert getattr(real_article, name) == real_expected[name], name


def test_real_page_body(real_article, real_expected):
    body = paragraphs(real_article)
    assert len(body) == real_expected["paragraph_count"]
    assert body[0].startswith(real_expected["first_paragraph_start"])
    assert body[-1].endswith(real_expected["last_paragraph_end"])
    for heading in real_expected["subheadings"]:
        assert heading in body  # kept, as a paragraph of its own
    assert real_article.content_hash == real_expected["content_hash"]
    assert content_hash(real_article.text) == real_expected["content_hash"]


def test_real_page_has_no_widget_text(real_article, real_expected):
    for junk in real_expected["must_not_contain"]:
        assert junk not in real_article.text, junk
    assert real_article.description not in real_article.text  # the standfirst stays out of text


def test_real_page_without_url_uses_the_canonical_link(real_page, real_expected):
    article = clean(real_page.read_bytes())
    assert article.extractor == EXTRACTOR
    assert article.url == real_expected["url"]
    assert article.content_hash == real_expected["content_hash"]


# --- 3. a dump of the real page ---------------------------------------------------------------

def test_dump_of_real_page_matches_the_html_path(real_page, real_article, real_expected):
    article = clean(make_dump(real_page))  # no URL, like the seeds
    assert article.extractor == EXTRACTOR
    assert article.title == real_article.title == real_expected["title"]
    assert paragraphs(article) == paragraphs(real_article)
    assert article.content_hash == real_expected["content_hash"]
    # the dump carries the header too: same dates, author, standfirst and breadcrumb section
    for name in ("description", "published", "modified", "authors", "section"):
        assert getattr(article, name) == real_expected[name], name
    assert article.site == "republicworld.com"


# --- 4. hand-written pages in the 2023 (and the older) template -------------------------------

def _ucwords(text: str) -> str:
    """What the 2023 template does to the h1 (PHP ucwords): first letter of every word upper."""
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


@pytest.fixture(scope="module")
def nato_page(tmp_path_factory) -> tuple[Path, dict, dict]:
    """The hand-written 2023 page, filled with seed 003's text (read from ../shared)."""
    seed = load_json(shared_path("seeds", "expected", f"{SEED}.json"))
    body = paragraphs_normalised(seed["text"])
    slots = {"title": seed["title"], "title_h1": _ucwords(seed["title"]),
             "description": seed["description"], **{f"p{i}": p for i, p in enumerate(body)}}
    page = (HERE / "nato_seed003_2023.template.html").read_text(encoding="utf-8")
    for name, value in slots.items():
        page = page.replace("{{" + name + "}}", html.escape(value))
    assert "{{" not in page, "the template has a slot the seed does not fill"
    path = tmp_path_factory.mktemp("republicworld") / "nato_seed003_2023.html"
    path.write_text(page, encoding="utf-8")
    return path, seed, load_json(HERE / "nato_seed003_2023.expected.json")


def test_own_2023_page_from_seed_003(nato_page):
    path, seed, expected = nato_page
    article = clean(path.read_bytes(), url=expected["url"])
    assert article.ok and article.extractor == expected["extractor"]
    assert article.title == seed["title"]  # the editors' casing, not the title-cased h1
    assert article.description == seed["description"]
    assert paragraphs(article) == paragraphs_normalised(seed["text"])
    subheading = "Moscow demands security guarantees in NATO-Russia meet"
    assert paragraphs(article)[expected["subheading_index"]] == subheading
    for name in ("url", "site", "published", "modified", "authors", "section", "tags", "language"):
        assert getattr(article, name) == expected[name], name
    for junk in expected["must_not_contain"]:
        assert junk not in article.text, junk


OWN_PAGES = ["bharat_pune_book_fair_2023", "legacy_library_2021"]


@pytest.mark.parametrize("name", OWN_PAGES)
def test_own_page(name):
    expected = load_json(HERE / f"{name}.expected.json")
    article = clean((HERE / f"{name}.html").read_bytes(), url=expected["url"])
    assert article.ok and article.extractor == expected["extractor"]
    for field in ("url", "site", "title", "description", "published", "modified", "authors",
                  "section", "tags", "language"):
        assert getattr(article, field) == expected[field], field
    assert paragraphs(article) == expected["paragraphs"]


def test_own_bharat_page_drops_widgets_and_keeps_structure():
    article = clean((HERE / "bharat_pune_book_fair_2023.html").read_bytes(), url=BHARAT_URL)
    body = paragraphs(article)
    assert "बच्चों के लिए अलग मंडप" in body  # h3 subheading
    assert "हम चाहते हैं कि हर बच्चा यहां से कम से कम एक किताब लेकर घर जाए।" in body  # quote blockquote
    assert "डिजिटल भुगतान के लिए अलग काउंटर" in body  # list item
    for junk in ("READ |", "मुंबई में भी अगले महीने", "Image: Republic Bharat", "pic.twitter.com",
                 "@PustakMelaPune", "पुस्तक मेले का पहला दिन", "दाईं ओर की ताज़ा खबर", "Tags:", "Quick links"):
        assert junk not in article.text, junk


@pytest.mark.parametrize("name", ["nato", *OWN_PAGES])
def test_dump_of_own_page_matches_the_html_path(name, request):
    if name == "nato":
        path, _seed, expected = request.getfixturevalue("nato_page")
    else:
        path, expected = HERE / f"{name}.html", load_json(HERE / f"{name}.expected.json")
    from_html = clean(path.read_bytes(), url=expected["url"])
    from_dump = clean(make_dump(path))
    assert from_dump.extractor == from_html.extractor == expected["extractor"]
    assert paragraphs(from_dump) == paragraphs(from_html)
    for field in ("title", "description", "published", "modified", "authors"):
        assert getattr(from_dump, field) == getattr(from_html, field), field


@pytest.mark.parametrize("url", [
    "https://bharat.republicworld.com/india-news/some-story-articleshow.html",
    "https://www.republicworld.com/world-news/some-story-articleshow.html",
    "https://republicworld.com/x",
    "https://m.republicworld.com/x",
    "https://bangla.republicworld.com/x",
    "https://www.republicbharat.com/india/x",
])
def test_domains_pick_this_cleaner(url):
    assert find_by_url(url).name == "republicworld"


def test_bharat_subdomain_reports_the_registered_site():
    article = clean((HERE / "bharat_pune_book_fair_2023.html").read_bytes(), url=BHARAT_URL)
    assert article.site == "republicworld.com"
    assert article.extractor == EXTRACTOR


def test_other_domains_do_not_pick_this_cleaner():
    assert find_by_url("https://notrepublicworld.com/x") is None or \
        find_by_url("https://notrepublicworld.com/x").name != "republicworld"


@pytest.mark.parametrize("text, iso", [
    ("January 17th, 2022 at 13:14 IST", "2022-01-17T13:14:00+05:30"),
    ("24th March, 2023 17:26 IST", "2023-03-24T17:26:00+05:30"),
    ("24th March, 2023 17:25\t\tIST", "2023-03-24T17:25:00+05:30"),
    ("March 2nd, 2021 at 09:30 IST", "2021-03-02T09:30:00+05:30"),
    ("Sept 1st, 2021 at 00:05", "2021-09-01T00:05:00+05:30"),  # no zone stated: the site's, IST
    ("yesterday", None),
])
def test_parse_date(text, iso):
    assert republicworld.parse_date(text) == iso


# --- 5. pages in no known template --------------------------------------------------------------

LISTING_URL = "https://www.republicworld.com/world-news"


@pytest.mark.parametrize("drop_og_type", [False, True])
def test_listing_page_is_left_to_the_generic_path(drop_og_type):
    page = (HERE / "listing_world_news.html").read_text(encoding="utf-8")
    if drop_og_type:  # the template check alone must refuse it too
        page = page.replace('<meta property="og:type" content="website">', "")
    assert republicworld.clean_html(lxml.html.document_fromstring(page), LISTING_URL) is None
    article = clean(page, url=LISTING_URL)
    assert article.extractor.startswith("site:") is False
    assert article.status in ("ok", "no_article")
    assert article.site == "republicworld.com"


def test_listing_dump_is_left_to_the_text_rules():
    dump = make_dump(HERE / "listing_world_news.html")
    assert republicworld.clean_text(dump) is None
    assert clean(dump).extractor.startswith("site:") is False


@pytest.mark.parametrize("page", [
    "<html><body><h1>404</h1><p>Page not found</p></body></html>",
    "<html><body><div class='story-container'><h1 class='story-title'>Only a title</h1></div></body></html>",
    "<html><body><h1 class='story-title'>T</h1>"
    "<div class='storytext'><div id='div-gpt-ad-1'>x</div></div></body></html>",
])
def test_broken_pages_do_not_crash(page):
    assert republicworld.clean_html(lxml.html.document_fromstring(page), LISTING_URL) is None
    article = clean(page, url=LISTING_URL + "/broken")
    assert article.extractor.startswith("site:") is False
    assert article.status in ("ok", "no_article")


@pytest.mark.parametrize("text", [
    "",
    "Updated January 17th, 2022 at 13:14 IST",
    "Updated January 17th, 2022 at 13:14 IST\nA title\n",
    "Some unrelated text\nwith a few lines\n",
])
def test_text_outside_the_template_gives_none(text):
    assert republicworld.clean_text(text) is None


def test_fixture_expectations_are_valid_json():
    for path in HERE.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
