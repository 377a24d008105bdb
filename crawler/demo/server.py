"""A threaded HTTP server for the demo mirror (and the crawl tests), on 127.0.0.1 only.

One server (one port) per site, so each site has its own robots.txt at the root, as on the web:

    python -m crawler.demo.server [--root crawler/demo/mirror] [--delay 0.5]

URL paths map to files: /a/b/ -> a/b/index.html or index.xml; /a/b -> a/b, a/b/index.html,
a/b/index.xml or a/b.html (feeds live at .../index.xml).
`routes` maps a path to a function(handler) for special responses (tests use it for errors).
"""
from __future__ import annotations

import argparse
import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import MIRROR, SITES

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".rss": "application/rss+xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
         "": "text/html; charset=utf-8"}


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler for local test and benchmark servers: no access log, a client that gives
    up mid-response is not an error, and send_body() writes a whole response."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):  # the client gave up (time-outs, kills)
            pass

    def send_body(self, status: int, data: bytes, ctype: str, head: bool = False, headers=None) -> bool:
        """Status, headers and (unless head) the body; False when the client went away."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if not head:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return False
        return True


class _Handler(QuietHandler):
    server_version = "newsclean-demo/1.0"

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        server: MirrorServer = self.server.owner  # type: ignore[attr-defined]
        server.requests.append(self.path)
        if server.delay:
            time.sleep(server.delay)
        path = unquote(urlsplit(self.path).path)
        route = server.routes.get(path)
        if route is not None:
            route(self)
            return
        file = server.resolve(path)
        if file is None:
            self.send_body(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html; charset=utf-8", head)
            return
        data = file.read_bytes()
        ctype = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.send_body(200, data, ctype, head)


class LocalHTTPServer:
    """A threaded HTTP server on 127.0.0.1 (a free port by default) run in a background thread;
    a context manager. Subclasses pass their handler; the handler reaches them as server.owner."""

    request_queue_size = 128  # a crawl opens CONCURRENT_REQUESTS connections at once

    def __init__(self, handler, *, port: int = 0):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler, bind_and_activate=False)
        self.httpd.request_queue_size = self.request_queue_size
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        try:
            self.httpd.server_bind()
            self.httpd.server_activate()
        except OSError:
            self.httpd.server_close()
            raise
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self._thread = threading.Thread(target=self.httpd.serve_forever, name=f"http-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class MirrorServer(LocalHTTPServer):
    """Serves one folder on http://127.0.0.1:<port> in a background thread."""

    def __init__(self, root: str | Path, *, port: int = 0, delay: float = 0.0, routes=None):
        self.root = Path(root).resolve()
        self.delay = delay
        self.routes = dict(routes or {})
        self.requests: list[str] = []
        super().__init__(_Handler, port=port)

    def resolve(self, path: str) -> Path | None:
        rel = path.lstrip("/")
        if not rel or rel.endswith("/"):
            candidates = [rel + "index.html", rel + "index.xml"]
        else:
            candidates = [rel, rel + "/index.html", rel + "/index.xml", rel + ".html"]
        for candidate in candidates:
            file = (self.root / candidate).resolve()
            if self.root in file.parents and file.is_file():
                return file
        return None


def serve_mirror(root: str | Path = MIRROR, sites=SITES, delay: float = 0.0) -> dict[str, MirrorServer]:
    """One started server per site folder of the mirror."""
    root = Path(root)
    return {site: MirrorServer(root / site, delay=delay).start() for site in sites if (root / site).is_dir()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(MIRROR))
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each response")
    args = parser.parse_args(argv)
    servers = serve_mirror(args.root, delay=args.delay)
    for site, server in servers.items():
        print(f"{site}\t{server.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
