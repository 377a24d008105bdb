"""Redis mode (crawler.cluster): real workers (`newsclean crawl --redis`) in subprocesses, a real
redis-server (tests/fixtures/crawl/redishelp.py) and the synthetic news site of bench/ on
127.0.0.1. Decisions to kill are taken on counts (pages served, rows committed), never on sleeps;
waits are bounded only as a safety net."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fixtures" / "crawl"))
sys.path.insert(0, str(HERE.parent / "bench"))
from crawlhelp import PROJECT, PY, crawl_cmd, duck, env, manifests, rows, run  # noqa: E402
from redishelp import redis_server  # noqa: E402,F401 - the fixture
from synthetic_site import GENERIC_DOMAIN, SyntheticServer, SyntheticSite  # noqa: E402

# cleaning in the crawl process: three workers are three processes on a shared 2-core machine
WORKER_SETTINGS = {"NEWSCLEAN_CLEAN_WORKERS": 0, "CONCURRENT_REQUESTS": 8, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                   "NEWSCLEAN_PART_ROWS": 100, "NEWSCLEAN_CLAIM_TTL": 6, "LOG_LEVEL": "INFO"}


def worker_cmd(site: SyntheticSite, server, output: Path, redis_url: str, **settings) -> list[str]:
    cmd = crawl_cmd(["news"], output, settings={**WORKER_SETTINGS, **settings},
                    args={"base_url": server.url, "allowed_domains": GENERIC_DOMAIN,
                          "max_sitemaps": site.sitemaps})
    return cmd + ["--redis", redis_url, "--quiet"]


def start_worker(cmd, log: Path) -> subprocess.Popen:
    out = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=PROJECT, env=env(), stdout=out, stderr=subprocess.STDOUT)
    proc.log_path = log
    out.close()
    return proc


def wait_all(procs, timeout=420) -> None:
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            pytest.fail(f"workers still running after {timeout}s:\n" + tail(proc))
    for proc in procs:
        assert proc.returncode == 0, tail(proc)


def tail(proc) -> str:
    return Path(proc.log_path).read_text(errors="replace")[-4000:]


def wait_for(condition, procs, what: str, timeout=300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for proc in procs:
            if proc.poll() is not None and proc.returncode != 0:
                pytest.fail(f"a worker failed before {what}:\n{tail(proc)}")
        time.sleep(0.05)
    for proc in procs:
        proc.kill()
    pytest.fail(f"timed out waiting for {what}")


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def assert_exactly_once(dataset: Path, site: SyntheticSite) -> list[dict]:
    data = rows(dataset, columns=["url", "status", "canonical_url", "crawl_run_id"])
    paths = Counter(path_of(r["url"]) for r in data)
    twice = [p for p, n in paths.items() if n > 1]
    assert not twice, f"{len(twice)} articles written more than once, e.g. {twice[:5]}"
    expected = {site.path(i) for i in range(site.pages)}
    missing = expected - set(paths)
    assert not missing, f"{len(missing)} articles lost, e.g. {sorted(missing)[:5]}"
    assert len(data) == site.pages
    assert Counter(r["status"] for r in data) == Counter(site.expected_statuses())
    for path in dataset.glob("crawl_date=*/site=*/*.parquet"):
        pq.read_table(path)
    (n,) = duck(dataset, "SELECT count(DISTINCT url) FROM ARTICLES")[0]
    assert n == site.pages
    return data


@pytest.fixture
def synthetic():
    servers = []

    def start(pages: int):
        site = SyntheticSite(pages)
        server = SyntheticServer(site).start()
        servers.append(server)
        return site, server

    yield start
    for server in servers:
        server.stop()


def test_one_worker_in_redis_mode_keeps_its_state_in_redis(redis_server, synthetic, tmp_path):
    site, server = synthetic(150)
    out = tmp_path / "out"
    run(worker_cmd(site, server, out, redis_server.url), timeout=240)
    dataset = out / "articles"
    assert_exactly_once(dataset, site)
    assert not (dataset / "_state" / "state.sqlite").exists(), "Redis mode uses no SQLite state"
    client = redis_server.client()
    parts = client.hgetall("newsclean:state:parts")
    files = {p.relative_to(dataset).as_posix() for p in dataset.glob("crawl_date=*/site=*/*.parquet")}
    assert {k.decode() for k in parts} == files
    assert client.scard("newsclean:state:seen:hash") == site.expected_statuses()["ok"]
    assert not client.keys("newsclean:claim:*"), "every claim is released at the end"
    assert not client.keys("newsclean:run:*"), "the run is over"
    (manifest,) = manifests(dataset)
    assert manifest["finished_at"] and manifest["rows"] == site.pages
    # a second run reads the sitemaps again (a new cluster run) and writes only the transient
    # errors again (HTTP 500: fetched again by every run, as without Redis)
    run(worker_cmd(site, server, out, redis_server.url), timeout=240)
    assert len(rows(dataset, columns=["url"])) == site.pages + site.kinds()["500"]
    assert manifests(dataset)[-1]["skipped"]["seen"] == site.pages - site.kinds()["500"]


def test_redis_unreachable_at_start_is_one_clear_line(tmp_path):
    from redishelp import free_port

    port = free_port()  # nothing listens there
    result = run([PY, "-m", "crawler.cli", "crawl", "news", "--output", str(tmp_path / "out"),
                  "--redis", f"redis://127.0.0.1:{port}/0", "-a", "sitemap=http://127.0.0.1:9/x.xml"],
                 check=False, timeout=60)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsclean crawl: cannot reach Redis at redis://127.0.0.1:")
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()


def parts_of(dataset: Path, pid: int) -> list[Path]:
    return [p for p in dataset.glob("crawl_date=*/site=*/*.parquet") if f"-{pid}-" in p.name]


def test_three_workers_share_a_2000_page_site_every_article_once(redis_server, synthetic, tmp_path):
    site, server = synthetic(2000)
    out = tmp_path / "out"
    procs = [start_worker(worker_cmd(site, server, out, redis_server.url), tmp_path / f"w{n}.log")
             for n in range(3)]
    wait_all(procs)
    dataset = out / "articles"
    assert_exactly_once(dataset, site)
    per_worker = {p.pid: len(parts_of(dataset, p.pid)) for p in procs}
    assert sum(1 for n in per_worker.values() if n) >= 2, f"the work was not shared: parts by worker {per_worker}"
    runs = manifests(dataset)
    assert len(runs) == 3 and sum(m["rows"] for m in runs) == site.pages  # one manifest per worker
    assert len({m["run_id"].split("-", 2)[0] for m in runs}) == 1, "one cluster run"
    counts = server.snapshot()["counts"]
    assert counts["sitemap_index"] == 1 and counts["sitemap"] == site.sitemaps, counts  # read once per run
    assert not list(dataset.rglob(".*.tmp"))
    assert not redis_server.client().keys("newsclean:claim:*")


def test_a_sigkilled_worker_loses_nothing_the_others_finish_its_share(redis_server, synthetic, tmp_path):
    site, server = synthetic(1200)
    out = tmp_path / "out"
    dataset = out / "articles"
    procs = [start_worker(worker_cmd(site, server, out, redis_server.url), tmp_path / f"w{n}.log")
             for n in range(3)]
    victim, survivors = procs[0], procs[1:]
    try:
        # kill it once it has committed a part and holds more (rows in an open part, claims in flight)
        wait_for(lambda: parts_of(dataset, victim.pid) and victim.poll() is None, procs, "the victim's first part")
        served = server.snapshot()["articles_served"]
        assert served < site.pages * 0.9, f"the crawl is nearly over ({served} pages served) before the kill"
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        assert victim.returncode == -signal.SIGKILL
        wait_all(survivors)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert_exactly_once(dataset, site)
    logs = "".join(tail(p) for p in survivors)
    assert "requests of dead workers back in the queue" in logs, "the victim's claims were reaped"
    assert not list(dataset.rglob(".*.tmp")), "the victim's temporary files are removed"
    assert not redis_server.client().keys("newsclean:claim:*")


def test_redis_restarted_mid_crawl_the_crawl_goes_on(redis_server, synthetic, tmp_path):
    site, server = synthetic(1200)
    out = tmp_path / "out"
    dataset = out / "articles"
    # claims outlive the restart by far (renewed every 10 s): a loaded machine may take seconds
    procs = [start_worker(worker_cmd(site, server, out, redis_server.url, NEWSCLEAN_CLAIM_TTL=30),
                          tmp_path / f"w{n}.log") for n in range(2)]
    try:
        wait_for(lambda: len(list(dataset.glob("crawl_date=*/site=*/*.parquet"))) >= 3, procs, "three parts")
        assert all(p.poll() is None for p in procs), "a worker finished before the restart"
        client = redis_server.client()
        assert client.hlen("newsclean:state:parts") >= 3
        client.close()
        redis_server.kill(signal.SIGKILL)  # no shutdown: only what the append-only file holds survives
        redis_server.start()
        wait_all(procs)
        assert "claims of this worker had expired" not in "".join(tail(p) for p in procs)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert_exactly_once(dataset, site)
    client = redis_server.client()
    files = {p.relative_to(dataset).as_posix() for p in dataset.glob("crawl_date=*/site=*/*.parquet")}
    assert {k.decode() for k in client.hkeys("newsclean:state:parts")} == files
