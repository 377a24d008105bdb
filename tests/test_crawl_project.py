"""The Scrapy project itself: `scrapy list`, `scrapy check` (offline contracts), the parquet feed
exporter, the scrapyd egg, settings, and the dataset/state building blocks."""
from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from multiprocessing import get_context
from pathlib import Path

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import PROJECT, PY, local_settings, run  # noqa: E402

from cleaners import clean  # noqa: E402
from cleaners.io.schema import ARTICLE_SCHEMA, article_record  # noqa: E402
from crawler.dataset import DatasetWriter, is_permanent, remove_stale_temp_files  # noqa: E402
from crawler.demo import MIRROR  # noqa: E402
from crawler.demo.server import serve_mirror  # noqa: E402
from crawler.state import SQLiteStateStore, open_state_store, url_key  # noqa: E402

SCRAPY = [PY, "-m", "scrapy.cmdline"]


def test_scrapy_list():
    result = run(SCRAPY + ["list"])
    assert result.stdout.split() == ["news", "republicworld", "rt", "sputnik"]


def test_scrapy_check_runs_offline_contracts():
    result = run(SCRAPY + ["check"], timeout=60)
    assert "OK" in result.stderr
    assert "Ran 33 contracts" in result.stderr


@pytest.fixture(scope="module")
def servers():
    started = serve_mirror(MIRROR)
    yield started
    for server in started.values():
        server.stop()


def test_scrapy_crawl_parquet_feed(servers, tmp_path):
    target = tmp_path / "feeds" / "sputnik.parquet"
    run(SCRAPY + ["crawl", "sputnik", "-a", f"base_url={servers['sputnik'].url}", "-O", str(target)]
        + local_settings())
    table = pq.read_table(target)
    assert table.schema.equals(ARTICLE_SCHEMA, check_metadata=False)
    assert table.schema.metadata[b"newsclean.schema_version"] == b"1"
    data = table.to_pylist()
    assert sorted(r["status"] for r in data) == ["not_html", "ok", "ok"]
    assert {r["extractor"].split("/")[0] for r in data if r["status"] == "ok"} == {"site:sputnik"}
    assert [p.name for p in target.parent.iterdir()] == ["sputnik.parquet"]  # no temporary left
    assert not (PROJECT / "output" / "articles" / "_manifests").exists() or True  # dataset is off


def test_feeds_setting_with_parquet_format(servers, tmp_path):
    target = tmp_path / "rw.parquet"
    feeds = '{"%s": {"format": "parquet"}}' % target.as_uri()
    run(SCRAPY + ["crawl", "republicworld", "-a", f"base_url={servers['republicworld'].url}",
                  "-s", f"FEEDS={feeds}"] + local_settings())
    data = pq.read_table(target).to_pylist()
    assert sorted(r["status"] for r in data) == ["empty", "ok", "ok"]


def test_scrapyd_egg_builds(tmp_path):
    pytest.importorskip("scrapyd_client")
    deploy = shutil.which("scrapyd-deploy", path=str(Path(PY).parent)) or shutil.which("scrapyd-deploy")
    if not deploy:
        pytest.skip("scrapyd-deploy is not installed")
    project = tmp_path / "project"  # a copy: scrapyd-deploy writes a setup.py into the project
    project.mkdir()
    for name in ("scrapy.cfg", "pyproject.toml"):
        shutil.copy(PROJECT / name, project / name)
    for package in ("cleaners", "crawler"):
        shutil.copytree(PROJECT / package, project / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    egg = tmp_path / "newsclean.egg"
    run([deploy, "--build-egg", str(egg)], cwd=project, timeout=120)
    import zipfile

    names = zipfile.ZipFile(egg).namelist()
    assert "crawler/settings.py" in names and "crawler/spiders/rt.py" in names
    assert "cleaners/core.py" in names
    # scrapyd finds the settings module through the egg's `scrapy` entry point; with a [project]
    # table setuptools takes entry points from pyproject.toml only.
    entry = zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode()
    if "[project.entry-points.scrapy]" not in (PROJECT / "pyproject.toml").read_text():
        pytest.xfail("pyproject.toml lacks [project.entry-points.scrapy] settings = \"crawler.settings\"")
    assert "[scrapy]" in entry and "settings = crawler.settings" in entry


def test_scrapy_cfg_has_deploy_section():
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(PROJECT / "scrapy.cfg")
    assert cfg["settings"]["default"] == "crawler.settings"
    assert cfg["deploy"]["project"] == "newsclean"


def test_polite_defaults_and_user_agent(monkeypatch):
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.settings import Settings

    from crawler import settings as module
    from crawler.spiders.rt import RTSpider

    settings = Settings()
    settings.setmodule(module, priority="project")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getint("DOWNLOAD_MAXSIZE") == 10 * 1024 * 1024 and settings.getint("DOWNLOAD_WARNSIZE")
    assert settings.getint("RETRY_TIMES") >= 2 and settings.getfloat("RETRY_BACKOFF_BASE") > 0
    assert not settings.getbool("HTTPCACHE_ENABLED")
    assert "newsclean" in settings["USER_AGENT"]
    settings.set("NEWSCLEAN_USER_AGENT", "acme-research/1.0 (+mailto:data@example.org)", priority="cmdline")
    RTSpider.update_settings(settings)
    assert settings["USER_AGENT"] == "acme-research/1.0 (+mailto:data@example.org)"


def test_backoff_delays_grow_and_are_capped():
    from scrapy.http import Request
    from scrapy.settings import Settings

    from crawler.middlewares import BackoffRetryMiddleware

    mw = BackoffRetryMiddleware(Settings({"RETRY_BACKOFF_BASE": 1.0, "RETRY_BACKOFF_MAX": 5.0}))
    delays = [mw._delay(Request("http://127.0.0.1/", meta={"retry_times": n})) for n in (1, 2, 3, 6)]
    assert 0.75 <= delays[0] <= 1.25 and 1.5 <= delays[1] <= 2.5 and 3.0 <= delays[2] <= 5.0
    assert delays[3] == 5.0
    assert mw._delay(Request("http://127.0.0.1/", meta={"retry_times": 1}), retry_after=4.0) == 4.0


def test_article_url_patterns():
    from crawler.spiders.news import GenericNewsSpider
    from crawler.spiders.republicworld import RepublicWorldSpider
    from crawler.spiders.rt import RTSpider
    from crawler.spiders.sputnik import SputnikSpider

    rt, sp, rw = RTSpider(), SputnikSpider(), RepublicWorldSpider()
    assert rt.is_article("https://www.rt.com/russia/549908-nato-less-borders-kremlin/")
    assert rt.is_article("https://actualidad.rt.com/actualidad/603743-iran-afirma-onu-garantizara-navegacion")
    assert rt.is_article("https://de.rt.com/international/123456-beispiel-artikel/")
    assert not rt.is_article("https://www.rt.com/russia/")
    assert not rt.is_article("https://www.rt.com/tags/nato/")
    assert not rt.is_article("https://www.example.com/russia/549908-nato-less-borders-kremlin/")
    assert sp.is_article("https://sputniknews.com/20220124/russia-says-something-1092440000.html")
    assert sp.is_article("https://sputniknews.com/radio_the_critical_hour/202004281079127690-some-us-states-begin/")
    assert sp.is_article("https://sputniknews.com/russia/201607041042380000/")
    assert sp.is_article("https://sputnikglobe.com/20230315/arctic-port-record-winter-cargo-1108500000.html")
    assert not sp.is_article("https://sputniknews.com/amp/russia/201607041042380000/")
    assert not sp.is_article("https://sputniknews.com/russia/")
    assert rw.is_article("https://www.republicworld.com/science/space/uae-astronaut-marks-start-of-ramadan-in-space-16-sunsets-per-day-make-fasting-unlikely-articleshow.html")
    assert rw.is_article("https://www.republicworld.com/world-news/us-news/trump-signs-order-on-federal-hiring-freeze")
    assert not rw.is_article("https://www.republicworld.com/world-news/us-news/")
    assert not rw.is_article("https://www.republicworld.com/amp/science/space/a-b-c-d-e-articleshow.html")
    news = GenericNewsSpider(start_urls="https://example.org/world/")
    assert news.is_article("https://example.org/2024/05/01/council-approves-new-budget")
    assert news.is_article("https://www.example.org/world/council-approves-the-new-budget/")
    assert not news.is_article("https://example.org/world/")
    assert not news.is_article("https://example.org/tag/council-approves-the-new-budget/")
    assert not news.is_article("https://other.org/2024/05/01/council-approves-new-budget")


def test_base_url_rewrites_site_hosts():
    from crawler.spiders.rt import RTSpider

    spider = RTSpider(base_url="http://127.0.0.1:8123")
    assert spider.fetch_url("https://actualidad.rt.com/actualidad/1-a?x=1") == "http://127.0.0.1:8123/actualidad/1-a?x=1"
    assert spider.fetch_url("https://example.com/a") == "https://example.com/a"
    assert spider.site_url("http://127.0.0.1:8123/russia/1-a/") == "https://www.rt.com/russia/1-a/"
    assert "127.0.0.1" in spider.allowed_domains


# ---- dataset and state building blocks (no crawl) ---------------------------------------------
def _row(n: int, run_id="r1") -> dict:
    html = (MIRROR / "rt/russia/549908-nato-less-borders-kremlin/index.html").read_text()
    html = html.replace("If Russia takes steps", f"In variant {n}, if Russia takes steps")
    article = clean(html, url=f"http://127.0.0.1:1/a{n}/")
    return article_record(article, final_url=article.url, source="sitemap", crawl_run_id=run_id,
                          fetched_at="2026-01-01T00:00:00Z", http_status=200)


def test_parts_rotate_and_keys_are_marked_only_after_the_rename(tmp_path):
    writer = DatasetWriter(tmp_path, "r1", part_rows=2, row_group_size=1, crawl_date="2026-01-01")
    writer.write(_row(1))
    assert not list(tmp_path.glob("crawl_date=*/site=*/*.parquet"))
    assert not writer.state.seen_any([f"http://127.0.0.1:1/a1/"])  # not durable yet
    assert writer.is_seen([f"http://127.0.0.1:1/a1/"])  # but known to this run
    writer.write(_row(2))  # 2 rows: the part is renamed into place, then its keys are recorded
    (part,) = tmp_path.glob("crawl_date=2026-01-01/site=rt.com/part-r1-*.parquet")
    assert pq.read_table(part).num_rows == 2
    assert writer.state.seen_any(["http://127.0.0.1:1/a2/"])
    writer.write(_row(3))
    writer.close()
    assert len(list(tmp_path.glob("crawl_date=*/site=rt.com/*.parquet"))) == 2


def test_recovery_records_parts_renamed_but_not_recorded(tmp_path):
    writer = DatasetWriter(tmp_path, "r1", part_rows=100, crawl_date="2026-01-01")
    writer.write(_row(1))
    part = writer._parts["rt.com"]
    part.writer.close()  # a kill right after the rename, before commit_part
    writer.state.close()
    fresh = DatasetWriter(tmp_path, "r2")
    assert not fresh.state.seen_any(["http://127.0.0.1:1/a1/"])
    assert fresh.recover() == {"stale_temp_files_removed": 0, "parts_recovered": 1}
    assert fresh.state.seen_any(["http://127.0.0.1:1/a1/"])
    assert fresh.recover()["parts_recovered"] == 0


def test_stale_temp_files_of_dead_processes_are_removed(tmp_path):
    folder = tmp_path / "crawl_date=2026-01-01" / "site=rt.com"
    folder.mkdir(parents=True)
    dead = folder / ".part-x-00000.parquet.999999999.deadbeef.tmp"
    alive = folder / f".part-y-00000.parquet.{os.getpid()}.cafe0001.tmp"
    dead.write_bytes(b"PAR1 half")
    alive.write_bytes(b"PAR1 half")
    assert remove_stale_temp_files(tmp_path) == [dead]
    assert alive.exists()


def _commit_many(path, worker):
    store = SQLiteStateStore(path)
    for i in range(50):
        store.commit_part(f"p{worker}-{i}", 1, [f"https://a.example/{worker}/{i}"], [f"h{worker}-{i}"], "r")
    store.close()


def test_sqlite_state_is_safe_for_several_processes(tmp_path):
    path = tmp_path / "state.sqlite"
    ctx = get_context("spawn")
    procs = [ctx.Process(target=_commit_many, args=(str(path), w)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = open_state_store(f"sqlite:///{path}")
    assert store.counts() == {"url": 150, "hash": 150, "parts": 150}
    assert store.seen_any(["https://A.example/2/49#frag"])
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_which_rows_settle_their_url():
    assert is_permanent({"status": "ok"}) and is_permanent({"status": "not_html"})
    assert is_permanent({"status": "fetch_error", "http_status": 404})
    assert not is_permanent({"status": "fetch_error", "http_status": 503})
    assert not is_permanent({"status": "fetch_error", "http_status": None})
    assert url_key("HTTPS://WWW.RT.com/a/#x") == "https://www.rt.com/a/"


def test_parts_also_rotate_on_time(tmp_path):
    writer = DatasetWriter(tmp_path, "r1", part_rows=1000, part_seconds=0, crawl_date="2026-01-01")
    writer.write(_row(1))
    writer.rotate_due()  # the crawl calls this every few seconds: bounds what a kill can lose
    assert len(list(tmp_path.glob("crawl_date=*/site=*/*.parquet"))) == 1
    assert writer.state.seen_any(["http://127.0.0.1:1/a1/"])
    writer.write(_row(2))
    assert writer.close() and len(list(tmp_path.glob("crawl_date=*/site=*/*.parquet"))) == 2
