"""The Sputnik site cleaner (cleaners/sites/sputnik.py): the seed dump, the real 2020 page and its
dump, our own pages in both Sputnik templates, URL matching, and pages in no known template.
Real inputs, no mocks, exact values."""
from __future__ import annotations

import lxml.html
import pytest

from cleaners import clean
from cleaners.article import content_hash
from cleaners.registry import find_by_text, find_by_url
from cleaners.sites import sputnik
from cleaners.metadata.urls import registered_domain
from conftest import FIXTURES, load_json, make_dump, paragraphs_normalised, shared_path

SP_FIXTURES = FIXTURES / "sputnik"
SEED = "002_12fc6c1de26b2904"
SEED_FIELDS = ("site", "title", "published", "modified", "authors", "section", "description", "tags")
REAL_PAGE = "sputniknews.com_radio_the_critical_hour_202004281079127690_2020-04.html"
OWN_PAGES = ("peskov_nato_2020_template", "harbour_ferry_2022_template")
META_FIELDS = ("site", "title", "published", "modified", "authors", "section", "tags", "description")


def _tree(path):
    return lxml.html.document_fromstring(path.read_text(encoding="utf-8"))


# --- 1. the seed dump --------------------------------------------------------------------------

def test_seed_dump_gives_the_expected_article():
    seed = shared_path("seeds", f"{SEED}.txt")
    expected = load_json(shared_path("seeds", "expected", f"{SEED}.json"))
    article = clean(seed.read_bytes())  # no URL: found by its signatures
    assert article.ok, article.error
    assert article.extractor.startswith("site:sputnik/")
    for field in SEED_FIELDS:
        assert getattr(article, field) == expected[field], field
    assert paragraphs_normalised(article.text) == paragraphs_normalised(expected["text"])
    assert article.text == "\n\n".join(paragraphs_normalised(expected["text"]))


def test_seed_dump_is_recognised_by_its_signatures():
    text = shared_path("seeds", f"{SEED}.txt").read_text(encoding="utf-8")
    assert find_by_text(text) is sputnik.CLEANER


def test_seed_dump_widgets_stay_out_of_every_field():
    article = clean(shared_path("seeds", f"{SEED}.txt").read_bytes())
    everything = " ".join([article.title, article.description, article.text, article.section] + article.tags)
    for widget in ("Listen Live", "© Sputnik", "Kirill Kallinikov", "Get short URL", "Community standards",
                   "Comment via", "Overlap of NATO, Russian Military Drills", "Hanging in the Balance",
                   "Afghan Civilians Outraged"):
        assert widget not in everything, widget


# --- 2. the real Sputnik International page (2020 template) ------------------------------------

@pytest.fixture(scope="module")
def real_page():
    return shared_path("sites", "sputnik", REAL_PAGE)


@pytest.fixture(scope="module")
def real_expected():
    return load_json(SP_FIXTURES / "critical_hour_1079127690.expected.json")


@pytest.fixture(scope="module")
def real_article(real_page, real_expected):
    return clean(real_page.read_bytes(), url=real_expected["url"])


def test_real_page_uses_the_site_cleaner(real_article):
    assert real_article.ok, real_article.error
    assert real_article.extractor.startswith("site:sputnik/")


@pytest.mark.parametrize("field", META_FIELDS)
def test_real_page_metadata(real_article, real_expected, field):
    assert getattr(real_article, field) == real_expected[field]


def test_real_page_body(real_article, real_expected):
    paragraphs = paragraphs_normalised(real_article.text)
    assert paragraphs[0] == real_expected["first_paragraph"]
    assert paragraphs[-1] == real_expected["last_paragraph"]
    assert len(paragraphs) == real_expected["paragraph_count"]
    assert real_article.content_hash == content_hash(real_article.text) == real_expected["content_hash"]
    assert "GUESTS:" in paragraphs  # a short line inside the body is kept


@pytest.mark.parametrize("widget", load_json(SP_FIXTURES / "critical_hour_1079127690.expected.json")
                         ["must_not_contain"])
def test_real_page_has_no_widget_text(real_article, widget):
    assert widget not in real_article.text


def test_real_page_without_url_finds_the_cleaner_by_canonical_link(real_page, real_expected):
    article = clean(real_page.read_bytes())
    assert article.extractor.startswith("site:sputnik/")
    assert article.url == real_expected["url"]
    assert article.content_hash == real_expected["content_hash"]


# --- 3. a dump of the real page (made the way the seeds were) ----------------------------------

@pytest.fixture(scope="module")
def real_dump_article(real_page):
    return clean(make_dump(real_page))  # no URL


def test_real_page_dump_gives_the_same_article(real_dump_article, real_article):
    assert real_dump_article.ok, real_dump_article.error
    assert real_dump_article.extractor.startswith("site:sputnik/")
    assert real_dump_article.title == real_article.title
    assert paragraphs_normalised(real_dump_article.text) == paragraphs_normalised(real_article.text)
    assert real_dump_article.content_hash == real_article.content_hash
    for field in ("description", "authors", "section", "tags", "site"):
        assert getattr(real_dump_article, field) == getattr(real_article, field), field


def test_real_page_dump_dates_come_from_the_gmt_header(real_dump_article):
    # the dump shows minutes only ("22:57  GMT 28.04.2020"); the HTML's meta tags have seconds
    assert real_dump_article.published == "2020-04-28T22:57:00+00:00"
    assert real_dump_article.modified == "2020-04-29T11:14:00+00:00"


# --- 4. our own pages in both templates; URL matching ------------------------------------------

@pytest.mark.parametrize("name", OWN_PAGES)
def test_own_page_gives_the_expected_article(name):
    expected = load_json(SP_FIXTURES / f"{name}.expected.json")
    article = clean((SP_FIXTURES / f"{name}.html").read_bytes(), url=expected["url"])
    assert article.ok, article.error
    assert article.extractor == expected["extractor"]
    assert article.url == expected["url"]
    for field in META_FIELDS:
        assert getattr(article, field) == expected[field], field
    assert article.text == expected["text"]


def test_own_2020_page_has_the_seed_text():
    """The 2020-template page built from seed 002 cleans to the seed's expected text."""
    seed_expected = load_json(shared_path("seeds", "expected", f"{SEED}.json"))
    expected = load_json(SP_FIXTURES / "peskov_nato_2020_template.expected.json")
    article = clean((SP_FIXTURES / "peskov_nato_2020_template.html").read_bytes(), url=expected["url"])
    assert paragraphs_normalised(article.text) == paragraphs_normalised(seed_expected["text"])
    for field in ("title", "section", "description", "tags", "authors"):
        assert getattr(article, field) == seed_expected[field], field


@pytest.mark.parametrize("name, widgets", [
    ("peskov_nato_2020_template", ["© Sputnik", "© AP Photo", "NATO headquarters in Brussels",
                                   "Get short URL", "Overlap of NATO, Russian Military Drills",
                                   "embedded tweet", "Reddit", "Community standards", "Comment via",
                                   "All rights reserved"]),
    ("harbour_ferry_2022_template", ["©", "The old pier", "Island Bus Timetable", "We missed the night boat",
                                     "Embedded post", "Advertisement", "Telegram", "Get short URL",
                                     "Google News", "Comment via", "Listen Live"]),
])
def test_own_page_widgets_are_dropped(name, widgets):
    expected = load_json(SP_FIXTURES / f"{name}.expected.json")
    text = clean((SP_FIXTURES / f"{name}.html").read_bytes(), url=expected["url"]).text
    for widget in widgets:
        assert widget not in text, widget


def test_2022_dates_fall_back_to_the_page_date_elements():
    """Without JSON-LD the dates come from the data-unixtime of `.article__info-date`."""
    tree = _tree(SP_FIXTURES / "harbour_ferry_2022_template.html")
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        script.drop_tree()
    extracted = sputnik.clean_html(tree, "https://sputnikglobe.com/x.html")
    assert extracted.published == "2023-05-17T14:05:00+00:00"
    assert extracted.modified == "2023-05-17T16:40:00+00:00"
    assert extracted.authors == ["Anna Testova"]
    assert extracted.tags == ["Ferry", "Transport", "Kell Island"]


@pytest.mark.parametrize("url, site", [
    ("https://sputniknews.com/russia/201607041042415680-peskov-nato-russia-threat/", "sputniknews.com"),
    ("https://sputnikglobe.com/20230517/harbour-town-1110512345.html", "sputnikglobe.com"),
    ("https://mundo.sputniknews.com/20200428/un-articulo-1091234567.html", "sputniknews.com"),
    ("https://sputniknews.gr/20230517/arthro-12345.html", "sputniknews.gr"),
    ("https://ru.sputnik.kz/20230517/statya-12345.html", "sputnik.kz"),
    ("https://sputnik-georgia.ru/20230517/statya-12345.html", "sputnik-georgia.ru"),
    ("https://noticiaslatam.lat/20230517/articulo-12345.html", "noticiaslatam.lat"),
])
def test_sputnik_urls_pick_the_sputnik_cleaner(url, site):
    assert find_by_url(url) is sputnik.CLEANER
    assert registered_domain(url) == site


@pytest.mark.parametrize("url", ["https://www.rt.com/news/1/", "https://notsputnik.com/a",
                                 "https://sputnik.example.com/a"])
def test_other_urls_do_not_pick_the_sputnik_cleaner(url):
    assert find_by_url(url) is not sputnik.CLEANER


def test_language_edition_page_is_cleaned_with_its_own_site():
    html = (SP_FIXTURES / "harbour_ferry_2022_template.html").read_bytes()
    url = "https://sputniknews.gr/20230517/harbour-town-restores-night-ferry-1110512345.html"
    article = clean(html, url=url)
    assert article.extractor.startswith("site:sputnik/")
    assert article.site == "sputniknews.gr"
    assert article.url == url
    assert article.title == "Harbour Town Restores Night Ferry After Two-Year Pause"


# --- 5. robustness: pages in no known template -------------------------------------------------

def test_listing_page_is_declined_and_the_generic_path_runs():
    path = SP_FIXTURES / "listing_2022_template.html"
    assert sputnik.clean_html(_tree(path), "https://sputnikglobe.com/world/") is None
    article = clean(path.read_bytes(), url="https://sputnikglobe.com/world/")
    assert not article.extractor.startswith("site:sputnik")
    assert article.site == "sputnikglobe.com"
    assert article.status in ("ok", "no_article")


def test_article_template_with_an_empty_body_is_declined():
    html = ('<html><body><div class="b-article"><h1>A title</h1><div class="b-article__text">'
            '<div class="b-inject"><div class="b-inject__media">© Sputnik / Someone</div></div>'
            '</div></div></body></html>')
    assert sputnik.clean_html(lxml.html.document_fromstring(html), "https://sputniknews.com/a/") is None
    article = clean(html, url="https://sputniknews.com/a/")
    assert not article.extractor.startswith("site:sputnik")


@pytest.mark.parametrize("text", [
    "Just a line of text\nand another one without any template\n",
    "Get short URL\n",  # the anchor with nothing around it
    "Some title\nGet short URL\n",
    "12:00 GMT 01.01.2020 Get short URL\nno URL line follows\n",
])
def test_dumps_in_no_known_template_are_declined(text):
    assert sputnik.clean_text(text) is None


def test_dump_with_only_the_anchor_falls_back_to_the_text_rules():
    article = clean("Listen Live\nGet short URL\n\nComment via Sputnik\n")
    assert article.extractor == "text-model"
    assert article.status == "no_article"
