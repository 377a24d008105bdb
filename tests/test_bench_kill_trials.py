"""bench/kill_trials.py on a small scale: 2 seeded SIGKILLs of a real crawl of the synthetic site,
each followed by a re-run from another port; no corrupt file, no duplicate, nothing missing."""
from __future__ import annotations

import sys

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))
from kill_trials import run_trials  # noqa: E402


def test_two_kill_trials_leave_nothing_corrupt_lost_or_doubled(tmp_path):
    report = run_trials(2, 40, seed=3, part_rows=5, workdir=tmp_path, progress=False)
    totals = report["totals"]
    assert totals["kills_while_running"] == 2
    assert totals["corrupt_files"] == totals["duplicates"] == totals["missing"] == 0, report["results"]
    assert totals["temporary_files_left"] == 0 and totals["workers_left_running"] == 0
    for trial in report["results"]:
        assert trial["rerun_exit"] == 0
        assert trial["after_rerun"]["rows"] == trial["after_rerun"]["duckdb_rows"] >= 40
    assert report["passed"]
