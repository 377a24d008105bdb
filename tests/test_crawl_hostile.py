"""Hostile names: partition folders from hostile hosts stay under the dataset and never shared by
two hosts, every page of such a host still gets its row, and a hostile run id is refused with one
line. The crawl reaches its hosts through an HTTP proxy on 127.0.0.1 (the local server answers
for every host), so no name is ever looked up and nothing leaves the machine."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import PROJECT, crawl_cmd, duck, env, rows  # noqa: E402

from crawler.dataset import DatasetWriter, partition_value  # noqa: E402
from crawler.demo.server import LocalHTTPServer, QuietHandler  # noqa: E402

HOSTS = ["пример.рф", "победа.рф", "a" * 70 + ".example.org", "b" * 64 + ".org", "news.example.net:8080"]
PAGES_PER_HOST = 2


def _page(host: str, n: int) -> bytes:
    words = " ".join(f"{host}-{n}-word{k}" for k in range(12))
    paragraphs = "".join(f"<p>Paragraph {k} of the report from {host} number {n}: officials said the plan "
                         f"would go ahead after a long debate, {words}.</p>" for k in range(8))
    return (f'<html><head><title>Report {n} from {host}</title><link rel="canonical" '
            f'href="http://{host}/news/2025/01/02/report-number-{n}-page"></head><body><article><h1>Report {n}'
            f"</h1>{paragraphs}</article></body></html>").encode("utf-8")


class _Proxy(QuietHandler):
    def do_GET(self):
        host = self.headers.get("Host", "")
        real = next((h for h in HOSTS if _puny(h) == host.lower()), host)
        self.server.owner.requests.append((host, self.path))
        path = self.path.split(host, 1)[-1] if "://" in self.path else self.path
        if path.endswith("/sitemap.xml"):
            locs = "".join(f"<url><loc>http://{real}/news/2025/01/02/report-number-{n}-page</loc></url>"
                           for n in range(PAGES_PER_HOST))
            body = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9">{locs}</urlset>').encode()
            return self.send_body(200, body, "application/xml")
        if "/report-number-" in path:
            return self.send_body(200, _page(real, int(path.split("report-number-")[1].split("-")[0])),
                                  "text/html; charset=utf-8")
        return self.send_body(404, b"not found", "text/html")


def _puny(host: str) -> str:
    name, _, port = host.partition(":")
    try:
        ascii_name = name.encode("idna").decode()
    except UnicodeError:
        ascii_name = name
    return ascii_name + (":" + port if port else "")


class ProxyServer(LocalHTTPServer):
    def __init__(self):
        self.requests = []
        super().__init__(_Proxy)


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "out"
    with ProxyServer() as proxy:
        sitemaps = ",".join(f"http://{h}/sitemap.xml" for h in HOSTS)
        domains = ",".join(h.split(":")[0] for h in HOSTS)
        cmd = crawl_cmd(["news"], out, settings={"ROBOTSTXT_OBEY": False},
                        args={"sitemap": sitemaps, "allowed_domains": domains})
        child = {**env(), "http_proxy": proxy.url, "HTTP_PROXY": proxy.url, "no_proxy": "", "NO_PROXY": ""}
        done = subprocess.run(cmd, cwd=PROJECT, env=child, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return out / "articles", proxy.requests


def test_every_page_of_a_hostile_host_gets_its_row(hostile_crawl):
    dataset, requests = hostile_crawl
    data = rows(dataset)
    assert len(data) == len(HOSTS) * PAGES_PER_HOST, sorted(r["url"] for r in data)
    assert len({r["url"] for r in data}) == len(data)
    assert all(r["status"] == "ok" for r in data), [(r["url"], r["status"], r["error"]) for r in data]
    assert duck(dataset, "SELECT count(*) FROM ARTICLES") == [(len(data),)]


def test_distinct_hosts_never_share_a_folder(hostile_crawl):
    dataset, _ = hostile_crawl
    folders = {p.parent.name for p in dataset.glob("crawl_date=*/site=*/*.parquet")}
    assert "site=xn--e1afmkfd.xn--p1ai" in folders and "site=xn--80abjd7bf.xn--p1ai" in folders
    by_site = {}
    for row in rows(dataset):
        by_site.setdefault(row["site"], set()).add(row["url"].split("/")[2])
    # the two Cyrillic hosts apart; the long-label hosts under their registered domains
    assert by_site["xn--e1afmkfd.xn--p1ai"] != by_site["xn--80abjd7bf.xn--p1ai"]


HOSTILE_SITES = ["..", "%2e%2e", "../../etc", "/abs/path", "a/b", "x" * 300, "пример.рф", "победа.рф",
                 "host:8080", "host_8080", ".hidden", "", "\\..\\", "a\x00b", "a\ud800b", "CON", "ex ample.org"]


def test_partition_folders_stay_under_the_dataset_and_apart(tmp_path):
    root = tmp_path / "dataset"
    writer = DatasetWriter(root, "run-1", part_rows=1000)
    for n, site in enumerate(HOSTILE_SITES):
        writer.write({"url": f"https://example.org/{n}", "site": site, "status": "ok", "text": f"text {n}",
                      "content_hash": f"h{n}"})
    files = writer.close()
    assert len(files) == len(set(partition_value(s) for s in HOSTILE_SITES)) == len(set(HOSTILE_SITES))
    for rel in files:
        path = (root / rel).resolve()
        assert root.resolve() in path.parents
        assert path.parent.parent.parent == root.resolve()  # crawl_date=.../site=.../part
        pq.read_table(path)
    assert all(len(partition_value(s)) <= 100 for s in HOSTILE_SITES)
    assert not list(tmp_path.glob("*.parquet")) and not (tmp_path / "etc").exists()


@pytest.mark.parametrize("run_id", ["../..", "../escape", "a/b", ".hidden", "x" * 101])
def test_a_hostile_run_id_is_refused_with_one_line(tmp_path, run_id):
    cmd = crawl_cmd(["news"], tmp_path / "out", args={"sitemap": "http://127.0.0.1:9/sitemap.xml"})
    child = {**env(), "NEWSCLEAN_RUN_ID": run_id}
    done = subprocess.run(cmd, cwd=PROJECT, env=child, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "NEWSCLEAN_RUN_ID" in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.rglob("*.json")) and not list(tmp_path.parent.glob("*.json"))
