"""The error matrix: 404, 500, time-outs, redirects, non-HTML, robots.txt and oversized pages, each
against a real local server, each handled as a user would expect and counted in the manifest."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import crawl_cmd, manifests, rows, run  # noqa: E402

from crawler.demo import MIRROR  # noqa: E402
from crawler.demo.server import MirrorServer  # noqa: E402

ARTICLE = (MIRROR / "rt/russia/549908-nato-less-borders-kremlin/index.html").read_bytes()
MOVED = (MIRROR / "sputnik/russia/201607041042380000/index.html").read_bytes()
HTML = "text/html; charset=utf-8"

P_OK = "/news/plain-article-that-just-works/"
P_404 = "/news/missing-page-returns-not-found/"
P_500 = "/news/server-error-page-always-fails/"
P_SLOW = "/news/slow-page-that-times-out/"
P_REDIRECT = "/news/old-address-that-redirects-now/"
P_TARGET = "/news/new-address-after-the-redirect/"
P_PDF = "/news/annual-report-as-a-pdf-file/"
P_ROBOTS = "/private/secret-article-behind-robots-rule/"
P_BIG = "/news/huge-page-over-the-size-limit/"
ALL = [P_OK, P_404, P_500, P_SLOW, P_REDIRECT, P_PDF, P_ROBOTS, P_BIG]


def _routes():
    def send(status, data, ctype=HTML, headers=None):
        return lambda h: h.send_body(status, data, ctype, headers=headers)

    def slow(h):
        time.sleep(2.5)
        h.send_body(200, ARTICLE, HTML)

    def sitemap(h):
        base = f"http://127.0.0.1:{h.server.server_address[1]}"
        locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in ALL)
        h.send_body(200, ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                          f'schemas/sitemap/0.9">{locs}</urlset>').encode(), "application/xml")

    big = b"<html><head><title>Big</title></head><body>" + b"<p>filler text</p>" * 20000 + b"</body></html>"
    return {
        "/robots.txt": send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/sitemap.xml": sitemap,
        P_OK: send(200, ARTICLE),
        P_404: send(404, b"<html><body>Not found</body></html>"),
        P_500: send(500, b"<html><body>Internal error</body></html>"),
        P_SLOW: slow,
        P_REDIRECT: lambda h: h.send_body(301, b"", HTML, headers={"Location": P_TARGET}),
        P_TARGET: send(200, MOVED),
        P_PDF: send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 50, "application/pdf"),
        P_ROBOTS: send(200, ARTICLE),
        P_BIG: send(200, big),
    }


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    out = tmp_path_factory.mktemp("errors") / "out"
    server = MirrorServer(tmp_path_factory.mktemp("empty"), routes=_routes()).start()
    settings = {"DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1, "DOWNLOAD_MAXSIZE": 100_000, "DOWNLOAD_WARNSIZE": 50_000}
    args = {"sitemap": f"{server.url}/sitemap.xml", "allowed_domains": "127.0.0.1"}
    cmd = crawl_cmd(["news"], out, settings=settings, args=args)
    run(cmd)
    yield server, out / "articles", cmd
    server.stop()


def _by_path(dataset):
    return {"/" + r["url"].split("/", 3)[3]: r for r in rows(dataset)}


def test_each_failure_becomes_the_row_a_user_expects(matrix):
    server, dataset, _ = matrix
    got = _by_path(dataset)
    assert set(got) == set(ALL) - {P_ROBOTS}

    assert got[P_OK]["status"] == "ok" and got[P_OK]["extractor"].startswith("site:rt/")
    assert got[P_404]["status"] == "fetch_error" and got[P_404]["http_status"] == 404
    assert got[P_404]["error"] == "HTTP 404"
    assert got[P_500]["status"] == "fetch_error" and got[P_500]["http_status"] == 500
    assert server.requests.count(P_500) == 2  # retried once (RETRY_TIMES=1), with back-off
    assert got[P_SLOW]["status"] == "fetch_error" and got[P_SLOW]["http_status"] is None
    assert "Timeout" in got[P_SLOW]["error"] or "timeout" in got[P_SLOW]["error"].lower()
    redirected = got[P_REDIRECT]
    assert redirected["status"] == "ok" and redirected["final_url"].endswith(P_TARGET)
    assert redirected["http_status"] == 200 and redirected["site"] == "sputniknews.com"
    assert got[P_PDF]["status"] == "not_html" and got[P_PDF]["http_status"] == 200
    assert got[P_BIG]["status"] == "too_large" and "max size" in got[P_BIG]["error"]
    # error rows keep the site the spider was crawling (none here: an IP address) and the URL
    assert all(r["url"].startswith(server.url) for r in got.values())
    # robots.txt: never fetched
    assert P_ROBOTS not in server.requests


def test_manifest_counts_every_outcome(matrix):
    _, dataset, _ = matrix
    manifest = manifests(dataset)[0]
    assert manifest["counts_by_status"] == {"ok": 2, "fetch_error": 3, "not_html": 1, "too_large": 1}
    assert manifest["skipped"]["robots"] == 1
    assert manifest["rows"] == 7


def test_rerun_retries_only_transient_failures(matrix):
    server, dataset, cmd = matrix
    run(cmd)
    manifest = manifests(dataset)[-1]
    # 500 and the time-out may pass next time: fetched again; 404, PDF, too large, articles: not
    assert manifest["counts_by_status"] == {"fetch_error": 2}
    assert manifest["skipped"]["seen"] == 5
    data = rows(dataset)
    assert len(data) == 9
    assert sum(1 for r in data if r["status"] == "ok") == 2


def test_generic_spider_on_a_mirror_with_base_url(tmp_path):
    from crawler.demo.server import serve_mirror

    servers = serve_mirror(MIRROR, sites=("rt",))
    try:
        run(crawl_cmd(["news"], tmp_path / "out", args={
            "base_url": servers["rt"].url, "allowed_domains": "rt.com",
            "start_urls": "https://www.rt.com/russia/"}))
    finally:
        servers["rt"].stop()
    got = {r["canonical_url"] or r["url"]: (r["status"], r["source"]) for r in rows(tmp_path / "out" / "articles")}
    # robots.txt -> sitemaps (2 articles + the broken page), then the section page (1 more article)
    assert got.pop("https://www.rt.com/russia/543928-military-response-nato-expansion/") == ("ok", "link")
    assert sorted(v for v in got.values()) == [("no_article", "sitemap"), ("ok", "sitemap"), ("ok", "sitemap")]
