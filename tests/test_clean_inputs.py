"""Bad and odd input: every case gives an error record or a correct article, never an exception."""
import gzip

import pytest

import cleaners
from cleaners.article import content_hash

ARTICLE_HTML = """<!doctype html><html lang="{lang}"><head><meta charset="{charset}">
<title>{title} | Example News</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-03-05T10:20:00+01:00">
<link rel="canonical" href="https://news.example.org/world/2024/03/05/story.html">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie">This website uses cookies. Accept cookies</div>
<article><h1>{title}</h1>
{paragraphs}
<div class="share">Share on Facebook</div>
</article>
<footer>© Example News 2024. All rights reserved.</footer>
</body></html>"""

RUSSIAN = [
    "Министерство иностранных дел сообщило в понедельник о начале переговоров с соседними странами.",
    "По словам официального представителя, стороны обсудят вопросы безопасности и торговли в регионе.",
    "Эксперты считают, что встреча может стать важным шагом к снижению напряжённости на границе.",
    "Следующий раунд переговоров запланирован на конец месяца, сообщили в ведомстве журналистам.",
]
ENGLISH = [
    "The city council voted on Tuesday to extend the night bus network to three more districts.",
    "Officials said the change would cost about two million a year and start in the spring.",
    "Residents of the outer districts had campaigned for the extension for more than five years.",
    "The opposition criticised the plan, saying the money should go to the tram line instead.",
]


def page(paragraphs, *, title="Council extends night buses", charset="utf-8", lang="en"):
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return ARTICLE_HTML.format(title=title, charset=charset, lang=lang, paragraphs=body)


def test_generic_article_extracts_text_and_metadata():
    article = cleaners.clean(page(ENGLISH).encode())
    assert article.status == "ok"
    assert article.extractor in ("blocks", "trafilatura", "readability")
    assert article.title == "Council extends night buses"
    assert article.text.split("\n\n") == ENGLISH
    assert article.published == "2024-03-05T10:20:00+01:00"
    assert article.url == article.canonical_url == "https://news.example.org/world/2024/03/05/story.html"
    assert article.site == "example.org"
    assert article.language == "en"
    assert article.content_hash == content_hash(article.text)
    assert "cookies" not in article.text and "Share" not in article.text


@pytest.mark.parametrize("charset", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("declared", [True, False])
def test_cyrillic_charsets_come_out_right(charset, declared):
    html = page(RUSSIAN, title="Переговоры начались", charset=charset if declared else "", lang="ru")
    if not declared:
        html = html.replace('<meta charset="">', "")
    article = cleaners.clean(html.encode(charset))
    assert article.status == "ok"
    assert article.title == "Переговоры начались"
    assert article.text.split("\n\n") == RUSSIAN
    assert article.language == "ru"


def test_http_charset_wins_over_a_missing_declaration():
    html = page(RUSSIAN, title="Переговоры начались", charset="", lang="ru").replace('<meta charset="">', "")
    article = cleaners.clean(html.encode("koi8-r"), http_charset="koi8-r")
    assert article.text.split("\n\n") == RUSSIAN


def test_wrong_declared_charset_is_overruled():
    # UTF-8 bytes declared as latin-1, and cp1251 bytes declared as UTF-8
    utf8_as_latin = page(RUSSIAN, title="Переговоры", charset="iso-8859-1", lang="ru").encode("utf-8")
    cp1251_as_utf8 = page(RUSSIAN, title="Переговоры", charset="utf-8", lang="ru").encode("cp1251")
    for data in (utf8_as_latin, cp1251_as_utf8):
        article = cleaners.clean(data)
        assert article.status == "ok"
        assert article.text.split("\n\n") == RUSSIAN



GERMAN = [
    "Der Gemeinderat hat am Dienstag beschlossen, die Nachtbusse künftig auch in drei äußere Stadtteile fahren zu lassen.",
    "Die Änderung kostet nach Schätzung der Verwaltung rund zwei Millionen Euro im Jahr und beginnt im Frühjahr.",
    "Anwohner der äußeren Viertel hatten sich mehr als fünf Jahre lang für die Verlängerung eingesetzt.",
    "Die Opposition kritisierte den Plan: Das Geld solle besser in die neue Straßenbahnlinie fließen.",
]


@pytest.mark.parametrize("declared", ["utf-8", ""])
def test_a_utf8_page_with_one_stray_latin1_byte_stays_utf8(declared):
    """One Latin-1 byte (a pasted comment, an ad) makes the page invalid UTF-8; statistical
    detection then named a single-byte charset and every umlaut came out as two wrong letters.
    The page stays UTF-8 and the one bad byte becomes U+FFFD."""
    html = page(GERMAN, title="Nachtbusse fahren länger", charset=declared, lang="de")
    data = html.encode("utf-8").replace(b"</footer>", b"</footer><!-- Gr\xfc\xdfe -->")
    article = cleaners.clean(data)
    assert article.status == "ok"
    assert article.text.split("\n\n") == GERMAN and article.title == "Nachtbusse fahren länger"


def test_text_in_another_charset_is_not_taken_for_broken_utf8():
    """GB2312 and cp1251 bytes hold chance UTF-8 sequences, but far from most of their text."""
    from cleaners.io.decode import decode, mostly_utf8

    chinese = "市政府星期二决定，从明年春天起把夜间公交延长到三个郊区。" * 20
    for text, charset in ((chinese, "gb2312"), (" ".join(RUSSIAN), "cp1251"), ("Grüße aus Köln, schön!", "latin-1")):
        data = f"<html><body><p>{text}</p></body></html>".encode(charset)
        assert mostly_utf8(data) is None
        assert text in decode(data)[0]
    assert decode(b"") == ("", "utf-8")  # empty is valid UTF-8, not a case for detection


def test_byte_order_marks():
    html = page(ENGLISH)
    for data in (b"\xef\xbb\xbf" + html.encode("utf-8"), html.encode("utf-16")):
        article = cleaners.clean(data)
        assert article.status == "ok"
        assert article.text.split("\n\n") == ENGLISH


@pytest.mark.parametrize("data,status", [
    (b"", "empty"),
    (b"   \n\t  ", "empty"),
    ("", "empty"),
    (None, "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_html"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_html"),
    (gzip.compress(b"<html>hello</html>"), "not_html"),
    (bytes(range(256)) * 8, "not_html"),
])
def test_bad_input_gives_error_record(data, status):
    article = cleaners.clean(data, url="https://example.org/x")
    assert article.status == status
    assert article.error
    assert article.text == ""
    assert article.url == "https://example.org/x"


def test_oversized_page_is_refused_without_parsing():
    big = (page(ENGLISH).replace("</article>", "<p>" + "filler words " * 1_700_000 + "</p></article>")).encode()
    assert len(big) > 20_000_000
    article = cleaners.clean(big)
    assert article.status == "too_large"
    assert "MB" in article.error
    # the limit is the caller's to set
    assert cleaners.clean(page(ENGLISH).encode(), max_bytes=1000).status == "too_large"


def test_truncated_html_still_gives_the_article_it_holds():
    html = page(ENGLISH)
    cut = html[: html.index(ENGLISH[3])]  # cut mid-page, inside the article
    article = cleaners.clean(cut.encode())
    assert article.status == "ok"
    assert article.text.split("\n\n") == ENGLISH[:3]


def test_page_that_is_not_an_article():
    html = ("<html><head><title>Sections</title></head><body><ul>"
            + "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30))
            + "</ul></body></html>")
    article = cleaners.clean(html)
    assert article.status == "no_article"
    assert article.text == ""
    assert "no article text" in article.error


def test_markup_with_no_body_at_all():
    article = cleaners.clean(b"<html><head><script>var a = 1;</script></head></html>")
    assert article.status == "no_article"


def test_xml_declaration_and_xhtml():
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(ENGLISH)
    article = cleaners.clean(html)  # a str with an encoding declaration trips lxml if not removed
    assert article.status == "ok"
    assert article.text.split("\n\n") == ENGLISH


def test_kind_is_detected_and_can_be_forced():
    dump = "Council extends night buses\n\n" + "\n\n".join(ENGLISH) + "\n"
    article = cleaners.clean(dump)
    assert article.extractor == "text-model"
    assert article.title == "Council extends night buses"
    assert article.text.split("\n\n") == ENGLISH
    with pytest.raises(ValueError):
        cleaners.clean(dump, kind="pdf")


def test_generic_text_rules_drop_junk_but_keep_prose():
    dump = "\n".join([
        "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon fbicon",
        "Home", "World", "Council extends night buses", "Share on Facebook",
        ENGLISH[0], ENGLISH[1], "Advertisement", "Bus strike ends", "Read more", "Bus strike ends",
        "How the routes change", ENGLISH[2], ENGLISH[3], "0:00", "20:57",
        "This website uses cookies. Read our privacy policy to find out more.", "Accept cookies",
    ])
    article = cleaners.clean(dump)
    assert article.title == "Council extends night buses"
    assert article.text.split("\n\n") == [ENGLISH[0], ENGLISH[1], "How the routes change", ENGLISH[2], ENGLISH[3]]


def test_never_raises_on_random_markup():
    import random

    rng = random.Random(7)
    tags = ["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "&#0;", "\x00", "<"]
    for _ in range(200):
        blob = "".join(rng.choice(tags + ["word ", "text. "]) for _ in range(rng.randint(0, 300)))
        article = cleaners.clean(blob)
        assert article.status in ("ok",) + cleaners.ERROR_STATUSES
        assert (article.status == "ok") == bool(article.text)
