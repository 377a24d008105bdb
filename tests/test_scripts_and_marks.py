"""Text that word counts by \\w+ runs and character-level marks get wrong: Chinese and Japanese
(written without spaces), ruby annotations (furigana), soft hyphens."""
from __future__ import annotations

import gc

import cleaners
from cleaners.article import count_words, has_prose, join_paragraphs, normalise_paragraph
from cleaners.generic import blocks

# A short Japanese news article written for this test: four paragraphs that \w+ runs count as
# a handful of "words" each (every run ends at a 、 or 。).
JAPANESE_PARAGRAPHS = [
    "市の図書館は来月から、夜九時まで開館することになりました。",
    "仕事や学校が終わったあとに本を借りたいという声が多かったため、市は職員を増やして対応します。",
    "新しい時間は、まず中央図書館で始めて、利用する人が多ければ、ほかの図書館にも広げるということです。",
    "市の担当者は、多くの人に気軽に図書館を使ってほしいと話しています。",
]


def _ruby(text: str, base: str, reading: str) -> str:
    """The first `base` in text with its reading printed over it, as easy-Japanese news pages do."""
    return text.replace(base, f"<ruby>{base}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>", 1)


def japanese_page() -> str:
    paragraphs = [_ruby(JAPANESE_PARAGRAPHS[0], "図書館", "としょかん"),
                  _ruby(JAPANESE_PARAGRAPHS[1], "職員", "しょくいん"),
                  JAPANESE_PARAGRAPHS[2], JAPANESE_PARAGRAPHS[3]]
    nav = "".join(f'<li><a href="/{i}">{label}</a></li>'
                  for i, label in enumerate(["ニュース", "天気", "スポーツ", "くらし", "動画"]))
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>図書館 夜九時まで</title>'
            f'</head><body><header><nav><ul>{nav}</ul></nav></header>'
            f'<main><article><h1>図書館が夜九時まで開館</h1>'
            f'{"".join(f"<p>{p}</p>" for p in paragraphs)}</article></main>'
            f'<footer><p>このサイトについて</p></footer></body></html>')


def test_chinese_and_japanese_words_are_counted_per_character():
    assert count_words("市の図書館は来月から") == 10
    assert count_words("中文新闻") == 4
    assert count_words("Tokyo 2026 東京") == 4  # runs of other scripts and digits stay one word each
    assert count_words("한국어 문장입니다") == 2  # Korean separates its words with spaces
    assert has_prose([JAPANESE_PARAGRAPHS[3]])


def test_a_short_japanese_article_is_found_without_its_ruby_readings():
    article = cleaners.clean(japanese_page().encode("utf-8"), url="https://news.example.jp/a/1", kind="html")
    assert article.status == "ok", article.error
    for paragraph in JAPANESE_PARAGRAPHS:
        assert paragraph in article.text
    for reading in ("としょかん", "しょくいん", "(", ")"):
        assert reading not in article.text
    assert "スポーツ" not in article.text
    assert article.word_count >= 100


def test_ruby_readings_are_not_part_of_a_block():
    tree = cleaners.core._parse_html("<html><body><p>" + _ruby("東京で雪", "東京", "とうきょう") + "</p></body></html>")
    assert [b.text for b in blocks.segment(tree)] == ["東京で雪"]


def test_soft_hyphens_are_removed_from_paragraphs_and_titles():
    assert normalise_paragraph("Klima\u00adwandel und Kli\u00adma\u00adschutz") == "Klimawandel und Klimaschutz"
    assert join_paragraphs(["Ab\u00adsatz eins", "\u00ad", "zwei"]) == "Absatz eins\n\nzwei"
    body = "".join(f"<p>Der Klima\u00adwandel ver\u00adän\u00addert die Alpen, Absatz {i}, und die "
                   f"Gemeinden im Tal planen neue Schutz\u00admaß\u00adnahmen gegen Mur\u00adgänge.</p>"
                   for i in range(6))
    page = (f"<html><head><title>Klima\u00adwandel in den Alpen</title></head><body><article>"
            f"<h1>Klima\u00adwandel in den Alpen</h1>{body}</article></body></html>")
    article = cleaners.clean(page.encode("utf-8"), url="https://zeitung.example.de/a", kind="html")
    assert article.status == "ok"
    assert "\u00ad" not in article.text and "\u00ad" not in (article.title or "")
    assert "Der Klimawandel verändert die Alpen" in article.text


def test_cleaning_a_page_leaves_no_reference_cycles():
    """Garbage in cycles waits for the collector's oldest generation, which scans every object
    of the process: the element walk once kept each page's blocks and tree alive that way."""
    english = ("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
               + "".join(f"<p>Paragraph {i} of the report says the council will meet again next week "
                         f"to decide on the budget for the coming year.</p>" for i in range(8))
               + "</article><footer><p>About us</p></footer></body></html>")
    pages = [english.encode(), japanese_page().encode("utf-8")]
    for page in pages:
        cleaners.clean(page, kind="html")  # warm-up: caches and lazy imports are not garbage
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for page in pages:
            cleaners.clean(page, kind="html")
        gc.collect()
        cyclic = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert cyclic == []


def test_language_model_tables_are_not_scanned_by_every_full_collection():
    """py3langid's automaton tables (~105,000 ints each) are tuples the collector stops tracking,
    and the answers are py3langid's own."""
    import py3langid

    from cleaners.metadata import language

    texts = ["Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen.",
             "Le conseil municipal a adopté mardi le budget de l'année prochaine après un long débat.",
             "The council adopted next year's budget on Tuesday after a long debate about the trams.",
             "".join(JAPANESE_PARAGRAPHS)]
    found = [language.detect_language(t) for t in texts]
    assert found == [py3langid.classify(t)[0] for t in texts] == ["de", "fr", "en", "ja"]
    identifier = language._identifier()
    gc.collect()
    for name in ("tk_output", "_rowbase"):
        table = getattr(identifier, name, None)
        if table is not None:
            assert isinstance(table, tuple) and not gc.is_tracked(table)
