"""Template health (cleaners/health.py): the extractor names the template that matched; a page of
a registered site in no template its cleaner knows goes to the generic path and says so
(Article.fallback_from); counts per site and the redesign warning in `newsclean clean`'s summary
and in the crawl manifest. Real pages from ../shared, a real CLI run, a real Manifest file."""
from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner

from cleaners import clean, health
from cleaners.cli import main
from conftest import load_json, make_dump, shared_path
from crawler.dataset import Manifest

RT_2015 = ("sites", "rt", "www.rt.com_uk-322589-council-cuts-cameron-pmqs_2015-11.html")
URL_2015 = "https://www.rt.com/uk/322589-council-cuts-cameron-pmqs/"


def redesigned(html: str) -> str:
    """The same page after a redesign: every class name of the article template renamed."""
    return html.replace("article__", "story-card__").replace("Published time:", "Posted:")


@pytest.fixture(scope="module")
def page_2015() -> str:
    return shared_path(*RT_2015).read_text(encoding="utf-8")


def test_the_template_that_matched_is_named(page_2015):
    article = clean(page_2015, url=URL_2015)
    assert article.extractor == "site:rt/en-2015"
    assert article.fallback_from is None


def test_a_redesigned_page_falls_back_and_says_so(page_2015):
    article = clean(redesigned(page_2015), url=URL_2015)
    assert article.ok
    assert not article.extractor.startswith("site:")  # the generic path made it
    assert article.fallback_from == "site:rt"
    assert article.site == "rt.com"
    assert "Labour MP Jonathan Reynolds delivered the blow" in article.text  # still an article


def test_a_dump_in_no_known_template_falls_back_and_says_so():
    dump = make_dump(shared_path(*RT_2015)).replace("Published time:", "Posted:")
    article = clean(dump)  # the copyright line still names RT; no header rule of RT matches
    assert article.ok and article.extractor == "text-model"
    assert article.fallback_from == "site:rt" and article.site == "rt.com"


def test_a_page_that_is_no_article_is_not_a_fallback():
    article = clean("<html><body><p>Page not found</p></body></html>", url=URL_2015)
    assert article.status == "no_article" and article.fallback_from is None


def _counts(ok: int, fell_back: int, page_2015: str) -> dict:
    counts: dict = {}
    good = clean(page_2015, url=URL_2015).to_dict()
    bad = clean(redesigned(page_2015), url=URL_2015).to_dict()
    for row in [good] * ok + [bad] * fell_back:
        health.count(counts, row)
    return counts


def test_counts_and_the_redesign_threshold(page_2015):
    counts = _counts(15, 5, page_2015)
    assert counts == {"rt.com": {"templates": {"site:rt/en-2015": 15}, "fallback": 5}}
    assert health.report_lines(counts) == ["rt.com: 20 pages: site:rt/en-2015 15, fell back 5"]
    (warning,) = health.warnings(counts)  # 25 % of 20 pages
    assert warning.startswith("rt.com: 5 of 20 pages (25%)") and "redesigned" in warning
    assert health.warnings(_counts(16, 4, page_2015)) == []  # 20 %: not above the threshold
    assert health.warnings(_counts(0, 19, page_2015)) == []  # too few pages to say
    assert health.warnings(counts, share=0.3) == []  # the threshold is a setting
    assert health.warnings(_counts(10, 5, page_2015), min_pages=10) != []


def test_generic_sites_and_errors_are_not_counted():
    counts: dict = {}
    health.count(counts, {"site": "example.com", "extractor": "blocks", "status": "ok"})
    health.count(counts, {"site": "rt.com", "extractor": None, "status": "fetch_error"})
    assert counts == {}


def test_newsclean_clean_prints_the_counts_and_the_warning(tmp_path, page_2015):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(15):
        (pages / f"ok{i:02d}.html").write_text(page_2015, encoding="utf-8")
    for i in range(6):
        (pages / f"new{i:02d}.html").write_text(redesigned(page_2015), encoding="utf-8")
    shutil.copy(shared_path("sites", "sputnik", "sputniknews.com_radio_the_critical_hour_"
                            "202004281079127690_2020-04.html"), pages / "sputnik.html")
    result = CliRunner().invoke(main, ["clean", str(pages), "-o", str(tmp_path / "out.jsonl"),
                                       "--no-progress"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "rt.com: 21 pages: site:rt/en-2015 15, fell back 6" in out
    assert "sputniknews.com: 1 pages: site:sputnik/2020 1, fell back 0" in out
    assert "WARNING rt.com: 6 of 21 pages (29%)" in out
    assert "sputniknews.com:" not in out.split("WARNING", 1)[1]
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert Counter(r["fallback_from"] for r in rows) == {None: 16, "site:rt": 6}


def test_the_manifest_adds_up_spiders_and_warns(tmp_path, page_2015):
    manifest = Manifest(tmp_path, "run-1")
    first = _counts(10, 0, page_2015)
    second = _counts(6, 5, page_2015)
    for name, counts in (("rt", first), ("rt_sitemap", second)):
        manifest.spider_started(name, "2026-01-01T00:00:00+00:00", {})
        info = {"finished_at": "2026-01-01T00:01:00+00:00", "templates_by_site": counts,
                "template_health": {"share": 0.2, "min_pages": 20}}
        manifest.spider_finished(name, info, Counter(), {}, Counter(), [])
    saved = load_json(manifest.path)
    assert saved["templates_by_site"] == {"rt.com": {"templates": {"site:rt/en-2015": 16}, "fallback": 5}}
    (warning,) = saved["template_warnings"]
    assert warning.startswith("rt.com: 5 of 21 pages (24%)")
