"""`newsclean compact`: a partition's parts merged into fewer files sorted by `published`, swapped
in atomically (readers see every row exactly once), the state store pointing at the new files;
with the SQLite state (one machine) and the Redis one, during a crawl of another partition."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fixtures" / "crawl"))
sys.path.insert(0, str(HERE.parent / "bench"))
from crawlhelp import PROJECT, PY, copy_mirror, crawl_cmd, env, manifests, rows, run  # noqa: E402
from redishelp import redis_server  # noqa: E402,F401 - the fixture
from synthetic_site import SyntheticServer, SyntheticSite  # noqa: E402
from test_crawl_cluster import (WORKER_SETTINGS, start_worker, tail, wait_all, wait_for,  # noqa: E402
                                worker_cmd)

from crawler.demo.server import serve_mirror  # noqa: E402
from crawler.state import SQLiteStateStore  # noqa: E402

SPIDERS = ["rt", "sputnik", "republicworld"]


def part_files(dataset: Path) -> set[str]:
    return {p.relative_to(dataset).as_posix() for p in dataset.glob("crawl_date=*/site=*/*.parquet")}


def compact(dataset: Path, *extra) -> subprocess.CompletedProcess:
    return run([PY, "-m", "crawler.cli", "compact", str(dataset), *extra], timeout=300)


def published_instants(path: Path) -> list:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return [r[0] for r in con.execute(
        f"SELECT TRY_CAST(published AS TIMESTAMPTZ) FROM read_parquet('{path}')").fetchall()]


def assert_sorted(path: Path) -> None:
    instants = published_instants(path)
    known = [t for t in instants if t is not None]
    assert known == sorted(known)
    assert instants[:len(known)] == known, "rows without a date come last"


def test_compact_with_the_sqlite_state(tmp_path):
    mirror = copy_mirror(tmp_path / "mirror")
    servers = serve_mirror(mirror)
    out = tmp_path / "out"
    dataset = out / "articles"
    try:
        run(crawl_cmd(SPIDERS, out, servers=servers, settings={"NEWSCLEAN_PART_ROWS": 2}))
        before = rows(dataset)
        files_before = part_files(dataset)
        assert len(files_before) > 3
        result = compact(dataset)
        assert "parts ->" in result.stdout
        after = rows(dataset)
        assert sorted(r["url"] for r in after) == sorted(r["url"] for r in before)
        files = part_files(dataset)
        assert len({f.rsplit("/", 1)[0] for f in files}) == len(files), "one file per partition"
        for name in files:
            assert_sorted(dataset / name)
            assert pq.read_schema(dataset / name).metadata[b"newsclean.schema_version"] == b"1"
        state = SQLiteStateStore(dataset / "_state" / "state.sqlite")
        parts = {p for (p,) in state._db.execute("SELECT part FROM parts")}
        seen_parts = {p for (p,) in state._db.execute("SELECT DISTINCT part FROM seen")}
        state.close()
        assert parts == files and seen_parts <= files, "the state points at files that exist"
        assert not any(p.name.startswith(".") for p in dataset.parent.iterdir() if "compact" in p.name)
        # the next run fetches nothing new: the keys of the compacted rows are still seen
        run(crawl_cmd(SPIDERS, out, servers=servers))
        assert manifests(dataset)[-1]["rows"] == 0
        assert "nothing to compact" in compact(dataset).stdout
    finally:
        for server in servers.values():
            server.stop()


class OtherDesk(SyntheticSite):
    """The RT-template site with texts of its own (the same index would give the generic site's
    texts, which the dataset drops as duplicates by content hash)."""

    def paragraphs(self, i: int) -> list[str]:
        return super().paragraphs(i + 100_000)


class Reader(threading.Thread):
    """Reads one partition over and over (DuckDB glob and pyarrow) while it is compacted."""

    def __init__(self, folder: Path):
        super().__init__(daemon=True)
        self.folder = folder
        self.stop = threading.Event()
        self.counts: list[tuple[int, int]] = []
        self.retries = 0

    def run(self):
        con = duckdb.connect()
        while not self.stop.is_set():
            try:
                n, distinct = con.execute(
                    f"SELECT count(*), count(DISTINCT url) FROM read_parquet('{self.folder}/*.parquet')").fetchone()
                table = ds.dataset(self.folder, format="parquet").to_table(columns=["url"])
                self.counts.append((n, distinct))
                self.counts.append((table.num_rows, len(set(table.column("url").to_pylist()))))
            except (FileNotFoundError, OSError, duckdb.Error):  # listed before the swap, opened after
                self.retries += 1


def test_compact_during_a_crawl_of_another_partition(redis_server, tmp_path):
    out = tmp_path / "out"
    dataset = out / "articles"
    generic = SyntheticSite(400)
    rt = OtherDesk(400, "rt")
    with SyntheticServer(generic).start() as g_server, SyntheticServer(rt).start() as rt_server:
        run(worker_cmd(generic, g_server, out, redis_server.url, NEWSCLEAN_PART_ROWS=20), timeout=300)
        (folder,) = {p.parent for p in dataset.glob("crawl_date=*/site=*/*.parquet")}
        n_generic = len(rows(dataset, columns=["url"]))
        assert n_generic == generic.pages and len(list(folder.glob("*.parquet"))) >= 10

        cmd = crawl_cmd(["rt"], out, settings={**WORKER_SETTINGS, "NEWSCLEAN_PART_ROWS": 20},
                        args={"base_url": rt_server.url, "sitemap": f"{rt.origin}/sitemap-index.xml",
                              "feed": "", "sections": "0", "max_sitemaps": rt.sitemaps})
        crawl = start_worker(cmd + ["--redis", redis_server.url, "--quiet"], tmp_path / "rt.log")
        reader = Reader(folder)
        try:
            wait_for(lambda: any(p.parent != folder for p in dataset.glob("crawl_date=*/site=*/*.parquet")),
                     [crawl], "the rt crawl's first part")
            assert crawl.poll() is None, "the rt crawl finished before the compaction"
            reader.start()
            wait_for(lambda: len(reader.counts) >= 2, [crawl], "a first read")
            result = compact(dataset, "--redis", redis_server.url)
            reads = len(reader.counts)
            wait_for(lambda: len(reader.counts) >= reads + 4, [crawl], "reads after the compaction")
            wait_all([crawl])
        finally:
            reader.stop.set()
            if crawl.poll() is None:
                crawl.kill()
        reader.join(timeout=30)
        assert f"{folder.relative_to(dataset).as_posix()}: " in result.stdout, result.stdout
        assert reader.counts and all(c == (n_generic, n_generic) for c in reader.counts), \
            f"a reader saw {set(reader.counts)} rows, not {n_generic} (retries: {reader.retries})"
        (compacted,) = folder.glob("*.parquet")
        assert_sorted(compacted)

        compact(dataset, "--redis", redis_server.url)  # the rt partition, now that its writer is done
        data = rows(dataset, columns=["url"])
        urls = [r["url"] for r in data]
        assert len(urls) == len(set(urls)) == generic.pages + rt.pages
        con = duckdb.connect()
        (n,) = con.execute(f"SELECT count(DISTINCT url) FROM read_parquet('{dataset}/**/*.parquet')").fetchone()
        assert n == generic.pages + rt.pages
        for name in part_files(dataset):
            pq.read_table(dataset / name)
        client = redis_server.client()
        assert {k.decode() for k in client.hkeys("newsclean:state:parts")} == part_files(dataset)
        assert not list(dataset.rglob(".*.tmp"))
        # the next crawl finds every compacted row seen: only the transient errors again
        run(worker_cmd(generic, g_server, out, redis_server.url), timeout=300)
        assert manifests(dataset)[-1]["rows"] == generic.kinds()["500"]
    assert "Traceback" not in tail(crawl)
