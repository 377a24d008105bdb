"""The article's container rule (cleaners/generic/articlebody.py) on pages written here: blocks
outside the element the template names as the body go, the headline zone above it stays, and
nothing changes when the page names no container or the container holds too little."""
from __future__ import annotations

import lxml.html
import pytest

import cleaners
from cleaners.generic import articlebody, blocks

BIO = ("I am a designer and illustrator living by the sea with two cats, and this blog is where I "
       "share the things I make, the books I read and the places I visit on long weekends away.")
POST = ["We spent the weekend printing linocut cards for the winter fair in the old town hall.",
        "Each card took about ten minutes to ink and press, and we made sixty of them in the end."]
LEAD = "A weekend of ink, paper and far too much tea at the kitchen table."


def blog_page(container_class: str = "entry-content", extra_sidebar: str = "") -> str:
    return f"""<html><head><title>Linocut cards</title></head><body>
<div id="wrapper"><div class="main-column"><div class="hentry-wrap">
  <div class="post-header"><h1>Linocut cards for the winter fair</h1><p class="lead">{LEAD}</p></div>
  <div class="{container_class}">{''.join(f'<p>{p}</p>' for p in POST)}</div>
  <div class="post-footer"><p>Posted in <a href="/c/print">Printmaking</a></p></div>
</div></div>
<div class="sidebar"><h2>About me</h2><p>{BIO}</p>{extra_sidebar}
  <ul><li><a href="/c/a">Printmaking (41)</a></li><li><a href="/c/b">Travel (12)</a></li>
  <li><a href="/c/c">Books (30)</a></li></ul></div></div></body></html>"""


def chosen_all(html: str):
    tree = lxml.html.document_fromstring(html)
    return tree, list(blocks.segment(tree))


def texts(found) -> list[str]:
    return [b.text for b in found]


def test_blocks_outside_the_named_body_go_and_the_headline_zone_stays():
    tree, found = chosen_all(blog_page())
    kept = texts(articlebody.within_article(found, tree))
    assert "Linocut cards for the winter fair" in kept
    assert LEAD in kept
    assert all(p in kept for p in POST)
    assert BIO not in kept
    assert "Printmaking (41)" not in kept
    assert not any("Posted in" in t for t in kept)  # after the body, outside it


def test_no_named_container_changes_nothing():
    tree, found = chosen_all(blog_page(container_class="stuff"))
    assert articlebody.body_container(tree) is None
    assert texts(articlebody.within_article(found, tree)) == texts(found)


def test_a_container_holding_too_little_of_the_chosen_text_changes_nothing():
    long_sidebar = "".join(f"<p>{BIO}</p>" for _ in range(4))
    tree, found = chosen_all(blog_page(extra_sidebar=long_sidebar))
    container = articlebody.body_container(tree)
    assert container is not None and container.get("class") == "entry-content"
    assert texts(articlebody.within_article(found, tree)) == texts(found)


def test_the_first_of_several_articles_is_not_taken_for_the_body():
    html = ("<html><body>" + "".join(
        f"<article><h2>Post {i}</h2><p>{POST[0]} Number {i}.</p></article>" for i in range(3))
        + "</body></html>")
    tree, found = chosen_all(html)
    assert articlebody.body_container(tree) is None
    assert texts(articlebody.within_article(found, tree)) == texts(found)


def test_a_single_article_element_is_the_body():
    html = (f"<html><body><div class='side'><p>{BIO}</p></div><article><h1>Title here</h1>"
            f"<p>{POST[0]}</p><p>{POST[1]}</p></article></body></html>")
    tree, found = chosen_all(html)
    assert articlebody.body_container(tree).tag == "article"
    assert texts(articlebody.within_article(found, tree)) == ["Title here", *POST]


def test_clean_keeps_the_short_post_and_leaves_the_sidebar_out():
    article = cleaners.clean(blog_page().encode(), url="https://blog.example.org/2026/11/linocut", kind="html")
    assert article.status == "ok", article.error
    assert all(p in article.text for p in POST)
    assert BIO not in article.text
    assert "Printmaking (41)" not in article.text



def test_a_fallback_with_running_text_replaces_labels_and_links():
    from cleaners.generic.extract import fallback_is_better

    labels = ["Older posts", "Tag number 1", "Photos", "Archive 2011"]
    sentence = ["Photos taken by Eirik in Paris on a rainy afternoon by the river."]
    assert fallback_is_better(labels, sentence)  # fewer words, but running text
    assert not fallback_is_better(sentence, labels)
    long_text = [" ".join(["word"] * 50)]
    assert fallback_is_better(sentence, long_text)  # more words, past the minimum
    assert not fallback_is_better(long_text, sentence)
    assert not fallback_is_better(labels, ["Menu", "Home"])  # neither has running text


def _reference_container(tree):
    """body_container() as trafilatura's own XPaths say it (BODY_XPATH[0], then the only <article>)."""
    from trafilatura.xpaths import BODY_XPATH

    found = BODY_XPATH[0](tree)
    if found:
        return found[0]
    articles = list(tree.iter("article"))
    return articles[0] if len(articles) == 1 else None


NAMED = ['<div class="post">', '<div class="entry">', '<section itemprop="articleBody">', '<div id="articleContent">',
         '<div id="main-article-body">', '<main class="c-article__body">', '<div class="td-post-content tagdiv">',
         '<article class="post-entry">', '<div class="ArticleContent">', '<div class="postcontent">',
         '<div class="Post-Body">', '<div class="posts">', '<span class="post-body">', '<div class="entry-title">',
         '<div id="body-text">', '<div class="x" id="art-content">', '<div class="page-contents">']


def test_the_container_names_match_trafilaturas_xpath_on_written_pages():
    for opening in NAMED:
        tag = opening[1:].split()[0].rstrip(">")
        html = (f"<html><body><div class='side'><p>{BIO}</p></div>{opening}<p>{POST[0]}</p></{tag}>"
                f"<article><p>{POST[1]}</p></article></body></html>")
        tree = lxml.html.document_fromstring(html)
        assert articlebody.body_container(tree) is _reference_container(tree), opening


def test_the_container_names_match_trafilaturas_xpath_on_benchmark_pages():
    import gzip

    from conftest import shared_path

    pages = sorted(shared_path("bench", "dragnet-2013", "html").glob("*.html.gz"))[::10]
    pages += sorted(shared_path("bench", "wcxb-dev", "html").glob("*.html.gz"))[::10]
    found = 0
    for path in pages:
        with gzip.open(path, "rb") as fh:
            tree = lxml.html.document_fromstring(fh.read())
        ours = articlebody.body_container(tree)
        assert ours is _reference_container(tree), path.name
        found += ours is not None
    assert found > len(pages) // 4  # the names are common: the comparison is not of Nones


def test_a_body_broken_by_an_advert_continues_in_its_second_element():
    html = (f"<html><body><div class='wrap'><h1>Linocut cards</h1><div class='article-body'><p>{POST[0]}</p></div>"
            f"<div class='ad-slot'><p>Advertisement</p></div><div class='article-body'><p>{POST[1]}</p></div></div>"
            f"<div class='sidebar'><p>{BIO}</p></div></body></html>")
    tree, found = chosen_all(html)
    assert texts(articlebody.within_article(found, tree)) == ["Linocut cards", *POST]


def test_reacts_streamed_segments_count_as_the_body():
    html = (f"<html><body><main><h1>Linocut cards</h1><div class='article-body'><p>{POST[0]}</p>"
            f"<template id='B:1'></template></div></main><div class='sidebar'><p>{BIO}</p></div>"
            f"<div hidden id='S:1'><p>{POST[1]}</p></div></body></html>")
    tree, found = chosen_all(html)
    assert texts(articlebody.within_article(found, tree)) == ["Linocut cards", POST[0], POST[1]]


def test_thousands_of_repeated_bodies_are_answered_by_set_lookups():
    """A listing that repeats a body class on every teaser: the continued bodies are many, and
    each block's question must stay a lookup (the result: the first body holds too little of the
    chosen words on its own, but with its continuations all of them, so nothing goes)."""
    html = "<html><body>" + "".join(
        f"<div class='entry-content'><p>{POST[0]} Item {i}.</p></div>" for i in range(5000)) + "</body></html>"
    tree, found = chosen_all(html)
    assert len(articlebody.within_article(found, tree)) == len(found) == 5000


# -- a lone short post: the classifier chose only the sidebar ------------------------------------

def sidebar_only(tree, found):
    """What the classifier keeps on a photo post of one line: the sidebar, not the post."""
    sidebar = next(el for el in tree.iter("div") if el.get("class") == "sidebar")
    return [b for b in found if sidebar in b.el.iterancestors() or b.el is sidebar]


def short_post_page(body_html: str = "<p>Ink, paper and far too much tea.</p>", second_body: bool = False,
                    in_nav: bool = False) -> str:
    body = f'<div class="entry-content">{body_html}</div>'
    if in_nav:
        body = f"<nav>{body}</nav>"
    extra = '<div class="entry-content"><p>Another card on the same page.</p></div>' if second_body else ""
    return f"""<html><body><div id="wrapper"><div class="hentry-wrap">
  <div class="post-header"><h1>Linocut cards</h1></div>{body}{extra}</div>
<div class="sidebar"><h2>About me</h2><p>{BIO}</p>
  <ul><li><a href="/c/a">Printmaking (41)</a></li><li><a href="/c/b">Travel (12)</a></li></ul></div>
</div></body></html>"""


def test_a_lone_short_post_is_taken_from_its_body_element_instead_of_the_sidebar():
    tree, found = chosen_all(short_post_page())
    chosen = sidebar_only(tree, found)
    assert BIO in texts(chosen)
    assert texts(articlebody.within_article(chosen, tree, found)) == ["Linocut cards", "Ink, paper and far too much tea."]
    # without every block of the page the rule cannot run: unchanged
    assert texts(articlebody.within_article(chosen, tree)) == texts(chosen)


@pytest.mark.parametrize("page", [
    short_post_page(second_body=True),                 # one of several cards of a class
    short_post_page(in_nav=True),                      # a body class on a nav element
    short_post_page(body_html="<p>Ink.</p>"),          # fewer than 5 words: nothing to go on
    short_post_page(body_html='<p><a href="/a">Ink paper and tea at the fair</a></p>'),  # links
])
def test_a_doubtful_body_element_leaves_the_chosen_blocks_alone(page):
    tree, found = chosen_all(page)
    chosen = sidebar_only(tree, found)
    assert texts(articlebody.within_article(chosen, tree, found)) == texts(chosen)


def test_an_article_found_elsewhere_is_kept_over_an_empty_body_element():
    long_sidebar = "".join(f"<p>{BIO} {i}</p>" for i in range(5))  # 5 x 40 words of prose
    page = short_post_page().replace(f"<p>{BIO}</p>", long_sidebar)
    tree, found = chosen_all(page)
    chosen = sidebar_only(tree, found)
    assert texts(articlebody.within_article(chosen, tree, found)) == texts(chosen)


def long_list_sidebar(n: int = 60) -> str:
    return "<ul>" + "".join(f'<li><a href="/c/{i}">Category number {i} of the archive</a></li>' for i in range(n)) + "</ul>"


def test_a_short_post_beside_a_long_list_sidebar_keeps_only_the_post():
    """The body holds < 30 % of the chosen words, but nothing outside it is an article."""
    tree, found = chosen_all(blog_page(extra_sidebar=long_list_sidebar()))
    kept = texts(articlebody.within_article(found, tree, found))
    assert all(p in kept for p in POST) and "Linocut cards for the winter fair" in kept
    assert not any(t.startswith("Category number") for t in kept) and BIO not in kept


def test_a_generic_page_content_body_beside_a_long_list_changes_nothing():
    """A product or listing page's intro in `page-content`: the list beside it is the content."""
    tree, found = chosen_all(blog_page(container_class="page-content", extra_sidebar=long_list_sidebar()))
    assert articlebody.body_container(tree).get("class") == "page-content"
    assert texts(articlebody.within_article(found, tree, found)) == texts(found)
