"""Authors from a page's visible byline when its JSON-LD and meta tags name none
(cleaners/metadata/bylines.py), and meta authors that are URLs dropped."""
from __future__ import annotations

import lxml.html
import pytest

import cleaners
from cleaners.metadata.bylines import byline_authors, names_in
from cleaners.metadata.htmlmeta import page_meta

BODY = "".join(f"<p>{'The committee met again on Thursday to discuss the budget and the new rules. ' * 3}</p>"
               for _ in range(4))


@pytest.mark.parametrize("text, names", [
    ("By Jane Doe and John Roe | 5 min read", ["Jane Doe", "John Roe"]),
    ("By Summer Swann June 5, 2024", ["Summer Swann"]),
    ("Written by Cazzy Magennis Last updated: 3 May", ["Cazzy Magennis"]),
    ("luizjr4", ["luizjr4"]),  # a forum user name is kept as written
    ("Sign In", []),
    ("Dec", []),
    ("262588213843476", []),
    ("page.head.extra.author", []),
    ("x" * 200, []),
])
def test_names_in_a_byline(text, names):
    assert names_in(text) == names


def page(byline: str, head: str = "") -> str:
    return (f"<html><head><title>Budget talks</title>{head}</head><body><main><article><h1>Budget talks</h1>"
            f"{byline}{BODY}</article>"
            '<section class="comments"><div class="comment"><span class="comment-author">Troll Person</span>'
            "<p>First!</p></div></section></main></body></html>")


@pytest.mark.parametrize("byline, names", [
    ('<div itemprop="author" itemscope><span itemprop="name">Maria Lopez</span></div>', ["Maria Lopez"]),
    ('<p>Story by <a rel="author" href="/people/ann">Ann Smith</a></p>', ["Ann Smith"]),
    ('<p class="article-byline"><span>By</span><a href="/a/jo">Jo Bloggs</a><time>12 May 2025</time></p>',
     ["Jo Bloggs"]),
    ("<p>No byline here.</p>", []),  # the commenter is not the author
])
def test_byline_authors(byline, names):
    assert byline_authors(lxml.html.document_fromstring(page(byline))) == names


def test_the_generic_path_uses_the_byline_only_when_the_page_declares_no_author():
    byline = '<p class="byline">By Jo Bloggs</p>'
    assert cleaners.clean(page(byline), kind="html").authors == ["Jo Bloggs"]
    declared = '<meta name="author" content="Declared Writer">'
    assert cleaners.clean(page(byline, declared), kind="html").authors == ["Declared Writer"]


def test_an_author_that_is_a_url_names_no_one():
    head = ('<meta property="article:author" content="https://www.facebook.com/SouthernLiving/">'
            '<meta name="author" content="www.example.com/staff/jo">')
    tree = lxml.html.document_fromstring(page("", head))
    assert page_meta(tree).authors == []


def test_json_ld_author_given_by_reference_is_looked_up():
    graph = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
             '{"@type": "Article", "headline": "Budget talks", "author": {"@id": "https://x.example/#/person/1"}},'
             '{"@type": "Person", "@id": "https://x.example/#/person/1", "name": "Jayesh Shinde"}]}</script>')
    tree = lxml.html.document_fromstring(page("", graph))
    assert page_meta(tree).authors == ["Jayesh Shinde"]
