"""A seeded sample of bench/fuzz.py's hostile inputs (every family), run as the full fuzz run is:
worker processes with the time limit, every row written through the real Parquet writer."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def test_fuzz_sample_has_no_failures(tmp_path):
    report_path = tmp_path / "fuzz.json"
    result = subprocess.run([sys.executable, str(PROJECT / "bench" / "fuzz.py"), "--cases", "300", "--seed", "7",
                             "-j", "2", "--report", str(report_path)], capture_output=True, timeout=900)
    report = json.loads(report_path.read_text())
    assert result.returncode == 0, json.dumps(report["failure_cases"][:5], indent=1)
    assert report["cases"] == report["rows_written"] == 300
    assert report["failures"] == 0 and report["over_time_limit"] == 0
    sys.path.insert(0, str(PROJECT / "bench"))
    import fuzz

    assert set(report["families"]) == set(fuzz.FAMILIES)  # every family ran
    assert sum(report["statuses"].values()) == 300 and report["statuses"].get("ok", 0) > 150


def test_cases_are_reproducible():
    sys.path.insert(0, str(PROJECT / "bench"))
    import fuzz

    assert fuzz.make_case(7, 123) == fuzz.make_case(7, 123)
    assert fuzz.make_case(7, 123) != fuzz.make_case(8, 123)
