#!/usr/bin/env python3
"""The HTTP fault matrix: a real crawl (`newsclean crawl news`, in a child process) of a local
server on 127.0.0.1 whose pages fail in every way a real site can, checked URL by URL against the
row each must end as, plus hostile sitemaps that must be refused and counted in the manifest.

    .venv/bin/python bench/faults.py --json bench/results/faults-$(date +%F).json
    .venv/bin/python bench/faults.py --bomb-mb 64 --chunked-mb 20     # smaller bombs (the tests)

The site is `news.example.org` (sister domain `example-news.net`), served from the local
server through the spider's base_url, so no request leaves the machine. Each article case is a
URL in the sitemap; the matrix reports, per URL, the expected status and what the dataset holds
(read back with pyarrow): exactly one row per URL, with the expected status. Sitemap cases are
checked in the manifest's `discovery_refused`, and the server's log shows that no external DTD
or entity was fetched. Exit status 1 when any check fails.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
for _p in (str(PROJECT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from crawler.demo.server import LocalHTTPServer, QuietHandler  # noqa: E402
from crawler.runner import LOCAL_SETTINGS, subprocess_env  # noqa: E402
from report import write_report  # noqa: E402
from synthetic_site import SyntheticSite  # noqa: E402

DOMAIN = "news.example.org"
SISTER = "example-news.net"
ORIGIN = f"https://{DOMAIN}"
HTML = "text/html; charset=utf-8"
MB = 1 << 20
DOWNLOAD_TIMEOUT = 2


@dataclass
class Case:
    name: str
    path: str
    expected: str  # the row's status
    note: str
    error_has: str = ""  # a word the row's error must contain


def _case_path(name: str) -> str:
    return f"/news/2025/01/02/fault-case-{name}-page"


CASES = [
    Case("ok", _case_path("ok"), "ok", "a plain article"),
    Case("not-found", _case_path("not-found"), "fetch_error", "HTTP 404", "404"),
    Case("server-error", _case_path("server-error"), "fetch_error", "HTTP 500 (retried)", "500"),
    Case("timeout", _case_path("timeout"), "fetch_error", f"no answer within DOWNLOAD_TIMEOUT={DOWNLOAD_TIMEOUT}s",
         "imeout"),
    Case("truncated", _case_path("truncated"), "fetch_error", "Content-Length 200,000, connection closed after 5,000"),
    Case("empty", _case_path("empty"), "empty", "200 with an empty body"),
    Case("binary", _case_path("binary"), "not_html", "application/octet-stream"),
    Case("binary-as-html", _case_path("binary-as-html"), "not_html", "random bytes served as text/html"),
    Case("redirect-loop", _case_path("redirect-loop"), "fetch_error", "a -> b -> a", "redirect loop"),
    Case("redirect-offsite", _case_path("redirect-offsite"), "fetch_error",
         "301 to a host outside allowed_domains", "offsite.invalid"),
    Case("redirect-sister", _case_path("redirect-sister"), "ok", f"301 to the sister domain {SISTER}: followed"),
    Case("gzip-bomb", _case_path("gzip-bomb"), "too_large", "Content-Encoding: gzip, inflates to --bomb-mb"),
    Case("chunked-huge", _case_path("chunked-huge"), "too_large", "chunked, no Content-Length, --chunked-mb"),
    Case("utf16-header", _case_path("utf16-header"), "ok", "UTF-16LE, no BOM, charset only in Content-Type"),
    Case("status-40000", _case_path("status-40000"), "fetch_error", "HTTP status line 40000", "40000"),
    Case("poison-jsonld", _case_path("poison-jsonld"), "ok", "JSON-LD with lone surrogate escapes (\\ud800)"),
]

SITEMAP_CASES = {  # path -> the manifest's discovery_refused key it must add to
    "/sitemaps/laughs.xml": "sitemap: entity declarations",
    "/sitemaps/external-dtd.xml": "sitemap: external DTD",
    "/sitemaps/self-index.xml": "sitemap: sitemap index loop",
    "/sitemaps/bomb.xml.gz": "sitemap: too large",
    "/sitemaps/bomb-encoded.xml": "sitemap: too large",
}
CANARY = "/news/2025/01/02/only-listed-in-a-hostile-sitemap-page"  # must never be fetched


@functools.lru_cache(maxsize=4)
def gzip_bomb(inflated_mb: int) -> bytes:
    """gzip of `inflated_mb` MB of zeros (1,024 MB -> ~1 MB), made once per process."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (16 * MB)
    parts = [packer.compress(block) for _ in range(max(1, inflated_mb // 16))]
    return b"".join(parts) + packer.flush()


_PAGES = SyntheticSite(400)
_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)


def _article(name: str, ld: str | None = None) -> bytes:
    """A generic news article, its text unique to the case (the dataset drops repeated texts);
    `ld` replaces its JSON-LD."""
    i = 10 + sum(ord(c) * (k + 1) for k, c in enumerate(name)) % 380
    while _PAGES.render(i)[0] != 200 or _PAGES.render(i)[1] != "text/html; charset=utf-8":
        i += 1
    html = _PAGES.render(i)[2].decode("utf-8")
    if ld is not None:
        html = _LD.sub(lambda _m: ld, html)
    return html.encode("utf-8")


def _urlset(paths) -> bytes:
    locs = "".join(f"<url><loc>{ORIGIN}{p}</loc></url>" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{locs}</urlset>').encode()


def _index(paths) -> bytes:
    locs = "".join(f"<sitemap><loc>{ORIGIN}{p}</loc></sitemap>" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{locs}</sitemapindex>').encode()


_LOLS = "".join(f' <!ENTITY lol{i} "{("&lol" + ("" if i == 2 else str(i - 1)) + ";") * 10}">\n'
                for i in range(2, 10))
LAUGHS = (f'<?xml version="1.0"?>\n<!DOCTYPE urlset [\n <!ENTITY lol "lol">\n{_LOLS}]>\n'
          f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{ORIGIN}{CANARY}&lol9;</loc>'
          f"</url></urlset>").encode()


POISON_LD = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Poison \\ud800 here", '
             '"description": "Lone \\udc00 surrogate", "articleSection": "World\\ud800"}</script>')


class FaultServer(LocalHTTPServer):
    """The fault site on 127.0.0.1; `requests` lists every path asked for."""

    def __init__(self, *, bomb_mb: int = 1024, chunked_mb: int = 50):
        self.bomb_mb = bomb_mb
        self.chunked_mb = chunked_mb
        self.requests: list[str] = []
        super().__init__(_Handler)

    def warm(self) -> "FaultServer":
        gzip_bomb(self.bomb_mb)
        return self


class _Handler(QuietHandler):
    server_version = "newsclean-faults/1.0"

    def do_GET(self):  # noqa: C901 - one branch per case, on purpose
        owner: FaultServer = self.server.owner  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        owner.requests.append(path)
        name = path.rsplit("fault-case-", 1)[-1].removesuffix("-page") if "fault-case-" in path else None
        base = f"http://127.0.0.1:{owner.port}"
        if path == "/robots.txt":
            return self.send_body(200, f"User-agent: *\nAllow: /\nSitemap: {ORIGIN}/sitemap-index.xml\n".encode(),
                                  "text/plain")
        if path == "/sitemap-index.xml":
            return self.send_body(200, _index(["/sitemaps/articles.xml", *SITEMAP_CASES]), "application/xml")
        if path == "/sitemaps/articles.xml":
            return self.send_body(200, _urlset([c.path for c in CASES]), "application/xml")
        if path == "/sitemaps/laughs.xml":
            return self.send_body(200, LAUGHS, "application/xml")
        if path == "/sitemaps/external-dtd.xml":
            body = (f'<?xml version="1.0"?>\n<!DOCTYPE urlset SYSTEM "{base}/evil.dtd">\n'
                    f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{ORIGIN}{CANARY}'
                    "</loc></url></urlset>").encode()
            return self.send_body(200, body, "application/xml")
        if path == "/sitemaps/self-index.xml":
            return self.send_body(200, _index(["/sitemaps/self-index.xml"]), "application/xml")
        if path == "/sitemaps/bomb.xml.gz":
            return self.send_body(200, gzip_bomb(owner.bomb_mb), "application/x-gzip")
        if path == "/sitemaps/bomb-encoded.xml":
            return self.send_body(200, gzip_bomb(owner.bomb_mb), "application/xml",
                                  headers={"Content-Encoding": "gzip"})
        if name == "ok" or path == "/news/2025/01/02/moved-to-the-sister-domain-page":
            return self.send_body(200, _article(name or "moved"), HTML)
        if name == "not-found":
            return self.send_body(404, b"<html><body>Not found</body></html>", HTML)
        if name == "server-error":
            return self.send_body(500, b"<html><body>Internal error</body></html>", HTML)
        if name == "timeout":
            time.sleep(DOWNLOAD_TIMEOUT * 2 + 1)
            return self.send_body(200, _article("slow"), HTML)
        if name == "truncated":
            return self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 200000\r\n\r\n"
                             + _article("cut")[:5000], close=True)
        if name == "empty":
            return self.send_body(200, b"", HTML)
        if name == "binary":
            return self.send_body(200, os.urandom(20000), "application/octet-stream")
        if name == "binary-as-html":
            return self.send_body(200, bytes(range(256)) * 80, HTML)
        if name == "redirect-loop" or path.endswith("/redirect-loop-b"):
            target = "/news/redirect-loop-b" if name else _case_path("redirect-loop")
            return self.send_body(302, b"", HTML, headers={"Location": target})
        if name == "redirect-offsite":
            return self.send_body(301, b"", HTML, headers={"Location": "http://offsite.invalid/news/taken-away"})
        if name == "redirect-sister":
            return self.send_body(301, b"", HTML, headers={
                "Location": f"https://{SISTER}/news/2025/01/02/moved-to-the-sister-domain-page"})
        if name == "gzip-bomb":
            return self.send_body(200, gzip_bomb(owner.bomb_mb), HTML, headers={"Content-Encoding": "gzip"})
        if name == "chunked-huge":
            return self._chunked(owner.chunked_mb)
        if name == "utf16-header":
            page = _article("utf16").decode("utf-8").replace('<meta charset="utf-8">', "")
            return self.send_body(200, page.encode("utf-16-le"), "text/html; charset=UTF-16LE")
        if name == "status-40000":
            return self._raw(b"HTTP/1.1 40000 Odd\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nno")
        if name == "poison-jsonld":
            return self.send_body(200, _article("poison", POISON_LD), HTML)
        return self.send_body(404, b"<html><body>Not found</body></html>", HTML)

    def _raw(self, data: bytes, close: bool = False):
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _chunked(self, megabytes: int):
        chunk = (b"<p>" + b"filler text of a page that never ends " * 1600 + b"</p>")[:64 * 1024]
        try:
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n<html><body>\r\n" % len(b"<html><body>"))
            for _ in range(megabytes * MB // len(chunk)):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


def crawl_command(server: FaultServer, output: Path) -> list[str]:
    settings = {**LOCAL_SETTINGS, "DOWNLOAD_TIMEOUT": DOWNLOAD_TIMEOUT, "RETRY_TIMES": 1,
                "DOWNLOAD_MAXSIZE": 10 * MB, "NEWSCLEAN_MAX_BYTES": 10 * MB, "NEWSCLEAN_SITEMAP_MAXSIZE": 10 * MB}
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "news", "--output", str(output)]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    cmd += ["-a", f"base_url={server.url}", "-a", f"allowed_domains={DOMAIN},{SISTER}"]
    return cmd


def run_matrix(workdir: Path, *, bomb_mb: int = 1024, chunked_mb: int = 50, timeout: float = 300) -> dict:
    """Serve, crawl, read back, check: the report as a dict (`passed`: every check held)."""
    import pyarrow.dataset as pads

    server = FaultServer(bomb_mb=bomb_mb, chunked_mb=chunked_mb).warm().start()
    out = workdir / "out"
    started = time.monotonic()
    try:
        done = subprocess.run(crawl_command(server, out), cwd=PROJECT, env=subprocess_env(),
                              capture_output=True, text=True, timeout=timeout)
    finally:
        server.stop()
    wall = time.monotonic() - started
    dataset = out / "articles"
    files = sorted(dataset.glob("crawl_date=*/site=*/*.parquet"))
    data = pads.dataset(dataset, format="parquet", partitioning="hive").to_table().to_pylist() if files else []
    by_path: dict[str, list[dict]] = {}
    for row in data:
        by_path.setdefault(urlsplit(row["url"]).path, []).append(row)
    manifests = sorted((dataset / "_manifests").glob("*.json"))
    manifest = json.loads(manifests[-1].read_text()) if manifests else {}
    refused = manifest.get("discovery_refused", {})
    matrix = []
    for case in CASES:
        got = by_path.get(case.path, [])
        row = got[0] if got else {}
        status = row.get("status") if got else None
        ok = len(got) == 1 and status == case.expected and case.error_has in (row.get("error") or "")
        matrix.append({"case": case.name, "url": ORIGIN + case.path, "note": case.note, "expected": case.expected,
                       "got": status, "rows": len(got), "error": (row.get("error") or "")[:160],
                       "http_status": row.get("http_status"), "final_url": row.get("final_url"), "pass": ok})
    sitemaps = []
    for path, key in SITEMAP_CASES.items():
        sitemaps.append({"sitemap": ORIGIN + path, "expected": key, "fetched": path in server.requests})
    for key in set(SITEMAP_CASES.values()):
        want = sum(1 for v in SITEMAP_CASES.values() if v == key)
        for entry in sitemaps:
            if entry["expected"] == key:
                entry["refused_in_manifest"] = refused.get(key, 0)
                entry["pass"] = refused.get(key, 0) >= want
    extra_rows = sorted(p for p in by_path if p not in {c.path for c in CASES})
    checks = {
        "exit_code": done.returncode,
        "one_row_per_url": all(m["rows"] == 1 for m in matrix),
        "no_other_rows": not extra_rows,
        "canary_never_fetched": CANARY not in server.requests,
        "external_dtd_never_fetched": "/evil.dtd" not in server.requests,
        "offsite_never_contacted": True,  # offsite.invalid cannot resolve; the row names it instead
    }
    rest = (all(s["pass"] for s in sitemaps) and all(v for k, v in checks.items() if k != "exit_code")
            and done.returncode == 0)
    passed = rest and all(m["pass"] for m in matrix)
    return {
        "benchmark": "faults", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "command": " ".join(crawl_command(server, Path("OUT"))), "bomb_mb": bomb_mb, "chunked_mb": chunked_mb,
        "bomb_gzip_bytes": len(gzip_bomb(bomb_mb)), "wall_s": round(wall, 1),
        "largest_child_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "matrix": matrix,
        "sitemaps": sitemaps, "discovery_refused": refused, "checks": checks, "extra_rows": extra_rows,
        "manifest_counts": manifest.get("counts_by_status"), "passed": passed,
        "stderr_tail": done.stderr[-2000:] if not passed else "",
    }


def print_report(report: dict) -> None:
    print(f"{'case':<18} {'expected':<12} {'got':<14} rows  pass  error")
    for m in report["matrix"]:
        verdict = "yes" if m["pass"] else "NO"
        print(f"{m['case']:<18} {m['expected']:<12} {str(m['got']):<14} {m['rows']:>4}  {verdict:<4}  "
              f"{m['error'][:70]}")
    for s in report["sitemaps"]:
        print(f"{s['sitemap'].rsplit('/', 1)[-1]:<18} refused as {s['expected']!r}: {s['refused_in_manifest']} "
              f"{'yes' if s['pass'] else 'NO'}")
    print("checks:", json.dumps(report["checks"]))
    verdict = "PASSED" if report["passed"] else "FAILED"
    print(verdict, f"({report['wall_s']} s; largest child process peak RSS "
          f"{report['largest_child_peak_rss_mb']} MB)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the report here")
    parser.add_argument("--bomb-mb", type=int, default=1024, help="inflated size of the gzip bombs (MB)")
    parser.add_argument("--chunked-mb", type=int, default=50, help="size of the chunked page (MB)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsclean-faults-") as tmp:
        report = run_matrix(Path(tmp), bomb_mb=args.bomb_mb, chunked_mb=args.chunked_mb)
    print_report(report)
    write_report(report, args.json)
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
