"""bench/crawl_speed.py runs end to end on a small synthetic site (150 pages, a few seconds): the
real crawl in a subprocess against the synthetic server on 127.0.0.1, then its JSON report."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))
from synthetic_site import SyntheticSite, kind_of  # noqa: E402

PAGES = 150


def run_bench(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT / "bench" / "crawl_speed.py"), *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("crawl_bench") / "crawl.json"
    done = run_bench("--pages", str(PAGES), "--interval", "0.2", "--compare", "--json", str(out))
    assert done.returncode == 0, f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-5000:]}"
    assert "pages/s overall" in done.stdout and "Memory of the crawl process" in done.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_page_served_is_one_row(report):
    assert report["pages"] == PAGES
    assert report["pages_served"] == PAGES
    assert report["rows"] == report["manifest_rows"] == PAGES
    assert report["readback"]["rows"] == PAGES  # DuckDB over the whole dataset
    assert report["readback"]["urls_match"] and report["readback"]["distinct_urls"] == PAGES
    assert report["parts"] >= 1


def test_status_counts_add_up(report):
    counts = report["counts_by_status"]
    assert sum(counts.values()) == report["rows"]
    assert counts == report["expected_by_status"]
    assert counts["ok"] == sum(1 for i in range(PAGES) if kind_of(i) == "ok")
    assert counts.get("fetch_error", 0) >= 2  # the 404s and the 500 of the first 150 pages
    assert report["readback"]["by_status"] == counts
    assert report["checks"]["status_counts_as_expected"]


def test_speed_and_memory_figures(report):
    assert report["pages_per_s"] > 0
    assert report["speed"]["wall_s"] > 0 and report["speed"]["crawl_cpu_s"] > 0
    memory = report["memory"]
    for key in ("10%", "50%", "90%", "100%"):
        assert memory["rss_mb_at"][key] > 10, key  # MB: a Python process with Scrapy loaded
    assert memory["rss_mb_peak"] >= memory["rss_mb_at"]["100%"]
    assert memory["slope_mb_per_1000_pages"] is not None
    assert len(report["memory_samples"]) >= 3
    assert report["scrapy_memusage"]["startup_mb"] > 0
    compare = report["compare"]
    assert compare["pages"] == report["expected_by_status"]["ok"] and compare["pages_per_s"] > 0
    assert report["overhead"]["cpu_ratio"] > 0


def test_synthetic_site_is_deterministic_and_routes():
    site = SyntheticSite(2500, "generic")
    assert site.sitemaps == 3
    for i in (0, 1, 2, 37, 73, 151, 2499):
        assert site.index_of(site.path(i)) == i
        assert site.render(i) == SyntheticSite(2500, "generic").render(i)
        assert site.url(i).startswith("https://news.example.org/")
    assert site.index_of("/world/2025/01/01/nothing-here-9999999") is None
    assert site.resolve("/robots.txt")[0] == "robots"
    assert site.resolve("/sitemaps/news-0003.xml")[0] == "sitemap"
    assert site.resolve("/sitemaps/news-0004.xml")[1] == 404
    assert site.resolve(site.path(37))[1] == 404 and site.resolve(site.path(73))[1] == 500
    assert site.resolve(site.path(151))[2] == "application/pdf"
    assert site.kinds() == {"ok": 2450, "404": 25, "500": 13, "pdf": 12}
    rt = SyntheticSite(10, "rt")
    assert rt.url(3).startswith("https://www.rt.com/") and b"ArticleView" in rt.render(3)[2]
