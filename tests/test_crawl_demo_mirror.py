"""End to end: the real spiders crawl the bundled demo mirror served on 127.0.0.1, the pipeline
cleans every page, the dataset is read back with pyarrow and DuckDB; re-runs are incremental."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import copy_mirror, crawl_cmd, duck, manifests, rows, run  # noqa: E402

from crawler.demo import texts  # noqa: E402
from crawler.demo.make_mirror import page_path, rt_page  # noqa: E402
from crawler.demo.server import serve_mirror  # noqa: E402

SPIDERS = ["rt", "sputnik", "republicworld"]
RW_NATO = ("https://www.republicworld.com/world-news/europe/nato-chief-jens-stoltenberg-says-wont-agree-"
           "to-keep-military-within-pre-1997-borders-articleshow.html")
# canonical URL -> (site, title, published (prefix), extractor, source or None when it may vary)
EXPECTED = {
    "https://www.rt.com/russia/549908-nato-less-borders-kremlin/":
        ("rt.com", "Military bloc tells Kremlin what it will get if it seeks ‘less NATO’ on its borders",
         "2022-02-19T14:15", "site:rt", None),
    "https://www.rt.com/russia/542001-nato-ready-punish-russia/":
        ("rt.com", "NATO ready to punish Russia", "2021-12-01T18:49", "site:rt", "sitemap"),
    "https://www.rt.com/russia/543928-military-response-nato-expansion/":
        ("rt.com", "Russia promises 'military response' to any further NATO expansion", "2021-12-20T15:16",
         "site:rt", "link"),
    "https://actualidad.rt.com/actualidad/600123-radiotelescopio-andino-lluvia-meteoros":
        ("rt.com", texts.ACTUALIDAD["title"], "2026-04-14T09:30", "site:rt", "rss"),
    "https://sputniknews.com/russia/201607041042380000/":
        ("sputniknews.com", "Russia's Security Actions No Threat to Countries Unlike NATO's Expansion",
         "2016-07-04T12:41", "site:sputnik", "sitemap"),
    "https://sputniknews.com/20230315/arctic-port-record-winter-cargo-1108500000.html":
        ("sputniknews.com", texts.SPUTNIK["title"], "2023-03-15T10:05", "site:sputnik", "rss"),
    RW_NATO:
        ("republicworld.com", "NATO chief Jens Stoltenberg says 'won't agree' to keep military within pre-1997 borders",
         "2022-01-17T13:13:00+05:30", "site:republicworld", None),
    "https://www.republicworld.com/science/space/space-agency-schedules-second-landing-test-of-reusable-launch-vehicle-prototype":
        ("republicworld.com", texts.REPUBLIC["title"], "2024-05-09T18:20:00+05:30", "site:republicworld", "sitemap"),
}
# the one broken page per site: path on the mirror -> (site, status)
BROKEN = {
    "/news/550000-truncated-page-demo/": ("rt.com", "no_article"),
    "/20230316/broken-binary-page-1108500001.html": ("sputniknews.com", "not_html"),
    "/india-news/general-news/empty-page-served-by-a-broken-cache-articleshow.html": ("republicworld.com", "empty"),
}
SEEDS = {"000": "https://www.rt.com/russia/549908-nato-less-borders-kremlin/",
         "001": "https://www.rt.com/russia/542001-nato-ready-punish-russia/",
         "004": "https://www.rt.com/russia/543928-military-response-nato-expansion/",
         "002": "https://sputniknews.com/russia/201607041042380000/", "003": RW_NATO}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mirror_crawl")
    mirror = copy_mirror(tmp / "mirror")
    servers = serve_mirror(mirror)
    out = tmp / "out"
    result = run(crawl_cmd(SPIDERS, out, servers=servers))
    state = SimpleNamespace(tmp=tmp, mirror=mirror, servers=servers, out=out, dataset=out / "articles",
                            first=result)
    yield state
    for server in servers.values():
        server.stop()


def test_crawl_yields_exactly_the_expected_articles(crawl):
    data = rows(crawl.dataset)
    ok = [r for r in data if r["status"] == "ok"]
    assert sorted(r["canonical_url"] for r in ok) == sorted(EXPECTED)
    for row in ok:
        site, title, published, extractor, source = EXPECTED[row["canonical_url"]]
        assert row["site"] == site
        assert row["title"] == title
        assert row["published"].startswith(published), row["published"]
        assert row["extractor"].split("/")[0] == extractor  # "site:rt/2026": the site and its template
        assert row["fallback_from"] is None
        assert row["http_status"] == 200
        # keyed by the site's own URL, not the mirror's (a re-run from another port finds it)
        assert row["url"].startswith("https://") and row["final_url"] == row["url"]
        assert row["fetched_at"] is not None and row["fetched_at"].tzinfo is not None
        assert row["crawl_run_id"] and row["content_hash"] and row["word_count"] > 100
        assert row["source"] in ("sitemap", "rss") if source is None else row["source"] == source
    got = {("/" + r["url"].split("/", 3)[3]): (r["site"], r["status"]) for r in data if r["status"] != "ok"}
    assert got == BROKEN
    assert len(data) == len(EXPECTED) + len(BROKEN)
    by_lang = {r["canonical_url"]: r["language"] for r in ok}
    assert by_lang["https://actualidad.rt.com/actualidad/600123-radiotelescopio-andino-lluvia-meteoros"] == "es"
    authors = {r["canonical_url"]: r["authors"] for r in ok}
    assert authors[RW_NATO] == ["Dipaneeta Das"]


def test_rows_read_back_with_duckdb(crawl):
    counts = dict(((site, status), n) for site, status, n in duck(
        crawl.dataset, "SELECT site, status, count(*) FROM ARTICLES GROUP BY ALL"))
    assert counts == {("rt.com", "ok"): 4, ("rt.com", "no_article"): 1, ("sputniknews.com", "ok"): 2,
                      ("sputniknews.com", "not_html"): 1, ("republicworld.com", "ok"): 2,
                      ("republicworld.com", "empty"): 1}
    titles = {t for (t,) in duck(crawl.dataset, "SELECT title FROM ARTICLES WHERE status = 'ok'")}
    assert titles == {v[1] for v in EXPECTED.values()}
    dates = duck(crawl.dataset, "SELECT DISTINCT crawl_date FROM ARTICLES")
    assert len(dates) == 1


def test_seed_articles_lose_all_boilerplate(crawl):
    from conftest import load_json, paragraphs_normalised, shared_path

    expected_dir = shared_path("seeds", "expected")
    texts_by_url = {r["canonical_url"]: r["text"] for r in rows(crawl.dataset) if r["status"] == "ok"}
    for seed, url in SEEDS.items():
        expected = load_json(next(expected_dir.glob(f"{seed}_*.json")))
        assert paragraphs_normalised(texts_by_url[url]) == paragraphs_normalised(expected["text"]), seed


def test_layout_and_manifest(crawl):
    files = sorted(crawl.dataset.glob("crawl_date=*/site=*/part-*.parquet"))
    assert {f.parent.name for f in files} == {"site=rt.com", "site=sputniknews.com", "site=republicworld.com"}
    assert not list(crawl.dataset.rglob(".*.tmp"))
    (manifest,) = manifests(crawl.dataset)
    assert manifest["spiders"] == SPIDERS
    assert manifest["rows"] == 11
    assert manifest["counts_by_status"] == {"ok": 8, "no_article": 1, "not_html": 1, "empty": 1}
    assert manifest["counts_by_site"] == {"rt.com": 5, "sputniknews.com": 3, "republicworld.com": 3}
    assert sorted(manifest["files"]) == sorted(f.relative_to(crawl.dataset).as_posix() for f in files)
    assert manifest["started_at"] < manifest["finished_at"]
    assert set(manifest["per_spider"]) == set(SPIDERS)
    assert "rows written: 11" in crawl.first.stdout
    # template health: every ok row of the three sites counted under the template that made it
    made = Counter((r["site"], r["extractor"]) for r in rows(crawl.dataset) if r["status"] == "ok")
    counted = Counter({(site, extractor): n for site, c in manifest["templates_by_site"].items()
                       for extractor, n in c["templates"].items()})
    assert counted == made and sum(made.values()) == 8
    assert all(c["fallback"] == 0 for c in manifest["templates_by_site"].values())
    assert manifest["template_warnings"] == []
    assert "templates:" in crawl.first.stdout and "fell back 0" in crawl.first.stdout


def test_second_run_adds_nothing_and_fetches_no_article(crawl):
    before = {name: len(server.requests) for name, server in crawl.servers.items()}
    result = run(crawl_cmd(SPIDERS, crawl.out, servers=crawl.servers))
    assert len(rows(crawl.dataset)) == 11
    manifest = manifests(crawl.dataset)[-1]
    assert manifest["rows"] == 0 and manifest["files"] == []
    assert manifest["skipped"]["seen"] == 11
    fetched = [p for name, server in crawl.servers.items() for p in server.requests[before[name]:]]
    # sitemaps, feeds, robots.txt and section pages are read again; no article is fetched
    for key in list(EXPECTED) + list(BROKEN):
        path = "/" + key.split("/", 3)[3] if "://" in key else key
        assert path not in fetched, path
    assert "/sitemap_news.xml" in fetched and "/rss/" in fetched
    assert "rows written: 0" in result.stdout


def test_one_new_article_is_added_exactly_once(crawl):
    url = "https://www.rt.com/news/551234-new-demo-article-appears/"
    article = {
        "url": url, "title": "A new article appears on the demo mirror", "description": "It is new.",
        "paragraphs": ["This article was added to the mirror after the first crawl, to check that a "
                       "re-run picks up exactly what is new and nothing else.",
                       "A second paragraph makes it long enough to be an article of its own, with "
                       "words that no other page of the mirror uses: quartz, lantern, meadow."],
        "section": "World News", "section_url": "https://www.rt.com/news/",
        "published_iso": "2026-05-01T08:00:00Z", "published_text": "1 May, 2026 08:00",
        "caption": "Demo caption.", "tags": [], "related": [("Other", "https://www.rt.com/news/1-a/")],
    }
    path = crawl.mirror / "rt" / page_path(url)
    path.parent.mkdir(parents=True)
    path.write_text(rt_page(article), encoding="utf-8")
    sitemap = crawl.mirror / "rt" / "sitemap_news.xml"
    sitemap.write_text(sitemap.read_text().replace("</urlset>", f"<url><loc>{url}</loc></url>\n</urlset>"))

    run(crawl_cmd(SPIDERS, crawl.out, servers=crawl.servers))
    data = rows(crawl.dataset)
    assert len(data) == 12
    new = [r for r in data if r["canonical_url"] == url]
    assert len(new) == 1 and new[0]["status"] == "ok" and new[0]["extractor"].startswith("site:rt/")
    assert manifests(crawl.dataset)[-1]["rows"] == 1
    assert len({r["url"] for r in data}) == 12
