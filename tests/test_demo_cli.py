"""`newsclean demo` (here `python -m crawler.cli demo`): serves the bundled mirror on 127.0.0.1,
crawls it with the real spiders, writes the dataset and prints a summary and a DuckDB query."""
from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from crawlhelp import PY, manifests, rows, run  # noqa: E402

from crawler.cli import crawl, demo, main  # noqa: E402


def test_demo_runs_offline_and_reports(tmp_path):
    out = tmp_path / "demo"
    result = run([PY, "-m", "crawler.cli", "demo", "--output", str(out)], timeout=120)
    text = result.stdout
    assert "serving rt mirror on http://127.0.0.1:" in text
    assert "rows written: 11" in text
    assert "DuckDB:" in text and "read_parquet(" in text
    for line in ("rt.com               ok             4", "sputniknews.com      not_html       1",
                 "republicworld.com    empty          1"):
        assert line in text
    assert "NATO ready to punish Russia" in text
    assert "Arctic Port Reports Record Winter Cargo as Icebreaker Fleet Grows" in text
    dataset = out / "articles"
    assert len(rows(dataset)) == 11
    (manifest,) = manifests(dataset)
    assert manifest["spiders"] == ["rt", "sputnik", "republicworld"]

    again = run([PY, "-m", "crawler.cli", "demo", "--output", str(out)], timeout=120)
    assert "rows written: 0" in again.stdout and "seen 11" in again.stdout
    assert len(rows(dataset)) == 11


def test_click_commands_for_the_newsclean_group():
    assert crawl.name == "crawl" and demo.name == "demo"
    runner = CliRunner()
    assert {"crawl", "demo"} <= set(main.commands)
    help_text = runner.invoke(crawl, ["--help"]).output
    for option in ("--output", "-s", "-a", "SPIDER:NAME=VALUE", "JOBDIR"):
        assert option in help_text
    assert "127.0.0.1" in runner.invoke(demo, ["--help"]).output
    bad = runner.invoke(crawl, ["rt", "-s", "NOVALUE"])
    assert bad.exit_code != 0 and "NAME=VALUE" in bad.output


def test_unknown_spider_is_a_usage_error(tmp_path):
    result = run([PY, "-m", "crawler.cli", "crawl", "nosuchspider", "--output", str(tmp_path)], check=False)
    assert result.returncode == 2 and "unknown spider" in result.stderr
