"""bench/clean_files.py runs on a small sample: every file becomes a row, memory is sampled."""
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "clean_files.py"


def test_clean_files_benchmark_small_sample(tmp_path):
    out = tmp_path / "r.json"
    subprocess.run([sys.executable, str(BENCH), "--files", "60", "--jobs", "2", "--json", str(out)],
                   check=True, capture_output=True, timeout=180)
    result = json.loads(out.read_text())
    assert result["rows"] == 60 and result["statuses"] == {"ok": 60}
    assert result["pages_per_second"] > 0
    assert result["rss_mb_peak"] > 10
    assert "60 pages: 60 articles written" in result["summary"]
