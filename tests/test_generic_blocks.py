"""The generic path's block segmentation, features, tree model and the shipped block classifier,
on small pages written here."""
from __future__ import annotations

import json

import lxml.html
import numpy as np
import pytest

import cleaners
from cleaners.generic import blockmodel, blocks
from cleaners.generic import extract as generic
from cleaners.metadata.htmlmeta import page_meta

PARAGRAPHS = [
    "The city council voted on Tuesday to extend the tram line to the northern suburbs, a project "
    "that has been debated for more than a decade and is expected to cost 240 million euros.",
    "Supporters say the extension will cut commuting times in half for about 30,000 residents, "
    "while opponents argue that the money would be better spent on buses and cycling lanes.",
    "Construction is due to start next spring, the mayor said, and the first trams should run "
    "on the new section by the end of 2029 if the national government confirms its share.",
    "The council also approved a plan to plant 5,000 trees along the route, which residents had "
    "asked for during the public consultation held last year in the affected neighbourhoods.",
]

ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><title>Council backs tram extension | Daily Courier</title>
<meta property="og:site_name" content="Daily Courier">
<script>var tracking = "do not keep this";</script></head>
<body>
<header class="site-header"><nav class="main-nav"><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
  <li><a href="/culture">Culture</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article class="article-body">
  <h1>Council backs tram extension</h1>
  <p class="byline">By Jane Doe</p>
  {''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
</article>
<aside class="related-stories"><h2>Related stories</h2><ul>
  <li><a href="/a">Bus fares to rise in January</a></li>
  <li><a href="/b">New cycling lanes open downtown</a></li>
  <li><a href="/c">Mayor announces budget review</a></li></ul></aside></main>
<footer class="site-footer"><p>© 2026 Daily Courier. All rights reserved.</p>
  <a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>"""


def tree_of(html: str):
    return lxml.html.document_fromstring(html)


def test_segment_gives_each_block_its_own_text():
    found = blocks.segment(tree_of(
        '<html><body><div class="post">Intro <b>bold</b> text<p>First <a href="#">link</a> para.</p>'
        'tail of div</div><script>skip()</script><ul><li>one</li><li>two</li></ul></body></html>'))
    texts = [b.text for b in found]
    assert texts == ["Intro bold text tail of div", "First link para.", "one", "two"]
    para = found[1]
    assert para.tag == "p" and para.link_chars == len("link")
    assert all("skip" not in t for t in texts)
    assert found[0].own_bits  # class="post" is a keyword



def test_named_anchors_are_not_links():
    """<a name="q3"> marks a place the page's contents link to (here an interview question), it
    links nowhere; an <a> with an href, or a script-driven one without either attribute, does."""
    found = blocks.segment(tree_of(
        '<html><body><p><a name="q3">What does the professor say to that?</a></p>'
        '<p><a href="/more">Read more</a></p><p><a class="toggle">Show all</a></p></body></html>'))
    assert [(b.text, b.link_chars) for b in found] == [
        ("What does the professor say to that?", 0), ("Read more", len("Read more")), ("Show all", len("Show all"))]


def test_segment_leaves_out_form_field_values():
    """A "Republish this story" box holds the article again as HTML source in a <textarea>:
    a form field's value, not text of the page."""
    found = blocks.segment(tree_of(
        '<html><body><article><p>The council met on Tuesday.</p></article><div class="republish">'
        '<h2>Republish this article</h2><textarea readonly>&lt;p&gt;The council met on Tuesday.&lt;/p&gt;'
        '</textarea> after</div></body></html>'))
    assert [b.text for b in found] == ["The council met on Tuesday.", "after", "Republish this article"]


def test_segment_marks_hidden_blocks_and_ancestors():
    found = blocks.segment(tree_of(
        '<html><body><nav><p>Menu entry</p></nav><div style="display: none"><p>Hidden</p></div>'
        '<div hidden><p>Also hidden</p></div><p>Shown</p></body></html>'))
    by_text = {b.text: b for b in found}
    assert by_text["Hidden"].hidden and by_text["Also hidden"].hidden and not by_text["Shown"].hidden
    assert by_text["Menu entry"].anc_tags & (1 << blocks.ANC_TAGS.index("nav"))


def test_segment_survives_very_deep_nesting():
    html = "<html><body>" + "<div><span>" * 120 + "deep text" + "</span></div>" * 120 + "</body></html>"
    found = blocks.segment(tree_of(html))
    assert any("deep text" in b.text for b in found)


def test_features_shape_and_trafilatura_overlap():
    found = blocks.segment(tree_of(ARTICLE_PAGE))
    X = blocks.features(found, traf_text=PARAGRAPHS[0] + "\n" + PARAGRAPHS[1], title="Council backs tram extension")
    names = blocks.feature_names()
    assert X.shape == (len(found), len(names)) == (len(found), blocks.N_FEATURES)
    assert np.isfinite(X).all()
    in_traf = X[:, names.index("in_traf")]
    texts = [b.text for b in found]
    assert in_traf[texts.index(PARAGRAPHS[0])] == 1.0 and in_traf[texts.index(PARAGRAPHS[3])] == 0.0
    assert X[texts.index("Council backs tram extension"), names.index("is_title")] == 1.0
    home = texts.index("Home")
    assert X[home, names.index("link_density")] == 1.0 and X[home, names.index("anc:nav")] == 1.0


def test_tree_model_evaluates_a_hand_written_tree(tmp_path):
    # one tree: x0 <= 0.5 -> leaf -2 ; else (x1 <= 3 -> leaf 1 ; else leaf 3)
    spec = {"features": ["a", "b"], "baseline": 0.5, "max_depth": 2, "threshold": 0.5, "roots": [0],
            "feature": [0, 0, 1, 0, 0], "split": [0.5, 0, 3.0, 0, 0], "left": [1, 1, 3, 3, 4],
            "right": [2, 1, 4, 3, 4], "value": [0, -2.0, 0, 1.0, 3.0]}
    model = blockmodel.TreeModel(spec)
    X = np.array([[0.0, 9.0], [1.0, 2.0], [1.0, 5.0]])
    assert np.allclose(model.raw(X), [-1.5, 1.5, 3.5])
    assert np.allclose(model.predict_proba(X), 1 / (1 + np.exp(-np.array([-1.5, 1.5, 3.5]))))
    assert model.raw(np.zeros((0, 2))).shape == (0,)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(spec))
    assert np.allclose(blockmodel.load(str(path)).raw(X), model.raw(X))


def test_export_matches_sklearn(tmp_path):
    ensemble = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 4)).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] * X[:, 2] > 0)
    fitted = ensemble.HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y)
    blockmodel.export(fitted, tmp_path / "m.json", feature_names=list("abcd"))
    ours = blockmodel.load(str(tmp_path / "m.json")).predict_proba(X)
    assert np.allclose(ours, fitted.predict_proba(X)[:, 1], atol=1e-6)


def test_shipped_model_loads_and_matches_the_features():
    model = blockmodel.load()
    assert set(model.features) <= set(blocks.feature_names())
    assert len(model.columns(blocks.feature_names())) == len(model.features)
    assert 0.0 < model.threshold < 1.0
    assert blockmodel.MODEL_PATH.stat().st_size < 3 * 2**20
    # sane output on a real page: probabilities in [0, 1], the article paragraphs above the
    # threshold, the menu below it
    found = blocks.segment(tree_of(ARTICLE_PAGE))
    proba = model.predict_proba(blocks.features(found, None)[:, model.columns(blocks.feature_names())])
    assert ((proba >= 0) & (proba <= 1)).all()
    by_text = dict(zip((b.text for b in found), proba))
    assert all(by_text[p] >= model.threshold for p in PARAGRAPHS)
    assert by_text["Home"] < model.threshold and by_text["Sport"] < model.threshold


def test_classifier_keeps_the_article_and_drops_the_chrome():
    article = cleaners.clean(ARTICLE_PAGE.encode(), url="https://courier.example/news/tram", kind="html")
    assert article.status == "ok" and article.extractor == "blocks"
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for chrome in ("Sport", "Culture", "Privacy policy", "Bus fares to rise", "do not keep this"):
        assert chrome not in article.text
    assert article.title == "Council backs tram extension"


def test_title_without_site_suffix():
    meta = page_meta(tree_of("<html><head><title>Tram line approved - Daily Courier</title></head>"
                             "<body><p>x</p></body></html>"))
    assert generic._title(tree_of("<html><body><p>x</p></body></html>"), meta) == "Tram line approved"
    meta = page_meta(tree_of("<html><head><title>Why trams: a long history of city transport</title>"
                             "</head><body></body></html>"))
    assert generic._title(tree_of("<html><body></body></html>"), meta) == "Why trams: a long history of city transport"


def test_context_features_follow_the_first_pass():
    from cleaners.generic import blockcontext

    found = blocks.segment(tree_of(ARTICLE_PAGE))
    X = blocks.features(found, None)
    texts = [b.text for b in found]
    # a first pass that believes the article's paragraphs and nothing else
    p = np.array([0.95 if t in PARAGRAPHS else 0.05 for t in texts])
    C = blockcontext.block_context(found, p, X)
    assert C.shape == (len(found), blockcontext.N_CONTEXT) and np.isfinite(C).all()
    col = {name: i for i, name in enumerate(blockcontext.CONTEXT_NAMES)}
    first, home = texts.index(PARAGRAPHS[0]), texts.index("Home")
    assert C[first, col["ctx:in_main"]] == 1.0 and C[home, col["ctx:in_main"]] == 0.0
    assert C[first, col["ctx:in_span"]] == 1.0 and C[home, col["ctx:in_span"]] == 0.0
    # the siblings of an article paragraph are believed; those of a menu entry are not
    assert C[first, col["ctx:p_parent"]] > 0.5 > C[home, col["ctx:p_same_sig"]]
    assert C[first, col["ctx:page_pos_share"]] == pytest.approx(C[home, col["ctx:page_pos_share"]])
    # the first likely paragraph has no likely words before it, the footer has them all
    footer = texts.index("© 2026 Daily Courier. All rights reserved.")
    assert C[first, col["ctx:pos_before_share"]] == 0.0 and C[footer, col["ctx:pos_before_share"]] == 1.0
    assert C[footer, col["ctx:log_dist_pos"]] > 0


def test_context_features_of_a_page_without_likely_content():
    from cleaners.generic import blockcontext

    found = blocks.segment(tree_of("<html><body><p>one</p><p>one</p><div>two</div></body></html>"))
    C = blockcontext.block_context(found, np.zeros(len(found)), blocks.features(found, None))
    col = {name: i for i, name in enumerate(blockcontext.CONTEXT_NAMES)}
    assert np.isfinite(C).all() and (C[:, col["ctx:in_main"]] == 0).all()
    assert C[0, col["ctx:log_dup"]] == pytest.approx(np.log(2)) and C[2, col["ctx:log_dup"]] == 0.0


def test_shipped_second_pass_reads_the_first_and_keeps_the_article():
    from cleaners.generic import blockcontext

    second = blockmodel.load(str(blockmodel.second_path(blockmodel.MODEL_PATH)))
    assert any(f.startswith("ctx:") for f in second.features)
    assert len(second.columns(blocks.feature_names() + blockcontext.CONTEXT_NAMES)) == len(second.features)
    found, proba, threshold = generic.block_probabilities(tree_of(ARTICLE_PAGE), None, page_meta(tree_of(ARTICLE_PAGE)))
    by_text = dict(zip((b.text for b in found), proba))
    assert threshold == second.threshold_for(generic.declared_article(page_meta(tree_of(ARTICLE_PAGE))))
    assert all(by_text[p] >= threshold for p in PARAGRAPHS)
    assert max(by_text[t] for t in ("Home", "Sport", "Bus fares to rise in January")) < threshold


def test_declared_article_groups_pages_for_the_threshold():
    def declared(head: str) -> str:
        tree = tree_of(f"<html><head>{head}</head><body><p>x</p></body></html>")
        return generic.declared_article(page_meta(tree))

    assert declared('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>') == "jsonld"
    assert declared('<script type="application/ld+json">{"@graph": [{"@type": ["BlogPosting"]}]}</script>') == "jsonld"
    assert declared('<meta property="og:type" content="article">') == "opengraph"
    assert declared('<meta property="og:type" content="website">') == "none"
    assert declared("") == "none"


def test_tree_model_thresholds_by_group():
    spec = {"features": ["a"], "baseline": 0.0, "max_depth": 0, "threshold": 0.45, "roots": [0],
            "feature": [0], "split": [0.0], "left": [0], "right": [0], "value": [0.0],
            "thresholds": {"jsonld": 0.6}}
    model = blockmodel.TreeModel(spec)
    assert model.threshold_for("jsonld") == 0.6
    assert model.threshold_for("none") == model.threshold_for(None) == 0.45
    shipped = blockmodel.load(str(blockmodel.second_path(blockmodel.MODEL_PATH)))
    assert all(0.0 < t < 1.0 for t in shipped.thresholds.values())


def _page_with_visible_dates(head: str) -> str:
    return ARTICLE_PAGE.replace("<script>", head + "<script>").replace(
        '<p class="byline">By Jane Doe</p>',
        '<p class="byline">By Jane Doe, first published 12 March 2025, updated '
        '<time datetime="2026-01-20">20 January 2026</time></p>')


def test_generic_date_comes_from_the_page_when_no_meta_tag_declares_one():
    article = cleaners.clean(_page_with_visible_dates(""), url="https://courier.example/tram", kind="html")
    assert article.status == "ok"
    assert article.published is not None and article.published.startswith("2025-03-12"), article.published


def test_no_date_is_guessed_for_a_product_page():
    product = '<script type="application/ld+json">{"@type": "Product", "name": "Tram model"}</script>'
    article = cleaners.clean(_page_with_visible_dates(product), url="https://shop.example/tram", kind="html")
    assert generic.page_kind(tree_of(_page_with_visible_dates(product)),
                             page_meta(tree_of(_page_with_visible_dates(product)))) == "product"
    assert article.published is None


def _page_with_comments(n_paragraphs: int) -> str:
    comments = "".join(
        f'<li class="comment" id="comment-{i}"><div class="comment-content"><p>I read this twice and I still '
        f"think the council should have asked the residents of the northern suburbs first, number {i}.</p>"
        "</div></li>" for i in range(6))
    return ARTICLE_PAGE.replace(
        "".join(f"<p>{p}</p>" for p in PARAGRAPHS),
        "".join(f"<p>{p}</p>" for p in (PARAGRAPHS * 3)[:n_paragraphs])).replace(
        "</article>", f'</article><div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol></div>')


def test_comment_section_marked_apart_from_comment_keywords():
    found = blocks.segment(tree_of(_page_with_comments(4)))
    marked = {b.text[:20] for b in found if (b.own_bits | b.anc_bits) & blocks.COMMENT_SECTION_BIT}
    assert marked and all(t.startswith("I read this twice") for t in marked)
    X = blocks.features(found, None)  # the bit is not a feature: the matrix keeps its width
    assert X.shape == (len(found), blocks.N_FEATURES)
    no_comments = blocks.segment(tree_of('<html><body><div class="no-comments comment-count">'
                                         '<p>Comments are closed.</p></div></body></html>'))
    assert not any((b.own_bits | b.anc_bits) & blocks.COMMENT_SECTION_BIT for b in no_comments)


def test_comments_dropped_under_an_article_but_kept_when_little_else_is_chosen():
    article = _page_with_comments(8)
    found = blocks.segment(tree_of(article))
    kept = generic.without_comment_sections(list(found))
    assert not any(t.startswith("I read this twice") for t in kept)
    assert sum(t in kept for t in PARAGRAPHS) == len(PARAGRAPHS)
    short = [b for b in found if b.text.startswith(("I read this twice", "Council backs", "By Jane"))]
    assert generic.without_comment_sections(short) == [b.text for b in short]  # < 30 words beside them
    cleaned = cleaners.clean(article, url="https://courier.example/tram", kind="html")
    assert "I read this twice" not in cleaned.text and PARAGRAPHS[0] in cleaned.text


def test_vectorised_tree_walk_agrees_with_the_plain_one_on_random_rows():
    """TreeModel.raw (QuickScorer bit masks, float32 rows against float32 splits)
    against raw_reference (one row, one tree, one node at a time, in float64), for both shipped
    passes: random rows of real feature scales, exact split values, NaN, both dtypes."""
    rng = np.random.default_rng(7)
    for model in (blockmodel.load(), blockmodel.load(str(blockmodel.second_path(blockmodel.MODEL_PATH)))):
        width = len(model.features)
        X = (rng.random((300, width)) * rng.choice([1.0, 5.0, 50.0], size=width)).astype(np.float32)
        X[rng.random(X.shape) < 0.3] = 0.0  # many features are 0/1 flags
        internal = np.flatnonzero(~model.is_leaf)
        picked = rng.choice(internal, size=200)
        X[rng.integers(0, 300, size=200), model.feature[picked]] = model.split[picked]  # ties with a split
        X[rng.random(X.shape) < 0.002] = np.nan
        reference = model.raw_reference(X)
        assert np.allclose(model.raw(X), reference, rtol=0, atol=1e-9)
        assert np.allclose(model.raw(X.astype(np.float64)), reference, rtol=0, atol=1e-9)
        assert np.array_equal(model.raw(X), model.raw(X.astype(np.float64)))
        assert np.array_equal(model.raw(X[:1]), model.raw(X)[:1])  # one row alone, the same



def _random_tree_spec(rng, n_trees: int, n_leaves: int, width: int) -> dict:
    """A model spec (the JSON format of blockmodel.export) of random unbalanced trees, each grown
    by splitting a random leaf until it has n_leaves leaves."""
    feature, split, left, right, value, roots = [], [], [], [], [], []
    for _ in range(n_trees):
        offset = len(feature)
        roots.append(offset)
        nodes = [[0, 0.0, -1, -1, float(rng.normal())]]  # feature, split, left, right, value
        leaves = [0]
        while len(leaves) < n_leaves:
            grow = leaves.pop(int(rng.integers(len(leaves))))
            nodes[grow][0], nodes[grow][1] = int(rng.integers(width)), float(rng.normal())
            for side in (2, 3):
                nodes[grow][side] = len(nodes)
                leaves.append(len(nodes))
                nodes.append([0, 0.0, -1, -1, float(rng.normal())])
        for i, (f, s, lo, hi, v) in enumerate(nodes):
            leaf = lo < 0
            feature.append(f)
            split.append(s)
            left.append(offset + (i if leaf else lo))
            right.append(offset + (i if leaf else hi))
            value.append(v if leaf else 0.0)
    return {"features": [f"f{i}" for i in range(width)], "baseline": 0.25, "max_depth": n_leaves,
            "roots": roots, "feature": feature, "split": split, "left": left, "right": right, "value": value}


def test_quickscorer_masks_reach_the_leaf_a_walk_reaches_for_wide_and_deep_trees():
    """Trees of 5, 32, 33 and 64 leaves (the masks' uint32 / uint64 limits), grown lopsided, against
    the one-node-at-a-time walk; a tree of 65 leaves is refused with a reason."""
    rng = np.random.default_rng(11)
    for n_leaves in (5, 32, 33, 64):
        model = blockmodel.TreeModel(_random_tree_spec(rng, 7, n_leaves, 6))
        X = rng.normal(size=(blockmodel.CHUNK_ROWS + 40, 6))
        X[rng.random(X.shape) < 0.05] = np.nan
        assert np.allclose(model.raw(X), model.raw_reference(X), rtol=0, atol=1e-12)
        assert np.allclose(model.raw(X.astype(np.float32)), model.raw_reference(X.astype(np.float32)), rtol=0,
                           atol=1e-12)
    with pytest.raises(ValueError, match="65 leaves"):
        blockmodel.TreeModel(_random_tree_spec(rng, 1, 65, 6))


def test_float32_splits_decide_like_float64_ones():
    rng = np.random.default_rng(3)
    split = np.concatenate([rng.normal(size=5000) * 10.0 ** rng.integers(-3, 4, size=5000),
                            [0.0, -0.0, 0.1, 0.5, 1.0 / 3.0, 1e-40, np.float32(0.6)]])
    low = blockmodel.float32_below(split)
    x = np.concatenate([split.astype(np.float32), np.nextafter(split.astype(np.float32), np.float32(np.inf)),
                        np.nextafter(split.astype(np.float32), np.float32(-np.inf))])
    splits = np.concatenate([split, split, split])
    assert np.array_equal(x <= np.concatenate([low, low, low]), x.astype(np.float64) <= splits)
