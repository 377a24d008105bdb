"""Sections that are not the article (cleaners/generic/sections.py) on pages written here: what a
"Comments" / "Related stories" / "Also on …" heading opens after the article goes, the article's own
paragraphs never do, and later copies of a paragraph go."""
from __future__ import annotations

import lxml.html
import pytest

import cleaners
from cleaners.generic import blocks, sections

STORY = ["The city council voted on Tuesday to turn the old tram depot into a covered market with "
         "forty stalls, a bakery school and a bicycle workshop run by volunteers.",
         "Work starts in the spring and should take eighteen months, the council said, and the "
         "stalls will go first to traders who lost their pitches when the square was rebuilt.",
         "Residents who opposed the plan said they feared the noise of early deliveries, but most "
         "of those who spoke at the meeting welcomed a use for a building empty since 1998."]
COMMENTS = [("Anna", "I used to take the tram from that depot every morning and it is lovely to "
             "hear that the building will be used again for something that brings people in."),
            ("Ben", "Forty stalls is not much for a city this size, and the bicycle workshop will "
             "need more than volunteers if it is to stay open on weekday evenings as well."),
            ("Chloe", "Does anyone know whether the bakery school will take adult students, or is "
             "it only for the apprentices of the trade association mentioned in the plan?"),
            ("Dev", "The deliveries will be a problem on our street, which is narrow and already "
             "blocked every morning by the vans of the supermarket on the corner of the square.")]


ELSEWHERE = ("The county library opens a reading room in the old post office next month, with "
             "newspapers from every town of the valley and a corner for children's books.")


def blog_page(heading: str = "4 Comments") -> str:
    """An old blog template: the post and its comments are siblings in one element."""
    comments = "".join(f'<div class="c"><p>{text}</p></div><p class="posted">Posted by: {who} at '
                       f'March 3, 2012 10:0{i} AM</p>' for i, (who, text) in enumerate(COMMENTS))
    return f"""<html><body><div id="content">
<h1>Tram depot to become a market</h1>{''.join(f'<p>{p}</p>' for p in STORY)}
<p class="posted">Posted by editor at March 3, 2012 9:01 AM</p>
<h2>{heading}</h2>{comments}<h2>Elsewhere in the county</h2><p>{ELSEWHERE}</p>
</div></body></html>"""


def news_page(heading: str = "Also on The Daily:", before_story: str = "") -> str:
    """The story's body in one element, a box of other stories' captions after it."""
    teasers = "".join(f"<li><p>{text}</p></li>" for _, text in COMMENTS[:2])
    return f"""<html><body><div class="page">{before_story}
<div class="story"><h1>Tram depot to become a market</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div>
<div class="more"><h3>{heading}</h3><ul>{teasers}</ul></div></div></body></html>"""


def all_blocks(html: str):
    tree = lxml.html.document_fromstring(html)
    return list(blocks.segment(tree))


def kept(html: str) -> list[str]:
    found = all_blocks(html)
    return [b.text for b in sections.without_other_sections(found, found)]


@pytest.mark.parametrize("text", ["Comments", "4 Comments", "Comments (12)", "Related stories:",
                                  "Also on HuffPost:", "More from Brew Crew Ball", "One Response to “The tram”",
                                  "3 thoughts on “Tram depot”", "About the author", "Most popular",
                                  "Kommentare", "Lire aussi", "Lo más leído", "Читайте также", "相关阅读"])
def test_section_headings_of_every_language_are_recognised(text):
    assert sections.is_section_heading(text)


@pytest.mark.parametrize("text", ["Related to this, the minister said the plan would go ahead next year",
                                  "More on Lists", "See also", "Sponsored", "76 Replies", "Photos",
                                  "The comments of the minister on the plan", "Moreover"])
def test_article_sentences_and_content_headings_are_not_section_headings(text):
    assert not sections.is_section_heading(text)


def test_comments_under_a_comment_heading_go_and_the_post_stays():
    texts = kept(blog_page())
    assert all(p in texts for p in STORY)
    assert not any(text in texts for _, text in COMMENTS)
    assert ELSEWHERE in texts  # the outline ends at the next heading of the same rank


def test_a_box_opened_by_a_related_heading_goes():
    texts = kept(news_page())
    assert all(p in texts for p in STORY)
    assert not any(text in texts for _, text in COMMENTS[:2])


def test_a_heading_above_the_article_takes_nothing():
    """A "Most popular" box in the header, before the story: its section would hold the story."""
    header = ("<div class='top'><p>Welcome to the daily news of the river towns, written by "
              "neighbours for neighbours since the spring of 1998, every weekday.</p>"
              "<h3>Most popular</h3></div>")
    html = f"<html><body>{header}<div class='story'>{''.join(f'<p>{p}</p>' for p in STORY)}</div></body></html>"
    texts = kept(html)
    assert all(p in texts for p in STORY)


def test_a_section_longer_than_the_article_stays_unless_it_is_a_comment_outline():
    """A related box that would take more words than the article before it is not surely after it."""
    short = "<html><body><div class='story'><p>" + STORY[0] + "</p></div><div class='more'><h3>Related stories</h3>" + \
        "".join(f"<p>{t}</p>" for _, t in COMMENTS) + "</div></body></html>"
    texts = kept(short)
    assert all(t in texts for _, t in COMMENTS)


def test_nothing_goes_before_the_article_has_begun():
    html = news_page(heading="Related stories")
    found = all_blocks(html)
    few = [b for b in found if b.text not in STORY]  # no article text chosen before the heading
    assert sections.without_other_sections(few, found) == few


def test_later_copies_of_a_paragraph_go_and_short_repeats_stay():
    html = ("<html><body><div><p>" + STORY[0] + "</p><p>Share</p><p>" + STORY[1] + "</p><p>Share</p>"
            "<div class='print'><p>" + STORY[0] + "</p></div></div></body></html>")
    found = all_blocks(html)
    texts = [b.text for b in sections.without_repeats(found)]
    assert texts.count(STORY[0]) == 1 and texts.count("Share") == 2 and STORY[1] in texts


def test_the_cleaner_drops_the_comment_thread_of_a_blog_post():
    """End to end: cleaners.clean on the blog page keeps the post and none of the comments."""
    article = cleaners.clean(blog_page().encode(), url="https://blog.example.org/2012/03/tram-depot.html")
    assert article.status == "ok"
    assert all(p in article.text for p in STORY)
    assert not any(text in article.text for _, text in COMMENTS)


CAPTIONS = ["The mayor cuts the ribbon at the opening of the new tram line on a cold morning in March.",
            "Passengers wait on the platform of the depot station before the first tram of the day.",
            "Volunteers of the bicycle workshop repair a wheel in the yard behind the old depot."]


def gallery_page(story: list[str], gallery_class: str = "hp-slideshow") -> str:
    slides = "".join(f'<li><img src="/p/{i}.jpg"><p>{c}</p></li>' for i, c in enumerate(CAPTIONS))
    return (f"<html><body><div class='story'>{''.join(f'<p>{p}</p>' for p in story)}"
            f"<ul class='{gallery_class}'>{slides}</ul></div></body></html>")


def test_a_photo_gallery_beside_an_article_goes():
    story = STORY + [p.replace("council", "city") for p in STORY]  # > 150 words of prose
    texts = [b.text for b in sections.without_galleries(all_blocks(gallery_page(story)))]
    assert all(p in texts for p in story)
    assert not any(c in texts for c in CAPTIONS)
    for name in ("cnnGalleryContainer", "galerie-photos", "diaporama"):
        assert not any(c in [b.text for b in sections.without_galleries(all_blocks(gallery_page(story, name)))]
                       for c in CAPTIONS)


def test_a_photo_post_keeps_its_gallery_and_a_carousel_is_no_gallery():
    """Without an article beside it the gallery's captions are the post; "carousel" and "slider"
    hold reviews, quotes and whole sections on many pages, so they are not taken for galleries."""
    texts = [b.text for b in sections.without_galleries(all_blocks(gallery_page(STORY[:1])))]
    assert all(c in texts for c in CAPTIONS)
    story = STORY + [p.replace("council", "city") for p in STORY]
    texts = [b.text for b in sections.without_galleries(all_blocks(gallery_page(story, "review-carousel")))]
    assert all(c in texts for c in CAPTIONS)


@pytest.mark.parametrize("text", ["Related on Slate:", "More stories from Reuters", "Around the Web"])
def test_headings_that_name_a_site(text):
    assert sections.is_section_heading(text)


def test_a_subheading_saying_more_than_is_no_section_heading():
    assert not sections.is_section_heading("Plus de 200 morts")
