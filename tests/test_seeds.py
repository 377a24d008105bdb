"""Acceptance: each seed dump cleans to exactly its expected fields (../shared/seeds/expected)."""
import pytest

import cleaners
from conftest import SHARED, load_json, paragraphs_normalised, seed_names, shared_path

FIELDS = ("site", "published", "modified", "authors", "section", "description", "tags")


@pytest.mark.parametrize("name", seed_names() or ["<no seeds>"])
def test_seed_cleans_to_expected(name):
    seed = shared_path("seeds", f"{name}.txt")
    expected = load_json(SHARED / "seeds" / "expected" / f"{name}.json")
    article = cleaners.clean(seed.read_bytes())
    assert article.status == "ok", article.error
    assert article.extractor.startswith("site:")
    assert " ".join(article.title.split()) == " ".join(expected["title"].split())
    assert paragraphs_normalised(article.text) == paragraphs_normalised(expected["text"])
    for field in FIELDS:
        assert getattr(article, field) == expected[field], field
    assert article.language == "en"
    assert article.word_count > 100
    assert len(article.content_hash) == 64
