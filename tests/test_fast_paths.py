"""The shortcuts taken for speed give what the plain ways give: the parser's element classes,
the lexicon looked up by first character, the <meta> tags read once, the leaf blocks found by
lxml's tag filter. (The tree model's walk: tests/test_generic_blocks.py; whole pages before and
after: bench/same_output.py.)"""
from __future__ import annotations

import lxml.html
import pytest

from cleaners import core
from cleaners.generic import widgets
from cleaners.metadata import htmlmeta

PAGE = """<!DOCTYPE html><html lang="en"><head><title>T</title>
<meta name="author" content="Jane Doe"><meta property="og:title" content=" Big  news ">
<meta itemprop="datePublished" name="pubdate" content="2024-05-01"><meta name="empty" content="  ">
<meta property="article:tag" value="Tag one"><meta name="Author" content="Second Author">
<?php echo 1; ?></head><body><!-- a comment -->
<form action="/s"><label for="q">Search</label><input id="q" name="q"><select><option>a</option></select>
<textarea>t</textarea></form><FORM></FORM>
<div class="wrap"><div><p>Also read: <a href="/news/2024/x">A headline</a></p><p>plain</p></div>
<ul><li><p>inner</p></li><li>leaf item</li></ul><section><aside>side</aside></section></div>
<svg><rect/></svg><p>&amp; entity &#169;</p></body></html>"""


def test_the_parser_gives_lxml_html_element_classes():
    ours = lxml.html.document_fromstring(PAGE, parser=core.html_parser())
    theirs = lxml.html.document_fromstring(PAGE, parser=lxml.html.HTMLParser(huge_tree=True))
    assert [type(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]
    assert {type(e).__name__ for e in ours.iter()} >= {"FormElement", "InputElement", "LabelElement",
                                                        "SelectElement", "TextareaElement", "HtmlComment",
                                                        "HtmlElement"}
    assert set(core.HTML_ELEMENT_CLASSES.values()) == set(
        lxml.html.HtmlElementClassLookup._default_element_classes.values())


def _split_label_full_scan(text):
    """split_label() as it was: every label of every language, longest first."""
    folded = widgets.fold(text).lstrip(widgets._BRACKETS)
    for label in widgets.lexicon()["read_more"]:
        if widgets._starts_with_word(folded, label):
            rest = folded[len(label):]
            closed = rest[:1] in widgets._CLOSING and rest[:1] != ""
            rest = rest.lstrip(widgets._CLOSING)
            separator = widgets._SEPARATOR.match(rest)
            if closed or (separator and separator.group(0).strip()):
                rest = rest[separator.end():] if separator else rest
                return label, rest.strip(), True
            return label, rest.strip(), not rest.strip()
    return None


def test_lexicon_by_first_character_finds_what_the_full_scan_finds():
    lines = ["", " ", "Read", "Ready for more", "More", "[Also read] x", "«Читайте также» тест"]
    for phrases in widgets.lexicon().values():
        for phrase in phrases:
            lines += [phrase, phrase.upper() + ": A headline here", phrase + "s", phrase + " | x", "x " + phrase]
    for line in lines:
        assert widgets.split_label(line) == _split_label_full_scan(line), line
    for kind, phrases in widgets.lexicon().items():
        for phrase in phrases:
            assert phrase in widgets.phrases_opening(kind, phrase + " tail")


@pytest.mark.parametrize("names", [("author",), ("author", "article:author"), ("og:title", "twitter:title"),
                                   ("pubdate",), ("datepublished",), ("empty",), ("article:tag",), ("none",)])
def test_meta_tags_read_once_answer_like_a_walk_per_question(names):
    tree = lxml.html.document_fromstring(PAGE)
    walked = []
    wanted = {n.lower() for n in names}
    for meta in tree.iter("meta"):
        keys = {(meta.get(a) or "").strip().lower() for a in ("property", "name", "itemprop")}
        if keys & wanted:
            value = meta.get("content") if meta.get("content") is not None else meta.get("value")
            if value and value.strip():
                walked.append(" ".join(value.split()))
    assert htmlmeta.meta_values(tree, *names) == walked
    assert htmlmeta.first_meta(tree, *names) == next(
        (v for n in names for v in htmlmeta.meta_values(tree, n)), None)


def test_leaf_blocks_are_the_blocks_without_a_block_inside():
    tree = lxml.html.document_fromstring(PAGE)
    plain = [e for e in tree.iter(*widgets._BLOCKS)
             if not any(c.tag in widgets._BLOCKS for c in e.iterdescendants())]
    assert list(widgets._leaf_blocks(tree)) == plain
    assert [e.text_content() for e in plain] == ["Also read: A headline", "plain", "inner", "leaf item", "side",
                                                  "& entity ©"]


def _scrub_text_plainly(text):
    """scrub_text() as it was: a regex scan for the characters, every short reference judged."""
    import re

    from cleaners import safe

    if safe._NOT_XML.search(text):
        text = safe._NOT_XML.sub(safe._replace, text)

    def judge(match):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        return "\ufffd" if code < 32 and code not in (9, 10, 13) else match.group()

    if "&#" in text:
        text = re.sub(r"&#(?:[xX]0*([0-9a-fA-F]{1,2})(?![0-9a-fA-F])|0*([0-9]{1,2})(?![0-9]))", judge, text)
    return text


def test_scrub_text_finds_what_the_plain_scan_finds():
    import random

    from cleaners.safe import scrub_text

    references = []
    for code in range(0, 300):
        for zeros in ("", "0", "00"):
            references += [f"&#{zeros}{code};", f"&#{zeros}{code}", f"&#x{zeros}{code:x}", f"&#X{zeros}{code:X};",
                           f"&#{zeros}{code}9", f"&#x{zeros}{code:x}g"]
    pieces = references + ["a", "é", "\x00", "\x01", "\x0b", "\x0c", "\t", "\n", "\r", "\x1f", "\ud800", "\udfff",
                           "\ufffe", "\uffff", "\ufffd", "&", "#", "&#", "&#x", "x", "9", "😀"]
    rng = random.Random(5)
    texts = references + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(4000)]
    for text in texts:
        assert scrub_text(text) == _scrub_text_plainly(text), repr(text)


def test_byline_candidates_are_the_ones_the_plain_xpath_finds():
    from lxml import etree

    from cleaners.metadata import bylines

    plain = etree.XPath(
        "//body//*[@rel='author' or @itemprop='author' or contains(@class, 'author') or contains(@class, 'Author')"
        " or contains(@class, 'byline') or contains(@class, 'Byline') or contains(@id, 'author')]")
    attributes = ['rel="author"', 'rel="authors"', 'itemprop="author"', 'itemprop="Author"', 'class="post-author x"',
                  'class="AuthorBox"', 'class="byline"', 'class="ByLine"', 'class="Byline"', 'id="author-1"',
                  'id="Author"', 'data-x="author"', 'title="byline"', 'class="coauthored"', 'class="xyline"',
                  'id="byline"', 'class="b" id="authorbox"', 'href="/author/jane"', '']
    body = "".join(f"<div {a}><span {b}>x</span></div>" for a in attributes for b in attributes[::3])
    tree = lxml.html.document_fromstring(f"<html><head><meta {attributes[4]}></head><body>{body}</body></html>")
    assert bylines._candidates(tree) == plain(tree) and len(plain(tree)) > 50
