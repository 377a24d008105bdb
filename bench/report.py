"""The JSON report every bench script writes when asked (--json): one writer, so every file under
bench/results/ is made the same way (parent folders created, UTF-8 with non-ASCII kept, values
JSON cannot hold written as strings, one trailing newline)."""
from __future__ import annotations

import json
from pathlib import Path


def write_report(report: dict, path: str | Path | None) -> None:
    """Writes the report to `path` (nothing when no path was given) and says where."""
    if path:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        print(f"\nwrote {out}")
