"""The RT site cleaner (cleaners/sites/rt.py): seed dumps, the real RT en Español page, our own
pages in both RT templates, URL matching, and pages in no known template. No mocks."""
from __future__ import annotations

import lxml.html
import pytest

from cleaners import clean
from cleaners.article import content_hash
from cleaners.registry import find_by_text, find_by_url
from cleaners.sites import rt
from conftest import FIXTURES, load_json, make_dump, paragraphs_normalised, shared_path

RT_FIXTURES = FIXTURES / "rt"
RT_SEEDS = ("000_cd7deb82a3c48c82", "001_f9f0102b73154307", "004_3323d6cb3d69b2c7")
SEED_FIELDS = ("site", "title", "published", "modified", "authors", "section", "description", "tags")
REAL_PAGE = "actualidad.rt.com_603743-iran-afirma-onu-garantizara-navegacion_2026-05.html"
REAL_URL = "https://actualidad.rt.com/actualidad/603743-iran-afirma-onu-garantizara-navegacion"
OWN_PAGES = {
    "rt_en_article": "https://www.rt.com/russia/549999-nato-less-borders-test/",
    "rt_es_2026_article": "https://actualidad.rt.com/ciencias/900001-observatorio-chileno-lluvia-meteoros",
}


# --- 1. the seed dumps -------------------------------------------------------------------------

@pytest.mark.parametrize("name", RT_SEEDS)
def test_seed_dump_gives_the_expected_article(name):
    seed = shared_path("seeds", f"{name}.txt")
    expected = load_json(shared_path("seeds", "expected", f"{name}.json"))
    article = clean(seed.read_bytes())
    assert article.ok, article.error
    assert article.extractor.startswith("site:rt/")
    for field in SEED_FIELDS:
        assert getattr(article, field) == expected[field], field
    assert paragraphs_normalised(article.text) == paragraphs_normalised(expected["text"])
    assert article.text == "\n\n".join(paragraphs_normalised(expected["text"]))


@pytest.mark.parametrize("name", RT_SEEDS)
def test_seed_dump_is_recognised_by_its_signatures(name):
    text = shared_path("seeds", f"{name}.txt").read_text(encoding="utf-8")
    assert find_by_text(text) is rt.CLEANER


# --- 2. the real RT en Español page (2026 template) --------------------------------------------

@pytest.fixture(scope="module")
def real_page():
    return shared_path("sites", "rt", REAL_PAGE)


@pytest.fixture(scope="module")
def real_expected():
    return load_json(RT_FIXTURES / "actualidad_603743.expected.json")


@pytest.fixture(scope="module")
def real_article(real_page):
    return clean(real_page.read_bytes(), url=REAL_URL)


def test_real_page_metadata(real_article, real_expected):
    article = real_article
    assert article.ok, article.error
    assert article.extractor == real_expected["extractor"] == "site:rt/2026"
    assert article.site == "rt.com" == real_expected["site"]
    for field in ("title", "published", "modified", "authors", "section", "tags", "description"):
        assert getattr(article, field) == real_expected[field], field


def test_real_page_body(real_article, real_expected):
    paragraphs = paragraphs_normalised(real_article.text)
    assert paragraphs[0] == real_expected["first_paragraph"]
    assert paragraphs[-1] == real_expected["last_paragraph"]
    assert len(paragraphs) == real_expected["paragraph_count"]
    assert real_article.content_hash == content_hash(real_article.text) == real_expected["content_hash"]


def test_real_page_has_no_widget_text(real_article, real_expected):
    for junk in real_expected["must_not_contain"]:
        assert junk not in real_article.text, junk


def test_real_page_without_url_finds_rt_by_canonical_url(real_page, real_expected):
    article = clean(real_page.read_bytes())
    assert article.extractor.startswith("site:rt/")
    assert article.content_hash == real_expected["content_hash"]


def test_real_page_dump_gives_the_same_body_and_title(real_page, real_article):
    dump = make_dump(real_page)
    article = clean(dump, url=None)
    assert article.extractor.startswith("site:rt/")
    assert article.title == real_article.title
    assert paragraphs_normalised(article.text) == paragraphs_normalised(real_article.text)
    assert article.section == "Actualidad"
    assert article.published == "2026-05-07T22:03:00+00:00"  # the dump shows minutes only
    assert article.description == real_article.description


# --- 4. our own pages in RT's templates -------------------------------------------------------

@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_own_page_gives_the_expected_article(name):
    expected = load_json(RT_FIXTURES / f"{name}.expected.json")
    article = clean((RT_FIXTURES / f"{name}.html").read_bytes(), url=OWN_PAGES[name])
    assert article.ok, article.error
    assert article.extractor.startswith("site:rt/")
    assert article.url == expected["url"]
    for field, value in expected.items():
        assert getattr(article, field) == value, field


def test_own_english_page_drops_every_widget():
    text = clean((RT_FIXTURES / "rt_en_article.html").read_bytes(), url=OWN_PAGES["rt_en_article"]).text
    for junk in ("Putin launches nuclear war drills", "Read more", "Follow RT on", "Get short URL",
                 "© Kenzo", "Kenzo Tribouillard", "icon bookmark", "Home", "Top stories",
                 "You can share this story", "Facebook", "Munich Security ConferenceNATO"):
        assert junk not in text, junk


def test_own_spanish_page_drops_every_widget():
    text = clean((RT_FIXTURES / "rt_es_2026_article.html").read_bytes(),
                 url=OWN_PAGES["rt_es_2026_article"]).text
    for junk in ("Un cometa brillante", "Te puede interesar", "los eclipses más largos", "Archivo",
                 "Gettyimages.ru", "Imagen ilustrativa", "Compartir", "Observador Aficionado",
                 "Qué noche", "Astronomía", "Lo más popular", "Publicado", "Laura Gómez"):
        assert junk not in text, junk


def test_own_english_page_dump_gives_the_seed_text():
    """Our English page, dumped the way the seeds were, reads like seed 000 on the text path."""
    expected = load_json(shared_path("seeds", "expected", f"{RT_SEEDS[0]}.json"))
    article = clean(make_dump(RT_FIXTURES / "rt_en_article.html"))
    assert article.extractor.startswith("site:rt/")
    for field in SEED_FIELDS:
        assert getattr(article, field) == expected[field], field
    assert paragraphs_normalised(article.text) == paragraphs_normalised(expected["text"])


def test_own_spanish_page_without_url_uses_its_canonical_url():
    article = clean((RT_FIXTURES / "rt_es_2026_article.html").read_bytes())
    assert article.extractor.startswith("site:rt/")
    assert article.site == "rt.com"
    assert article.url == OWN_PAGES["rt_es_2026_article"]


@pytest.mark.parametrize("url", [
    "https://www.rt.com/russia/549999-nato/",
    "https://rt.com/news/1-x/",
    "https://actualidad.rt.com/actualidad/603743-iran",
    "https://russian.rt.com/world/news/1",
    "https://de.rt.com/international/1/",
    "https://francais.rt.com/international/1",
    "https://arabic.rt.com/world/1/",
    "https://RTD.RT.COM/films/x/",
    "https://esrt.press/actualidad/1-x",
    "https://rtde.site/international/1/",
    "https://swentr.site/news/1/",
])
def test_rt_urls_pick_the_rt_cleaner(url):
    assert find_by_url(url) is rt.CLEANER


@pytest.mark.parametrize("url", ["https://notrt.com/x", "https://rt.com.example.org/x",
                                 "https://www.ruptly.tv/en/videos/1", "https://sputniknews.com/x"])
def test_other_urls_do_not_pick_the_rt_cleaner(url):
    assert find_by_url(url) is not rt.CLEANER


@pytest.mark.parametrize("url", ["https://rt.com/russia/549999-nato-less-borders-test/",
                                 "https://www.rt.com/russia/549999-nato-less-borders-test/",
                                 "https://actualidad.rt.com/russia/549999-nato-less-borders-test/"])
def test_site_is_rt_com_on_bare_domain_and_subdomains(url):
    article = clean((RT_FIXTURES / "rt_en_article.html").read_bytes(), url=url)
    assert article.extractor.startswith("site:rt/")
    assert article.site == "rt.com"
    assert article.url == url


def test_cleaner_registration():
    assert rt.CLEANER.name == "rt"
    assert rt.CLEANER.site == "rt.com"
    assert rt.CLEANER.extractor == "site:rt"
    assert "rt.com" in rt.CLEANER.domains


# --- 5. robustness: RT pages and dumps in no known template ------------------------------------

def test_listing_page_is_not_an_rt_article():
    path = RT_FIXTURES / "rt_es_listing.html"
    assert rt.clean_html(lxml.html.document_fromstring(path.read_text(encoding="utf-8")),
                         "https://actualidad.rt.com/ciencias") is None
    article = clean(path.read_bytes(), url="https://actualidad.rt.com/ciencias")
    assert article.status in ("ok", "no_article"), article.error
    assert not article.extractor.startswith("site:rt")
    assert article.site == "rt.com"


def test_listing_page_dump_is_not_an_rt_article():
    dump = make_dump(RT_FIXTURES / "rt_es_listing.html")
    assert rt.clean_text(dump) is None
    article = clean(dump, url="https://actualidad.rt.com/ciencias")
    assert not article.extractor.startswith("site:rt")
    assert article.status in ("ok", "no_article"), article.error


@pytest.mark.parametrize("html", [
    "<html><body></body></html>",
    "<html><body><div class='article__text'></div></body></html>",
    "<html><body><div class='ArticleView-text'><div class='ReadMore-root' data-widgets='ReadMore'>"
    "<a href='/x'>Solo un titular</a></div></div></body></html>",
    "<html><body><div class='article'><h1 class='article__heading'>T</h1>"
    "<div class='article__text'><svg><title>icon fm</title></svg></div></div></body></html>",
])
def test_empty_or_widget_only_bodies_give_none(html):
    assert rt.clean_html(lxml.html.document_fromstring(html), "https://www.rt.com/x") is None
    article = clean(html, url="https://www.rt.com/x")
    assert not article.extractor.startswith("site:rt")
    assert article.status in ("ok", "no_article"), article.error


@pytest.mark.parametrize("text", ["", "hello", "19 Feb, 2022 14:15", "Publicado:\n7 may 2026 22:03 GMT",
                                  "19 Feb, 2022 14:15\nHome\n\nTitle only\n\nTop stories\n"])
def test_odd_dumps_give_none(text):
    assert rt.clean_text(text) is None


# --- rules ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("7 may 2026 22:03 GMT", "2026-05-07T22:03:00+00:00"),
    ("14 dic 2025 09:05 GMT", "2025-12-14T09:05:00+00:00"),
    ("3 ene 2026 00:00", "2026-01-03T00:00:00"),
    ("not a date", None),
])
def test_parse_local_date(text, expected):
    assert rt.parse_local_date(text) == expected


def test_parse_en_date_keeps_no_offset():
    assert rt.parse_en_date("19 Feb, 2022 14:15") == "2022-02-19T14:15:00"


@pytest.mark.parametrize("line,expected", [
    ('"Las acciones", denunció."La postura es clara", agregó.Estados Unidos de EE.UU. propuso.',
     ['"Las acciones", denunció.', '"La postura es clara", agregó.', "Estados Unidos de EE.UU. propuso."]),
    ('"Texto citado completo."Luego sigue otro párrafo.',
     ['"Texto citado completo."', "Luego sigue otro párrafo."]),
    ("Una frase. Otra frase en el mismo párrafo.", ["Una frase. Otra frase en el mismo párrafo."]),
])
def test_split_glued(line, expected):
    assert rt.split_glued(line) == expected


@pytest.mark.parametrize("text, iso", [
    ("7 may 2026 22:03 GMT", "2026-05-07T22:03:00+00:00"),  # RT en Español
    ("7 mai 2026 22:03 GMT", "2026-05-07T22:03:00+00:00"),  # RT France
    ("3 März 2026 08:15 GMT", "2026-03-03T08:15:00+00:00"),  # RT DE
    ("7 мая 2026 22:03 GMT", "2026-05-07T22:03:00+00:00"),  # RT на русском
    ("12 déc. 2026 10:00", "2026-12-12T10:00:00"),  # no zone stated: none added
])
def test_2026_edition_dates(text, iso):
    assert rt.parse_local_date(text) == iso
