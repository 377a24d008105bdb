"""The line classifier of text dumps (cleaners/generic/lines.py) and the generic dump path that
uses it. The dumps here are written for these tests: a made-up site's chrome around an article."""
from __future__ import annotations

import numpy as np

import cleaners
from cleaners.generic import lines

ARTICLE = [
    "The old river bridge in Marlow Falls reopened to traffic on Saturday after eighteen months of repairs.",
    "Engineers replaced the steel deck and strengthened the two stone piers, which date from 1894.",
    "The mayor, Ellen Hart, said the town had waited long enough and thanked residents for their patience.",
    "Lorries above twelve tonnes remain barred until a final load test in the spring, the council said.",
    "Shops on Mill Street reported that trade fell by a third while the bridge was closed.",
]
CHROME_TOP = [
    "Bridge reopens after repairs | The Valley Courier",
    "Skip to content", "Home", "News", "Sport", "Weather", "Subscribe", "Sign in",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Accept all", "Manage cookies",
    "Bridge reopens after repairs",
    "By Tom Reed", "12:40, 3 March 2025", "Share on Facebook", "Share on Twitter", "Email",
    "Photo: Valley Courier / J. Smith",
]
CHROME_BOTTOM = [
    "Read more", "Council approves new budget for libraries", "Most read",
    "School wins county chess title", "Flood warning lifted for the lower valley", "Home", "News",
    "Contact us", "Privacy policy", "© 2025 The Valley Courier. All rights reserved.",
]


def dump_lines():
    return CHROME_TOP + ARTICLE + CHROME_BOTTOM


def test_model_loads_small_and_with_a_threshold():
    (first, _), second = lines._models(str(lines.MODEL_PATH))
    assert 0.0 < lines.threshold() < 1.0
    names = lines.feature_names()
    assert len(set(names)) == len(names)
    first.columns(names)  # every feature the model reads is one the module computes
    if second is not None:
        second[0].columns(names + lines.CONTEXT_NAMES)
    for path in lines.MODELS.glob("lines*.json"):
        assert path.stat().st_size < 500_000, path


def test_model_separates_an_article_from_its_chrome():
    """The model alone: every article line kept, the menus, buttons and footer dropped, the
    article ranked above most of the chrome. (The short lines between headline and body -- date,
    share buttons, photo credit -- are where the model is least sure; the text rules that run
    after it drop them: see test_a_made_up_sites_dump_takes_the_model_path.)"""
    all_lines = dump_lines()
    p = lines.line_probabilities(all_lines)
    assert p.shape == (len(all_lines),)
    keep = lines.article_lines(all_lines)
    article = range(len(CHROME_TOP), len(CHROME_TOP) + len(ARTICLE))
    assert all(keep[i] for i in article), [all_lines[i] for i in article if not keep[i]]
    headline = {0, CHROME_TOP.index("Bridge reopens after repairs")}  # <title> and headline: the title
    chrome = [i for i in range(len(all_lines)) if i not in article and i not in headline]
    assert sum(keep[i] for i in chrome) < len(chrome) / 3
    assert min(p[i] for i in article) > np.quantile([p[i] for i in chrome], 0.8)
    for label in ("Skip to content", "Home", "Subscribe", "Sign in", "Accept all", "Manage cookies", "Most read",
                  "Contact us", "Privacy policy", "© 2025 The Valley Courier. All rights reserved."):
        assert not keep[all_lines.index(label)], label


def test_features_are_deterministic_and_blank_lines_are_not_article():
    all_lines = dump_lines()
    with_blanks = [x for line in all_lines for x in (line, "")]
    X1, index1 = lines.features(with_blanks)
    lines.features(["something else entirely", "", "Home"])  # no state carried between calls
    X2, index2 = lines.features(list(with_blanks))
    assert index1 == index2 == list(range(0, len(with_blanks), 2))
    assert X1.shape == (len(all_lines), len(lines.feature_names()))
    assert np.array_equal(X1, X2)
    assert np.isfinite(X1).all()
    p = lines.line_probabilities(with_blanks)
    assert np.array_equal(p, lines.line_probabilities(with_blanks))
    assert (p[1::2] == 0).all()
    assert lines.article_lines(with_blanks)[1::2] == [False] * len(all_lines)


def test_no_lines_and_only_blank_lines():
    assert lines.line_probabilities([]).shape == (0,)
    assert lines.article_lines(["", "  "]) == [False, False]


def test_lexicons_are_data_in_many_languages():
    assert lines.lexicon_hits("Lesen Sie auch: Neue Brücke") == {"readmore"}
    assert "readmore" in lines.lexicon_hits("ये भी पढ़ें: नई सड़क")
    assert "share" in lines.lexicon_hits("Поделиться")
    assert "copyright" in lines.lexicon_hits("版权所有 2025")
    assert lines.lexicon_hits("The bridge reopened on Saturday") == set()


def test_a_made_up_sites_dump_takes_the_model_path():
    dump = "\n".join(dump_lines()) + "\n"
    article = cleaners.clean(dump)
    assert article.status == "ok"
    assert article.extractor == "text-model"
    assert article.title == "Bridge reopens after repairs"
    assert article.text.split("\n\n") == ARTICLE
