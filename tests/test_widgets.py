"""The widget mechanism (cleaners/generic/widgets.py, lexicon cleaners/lexicon/widgets.json): read-more
/ related / also-read cards and share / follow / subscribe prompts, by shape and a multilingual
lexicon, on lines (dumps, paragraphs) and on the DOM. Article text is never taken for a widget."""
from __future__ import annotations

import json

import lxml.html
import pytest

from cleaners import clean
from cleaners.generic import widgets
from cleaners.generic.textrules import drop_read_more_widgets, filter_paragraphs

LANGUAGES = ("en", "es", "fr", "de", "pt", "ru", "uk", "ar", "hi", "ur", "tr", "zh")


def test_the_lexicon_is_data_for_every_language():
    data = json.loads(widgets.LEXICON_PATH.read_text(encoding="utf-8"))
    for kind in ("read_more", "prompts"):
        for language in LANGUAGES:
            assert data[kind].get(language), (kind, language)


@pytest.mark.parametrize("line", [
    "Read more: Putin says the talks will go on",
    "ALSO READ | Markets rally as inflation eases",
    "READ: KKR vs SRH IPL Live Score, today match latest updates",
    "See also: How the budget was made",
    "Lee también: El estrecho de Ormuz, la verdadera 'arma' de Irán",
    "Lire aussi : La réforme des retraites adoptée",
    "Auch interessant: Die Bahn streikt wieder",
    "Leia também: Lula visita a China",
    "Читайте также: Путин провел переговоры",
    "Читайте також: Україна отримала нову допомогу",
    "اقرأ أيضا: الرئيس يلتقي الوزير",
    "ये भी पढ़ें: दिल्ली में बारिश से जलभराव",
    "इसे भी पढ़ें : Indian Railway: क्या आपने किया है IRCTC अकाउंट को आधार से लिंक?",
    "यह भी देखें- अब मार्केट में आया नया फोन",
    "یہ بھی پڑھیں: وزیراعظم کا دورہ چین",
    "Ayrıca okuyun: Merkez Bankası faizi sabit tuttu",
    "相关阅读：中国经济增长放缓",
    "【延伸阅读】北京冬奥会开幕",
    "\u200b\u200bइसे भी पढ़ें : जानिए कब लागू होंगे नए नियम",  # zero-width spaces before the label
])
def test_a_label_and_one_headline_is_a_widget(line):
    assert widgets.widget_line(line) == "read-more"


@pytest.mark.parametrize("line", ["Read more", "Also read:", "Lee también", "ये भी पढ़ें", "相关阅读",
                                  "Читайте также:", "اقرأ أيضاً"])
def test_a_label_alone_is_a_widget(line):
    assert widgets.widget_line(line) == "label"


@pytest.mark.parametrize("line", [
    "Follow RT on Telegram",
    "Follow us on Facebook and Twitter",
    "Get all the latest IPL 2023 news and updates on Republic World",
    "Subscribe to our newsletter",
    "Share this article",
    "If you like this story, share it with a friend!",
    "Share on Facebook Twitter WhatsApp",
    "Síguenos en Telegram",
    "Suivez-nous sur Twitter",
    "Подписывайтесь на наш Telegram-канал",
    "Abone olun",
    "分享到微信",
])
def test_prompts_are_widgets(line):
    assert widgets.widget_line(line) == "prompt"


@pytest.mark.parametrize("line", [
    # a label-like word that opens a sentence: no separator, or prose after it
    "Related to this, the minister said the cuts would hit schools, hospitals and councils.",
    "Read the full statement on the ministry's website, which says the talks will resume.",
    "Read: the minister resigned on Monday. The party has called a meeting. A vote follows.",
    "More than 100 people died in the flood on Monday, officials said.",
    "Ready for war, the army said on Monday that it had moved troops to the border.",
    "Share prices fell",
    "Sharecropping was common in the region for centuries, and many families lived by it.",
    "Followers of the movement gathered in the capital on Sunday to demand early elections.",
    "Subscribers to the service will pay more from April, the company said in a statement.",
    "关注民生问题的政府部门今天表示将继续努力改善",
    "Lee también el informe completo, que se publicará el lunes, dijo el portavoz del gobierno.",
])
def test_article_text_is_not_a_widget(line):
    assert widgets.widget_line(line) is None
    assert filter_paragraphs([line]) == [line]


def test_a_label_line_then_the_headline_line():
    lines = ["First paragraph of the story, long enough to be prose.", "ये भी पढ़ें", "दिल्ली में बारिश से जलभराव",
             "Second paragraph of the story."]
    assert drop_read_more_widgets(lines) == [lines[0], lines[3]]


PAGE_URL = "https://bharat.example.com/india-news/politics/some-story-123456"
PROSE = ("<p>This paragraph is the article's running text, with enough words to read as prose "
         "between the widgets of the page.</p>")


def _paragraphs_after(body: str) -> list[str]:
    tree = lxml.html.fragment_fromstring(f"<div>{PROSE}{body}{PROSE}</div>")
    widgets.drop_widget_elements(tree, PAGE_URL)
    return [" ".join(p.text_content().split()) for p in tree.iter("p", "li")][1:-1]


def test_dom_label_and_link_to_another_article_of_the_site():
    body = ('<p><strong>इसे भी पढ़ें:</strong> <a href="https://bharat.example.com/india-news/'
            'general-news/other-story-98765">दूसरी खबर की सुर्खी</a></p>')
    assert _paragraphs_after(body) == []


def test_dom_a_paragraph_that_is_only_another_article_linked():
    body = '<p><strong><a href="/world/610018-taiwan-china-drills">Taiwan and China in new drills</a></strong></p>'
    assert _paragraphs_after(body) == []


@pytest.mark.parametrize("body", [
    # another site: a source, not a card of this site's
    '<p><a href="https://other.org/world/2023/a-report">The UN report on the strait</a></p>',
    # a tag page, not an article
    '<p><a href="/topics/ms-dhoni">MS Dhoni</a></p>',
    # a sentence that happens to be all link
    '<p><a href="/world/610018-taiwan-china-drills">China began drills near Taiwan on Monday.</a></p>',
    # a label-like word opening a linked sentence, not a label of its own
    '<p>More <a href="/world/610018-x-y">details have emerged about the plan to shut the strait</a>.</p>',
    # prose with an inline link
    '<p>The minister, quoted by <a href="/world/610018-x-y">our earlier report</a>, said the talks '
    'would resume next week after the holiday.</p>',
])
def test_dom_keeps_what_is_not_a_card(body):
    assert _paragraphs_after(body) != []


def test_dom_a_link_in_a_menu_is_not_judged_as_a_card():
    tree = lxml.html.fragment_fromstring(
        '<div><ul><li><a href="/world/610018-taiwan-china-drills">Taiwan and China</a></li></ul></div>')
    widgets.drop_widget_elements(tree, PAGE_URL)
    assert tree.xpath("//li")


def test_the_generic_html_path_drops_cards_of_the_same_site():
    prose = [PROSE.replace("running text", f"running text number {i}") for i in range(7)]
    page = (f"<html><head><title>A story</title><link rel='canonical' href='{PAGE_URL}'>"
            "<meta property='og:type' content='article'></head><body>"
            f"<article><h1>A story</h1>{''.join(prose[:3])}"
            "<p>Lee también: <a href='/india-news/otra-historia-12345'>Otra historia del sitio</a></p>"
            f"{''.join(prose[3:5])}"
            # a card without a label: only the DOM tells it is another article's linked headline
            "<p><b><a href='/india-news/tercera-historia-12399'>Una tercera historia del sitio</a></b></p>"
            f"{''.join(prose[5:])}</article></body></html>")
    article = clean(page, url=PAGE_URL)
    assert article.ok and "Otra historia" not in article.text and "tercera historia" not in article.text
    for i in range(6):  # the paragraphs around the cards stay (the block classifier decides the last)
        assert f"running text number {i}," in article.text


def test_a_sentence_that_opens_like_a_prompt_stays():
    line = "Share this project with your classmates and make your way towards an A."
    assert widgets.widget_line(line) is None
    assert widgets.widget_line("Follow us on Telegram for the latest news.") == "prompt"
    # a phrase of three words or more says it all, sentence or not
    assert widgets.widget_line("Get all the latest IPL 2023 news on Republic World, and follow us on "
                               "Twitter and Facebook.") == "prompt"


def test_a_url_no_parser_reads_is_no_article_link_and_costs_no_row():
    """A hostile page URL ("http://[::1", an unclosed IPv6 host) once made the DOM widget check
    raise, so the page became a cleaner_error row (found by bench/fuzz.py after the merge)."""
    from cleaners import clean
    from cleaners.generic.widgets import is_article_link

    assert is_article_link("/news/2025/01/02/other-story", "http://[::1") is False
    assert is_article_link("http://[::1/news/x", "https://example.org/a") is False
    # four distinct paragraphs: a page's later copies of a paragraph go (sections.without_repeats)
    paragraphs = [f"The council met on Tuesday, meeting {n}, and voted on the budget after a long debate. " * 3
                  for n in range(4)]
    page = ('<html><head><title>Council votes</title><script type="application/ld+json">'
            '{"@type": "NewsArticle", "headline": "Council votes"}</script></head><body><article>'
            '<h1>Council votes</h1>' + "".join(f"<p>{p}</p>" for p in paragraphs) +
            '<p>Read more: <a href="/news/2025/01/02/other-story">Another story</a></p></article></body></html>')
    article = clean(page.encode(), url="http://[::1", kind="html")
    assert article.status == "ok", article.error
    assert article.text.count("The council met") == 12


# -- rights and reprint notices (textrules.drop_rights_notices, cleaners/lexicon/notices.json) -----

STORY_LINES = ["The council voted on Tuesday to turn the old tram depot into a covered market with forty stalls.",
               "Work starts in the spring and should take eighteen months, the council said on Wednesday.",
               "Residents who opposed the plan said they feared the noise of early deliveries to the stalls."]
REPRINT = ("This copy is for your personal, non-commercial use only. Distribution and use of this material "
           "are governed by our Subscriber Agreement and by copyright law.")
WIRE = "© 2026 Example News Inc. All Rights Reserved. This material may not be published, broadcast, rewritten, or redistributed."


def test_reprint_and_wire_notices_go_and_the_story_stays():
    from cleaners.generic.textrules import filter_paragraphs
    kept = filter_paragraphs([REPRINT, *STORY_LINES, WIRE])
    assert kept == STORY_LINES
    assert filter_paragraphs(["Alle Rechte vorbehalten. Nachdruck nur mit Genehmigung, Vervielfältigung untersagt.",
                              *STORY_LINES]) == STORY_LINES


def test_one_legal_phrase_is_how_an_article_speaks_and_stays():
    from cleaners.generic.textrules import filter_paragraphs
    line = "Judges have grown sceptical of mass lawsuits under copyright law, the lawyers said."
    assert filter_paragraphs([line, *STORY_LINES]) == [line, *STORY_LINES]


def test_a_page_that_is_its_terms_keeps_them():
    """Notices that are most of the text are the page's content (a terms-of-service page)."""
    from cleaners.generic.textrules import filter_paragraphs
    terms = [REPRINT, "You may not use the service for redistribution without prior written permission.",
             STORY_LINES[0]]
    assert filter_paragraphs(terms) == terms


def test_notices_around_a_short_teaser_go():
    """A paywalled teaser is shorter than the notices around it, but most of its paragraphs
    are the story: it is still an article."""
    from cleaners.generic.textrules import filter_paragraphs
    teaser = ["BY JANE DOE", "Investors traded $2 billion of claims last month, the data show.",
              "Most of the trades were tied to one bankrupt bank, the operator said."]
    notice = ("This article may not be reproduced or redistributed without prior written permission of "
              "the publisher; for reprints and licensing see our terms of use and the subscriber agreement.")
    kept = filter_paragraphs([REPRINT, *teaser, notice])
    assert kept == teaser


def test_comment_form_lines_go_in_every_language_and_sentences_with_their_words_stay():
    from cleaners.generic.textrules import filter_paragraphs
    form = ["No comments yet.", "Leave a Reply", "Name (required)", "Mail (will not be published) (required)",
            "Website", "Hinterlasse einen Kommentar", "Deja una respuesta"]
    assert filter_paragraphs([*STORY_LINES, *form]) == STORY_LINES
    line = "Leave a reply to the council's consultation before Friday, the mayor told residents."
    assert filter_paragraphs([*STORY_LINES, line]) == [*STORY_LINES, line]


def test_a_blog_templates_line_under_the_post_goes():
    from cleaners.generic.textrules import filter_paragraphs
    footer = ("This entry was posted on Saturday, August 25th, 2012 at 12:23 am and is filed under Robots. "
              "You can follow any responses to this entry through the RSS 2.0 feed.")
    assert filter_paragraphs([*STORY_LINES, footer]) == STORY_LINES
    # a sentence of the article about an entry stays
    line = "This entry in the council's register was posted on the door of the depot last week."
    assert filter_paragraphs([*STORY_LINES, line]) == [*STORY_LINES, line]


@pytest.mark.parametrize("line,prompt", [
    ("Sign-up To The Newsletter And Get A Free eBook", True),
    ("Don't miss a post! Subscribe to our newsletter and get weekly updates delivered to your inbox.", True),
    ("Abonnez-vous à notre newsletter", True),
    ("Подпишитесь на нашу рассылку", True),
    ("The newsletter, which the council began in 1998, reaches every household in the valley.", False),
    ("The newsletter has ten thousand subscribers.", False),
    ("A version of this article appeared October 29, 2012, on page B13 of the print edition.", True),
])
def test_newsletter_prompts_and_print_notes(line, prompt):
    from cleaners.generic.textrules import is_junk_line
    assert is_junk_line(line) is prompt


def test_embed_placeholders_go_and_sentences_about_platforms_stay():
    """What a page shows instead of an embedded post until the reader consents goes; a story's
    sentence about a platform and consent does not speak to the reader and stays."""
    from cleaners.generic.textrules import filter_paragraphs, is_embed_placeholder
    placeholders = [
        "At this point you will find external content from Instagram. Click here to show it.",
        "Hier findest du einen externen Inhalt von Instagram, den du mit einem Klick anzeigen lassen kannst.",
        "Nous respectons votre vie privée : acceptez les cookies pour charger ce contenu externe.",
        "We respect your privacy: this Twitter post loads only once you give your consent.",
    ]
    assert all(is_embed_placeholder(line) for line in placeholders)
    story = ["Facebook said it would ask users for consent before it shows them personalised ads.",
             "Twitter users can now click a button to accept the new privacy policy, the company said."]
    assert not any(is_embed_placeholder(line) for line in story)
    assert filter_paragraphs([*STORY_LINES, placeholders[1], *story]) == [*STORY_LINES, *story]
